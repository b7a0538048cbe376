/**
 * What the explorer shows for a problem, computed with the library: gradient descent
 * (`simulate`) and the exact solution (`solveExact`, method `auto`) on one time axis, the curves
 * of every panel (loss, `W2W1` entries, singular values of `W2W1`, NTK kernel distance), the
 * `QQᵀ` blocks behind the heatmaps, and the trajectory as tidy CSV. Plain data throughout, so a
 * Web Worker can compute a view and post it to the page.
 *
 * @module
 */
import { DlnError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { singularValuesOfEach } from "../linalg/svd.ts";
import { f64Backend } from "../linalg/f64.ts";
import { simulate } from "../train/simulate.ts";
import { solveExact } from "../exact/solve.ts";
import { inputRsm, outputRsm } from "../observables.ts";
import { kernelDistanceOverTime } from "../lazy_rich.ts";
import { toCsv } from "../io/csv.ts";
import type { QQtBlocks, Trajectory } from "../trajectory.ts";
import { type Curve, entryCurves, lossCurve, matrixEntries, T_LABEL } from "../figures/curves.ts";
import { paletteColor } from "../plot/style.ts";
import type { ExplorerProblem } from "./problem.ts";

/** At most this many entries of `W2W1` are drawn as curves (all of them up to 8×8). */
export const MAX_ENTRY_CURVES = 64;

/** One line chart of the explorer. */
export interface ViewPanel {
  /** Stable identifier (`loss`, `w2w1`, `sv`, `ntk`), also the CSV's `panel` column. */
  id: string;
  /** Title. */
  title: string;
  /** Vertical axis label. */
  yLabel: string;
  /** Simulation (solid, coloured) and analytical (black dotted) curves against `t/τ`. */
  curves: Curve[];
  /** What the panel leaves out, if anything. */
  note?: string;
}

/** The exact solution's verdict: the form used and why, or why none applies. */
export type ExactStatus =
  | {
    ok: true;
    method: string;
    reason: string;
    warnings: string[];
    /** λ of the weights (0: zero-balanced). */
    lambda: number;
    /** Largest estimated relative error over the times. */
    errorEstimate: number;
  }
  | { ok: false; error: string };

/** Everything the page draws. */
export interface ExplorerView {
  /** Horizontal axis label of every chart. */
  xLabel: string;
  /** Line charts. */
  panels: ViewPanel[];
  /** Times `t` each source reached (GD reports `k·η·τ`, the nearest step to each requested `t`). */
  times: { simulation: number[]; analytical: number[] };
  /** `QQᵀ` blocks at each time, per source (no `analytical` when no exact form applies). */
  states: { simulation: QQtBlocks[]; analytical?: QQtBlocks[] };
  /** The exact solution's method and reason, or its error. */
  exact: ExactStatus;
  /** Gradient descent: steps run. */
  gd: { steps: number; learningRate: number };
}

/** Progress of a view's computation: a fraction in [0, 1] and the stage's name. */
export type Progress = (fraction: number, stage: string) => void;

function curvesOf(
  traj: Trajectory,
  source: Curve["source"],
  values: (s: QQtBlocks, i: number) => number[],
  label: (k: number) => string,
): Curve[] {
  const rows = traj.states.map(values);
  const x = traj.times.map((t) => t / traj.tau); // one time axis shared by the curves
  return rows[0].map((_, k) => ({
    series: label(k),
    source,
    x,
    y: rows.map((r) => r[k]),
    ...(source === "simulation" ? { color: paletteColor(k) } : {}),
  }));
}

/**
 * Gradient descent recorded at `times` (increasing), run in `parts` consecutive pieces with
 * `progress` reported after each: a piece starts from the last recorded weights of the one
 * before at that step (`startStep`), so it takes the same steps on the same numbers as one run
 * and gives the same trajectory, bit for bit. Each time `t` is recorded at step
 * `round(t/(ητ))` (the `simulate` contract, DESIGN.md).
 */
function simulateInParts(
  problem: ExplorerProblem,
  parts: number,
  progress: (fraction: number) => void,
): Trajectory {
  const { task, state, times } = problem;
  const eta = state.eta, tau = state.tau;
  const options = { learningRate: eta, tau };
  if (parts <= 1) return simulate(task, problem.gdInit, { ...options, times });
  const steps = times.map((t) => Math.round(t / (eta * tau)));
  const out: Trajectory = { method: "simulate", tau, times: [], states: [], loss: [], weights: [] };
  let weights = problem.gdInit, start = 0;
  for (let p = 0; p < parts; p++) {
    const from = Math.floor((p * times.length) / parts);
    const to = Math.floor(((p + 1) * times.length) / parts);
    if (to === from) continue;
    const r = simulate(task, weights, {
      ...options,
      startStep: start,
      times: steps.slice(from, to).map((k) => (k - start) * eta * tau),
    });
    out.times.push(...r.times);
    out.states.push(...r.states);
    out.loss.push(...r.loss);
    out.weights!.push(...r.weights!);
    weights = r.weights![r.weights!.length - 1];
    start = steps[to - 1];
    progress((p + 1) / parts);
  }
  return out;
}

/**
 * Computes the view of `problem`: GD at the state's `η` recorded at the problem's times, and the
 * exact solution (`auto`) at the same times when the init satisfies its assumptions. With
 * `progress` (the Web Worker), GD runs in ten pieces so that its progress shows too.
 * @throws {DlnError} when gradient descent fails (e.g. diverges at this learning rate)
 */
export function computeView(problem: ExplorerProblem, progress?: Progress): ExplorerView {
  const { task, state } = problem;
  const tau = state.tau;
  const report: Progress = progress ?? (() => {});
  report(0, "gradient descent");
  const sim = simulateInParts(
    problem,
    progress ? 10 : 1,
    (f) => report(0.4 * f, "gradient descent"),
  );
  report(0.4, "exact solution");
  let exact: ExactStatus;
  let theory: Trajectory | undefined;
  try {
    const r = solveExact(f64Backend, task, problem.init, problem.times, { tau });
    theory = r;
    exact = {
      ok: true,
      method: r.method,
      reason: r.reason,
      warnings: r.warnings,
      lambda: r.lambda,
      errorEstimate: r.errorEstimate,
    };
  } catch (e) {
    if (!(e instanceof DlnError)) throw e;
    exact = { ok: false, error: `${e.name}: ${e.message}` };
  }
  const both = (f: (t: Trajectory, source: Curve["source"]) => Curve[]) => [
    ...f(sim, "simulation"),
    ...(theory ? f(theory, "theory") : []),
  ];
  const [no, ni] = task.sigmaYX.shape;
  const entries = matrixEntries(no, ni).slice(0, MAX_ENTRY_CURVES);
  const colors = entries.map((_, k) => paletteColor(k));
  const w2w1 = both((t, source) =>
    entryCurves(
      t,
      (s) => s.w2w1,
      entries,
      source,
      entryLabel,
      source === "simulation" ? colors : undefined,
    )
  );
  report(0.5, "singular values");
  const sv = both((t, source) => {
    const values = singularValuesOfEach(t.states.map((s) => s.w2w1));
    return curvesOf(t, source, (_, i) => [...values[i]], (k) => `s${k + 1}(W2W1)`);
  });
  report(0.8, "NTK kernel distance");
  const ntkCurves = both((t, source) => {
    const d = kernelDistanceOverTime(t, task.X);
    return curvesOf(t, source, (_, i) => [d[i]], () => "kernel distance");
  });
  report(1, "done");
  const entryCount = no * ni;
  return {
    xLabel: T_LABEL,
    panels: [
      {
        id: "loss",
        title: "Loss",
        yLabel: "loss L(t)",
        curves: both((t, source) => [
          {
            ...lossCurve(t, "loss", source),
            ...(source === "simulation" ? { color: paletteColor(0) } : {}),
          },
        ]),
      },
      {
        id: "w2w1",
        title: "Network function W2W1",
        yLabel: "W2W1 entries",
        curves: w2w1,
        ...(entryCount > MAX_ENTRY_CURVES
          ? { note: `first ${MAX_ENTRY_CURVES} of ${entryCount} entries (row by row)` }
          : {}),
      },
      { id: "sv", title: "Singular values of W2W1", yLabel: "singular value", curves: sv },
      {
        id: "ntk",
        title: "NTK kernel distance from t = 0",
        yLabel: "1 − ⟨K0, K⟩ / (‖K0‖‖K‖)",
        curves: ntkCurves,
      },
    ],
    times: { simulation: sim.times, analytical: theory?.times ?? [] },
    states: { simulation: sim.states, ...(theory ? { analytical: theory.states } : {}) },
    exact,
    gd: {
      steps: Math.round(sim.times[sim.times.length - 1] / (state.eta * tau)),
      learningRate: state.eta,
    },
  };
}

function entryLabel(i: number, j: number): string {
  return `W2W1[${i + 1},${j + 1}]`;
}

/** One heatmap: a matrix at the current time and where it comes from. */
export interface Heatmap {
  /** Identifier (`w1tw1`, `w2w2t`, `rsmIn`, `rsmOut`). */
  id: string;
  /** Title. */
  title: string;
  /** The matrix. */
  matrix: Matrix;
  /** Row and column labels (item names for the RSMs of the hierarchies). */
  labels?: readonly string[];
}

/**
 * The heatmaps at time index `i`: `W1ᵀW1`, `W2W2ᵀ` and the input and output RSMs (paper Eqs.
 * 8–9) of the exact solution, or of gradient descent when no exact form applies.
 */
export function heatmapsAt(problem: ExplorerProblem, view: ExplorerView, i: number): {
  source: "simulation" | "analytical";
  maps: Heatmap[];
} {
  const source = view.states.analytical ? "analytical" : "simulation";
  const s = (view.states.analytical ?? view.states.simulation)[i];
  const { X, Y } = problem.task;
  return {
    source,
    maps: [
      { id: "w1tw1", title: "W1ᵀW1", matrix: s.w1tw1 },
      { id: "w2w2t", title: "W2W2ᵀ", matrix: s.w2w2t },
      { id: "rsmIn", title: "input RSM  XᵀW1ᵀW1X", matrix: inputRsm(s, X!), labels: problem.items },
      {
        id: "rsmOut",
        title: "output RSM  Yᵀ(W2W2ᵀ)⁺Y",
        matrix: outputRsm(s, Y!),
        labels: problem.items,
      },
    ],
  };
}

/**
 * Restores the `Matrix` instances of a view that went through `postMessage` (structured clone
 * keeps the fields and drops the class).
 */
export function reviveView(view: ExplorerView): ExplorerView {
  const revive = (m: Matrix) => new Matrix(m.rows, m.cols, m.data);
  const blocks = (b: QQtBlocks): QQtBlocks => ({
    w1tw1: revive(b.w1tw1),
    w2w1: revive(b.w2w1),
    w2w2t: revive(b.w2w2t),
  });
  return {
    ...view,
    states: {
      simulation: view.states.simulation.map(blocks),
      ...(view.states.analytical ? { analytical: view.states.analytical.map(blocks) } : {}),
    },
  };
}

/**
 * The view's curves as tidy CSV, one row per point: `panel, series, source, t, t_over_tau,
 * value`, `source` ∈ {`simulation`, `analytical`}, `t` the time each source reached.
 */
export function viewCsv(view: ExplorerView): string {
  const rows = view.panels.flatMap((p) =>
    p.curves.flatMap((c) => {
      const source = c.source === "theory" ? "analytical" : "simulation";
      const t = view.times[source];
      return c.x.map((x, i) => ({
        panel: p.id,
        series: c.series,
        source,
        t: t[i],
        t_over_tau: x,
        value: c.y[i],
      }));
    })
  );
  return toCsv(rows, ["panel", "series", "source", "t", "t_over_tau", "value"]);
}
