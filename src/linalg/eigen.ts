/**
 * Symmetric eigendecomposition by the cyclic Jacobi method (WASM kernel `symEigenJacobi`,
 * `asm/eigen.ts`): `A = V diag(λ) Vᵀ`, `λ` ascending, `V` orthogonal with the eigenvectors as
 * columns. Backward error O(n·ε·‖A‖), orthogonality O(n·ε).
 *
 * Sign convention (deterministic): the entry of largest magnitude of each eigenvector is
 * positive, ties going to the lowest index. Eigenvectors of repeated eigenvalues are one
 * orthonormal basis of their eigenspace (deterministic for a given input, not canonical).
 *
 * @module
 */
import { AssumptionError, ConvergenceError, ShapeError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import {
  arenaAlloc,
  type ArenaMatrix,
  arenaPut,
  arenaRead,
  assertFinitePtr,
  shapeOf,
  withArena,
} from "./arena.ts";

/** Sweep budget of the Jacobi iteration; convergence typically takes 6–10 sweeps. */
export const EIGEN_MAX_SWEEPS = 60;

/**
 * Largest accepted asymmetry `max|a_ij − a_ji| / max|a_ij|` in {@link symmetricEigen}: far
 * above the rounding of computed symmetric products (O(n·ε)), far below a genuinely
 * non-symmetric input.
 */
export const SYMMETRY_RTOL = 1e-10;

/** An eigendecomposition `A = V diag(values) Vᵀ`. */
export interface SymmetricEigen<V, M> {
  /** The n eigenvalues, ascending. */
  values: V;
  /** n×n, orthonormal eigenvectors as columns (column j belongs to `values[j]`). */
  vectors: M;
}

/**
 * Eigendecomposition of the symmetric part `(A + Aᵀ)/2` of the square arena matrix `a`;
 * `values` (n×1) and `vectors` (n×n) are allocated in the arena. Pointer-level form of
 * {@link symmetricEigen}; it does not check symmetry.
 * @throws {ShapeError} when `a` is not square
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 * @throws {ConvergenceError} when the sweeps exceed {@link EIGEN_MAX_SWEEPS}
 */
export function symmetricEigenPtr(a: ArenaMatrix): SymmetricEigen<ArenaMatrix, ArenaMatrix> {
  if (a.rows !== a.cols) {
    throw new ShapeError(`symmetricEigen: A is ${shapeOf(a)}, expected a square matrix`);
  }
  assertFinitePtr(a, "symmetricEigen: A");
  const c = core();
  const n = a.rows;
  const values = arenaAlloc(n, 1);
  const vectors = arenaAlloc(n, n);
  const mark = c.mark();
  let status: number;
  try {
    const work = c.alloc(Math.max(c.k.symEigenWorkSize(n), 1));
    status = c.k.symEigenJacobi(n, a.ptr, values.ptr, vectors.ptr, work, EIGEN_MAX_SWEEPS);
  } finally {
    c.release(mark);
  }
  if (status !== 0) {
    throw new ConvergenceError(
      `symmetricEigen: Jacobi on a ${shapeOf(a)} matrix did not converge in ` +
        `${EIGEN_MAX_SWEEPS} sweeps`,
    );
  }
  return { values, vectors };
}

/**
 * `max|a_ij − a_ji| / max|a_ij|` (0 for the zero matrix), the measured asymmetry.
 * @param a a square matrix
 */
export function relativeAsymmetry(a: Matrix): number {
  const n = a.rows;
  let diff = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) diff = Math.max(diff, Math.abs(a.get(i, j) - a.get(j, i)));
  }
  const scale = a.maxAbs();
  return scale === 0 ? 0 : diff / scale;
}

/**
 * Eigendecomposition `A = V diag(λ) Vᵀ` of a symmetric matrix, `λ` ascending (sign convention
 * in the module doc). Asymmetry up to {@link SYMMETRY_RTOL} (rounding) is accepted and the
 * symmetric part `(A + Aᵀ)/2` is decomposed.
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen(Matrix.from([[2, 1], [1, 2]]));
 * // values = [1, 3], vectors = [[√½, √½], [−√½, √½]]
 * ```
 * @param a n×n symmetric, finite
 * @throws {ShapeError} when `a` is not square
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 * @throws {AssumptionError} when the measured asymmetry exceeds {@link SYMMETRY_RTOL}
 * @throws {ConvergenceError} when the sweeps exceed {@link EIGEN_MAX_SWEEPS}
 */
export function symmetricEigen(a: Matrix): SymmetricEigen<Float64Array, Matrix> {
  if (!a.isSquare) {
    throw new ShapeError(`symmetricEigen: A is ${shapeOf(a)}, expected a square matrix`);
  }
  a.assertFinite("symmetricEigen: A");
  const asym = relativeAsymmetry(a);
  if (asym > SYMMETRY_RTOL) {
    throw new AssumptionError(
      "symmetric input",
      asym,
      SYMMETRY_RTOL,
      `symmetricEigen: max|A − Aᵀ| / max|A| of the ${shapeOf(a)} input`,
    );
  }
  return withArena(() => {
    const f = symmetricEigenPtr(arenaPut(a, "symmetricEigen: A"));
    return { values: arenaRead(f.values).data, vectors: arenaRead(f.vectors) };
  });
}
