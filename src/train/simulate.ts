/**
 * Full-batch gradient descent, run entirely in WASM (asm/gd.ts), recorded into a `Trajectory`.
 *
 * Time axis (DESIGN.md): step `k` at learning rate `η` sits at `t = k η τ` (exact solutions depend
 * on `t/τ`, and gradient flow `τ dW/dt = −∇L` is the limit `η → 0` of GD at these times).
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import { DivergenceError, InputError, ShapeError } from "../errors.ts";
import type { Task } from "../task.ts";
import type { Trajectory } from "../trajectory.ts";
import { core } from "../wasm/core.ts";
import { checkWeights, weightBlocksEach, type Weights } from "../init/weights.ts";
import { checkSchedule, everyKSteps, MAX_STEPS } from "./schedule.ts";

/** Hidden-layer activation of a two-layer network trained on data. */
export type Activation = "linear" | "tanh" | "relu";

const ACTIVATION_CODE: Record<Activation, number> = { linear: 0, tanh: 1, relu: 2 };

/** Options of {@link simulate} and {@link simulateShallow}. */
export interface SimulateOptions {
  /** Learning rate `η > 0`. */
  learningRate: number;
  /** Number of steps to run (give this or `times`). */
  steps?: number;
  /**
   * Times `t ≥ 0` (any order, repeats allowed) instead of `steps`: step `k = round(t/(ητ))` is
   * recorded for each, and the trajectory lists them in the order given, at the times
   * `k η τ` actually reached.
   */
  times?: readonly number[];
  /**
   * With `steps`: record every `k` steps (a number; the last step is always recorded) or at
   * the listed steps (strictly increasing, ≤ `steps`). Default: about 100 evenly spaced records.
   */
  record?: number | readonly number[];
  /** Time constant `τ > 0` of the time axis; default 1. */
  tau?: number;
  /** Further tasks whose loss is recorded at every record (continual learning). */
  extraTasks?: readonly Task[];
  /**
   * Hidden activation (two-layer only). `"linear"` (default) trains in correlation form on
   * `Σyx`, `Σxx`; `"tanh"` and `"relu"` train on the task's data `X`, `Y`.
   */
  activation?: Activation;
  /** Train a linear network on the data `X`, `Y` instead of `Σyx`, `Σxx` (same mathematics). */
  onData?: boolean;
  /** Step number of the initial state (for a run continuing another); default 0. */
  startStep?: number;
  /**
   * Called between the WASM calls (about every 10 ms of work) with the steps done and the
   * steps the run takes in all (progress reports).
   */
  onProgress?: (done: number, total: number) => void;
}

/** A shallow network's trajectory: `W(t)` (`No × Ni`), loss and extra losses at each time. */
export interface ShallowTrajectory {
  /** Always `"simulate"`. */
  method: string;
  /** Time constant `τ`. */
  tau: number;
  /** Times `t`, one per record. */
  times: number[];
  /** `W` at each time. */
  w: Matrix[];
  /** Loss on the task (see `taskLoss`). */
  loss: number[];
  /** Losses of further tasks, keyed by task name. */
  extraLosses?: Record<string, number[]>;
}

/** Records beyond this many f64 are copied out in chunks (bounds memory of long schedules). */
const CHUNK_F64 = 1 << 22;

/**
 * Trains a two-layer network `ŷ = W2 f(W1 x)` from `init` by full-batch gradient descent:
 * in correlation form (MATH.md) `E = Σyx − W2W1Σxx`, `W1 += η W2ᵀE`, `W2 += η E W1ᵀ`, or on
 * data with loss `½⟨‖ŷ − y‖²⟩` (nonlinear activations, or `onData`).
 *
 * @returns a trajectory with `QQᵀ` blocks, loss (`taskLoss` semantics, `½ tr Σyy` included),
 *   weights and extra losses at each recorded step. With tanh or ReLU the blocks are still
 *   those of `Q = [W1ᵀ; W2]` (so `w2w1` is the weight product, not the network function) and
 *   the loss is the data loss `½⟨‖ŷ − y‖²⟩`.
 * @throws {ShapeError} when task, init and extra tasks do not fit together
 * @throws {InputError} on invalid options (learning rate, steps, times, schedule)
 * @throws {DivergenceError} when the loss becomes non-finite, naming the first such step. It
 *   is checked at every step: in correlation form through `‖E‖²_F` (the loss is
 *   `½ tr(E Σxx⁻¹ Eᵀ)` plus a constant, so both turn non-finite together) and exactly at each
 *   record; on data through the loss itself.
 *
 * @example
 * ```ts
 * const rng = new Random(1);
 * const task = randomTask(rng, { ni: 4, no: 4 });
 * const init = zeroBalancedInit(rng, { ni: 4, nh: 6, no: 4, scale: 0.01 });
 * const traj = simulate(task, init, { learningRate: 0.01, steps: 2000, record: 100 });
 * ```
 */
