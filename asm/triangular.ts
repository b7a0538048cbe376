// Triangular solves with many right-hand sides, T·X = B in place in B (n×nrhs, row-major,
// row stride nrhs), T stored in a row-major n×n buffer with row stride ldt. Blocked: the
// off-diagonal part of each block of NB rows is one gemm (most of the flops for large n), the
// NB×NB diagonal block is solved by row operations. For n ≤ NB no gemm is called.
// Diagonal entries are divided by, never inverted and multiplied: exact when the quotient is.
import { axpy, divideBy, gemmStrided } from "./blas";

/** Rows per block (16 measured at least as fast as 32 and 64 for n = 32…128). */
const NB: i32 = 16;

function row(b: usize, i: i32, nrhs: i32): usize {
  return b + ((<usize> (i * nrhs)) << 3);
}

function at(t: usize, ldt: i32, i: i32, j: i32): f64 {
  return load<f64>(t + ((<usize> (i * ldt + j)) << 3));
}

/** L·X = B for lower triangular L; unit != 0: L has a unit diagonal (not read). */
export function solveLower(n: i32, nrhs: i32, l: usize, ldt: i32, unit: i32, b: usize): void {
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = min(n, i0 + NB);
    // B[I] −= L[I, 0:i0] · X[0:i0]
    if (i0 > 0) {
      gemmStrided(
        0,
        0,
        i1 - i0,
        nrhs,
        i0,
        -1.0,
        l + ((<usize> (i0 * ldt)) << 3),
        ldt,
        b,
        nrhs,
        1.0,
        row(b, i0, nrhs),
        nrhs,
      );
    }
    for (let i = i0; i < i1; i++) {
      const ri = row(b, i, nrhs);
      for (let j = i0; j < i; j++) {
        const lij = at(l, ldt, i, j);
        if (lij != 0) axpy(nrhs, -lij, row(b, j, nrhs), ri);
      }
      if (!unit) divideBy(nrhs, at(l, ldt, i, i), ri, ri);
    }
  }
}

/**
 * U·X = B for upper triangular U (non-unit diagonal). trans != 0: U = Lᵀ, read from the lower
 * triangular L stored in place (ldt is then L's row stride).
 */
export function solveUpper(n: i32, nrhs: i32, t: usize, ldt: i32, trans: i32, b: usize): void {
  // U[i, j] = t[i·rs + j·cs]
  const rs = trans ? 1 : ldt, cs = trans ? ldt : 1;
  for (let i1 = n; i1 > 0; i1 -= NB) {
    const i0 = max(0, i1 - NB);
    // B[I] −= U[I, i1:n] · X[i1:n]
    if (i1 < n) {
      gemmStrided(
        trans,
        0,
        i1 - i0,
        nrhs,
        n - i1,
        -1.0,
        t + ((<usize> (i0 * rs + i1 * cs)) << 3),
        ldt,
        row(b, i1, nrhs),
        nrhs,
        1.0,
        row(b, i0, nrhs),
        nrhs,
      );
    }
    for (let i = i1 - 1; i >= i0; i--) {
      const ri = row(b, i, nrhs);
      for (let j = i + 1; j < i1; j++) {
        const uij = load<f64>(t + ((<usize> (i * rs + j * cs)) << 3));
        if (uij != 0) axpy(nrhs, -uij, row(b, j, nrhs), ri);
      }
      divideBy(nrhs, load<f64>(t + ((<usize> (i * (rs + cs))) << 3)), ri, ri);
    }
  }
}
