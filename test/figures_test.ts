/**
 * Each figure script's data path at a reduced size: the data has the expected shape and one
 * scientific claim of the figure holds.
 */
import { computeFig1, PARAMETERS as FIG1 } from "../scripts/fig1.ts";
import { computeFig2, PARAMETERS as FIG2 } from "../scripts/fig2.ts";
import { computeFig3, PARAMETERS as FIG3 } from "../scripts/fig3.ts";
import { computeFig4, PARAMETERS as FIG4 } from "../scripts/fig4.ts";
import { computeFig5, PARAMETERS as FIG5 } from "../scripts/fig5.ts";
import { PARAMETERS as FIG6, reversalPanels, revisionRow } from "../scripts/fig6.ts";
import { computeLazyRich, PARAMETERS as LAZY_RICH } from "../scripts/lazy_rich.ts";
import { Random } from "../src/random.ts";
import { livingKingdomTask, revisedKingdomTask } from "../src/tasks/hierarchy.ts";
import { curvesTable, lossValue } from "../src/figures/curves.ts";
import { taskSpecificity } from "../src/lazy_rich.ts";
import { splitQQt } from "../src/exact/solution.ts";
import { fittedOrder } from "../src/figures/fig2c.ts";
import { assertClose, assertEquals, assertOk, assertThrows } from "./assert.ts";
import { InputError } from "../src/errors.ts";

Deno.test("fittedOrder recovers a power law", () => {
  const x = [0.1, 0.01, 0.001];
  assertClose(fittedOrder(x, x.map((v) => 3 * v ** 1.5)), 1.5, 1e-12, "order");
  assertThrows(() => fittedOrder([1], [1]), InputError, "≥ 2");
  assertThrows(() => fittedOrder([1, 2], [0, 1]), InputError, "positive");
});

Deno.test("fig2 (reduced): rows match theory, deviation shrinks with η at order ≈ 1", async () => {
  const params = {
    ...FIG2,
    example: { ...FIG2.example, points: 41, horizons: { small: 4, large: 2 } },
    networks: 4,
    spec: { ...FIG2.spec, horizon: 3, learningRates: [0.02, 0.01, 0.005], curveRate: 0.01 },
    shown: [0, 1],
  };
  const d = await computeFig2(params, { workers: 0, quiet: true });
  const ex = params.example;
  assertEquals(d.small.networkFunction.length, 2 * ex.no * ex.ni);
  assertEquals(d.small.ntk.length, 2 * ((ex.no * ex.p) * (ex.no * ex.p + 1)) / 2);
  assertEquals(d.networks.length, 4);
  assertEquals(d.networks[0].deviation.length, 3);
  // GD at η = 0.005 follows gradient flow closely: the largest gap over every entry of every
  // curve stays well below the O(1) size of the entries (it is O(η) times their growth rate).
  assertOk(d.large.maxGap < 0.2, `row B gap ${d.large.maxGap}`);
  // Euler's method is first order: the deviation halves with η.
  assertOk(d.order.median > 0.85 && d.order.median < 1.15, `order ${d.order.median}`);
  for (const n of d.networks) {
    assertOk(n.deviation.every((v, i) => i === 0 || v < n.deviation[i - 1]), "monotone in η");
  }
});

Deno.test("fig1: from every start the output reaches the task's outputs, matching theory", () => {
  const d = computeFig1(FIG1);
  for (const panel of [d.small, d.large, d.prior]) {
    const sims = panel.curves.filter((c) => c.source === "simulation");
    assertEquals(sims.length, FIG1.no * FIG1.ni);
    for (const s of sims) {
      const t = panel.curves.find((c) => c.source === "theory" && c.series === s.series)!;
      // Same final value: both converge to Σyx X (Theorem 3.2); GD at η = 0.005 lags gradient
      // flow by O(η) in time, invisible at the end of the run.
      assertClose(s.y.at(-1)!, t.y.at(-1)!, 1e-3, s.series);
    }
  }
  // Small init starts near zero output; the learned init does not.
  const start = (p: typeof d.small) => Math.max(...p.curves.map((c) => Math.abs(c.y[0])));
  assertOk(start(d.small) < 0.1 && start(d.prior) > 1, `${start(d.small)} ${start(d.prior)}`);
});

