/**
 * Task-aligned initialisation (Theorem 5.1): `W1 = A0 Ṽᵀ`, `W2 = Ũ A0ᵀ`, where `Σyx = Ũ S̃ Ṽᵀ`.
 *
 * @module
 */
import { InputError, ShapeError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { matmul } from "../linalg/blas.ts";
import { Cholesky } from "../linalg/cholesky.ts";
import { rank, svd } from "../linalg/svd.ts";
import type { Task } from "../task.ts";
import type { Weights } from "./weights.ts";

/**
 * `W1 = A0 Ṽᵀ` (`Nh × Ni`), `W2 = Ũ A0ᵀ` (`No × Nh`) from the SVD `Σyx = Ũ S̃ Ṽᵀ` of a square
 * task. Then `W2W1 = Ũ A0ᵀA0 Ṽᵀ` and the weights are zero-balanced
 * (`W1W1ᵀ = A0A0ᵀ = W2ᵀW2`).
 *
 * @param a0 `Nh × Ni` of full column rank
 * @throws {ShapeError} when the task is not square (Assumption 2.1) or `a0` has the wrong shape
 * @throws {InputError} when `a0` is rank deficient
 */
export function taskAlignedInit(task: Task, a0: Matrix): Weights {
  const syx = task.sigmaYX;
  if (syx.rows !== syx.cols) {
    throw new ShapeError(
      `a task-aligned init needs Ni = No (Assumption 2.1), Σyx is ${syx.rows}×${syx.cols}`,
    );
  }
  if (a0.cols !== syx.cols || a0.rows < a0.cols) {
    throw new ShapeError(
      `A0 is ${a0.rows}×${a0.cols}, expected Nh×${syx.cols} with Nh ≥ ${syx.cols}`,
    );
  }
  a0.assertFinite("A0");
  const r = rank(a0);
  if (r < a0.cols) throw new InputError(`A0 must have full column rank ${a0.cols}, has rank ${r}`);
  const { u, v } = svd(syx);
  return { w1: matmul(a0, v, { transB: true }), w2: matmul(u, a0, { transB: true }) };
}

/**
 * An `A0` (`Ni × Ni`, upper triangular) with `A0ᵀA0 = gram`: the Cholesky factor, `A0 = Lᵀ`.
 * Paper Eq. 14 parametrises the 2×2 case by `A0ᵀA0 = [[a1, b], [b, a2]]`.
 *
 * @throws {NotPositiveDefiniteError} when `gram` is not symmetric positive definite
 */
export function a0FromGram(gram: Matrix): Matrix {
  return Cholesky.factorize(gram).lower.transpose();
}
