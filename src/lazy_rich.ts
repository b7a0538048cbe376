/**
 * Lazy/rich measures of a two-layer linear network (MATH.md, "Lazy/rich measures"): how far the
 * neural tangent kernel moved from its initial value, and how task-specific the hidden
 * representation is.
 *
 * @module
 */
import { ShapeError } from "./errors.ts";
import { Matrix } from "./matrix.ts";
import { matmul, scaleCols } from "./linalg/blas.ts";
import { svd } from "./linalg/svd.ts";
import { ntk } from "./observables.ts";
import type { QQtBlocks } from "./trajectory.ts";

/** Frobenius cosine `⟨A, B⟩_F / (‖A‖_F ‖B‖_F)` of two matrices of one shape. */
function frobeniusCosine(a: Matrix, b: Matrix, what: string): number {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${what}: ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  }
  let ab = 0, aa = 0, bb = 0;
  for (let e = 0; e < a.data.length; e++) {
    ab += a.data[e] * b.data[e];
    aa += a.data[e] ** 2;
    bb += b.data[e] ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

/**
 * NTK kernel distance `1 − ⟨K0, K⟩_F / (‖K0‖_F ‖K‖_F)` between the NTK (paper Eq. 9, `ntk`) of a
 * reference state (usually `t = 0`) and of another state, on inputs `X` (`Ni × P`; whitened
 * inputs, for which the distance does not depend on `X`, when omitted: `X = I`). 0 when one
 * kernel is a positive multiple of the other (lazy), larger as the kernel rotates (rich).
 * @throws {ShapeError} when the states' shapes differ or `X` does not have `Ni` rows
 * @example
 * ```ts
 * kernelDistance(traj.states[0], traj.states[k], task.X);
 * ```
 */
export function kernelDistance(reference: QQtBlocks, state: QQtBlocks, x?: Matrix): number {
  const inputs = x ?? Matrix.identity(reference.w1tw1.rows);
  return 1 - frobeniusCosine(
    ntk(reference, inputs),
    ntk(state, inputs),
    "kernel distance of kernels of different shapes",
  );
}

/**
 * Task-specificity of the hidden representation: the Frobenius cosine of `W1ᵀW1` with
 * `ṼS̃Ṽᵀ = (ΣyxᵀΣyx)^{1/2}`, the input-side similarity the task defines (Theorem 3.2: a
 * zero-balanced network converges to it, so rich learning ends at 1).
 * @param state the network's `QQᵀ` blocks
 * @param sigmaYX the task's `Σyx` (`No × Ni`)
 * @throws {ShapeError} when `Σyx` does not have `Ni` columns
 */
export function taskSpecificity(state: QQtBlocks, sigmaYX: Matrix): number {
  const { s, v } = svd(sigmaYX);
  const target = matmul(scaleCols(v, new Matrix(s.length, 1, s)), v, { transB: true });
  return frobeniusCosine(state.w1tw1, target, "W1ᵀW1 vs ṼS̃Ṽᵀ");
}
