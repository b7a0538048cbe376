/**
 * Paper Fig. 6 — reversal learning and revising structured knowledge.
 *
 * A: a 2×2 network that has learned `Σyx` (zero-balanced, at the global minimum) is trained on
 * the task with its second mode reversed. `B` is singular, so Theorem 3.1 does not apply and
 * `auto` uses the stable B-free form (f64; the manifest records the form used): gradient flow
 * goes to the saddle and stays (black dotted). Gradient descent (solid) starts from the same weights
 * plus a tiny seeded perturbation (`perturbation` below, "any noise") and escapes after a slow
 * phase. B: a shallow network on the same reversal converges (simulation and `W(t)` formula).
 * C: revised living kingdom (the two fish swapped) and colour hierarchy (targets `Y`).
 * D: their task RSMs. E–F (top: revised kingdom after learning the living kingdom from small
 * weights; bottom: colour hierarchy after learning it from large weights): loss, and the
 * network function projected on the new task's modes `ũₖᵀW2W1ṽₖ`. The analytical second stage
 * starts at the exact minimum of the first (Theorem 3.2) and gets stuck for the revised
 * kingdom; the simulation continues from its own end state and escapes.
 * G: MDS of the network function (items) during the first stage from small (top) and large
 * (bottom) weights; H: during the second stage.
 *
 * Run: `deno task fig6` → `out/fig6/`.
 *
 * @module
 */
import { reverseModes } from "../src/exact/reversal.ts";
import { solveExact } from "../src/exact/solve.ts";
import { shallowSolution } from "../src/exact/shallow.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  lossCurve,
  lossValue,
  matrixEntries,
  simulationAndTheory,
  T_LABEL,
  timeGrid,
} from "../src/figures/curves.ts";
import { inModeBasis, matricesTable, taskStructure } from "../src/figures/matrices.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { continueFrom } from "../src/init/continue.ts";
import type { Weights } from "../src/init/weights.ts";
import { zeroBalancedFromProduct, zeroBalancedInit } from "../src/init/zero_balanced.ts";
import { add } from "../src/linalg/blas.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { Matrix } from "../src/matrix.ts";
import { classicalMds, networkFunction } from "../src/observables.ts";
import type { FigurePanel } from "../src/plot/layout.ts";
import { heatmapPanel, linePanel } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
import { deriveSeed, Random } from "../src/random.ts";
import type { Task } from "../src/task.ts";
import {
  colourHierarchyTask,
  type HierarchyTask,
  ITEMS,
  livingKingdomTask,
  revisedKingdomTask,
} from "../src/tasks/hierarchy.ts";
import { taskFromCorrelation } from "../src/tasks/whiten.ts";
import type { Trajectory } from "../src/trajectory.ts";
import { simulate, simulateShallow } from "../src/train/simulate.ts";

/** Parameters of Fig. 6. */
export const PARAMETERS = {
  reversal: {
    sigmaYX: [[2, 0.4], [0.3, 1]],
    /** Zero-based mode reversed (the weaker one). */
    mode: 1,
    nh: 2,
    /** Std of the Gaussian perturbation added to the simulation's initial weights. */
    perturbation: 1e-4,
    horizon: 14,
    shallowHorizon: 6,
    learningRate: 0.01,
    points: 141,
  },
  hierarchy: {
    nh: 16,
    /** First stage from small (top row) and large (bottom row) zero-balanced weights. */
    scales: { small: 1e-3, large: 1.5 },
    horizons: { small: 12, large: 6, second: 20 },
    learningRate: 0.01,
    /** Recorded times per stage (simulation) and evaluated times per stage (theory). */
    points: 121,
    theoryPoints: 61,
    /** Snapshots per stage used for the MDS. */
    mdsSnapshots: 25,
  },
};

/** Base seed. */
export const SEED = 6;

/** One row (top or bottom) of E–H. */
export interface RevisionRow {
  name: string;
  loss: Curve[];
  modes: Curve[];
  /** MDS trajectories of the items (simulation) and their times, first and second stage. */
  mdsFirst: { curves: Curve[]; times: number[] };
  mdsSecond: { curves: Curve[]; times: number[] };
  /** End of the first stage (the stage boundary on the time axis). */
  boundary: number;
  /** Final loss on the new task: simulation, analytical. */
  finalLoss: { simulation: number; analytical: number };
  /** Exact form of the second stage. */
  method: string;
}

/** Data of Fig. 6. */
export interface Fig6Data {
  reversal: Curve[];
  reversalLoss: { simulation: number; analytical: number };
  reversalMethod: string;
  shallow: Curve[];
  tasks: { name: string; y: Matrix; rsmIn: Matrix; rsmOut: Matrix; features: readonly string[] }[];
  top: RevisionRow;
  bottom: RevisionRow;
}

