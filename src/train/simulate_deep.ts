/**
 * Full-batch gradient descent on a depth-L linear network `W = W_L ⋯ W_1`, the whole loop in
 * WASM (asm/gd_deep.ts), recorded into a {@link DeepTrajectory}: every layer, the product and
 * the loss at each recorded step. Same time axis and options as the two-layer `simulate`.
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import { InputError } from "../errors.ts";
import type { Task } from "../task.ts";
import type { QQtBlocks, Trajectory } from "../trajectory.ts";
import { core } from "../wasm/core.ts";
import { checkLayers, deepBlocks, type Layers } from "../init/deep.ts";
import {
  checkExtras,
  checkTaskShape,
  correlationRow,
  extraLosses,
  planRun,
  putCorrelation,
  putTable,
  requireData,
  runSchedule,
  type SimulateOptions,
} from "./simulate.ts";

/**
 * A depth-L trajectory: a `Trajectory` whose `states` are {@link deepBlocks} (split at the last
 * hidden layer; the product is `w2w1`), plus every layer at every time.
 */
export interface DeepTrajectory extends Trajectory {
  /** `[W_1, …, W_L]` at each time. */
  layers: Matrix[][];
}

/** Options of {@link simulateDeep}: those of `simulate` without activations (linear layers). */
export type DeepSimulateOptions = Omit<SimulateOptions, "activation">;

/**
 * Trains a depth-L linear network from `init` (`[W_1, …, W_L]`, L ≥ 2) by full-batch gradient
 * descent: `W_l += η A_lᵀ E B_lᵀ`, `A_l = W_L ⋯ W_{l+1}`, `B_l = W_{l−1} ⋯ W_1`,
 * `E = Σyx − WΣxx` (correlation form), or on the task's data `X`, `Y` with `onData`
 * (loss `½⟨‖ŷ − y‖²⟩`). At L = 2 it performs exactly the two-layer `simulate`'s operations.
 *
 * @returns per record: all layers, the blocks ({@link deepBlocks}), the loss (`taskLoss`
 *   semantics in correlation form, the data loss on data) and the extra tasks' losses
 * @throws {ShapeError} when the layers do not chain or do not fit the task
 * @throws {InputError} on invalid options
 * @throws {DivergenceError} when the loss becomes non-finite (checked at every step)
 * @example
 * ```ts
 * const task = randomTask(new Random(1), { ni: 3, no: 3 });
 * const init = balancedInit(new Random(2), { ni: 3, hidden: [4, 4], no: 3 }, 0.1);
 * const traj = simulateDeep(task, init, { learningRate: 0.01, steps: 3000 });
 * ```
 */
export function simulateDeep(
  task: Task,
  init: Layers,
  options: DeepSimulateOptions,
): DeepTrajectory {
  const dims = checkLayers(init);
  const depth = init.length, ni = dims[0], no = dims[depth];
  checkTaskShape(task, ni, no, "task");
  if ((options as SimulateOptions).activation !== undefined) {
    throw new InputError("a deep network here is linear (no activation)");
  }
  const extras = options.extraTasks ?? [];
  const names = checkExtras(extras, ni, no);
  const plan = planRun(options);
  const sizes = init.map((w) => w.data.length);
  const nw = sizes.reduce((a, b) => a + b, 0);
  const recordSize = nw + no * ni + 1 + extras.length;
  const c = core();
  const raw = c.scoped(() => {
    const pdims = c.alloc(Math.ceil((depth + 1) / 2));
    new Int32Array(c.k.memory.buffer, pdims, depth + 1).set(dims);
    const pw = c.alloc(nw);
    let at = pw / 8;
    for (const w of init) {
      c.f64.set(w.data, at);
      at += w.data.length;
    }
    let np = 0, target: number, x: number, traceYY = 0, table: number[][], pe = 0;
    if (options.onData) {
      const d = requireData(task, "task");
      np = d.x.cols;
      target = c.put(d.y);
      x = c.put(d.x);
      table = extras.map((t, i) => {
        const e = requireData(t, `extra task ${i}`);
        pe = Math.max(pe, e.x.cols);
        return [c.put(e.x), c.put(e.y), e.x.cols];
      });
    } else {
      ({ syx: target, sxx: x, traceYY } = putCorrelation(task));
      table = extras.map(correlationRow);
    }
    const pt = putTable(table), nExtra = extras.length;
    const work = c.alloc(c.k.gdDeepWorkSize(depth, pdims, np, pe));
    const m = np > 0 ? np : ni;
    let stepWork = 0;
    for (let l = 1; l <= depth; l++) stepWork += 3 * dims[l] * dims[l - 1] * m;
    return runSchedule(
      plan,
      recordSize,
      stepWork,
      (s0, rec, nRec, out) =>
        c.k.gdDeep(
          depth,
          pdims,
          pw,
          np,
          target,
          x,
          traceYY,
          plan.eta,
          s0,
          rec,
          nRec,
          pt,
          nExtra,
          out,
          work,
        ),
    );
  });
  const layers = raw.map((r) => {
    let off = 0;
    return init.map((w, l) => {
      const m = new Matrix(w.rows, w.cols, r.subarray(off, off + sizes[l]));
      off += sizes[l];
      return m;
    });
  });
  const states: QQtBlocks[] = layers.map((ls, k) =>
    deepBlocks(ls, new Matrix(no, ni, raw[k].subarray(nw, nw + no * ni)))
  );
  return {
    method: "simulate",
    tau: plan.tau,
    times: plan.times,
    states,
    loss: raw.map((r) => r[nw + no * ni]),
    layers,
    ...(depth === 2 ? { weights: layers.map(([w1, w2]) => ({ w1, w2 })) } : {}),
    ...extraLosses(names, raw, nw + no * ni + 1),
  };
}
