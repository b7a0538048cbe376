/**
 * Lazy and rich learning from λ-balanced initialisations (`W2ᵀW2 − W1W1ᵀ = λI`; Dominé et al.,
 * ICLR 2025; MATH.md "λ-balanced initialisations").
 *
 * A: a square network (3 inputs, 3 hidden, 3 outputs; task s̃ = 3, 1.5, 0.5) trained from small
 *    λ-balanced weights, λ ∈ {−2, 0, 2}: loss, and the largest singular value of each layer,
 *    gradient descent (solid/dashed, coloured) against the exact λ solution (black dotted).
 * B: final `QQᵀ` on the living-kingdom hierarchy from small and large Gaussian weights and from
 *    λ = −10, 0, 10 balanced weights (GD).
 * C: NTK kernel distance from `t = 0` over training for five λ (GD, exact dotted), and at the end
 *    of training against λ for three init scales: lazy (small) at large |λ|, rich near λ = 0; and
 *    for a rectangular 3-3-4 network, lazy only for λ < 0.
 * D: time to learn (the loss at half its initial value) against λ and init scale (and 3-3-4).
 * E: task-specificity of the hidden representation (cosine of `W1ᵀW1` with `ṼS̃Ṽᵀ`) at the end
 *    of training against λ, with the exact long-time limit (black dotted).
 *
 * Every λ at one init scale starts from the same `W2W1(0)` and hidden rotation. GD runs at
 * η = 0.002 and the exact solution is evaluated at the times GD reached.
 *
 * Run: `deno task lazy-rich` → `out/lazy-rich/`.
 *
 * @module
 */
import { solveExact } from "../src/exact/solve.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  geometricGrid,
  T_LABEL,
} from "../src/figures/curves.ts";
import { type LazyRichSummary, summariseRun } from "../src/figures/lazy_rich.ts";
import { matricesTable, qqtHeatmap } from "../src/figures/matrices.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { gaussianInit, type LayerWidths } from "../src/init/gaussian.ts";
import { lambdaBalancedFromProduct, lambdaBalancedInit } from "../src/init/lambda_balanced.ts";
import { det } from "../src/linalg/lu.ts";
import type { Weights } from "../src/init/weights.ts";
import { taskSpecificity } from "../src/lazy_rich.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import type { Matrix } from "../src/matrix.ts";
import { joinQQt, splitQQt } from "../src/exact/solution.ts";
import { lambdaLimitQQt } from "../src/exact/lambda.ts";
import type { FigurePanel } from "../src/plot/layout.ts";
import { linePanel, type LinePanelSpec } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { livingKingdomTask } from "../src/tasks/hierarchy.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import type { Task } from "../src/task.ts";
import { simulate } from "../src/train/simulate.ts";
import type { Trajectory } from "../src/trajectory.ts";

/** Parameters of the lazy/rich figure. */
export const PARAMETERS = {
  /**
   * The network and task of panels A, C, D, E: square, so both signs of λ are admissible and the
   * network function depends on |λ| only (src/exact/lambda_claims.ts); rectangular networks
   * break that symmetry (README, "Lazy and rich").
   */
  net: { ni: 3, nh: 3, no: 3, singularValues: [3, 1.5, 0.5] },
  /**
   * Panel A: λ values and the init scale (std of the entries of `W2W1(0)`). Every run at one
   * scale starts from the same `W2W1(0)` and hidden rotation, only λ differs.
   */
  example: { lambdas: [-2, 0, 2], scale: 0.05 },
  /** Panel C (left): λ values whose kernel distance is drawn over time. */
  kernelLambdas: [-10, -2, 0, 2, 10],
  /** Panels C (right), D, E: the λ grid and the init scales. */
  sweep: {
    lambdas: [
      -10,
      -8,
      -6,
      -4,
      -3,
      -2,
      -1.5,
      -1,
      -0.5,
      -0.2,
      0,
      0.2,
      0.5,
      1,
      1.5,
      2,
      3,
      4,
      6,
      8,
      10,
    ],
    scales: [0.01, 0.1, 1],
  },
  /**
   * Panels C (right) and D also sweep λ on a rectangular network with `Nh < No` at one init scale:
   * there λ > 0 leaves the output layer rank-deficient, and the run is not lazy (README).
   */
  rectangular: { ni: 3, nh: 3, no: 4, scale: 0.1 },
  /** GD learning rate and horizon (units of τ) of panels A, C, D, E; time points recorded. */
  learningRate: 0.002,
  horizon: 15,
  /** Records: t = 0 and `points` times spaced geometrically from `firstTime` to `horizon`
   * (λ = ±10 halves the loss by t ≈ 0.04τ, λ = 0 at small scale near τ). */
  firstTime: 0.004,
  points: 160,
  /** Panel B: hidden width (8: admissible for λ = ±10 on the 8-item, 8-feature task). */
  hierarchy: {
    nh: 8,
    smallGaussian: 0.01,
    largeGaussian: 0.7,
    lambdas: [-10, 0, 10],
    balancedScale: 1e-3,
    learningRate: 0.01,
    horizon: 20,
  },
};

