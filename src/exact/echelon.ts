/**
 * An echelon factorisation of `B` in mode order, for the stable B-free form
 * (`bfree_stable.ts`): `T̃ᵀ B = R'` with `T̃ = Q Pᵀ` invertible and `R'` in row-echelon form whose
 * non-zero rows have distinct pivot columns and whose other rows are exactly zero.
 *
 * 1. `B = Q R` by Gram–Schmidt with reorthogonalisation (CGS2) in the given column order (mode
 *    order, `s̃` descending) — the order matters, so the backend's pivoted factorisations do not
 *    serve. A column whose residual is at the rounding level gets `R_kk = 0` and a unit vector
 *    from the orthogonal complement.
 * 2. Rows `k` with `R_kk = 0` ("deficient"), from the bottom up, are reduced against the pivot
 *    rows below them: `R'_k = R_k − c R_piv` with `c = R_k,piv R_piv,piv⁻¹`, which zeroes their
 *    pivot-column entries; `P` records the row operations (unit triangular, so invertible).
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
  /** `T̃ = Q Pᵀ`, `n × n` invertible. */
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
  const qCols: M[] = [], rCols: M[] = [];
  for (let k = 0; k < n; k++) {
    let v = be.block(b, 0, n, k, k + 1);
    let coeff: M | undefined;
    if (k > 0) {
      const qk = be.hstack(qCols);
      for (let pass = 0; pass < 2; pass++) {
        const c = be.matmul(qk, v, true, false);
        v = be.sub(v, be.matmul(qk, c));
        coeff = coeff ? be.add(coeff, c) : c;
      }
    }
    const d = be.svd(v); // v = u·s·v₁₁ with |v₁₁| = 1: a norm without a square-root operation
    let q: M, rkk: M;
    if (be.maxAbs(d.s) > tol) {
      q = d.u;
      rkk = be.matmul(d.s, d.v, false, true);
    } else {
      q = k === 0
        ? be.block(be.identity(n), 0, n, 0, 1)
        : be.block(be.orthComplement(be.hstack(qCols)), 0, n, 0, 1);
      rkk = be.zeros(1, 1);
    }
    qCols.push(q);
    const parts = [...(coeff ? [coeff] : []), rkk, ...(k < n - 1 ? [be.zeros(n - k - 1, 1)] : [])];
    rCols.push(be.vstack(parts));
  }
  const q = be.hstack(qCols), r = be.hstack(rCols);
  const rf = be.toMatrix(r);
  const deficient = (k: number) => rf.get(k, k) === 0;
  // P = I with deficient rows replaced, bottom-up, by e_k − c scattered onto the pivot rows.
  let p = be.identity(n);
  for (let k = n - 1; k >= 0; k--) {
    if (!deficient(k)) continue;
    const piv = Array.from({ length: n - k - 1 }, (_, j) => k + 1 + j).filter((j) => !deficient(j));
    if (piv.length === 0) continue;
    const sel = be.from(Matrix.fromFunction(piv.length, n, (a, j) => (j === piv[a] ? 1 : 0)));
    const ek = be.from(Matrix.fromFunction(1, n, (_, j) => (j === k ? 1 : 0)));
    const rpp = be.matmul(sel, be.matmul(r, sel, false, true)); // R[piv, piv], upper triangular
    const rkp = be.matmul(ek, be.matmul(r, sel, false, true)); // R[k, piv], 1 × |piv|
    const c = be.transpose(be.solve(be.transpose(rpp), be.transpose(rkp))); // c R_pp = R_kp
    const newRow = be.sub(ek, be.matmul(c, sel)); // e_k − c scattered (pivot rows of P are e_j)
    const others = be.from(Matrix.fromFunction(n, n, (i, j) => (i === j && i !== k ? 1 : 0)));
    p = be.add(be.matmul(others, p), be.matmul(be.transpose(ek), newRow));
  }
  const rp = be.matmul(p, r);
  const rpf = be.toMatrix(rp);
  const mask = Matrix.fromFunction(n, n, (i, j) => (Math.abs(rpf.get(i, j)) > tol ? 1 : 0));
  const pivots = Array.from({ length: n }, (_, i) => {
    for (let j = 0; j < n; j++) if (mask.get(i, j) === 1) return j;
    return -1;
  });
  return { t: be.matmul(q, p, false, true), r: be.hadamard(rp, be.from(mask)), pivots };
}
