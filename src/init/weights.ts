/**
 * The weights of a two-layer network and the `QQᵀ` blocks they determine.
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import { ShapeError } from "../errors.ts";
import type { QQtBlocks } from "../trajectory.ts";
import { core } from "../wasm/core.ts";

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
export function qqtBlocks(weights: Weights): QQtBlocks {
  checkWeights(weights);
  const { w1, w2 } = weights;
  const [nh, ni] = w1.shape;
  const no = w2.rows;
  const c = core();
  return c.scoped(() => {
    const p1 = c.put(w1), p2 = c.put(w2);
    const a = c.alloc(ni * ni), b = c.alloc(no * ni), d = c.alloc(no * no);
    c.k.gemm(1, 0, ni, ni, nh, 1, p1, p1, 0, a);
    c.k.gemm(0, 0, no, ni, nh, 1, p2, p1, 0, b);
    c.k.gemm(0, 1, no, no, nh, 1, p2, p2, 0, d);
    return { w1tw1: c.read(a, ni, ni), w2w1: c.read(b, no, ni), w2w2t: c.read(d, no, no) };
  });
}
