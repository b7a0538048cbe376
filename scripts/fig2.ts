/**
 * Paper Fig. 2 — exact learning dynamics.
 *
 * A, B: one network trained from small (A) and large (B) zero-balanced weights; columns: loss,
 * network function `W2W1`, `W1ᵀW1`, `W2W2ᵀ` and the NTK (entries over time). Gradient descent
 * (solid, coloured) against Theorem 3.1 (black dotted).
 * C: mean deviation `⟨|L̂(t) − L(t)|⟩_t` of the analytical loss from the GD loss for n random
 * networks (random architecture and data) across learning rates; it shrinks like `η¹` (GD is a
 * first-order discretisation of gradient flow); the fitted order is printed and recorded.
 * D: learning curves of five of those networks (the coloured × in C).
 *
 * Parameters the paper leaves to its Appendix H (not in our copy) are chosen here:
 * see the constants below. Run: `deno task fig2` → `out/fig2/`.
 *
 * @module
 */
import { solveExact } from "../src/exact/solve.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  lossCurve,
  matrixEntries,
  maxGap,
  simulationAndTheory,
  T_LABEL,
  timeGrid,
} from "../src/figures/curves.ts";
import {
  fittedOrder,
  type NetworkResult,
  type RandomNetworkSpec,
  runNetwork,
} from "../src/figures/fig2c.ts";
import { runJobs } from "../src/figures/jobs.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { zeroBalancedInit } from "../src/init/zero_balanced.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { ntk } from "../src/observables.ts";
import type { FigurePanel } from "../src/plot/layout.ts";
import { linePanel } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import { simulate } from "../src/train/simulate.ts";

/** Parameters of Fig. 2. */
export interface Fig2Parameters {
  /** The example network of rows A and B. */
  example: {
    ni: number;
    nh: number;
    no: number;
    /** Samples (the NTK is `(No·P) × (No·P)`). */
    p: number;
    /** Singular values of `Σyx`. */
    singularValues: number[];
    /** Init scale (std of the entries of `W2W1(0)`) of row A (small) and row B (large). */
    scales: { small: number; large: number };
    /** Horizon `T` (units of τ) of rows A and B. */
    horizons: { small: number; large: number };
    /** Learning rate of the simulations of rows A and B. */
    learningRate: number;
    /** Number of recorded times. */
    points: number;
  };
  /** Number of random networks in C. */
  networks: number;
  /** The random networks of C and D. */
  spec: RandomNetworkSpec;
  /** Networks shown in D (indices into C). */
  shown: number[];
}

/** Fig. 2 at full size (the paper's n = 50 networks, η from 0.05 to 0.0005). */
export const PARAMETERS: Fig2Parameters = {
  example: {
    ni: 3,
    nh: 3,
    no: 2,
    p: 3,
    singularValues: [3, 1.2],
    scales: { small: 0.005, large: 1.5 },
    horizons: { small: 8, large: 4 },
    learningRate: 0.005,
    points: 161,
  },
  networks: 50,
  spec: {
    widths: [2, 6],
    maxHidden: 8,
    extraSamples: 4,
    initScale: [0.02, 1],
    horizon: 15,
    gridStep: 0.1,
    learningRates: [0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 0.0005],
    curveRate: 0.005,
  },
  shown: [0, 1, 2, 3, 4],
};

/** Base seed of every random stream of Fig. 2. */
export const SEED = 2022;

/** The curves of one row (A or B): loss, network function, W1ᵀW1, W2W2ᵀ, NTK. */
export interface ExampleRow {
  /** Exact form used. */
  method: string;
  /** Loss. */
  loss: Curve[];
  /** `W2W1` entries. */
  networkFunction: Curve[];
  /** `W1ᵀW1` entries (upper triangle). */
  w1tw1: Curve[];
  /** `W2W2ᵀ` entries (upper triangle). */
  w2w2t: Curve[];
  /** NTK entries (upper triangle). */
  ntk: Curve[];
  /** Largest `|simulation − theory|` over all curves of the row (GD vs gradient flow). */
  maxGap: number;
}

/** Computed data of Fig. 2. */
export interface Fig2Data {
  /** Row A (small init). */
  small: ExampleRow;
  /** Row B (large init). */
  large: ExampleRow;
  /** Per-network results of C. */
  networks: NetworkResult[];
  /** Learning rates of C. */
  learningRates: number[];
  /** Fitted order of the deviation in η: median over networks and pooled. */
  order: { median: number; pooled: number; min: number; max: number };
  /** Networks shown in D. */
  shown: number[];
  /** Learning rate of D. */
  curveRate: number;
}