export function simulate(task: Task, init: Weights, options: SimulateOptions): Trajectory {
  checkWeights(init);
  const { w1, w2 } = init;
  const [nh, ni] = w1.shape;
  const no = w2.rows;
  checkTaskShape(task, ni, no, "task");
  const activation = options.activation ?? "linear";
  if (!(activation in ACTIVATION_CODE)) {
    throw new InputError(`unknown activation "${activation}", expected linear, tanh or relu`);
  }
  const onData = options.onData === true || activation !== "linear";
  const extras = options.extraTasks ?? [];
  const names = checkExtras(extras, ni, no);
  const plan = planRun(options);
  const n1 = nh * ni, n2 = no * nh;
  const recordSize = n1 + n2 + 1 + extras.length;
  const c = core();
  const raw = c.scoped(() => {
    const pw1 = c.put(w1), pw2 = c.put(w2);
    let run: (step0: number, rec: number, nRec: number, out: number) => number;
    if (onData) {
      const { x, y } = requireData(task, "task");
      const np = x.cols;
      const table = extras.map((t, i) => {
        const d = requireData(t, `extra task ${i}`);
        return [c.put(d.x), c.put(d.y), d.x.cols];
      });
      const pe = Math.max(0, ...table.map((r) => r[2]));
      const px = c.put(x), py = c.put(y), pt = putTable(table);
      const work = c.alloc(2 * nh * np + no * np + (nh + no) * pe);
      const code = ACTIVATION_CODE[activation];
      run = (s0, rec, nRec, out) =>
        c.k.gdTwoLayerData(
          ni,
          nh,
          no,
          np,
          code,
          pw1,
          pw2,
          px,
          py,
          plan.eta,
          s0,
          rec,
          nRec,
          pt,
          extras.length,
          out,
          work,
        );
    } else {
      const { syx, sxx, traceYY } = putCorrelation(task);
      const pt = putTable(extras.map(correlationRow));
      const work = c.alloc(twoLayerCorrelationWorkspace(ni, nh, no));
      run = (s0, rec, nRec, out) =>
        c.k.gdTwoLayerCorrelation(
          ni,
          nh,
          no,
          pw1,
          pw2,
          syx,
          sxx,
          traceYY,
          plan.eta,
          s0,
          rec,
          nRec,
          pt,
          extras.length,
          out,
          work,
        );
    }
    return runSchedule(
      plan,
      recordSize,
      onData ? nh * task.X!.cols * (ni + 2 * no) : 3 * ni * nh * no,
      run,
    );
  });
  const weights = raw.map((r) => ({
    w1: new Matrix(nh, ni, r.subarray(0, n1)),
    w2: new Matrix(no, nh, r.subarray(n1, n1 + n2)),
  }));
  return {
    method: "simulate",
    tau: plan.tau,
    times: plan.times,
    states: weightBlocksEach(weights),
    loss: raw.map((r) => r[n1 + n2]),
    weights,
    ...extraLosses(names, raw, n1 + n2 + 1),
  };
}

/**
 * Trains a single-layer network `ŷ = W x` from `w0` (`No × Ni`) by `W += η (Σyx − W Σxx)`.
 * Options as in {@link simulate} (`activation` and `onData` do not apply).
 *
 * @throws {ShapeError} | {InputError} | {DivergenceError} as {@link simulate}
 */
export function simulateShallow(
  task: Task,
  w0: Matrix,
  options: SimulateOptions,
): ShallowTrajectory {
  w0.assertFinite("W");
  const [no, ni] = w0.shape;
  checkTaskShape(task, ni, no, "task");
  if (options.activation !== undefined || options.onData !== undefined) {
    throw new InputError("a shallow network is linear and trained in correlation form");
  }
  const extras = options.extraTasks ?? [];
  const names = checkExtras(extras, ni, no);
  const plan = planRun(options);
  const len = no * ni;
  const c = core();
  const raw = c.scoped(() => {
    const pw = c.put(w0);
    const { syx, sxx, traceYY } = putCorrelation(task);
    const pt = putTable(extras.map(correlationRow));
    const work = c.alloc(2 * len);
    return runSchedule(
      plan,
      len + 1 + extras.length,
      len * (ni + 1),
      (s0, rec, nRec, out) =>
        c.k.gdShallowCorrelation(
          ni,
          no,
          pw,
          syx,
          sxx,
          traceYY,
          plan.eta,
          s0,
          rec,
          nRec,
          pt,
          extras.length,
          out,
          work,
        ),
    );
  });
  return {
    method: "simulate",
    tau: plan.tau,
    times: plan.times,
    w: raw.map((r) => new Matrix(no, ni, r.subarray(0, len))),
    loss: raw.map((r) => r[len]),
    ...extraLosses(names, raw, len + 1),
  };
}

