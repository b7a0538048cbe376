// Matrix exponential by scaling and squaring with diagonal Padé approximants r_m,
// m ∈ {3, 5, 7, 9, 13}: Al-Mohy & Higham, "A new scaling and squaring algorithm for the matrix
// exponential", SIAM J. Matrix Anal. Appl. 31(3), 2009, Algorithm 5.1 — the refinement of
// Higham (2005). Degree and scaling 2⁻ˢ are chosen from d_k = ‖A^k‖₁^{1/k} (computed exactly
// from the powers the Padé evaluation needs anyway) instead of ‖A‖₁, and ell() adds squarings
// only where the Padé error bound needs them: this avoids the overscaling that makes the 2005
// method lose accuracy on non-normal matrices (e.g. [[1, b], [0, −1]], b large). The θ_m keep
// the backward error of r_m(2⁻ˢA) at most the unit roundoff u = 2⁻⁵³.
import { copy, gemm, norm1, scale } from "./blas";
import { solveLinear } from "./lu";

// θ_m of Higham (2005), Table 2.3; θ₁₃ = 4.25 is Al-Mohy & Higham's (2009) choice for their
// bound in terms of d_k.
const THETA3 = 1.495585217958292e-2;
const THETA5 = 2.539398330063230e-1;
const THETA7 = 9.504178996162932e-1;
const THETA9 = 2.097847961257068e0;
const THETA13 = 4.25;
/** θ₁₃ of the 2005 rule s = ⌈log₂(‖A‖₁/θ₁₃)⌉, the fallback when powers of A overflow. */
const THETA13_2005 = 5.371920351148152e0;

// Padé coefficients b_0 … b_m of r_m = q_m⁻¹ p_m, p_m(x) = Σ b_j x^j.
const B3: usize = memory.data<f64>([120.0, 60.0, 12.0, 1.0]);
const B5: usize = memory.data<f64>([30240.0, 15120.0, 3360.0, 420.0, 30.0, 1.0]);
const B7: usize = memory.data<f64>([
  17297280.0,
  8648640.0,
  1995840.0,
  277200.0,
  25200.0,
  1512.0,
  56.0,
  1.0,
]);
const B9: usize = memory.data<f64>([
  17643225600.0,
  8821612800.0,
  2075673600.0,
  302702400.0,
  30270240.0,
  2162160.0,
  110880.0,
  3960.0,
  90.0,
  1.0,
]);
const B13: usize = memory.data<f64>([
  64764752532480000.0,
  32382376266240000.0,
  7771770303897600.0,
  1187353796428800.0,
  129060195264000.0,
  10559470521600.0,
  670442572800.0,
  33522128640.0,
  1323241920.0,
  40840800.0,
  960960.0,
  16380.0,
  182.0,
  1.0,
]);

/** Workspace expm needs, in f64 slots, for an n×n matrix. */
export function expmWorkSize(n: i32): i32 {
  return 9 * n * n + 3 * n;
}

/**
 * out = e^A for the n×n matrix a; work holds expmWorkSize(n) f64 slots (16-byte aligned).
 * Returns 0, or the status of the LU solve with q_m(2⁻ˢA) (not expected for finite A: the θ_m
 * bounds keep q_m well conditioned); out is then undefined. NaN/∞ entries give NaN results.
 */
