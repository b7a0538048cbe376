/**
 * Paper Fig. 1 — learning with prior knowledge.
 *
 * A: the two-layer linear network (schematic). B–D: network output `ŷ = W2W1 x` for each
 * input of an example task over training, from B small random, C large random and D previously
 * learned weights. All three initialisations are zero-balanced so that the exact solution
 * (Theorem 3.1, black dotted) applies; gradient descent is solid and coloured.
 * The previously learned weights are the rich global minimum of another task
 * (`W2W1 = Σyx_prior`, zero-balanced), drawn so that `B` is regular.
 *
 * Run: `deno task fig1` → `out/fig1/`.
 *
 * @module
 */
import { solveExact } from "../src/exact/solve.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  matrixEntries,
  simulationAndTheory,
  T_LABEL,
  timeGrid,
} from "../src/figures/curves.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { networkSchematic } from "../src/figures/schematic.ts";
import type { Weights } from "../src/init/weights.ts";
import {
  MAX_CONDITION_B,
  overlapB,
  zeroBalancedFromProduct,
  zeroBalancedInit,
} from "../src/init/zero_balanced.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { conditionNumber } from "../src/linalg/svd.ts";
import { networkFunction } from "../src/observables.ts";
import { linePanel } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import type { Task } from "../src/task.ts";
import { simulate } from "../src/train/simulate.ts";
import { AssumptionError } from "../src/errors.ts";

/** Parameters of Fig. 1. */
export const PARAMETERS = {
  ni: 3,
  nh: 4,
  no: 3,
  /** Singular values of the example task's `Σyx` (and of the previously learned task). */
  singularValues: [3, 2, 1],
  /** Init scales: std of the entries of `W2W1(0)`. */
  scales: { small: 0.01, large: 1.5 },
  /** Horizons (units of τ) of panels B, C, D. */
  horizons: { small: 6, large: 3, prior: 3 },
  learningRate: 0.005,
  points: 121,
};

/** Base seed. */
export const SEED = 1;

/** One panel's curves and the exact form used. */
export interface OutputPanel {
  curves: Curve[];
  method: string;
}

/** Data of Fig. 1. */
export interface Fig1Data {
  small: OutputPanel;
  large: OutputPanel;
  prior: OutputPanel;
}

/**
 * Zero-balanced weights at the global minimum of `prior` (network function `Σyx_prior`) whose `B`
 * for `task` is regular: the draw of the prior task is repeated until `cond(B) ≤ 100`.
 * @throws {AssumptionError} when 100 draws fail
 */
function learnedWeights(rng: Random, task: Task, p: typeof PARAMETERS): Weights {
  for (let k = 0; k < 100; k++) {
    const prior = randomTask(rng, { ni: p.ni, no: p.no, singularValues: p.singularValues });
    const w = zeroBalancedFromProduct(prior.sigmaYX, rng.orthonormal(p.nh, Math.min(p.ni, p.no)));
    if (conditionNumber(overlapB(prior.sigmaYX, task.sigmaYX)) <= MAX_CONDITION_B) return w;
  }
  throw new AssumptionError(
    "3.1 B non-singular",
    Infinity,
    MAX_CONDITION_B,
    "cond(B) of 100 prior tasks",
  );
}

function outputPanel(
  task: Task,
  init: Weights,
  horizon: number,
  p: typeof PARAMETERS,
): OutputPanel {
  const times = timeGrid(horizon, p.points);
  const sim = simulate(task, init, { learningRate: p.learningRate, times });
  const theory = solveExact(f64Backend, task, init, times);
  const x = task.X!;
  const entries = matrixEntries(p.no, x.cols);
  const label = (i: number, j: number) => `output ${i + 1}, input ${j + 1}`;
  const colors = entries.map(([i]) => paletteColor(i));
  return {
    method: theory.method,
    curves: simulationAndTheory(sim, theory, (s) => networkFunction(s, x), entries, label, colors),
  };
}

/** Computes Fig. 1's data. */
export function computeFig1(p: typeof PARAMETERS): Fig1Data {
  const rng = new Random(deriveSeed(SEED, 0));
  const task = randomTask(rng, { ni: p.ni, no: p.no, singularValues: p.singularValues });
  const dims = { ni: p.ni, nh: p.nh, no: p.no };
  return {
    small: outputPanel(
      task,
      zeroBalancedInit(rng, { ...dims, scale: p.scales.small, task }),
      p.horizons.small,
      p,
    ),
    large: outputPanel(
      task,
      zeroBalancedInit(rng, { ...dims, scale: p.scales.large, task }),
      p.horizons.large,
      p,
    ),
    prior: outputPanel(task, learnedWeights(rng, task, p), p.horizons.prior, p),
  };
}

function outputBody(panel: OutputPanel) {
  return linePanel({
    series: curvesSeries(panel.curves),
    x: { label: T_LABEL },
    y: { label: "network output ŷ" },
    width: 260,
    height: 200,
    hideSeriesLegend: true,
    simulationLabel: "simulation (colour = output unit)",
  });
}

/** Fig. 1 definition for the runner. */
export function fig1Definition(): FigureDefinition<typeof PARAMETERS, Fig1Data> {
  return {
    name: "fig1",
    description: "Paper Fig. 1: network output over training from B small random, C large random " +
      "and D previously learned zero-balanced weights; simulation vs Theorem 3.1.",
    parameters: PARAMETERS,
    seeds: { base: SEED, stream: deriveSeed(SEED, 0) },
    compute: (p) => computeFig1(p),
    tables: (
      d,
    ) => [
      curvesTable("B", d.small.curves),
      curvesTable("C", d.large.curves),
      curvesTable("D", d.prior.curves),
    ],
    layout: (d) => ({
      rows: [[
        {
          letter: "A",
          title: "two-layer linear network",
          body: networkSchematic(PARAMETERS.ni, PARAMETERS.nh, PARAMETERS.no, 210, 240),
        },
        { letter: "B", title: "small random weights", body: outputBody(d.small) },
        { letter: "C", title: "large random weights", body: outputBody(d.large) },
        { letter: "D", title: "previously learned weights", body: outputBody(d.prior) },
      ]],
    }),
    results: (d) => ({ exactMethods: [d.small.method, d.large.method, d.prior.method] }),
  };
}

if (import.meta.main) Deno.exit(await figureMain(fig1Definition()));
