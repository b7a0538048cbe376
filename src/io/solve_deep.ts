/**
 * The `solve` command for a network of depth `L > 2` (`"weights"` with more than two layers):
 * `"simulate"` (depth-L GD in WASM) or `"aligned"` (the exact aligned dynamics). The output has
 * `"product"` (`W_L ⋯ W_1`, `No × Ni`, per time) and no `"qqt"` (DESIGN.md, growth of the
 * contract).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { deepAlignedProductDigits, solveDeepAligned } from "../exact/deep_aligned.ts";
import { simulateDeep } from "../train/simulate_deep.ts";
import type { Trajectory } from "../trajectory.ts";
import type { SolveConfig } from "./config.ts";

/** What `solve` writes for a depth-L network. */
export interface DeepSolveOutput {
  /** `"simulate"` or `"aligned"`. */
  method: string;
  /** What was computed and how. */
  reason: string;
  /** Times reached (simulation: `k η τ`). */
  times: number[];
  /** `W_L ⋯ W_1` at each time; decimal strings when `digits` is given. */
  product: (number | string)[][][];
  /** Loss at each time (`taskLoss` semantics). */
  loss: number[];
  /** Accuracy notes (none for these methods). */
  warnings: string[];
}

/**
 * Solves a configuration whose `layers` has depth > 2.
 * @throws {InputError} when the config has no layers or the method does not serve them;
 *   `AssumptionError` from the aligned solution (not whitened, not balanced, not aligned)
 */
export function solveDeepConfig(c: SolveConfig): DeepSolveOutput {
  const layers = c.layers;
  if (layers === undefined) throw new InputError(`a depth-L solve needs "weights"`);
  const depth = layers.length;
  let traj: Trajectory, reason: string;
  if (c.method === "simulate") {
    traj = simulateDeep(c.task, layers, {
      learningRate: c.learningRate!,
      times: c.times,
      tau: c.tau,
    });
    reason =
      `full-batch gradient descent on the depth-${depth} network at η = ${c.learningRate}: ` +
      "k = round(t/(ητ)) steps per requested t";
  } else if (c.method === "aligned") {
    traj = solveDeepAligned(c.task, layers, c.times, { tau: c.tau });
    reason = `aligned balanced init at depth ${depth}: each task mode from ` +
      `τ du/dt = ${depth} u^{2−2/${depth}}(s̃ − u), closed-form t(u) inverted in ` +
      (c.digits === undefined ? "f64" : `decimal arithmetic at ${c.digits} digits`);
  } else {
    throw new InputError(`method "${c.method}" needs two layers (depth ${depth} given)`);
  }
  return {
    method: traj.method,
    reason,
    times: traj.times,
    product: c.digits !== undefined && c.method === "aligned"
      ? deepAlignedProductDigits(c.task, layers, c.times, c.digits, { tau: c.tau })
      : traj.states.map((q) => q.w2w1.toArray()),
    loss: traj.loss,
    warnings: [],
  };
}
