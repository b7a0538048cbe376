/**
 * Decimal LU (partial pivoting) and Cholesky solves at the working precision of a
 * `DecimalContext`.
 *
 * Negligible pivots: a pivot is treated as zero when `|pivot| ≤ n · u · scale`, with
 * `u = 10^−precision` the unit roundoff (guard digits included) and `scale = max |a_ij|` (LU) or
 * `max a_ii` (Cholesky). Such a pivot is at the rounding level of the matrix: it carries no
 * information, and a solve would return noise. Ill-conditioned matrices above that level are
 * solved (their results may still be meaningful, e.g. the bracket of Eq. 5 whose near-null
 * directions do not reach the result); the precision rule in `src/precision.ts` is what decides
 * how many digits a formula needs.
 *
 * @module
 */
import type { Decimal } from "../npm/decimal.ts";
import { NotPositiveDefiniteError, ShapeError, SingularMatrixError } from "../errors.ts";
import { type DecimalContext, DecimalMatrix } from "./decimal_context.ts";

function requireSquare(a: DecimalMatrix, what: string): number {
  if (a.rows !== a.cols) throw new ShapeError(`${what}: matrix is ${a.rows}×${a.cols}, not square`);
  return a.rows;
}

function requireRhs(a: DecimalMatrix, b: DecimalMatrix, what: string): void {
  if (b.rows !== a.rows) {
    throw new ShapeError(
      `${what}: right-hand side is ${b.rows}×${b.cols}, expected ${a.rows} rows`,
    );
  }
}

function maxAbsOf(ctx: DecimalContext, xs: readonly Decimal[]): Decimal {
  let m = new ctx.D(0);
  for (const x of xs) if (x.abs().gt(m)) m = x.abs();
  return m;
}

/**
 * Solves `a x = b` by Gaussian elimination with partial pivoting (`P a = L U`).
 * @param a `n × n`
 * @param b `n × k`
 * @returns `x`, `n × k`
 * @throws {ShapeError} on mismatched shapes
 * @throws {SingularMatrixError} when a pivot is at most `n · 10^−precision · max |a_ij|`
 */
export function luSolve(ctx: DecimalContext, a: DecimalMatrix, b: DecimalMatrix): DecimalMatrix {
  const n = requireSquare(a, "LU solve");
  requireRhs(a, b, "LU solve");
  const k = b.cols;
  const lu = a.data.slice();
  const x = b.data.slice();
  const tol = ctx.unit.times(n).times(maxAbsOf(ctx, lu));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (lu[r * n + c].abs().gt(lu[p * n + c].abs())) p = r;
    const pivot = lu[p * n + c];
    if (pivot.abs().lte(tol)) {
      throw new SingularMatrixError(
        `LU solve: pivot ${c} is ${pivot.abs().toExponential(3)}, at most the tolerance ` +
          `${tol.toExponential(3)} (n · 10^-${ctx.precision} · max|a_ij|): matrix is singular ` +
          `at ${ctx.digits} digits`,
        c,
      );
    }
    if (p !== c) {
      for (let j = 0; j < n; j++) [lu[c * n + j], lu[p * n + j]] = [lu[p * n + j], lu[c * n + j]];
      for (let j = 0; j < k; j++) [x[c * k + j], x[p * k + j]] = [x[p * k + j], x[c * k + j]];
    }
    for (let r = c + 1; r < n; r++) {
      if (lu[r * n + c].isZero()) continue;
      const f = lu[r * n + c].div(pivot);
      for (let j = c + 1; j < n; j++) lu[r * n + j] = lu[r * n + j].minus(f.times(lu[c * n + j]));
      for (let j = 0; j < k; j++) x[r * k + j] = x[r * k + j].minus(f.times(x[c * k + j]));
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    for (let j = 0; j < k; j++) {
      let s = x[c * k + j];
      for (let q = c + 1; q < n; q++) s = s.minus(lu[c * n + q].times(x[q * k + j]));
      x[c * k + j] = s.div(lu[c * n + c]);
    }
  }
  return new DecimalMatrix(n, k, x);
}

/**
 * `a⁻¹` by LU with partial pivoting (solving `a x = I`).
 * @throws {SingularMatrixError} as `luSolve`
 */
export function luInverse(ctx: DecimalContext, a: DecimalMatrix): DecimalMatrix {
  const n = requireSquare(a, "inverse");
  const id: Decimal[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) id.push(new ctx.D(i === j ? 1 : 0));
  return luSolve(ctx, a, new DecimalMatrix(n, n, id));
}