/**
 * f64 workspace of the WASM loop `gdTwoLayerCorrelation` (asm/gd.ts) for an `ni → nh → no`
 * network: `E`, `W2W1`, loss scratch (`no·ni` each), `G`, `W1Σxx` (`nh·ni` each).
 */
export function twoLayerCorrelationWorkspace(ni: number, nh: number, no: number): number {
  return 3 * no * ni + 2 * nh * ni;
}

/** What to run: learning rate, the strictly increasing steps to record, and how to report. */
export interface RunPlan {
  eta: number;
  tau: number;
  /** Strictly increasing steps the loop records. */
  schedule: number[];
  /** For each output entry, its index in `schedule`. */
  order: number[];
  /** Reported time of each output entry. */
  times: number[];
  /** Progress callback (see {@link SimulateOptions}). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Checks the learning rate, τ, start step and the `steps`/`record` or `times` options and turns
 * them into a {@link RunPlan}.
 * @throws {InputError} on an invalid option
 */
export function planRun(o: SimulateOptions): RunPlan {
  const eta = o.learningRate;
  if (!(Number.isFinite(eta) && eta > 0)) {
    throw new InputError(`learning rate must be finite and positive, got ${eta}`);
  }
  const tau = o.tau ?? 1;
  if (!(Number.isFinite(tau) && tau > 0)) {
    throw new InputError(`tau must be finite and positive, got ${tau}`);
  }
  const start = o.startStep ?? 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new InputError(`startStep must be a non-negative integer, got ${start}`);
  }
  const timeOf = (k: number) => (start + k) * eta * tau;
  if (o.times !== undefined) {
    if (o.steps !== undefined || o.record !== undefined) {
      throw new InputError("give either times, or steps with an optional record schedule");
    }
    if (o.times.length === 0) throw new InputError("times is empty");
    const wanted = o.times.map((t, i) => {
      if (!(Number.isFinite(t) && t >= 0)) {
        throw new InputError(`time ${i} is ${t}, expected a finite non-negative number`);
      }
      const k = Math.round(t / (eta * tau));
      if (k > MAX_STEPS) {
        throw new InputError(
          `time ${t} needs ${k} steps at learning rate ${eta}, more than ${MAX_STEPS}`,
        );
      }
      return k;
    });
    const schedule = [...new Set(wanted)].sort((a, b) => a - b);
    const index = new Map(schedule.map((k, i) => [k, i]));
    return {
      eta,
      tau,
      schedule,
      order: wanted.map((k) => index.get(k)!),
      times: wanted.map(timeOf),
      onProgress: o.onProgress,
    };
  }
  const steps = o.steps;
  if (steps === undefined) throw new InputError("give steps or times");
  let schedule: number[];
  if (o.record === undefined || typeof o.record === "number") {
    schedule = everyKSteps(steps, o.record ?? Math.max(1, Math.ceil(steps / 100)));
  } else {
    schedule = [...o.record];
    checkSchedule(schedule);
    if (schedule[schedule.length - 1] > steps) {
      throw new InputError(
        `record step ${schedule[schedule.length - 1]} is beyond the run's ${steps} steps`,
      );
    }
  }
  return {
    eta,
    tau,
    schedule,
    order: schedule.map((_, i) => i),
    times: schedule.map(timeOf),
    onProgress: o.onProgress,
  };
}

/**
 * Work (multiply-adds of the three products) one WASM call may take, ~10 ms. V8 runs a wasm
 * function that is already executing in its baseline tier until it returns (there is no
 * on-stack replacement), so a million steps in one call would all run unoptimised (measured
 * 2.5× slower); returning every so often lets the optimised code take over.
 */
const WORK_PER_CALL = 2 ** 24;

/**
 * Runs `run` over the schedule in calls that bound both the record buffer and the work per call
 * (`stepWork` multiply-adds per step; a call that would reach no record within its budget
 * stops at a checkpoint whose record is dropped). Returns one record (a Float64Array of
 * `recordSize`) per output entry, in output order.
 */
