// Singular value decomposition by one-sided Jacobi (Hestenes) with QR preconditioning
// (Drmač & Veselić 2008), row-major f64, byte pointers.
//
// The m×n input is viewed in its tall orientation T (L×r, L = max(m, n), r = min(m, n)):
// T = A when m ≥ n, T = Aᵀ otherwise, prescaled by an exact power of two. Householder QR with
// column pivoting gives T·P = Q·R (R r×r); one-sided Jacobi then orthogonalises the columns of
// X = Rᵀ, i.e. the rows of R, kept as the rows of a workspace G (contiguous, so rotations and
// dot products stream through memory): pairs are rotated until every pair satisfies
// |g_pᵀg_q| ≤ √r·ε·‖g_p‖‖g_q‖, the rotations accumulating in V₁. Then X·V₁ = U₁Σ, σ_j = ‖g_j‖,
// and T = (Q·V₁)·Σ·(P·U₁)ᵀ. The QR step costs O(L·r²) once and leaves r×r sweeps (fewer of
// them: the pivoted R is already close to having orthogonal rows).
//
// Accuracy: only orthogonality relative to the columns' own norms is tested, so small singular
// values are found to high relative accuracy whenever T = B·D with D diagonal and B well
// conditioned (Demmel & Veselić 1992; pivoted Householder QR is column-wise backward stable
// and keeps that property, Drmač & Veselić 2008): the error is O(L·ε·κ(B))·σ_j, not
// O(ε)·σ_max. Orthogonality of the accumulated factor is O(√(rotations per row)·ε).
//
// Sign convention (deterministic): in every column of V (right singular vectors of A, also the
// completion columns of a full V) the entry of largest magnitude is positive, ties going to the
// lowest index; the paired column of U follows. Completion columns of a full U (j ≥ r) get the
// same rule on U itself. Singular values below 2^−450·2^⌊log2 max|a_ij|⌋ (≈ 3.5e-136 times the
// largest entry) are returned as exact zeros; where σ_j = 0 the vectors of U₁ (not unique) are
// an orthonormal completion of the others.
import { completeBasis, orthComplementWorkSize, qrApplyQ, qrFactorPivoted, qrFormQ } from "./qr";

function ptrAt(base: usize, index: i32): usize {
  return base + (<usize> index << 3);
}

/** 2^k exactly, for −1022 ≤ k ≤ 1023. */
function pow2(k: i32): f64 {
  return reinterpret<f64>(<u64> (k + 1023) << 52);
}

/** x·2^e exactly (up to the one rounding of a subnormal result), in two steps for |e| ≤ 2044. */
export function scalePow2(x: f64, e: i32): f64 {
  const h = e >> 1;
  return x * pow2(h) * pow2(e - h);
}

/** Exponent e with 2^e ≤ |x| < 2^(e+1) for finite x ≠ 0 (subnormals included); 0 for x = 0. */
export function exponentOf(x: f64): i32 {
  return x == 0 ? 0 : <i32> Math.floor(Math.log2(Math.abs(x)));
}

let dotAA: f64 = 0;
let dotBB: f64 = 0;
let dotAB: f64 = 0;

/** ‖x‖², ‖y‖², xᵀy of two contiguous vectors of length len, into dotAA, dotBB, dotAB. */
function dot3(x: usize, y: usize, len: i32): void {
  let va = f64x2.splat(0);
  let vb = f64x2.splat(0);
  let vc = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const xv = v128.load(ptrAt(x, i));
    const yv = v128.load(ptrAt(y, i));
    va = f64x2.add(va, f64x2.mul(xv, xv));
    vb = f64x2.add(vb, f64x2.mul(yv, yv));
    vc = f64x2.add(vc, f64x2.mul(xv, yv));
  }
  let a = f64x2.extract_lane(va, 0) + f64x2.extract_lane(va, 1);
  let b = f64x2.extract_lane(vb, 0) + f64x2.extract_lane(vb, 1);
  let c = f64x2.extract_lane(vc, 0) + f64x2.extract_lane(vc, 1);
  if (i < len) {
    const xs = load<f64>(ptrAt(x, i));
    const ys = load<f64>(ptrAt(y, i));
    a += xs * xs;
    b += ys * ys;
    c += xs * ys;
  }
  dotAA = a;
  dotBB = b;
  dotAB = c;
}

