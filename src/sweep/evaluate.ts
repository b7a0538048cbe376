/**
 * One sweep point end to end: build its task and initialisation from its seed, solve (an exact
 * form through `prepareExact`, or GD through `simulate`), and record the spec's measures as one
 * CSV row. Pure computation, so it runs in a worker; the same index gives the same row on any
 * thread, process or machine with the same build.
 *
 * @module
 */
import { AssumptionError, DlnError, InputError } from "../errors.ts";
import type { CsvRow } from "../io/csv.ts";
import { gaussianInit } from "../init/gaussian.ts";
import type { Weights } from "../init/weights.ts";
import { zeroBalancedInit } from "../init/zero_balanced.ts";
import { lambdaBalancedInit } from "../init/lambda_balanced.ts";
import { matmul } from "../linalg/blas.ts";
import { det } from "../linalg/lu.ts";
import { prepareExact } from "../exact/solve.ts";
import { evaluate, joinQQt, splitQQt } from "../exact/solution.ts";
import { f64Backend } from "../linalg/f64.ts";
import { kernelDistance, taskSpecificity } from "../lazy_rich.ts";
import { Random } from "../random.ts";
import { type Task, taskLoss } from "../task.ts";
import { livingKingdomTask } from "../tasks/hierarchy.ts";
import { randomTask } from "../tasks/random_task.ts";
import { simulate } from "../train/simulate.ts";
import type { Trajectory } from "../trajectory.ts";
import { pointAt, type ResolvedProblem } from "./points.ts";
import type { MeasureSpec, SweepSpec } from "./spec.ts";

/** Bisection steps refining an exact time-to-loss inside its grid interval (2⁻⁴⁰ of it). */
const BISECTION_STEPS = 40;

/** Column names of the measures, in CSV order (after `point`, seeds, grid and drawn fields). */
export function measureColumns(m: MeasureSpec): string[] {
  return [
    ...(m.method ? ["method_used"] : []),
    ...(m.finalLoss ? ["final_loss"] : []),
    ...m.timeToLoss.map((f) => `time_to_loss_${f}`),
    ...m.kernelDistance.map((t) => `kernel_distance_t${t}`),
    ...(m.taskSpecificity ? ["task_specificity"] : []),
    ...(m.gdDeviation ? ["gd_loss_deviation", "gd_qqt_deviation"] : []),
    ...(m.errorEstimate ? ["error_estimate"] : []),
    ...(m.wallTime ? ["wall_ms"] : []),
    "error",
  ];
}

/** All columns of a sweep's CSV: point, seed index, seed, grid axes, drawn fields, measures. */
export function sweepColumns(spec: SweepSpec): string[] {
  const drawn = Object.keys(pointAt(spec, 0).drawn);
  return [
    "point",
    "seed_index",
    "seed",
    ...spec.grid.map((a) => a.path),
    ...drawn,
    ...measureColumns(spec.measures),
  ];
}

/** The task of a resolved problem (drawing from `rng` for random tasks). */
function buildTask(rng: Random, p: ResolvedProblem): Task {
  const t = p.task;
  const spectrum = (n: number) =>
    t.top === undefined
      ? undefined
      : Array.from({ length: n }, (_, k) => t.top! - k * (t.gap ?? 0));
  const check = (s: number[] | undefined) => {
    if (s !== undefined && !(s[s.length - 1] > 0)) {
      throw new InputError(`spectrum top − k·gap reaches ${s[s.length - 1]} ≤ 0`);
    }
    return s;
  };
  if (t.kind === "hierarchy") return livingKingdomTask(check(spectrum(4)));
  const ni = t.ni!, no = t.no!;
  return randomTask(rng, {
    ni,
    no,
    p: t.p ?? ni,
    singularValues: check(spectrum(Math.min(ni, no))),
    scale: t.scale,
  });
}

/** Draws of a λ-balanced init tried for the sign condition before giving up. */
const LAMBDA_ATTEMPTS = 100;

function buildInit(rng: Random, p: ResolvedProblem, task: Task): Weights {
  const [no, ni] = task.sigmaYX.shape;
  const { nh, scale } = p.init;
  if (p.init.kind === "gaussian") return gaussianInit(rng, { ni, nh, no }, scale);
  if (p.init.kind === "zero-balanced") return zeroBalancedInit(rng, { ni, nh, no, scale, task });
  // Square tasks: W2W1(0) with the sign of det Σyx, or gradient flow stalls at a saddle (MATH.md,
  // "When B is singular") for about half of all draws; redrawn, as zeroBalancedInit does.
  const sign = ni === no ? Math.sign(det(task.sigmaYX)) : 0;
  for (let k = 0; k < LAMBDA_ATTEMPTS; k++) {
    const w = lambdaBalancedInit(rng, { ni, nh, no, scale, lambda: p.init.lambda! });
    if (sign === 0 || Math.sign(det(matmul(w.w2, w.w1))) === sign) return w;
  }
  throw new AssumptionError(
    "3.1 B non-singular",
    LAMBDA_ATTEMPTS,
    LAMBDA_ATTEMPTS - 1,
    "λ-balanced draws without sign det W2W1(0) = sign det Σyx",
  );
}

/** Sorted union of the recorded times and the kernel-distance times, with `t = 0`. */
function timeAxis(p: ResolvedProblem, m: MeasureSpec): number[] {
  return [...new Set([0, ...p.times, ...m.kernelDistance])].sort((a, b) => a - b);
}

