// Cholesky factorisation A = L·Lᵀ of a symmetric positive definite row-major matrix, and the
// solve built on it. Only the lower triangle of A is read.
import { dot, firstNonFinite } from "./blas";
import { solveLower, solveUpper } from "./triangular";

/**
 * Overwrites the lower triangle of the n×n matrix a with L (A = L·Lᵀ, L lower with positive
 * diagonal) and zeroes the strict upper triangle. Row-oriented Cholesky–Crout: each entry is
 * a contiguous row dot product. Returns the 1-based index of the first leading minor that is
 * not positive definite (a pivot ≤ 0 or NaN), 0 on success; a is then partly overwritten.
 */
export function choleskyFactor(n: i32, a: usize): i32 {
  for (let i = 0; i < n; i++) {
    const ri = a + ((<usize> (i * n)) << 3);
    for (let j = 0; j < i; j++) {
      const rj = a + ((<usize> (j * n)) << 3);
      const lij = (load<f64>(ri + (<usize> j << 3)) - dot(j, ri, rj)) /
        load<f64>(rj + (<usize> j << 3));
      store<f64>(ri + (<usize> j << 3), lij);
    }
    const d = load<f64>(ri + (<usize> i << 3)) - dot(i, ri, ri);
    if (!(d > 0)) return i + 1;
    store<f64>(ri + (<usize> i << 3), Math.sqrt(d));
    memory.fill(ri + (<usize> (i + 1) << 3), 0, <usize> (n - i - 1) << 3);
  }
  return 0;
}

/** Solves L·Lᵀ·X = B in place in b (n×nrhs) from choleskyFactor's L. */
export function choleskySolveFactored(n: i32, nrhs: i32, l: usize, b: usize): void {
  solveLower(n, nrhs, l, n, 0, b); // L·Y = B
  solveUpper(n, nrhs, l, n, 1, b); // Lᵀ·X = Y
}

/**
 * Overwrites b (n×nrhs) with L⁻¹·B from choleskyFactor's L. With A = L·Lᵀ,
 * (L⁻¹B)ᵀ(L⁻¹B) = BᵀA⁻¹B: a quadratic form in A⁻¹ from one triangular solve.
 */
export function choleskyWhitenFactored(n: i32, nrhs: i32, l: usize, b: usize): void {
  solveLower(n, nrhs, l, n, 0, b);
}

/**
 * One call for a whole SPD solve on copies: checks A (n×n) and B (n×nrhs) for non-finite
 * entries, factors a copy of A into l (n×n scratch), copies B into x and overwrites it with
 * L⁻¹·B (whitenOnly != 0) or A⁻¹·B. Returns 0 on success, −1 / −2 when A / B has a non-finite
 * entry (nothing else done), or choleskyFactor's failing-minor index (> 0).
 */
export function choleskyApply(
  n: i32,
  nrhs: i32,
  a: usize,
  b: usize,
  l: usize,
  x: usize,
  whitenOnly: i32,
): i32 {
  if (firstNonFinite(n * n, a) != 0) return -1;
  if (firstNonFinite(n * nrhs, b) != 0) return -2;
  memory.copy(l, a, (<usize> (n * n)) << 3);
  const info = choleskyFactor(n, l);
  if (info != 0) return info;
  memory.copy(x, b, (<usize> (n * nrhs)) << 3);
  if (whitenOnly) choleskyWhitenFactored(n, nrhs, l, x);
  else choleskySolveFactored(n, nrhs, l, x);
  return 0;
}