Deno.test("fig3: small and large zero-balanced inits end rich, the Gaussian init lazy", () => {
  const d = computeFig3({ ...FIG3, horizon: 12, points: 13 });
  assertEquals([d.small.qqt.rows, d.balanced.qqt.cols], [16, 16]);
  // Theorem 3.2: W1ᵀW1 → ṼS̃Ṽᵀ for zero-balanced starts; the unbalanced Gaussian start keeps
  // an O(1) difference (lazy). Thresholds: converged runs are within 1e-2, lazy ones off by > 1.
  assertOk(
    d.small.rsmGap < 1e-2 && d.balanced.rsmGap < 1e-2,
    `${d.small.rsmGap} ${d.balanced.rsmGap}`,
  );
  assertOk(d.gaussian.rsmGap > 1, `gaussian gap ${d.gaussian.rsmGap}`);
});

Deno.test("fig4: GD follows Theorem 5.1; b(t) peaks at t_peak for small equal-diagonal init", () => {
  const d = computeFig4({ ...FIG4, points: 61 });
  assertEquals(d.cells.length, 3);
  assertEquals(d.cells[0].length, 3);
  // GD at η = 0.005 vs gradient flow: O(η) gaps on O(1) entries.
  for (const c of d.cells.flat()) {
    assertOk(c.maxGap < 0.05, `${c.target} σ=${c.sigma}: ${c.maxGap}`);
  }
  // Small variance, equal diagonal: the simulated |b(t)| is largest near the paper's t_peak
  // (within two grid steps of 0.1τ; the paper's formula is exact to 1e-6 here).
  const c = d.cells[2][0];
  const b = c.curves.find((q) => q.series === "b" && q.source === "simulation")!;
  const k = b.y.reduce((best, v, i) => (Math.abs(v) > Math.abs(b.y[best]) ? i : best), 0);
  assertOk(Math.abs(b.x[k] - c.tPeak.paper) <= 0.2, `peak at ${b.x[k]}, t_peak ${c.tPeak.paper}`);
});

Deno.test("fig6: exact reversal stays at the saddle, GD escapes; shallow reversal converges", () => {
  const r = { ...FIG6.reversal, points: 29 };
  const d = reversalPanels(r, new Random(1));
  // The saddle keeps the reversed mode unlearned: loss ½ s₂² of the reversed task's weaker mode
  // (σ₂ of [[2, .4], [.3, 1]] is 0.8905…, so ½ σ₂² = 0.3965) — not 0.
  assertClose(d.reversalLoss.analytical, 0.3965, 1e-3, "exact loss at t = 14τ");
  assertOk(d.reversalLoss.simulation < 1e-4, `GD loss ${d.reversalLoss.simulation}`);
  const sim = d.shallow.filter((c) => c.source === "simulation");
  const th = d.shallow.filter((c) => c.source === "theory");
  sim.forEach((c, k) => assertClose(c.y.at(-1)!, th[k].y.at(-1)!, 0.02, c.series));
});

Deno.test("fig6: revised kingdom — theory stuck at loss ½ (fish mode), simulation escapes", () => {
  const h = { ...FIG6.hierarchy, points: 41, theoryPoints: 5, mdsSnapshots: 5 };
  const row = revisionRow("revised", revisedKingdomTask(), h.scales.small, 12, h, new Random(2));
  // The swapped fish reverse the item-level mode of singular value 1: the saddle loses ½·1².
  assertClose(row.finalLoss.analytical, 0.5, 1e-6, "theory loss at the saddle");
  assertOk(row.finalLoss.simulation < 1e-3, `simulation loss ${row.finalLoss.simulation}`);
  assertEquals(row.mdsFirst.curves.length, 8);
});

