/**
 * `Trajectory`: the one type simulation and theory share (DESIGN.md, principle 1). Gradient
 * descent (`simulate`) and every exact solver produce it; observables and figures consume it.
 *
 * @module
 */
import type { Matrix } from "./matrix.ts";

/** The blocks of `QQᵀ = [[W1ᵀW1, W1ᵀW2ᵀ], [W2W1, W2W2ᵀ]]` at one time. */
export interface QQtBlocks {
  /** `W1ᵀW1`, `Ni × Ni`. */
  w1tw1: Matrix;
  /** `W2W1`, the network function, `No × Ni`. */
  w2w1: Matrix;
  /** `W2W2ᵀ`, `No × No`. */
  w2w2t: Matrix;
}

/**
 * The state of a two-layer linear network at a sequence of times.
 * Times are in the units of `tau`: exact solutions depend on `t/τ`, and GD step `k` at
 * learning rate `η` sits at `t/τ = kη`.
 */
export interface Trajectory {
  /** What produced it, e.g. `"simulate"`, `"stable"`, `"fukumizu"`, `"bfree"`. */
  method: string;
  /** Time constant `τ`. */
  tau: number;
  /** Times `t`, one per record. */
  times: number[];
  /** `QQᵀ` blocks, one per time. */
  states: QQtBlocks[];
  /** Loss on the task at each time (see `taskLoss`). */
  loss: number[];
  /** Weights at each time, when the producer has them (GD always; exact solvers on request). */
  weights?: { w1: Matrix; w2: Matrix }[];
  /** Losses of further tasks at each time (continual learning), keyed by task name. */
  extraLosses?: Record<string, number[]>;
}
