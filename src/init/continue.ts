/**
 * Continuing from a trained state: the weights at the end (or any record) of a trajectory.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { Trajectory } from "../trajectory.ts";
import type { Weights } from "./weights.ts";

/**
 * The weights of `trajectory` at record `index` (default: the last), to start the next run
 * from (continual learning, reversal learning, revising knowledge).
 *
 * @example
 * ```ts
 * const first = simulate(t1, init, { learningRate: 0.01, steps: 5000 });
 * const second = simulate(t2, continueFrom(first), { learningRate: 0.01, steps: 5000 });
 * ```
 * @throws {InputError} when the trajectory carries no weights or `index` is out of range
 */
export function continueFrom(trajectory: Trajectory, index = -1): Weights {
  const w = trajectory.weights;
  if (w === undefined || w.length === 0) {
    throw new InputError(
      `the ${trajectory.method} trajectory carries no weights to continue from`,
    );
  }
  const at = index < 0 ? w.length + index : index;
  if (!Number.isInteger(at) || at < 0 || at >= w.length) {
    throw new InputError(`record ${index} is out of range: the trajectory has ${w.length}`);
  }
  return w[at];
}