Deno.test("fig5 (reduced): exact continual learning matches GD; linear forgetting is predicted", async () => {
  const p = {
    ...FIG5,
    sequence: { ...FIG5.sequence, points: 41, theoryPoints: 11 },
    networks: 3,
    fiveTasks: { ...FIG5.fiveTasks, tasks: 3, points: 21 },
  };
  const d = await computeFig5(p, { workers: 0, quiet: true });
  assertEquals(d.forgetting.length, 9);
  assertEquals([d.predicted.rows, d.predicted.cols], [3, 2]);
  // Linear networks: forgetting computed before training equals what GD measures after
  // converged stages (Theorem 3.2), to the remaining convergence error of 15τ stages.
  for (const r of d.forgetting.filter((x) => x.activation === "linear")) {
    assertClose(r.numerical, r.predicted, 0.05 * Math.abs(r.predicted), `network ${r.index}`);
  }
  // The exact sequence solution's final loss on T1 agrees with GD's at the end of stage 1.
  const sim = d.losses.find((c) => c.source === "simulation" && c.series === "loss on T1")!;
  const th = d.losses.find((c) => c.source === "theory" && c.series === "loss on T1")!;
  assertClose(sim.y.at(-1)!, th.y.at(-1)!, 0.05, "loss on T1 at the end");
});

Deno.test("figure CSVs use the plots' words; reported losses are never negative", () => {
  const table = curvesTable("X", [
    { series: "loss", source: "simulation", x: [0], y: [1] },
    { series: "loss", source: "theory", x: [0], y: [1] },
  ]);
  assertEquals(table.rows.map((r) => r.source), ["simulation", "analytical"]);
  assertEquals([lossValue(-3.5e-15), lossValue(0.25), lossValue(-0.1)], [0, 0.25, -0.1]);
});

Deno.test("lazy-rich (reduced): GD matches the λ solution; lazy → rich → lazy in λ", () => {
  const p = {
    ...LAZY_RICH,
    example: { ...LAZY_RICH.example, lambdas: [-2, 2] },
    kernelLambdas: [0],
    sweep: { lambdas: [-10, 0, 10], scales: [0.01] },
    points: 60,
  };
  const d = computeLazyRich(p);
  assertEquals(d.sweep.length, 3);
  // GD (η = 0.002) against the exact λ solution at the same times: an O(η) gap.
  assertOk(d.maxLossGap < 0.01, `GD vs exact ${d.maxLossGap}`);
  const [lazyMinus, rich, lazyPlus] = d.sweep;
  const end = (xs: number[]) => xs[xs.length - 1];
  // Lazy at |λ| = 10 (kernel distance ~1e-3), rich at λ = 0 (~0.24): the lazy → rich → lazy shape.
  for (const lazy of [lazyMinus, lazyPlus]) {
    assertOk(
      end(rich.theory.kernelDistance) > 50 * end(lazy.theory.kernelDistance),
      `kernel distance ${end(rich.theory.kernelDistance)} vs ${end(lazy.theory.kernelDistance)}`,
    );
    assertOk(rich.theory.halfLossTime > 5 * lazy.theory.halfLossTime, "lazy learns faster");
  }
  // Rectangular, Nh < No: λ < 0 is lazy, λ > 0 is not (its output layer has rank Nh < No; the
  // error outside its range is learned at rate O(s̃²/λ)): measured 1.0e-3 and 0.27.
  const [rectMinus, , rectPlus] = d.rectangular;
  assertOk(end(rectMinus.theory.kernelDistance) < 0.01, "rectangular λ = −10 is lazy");
  assertOk(end(rectPlus.theory.kernelDistance) > 0.1, "rectangular λ = +10 is not");
  // Square network: the loss depends on |λ| only (src/exact/lambda_claims.ts).
  const [m2, p2] = d.examples;
  m2.loss.theory.forEach((v, i) => assertClose(v, p2.loss.theory[i], 1e-12 * m2.loss.theory[0]));
  // Rich: the hidden representation becomes the task's; lazy: it does not.
  assertOk(end(rich.sim.specificity) > 0.999, `rich specificity ${end(rich.sim.specificity)}`);
  assertOk(end(lazyMinus.sim.specificity) < 0.9 && end(lazyPlus.sim.specificity) < 0.98);
  d.limitSpecificity.forEach((v, i) =>
    assertClose(end(d.sweep[i].sim.specificity), v, 1e-3, `limit at λ = ${p.sweep.lambdas[i]}`)
  );
  // B: on the living kingdom, λ = 0 ends with the task's representation, λ = ±10 does not.
  const kingdom = livingKingdomTask();
  const spec = d.hierarchy.map((h) => taskSpecificity(splitQQt(h.qqt, 8), kingdom.sigmaYX));
  assertEquals(spec.length, 5);
  assertOk(spec[3] > 0.999 && spec[2] < 0.96 && spec[4] < 0.96, `B specificities ${spec}`);
});