/**
 * The Cholesky factor `L` of `a = L Lᵀ` (lower triangular, positive diagonal), row-major
 * `n × n`. Reads the lower triangle of `a` only.
 * @throws {ShapeError} when `a` is not square
 * @throws {NotPositiveDefiniteError} when a pivot `a_kk − Σ l_kj²` is at most
 *   `n · 10^−precision · max a_ii` (not positive definite at the working precision)
 */
function choleskyFactor(ctx: DecimalContext, a: DecimalMatrix, what: string): Decimal[] {
  const n = requireSquare(a, what);
  let maxDiag = new ctx.D(0);
  for (let i = 0; i < n; i++) if (a.get(i, i).gt(maxDiag)) maxDiag = a.get(i, i);
  const tol = ctx.unit.times(n).times(maxDiag);
  const l: Decimal[] = new Array(n * n).fill(new ctx.D(0));
  for (let j = 0; j < n; j++) {
    let d = a.get(j, j);
    for (let q = 0; q < j; q++) d = d.minus(l[j * n + q].times(l[j * n + q]));
    if (d.lte(tol)) {
      throw new NotPositiveDefiniteError(
        `Cholesky: pivot ${j} is ${d.toExponential(3)}, at most the tolerance ` +
          `${tol.toExponential(3)} (n · 10^-${ctx.precision} · max a_ii): matrix is not positive ` +
          `definite at ${ctx.digits} digits`,
        j,
      );
    }
    const ljj = d.sqrt();
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a.get(i, j);
      for (let q = 0; q < j; q++) s = s.minus(l[i * n + q].times(l[j * n + q]));
      l[i * n + j] = s.div(ljj);
    }
  }
  return l;
}

/** Overwrites `x` (`n × k`, row-major) with `L⁻¹ x` (forward substitution). */
function solveLowerInPlace(l: readonly Decimal[], n: number, x: Decimal[], k: number): void {
  for (let c = 0; c < n; c++) {
    for (let j = 0; j < k; j++) {
      let s = x[c * k + j];
      for (let q = 0; q < c; q++) s = s.minus(l[c * n + q].times(x[q * k + j]));
      x[c * k + j] = s.div(l[c * n + c]);
    }
  }
}

/**
 * Solves `a x = b` for symmetric positive definite `a` by Cholesky `a = L Lᵀ`. Reads the lower
 * triangle of `a` only.
 * @param a `n × n`, symmetric positive definite
 * @param b `n × k`
 * @throws {ShapeError} on mismatched shapes
 * @throws {NotPositiveDefiniteError} when a pivot `a_kk − Σ l_kj²` is at most
 *   `n · 10^−precision · max a_ii` (not positive definite at the working precision)
 */
export function choleskySolve(
  ctx: DecimalContext,
  a: DecimalMatrix,
  b: DecimalMatrix,
): DecimalMatrix {
  requireSquare(a, "Cholesky solve");
  requireRhs(a, b, "Cholesky solve");
  const l = choleskyFactor(ctx, a, "Cholesky solve");
  const n = a.rows, k = b.cols;
  const x = b.data.slice();
  solveLowerInPlace(l, n, x, k); // L y = b
  for (let c = n - 1; c >= 0; c--) { // Lᵀ x = y
    for (let j = 0; j < k; j++) {
      let s = x[c * k + j];
      for (let q = c + 1; q < n; q++) s = s.minus(l[q * n + c].times(x[q * k + j]));
      x[c * k + j] = s.div(l[c * n + c]);
    }
  }
  return new DecimalMatrix(n, k, x);
}

/**
 * `L⁻¹ b` for the Cholesky factor `L` of the symmetric positive definite `a = L Lᵀ`, so that
 * `(L⁻¹b)ᵀ(L⁻¹b) = bᵀ a⁻¹ b`. Reads the lower triangle of `a` only.
 * @param a `n × n`, symmetric positive definite
 * @param b `n × k`
 * @throws {ShapeError} on mismatched shapes
 * @throws {NotPositiveDefiniteError} as {@link choleskySolve}
 */
export function choleskyWhiten(
  ctx: DecimalContext,
  a: DecimalMatrix,
  b: DecimalMatrix,
): DecimalMatrix {
  requireSquare(a, "Cholesky whiten");
  requireRhs(a, b, "Cholesky whiten");
  const l = choleskyFactor(ctx, a, "Cholesky whiten");
  const x = b.data.slice();
  solveLowerInPlace(l, a.rows, x, b.cols);
  return new DecimalMatrix(a.rows, b.cols, x);
}
