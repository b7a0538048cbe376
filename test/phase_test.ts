/**
 * The phase diagram (`deno task phase`): on a reduced grid, the regimes the λ-balanced theory
 * predicts (MATH.md, "λ-balanced initialisations") must show in the sweep's numbers, and the
 * figure must render from them.
 */
import { computePhase, PARAMETERS, phaseDefinition, phaseVerdict } from "../scripts/phase.ts";
import { runFigure } from "../src/figures/runner.ts";
import { assertEquals, assertOk } from "./assert.ts";

/** 3 init scales × 5 λ × 1 seed = 15 exact solutions on the hierarchy. */
const SMALL = {
  ...PARAMETERS,
  spec: {
    ...PARAMETERS.spec,
    seeds: 1,
    grid: { "init.scale": [1e-3, 0.03, 1], "init.lambda": [-16, -1, 0, 1, 16] },
  },
};

Deno.test("phase: lazy at large |λ|, rich at λ = 0, symmetric in λ, lazy limit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dln-phase-test-" });
  try {
    const d = await computePhase(SMALL, { quiet: true, workers: 0, dir });
    assertEquals(d.sweep.points, 15);
    assertEquals(d.sweep.errors, 0);
    const v = phaseVerdict(d) as Record<string, number[] & number>;
    // Rich: the kernel moves (≈0.13 on this task); lazy: it barely does (≈1e-4 at |λ| = 16).
    v.kernelDistanceAtLambda0.forEach((k0, i) => {
      assertOk(k0 > 0.1 && v.kernelDistanceAtLambdaMax[i] < 0.2 * k0, `scale ${i}: ${k0}`);
    });
    assertOk(v.kernelDistanceAtLambdaMax[0] < 1e-3, `lazy at small scale`);
    // Square task: the loss depends on |λ| only (MATH.md), so the time to learn is even in λ,
    // up to the bisection's 2⁻⁴⁰ of a grid interval.
    assertOk(v.timeToLearnAsymmetryLambda < 1e-9, `asymmetry ${v.timeToLearnAsymmetryLambda}`);
    // Small init at λ = 0 learns late (the rich plateau); |λ| = 16 learns at the lazy limit's
    // pace ln 10 / (2|λ|): measured 0.8 % off at scale 1e-4 (the approximation's error falls
    // like 1/λ²); 3 % allows scale 1e-3.
    assertOk(v.timeToLearnAtLambda0[0] > 10 * v.timeToLearnAtLambdaMax[0], "rich plateau");
    assertOk(
      v.lazyLimitRelErrorSmallestScale < 0.03,
      `lazy limit ${v.lazyLimitRelErrorSmallestScale}`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("phase: the figure renders from the sweep", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dln-phase-fig-" });
  try {
    const def = { ...phaseDefinition({ workers: 0 }), parameters: SMALL };
    const run = await runFigure(
      {
        ...def,
        compute: (p, ctx) => computePhase(p, { quiet: ctx.quiet, workers: 0, dir: `${dir}/sweep` }),
      },
      { outRoot: dir, quiet: true },
    );
    for (
      const f of ["figure.svg", "figure.png", "panel_A.csv", "panel_D.csv", "panel_points.csv"]
    ) {
      assertOk((await Deno.stat(`${run.dir}/${f}`)).size > 0, f);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