export function expm(n: i32, a: usize, out: usize, work: usize): i32 {
  if (n <= 0) return 0;
  const nn = n * n;
  const sz = <usize> nn << 3;
  const x = work; // (scaled) A
  const a2 = x + sz;
  const a4 = a2 + sz;
  const a6 = a4 + sz;
  const a8 = a6 + sz;
  const u = a8 + sz;
  const v = u + sz;
  const t = v + sz;
  const lu = t + sz;
  const piv = lu + sz;

  const vec = piv + (<usize> n << 3); // two n-vectors for ell()
  copy(nn, a, x);
  gemm(0, 0, n, n, n, 1.0, x, x, 0.0, a2);
  gemm(0, 0, n, n, n, 1.0, a2, a2, 0.0, a4);
  gemm(0, 0, n, n, n, 1.0, a4, a2, 0.0, a6);
  const normA = norm1(n, n, a);
  const vec2 = vec + (<usize> n << 3);
  const d4 = Math.pow(norm1(n, n, a4), 0.25);
  const d6 = Math.pow(norm1(n, n, a6), 1.0 / 6.0);
  let s = 0;
  let m = 13;
  const eta1 = max(d4, d6);
  if (eta1 <= THETA3 && ell(3, normA, log2NormAbsPower(n, a, 7, vec, vec2), 0) == 0) {
    m = 3;
  } else if (eta1 <= THETA5 && ell(5, normA, log2NormAbsPower(n, a, 11, vec, vec2), 0) == 0) {
    m = 5;
  } else {
    gemm(0, 0, n, n, n, 1.0, a4, a4, 0.0, a8);
    const d8 = Math.pow(norm1(n, n, a8), 0.125);
    const eta3 = max(d6, d8);
    if (eta3 <= THETA7 && ell(7, normA, log2NormAbsPower(n, a, 15, vec, vec2), 0) == 0) {
      m = 7;
    } else if (eta3 <= THETA9 && ell(9, normA, log2NormAbsPower(n, a, 19, vec, vec2), 0) == 0) {
      m = 9;
    } else {
      gemm(0, 0, n, n, n, 1.0, a4, a6, 0.0, u); // A¹⁰, u is free until the Padé step
      const d10 = Math.pow(norm1(n, n, u), 0.1);
      const eta5 = min(eta3, max(d8, d10));
      if (isFinite(eta5)) {
        s = eta5 == 0 ? 0 : max(0, <i32> Math.ceil(Math.log2(eta5 / THETA13)));
        s += ell(13, normA, log2NormAbsPower(n, a, 27, vec, vec2), s);
        if (s > 0) {
          // A, A², A⁴, A⁶ of 2⁻ˢA: exact power-of-two scalings
          scale(nn, Math.pow(2.0, -<f64> s), x, x);
          scale(nn, Math.pow(2.0, -2.0 * <f64> s), a2, a2);
          scale(nn, Math.pow(2.0, -4.0 * <f64> s), a4, a4);
          scale(nn, Math.pow(2.0, -6.0 * <f64> s), a6, a6);
        }
      } else {
        // powers of A overflowed (‖A‖₁ ≳ 1e50): the 2005 rule from ‖A‖₁ alone
        s = max(0, <i32> Math.ceil(Math.log2(normA / THETA13_2005)));
        while (normA * Math.pow(2.0, -<f64> s) > THETA13_2005) s++;
        scale(nn, Math.pow(2.0, -<f64> s), a, x);
        gemm(0, 0, n, n, n, 1.0, x, x, 0.0, a2);
        gemm(0, 0, n, n, n, 1.0, a2, a2, 0.0, a4);
        gemm(0, 0, n, n, n, 1.0, a4, a2, 0.0, a6);
      }
    }
  }
  const b: usize = m == 3 ? B3 : m == 5 ? B5 : m == 7 ? B7 : m == 9 ? B9 : B13;

  if (m <= 9) {
    // U = A·Σ_{j odd} b_j A^{j−1},  V = Σ_{j even} b_j A^j
    const p4: usize = m >= 5 ? a4 : 0;
    const p6: usize = m >= 7 ? a6 : 0;
    const p8: usize = m >= 9 ? a8 : 0;
    combine(n, t, b, 1, a2, p4, p6, p8);
    gemm(0, 0, n, n, n, 1.0, x, t, 0.0, u);
    combine(n, v, b, 0, a2, p4, p6, p8);
  } else {
    // U = A·[A6·(b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
    lincomb3(nn, t, a6, ld(b, 13), a4, ld(b, 11), a2, ld(b, 9));
    gemm(0, 0, n, n, n, 1.0, a6, t, 0.0, v); // v as scratch
    combine(n, t, b, 1, a2, a4, a6, 0);
    addTo(nn, t, v); // t = the bracket
    gemm(0, 0, n, n, n, 1.0, x, t, 0.0, u);
    // V = A6·(b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
    lincomb3(nn, t, a6, ld(b, 12), a4, ld(b, 10), a2, ld(b, 8));
    gemm(0, 0, n, n, n, 1.0, a6, t, 0.0, v);
    combine(n, t, b, 0, a2, a4, a6, 0);
    addTo(nn, v, t); // v = V
  }
  // r_m = (V − U)⁻¹ (V + U)
  for (let i = 0; i < nn; i++) {
    const o = <usize> i << 3;
    const ui = load<f64>(u + o), vi = load<f64>(v + o);
    store<f64>(out + o, vi + ui);
    store<f64>(t + o, vi - ui);
  }
  const info = solveLinear(n, n, t, out, lu, piv);
  if (info != 0) return info;
  // square s times, ping-ponging between out and t
  let cur = out, other = t;
  for (let k = 0; k < s; k++) {
    gemm(0, 0, n, n, n, 1.0, cur, cur, 0.0, other);
    const tmp = cur;
    cur = other;
    other = tmp;
  }
  if (cur != out) copy(nn, cur, out);
  return 0;
}

/** b[j] of a coefficient table. */
function ld(b: usize, j: i32): f64 {
  return load<f64>(b + (<usize> j << 3));
}

