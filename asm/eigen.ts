// Symmetric eigendecomposition by the cyclic Jacobi method, row-major f64, byte pointers.
//
// A = V·diag(λ)·Vᵀ with λ ascending and V orthogonal (eigenvectors as columns). Each rotation
// J(p, q, θ) zeroes a_pq (Golub & Van Loan, Algorithm 8.5.2 sym.schur2):
//   τ = (a_qq − a_pp)/(2a_pq), t = sign(τ)/(|τ| + √(1 + τ²)), c = 1/√(1 + t²), s = t·c,
//   A ← JᵀAJ, V ← VJ, with a_pp ← a_pp − t·a_pq, a_qq ← a_qq + t·a_pq, a_pq ← 0 exactly.
// A pair is skipped when |a_pq| ≤ ε·√(|a_pp|·|a_qq|) (the relative criterion of Demmel &
// Veselić) or |a_pq| ≤ ε²·‖A‖_F (far below what rounding already costs); converged when a whole
// sweep skips every pair. Backward error O(n·ε·‖A‖), orthogonality O(n·ε).
// Sign convention: as for the SVD, the entry of largest magnitude of each eigenvector is
// positive (ties to the lowest index).
import {
  exponentOf,
  negateStrided,
  rotatePair,
  rotateRows,
  scalePow2,
  signPivot,
  swapRows,
} from "./svd";

function ptrAt(base: usize, index: i32): usize {
  return base + (<usize> index << 3);
}

/** Workspace (f64 entries) for {@link symEigenJacobi}. */
export function symEigenWorkSize(n: i32): i32 {
  return 2 * n * n;
}

/**
 * Eigendecomposition of the symmetric part (A + Aᵀ)/2 of the row-major n×n matrix `a` (not
 * modified). `values` receives n eigenvalues ascending, `vectors` (n×n row-major) the
 * orthonormal eigenvectors as columns. `work`: {@link symEigenWorkSize}(n) entries.
 * Returns 0 on success, 1 when `maxSweeps` sweeps did not converge.
 */
export function symEigenJacobi(
  n: i32,
  a: usize,
  values: usize,
  vectors: usize,
  work: usize,
  maxSweeps: i32,
): i32 {
  const w = work;
  const vt = ptrAt(w, n * n);
  // Exact power-of-two prescaling (largest entry in [1, 2)): thresholds stay far from the
  // subnormal range whatever the scale of A.
  let amax = 0.0;
  for (let i = 0; i < n * n; i++) amax = Math.max(amax, Math.abs(load<f64>(ptrAt(a, i))));
  const expo = isFinite(amax) ? exponentOf(amax) : 0;
  let fro2 = 0.0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      // (A + Aᵀ)/2 scaled by 2^−expo; both halves scaled first so the sum cannot overflow.
      const aij = scalePow2(load<f64>(ptrAt(a, i * n + j)), -expo - 1);
      const x = aij + scalePow2(load<f64>(ptrAt(a, j * n + i)), -expo - 1);
      store<f64>(ptrAt(w, i * n + j), x);
      store<f64>(ptrAt(vt, i * n + j), i == j ? 1.0 : 0.0);
      fro2 += x * x;
    }
  }
  const eps = f64.EPSILON;
  const floor = eps * eps * Math.sqrt(fro2);
  let status = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotations = 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = load<f64>(ptrAt(w, p * n + q));
        const app = load<f64>(ptrAt(w, p * n + p));
        const aqq = load<f64>(ptrAt(w, q * n + q));
        const small = Math.abs(apq);
        if (small <= floor || small <= eps * Math.sqrt(Math.abs(app)) * Math.sqrt(Math.abs(aqq))) {
          continue;
        }
        rotations++;
        const tau = (aqq - app) / (2 * apq);
        const at = Math.abs(tau);
        const t = at < 1e150 ? copysign<f64>(1, tau) / (at + Math.sqrt(1 + tau * tau)) : 0.5 / tau;
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        // Rows p, q (contiguous), then columns p, q (strided), then the 2×2 block exactly.
        rotateRows(ptrAt(w, p * n), ptrAt(w, q * n), n, c, s);
        const half = s / (1 + c);
        for (let k = 0; k < n; k++) rotatePair(ptrAt(w, k * n + p), ptrAt(w, k * n + q), s, half);
        store<f64>(ptrAt(w, p * n + p), app - t * apq);
        store<f64>(ptrAt(w, q * n + q), aqq + t * apq);
        store<f64>(ptrAt(w, p * n + q), 0);
        store<f64>(ptrAt(w, q * n + p), 0);
        rotateRows(ptrAt(vt, p * n), ptrAt(vt, q * n), n, c, s);
      }
    }
    if (rotations == 0) {
      status = 0;
      break;
    }
  }

  // Ascending order (selection sort), sign convention, eigenvectors as columns.
  for (let j = 0; j < n; j++) {
    store<f64>(ptrAt(values, j), scalePow2(load<f64>(ptrAt(w, j * n + j)), expo));
  }
  for (let j = 0; j < n; j++) {
    let best = j;
    for (let i = j + 1; i < n; i++) {
      if (load<f64>(ptrAt(values, i)) < load<f64>(ptrAt(values, best))) best = i;
    }
    if (best != j) {
      const t = load<f64>(ptrAt(values, j));
      store<f64>(ptrAt(values, j), load<f64>(ptrAt(values, best)));
      store<f64>(ptrAt(values, best), t);
      swapRows(ptrAt(vt, j * n), ptrAt(vt, best * n), n);
    }
    const vj = ptrAt(vt, j * n);
    if (load<f64>(ptrAt(vj, signPivot(vj, n, 1))) < 0) negateStrided(vj, n, 1);
    for (let i = 0; i < n; i++) store<f64>(ptrAt(vectors, i * n + j), load<f64>(ptrAt(vj, i)));
  }
  return status;
}