/**
 * Plane rotation of two contiguous rows, x ← c·x − s·y, y ← s·x + c·y, in Rutishauser's update
 * form x ← x − s·(y + τ·x), y ← y + s·(x − τ·y), τ = s/(1 + c) = tan(θ/2): the rounding error of
 * a rotation is O(ε·|s|) rather than O(ε), so the many small rotations of the late sweeps
 * hardly disturb the orthogonality of the accumulated factor (measured on 64×64: ‖UᵀU − I‖
 * 2.1e-14 → 3.3e-15, reconstruction 1.3e-14 → 1.7e-15).
 */
export function rotateRows(x: usize, y: usize, len: i32, c: f64, s: f64): void {
  const tau = s / (1 + c);
  const sv = f64x2.splat(s);
  const tv = f64x2.splat(tau);
  let i = 0;
  for (; i + 1 < len; i += 2) {
    const xp = ptrAt(x, i);
    const yp = ptrAt(y, i);
    const xv = v128.load(xp);
    const yv = v128.load(yp);
    v128.store(xp, f64x2.sub(xv, f64x2.mul(sv, f64x2.add(yv, f64x2.mul(tv, xv)))));
    v128.store(yp, f64x2.add(yv, f64x2.mul(sv, f64x2.sub(xv, f64x2.mul(tv, yv)))));
  }
  if (i < len) rotatePair(ptrAt(x, i), ptrAt(y, i), s, tau);
}

/** One entry pair of {@link rotateRows}: x ← x − s·(y + τ·x), y ← y + s·(x − τ·y). */
export function rotatePair(xp: usize, yp: usize, s: f64, tau: f64): void {
  const xs = load<f64>(xp);
  const ys = load<f64>(yp);
  store<f64>(xp, xs - s * (ys + tau * xs));
  store<f64>(yp, ys + s * (xs - tau * ys));
}

/** Swaps two contiguous rows of length len. */
export function swapRows(x: usize, y: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const xp = ptrAt(x, i);
    const yp = ptrAt(y, i);
    const t = load<f64>(xp);
    store<f64>(xp, load<f64>(yp));
    store<f64>(yp, t);
  }
}

/**
 * Index of the entry of largest magnitude of a vector (stride in entries), the first one on
 * ties: the pivot of the sign convention shared by the SVD and the symmetric eigensolver.
 */
export function signPivot(x: usize, len: i32, stride: i32): i32 {
  let best = 0;
  let bestAbs = -1.0;
  for (let i = 0; i < len; i++) {
    const v = Math.abs(load<f64>(ptrAt(x, i * stride)));
    if (v > bestAbs) {
      bestAbs = v;
      best = i;
    }
  }
  return best;
}

/** Negates a vector (stride in entries). */
export function negateStrided(x: usize, len: i32, stride: i32): void {
  for (let i = 0; i < len; i++) {
    const p = ptrAt(x, i * stride);
    store<f64>(p, 0 - load<f64>(p)); // 0 − x: never produces −0
  }
}

/**
 * Squared column norm (of the prescaled G, largest entry in [1, 2)) below which a column counts
 * as zero: 2^−900. Above it, squares and dot products stay clear of the subnormal range, so
 * the orthogonality test can always be met; columns below it (norm < 2^−450 ≈ 3.5e-136 times
 * the largest entry of A) are set to zero and their left vectors completed orthonormally.
 */
const NEGLIGIBLE: f64 = 1.1830521861667747e-271; // 2^−900 exactly

/**
 * Rotations that make rows p, q of G orthogonal, accumulated in the rows of `vt` unless `vt` is
 * 0 (singular values only: the rotations of G do not depend on it); returns 1 when a rotation
 * was applied.
 */