/** Rows A/B: the example network from `scale`, simulated and solved exactly. */
export function exampleRow(
  p: Fig2Parameters["example"],
  scale: number,
  horizon: number,
  seed: number,
): ExampleRow {
  const rng = new Random(seed);
  const task = randomTask(rng, { ni: p.ni, no: p.no, p: p.p, singularValues: p.singularValues });
  const init = zeroBalancedInit(rng, { ni: p.ni, nh: p.nh, no: p.no, scale, task });
  const times = timeGrid(horizon, p.points);
  const sim = simulate(task, init, { learningRate: p.learningRate, times });
  const theory = solveExact(f64Backend, task, init, times);
  const x = task.X!;
  const row = {
    method: theory.method,
    loss: [lossCurve(sim, "loss", "simulation"), lossCurve(theory, "loss", "theory")],
    networkFunction: simulationAndTheory(
      sim,
      theory,
      (s) => s.w2w1,
      matrixEntries(p.no, p.ni),
      (i, j) => `W2W1[${i + 1},${j + 1}]`,
    ),
    w1tw1: simulationAndTheory(
      sim,
      theory,
      (s) => s.w1tw1,
      matrixEntries(p.ni, p.ni, true),
      (i, j) => `W1ᵀW1[${i + 1},${j + 1}]`,
    ),
    w2w2t: simulationAndTheory(
      sim,
      theory,
      (s) => s.w2w2t,
      matrixEntries(p.no, p.no, true),
      (i, j) => `W2W2ᵀ[${i + 1},${j + 1}]`,
    ),
    ntk: simulationAndTheory(
      sim,
      theory,
      (s) => ntk(s, x),
      matrixEntries(p.no * p.p, p.no * p.p, true),
      (i, j) => `NTK[${i + 1},${j + 1}]`,
    ),
  };
  const all = [...row.loss, ...row.networkFunction, ...row.w1tw1, ...row.w2w2t, ...row.ntk];
  return { ...row, maxGap: maxGap(all) };
}

/**
 * Computes Fig. 2's data. Networks of C run on a worker pool (`workers > 0`) or in this thread.
 */
export async function computeFig2(
  params: Fig2Parameters,
  options: { workers?: number; quiet?: boolean } = {},
): Promise<Fig2Data> {
  const ex = params.example;
  const small = exampleRow(ex, ex.scales.small, ex.horizons.small, deriveSeed(SEED, 0));
  const large = exampleRow(ex, ex.scales.large, ex.horizons.large, deriveSeed(SEED, 0));
  const jobs = Array.from(
    { length: params.networks },
    (_, index) => ({ index, seed: deriveSeed(SEED, 1000 + index), spec: params.spec }),
  );
  const networks = await runJobs(
    new URL("../src/figures/workers/fig2c_worker.ts", import.meta.url),
    runNetwork,
    jobs,
    { label: "fig2C networks", ...options },
  );
  const rates = params.spec.learningRates;
  const orders = networks.map((n) => fittedOrder(rates, n.deviation)).sort((a, b) => a - b);
  const pooled = fittedOrder(
    networks.flatMap(() => rates),
    networks.flatMap((n) => n.deviation.map((d) => d / n.deviation[rates.length - 1])),
  );
  return {
    small,
    large,
    networks,
    learningRates: rates,
    order: {
      median: orders[Math.floor(orders.length / 2)],
      pooled,
      min: orders[0],
      max: orders[orders.length - 1],
    },
    shown: params.shown.filter((i) => i < networks.length),
    curveRate: params.spec.curveRate,
  };
}

function rowPanels(row: ExampleRow, letter: string, title: string): FigurePanel[] {
  const w = 205, h = 165;
  const entryPanel = (curves: Curve[], y: string, simulation = "simulation (colour = entry)") =>
    linePanel({
      series: curvesSeries(curves),
      x: { label: T_LABEL },
      y: { label: y },
      width: w,
      height: h,
      hideSeriesLegend: true,
      simulationLabel: simulation,
    });
  return [
    { letter, title: `${title}: loss`, body: entryPanel(row.loss, "loss L", "simulation") },
    { title: "network function W2W1", body: entryPanel(row.networkFunction, "entry of W2W1") },
    { title: "input weights W1ᵀW1", body: entryPanel(row.w1tw1, "entry of W1ᵀW1") },
    { title: "output weights W2W2ᵀ", body: entryPanel(row.w2w2t, "entry of W2W2ᵀ") },
    { title: "NTK", body: entryPanel(row.ntk, "entry of the NTK") },
  ];
}

