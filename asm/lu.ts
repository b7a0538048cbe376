// LU factorisation with partial pivoting, P·A = L·U, of a square row-major matrix, and the
// solves built on it. Row-major storage makes every update a contiguous row operation
// (`axpy` on rows), so the kernels are right-looking and row oriented.
//
// Pivots are i32 row indices: piv[k] = the row swapped with row k at step k (LAPACK's ipiv,
// zero-based).
import { axpy, copy } from "./blas";
import { solveLower, solveUpper } from "./triangular";

/**
 * Factors the n×n matrix a in place into P·A = L·U (L unit lower, U upper, both stored in a)
 * and writes the pivots into piv (n i32 values). Elimination continues past a zero pivot so
 * the factors are complete; the return value is the 1-based index of the first exactly zero
 * pivot (0 = non-singular in f64).
 */
export function luFactor(n: i32, a: usize, piv: usize): i32 {
  let info = 0;
  const rowBytes = <usize> n << 3;
  for (let k = 0; k < n; k++) {
    // pivot: the largest |a_ik|, i ≥ k
    let p = k;
    let best = abs(load<f64>(a + ((<usize> (k * n + k)) << 3)));
    for (let i = k + 1; i < n; i++) {
      const v = abs(load<f64>(a + ((<usize> (i * n + k)) << 3)));
      if (v > best) {
        best = v;
        p = i;
      }
    }
    store<i32>(piv + (<usize> k << 2), p);
    if (p != k) swapRows(a + <usize> k * rowBytes, a + <usize> p * rowBytes, n);
    const rk = a + <usize> k * rowBytes;
    const ukk = load<f64>(rk + (<usize> k << 3));
    if (ukk == 0) {
      if (info == 0) info = k + 1;
      continue;
    }
    const inv = 1.0 / ukk;
    const tail = n - k - 1;
    for (let i = k + 1; i < n; i++) {
      const ri = a + <usize> i * rowBytes;
      const lik = load<f64>(ri + (<usize> k << 3)) * inv;
      store<f64>(ri + (<usize> k << 3), lik);
      if (lik != 0) axpy(tail, -lik, rk + (<usize> (k + 1) << 3), ri + (<usize> (k + 1) << 3));
    }
  }
  return info;
}

/**
 * Solves A·X = B in place in b (n×nrhs) from the factors of luFactor (lu, piv). The factors
 * must be non-singular.
 */
export function luSolve(n: i32, nrhs: i32, lu: usize, piv: usize, b: usize): void {
  const rowB = <usize> nrhs << 3;
  // B ← P·B
  for (let k = 0; k < n; k++) {
    const p = load<i32>(piv + (<usize> k << 2));
    if (p != k) swapRows(b + <usize> k * rowB, b + <usize> p * rowB, nrhs);
  }
  solveLower(n, nrhs, lu, n, 1, b); // L·Y = P·B, L unit lower
  solveUpper(n, nrhs, lu, n, 0, b); // U·X = Y
}

/**
 * Solves A·X = B: copies a into work (n×n), factors it (pivots into piv, n i32), and
 * overwrites b (n×nrhs) with X. Returns luFactor's status; b is untouched when it is not 0.
 */
export function solveLinear(
  n: i32,
  nrhs: i32,
  a: usize,
  b: usize,
  work: usize,
  piv: usize,
): i32 {
  copy(n * n, a, work);
  const info = luFactor(n, work, piv);
  if (info == 0) luSolve(n, nrhs, work, piv, b);
  return info;
}

/** det A from the factors of luFactor: ± Π u_kk (sign from the row swaps). */
export function luDeterminant(n: i32, lu: usize, piv: usize): f64 {
  let d = 1.0;
  for (let k = 0; k < n; k++) {
    d *= load<f64>(lu + ((<usize> (k * n + k)) << 3));
    if (load<i32>(piv + (<usize> k << 2)) != k) d = -d;
  }
  return d == 0 ? 0.0 : d; // no −0 from row swaps of a singular matrix
}

/**
 * Estimates the reciprocal 1-norm condition number 1 / (‖A‖₁·‖A⁻¹‖₁) from the factors of A
 * (Hager's method as refined by Higham, LAPACK dlacon): a lower bound on ‖A⁻¹‖₁ from a few
 * solves with A and Aᵀ, usually within a factor 3 of the truth. anorm = ‖A‖₁;
 * x, w are n-vector scratch. Returns 0 for a singular factorisation.
 */