function orthogonalisePair(g: usize, vt: usize, p: i32, q: i32, len: i32, r: i32, tol: f64): i32 {
  const gp = ptrAt(g, p * len);
  const gq = ptrAt(g, q * len);
  dot3(gp, gq, len);
  const alpha = dotAA;
  const beta = dotBB;
  const gamma = dotAB;
  if (alpha < NEGLIGIBLE || beta < NEGLIGIBLE) return 0;
  if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) return 0;
  const zeta = (beta - alpha) / (2 * gamma);
  const az = Math.abs(zeta);
  // t = tan θ, the smaller root of t² + 2ζt − 1 = 0 (|θ| ≤ π/4); for huge ζ, t ≈ 1/(2ζ).
  const t = az < 1e150 ? copysign<f64>(1, zeta) / (az + Math.sqrt(1 + zeta * zeta)) : 0.5 / zeta;
  const c = 1 / Math.sqrt(1 + t * t);
  const s = c * t;
  rotateRows(gp, gq, len, c, s);
  if (vt != 0) rotateRows(ptrAt(vt, p * r), ptrAt(vt, q * r), r, c, s);
  return 1;
}

// The workspace of the SVD kernels, in order: T and its pivoted QR (L×r), tau (r), piv (r),
// norms (r), G (r×r: rows of R, rotated into U₁Σ), Vt (r×r: rows are the columns of V₁), the
// completion of U₁ (r×r), the completion's workspace, then L entries for the QR kernels.
const W_TAU = 1;
const W_PIV = 2;
const W_NORMS = 3;
const W_G = 4;
const W_VT = 5;
const W_CB = 6;
const W_CW = 7;
const W_QW = 8;

/** Pointer to part `part` (`W_…`) of an SVD workspace for L×r. */
function workPart(work: usize, L: i32, r: i32, part: i32): usize {
  let at = 0;
  if (part >= W_TAU) at += L * r;
  if (part >= W_PIV) at += r;
  if (part >= W_NORMS) at += r;
  if (part >= W_G) at += r;
  if (part >= W_VT) at += r * r;
  if (part >= W_CB) at += r * r;
  if (part >= W_CW) at += r * r;
  if (part >= W_QW) at += orthComplementWorkSize(r, r);
  return ptrAt(work, at);
}

/** Workspace (f64 entries) for {@link svdJacobi}. */
export function svdWorkSize(m: i32, n: i32): i32 {
  const r = m < n ? m : n;
  const L = m < n ? n : m;
  return L * r + 3 * r + 3 * r * r + orthComplementWorkSize(r, r) + L;
}

/** Negates column j (rows 0 … rows−1) of a row-major matrix with leading dimension ld. */
function negateColumn(x: usize, rows: i32, ld: i32, j: i32): void {
  negateStrided(ptrAt(x, j), rows, ld);
}

/** Exponent of the prescaling of the last {@link orthogonaliseRows} (A·2^−expo). */
let prescale: i32 = 0;

/**
 * The part of the SVD that the singular values need, on the workspace laid out as in
 * {@link svdJacobi}: the m×n `a` in its tall orientation T, prescaled by 2^−{@link prescale}
 * (largest entry in [1, 2)), T·P = Q·R, then one-sided Jacobi on the rows of G = R until every
 * pair is orthogonal to √r·ε; `norms` gets σ_j/2^prescale = ‖g_j‖ sorted descending (0 below
 * the negligible level). With `vectors`, the rotations accumulate in Vt and the rows of G and Vt
 * are sorted with the norms; without, G's rows keep their order and Vt is not touched. The
 * rotations of G never depend on Vt, so the values are bit for bit the same either way.
 * Returns 0, 1 when `maxSweeps` sweeps did not converge, 2 on a non-finite entry.
 */