function deviationCurves(d: Fig2Data): Curve[] {
  return d.networks.map((n) => ({
    series: `network`,
    source: "simulation" as const,
    x: d.learningRates,
    y: n.deviation,
    color: "#9db4cc",
    tags: { network: n.index, ni: n.ni, nh: n.nh, no: n.no },
  }));
}

function shownCurves(d: Fig2Data): Curve[] {
  return d.shown.flatMap((i, k) => {
    const n = d.networks[i];
    const name = `network ${i + 1} (${n.ni}-${n.nh}-${n.no})`;
    return [
      {
        series: name,
        source: "simulation" as const,
        x: n.t,
        y: n.lossSimulation,
        color: paletteColor(k),
      },
      { series: name, source: "theory" as const, x: n.t, y: n.lossTheory },
    ];
  });
}

/** Fig. 2 definition for the runner. */
export function fig2Definition(
  params: Fig2Parameters = PARAMETERS,
  workers = navigator.hardwareConcurrency,
): FigureDefinition<Fig2Parameters, Fig2Data> {
  return {
    name: "fig2",
    description: "Paper Fig. 2: exact learning dynamics (Theorem 3.1 vs gradient descent); " +
      "A small and B large initial weights; C deviation of analytical from numerical loss " +
      "across learning rates for random networks; D five learning curves.",
    parameters: params,
    seeds: { base: SEED, example: deriveSeed(SEED, 0), networks: deriveSeed(SEED, 1000) },
    compute: (p, ctx) => computeFig2(p, { workers, quiet: ctx.quiet }),
    tables: (d) => [
      curvesTable("A", [
        ...d.small.loss,
        ...d.small.networkFunction,
        ...d.small.w1tw1,
        ...d.small.w2w2t,
        ...d.small.ntk,
      ]),
      curvesTable("B", [
        ...d.large.loss,
        ...d.large.networkFunction,
        ...d.large.w1tw1,
        ...d.large.w2w2t,
        ...d.large.ntk,
      ]),
      curvesTable(
        "C",
        deviationCurves(d).map((c) => ({ ...c, series: "mean |L_analytical - L_simulation|" })),
        "eta",
      ),
      curvesTable("D", shownCurves(d)),
    ],
    layout: (d) => {
      const markers = d.shown.map((i, k) => ({
        x: d.curveRate,
        y: d.networks[i].deviation[d.learningRates.indexOf(d.curveRate)],
        color: paletteColor(k),
      }));
      const r = d.learningRates;
      const ref = d.networks.map((n) => n.deviation[r.length - 1] / r[r.length - 1]).sort((a, b) =>
        a - b
      );
      const c0 = ref[Math.floor(ref.length / 2)];
      const c = linePanel({
        series: [
          ...curvesSeries(deviationCurves(d)),
          {
            name: "slope 1 (order 1)",
            source: "simulation",
            color: "black",
            dash: "5,3",
            points: r.map((x) => ({ x, y: c0 * x * 3 })),
          },
        ],
        x: { label: "learning rate η", type: "log" },
        y: { label: "mean |L̂ − L| over t", type: "log" },
        markers,
        markerLabel: "networks of D (same colours)",
        width: 330,
        height: 230,
      });
      const dPanel = linePanel({
        series: curvesSeries(shownCurves(d)),
        x: { label: T_LABEL },
        y: { label: "loss L", type: "log" },
        width: 420,
        height: 230,
      });
      return {
        rows: [
          rowPanels(d.small, "A", "small init"),
          rowPanels(d.large, "B", "large init"),
          [
            {
              letter: "C",
              title: `deviation vs η, n = ${d.networks.length} (fitted order ${
                d.order.median.toFixed(2)
              })`,
              body: c,
            },
            { letter: "D", title: `learning curves at η = ${d.curveRate}`, body: dPanel },
          ],
        ],
      };
    },
    results: (d) => ({
      fittedOrderMedian: Number(d.order.median.toFixed(4)),
      fittedOrderPooled: Number(d.order.pooled.toFixed(4)),
      fittedOrderRange: [Number(d.order.min.toFixed(4)), Number(d.order.max.toFixed(4))],
      exactMethods: [
        ...new Set([d.small.method, d.large.method, ...d.networks.map((n) => n.method)]),
      ],
      maxGapRowA: d.small.maxGap,
      maxGapRowB: d.large.maxGap,
    }),
  };
}

if (import.meta.main) Deno.exit(await figureMain(fig2Definition()));