export function luRcond(n: i32, lu: usize, piv: usize, anorm: f64, x: usize, w: usize): f64 {
  if (n == 0) return 1.0;
  if (anorm == 0) return 0.0;
  for (let k = 0; k < n; k++) if (load<f64>(lu + ((<usize> (k * n + k)) << 3)) == 0) return 0.0;
  for (let i = 0; i < n; i++) store<f64>(x + (<usize> i << 3), 1.0 / <f64> n);
  let est = 0.0;
  let lastJ = -1;
  for (let iter = 0; iter < 5; iter++) {
    luSolve(n, 1, lu, piv, x); // x ← A⁻¹ x
    let s = 0.0;
    for (let i = 0; i < n; i++) s += abs(load<f64>(x + (<usize> i << 3)));
    if (iter > 0 && s <= est) break;
    est = s;
    // w ← A⁻ᵀ sign(x)
    for (let i = 0; i < n; i++) {
      store<f64>(w + (<usize> i << 3), load<f64>(x + (<usize> i << 3)) >= 0 ? 1.0 : -1.0);
    }
    luSolveTransposed(n, lu, piv, w);
    let j = 0;
    let wmax = abs(load<f64>(w));
    for (let i = 1; i < n; i++) {
      const v = abs(load<f64>(w + (<usize> i << 3)));
      if (v > wmax) {
        wmax = v;
        j = i;
      }
    }
    // converged when ‖z‖∞ ≤ zᵀx_old (x_old = e/n first, then the unit vector e_lastJ)
    let ztx = 0.0;
    if (lastJ < 0) {
      for (let i = 0; i < n; i++) ztx += load<f64>(w + (<usize> i << 3));
      ztx /= <f64> n;
    } else {
      ztx = load<f64>(w + (<usize> lastJ << 3));
    }
    if (wmax <= ztx || j == lastJ) break;
    lastJ = j;
    memory.fill(x, 0, <usize> n << 3);
    store<f64>(x + (<usize> j << 3), 1.0);
  }
  // Higham's alternative estimate guards against the method's known bad cases.
  for (let i = 0; i < n; i++) {
    const sign: f64 = (i & 1) ? -1.0 : 1.0;
    store<f64>(x + (<usize> i << 3), sign * (1.0 + <f64> i / <f64> max(n - 1, 1)));
  }
  luSolve(n, 1, lu, piv, x);
  let alt = 0.0;
  for (let i = 0; i < n; i++) alt += abs(load<f64>(x + (<usize> i << 3)));
  alt = 2.0 * alt / (3.0 * <f64> n);
  if (alt > est) est = alt;
  return 1.0 / (anorm * est);
}

/** Solves Aᵀ·x = b in place for one right-hand side from the factors of luFactor. */
function luSolveTransposed(n: i32, lu: usize, piv: usize, x: usize): void {
  // Aᵀ = Uᵀ Lᵀ P: solve Uᵀ z = b (forward), Lᵀ y = z (backward), x = Pᵀ y.
  for (let i = 0; i < n; i++) {
    let s = load<f64>(x + (<usize> i << 3));
    for (let j = 0; j < i; j++) {
      s -= load<f64>(lu + ((<usize> (j * n + i)) << 3)) * load<f64>(x + (<usize> j << 3));
    }
    store<f64>(x + (<usize> i << 3), s / load<f64>(lu + ((<usize> (i * n + i)) << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(x + (<usize> i << 3));
    for (let j = i + 1; j < n; j++) {
      s -= load<f64>(lu + ((<usize> (j * n + i)) << 3)) * load<f64>(x + (<usize> j << 3));
    }
    store<f64>(x + (<usize> i << 3), s);
  }
  for (let k = n - 1; k >= 0; k--) {
    const p = load<i32>(piv + (<usize> k << 2));
    if (p != k) {
      const xk = load<f64>(x + (<usize> k << 3));
      store<f64>(x + (<usize> k << 3), load<f64>(x + (<usize> p << 3)));
      store<f64>(x + (<usize> p << 3), xk);
    }
  }
}

/** Swaps two rows of n f64 values. */
function swapRows(r1: usize, r2: usize, n: i32): void {
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize> j << 3;
    const t = v128.load(r1 + o);
    v128.store(r1 + o, v128.load(r2 + o));
    v128.store(r2 + o, t);
  }
  if (j < n) {
    const o = <usize> j << 3;
    const t = load<f64>(r1 + o);
    store<f64>(r1 + o, load<f64>(r2 + o));
    store<f64>(r2 + o, t);
  }
}