function perturbed(rng: Random, w: Weights, sd: number): Weights {
  const noisy = (m: Matrix) => add(m, rng.gaussianMatrix(m.rows, m.cols, sd));
  return { w1: noisy(w.w1), w2: noisy(w.w2) };
}

/** The last loss of a simulation and of its exact solution (as reported: {@link lossValue}). */
function finalLosses(
  sim: Trajectory,
  theory: Trajectory,
): { simulation: number; analytical: number } {
  return {
    simulation: lossValue(sim.loss[sim.loss.length - 1]),
    analytical: lossValue(theory.loss[theory.loss.length - 1]),
  };
}

function shifted(c: Curve, dt: number): Curve {
  return { ...c, x: c.x.map((x) => x + dt) };
}

/** `ũₖᵀ M ṽₖ` for every tree mode `k` of `task`, along a trajectory. */
function modeCurves(
  traj: Trajectory,
  task: HierarchyTask,
  source: Curve["source"],
  dt: number,
): Curve[] {
  const { u, v } = task.modes;
  const proj = traj.states.map((s) => inModeBasis(u, v, s.w2w1));
  return Array.from({ length: u.cols }, (_, k) => ({
    series: `mode ${k + 1}`,
    source,
    x: traj.times.map((t) => t + dt),
    y: proj.map((m) => m.get(k, k)),
    ...(source === "simulation" ? { color: paletteColor(k) } : {}),
  }));
}

/**
 * MDS of the items' outputs over a trajectory (one joint embedding, a curve per item: `x` the
 * first MDS coordinate, `y` the second) and the time `t/τ + dt` of each snapshot.
 */
function mdsCurves(
  traj: Trajectory,
  task: Task,
  snapshots: number,
  dt: number,
): { curves: Curve[]; times: number[] } {
  const stride = Math.max(1, Math.floor(traj.states.length / snapshots));
  const kept = (_: unknown, i: number) => i % stride === 0 || i === traj.states.length - 1;
  const picks = traj.states.filter(kept);
  const times = traj.times.filter(kept).map((t) => t / traj.tau + dt);
  const x = task.X!;
  const outs = picks.map((s) => networkFunction(s, x)); // 8 features × 8 items each
  const p = x.cols, d = outs[0].rows;
  const all = Matrix.fromFunction(
    d,
    p * outs.length,
    (i, j) => outs[Math.floor(j / p)].get(i, j % p),
  );
  const coords = classicalMds(all, 2);
  const curves = ITEMS.map((name, item) => ({
    series: name,
    source: "simulation" as const,
    x: outs.map((_, k) => coords.get(k * p + item, 0)),
    y: outs.map((_, k) => coords.get(k * p + item, 1)),
    color: paletteColor(item),
  }));
  return { curves, times };
}

/** An MDS panel's tidy table: `panel, row, item, t, mds1, mds2`, one row per item and time. */
function mdsTable(panel: string, rows: [string, { curves: Curve[]; times: number[] }][]) {
  return {
    panel,
    rows: rows.flatMap(([row, m]) =>
      m.curves.flatMap((c) =>
        m.times.map((t, k) => ({ panel, row, item: c.series, t, mds1: c.x[k], mds2: c.y[k] }))
      )
    ),
  };
}

export function revisionRow(
  name: string,
  second: HierarchyTask,
  scale: number,
  firstHorizon: number,
  p: typeof PARAMETERS.hierarchy,
  rng: Random,
): RevisionRow {
  const living = livingKingdomTask();
  const init = zeroBalancedInit(rng, { ni: 8, nh: p.nh, no: 8, scale, task: living });
  const simTimes1 = timeGrid(firstHorizon, p.points),
    simTimes2 = timeGrid(p.horizons.second, p.points);
  const sim1 = simulate(living, init, { learningRate: p.learningRate, times: simTimes1 });
  const sim2 = simulate(second, continueFrom(sim1), {
    learningRate: p.learningRate,
    times: simTimes2,
  });
  const th1 = solveExact(f64Backend, living, init, timeGrid(firstHorizon, p.theoryPoints));
  // Analytically the first stage ends at its global minimum W2W1 = Σyx (Theorem 3.2).
  const learned = zeroBalancedFromProduct(living.sigmaYX, rng.orthonormal(p.nh, 8));
  const th2 = solveExact(f64Backend, second, learned, timeGrid(p.horizons.second, p.theoryPoints));
  const label = `loss on ${second.name}`;
  const firstLabel = "loss on living kingdom";
  return {
    name,
    loss: [
      { ...lossCurve(sim1, firstLabel, "simulation"), color: "#9c755f" },
      lossCurve(th1, firstLabel, "theory"),
      { ...shifted(lossCurve(sim2, label, "simulation"), firstHorizon), color: "#59a14f" },
      shifted(lossCurve(th2, label, "theory"), firstHorizon),
    ],
    modes: [
      ...modeCurves(sim1, second, "simulation", 0),
      ...modeCurves(sim2, second, "simulation", firstHorizon),
      ...modeCurves(th1, second, "theory", 0),
      ...modeCurves(th2, second, "theory", firstHorizon),
    ],
    mdsFirst: mdsCurves(sim1, living, p.mdsSnapshots, 0),
    mdsSecond: mdsCurves(sim2, second, p.mdsSnapshots, firstHorizon),
    boundary: firstHorizon,
    finalLoss: finalLosses(sim2, th2),
    method: th2.method,
  };
}