/** Base seed. */
export const SEED = 12;

/** The semantic task of panel B. */
const KINGDOM = livingKingdomTask();

/** One run: its GD trajectory summary and, from λ-balanced weights, the exact one's. */
interface Run {
  lambda: number;
  scale: number;
  sim: LazyRichSummary;
  theory: LazyRichSummary;
  /** Loss curves. */
  loss: { sim: number[]; theory: number[] };
}

/** Data of the figure. */
export interface LazyRichData {
  examples: Run[];
  sweep: Run[];
  /** The λ sweep on the rectangular network. */
  rectangular: Run[];
  /** Task-specificity of the exact `t → ∞` limit for each λ of the sweep. */
  limitSpecificity: number[];
  hierarchy: { label: string; qqt: Matrix }[];
  /** Largest `|GD − exact| / L(0)` of the loss over every run (GD's O(η) deviation). */
  maxLossGap: number;
}

function train(task: Task, init: Weights, times: number[], eta: number): Trajectory {
  return simulate(task, init, { learningRate: eta, times });
}

/** A network function and hidden rotation per init scale, shared by every λ at that scale. */
interface Start {
  scale: number;
  m: Matrix;
  r: Matrix;
}

/**
 * `W2W1(0)` with `N(0, scale²)` entries, its determinant's sign matched to `Σyx`'s (a square
 * network whose product has the other sign starts at a saddle's basin at λ = 0: MATH.md, "When
 * B is singular"), and a Haar hidden rotation.
 */
function drawStart(rng: Random, task: Task, scale: number, dims: LayerWidths): Start {
  const m = rng.gaussianMatrix(dims.no, dims.ni, scale);
  if (dims.ni === dims.no && Math.sign(det(m)) !== Math.sign(det(task.sigmaYX))) {
    for (let j = 0; j < m.cols; j++) m.data[j] = -m.data[j];
  }
  return { scale, m, r: rng.orthonormal(dims.nh, dims.nh) };
}

function run(task: Task, start: Start, lambda: number, p: typeof PARAMETERS): Run {
  const init = lambdaBalancedFromProduct(start.m, lambda, start.r);
  const times = [0, ...geometricGrid(p.firstTime, p.horizon, p.points)];
  const sim = train(task, init, times, p.learningRate);
  // At the times GD reached (k·η), so the two are compared where both are.
  const theory = solveExact(f64Backend, task, init, sim.times);
  return {
    lambda,
    scale: start.scale,
    sim: summariseRun(sim, task.sigmaYX),
    theory: summariseRun(theory, task.sigmaYX),
    loss: { sim: sim.loss, theory: theory.loss },
  };
}