/**
 * out = b[first]·I + b[first+2]·a2 + b[first+4]·a4 + b[first+6]·a6 + b[first+8]·a8, the even
 * (first = 0) or odd (first = 1, divided by A) part of p_m as a polynomial in A²; a zero pointer
 * drops its term.
 */
function combine(
  n: i32,
  out: usize,
  b: usize,
  first: i32,
  a2: usize,
  a4: usize,
  a6: usize,
  a8: usize,
): void {
  const nn = n * n;
  memory.fill(out, 0, <usize> nn << 3);
  addScaled(nn, out, a2, ld(b, first + 2));
  if (a4 != 0) addScaled(nn, out, a4, ld(b, first + 4));
  if (a6 != 0) addScaled(nn, out, a6, ld(b, first + 6));
  if (a8 != 0) addScaled(nn, out, a8, ld(b, first + 8));
  const c0 = ld(b, first);
  for (let i = 0; i < n; i++) {
    const o = (<usize> (i * n + i)) << 3;
    store<f64>(out + o, load<f64>(out + o) + c0);
  }
}

/** out = c1·p1 + c2·p2 + c3·p3 over nn entries (p3 may be 0 = absent). */
function lincomb3(
  nn: i32,
  out: usize,
  p1: usize,
  c1: f64,
  p2: usize,
  c2: f64,
  p3: usize,
  c3: f64,
): void {
  for (let i = 0; i < nn; i++) {
    const o = <usize> i << 3;
    let s = c1 * load<f64>(p1 + o) + c2 * load<f64>(p2 + o);
    if (p3 != 0) s += c3 * load<f64>(p3 + o);
    store<f64>(out + o, s);
  }
}

/** y += c·x over nn entries. */
function addScaled(nn: i32, y: usize, x: usize, c: f64): void {
  for (let i = 0; i < nn; i++) {
    const o = <usize> i << 3;
    store<f64>(y + o, load<f64>(y + o) + c * load<f64>(x + o));
  }
}

/** y += x over nn entries. */
function addTo(nn: i32, y: usize, x: usize): void {
  addScaled(nn, y, x, 1.0);
}

/**
 * Al-Mohy & Higham's ell(2⁻ˢA, m): the number of extra squarings the Padé error bound asks for,
 * max(⌈log₂(α/u)/(2m)⌉, 0) with α = |c_{2m+1}|·‖|2⁻ˢA|^{2m+1}‖₁ / ‖2⁻ˢA‖₁, c_{2m+1} the leading
 * coefficient of e^x − r_m(x), 1/|c_{2m+1}| = (2m)!(2m+1)!/(m!)². logPow = log₂‖|A|^{2m+1}‖₁.
 */
function ell(m: i32, normA: f64, logPow: f64, s: i32): i32 {
  if (normA == 0 || !isFinite(logPow)) return 0;
  let logInvC = 0.0; // log₂ of (2m)!(2m+1)!/(m!)²
  for (let k = 2; k <= 2 * m + 1; k++) logInvC += Math.log2(<f64> k);
  for (let k = 2; k <= 2 * m; k++) logInvC += Math.log2(<f64> k);
  for (let k = 2; k <= m; k++) logInvC -= 2.0 * Math.log2(<f64> k);
  const log2Alpha = logPow - Math.log2(normA) - 2.0 * <f64> m * <f64> s - logInvC;
  return max(0, <i32> Math.ceil((log2Alpha + 53.0) / (2.0 * <f64> m)));
}

/**
 * log₂ ‖|A|^p‖₁ for the n×n matrix a, exactly up to rounding: for a non-negative matrix the
 * 1-norm is the largest entry of the row vector 1ᵀ|A|^p, computed by p vector–matrix products,
 * renormalised each step so that nothing overflows. −∞ when |A|^p = 0. v, w: n-vector scratch.
 */
function log2NormAbsPower(n: i32, a: usize, p: i32, v: usize, w: usize): f64 {
  for (let j = 0; j < n; j++) store<f64>(v + (<usize> j << 3), 1.0);
  let log2Scale = 0.0;
  for (let step = 0; step < p; step++) {
    let mx = 0.0;
    for (let j = 0; j < n; j++) {
      let t = 0.0;
      for (let i = 0; i < n; i++) {
        t += load<f64>(v + (<usize> i << 3)) * abs(load<f64>(a + ((<usize> (i * n + j)) << 3)));
      }
      store<f64>(w + (<usize> j << 3), t);
      if (t > mx) mx = t;
    }
    if (mx == 0) return -Infinity;
    log2Scale += Math.log2(mx);
    const inv = 1.0 / mx;
    for (let j = 0; j < n; j++) {
      store<f64>(v + (<usize> j << 3), load<f64>(w + (<usize> j << 3)) * inv);
    }
  }
  return log2Scale;
}