/** Panels A and B: reversal learning in a deep (exact B-free vs GD) and a shallow network. */
export function reversalPanels(
  r: typeof PARAMETERS.reversal,
  rng: Random,
): Pick<Fig6Data, "reversal" | "reversalLoss" | "reversalMethod" | "shallow"> {
  const task = taskFromCorrelation(Matrix.from(r.sigmaYX), "2×2 task");
  const reversed = reverseModes(f64Backend, task, [r.mode]).task;
  const learned = zeroBalancedFromProduct(task.sigmaYX, rng.orthonormal(r.nh, 2));
  const times = timeGrid(r.horizon, r.points);
  const sim = simulate(reversed, perturbed(rng, learned, r.perturbation), {
    learningRate: r.learningRate,
    times,
  });
  const theory = solveExact(f64Backend, reversed, learned, times);
  const label = (i: number, j: number) => `W2W1[${i + 1},${j + 1}]`;
  const entries = matrixEntries(2, 2);
  const colors = entries.map((_, k) => paletteColor(k));
  const shallowTimes = timeGrid(r.shallowHorizon, r.points);
  const sSim = simulateShallow(reversed, task.sigmaYX, {
    learningRate: r.learningRate,
    times: shallowTimes,
  });
  const sTh = shallowSolution(reversed, task.sigmaYX, shallowTimes);
  const shallowCurves = (w: Matrix[], source: Curve["source"]): Curve[] =>
    entries.map(([i, j], k) => ({
      series: `W[${i + 1},${j + 1}]`,
      source,
      x: shallowTimes,
      y: w.map((m) => m.get(i, j)),
      ...(source === "simulation" ? { color: colors[k] } : {}),
    }));
  return {
    reversal: simulationAndTheory(sim, theory, (s) => s.w2w1, entries, label, colors),
    reversalLoss: finalLosses(sim, theory),
    reversalMethod: theory.method,
    shallow: [...shallowCurves(sSim.w, "simulation"), ...shallowCurves(sTh.w, "theory")],
  };
}

/** Computes Fig. 6's data. */
export function computeFig6(p: typeof PARAMETERS): Fig6Data {
  const rng = new Random(deriveSeed(SEED, 0));
  const rev = reversalPanels(p.reversal, rng);
  const h = p.hierarchy;
  const revised = revisedKingdomTask(), colour = colourHierarchyTask();
  return {
    ...rev,
    tasks: [revised, colour].map((t) => {
      const s = taskStructure(t.sigmaYX, t.modes);
      return { name: t.name!, y: t.Y!, rsmIn: s.rsmIn, rsmOut: s.rsmOut, features: t.featureNames };
    }),
    top: revisionRow("revised kingdom", revised, h.scales.small, h.horizons.small, h, rng),
    bottom: revisionRow("colour hierarchy", colour, h.scales.large, h.horizons.large, h, rng),
  };
}

function rowPanels(row: RevisionRow, top: boolean): FigurePanel[] {
  const boundary = [{ x: row.boundary, color: "#999", dash: "3,3", label: "task switch" }];
  const mds = ({ curves }: { curves: Curve[] }) =>
    linePanel({
      series: curvesSeries(curves),
      x: { label: "MDS 1" },
      y: { label: "MDS 2" },
      width: 230,
      height: 200,
      hideSeriesLegend: !top,
      // End points as rings, large for the first item of each pair (canary, salmon, daisy,
      // oak) and small for the second: the pairs a task does not tell apart end at one place
      // and show as two concentric rings, so all eight items stay visible.
      markers: curves.map((c, k) => ({
        x: c.x[c.x.length - 1],
        y: c.y[c.y.length - 1],
        color: c.color!,
        symbol: "circle",
        size: k % 2 === 0 ? 7.5 : 3.8,
      })),
      markerLabel: "end (pairs: big/small ring)",
    });
  return [
    {
      letter: top ? "E" : undefined,
      title: `loss: ${row.name}`,
      body: linePanel({
        series: curvesSeries(row.loss),
        x: { label: T_LABEL },
        y: { label: "loss L" },
        rules: boundary,
        width: 260,
        height: 200,
      }),
    },
    {
      letter: top ? "F" : undefined,
      title: `network function on the new task's modes`,
      body: linePanel({
        series: curvesSeries(row.modes),
        x: { label: T_LABEL },
        y: { label: "ũₖᵀ W2W1 ṽₖ" },
        rules: boundary,
        width: 260,
        height: 200,
        hideSeriesLegend: true,
        simulationLabel: "simulation (colour = mode)",
      }),
    },
    {
      letter: top ? "G" : undefined,
      title: top ? "MDS, first stage (small init)" : "MDS, first stage (large init)",
      body: mds(row.mdsFirst),
    },
    {
      letter: top ? "H" : undefined,
      title: `MDS, second stage (${row.name})`,
      body: mds(row.mdsSecond),
    },
  ];
}

