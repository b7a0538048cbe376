/**
 * LU factorisation with partial pivoting, `P·A = L·U` (asm/lu.ts), and what it gives: linear
 * solves, inverses, determinants and a condition estimate.
 *
 * As in `blas.ts`, each operation is a pointer-level function over arena matrices (used by the
 * f64 backend) wrapped once for `Matrix` operands. A matrix is reported singular when
 * elimination meets an exactly zero pivot; nearly singular matrices are not rejected: use
 * {@link rcond} to measure how close to singular a matrix is.
 *
 * @module
 */
import { ShapeError, SingularMatrixError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import {
  arenaAlloc,
  arenaAllocI32,
  type ArenaMatrix,
  arenaPut,
  assertFinitePtr,
  assertSquarePtr,
  onArena,
  shapeOf,
  withArena,
} from "./arena.ts";

function singular(op: string, a: ArenaMatrix, info: number): SingularMatrixError {
  return new SingularMatrixError(
    `${op}: the ${shapeOf(a)} matrix A is singular: LU with partial pivoting met an exactly ` +
      `zero pivot at step ${info - 1} (zero-based)`,
    info - 1,
  );
}

/**
 * Throws when a solve of the non-singular factors `lu` overflowed (`x` has ±∞ or NaN): `a` is
 * singular to working precision. Names the smallest pivot.
 */
function assertSolved(op: string, a: ArenaMatrix, lu: ArenaMatrix, x: ArenaMatrix): void {
  const c = core();
  if (c.k.firstNonFinite(x.rows * x.cols, x.ptr) === 0) return;
  const f = c.f64, n = a.rows;
  let k = 0;
  for (let i = 1; i < n; i++) {
    if (Math.abs(f[lu.ptr / 8 + i * n + i]) < Math.abs(f[lu.ptr / 8 + k * n + k])) k = i;
  }
  throw new SingularMatrixError(
    `${op}: the ${shapeOf(a)} matrix A is singular to working precision: the solution ` +
      `overflowed (smallest pivot ${f[lu.ptr / 8 + k * n + k]} at step ${k}, zero-based)`,
    k,
  );
}

/** Factors a copy of `a`: returns the packed factors `L\U` and the pivot vector pointer. */
function factorPtr(op: string, a: ArenaMatrix): { lu: ArenaMatrix; piv: number; info: number } {
  assertSquarePtr(op, a);
  assertFinitePtr(a, `${op}: A`);
  const k = core().k;
  const lu = arenaAlloc(a.rows, a.cols);
  k.copy(a.rows * a.cols, a.ptr, lu.ptr);
  const piv = arenaAllocI32(a.rows);
  return { lu, piv, info: k.luFactor(a.rows, lu.ptr, piv) };
}

/**
 * Solves `a·x = b` (`a` n×n, `b` n×r) in the arena.
 * @throws {ShapeError} when `a` is not square or `b` has not `n` rows
 * @throws {NonFiniteError} when `a` or `b` has a NaN or infinite entry
 * @throws {SingularMatrixError} with the zero pivot's index when `a` is singular, or with the
 *   smallest pivot's index when the solution overflows (singular to working precision)
 */
export function solvePtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  assertSquarePtr("solve", a);
  if (b.rows !== a.rows) {
    throw new ShapeError(
      `solve: A is ${shapeOf(a)} but B is ${shapeOf(b)}; B needs ${a.rows} rows`,
    );
  }
  assertFinitePtr(b, "solve: B");
  const { lu, piv, info } = factorPtr("solve", a);
  if (info !== 0) throw singular("solve", a, info);
  const x = arenaAlloc(b.rows, b.cols);
  const k = core().k;
  k.copy(b.rows * b.cols, b.ptr, x.ptr);
  k.luSolve(a.rows, b.cols, lu.ptr, piv, x.ptr);
  assertSolved("solve", a, lu, x);
  return x;
}

/** `a⁻¹` in the arena. @throws {ShapeError} @throws {NonFiniteError} @throws {SingularMatrixError} */
export function inversePtr(a: ArenaMatrix): ArenaMatrix {
  const { lu, piv, info } = factorPtr("inverse", a);
  if (info !== 0) throw singular("inverse", a, info);
  const x = arenaAlloc(a.rows, a.cols);
  const k = core().k;
  k.setIdentity(a.rows, x.ptr);
  k.luSolve(a.rows, a.rows, lu.ptr, piv, x.ptr);
  assertSolved("inverse", a, lu, x);
  return x;
}

/** `det a` (0 for a singular matrix). @throws {ShapeError} @throws {NonFiniteError} */
export function detPtr(a: ArenaMatrix): number {
  const { lu, piv } = factorPtr("det", a);
  return core().k.luDeterminant(a.rows, lu.ptr, piv);
}

/**
 * Estimate of the reciprocal 1-norm condition number `1 / (‖a‖₁·‖a⁻¹‖₁)` (LAPACK dgecon's
 * method): near 1 for a well-conditioned matrix, near ε ≈ 1.1e-16 or below for one that is
 * singular to working precision, 0 for an exactly singular one. The estimate of `‖a⁻¹‖₁` is
 * a lower bound, usually within a factor 3.
 * @throws {ShapeError} @throws {NonFiniteError}
 */
export function rcondPtr(a: ArenaMatrix): number {
  const { lu, piv, info } = factorPtr("rcond", a);
  if (info !== 0) return 0;
  const k = core().k;
  const c = core();
  const anorm = k.norm1(a.rows, a.cols, a.ptr);
  return k.luRcond(a.rows, lu.ptr, piv, anorm, c.alloc(a.rows), c.alloc(a.rows));
}

/**
 * Solves `a·x = b` by LU with partial pivoting; `b` may have several columns.
 * @param a `n × n`
 * @param b `n × r`
 * @returns `x`, `n × r`, with residual `‖a·x − b‖ = O(n·ε·‖a‖·‖x‖)` (backward stable)
 * @throws {ShapeError} when `a` is not square or `b` has not `n` rows
 * @throws {NonFiniteError} when an input has a NaN or infinite entry
 * @throws {SingularMatrixError} when elimination meets a zero pivot (its index in `.pivot`)
 * @example
 * ```ts
 * solve(Matrix.from([[2, 0], [0, 4]]), Matrix.from([[2], [2]])).toArray(); // [[1], [0.5]]
 * ```
 */
export function solve(a: Matrix, b: Matrix): Matrix {
  return onArena(() => solvePtr(arenaPut(a, "solve: A"), arenaPut(b, "solve: B")));
}

/**
 * `a⁻¹` by LU with partial pivoting. Prefer {@link solve} when `a⁻¹` multiplies something.
 * @throws {ShapeError} @throws {NonFiniteError} @throws {SingularMatrixError}
 */
export function inverse(a: Matrix): Matrix {
  return onArena(() => inversePtr(arenaPut(a, "inverse: A")));
}

/**
 * Determinant `det a = ± Π u_kk` from the LU factors (0 when `a` is singular; may overflow to
 * ±∞ or underflow to 0 for large matrices).
 * @throws {ShapeError} when `a` is not square
 * @throws {NonFiniteError} when `a` has a NaN or infinite entry
 */
export function det(a: Matrix): number {
  return withArena(() => detPtr(arenaPut(a, "det: A")));
}

/** Reciprocal 1-norm condition estimate of `a` (see {@link rcondPtr}). */
export function rcond(a: Matrix): number {
  return withArena(() => rcondPtr(arenaPut(a, "rcond: A")));
}
