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
import { ConvergenceError, NonFiniteError, ShapeError } from "../errors.ts";
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
 * Singular values of `count` m×n matrices stored one after another from byte offset `ptr`: r =
 * min(m, n) values each, descending, into a new arena matrix (count·r)×1. One kernel call
 * (`svdValues`): the values {@link svdPtr} gives, bit for bit, without forming U or V.
 */
function valuesOfStack(
  ptr: number,
  count: number,
  m: number,
  n: number,
  what: string,
): ArenaMatrix {
  const c = core();
  const r = Math.min(m, n);
  const k = c.k.firstNonFinite(count * m * n, ptr) - 1;
  if (k >= 0) {
    const i = Math.floor(k / (m * n)), e = k % (m * n);
    throw new NonFiniteError(
      `${what}${count > 1 ? ` ${i}` : ""}: entry (${Math.floor(e / n)}, ${e % n}) is ` +
        `${c.f64[ptr / 8 + k]}, expected finite`,
    );
  }
  const s = arenaAlloc(count * r, 1);
  const mark = c.mark();
  let status: number;
  try {
    const work = c.alloc(Math.max(c.k.svdWorkSize(m, n), 1));
    status = c.k.svdValues(count, m, n, ptr, s.ptr, work, SVD_MAX_SWEEPS);
  } finally {
    c.release(mark);
  }
  if (status !== 0) {
    throw new ConvergenceError(
      `${what}${count > 1 ? ` ${status - 1}` : ""}: one-sided Jacobi on a ${m}×${n} matrix ` +
        `did not converge in ${SVD_MAX_SWEEPS} sweeps`,
    );
  }
  return s;
}

/**
 * Singular values of an arena matrix (r×1, descending, in the arena): the `s` of
 * {@link svdPtr}, bit for bit, at the cost of the Jacobi sweeps alone (no vectors accumulated
 * or formed). Pointer-level form of {@link singularValues}, used by the f64 backend.
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 * @throws {ConvergenceError} when the Jacobi sweeps exceed {@link SVD_MAX_SWEEPS}
 */
export function singularValuesPtr(a: ArenaMatrix): ArenaMatrix {
  return valuesOfStack(a.ptr, 1, a.rows, a.cols, "singular values: A");
}

/**
 * Singular values of `a`, descending: `svd(a).s` (the same numbers, bit for bit) without
 * computing `U` and `V`, for every caller that needs only the values.
 *
 * @example
 * ```ts
 * singularValues(Matrix.from([[3, 0], [0, -4]])); // Float64Array [4, 3]
 * ```
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 * @throws {ConvergenceError} when the Jacobi sweeps exceed {@link SVD_MAX_SWEEPS}
 */
export function singularValues(a: Matrix): Float64Array {
  return singularValuesOfEach([a])[0];
}

/**
 * {@link singularValues} of each of several matrices of one shape in a single kernel call (one
 * copy in, one out: for many small matrices, e.g. `W2W1` at every time of a trajectory).
 * @throws {ShapeError} when the matrices differ in shape
 * @throws {NonFiniteError} naming the matrix and entry that is NaN or ±∞
 * @throws {ConvergenceError} when the Jacobi sweeps exceed {@link SVD_MAX_SWEEPS}
 */
export function singularValuesOfEach(ms: readonly Matrix[]): Float64Array[] {
  if (ms.length === 0) return [];
  const { rows: m, cols: n } = ms[0];
  const bad = ms.findIndex((x) => x.rows !== m || x.cols !== n);
  if (bad >= 0) {
    throw new ShapeError(
      `singular values: matrix ${bad} is ${shapeOf(ms[bad])}, matrix 0 is ${m}×${n}`,
    );
  }
  const r = Math.min(m, n);
  return withArena(() => {
    const c = core();
    const ptr = c.alloc(ms.length * m * n);
    ms.forEach((x, k) => c.f64.set(x.data, ptr / 8 + k * m * n));
    const what = ms.length > 1 ? "singular values: matrix" : "singular values: A";
    const s = valuesOfStack(ptr, ms.length, m, n, what);
    const all = c.f64.slice(s.ptr / 8, s.ptr / 8 + ms.length * r);
    return ms.map((_, k) => all.subarray(k * r, (k + 1) * r));
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
  const s = singularValues(a);
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
  const s = singularValues(a);
  const min = s[s.length - 1];
  return min === 0 ? Infinity : s[0] / min;
}
