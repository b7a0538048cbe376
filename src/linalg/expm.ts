/**
 * Matrix exponential `e^A` by scaling and squaring with Padé approximants of degree 3, 5, 7, 9
 * or 13 (Al-Mohy & Higham 2009, the refinement of Higham 2005; asm/expm.ts). The degree and the
 * number of squarings `s` are chosen from `‖A^k‖₁^{1/k}`, so non-normal matrices with a large
 * norm but small powers are not overscaled. Backward error at most the unit roundoff for the
 * scaled matrix; the forward error grows with `s` and with the conditioning of `e^A`.
 *
 * @module
 */
import { SingularMatrixError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import {
  arenaAlloc,
  type ArenaMatrix,
  arenaPut,
  assertFinitePtr,
  assertSquarePtr,
  onArena,
} from "./arena.ts";

/**
 * `e^a` in the arena.
 * @throws {ShapeError} when `a` is not square
 * @throws {NonFiniteError} when `a` has a NaN or infinite entry
 */
export function expmPtr(a: ArenaMatrix): ArenaMatrix {
  assertSquarePtr("expm", a);
  assertFinitePtr(a, "expm: A");
  const c = core();
  const n = a.rows;
  const out = arenaAlloc(n, n);
  const info = c.scoped(() => c.k.expm(n, a.ptr, out.ptr, c.alloc(c.k.expmWorkSize(n))));
  if (info !== 0) {
    // q_m(A) is provably well conditioned for ‖A‖₁ ≤ θ_m: this signals a kernel defect.
    throw new SingularMatrixError(
      `expm: the Padé denominator of the ${n}×${n} matrix was singular at pivot ${info - 1}`,
      info - 1,
    );
  }
  return out;
}

/**
 * Matrix exponential `e^a = Σ aᵏ/k!`.
 * @throws {ShapeError} when `a` is not square
 * @throws {NonFiniteError} when `a` has a NaN or infinite entry
 * @example
 * ```ts
 * expm(Matrix.from([[0, 1], [-1, 0]])); // [[cos 1, sin 1], [−sin 1, cos 1]]
 * ```
 */
export function expm(a: Matrix): Matrix {
  return onArena(() => expmPtr(arenaPut(a, "expm: A")));
}