/** Computes the figure's data. */
export function computeLazyRich(p: typeof PARAMETERS): LazyRichData {
  const task = randomTask(new Random(deriveSeed(SEED, 0)), {
    ni: p.net.ni,
    no: p.net.no,
    singularValues: p.net.singularValues,
  });
  const rng = new Random(deriveSeed(SEED, 1));
  const exampleStart = drawStart(rng, task, p.example.scale, p.net);
  const examples = [...new Set([...p.example.lambdas, ...p.kernelLambdas])].map((l) =>
    run(task, exampleStart, l, p)
  );
  const starts = p.sweep.scales.map((scale) => drawStart(rng, task, scale, p.net));
  const sweep = starts.flatMap((start) => p.sweep.lambdas.map((l) => run(task, start, l, p)));
  const rect = p.rectangular;
  const rectTask = randomTask(new Random(deriveSeed(SEED, 3)), {
    ni: rect.ni,
    no: rect.no,
    singularValues: p.net.singularValues,
  });
  const rectStart = drawStart(new Random(deriveSeed(SEED, 4)), rectTask, rect.scale, rect);
  const rectangular = p.sweep.lambdas.map((l) => run(rectTask, rectStart, l, p));
  // The t → ∞ limit of W1ᵀW1 does not depend on the init when Nh = Nm (MATH.md).
  const limitSpecificity = p.sweep.lambdas.map((lambda) => {
    const init = lambdaBalancedFromProduct(starts[0].m, lambda, starts[0].r);
    const limit = splitQQt(lambdaLimitQQt(f64Backend, { ...task, ...init }), p.net.ni);
    return taskSpecificity(limit, task.sigmaYX);
  });
  const kingdom = KINGDOM;
  const h = p.hierarchy, dims = { ni: 8, nh: h.nh, no: 8 };
  const hrng = new Random(deriveSeed(SEED, 2));
  const inits: { label: string; init: Weights }[] = [
    {
      label: `Gaussian σ = ${h.smallGaussian}`,
      init: gaussianInit(hrng, dims, h.smallGaussian),
    },
    {
      label: `Gaussian σ = ${h.largeGaussian}`,
      init: gaussianInit(hrng, dims, h.largeGaussian),
    },
    ...h.lambdas.map((lambda) => ({
      label: `${lambdaLabel(lambda)} balanced`,
      init: lambdaBalancedInit(hrng, { ...dims, lambda, scale: h.balancedScale }),
    })),
  ];
  const hierarchy = inits.map(({ label, init }) => {
    const sim = train(kingdom, init, [h.horizon], h.learningRate);
    return { label, qqt: joinQQt(sim.states[0]) };
  });
  const gaps = [...examples, ...sweep, ...rectangular].flatMap((r) =>
    r.loss.sim.map((v, i) => Math.abs(v - r.loss.theory[i]) / r.loss.theory[0])
  );
  const maxLossGap = Math.max(...gaps);
  return { examples, sweep, rectangular, limitSpecificity, hierarchy, maxLossGap };
}

/** Colour of a λ of panels A and C (blue negative, green zero, red positive). */
const LAMBDA_COLORS: Record<string, string> = {
  "-10": "#1f4e79",
  "-2": "#6baed6",
  "0": "#59a14f",
  "2": "#f4a582",
  "10": "#b2182b",
};

const lambdaLabel = (l: number) => `λ = ${String(l).replace("-", "−")}`;

type Source = "sim" | "theory";

/** One simulation and one theory curve over time per run. */
function timeCurves(
  runs: readonly Run[],
  pick: (r: Run, source: Source) => number[],
  quantity: string,
  withQuantity = false,
): Curve[] {
  return runs.flatMap((r) => {
    const series = withQuantity ? `${lambdaLabel(r.lambda)}, ${quantity}` : lambdaLabel(r.lambda);
    const tags = { lambda: r.lambda, quantity };
    return [
      {
        series,
        source: "simulation" as const,
        x: r.sim.x,
        y: pick(r, "sim"),
        color: LAMBDA_COLORS[String(r.lambda)],
        tags,
      },
      { series, source: "theory" as const, x: r.theory.x, y: pick(r, "theory"), tags },
    ];
  });
}

/** A simulation and a theory curve of a per-run number against λ. */
function lambdaCurves(
  runs: readonly Run[],
  pick: (s: LazyRichSummary) => number,
  series: string,
  color: string,
  network: string,
): Curve[] {
  const x = runs.map((r) => r.lambda), tags = { network, scale: runs[0].scale };
  return [
    { series, source: "simulation", x, y: runs.map((r) => pick(r.sim)), color, tags },
    { series, source: "theory", x, y: runs.map((r) => pick(r.theory)), tags },
  ];
}