/**
 * First time the excess loss `L − L*` reaches `f·(L(0) − L*)`, `L* = L(Σyx)` the global
 * minimum on whitened inputs: bracketed on the trajectory's times, then refined by bisection
 * with `lossAt` (exact solutions, whose loss is non-increasing) or by linear interpolation
 * (GD). `NaN` when not reached by the last time.
 */
function timeToLoss(
  traj: Trajectory,
  floor: number,
  f: number,
  lossAt?: (t: number) => number,
): number {
  const target = floor + f * (traj.loss[0] - floor);
  const k = traj.loss.findIndex((l) => l <= target);
  if (k <= 0) return k === 0 ? traj.times[0] : NaN;
  let lo = traj.times[k - 1], hi = traj.times[k];
  if (lossAt === undefined) {
    const l0 = traj.loss[k - 1], l1 = traj.loss[k];
    return lo + ((l0 - target) / (l0 - l1)) * (hi - lo);
  }
  for (let s = 0; s < BISECTION_STEPS; s++) {
    const mid = 0.5 * (lo + hi);
    if (lossAt(mid) <= target) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

/** Relative Frobenius distance of two `QQᵀ` states. */
function qqtDistance(a: Trajectory["states"][number], b: Trajectory["states"][number]): number {
  const x = joinQQt(a), y = joinQQt(b);
  let d = 0, n = 0;
  for (let e = 0; e < x.data.length; e++) {
    d += (x.data[e] - y.data[e]) ** 2;
    n += y.data[e] ** 2;
  }
  return Math.sqrt(d / n);
}

/** The measures of one solved point. */
function measure(
  p: ResolvedProblem,
  m: MeasureSpec,
  task: Task,
  traj: Trajectory & { errorEstimates?: number[] },
  lossAt: ((t: number) => number) | undefined,
  gd: Trajectory | undefined,
): CsvRow {
  const row: CsvRow = {};
  const at = (t: number) => {
    // GD reports the step times it reached; the nearest record stands for `t`.
    let best = 0;
    traj.times.forEach((s, i) => {
      if (Math.abs(s - t) < Math.abs(traj.times[best] - t)) best = i;
    });
    return best;
  };
  const lastRequested = at(p.times[p.times.length - 1]);
  if (m.method) row.method_used = traj.method;
  if (m.finalLoss) row.final_loss = traj.loss[lastRequested];
  const floor = taskLoss(task, task.sigmaYX);
  for (const f of m.timeToLoss) row[`time_to_loss_${f}`] = timeToLoss(traj, floor, f, lossAt);
  if (m.kernelDistance.length > 0) {
    for (const t of m.kernelDistance) {
      row[`kernel_distance_t${t}`] = kernelDistance(traj.states[0], traj.states[at(t)], task.X);
    }
  }
  if (m.taskSpecificity) {
    row.task_specificity = taskSpecificity(traj.states[lastRequested], task.sigmaYX);
  }
  if (gd !== undefined) {
    let dl = 0, dq = 0;
    traj.states.forEach((s, i) => {
      dl += Math.abs(gd.loss[i] - traj.loss[i]);
      dq = Math.max(dq, qqtDistance(gd.states[i], s));
    });
    row.gd_loss_deviation = dl / traj.states.length;
    row.gd_qqt_deviation = dq;
  }
  if (m.errorEstimate) row.error_estimate = Math.max(...traj.errorEstimates!);
  return row;
}

/** Solves the point's problem and records its measures. */
function solvePoint(p: ResolvedProblem, m: MeasureSpec, rng: Random): CsvRow {
  const task = buildTask(rng, p);
  const init = buildInit(rng, p, task);
  const times = timeAxis(p, m);
  if (p.method === "simulate") {
    const traj = simulate(task, init, { learningRate: p.learningRate!, times, tau: p.tau });
    return measure(p, m, task, traj, undefined, undefined);
  }
  const be = f64Backend, method = p.method === "exact" ? "auto" : p.method;
  return be.scoped(() => {
    const inputs = { sigmaYX: task.sigmaYX, sigmaXX: task.sigmaXX, w1: init.w1, w2: init.w2 };
    const sol = prepareExact(be, inputs, {
      method,
      horizon: times[times.length - 1] / p.tau,
    });
    const traj = evaluate(be, sol, task, times, p.tau);
    const lossAt = (t: number) =>
      be.scoped(() => taskLoss(task, splitQQt(be.toMatrix(sol.at(t / p.tau)), sol.dims.ni).w2w1));
    const gd = m.gdDeviation
      ? simulate(task, init, { learningRate: p.learningRate!, times, tau: p.tau })
      : undefined;
    return measure(p, m, task, traj, lossAt, gd);
  });
}

/**
 * Computes point `index` of `spec`: one CSV row with its index, seed, grid values, drawn
 * fields and measures (columns {@link sweepColumns}). A point whose problem the library
 * refuses (a violated assumption, a diverging GD run, an impossible spectrum) gets the typed
 * error's name and message in `error` and empty measures; other errors propagate.
 * @throws {InputError} when `index` is out of range
 */
export function evaluatePoint(spec: SweepSpec, index: number): CsvRow {
  const point = pointAt(spec, index);
  const head: CsvRow = {
    point: index,
    seed_index: point.seedIndex,
    seed: point.seed,
    ...point.grid,
    ...point.drawn,
  };
  const t0 = performance.now();
  let row: CsvRow;
  try {
    row = { ...solvePoint(point.problem, spec.measures, new Random(point.seed)), error: "" };
  } catch (e) {
    if (!(e instanceof DlnError)) throw e;
    row = { error: `${e.name}: ${e.message}` };
  }
  if (spec.measures.wallTime) row.wall_ms = Math.round((performance.now() - t0) * 1000) / 1000;
  return { ...head, ...row };
}
