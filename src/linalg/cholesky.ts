/**
 * Cholesky factorisation `A = L·Lᵀ` of symmetric positive definite matrices (asm/cholesky.ts)
 * and the solve built on it. Only the lower triangle of `A` is read (LAPACK's convention), so a
 * matrix that is symmetric only up to rounding is factored as the symmetric matrix its lower
 * triangle defines.
 *
 * @module
 */
import { NotPositiveDefiniteError, ShapeError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import {
  arenaAlloc,
  type ArenaMatrix,
  arenaPut,
  arenaRead,
  assertFinitePtr,
  assertSquarePtr,
  onArena,
  shapeOf,
  withArena,
} from "./arena.ts";

function notPositiveDefinite(op: string, a: ArenaMatrix, info: number): NotPositiveDefiniteError {
  return new NotPositiveDefiniteError(
    `${op}: the ${shapeOf(a)} matrix A is not positive definite: the leading ${info}×${info} ` +
      `minor is not (Cholesky pivot ${info - 1}, zero-based, is ≤ 0)`,
    info - 1,
  );
}

/**
 * The Cholesky factor `L` (lower triangular, positive diagonal, `A = L·Lᵀ`) in the arena.
 * @throws {ShapeError} @throws {NonFiniteError} @throws {NotPositiveDefiniteError}
 */
export function choleskyFactorPtr(a: ArenaMatrix, op = "cholesky"): ArenaMatrix {
  assertSquarePtr(op, a);
  assertFinitePtr(a, `${op}: A`);
  const k = core().k;
  const l = arenaAlloc(a.rows, a.cols);
  k.copy(a.rows * a.cols, a.ptr, l.ptr);
  const info = k.choleskyFactor(a.rows, l.ptr);
  if (info !== 0) throw notPositiveDefinite(op, a, info);
  return l;
}

function requireRhs(op: string, a: ArenaMatrix, b: ArenaMatrix): void {
  if (b.rows !== a.rows) {
    throw new ShapeError(
      `${op}: A is ${shapeOf(a)} but B is ${shapeOf(b)}; B needs ${a.rows} rows`,
    );
  }
}

/** Solves `L·Lᵀ·x = b` in the arena from a factor of {@link choleskyFactorPtr}. */
export function choleskySolveFactoredPtr(l: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  requireRhs("choleskySolve", l, b);
  assertFinitePtr(b, "choleskySolve: B");
  const x = arenaAlloc(b.rows, b.cols);
  const k = core().k;
  k.copy(b.rows * b.cols, b.ptr, x.ptr);
  k.choleskySolveFactored(l.rows, b.cols, l.ptr, x.ptr);
  return x;
}

/** `a⁻¹b` (`whitenOnly` false) or `L⁻¹b` for `a = L·Lᵀ`, in one kernel call. */
function choleskyApplyPtr(
  op: string,
  a: ArenaMatrix,
  b: ArenaMatrix,
  whitenOnly: boolean,
): ArenaMatrix {
  assertSquarePtr(op, a);
  requireRhs(op, a, b);
  const l = arenaAlloc(a.rows, a.cols), x = arenaAlloc(b.rows, b.cols);
  const info = core().k.choleskyApply(
    a.rows,
    b.cols,
    a.ptr,
    b.ptr,
    l.ptr,
    x.ptr,
    whitenOnly ? 1 : 0,
  );
  if (info === -1) assertFinitePtr(a, `${op}: A`); // throws, naming the entry
  if (info === -2) assertFinitePtr(b, `${op}: B`);
  if (info > 0) throw notPositiveDefinite(op, a, info);
  return x;
}

/**
 * Solves `a·x = b` for symmetric positive definite `a`, in the arena.
 * @throws {ShapeError} @throws {NonFiniteError} @throws {NotPositiveDefiniteError}
 */
export function choleskySolvePtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  return choleskyApplyPtr("choleskySolve", a, b, false);
}

/**
 * `L⁻¹·b` for the Cholesky factor `L` of the symmetric positive definite `a = L·Lᵀ`, in the
 * arena: `(L⁻¹b)ᵀ(L⁻¹b) = bᵀa⁻¹b` from one factorisation and one triangular solve.
 * @throws {ShapeError} @throws {NonFiniteError} @throws {NotPositiveDefiniteError}
 */
export function choleskyWhitenPtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  return choleskyApplyPtr("choleskyWhiten", a, b, true);
}

/**
 * `L⁻¹·b` for the Cholesky factor `L` of the symmetric positive definite `a = L·Lᵀ`
 * (`a` `n × n`, `b` `n × r`), so that `(L⁻¹b)ᵀ(L⁻¹b) = bᵀa⁻¹b`. Only the lower triangle of
 * `a` is read.
 * @throws {ShapeError} when `a` is not square or `b` has not `n` rows
 * @throws {NonFiniteError} when an input has a NaN or infinite entry
 * @throws {NotPositiveDefiniteError} with the failing minor's index in `.index`
 */
export function choleskyWhiten(a: Matrix, b: Matrix): Matrix {
  return onArena(() =>
    choleskyWhitenPtr(arenaPut(a, "choleskyWhiten: A"), arenaPut(b, "choleskyWhiten: B"))
  );
}

/**
 * Solves `a·x = b` for symmetric positive definite `a` (`n × n`), `b` `n × r`. Backward
 * stable: the residual is `O(n·ε·‖a‖·‖x‖)`.
 * @throws {ShapeError} when `a` is not square or `b` has not `n` rows
 * @throws {NonFiniteError} when an input has a NaN or infinite entry
 * @throws {NotPositiveDefiniteError} with the failing minor's index in `.index`
 */
export function choleskySolve(a: Matrix, b: Matrix): Matrix {
  return onArena(() =>
    choleskySolvePtr(arenaPut(a, "choleskySolve: A"), arenaPut(b, "choleskySolve: B"))
  );
}

/**
 * A Cholesky factorisation `A = L·Lᵀ`, kept for repeated solves.
 * @example
 * ```ts
 * const c = Cholesky.factorize(Matrix.from([[4, 2], [2, 3]]));
 * c.lower.toArray(); // [[2, 0], [1, 1.4142135623730951]]
 * c.solve(Matrix.from([[2], [1]])); // x with A x = b
 * ```
 */
export class Cholesky {
  private constructor(
    /** `L`: lower triangular with positive diagonal, `A = L·Lᵀ`. */
    readonly lower: Matrix,
  ) {}

  /**
   * Factors the symmetric positive definite `a` (its lower triangle is read).
   * @throws {ShapeError} when `a` is not square
   * @throws {NonFiniteError} when `a` has a NaN or infinite entry
   * @throws {NotPositiveDefiniteError} when a leading minor is not positive
   */
  static factorize(a: Matrix): Cholesky {
    return new Cholesky(onArena(() => choleskyFactorPtr(arenaPut(a, "cholesky: A"))));
  }

  /** Solves `A·x = b` (`b` `n × r`). @throws {ShapeError} @throws {NonFiniteError} */
  solve(b: Matrix): Matrix {
    return withArena(() =>
      arenaRead(
        choleskySolveFactoredPtr(
          arenaPut(this.lower, "choleskySolve: L"),
          arenaPut(b, "choleskySolve: B"),
        ),
      )
    );
  }

  /** `det A = Π l_ii²`. */
  det(): number {
    let d = 1;
    for (const x of this.lower.diagonal()) d *= x * x;
    return d;
  }
}