/**
 * Curves of a per-run number against λ: one per init scale of the square network, and (with
 * `withRectangular`) the rectangular network's.
 */
function sweepCurves(
  d: LazyRichData,
  pick: (s: LazyRichSummary) => number,
  p: typeof PARAMETERS,
  withRectangular = false,
): Curve[] {
  const name = (n: { ni: number; nh: number; no: number }) => `${n.ni}-${n.nh}-${n.no}`;
  const square = p.sweep.scales.flatMap((scale, k) =>
    lambdaCurves(
      d.sweep.filter((r) => r.scale === scale),
      pick,
      `${name(p.net)}, init scale ${scale}`,
      paletteColor(k),
      name(p.net),
    )
  );
  if (!withRectangular) return square;
  const r = p.rectangular;
  return [
    ...square,
    ...lambdaCurves(
      d.rectangular,
      pick,
      `${name(r)} network, scale ${r.scale}`,
      "#f28e2b",
      name(r),
    ),
  ];
}

function panelCurves(d: LazyRichData, p: typeof PARAMETERS) {
  const example = d.examples.filter((r) => p.example.lambdas.includes(r.lambda));
  const kernel = d.examples.filter((r) => p.kernelLambdas.includes(r.lambda));
  const last = (xs: number[]) => xs[xs.length - 1];
  return {
    loss: timeCurves(example, (r, w) => r.loss[w], "loss"),
    sigma: [
      ...timeCurves(example, (r, w) => r[w].topSigma1, "W1", true),
      ...timeCurves(example, (r, w) => r[w].topSigma2, "W2", true),
    ],
    kernelTime: timeCurves(kernel, (r, w) => r[w].kernelDistance, "kernel distance"),
    kernelLambda: sweepCurves(d, (s) => last(s.kernelDistance), p, true),
    halfLoss: sweepCurves(d, (s) => s.halfLossTime, p, true),
    specificity: [
      ...sweepCurves(d, (s) => last(s.specificity), p).filter((c) => c.source === "simulation"),
      {
        series: "long-time limit",
        source: "theory" as const,
        x: p.sweep.lambdas,
        y: d.limitSpecificity,
        // The limit does not depend on the init scale (Nh = Nm): its scale cell stays empty.
        tags: { network: `${p.net.ni}-${p.net.nh}-${p.net.no}` },
      },
    ],
  };
}

