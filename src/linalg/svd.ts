/**
 * Singular value decomposition by one-sided Jacobi with QR preconditioning (WASM kernel
 * `svdJacobi`, `asm/svd.ts`), and what follows from it: {@link rank} and
 * {@link conditionNumber}.
 *
 * `A = U diag(s) Vᵀ` for `A` m×n, `r = min(m, n)`:
 * - compact: `U` m×r, `s` r values, `V` n×r, orthonormal columns;
 * - full: `U` m×m and `V` n×n orthogonal, the columns beyond r completing the bases.
 *
 * Singular values are descending and non-negative. Small singular values are accurate to high
 * relative accuracy when `A = B·D` (columns scaled by a diagonal `D` with well-conditioned `B`,
 * for m ≥ n; rows for m < n): the error is O(max(m,n)·ε·κ(B))·σᵢ (Demmel & Veselić 1992), not
 * the O(ε)·σ_max that bidiagonalisation-based SVDs guarantee. Singular values below about
 * 3.5e-136·max|a_ij| are returned as exact zeros.
 *
 * Sign convention (deterministic, so results reproduce bit for bit): in each column of `V`
 * the entry of largest magnitude is positive, ties going to the lowest index; the paired column
 * of `U` follows. In a full SVD, `U`'s completion columns (index ≥ r) follow the same rule on
 * `U`. Singular vectors of zero singular values (not unique) are completed orthonormally.
 * Ties in magnitude are decided on the computed values, so they may go either way under
 * rounding; the rule is deterministic for a given input.
 *
 * @module
 */
import { ConvergenceError, ShapeError } from "../errors.ts";
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
import type { Svd } from "./backend.ts";

/** Sweep budget of the Jacobi iteration; convergence typically takes 6–12 sweeps. */
export const SVD_MAX_SWEEPS = 60;

/** Options of {@link svd} and {@link svdPtr}. */
export interface SvdOptions {
  /** Full `U` (m×m) and `V` (n×n) instead of compact (default false). */
  full?: boolean;
}

/** An SVD `A = U diag(s) Vᵀ` as `Matrix` values. */
export interface SvdResult {
  /** m×r (compact) or m×m (full) left singular vectors. */
  u: Matrix;
  /** r = min(m, n) singular values, descending, ≥ 0. */
  s: Float64Array;
  /** n×r (compact) or n×n (full) right singular vectors. */
  v: Matrix;
}

/**
 * SVD of an arena matrix; `u`, `s` (r×1) and `v` are allocated in the arena, workspace freed.
 * Pointer-level form of {@link svd}, used by the f64 backend.
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 * @throws {ConvergenceError} when the Jacobi sweeps exceed {@link SVD_MAX_SWEEPS}
 */
export function svdPtr(a: ArenaMatrix, options: SvdOptions = {}): Svd<ArenaMatrix> {
  assertFinitePtr(a, "svd: A");
  const c = core();
  const { rows: m, cols: n } = a;
  const full = options.full ?? false;
  const r = Math.min(m, n);
  const u = arenaAlloc(m, full ? m : r);
  const s = arenaAlloc(r, 1);
  const v = arenaAlloc(n, full ? n : r);
  const mark = c.mark();
  let status: number;
  try {
    const work = c.alloc(Math.max(c.k.svdWorkSize(m, n), 1));
    status = c.k.svdJacobi(m, n, a.ptr, full ? 1 : 0, u.ptr, s.ptr, v.ptr, work, SVD_MAX_SWEEPS);
  } finally {
    c.release(mark);
  }
  if (status !== 0) {
    throw new ConvergenceError(
      `svd: one-sided Jacobi on a ${shapeOf(a)} matrix did not converge in ${SVD_MAX_SWEEPS} ` +
        `sweeps (status ${status})`,
    );
  }
  return { u, s, v };
}

/**
 * Singular value decomposition `A = U diag(s) Vᵀ` (shapes, accuracy and sign convention in the
 * module doc).
 *
 * @example
 * ```ts
 * const { u, s, v } = svd(Matrix.from([[3, 0], [0, -4]]));
 * // s = [4, 3], v = [[0, 1], [1, 0]], u = [[0, 1], [-1, 0]]
 * ```
 * @param a m×n, finite (any shape, including empty)
 * @param options `{ full: true }` for square `U`, `V`
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 * @throws {ConvergenceError} when the Jacobi sweeps exceed {@link SVD_MAX_SWEEPS}
 */
export function svd(a: Matrix, options: SvdOptions = {}): SvdResult {
  return withArena(() => {
    const f = svdPtr(arenaPut(a, "svd: A"), options);
    return { u: arenaRead(f.u), s: arenaRead(f.s).data, v: arenaRead(f.v) };
  });
}

/**
 * Default relative tolerance below which singular values count as zero:
 * `max(m, n)·ε`, as numpy's `matrix_rank` and `pinv` (and LAPACK's convention) use. Values
 * `σᵢ ≤ rtol·σ_max` are at the level of the rounding errors of any backward-stable method.
 */
export function defaultRtol(rows: number, cols: number): number {
  return Math.max(rows, cols) * Number.EPSILON;
}

/**
 * Numerical rank: the number of singular values `σᵢ > rtol·σ_max`.
 * @param a m×n, finite
 * @param rtol relative tolerance, default {@link defaultRtol}`(m, n)`
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 */
export function rank(a: Matrix, rtol: number = defaultRtol(a.rows, a.cols)): number {
  const s = svd(a).s;
  if (s.length === 0) return 0;
  const cut = rtol * s[0];
  return s.filter((x) => x > cut).length;
}

/**
 * 2-norm condition number `σ_max / σ_min` with σ over all min(m, n) singular values;
 * `Infinity` when `σ_min = 0`.
 * @throws {ShapeError} for an empty matrix (no singular values)
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 */
export function conditionNumber(a: Matrix): number {
  if (a.rows === 0 || a.cols === 0) {
    throw new ShapeError(`conditionNumber: a ${shapeOf(a)} matrix has no singular values`);
  }
  const s = svd(a).s;
  const min = s[s.length - 1];
  return min === 0 ? Infinity : s[0] / min;
}