function orthogonaliseRows(
  m: i32,
  n: i32,
  a: usize,
  vectors: bool,
  work: usize,
  maxSweeps: i32,
): i32 {
  const trans = m < n;
  const r = trans ? m : n;
  const L = trans ? n : m;
  const f = work;
  const g = workPart(work, L, r, W_G);
  const vt = workPart(work, L, r, W_VT);

  // T·2^−expo with the largest entry in [1, 2): exact, and far from overflow and underflow.
  let amax = 0.0;
  for (let i = 0; i < m * n; i++) amax = Math.max(amax, Math.abs(load<f64>(ptrAt(a, i))));
  if (!isFinite(amax)) return 2;
  const expo = exponentOf(amax);
  prescale = expo;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < r; j++) {
      const x = trans ? load<f64>(ptrAt(a, j * n + i)) : load<f64>(ptrAt(a, i * n + j));
      store<f64>(ptrAt(f, i * r + j), scalePow2(x, -expo));
    }
  }

  // Preconditioning: T·P = Q·R (column pivoting), then one-sided Jacobi on X = Rᵀ, whose
  // columns are the rows of R: G = R. Jacobi: X·V₁ = U₁Σ (the rows of G become the columns of
  // U₁Σ, Vt accumulates V₁ᵀ), so T = (Q·V₁)·Σ·(P·U₁)ᵀ.
  const tau = workPart(work, L, r, W_TAU);
  qrFactorPivoted(L, r, f, tau, workPart(work, L, r, W_PIV), workPart(work, L, r, W_QW));
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < r; j++) {
      store<f64>(ptrAt(g, i * r + j), j >= i ? load<f64>(ptrAt(f, i * r + j)) : 0.0);
      if (vectors) store<f64>(ptrAt(vt, i * r + j), i == j ? 1.0 : 0.0);
    }
  }
  const tol = Math.sqrt(<f64> r) * f64.EPSILON;
  const acc: usize = vectors ? vt : 0;
  let status = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotations = 0;
    for (let p = 0; p < r - 1; p++) {
      for (let q = p + 1; q < r; q++) rotations += orthogonalisePair(g, acc, p, q, r, r, tol);
    }
    if (rotations == 0) {
      status = 0;
      break;
    }
  }

  // σ_j = ‖g_j‖, sorted descending (selection sort: stable order of equal values).
  const norms = workPart(work, L, r, W_NORMS);
  for (let j = 0; j < r; j++) {
    const gj = ptrAt(g, j * r);
    dot3(gj, gj, r);
    store<f64>(ptrAt(norms, j), dotAA < NEGLIGIBLE ? 0.0 : Math.sqrt(dotAA));
  }
  for (let j = 0; j < r; j++) {
    let best = j;
    for (let i = j + 1; i < r; i++) {
      if (load<f64>(ptrAt(norms, i)) > load<f64>(ptrAt(norms, best))) best = i;
    }
    if (best == j) continue;
    const t = load<f64>(ptrAt(norms, j));
    store<f64>(ptrAt(norms, j), load<f64>(ptrAt(norms, best)));
    store<f64>(ptrAt(norms, best), t);
    if (vectors) {
      swapRows(ptrAt(g, j * r), ptrAt(g, best * r), r);
      swapRows(ptrAt(vt, j * r), ptrAt(vt, best * r), r);
    }
  }
  return status;
}

/**
 * Singular values only of `count` row-major m×n matrices stored one after another from `a`
 * (not modified): r = min(m, n) values each, descending, ≥ 0, into `s` (count·r entries), the
 * same numbers {@link svdJacobi} gives, without forming U or V (no rotations accumulated, no
 * back-transformation). `work`: {@link svdWorkSize}(m, n) entries. Returns 0 on success, else
 * k + 1 for the first matrix k that had a non-finite entry (its values are NaN) or did not
 * converge in `maxSweeps` sweeps (its values are the last sweep's).
 */
export function svdValues(
  count: i32,
  m: i32,
  n: i32,
  a: usize,
  s: usize,
  work: usize,
  maxSweeps: i32,
): i32 {
  const r = m < n ? m : n;
  const L = m < n ? n : m;
  const norms = workPart(work, L, r, W_NORMS);
  let first = 0;
  for (let k = 0; k < count; k++) {
    const status = orthogonaliseRows(m, n, ptrAt(a, k * m * n), false, work, maxSweeps);
    const out = ptrAt(s, k * r);
    for (let j = 0; j < r; j++) {
      store<f64>(
        ptrAt(out, j),
        status == 2 ? NaN : scalePow2(load<f64>(ptrAt(norms, j)), prescale),
      );
    }
    if (status != 0 && first == 0) first = k + 1;
  }
  return first;
}