const tagged = (curves: Curve[], row: string) => curves.map((c) => ({ ...c, tags: { row } }));

/** Fig. 6 definition for the runner. */
export function fig6Definition(): FigureDefinition<typeof PARAMETERS, Fig6Data> {
  return {
    name: "fig6",
    description: "Paper Fig. 6: reversal learning (exact B-free solution stuck at the saddle, GD " +
      "escapes), shallow reversal, revising structured knowledge (revised living kingdom, " +
      "colour hierarchy) with losses, mode dynamics and MDS of the network function.",
    parameters: PARAMETERS,
    seeds: { base: SEED, stream: deriveSeed(SEED, 0) },
    compute: (p) => computeFig6(p),
    tables: (d) => {
      const key = (name: string) => name.replace(" ", "_");
      return [
        curvesTable("A", d.reversal),
        curvesTable("B", d.shallow),
        matricesTable("C", Object.fromEntries(d.tasks.map((t) => [`Y_${key(t.name)}`, t.y]))),
        matricesTable(
          "D",
          Object.fromEntries(
            d.tasks.flatMap((
              t,
            ) => [[`rsm_input_${key(t.name)}`, t.rsmIn], [`rsm_output_${key(t.name)}`, t.rsmOut]]),
          ),
        ),
        curvesTable("E", [...tagged(d.top.loss, "top"), ...tagged(d.bottom.loss, "bottom")]),
        curvesTable("F", [...tagged(d.top.modes, "top"), ...tagged(d.bottom.modes, "bottom")]),
        mdsTable("G", [["top", d.top.mdsFirst], ["bottom", d.bottom.mdsFirst]]),
        mdsTable("H", [["top", d.top.mdsSecond], ["bottom", d.bottom.mdsSecond]]),
      ];
    },
    layout: (d) => ({
      rows: [
        [
          {
            letter: "A",
            title: "reversal learning (deep linear network)",
            body: linePanel({
              series: curvesSeries(d.reversal),
              x: { label: T_LABEL },
              y: { label: "entry of W2W1" },
              width: 330,
              height: 210,
            }),
          },
          {
            letter: "B",
            title: "reversal learning (shallow network)",
            body: linePanel({
              series: curvesSeries(d.shallow),
              x: { label: T_LABEL },
              y: { label: "entry of W" },
              width: 330,
              height: 210,
            }),
          },
          ...d.tasks.map((t, k) => ({
            ...(k === 0 ? { letter: "C" } : {}),
            title: t.name,
            body: heatmapPanel({
              matrix: t.y.toArray(),
              size: 120,
              rowLabels: t.features,
              colLabels: ITEMS,
              label: "feature value",
            }),
          })),
        ],
        d.tasks.flatMap((t, k) => {
          const short = t.name.split(" ")[0];
          return [
            {
              ...(k === 0 ? { letter: "D" } : {}),
              title: `ṼS̃Ṽᵀ (${short})`,
              body: heatmapPanel({ matrix: t.rsmIn.toArray(), size: 130, label: "similarity" }),
            },
            {
              title: `ŨS̃Ũᵀ (${short})`,
              body: heatmapPanel({ matrix: t.rsmOut.toArray(), size: 130, label: "similarity" }),
            },
          ];
        }),
        rowPanels(d.top, true),
        rowPanels(d.bottom, false),
      ],
    }),
    results: (d) => ({
      reversalFinalLoss: d.reversalLoss,
      reversalExactForm: d.reversalMethod,
      revisedKingdomFinalLoss: d.top.finalLoss,
      revisedKingdomExactForm: d.top.method,
      colourHierarchyFinalLoss: d.bottom.finalLoss,
    }),
  };
}

if (import.meta.main) Deno.exit(await figureMain(fig6Definition()));
