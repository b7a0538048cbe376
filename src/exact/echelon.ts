/**
 * An echelon factorisation of `B` in mode order, for the stable B-free form
 * (`bfree_stable.ts`): `T̃ᵀ B = R'` with `T̃` orthogonal and `R'` in row-echelon form whose
 * non-zero rows have distinct pivot columns and whose other rows are exactly zero.
 *
 * 1. `B = Q R` by Gram–Schmidt with reorthogonalisation (CGS2) in the given column order (mode
 *    order, `s̃` descending) — the order matters, so the backend's pivoted factorisations do not
 *    serve. A column whose residual is at the rounding level ("deficient") lies in the span of
 *    the columns before it: it gets `R_kk = 0` and takes no part in the orthogonalisation.
 *    The rounding level a residual is compared with grows with `‖b_j‖/R_jj` of the pivots before
 *    it (cancellation in a pivot amplifies the rounding of its `q_j`): measured, a reversed mode
 *    whose column
 *    came after a pivot of 7e-3 left a residual of 4e-14, above the plain rounding level 7e-15,
 *    and the form then escaped the saddle it should describe.
 * 2. The deficient columns' `q_k` are chosen last, as an orthonormal basis of the complement of
 *    all the other `q`s. Every column of `B` lies in the span of the non-deficient `q`s, so the
 *    rows `k` of `R` are exactly zero and `R` is already in echelon form (pivot of row `k` at `k`
 *    or none). Choosing `q_k` when column `k` is met instead (any unit vector orthogonal to the
 *    `q`s so far) can put it almost inside the span of the later columns; their residuals then
 *    become small, and the row reduction that zeroes row `k` against them makes `T̃` ill
 *    conditioned (measured: cond(T̃) = 2e5 and an error of 4e-11 in `QQᵀ(0)` for a reversed
 *    top mode, `B`'s first column zero).
 * 3. Entries of `R'` at the rounding level (`≤ tol`) are set to exactly zero: for square problems
 *    `B` is singular exactly when `sign det W2W1(0) ≠ sign det Σyx` (MATH.md), so such entries
 *    are rounding noise of an exact zero.
 *
 * Decisions (which entries are negligible) are taken in f64; all arithmetic stays in the backend
 * (selection and masking use exact 0/1 matrices).
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";

/** The result of {@link echelonOfB}. */
export interface Echelon<M> {
  /** `T̃ = Q`, `n × n` orthogonal. */
  t: M;
  /** `R' = T̃ᵀ B`, row echelon, negligible entries exactly zero. */
  r: M;
  /** Pivot column of each row of `R'` (first non-zero entry), `-1` for a zero row. */
  pivots: number[];
}

/** Rounding level of `B`'s entries (`‖B‖₂ ≤ 2`) in the backend's arithmetic. */
export function echelonTolerance<M>(be: Backend<M>, n: number): number {
  return 2 * n * 10 ** -(be.digits - 1);
}

/** Echelon factorisation of the square `b` (see the module documentation). */
export function echelonOfB<M>(be: Backend<M>, b: M, tol: number): Echelon<M> {
  const n = be.shape(b)[0];
  const unit = (k: number) => be.from(Matrix.fromFunction(n, 1, (i) => (i === k ? 1 : 0)));
  const qCols: (M | undefined)[] = [], rCols: M[] = [];
  const kept: number[] = []; // indices of the non-deficient columns so far
  // A residual carries the rounding of the q's it was orthogonalised against, each amplified by
  // the cancellation ‖b_j‖/R_jj of its pivot, so the deficiency threshold grows with it.
  let amplification = 1;
  for (let k = 0; k < n; k++) {
    let v = be.block(b, 0, n, k, k + 1);
    const norm = be.maxAbs(be.singularValues(v));
    let rk = be.zeros(n, 1);
    if (kept.length > 0) {
      const qk = be.hstack(kept.map((i) => qCols[i]!));
      // Scatters the coefficients on the kept q's into their rows of R's column k.
      const scatter = be.from(
        Matrix.fromFunction(n, kept.length, (i, a) => (i === kept[a] ? 1 : 0)),
      );
      for (let pass = 0; pass < 2; pass++) {
        const c = be.matmul(qk, v, true, false);
        v = be.sub(v, be.matmul(qk, c));
        rk = be.add(rk, be.matmul(scatter, c));
      }
    }
    const d = be.svd(v); // v = u·s·v₁₁ with |v₁₁| = 1: a norm without a square-root operation
    const residual = be.maxAbs(d.s);
    if (residual > tol * amplification) {
      qCols.push(d.u);
      kept.push(k);
      amplification = Math.max(amplification, norm / residual);
      rk = be.add(rk, be.matmul(unit(k), be.matmul(d.s, d.v, false, true)));
    } else {
      qCols.push(undefined); // deficient: q_k completed below, R_kk = 0
    }
    rCols.push(rk);
  }
  if (kept.length < n) {
    const complement = kept.length === 0
      ? be.identity(n)
      : be.orthComplement(be.hstack(kept.map((i) => qCols[i]!)));
    let next = 0;
    for (let k = 0; k < n; k++) {
      if (qCols[k] === undefined) qCols[k] = be.block(complement, 0, n, next, ++next);
    }
  }
  const q = be.hstack(qCols as M[]), r = be.hstack(rCols);
  const rf = be.toMatrix(r);
  const mask = Matrix.fromFunction(n, n, (i, j) => (Math.abs(rf.get(i, j)) > tol ? 1 : 0));
  const pivots = Array.from({ length: n }, (_, i) => {
    for (let j = 0; j < n; j++) if (mask.get(i, j) === 1) return j;
    return -1;
  });
  return { t: q, r: be.hadamard(r, be.from(mask)), pivots };
}