/**
 * SVD A = U·diag(s)·Vᵀ of the row-major m×n matrix `a` (not modified). r = min(m, n).
 * Compact (full = 0): `u` m×r, `v` n×r. Full (full ≠ 0): `u` m×m, `v` n×n, the columns beyond
 * r completing orthonormal bases. `s` receives r values, descending, ≥ 0. Sign convention in
 * the file header. `work`: {@link svdWorkSize}(m, n) entries.
 * Returns 0 on success, 1 when `maxSweeps` sweeps did not converge, 2 on a non-finite input.
 */
export function svdJacobi(
  m: i32,
  n: i32,
  a: usize,
  full: i32,
  u: usize,
  s: usize,
  v: usize,
  work: usize,
  maxSweeps: i32,
): i32 {
  const trans = m < n;
  const r = trans ? m : n;
  const L = trans ? n : m;
  const f = work;
  const tau = workPart(work, L, r, W_TAU);
  const piv = workPart(work, L, r, W_PIV);
  const norms = workPart(work, L, r, W_NORMS);
  const g = workPart(work, L, r, W_G);
  const vt = workPart(work, L, r, W_VT);
  const cb = workPart(work, L, r, W_CB);
  const cw = workPart(work, L, r, W_CW);
  const qw = workPart(work, L, r, W_QW);

  const status = orthogonaliseRows(m, n, a, true, work, maxSweeps);
  if (status == 2) return 2;
  const expo = prescale;
  for (let j = 0; j < r; j++) store<f64>(ptrAt(s, j), scalePow2(load<f64>(ptrAt(norms, j)), expo));

  // U₁ = rows of G normalised; the columns of exactly zero σ complete the others.
  let k = 0;
  while (k < r && load<f64>(ptrAt(norms, k)) > 0) k++;
  for (let j = 0; j < k; j++) {
    const inv = 1 / load<f64>(ptrAt(norms, j));
    const gj = ptrAt(g, j * r);
    for (let i = 0; i < r; i++) store<f64>(ptrAt(gj, i), load<f64>(ptrAt(gj, i)) * inv);
  }
  if (k < r) {
    completeBasis(r, k, g, 1, r, 0, r - k, cb, r - k, cw);
    for (let j = k; j < r; j++) {
      for (let i = 0; i < r; i++) {
        store<f64>(ptrAt(g, j * r + i), load<f64>(ptrAt(cb, i * (r - k) + (j - k))));
      }
    }
  }

  // Square side P·U₁ (r×r): row piv[i] is row i of U₁, i.e. entry (piv[i], j) = g[j][i].
  const square = trans ? u : v;
  for (let i = 0; i < r; i++) {
    const row = <i32> load<f64>(ptrAt(piv, i));
    for (let j = 0; j < r; j++) {
      store<f64>(ptrAt(square, row * r + j), load<f64>(ptrAt(g, j * r + i)));
    }
  }
  // Tall side Q·[V₁; 0] (L×r), then Q's last L − r columns when full.
  const tall = trans ? v : u;
  const ldTall = full ? L : r;
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < r; j++) {
      store<f64>(ptrAt(tall, i * ldTall + j), i < r ? load<f64>(ptrAt(vt, j * r + i)) : 0.0);
    }
  }
  qrApplyQ(L, r, f, tau, tall, ldTall, r, qw);
  if (full && L > r) qrFormQ(L, r, f, tau, r, L - r, ptrAt(tall, r), ldTall, qw);

  // Sign convention: columns j < r by V's column (U's column follows); completion columns of
  // the tall side by their own largest entry.
  const vv = trans ? tall : square;
  const ldv = trans ? ldTall : r;
  const uu = trans ? square : tall;
  const ldu = trans ? r : ldTall;
  for (let j = 0; j < r; j++) {
    const col = ptrAt(vv, j);
    if (load<f64>(ptrAt(col, signPivot(col, n, ldv) * ldv)) < 0) {
      negateColumn(vv, n, ldv, j);
      negateColumn(uu, m, ldu, j);
    }
  }
  if (full) {
    for (let j = r; j < L; j++) {
      const col = ptrAt(tall, j);
      if (load<f64>(ptrAt(col, signPivot(col, L, ldTall) * ldTall)) < 0) {
        negateColumn(tall, L, ldTall, j);
      }
    }
  }
  return status;
}