/** The lazy/rich figure's definition for the runner. */
export function lazyRichDefinition(): FigureDefinition<typeof PARAMETERS, LazyRichData> {
  const p = PARAMETERS;
  return {
    name: "lazy-rich",
    description:
      "Lazy and rich learning from λ-balanced weights (Dominé et al., ICLR 2025): exact λ " +
      "solution vs GD, final QQᵀ on the living kingdom, NTK kernel distance, time to learn and " +
      "task-specificity against λ and init scale.",
    parameters: p,
    seeds: {
      base: SEED,
      task: deriveSeed(SEED, 0),
      inits: deriveSeed(SEED, 1),
      hierarchy: deriveSeed(SEED, 2),
    },
    compute: (params) => computeLazyRich(params),
    tables: (d) => {
      const c = panelCurves(d, p);
      return [
        curvesTable("A_loss", c.loss),
        curvesTable("A_sigma", c.sigma),
        matricesTable(
          "B",
          Object.fromEntries(d.hierarchy.map((h, i) => [HIERARCHY_KEYS[i], h.qqt])),
        ),
        curvesTable("C_time", c.kernelTime),
        curvesTable("C_lambda", c.kernelLambda, "lambda"),
        curvesTable("D", c.halfLoss, "lambda"),
        curvesTable("E", c.specificity, "lambda"),
      ];
    },
    layout: (d) => {
      const c = panelCurves(d, p);
      const lambdaAxis = { label: "λ (W2ᵀW2 − W1W1ᵀ = λI)" };
      return {
        rows: [
          [
            lineCell("A", `loss (${p.net.ni}-${p.net.nh}-${p.net.no} network; ±λ coincide)`, {
              series: curvesSeries(c.loss),
              x: { label: T_LABEL },
              y: { label: "loss L", type: "log" },
              width: 300,
            }),
            lineCell(undefined, "largest singular value per layer (−λ swaps W1 and W2)", {
              series: seriesWithDash(c.sigma),
              x: { label: T_LABEL },
              y: { label: "σ_max (W1 solid, W2 dashed)" },
              width: 360,
            }),
          ],
          d.hierarchy.map((h, i) => ({
            ...(i === 0 ? { letter: "B" } : {}),
            title: i === 0 ? `final QQᵀ: ${h.label}` : h.label,
            body: qqtHeatmap(h.qqt, 8, 150, i === 0),
          })),
          [
            lineCell("C", "NTK kernel distance from t = 0", {
              series: curvesSeries(c.kernelTime),
              x: { label: T_LABEL },
              y: { label: "kernel distance 1 − cos(K(0), K(t))" },
            }),
            lineCell(undefined, "… at the end, against λ", {
              series: curvesSeries(c.kernelLambda),
              x: lambdaAxis,
              y: { label: `kernel distance at t = ${p.horizon}τ` },
            }),
            lineCell("D", "time to learn (half the initial loss)", {
              series: curvesSeries(c.halfLoss),
              x: lambdaAxis,
              y: { label: "t½ / τ", type: "log", domain: [0.01, 1] },
            }),
            lineCell("E", "task-specificity of W1ᵀW1", {
              series: curvesSeries(c.specificity),
              x: lambdaAxis,
              y: { label: "cos(W1ᵀW1, ṼS̃Ṽᵀ) at the end", domain: [0.8, 1] },
              theoryLabel: "long-time limit (exact)",
            }),
          ],
        ],
      };
    },
    results: (d) => {
      const at = (scale: number, lambda: number) =>
        d.sweep.find((r) => r.scale === scale && r.lambda === lambda)!;
      const end = (xs: number[]) => xs[xs.length - 1];
      const rect = (f: (r: Run) => number) =>
        [-10, 0, 10].map((l) =>
          Number(f(d.rectangular.find((r) => r.lambda === l)!).toPrecision(4))
        );
      const pick = (f: (r: Run) => number) =>
        Object.fromEntries(
          p.sweep.scales.map((
            s,
          ) => [s, [-10, 0, 10].map((l) => Number(f(at(s, l)).toPrecision(4)))]),
        );
      return {
        maxRelativeLossGapGdVsExact: d.maxLossGap,
        kernelDistanceAtEndForLambdaMinus10_0_10: pick((r) => end(r.sim.kernelDistance)),
        halfLossTimeForLambdaMinus10_0_10: pick((r) => r.sim.halfLossTime),
        specificityAtEndForLambdaMinus10_0_10: pick((r) => end(r.sim.specificity)),
        rectangularKernelDistanceAtEndForLambdaMinus10_0_10: rect((r) => end(r.sim.kernelDistance)),
        rectangularHalfLossTimeForLambdaMinus10_0_10: rect((r) => r.sim.halfLossTime),
        hierarchySpecificity: Object.fromEntries(
          d.hierarchy.map((h) => [
            h.label,
            Number(taskSpecificity(splitQQt(h.qqt, 8), KINGDOM.sigmaYX).toPrecision(4)),
          ]),
        ),
      };
    },
  };
}

/** A line-chart cell of the figure (260 × 200 px unless the spec says otherwise). */
function lineCell(letter: string | undefined, title: string, spec: LinePanelSpec): FigurePanel {
  return {
    ...(letter ? { letter } : {}),
    title,
    body: linePanel({ width: 260, height: 200, ...spec }),
  };
}

const HIERARCHY_KEYS = ["small_gaussian", "large_gaussian", "lambda_-10", "lambda_0", "lambda_10"];

/** Series of the singular-value panel: W2 curves dashed. */
function seriesWithDash(curves: readonly Curve[]) {
  return curvesSeries(curves).map((s, i) => ({
    ...s,
    ...(curves[i].tags?.quantity === "W2" && s.source === "simulation" ? { dash: "5,3" } : {}),
  }));
}

if (import.meta.main) Deno.exit(await figureMain(lazyRichDefinition()));