export function runSchedule(
  plan: RunPlan,
  recordSize: number,
  stepWork: number,
  run: (step0: number, rec: number, nRec: number, out: number) => number,
): Float64Array[] {
  const c = core();
  const { schedule } = plan;
  const perCall = Math.max(1, Math.floor(CHUNK_F64 / recordSize));
  const span = Math.max(1, Math.floor(WORK_PER_CALL / Math.max(1, stepWork)));
  const records: Float64Array[] = [];
  let step0 = 0;
  for (let next = 0; next < schedule.length;) {
    let part: number[] = [];
    while (next < schedule.length && part.length < perCall && schedule[next] - step0 <= span) {
      part.push(schedule[next++]);
    }
    const checkpoint = part.length === 0;
    if (checkpoint) part = [step0 + span];
    c.scoped(() => {
      const rec = c.alloc(Math.ceil(part.length / 2));
      new Int32Array(c.k.memory.buffer, rec, part.length).set(part);
      const out = c.alloc(part.length * recordSize);
      const status = run(step0, rec, part.length, out);
      if (!checkpoint) {
        const done = status === 0 ? part.length : part.filter((s) => s < status - 1).length;
        // One copy for the call's records, each a view of it (a typed-array allocation per
        // record cost more than the copy).
        const all = c.f64.slice(out / 8, out / 8 + done * recordSize);
        for (let r = 0; r < done; r++) {
          records.push(all.subarray(r * recordSize, (r + 1) * recordSize));
        }
      }
      if (status !== 0) throw new DivergenceError(status - 1, plan.eta);
    });
    step0 = part[part.length - 1];
    plan.onProgress?.(step0, schedule[schedule.length - 1]);
  }
  return plan.order.map((i) => records[i]);
}

/** @throws {ShapeError} unless `task` maps `ni` inputs to `no` outputs; checks finiteness. */
export function checkTaskShape(task: Task, ni: number, no: number, name: string): void {
  const { sigmaYX: syx, sigmaXX: sxx } = task;
  if (syx.rows !== no || syx.cols !== ni) {
    throw new ShapeError(
      `${name}: Σyx is ${syx.rows}×${syx.cols}, the network maps ${ni} inputs to ${no} outputs ` +
        `(expected ${no}×${ni})`,
    );
  }
  if (sxx.rows !== ni || sxx.cols !== ni) {
    throw new ShapeError(`${name}: Σxx is ${sxx.rows}×${sxx.cols}, expected ${ni}×${ni}`);
  }
  syx.assertFinite(`${name} Σyx`);
  sxx.assertFinite(`${name} Σxx`);
}

/** The task's data `X`, `Y`, checked. @throws {InputError|ShapeError} when absent or misshapen */
export function requireData(task: Task, name: string): { x: Matrix; y: Matrix } {
  const { X: x, Y: y } = task;
  if (x === undefined || y === undefined) {
    throw new InputError(`${name} has no data X, Y: training on data (nonlinear) needs them`);
  }
  if (x.rows !== task.sigmaYX.cols || y.rows !== task.sigmaYX.rows || x.cols !== y.cols) {
    throw new ShapeError(
      `${name}: X is ${x.rows}×${x.cols} and Y is ${y.rows}×${y.cols}, expected ` +
        `${task.sigmaYX.cols}×P and ${task.sigmaYX.rows}×P`,
    );
  }
  x.assertFinite(`${name} X`);
  y.assertFinite(`${name} Y`);
  return { x, y };
}

/** `tr Σyy` of a task: the given value, else `‖Σyx‖²_F` (see `Task.traceYY`). */
function traceYYOf(task: Task): number {
  return task.traceYY ?? task.sigmaYX.normFrobenius() ** 2;
}

/** Puts a task's correlations in the arena; `sxx` = 0 when `Σxx` is exactly the identity. */
export function putCorrelation(task: Task): { syx: number; sxx: number; traceYY: number } {
  const c = core();
  return {
    syx: c.put(task.sigmaYX),
    sxx: task.sigmaXX.isIdentity ? 0 : c.put(task.sigmaXX),
    traceYY: traceYYOf(task),
  };
}

/** A task's row `(Σyx, Σxx or 0, tr Σyy)` of the WASM loops' extra-task table (in the arena). */
export function correlationRow(task: Task): number[] {
  const { syx, sxx, traceYY } = putCorrelation(task);
  return [syx, sxx, traceYY];
}

/** Puts a table of triples (extra tasks) in the arena and returns its pointer. */
export function putTable(rows: number[][]): number {
  return core().put(new Matrix(rows.length, 3, Float64Array.from(rows.flat())));
}

/** Checks the extra tasks against the network and returns their names (unique). */
export function checkExtras(extras: readonly Task[], ni: number, no: number): string[] {
  const names = extras.map((t, i) => t.name ?? `task ${i}`);
  extras.forEach((t, i) => {
    checkTaskShape(t, ni, no, `extra task ${i}`);
    if (names.indexOf(names[i]) !== i) {
      throw new InputError(`two extra tasks are named "${names[i]}"`);
    }
  });
  return names;
}

/** The extra tasks' losses of the records (from `offset` on), keyed by task name. */
export function extraLosses(
  names: string[],
  raw: Float64Array[],
  offset: number,
): { extraLosses?: Record<string, number[]> } {
  if (names.length === 0) return {};
  return {
    extraLosses: Object.fromEntries(names.map((n, i) => [n, raw.map((r) => r[offset + i])])),
  };
}
