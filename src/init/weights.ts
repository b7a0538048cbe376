/**
 * The weights of a two-layer network and the `QQᵀ` blocks they determine.
 *
 * @module
 */
import type { Matrix } from "../matrix.ts";
import { ShapeError } from "../errors.ts";
import type { QQtBlocks } from "../trajectory.ts";
import { matmulPtr } from "../linalg/blas.ts";
import { arenaMapEach, arenaPut } from "../linalg/arena.ts";

/** Weights of a two-layer network `ŷ = W2 f(W1 x)`: `w1` is `Nh × Ni`, `w2` is `No × Nh`. */
export interface Weights {
  /** First layer, `Nh × Ni`. */
  w1: Matrix;
  /** Second layer, `No × Nh`. */
  w2: Matrix;
}

/**
 * Checks that `w2 · w1` is defined and finite.
 * @throws {ShapeError} when `w2.cols ≠ w1.rows`
 * @throws {NonFiniteError} on a NaN or infinite entry
 */
export function checkWeights({ w1, w2 }: Weights): void {
  if (w2.cols !== w1.rows) {
    throw new ShapeError(
      `W2 is ${w2.rows}×${w2.cols} and W1 is ${w1.rows}×${w1.cols}: W2's columns must equal ` +
        `W1's rows (the hidden width)`,
    );
  }
  w1.assertFinite("W1");
  w2.assertFinite("W2");
}

/**
 * `QQᵀ` blocks of `Q = [W1ᵀ; W2]`: `W1ᵀW1` (`Ni × Ni`), `W2W1` (`No × Ni`), `W2W2ᵀ` (`No × No`),
 * computed with the WASM `gemm`.
 * @throws {ShapeError} when the weights do not chain
 */
export function weightBlocks(weights: Weights): QQtBlocks {
  return weightBlocksEach([weights])[0];
}

/**
 * {@link weightBlocks} of each of several weights (e.g. the states GD recorded), computed in the
 * arena and read back in one allocation per 256 states (the explorer builds hundreds per frame).
 * @throws {ShapeError} when some weights do not chain
 */
export function weightBlocksEach(weights: readonly Weights[]): QQtBlocks[] {
  weights.forEach(checkWeights);
  return arenaMapEach(weights, (w) => {
    const w1 = arenaPut(w.w1, "W1"), w2 = arenaPut(w.w2, "W2");
    return [
      matmulPtr(w1, w1, { transA: true }),
      matmulPtr(w2, w1),
      matmulPtr(w2, w2, { transB: true }),
    ];
  }).map(([w1tw1, w2w1, w2w2t]) => ({ w1tw1, w2w1, w2w2t }));
}
