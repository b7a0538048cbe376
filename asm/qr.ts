// Householder QR and orthonormal completion of a basis (row-major f64, byte pointers).
//
// Storage after `qrFactor` (LAPACK dgeqr2 layout, row-major): the upper triangle of `a` holds R;
// below the diagonal, column j holds the Householder vector v_j (its leading 1 implicit);
// `tau[j]` is its scalar, H_j = I − tau_j v_j v_jᵀ, and A = H_0 H_1 … H_{k−1} R, k = min(m, n).
// Q's columns are normalised so that diag(R) ≥ 0 (`qrFormQ` and `qrExtractR` flip the signs of
// column j of Q and row j of R together where the reflector produced a negative diagonal).

function ptrAt(base: usize, index: i32): usize {
  return base + (<usize> index << 3);
}

/**
 * Euclidean norm of `count` entries at `p`, `stride` entries apart, scaled so that neither
 * overflow nor underflow occurs in intermediate squares (LAPACK dnrm2's classic recurrence).
 */
function nrm2Strided(p: usize, count: i32, stride: i32): f64 {
  let scale = 0.0;
  let ssq = 1.0;
  for (let i = 0; i < count; i++) {
    const x = Math.abs(load<f64>(ptrAt(p, i * stride)));
    if (x != 0) {
      if (scale < x) {
        const r = scale / x;
        ssq = 1 + ssq * r * r;
        scale = x;
      } else {
        const r = x / scale;
        ssq += r * r;
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/**
 * Applies H = I − tau·v·vᵀ from the left to rows `r0 … m−1`, columns `c0 … c0+nc−1` of the
 * row-major matrix `x` (leading dimension `ldx`). `v` is read from column `vcol` of the
 * factored matrix `a` (leading dimension `lda`), rows r0 … m−1, with v[r0] = 1 implicit.
 * `w` is workspace of `nc` entries. Row-contiguous: w = vᵀX, then X −= tau·v·w.
 */
function applyReflector(
  m: i32,
  a: usize,
  lda: i32,
  vcol: i32,
  r0: i32,
  tau: f64,
  x: usize,
  ldx: i32,
  c0: i32,
  nc: i32,
  w: usize,
): void {
  if (tau == 0 || nc <= 0) return;
  for (let k = 0; k < nc; k++) store<f64>(ptrAt(w, k), load<f64>(ptrAt(x, r0 * ldx + c0 + k)));
  for (let i = r0 + 1; i < m; i++) {
    const vi = load<f64>(ptrAt(a, i * lda + vcol));
    if (vi == 0) continue;
    const row = ptrAt(x, i * ldx + c0);
    for (let k = 0; k < nc; k++) {
      const wp = ptrAt(w, k);
      store<f64>(wp, load<f64>(wp) + vi * load<f64>(ptrAt(row, k)));
    }
  }
  for (let i = r0; i < m; i++) {
    const f = tau * (i == r0 ? 1.0 : load<f64>(ptrAt(a, i * lda + vcol)));
    if (f == 0) continue;
    const row = ptrAt(x, i * ldx + c0);
    for (let k = 0; k < nc; k++) {
      const xp = ptrAt(row, k);
      store<f64>(xp, load<f64>(xp) - f * load<f64>(ptrAt(w, k)));
    }
  }
}

/** 2^−900: below it a Householder column is rescaled before the reflector is formed. */
const TINY: f64 = 1.1830521861667747e-271;
/** 2^600, the rescaling factor (exact). */
const HUGE: f64 = 4.149515568880993e180;

/** Householder step j of the QR of the m×n matrix `a`: reflector of column j, applied right. */
function householderStep(m: i32, n: i32, a: usize, j: i32, tau: usize, work: usize): void {
  let alpha = load<f64>(ptrAt(a, j * n + j));
  // A column of tiny entries is scaled up by 2^600 first (exact, also for subnormals), so its
  // norm is accurate and 1/(α − β) cannot overflow; v and tau do not depend on the scale, β is
  // scaled back (cf. LAPACK dlarfg).
  let colMax = Math.abs(alpha);
  for (let i = j + 1; i < m; i++) {
    colMax = Math.max(colMax, Math.abs(load<f64>(ptrAt(a, i * n + j))));
  }
  let up = 1.0;
  if (colMax < TINY) {
    up = HUGE;
    alpha *= up;
    for (let i = j + 1; i < m; i++) {
      const p = ptrAt(a, i * n + j);
      store<f64>(p, load<f64>(p) * up);
    }
  }
  const xnorm = nrm2Strided(ptrAt(a, (j + 1) * n + j), m - j - 1, n);
  if (xnorm == 0) {
    store<f64>(ptrAt(tau, j), 0);
    store<f64>(ptrAt(a, j * n + j), alpha / up);
    return;
  }
  const beta = -copysign<f64>(Math.hypot(alpha, xnorm), alpha);
  const t = (beta - alpha) / beta;
  const scale = 1 / (alpha - beta);
  for (let i = j + 1; i < m; i++) {
    const p = ptrAt(a, i * n + j);
    store<f64>(p, load<f64>(p) * scale);
  }
  store<f64>(ptrAt(a, j * n + j), beta / up);
  store<f64>(ptrAt(tau, j), t);
  applyReflector(m, a, n, j, j, t, a, n, j + 1, n - j - 1, work);
}

/**
 * In-place Householder QR of the row-major m×n matrix `a`: afterwards R is in the upper
 * triangle and the reflectors below it (see the file header). `tau` receives min(m, n)
 * scalars; `work` needs n entries. Never fails (a zero column gives tau = 0).
 */
export function qrFactor(m: i32, n: i32, a: usize, tau: usize, work: usize): void {
  const k = m < n ? m : n;
  for (let j = 0; j < k; j++) householderStep(m, n, a, j, tau, work);
}

/**
 * Householder QR with column pivoting, A·P = Q·R (Businger & Golub): before step j the
 * remaining column of largest norm (rows j … m−1, recomputed exactly, first on ties) is swapped
 * into place, so |r_00| ≥ |r_11| ≥ … Same storage as {@link qrFactor}. `piv` (n entries)
 * receives the permutation as f64 column indices: column j of A·P is column piv[j] of A.
 * `work`: n entries.
 */
export function qrFactorPivoted(
  m: i32,
  n: i32,
  a: usize,
  tau: usize,
  piv: usize,
  work: usize,
): void {
  const k = m < n ? m : n;
  for (let j = 0; j < n; j++) store<f64>(ptrAt(piv, j), <f64> j);
  for (let j = 0; j < k; j++) {
    let best = j;
    let bestNorm = -1.0;
    for (let c = j; c < n; c++) {
      const norm = nrm2Strided(ptrAt(a, j * n + c), m - j, n);
      if (norm > bestNorm) {
        bestNorm = norm;
        best = c;
      }
    }
    if (best != j) {
      for (let i = 0; i < m; i++) {
        const x = ptrAt(a, i * n + j);
        const y = ptrAt(a, i * n + best);
        const t = load<f64>(x);
        store<f64>(x, load<f64>(y));
        store<f64>(y, t);
      }
      const t = load<f64>(ptrAt(piv, j));
      store<f64>(ptrAt(piv, j), load<f64>(ptrAt(piv, best)));
      store<f64>(ptrAt(piv, best), t);
    }
    householderStep(m, n, a, j, tau, work);
  }
}

/**
 * X ← Q·X for the m×m orthogonal factor Q = H_0 … H_{k−1} of a matrix factored by
 * {@link qrFactor} or {@link qrFactorPivoted} (m×n, k = min(m, n)) and X m×nc (leading
 * dimension `ldx`). No sign normalisation. `work`: nc entries.
 */
export function qrApplyQ(
  m: i32,
  n: i32,
  a: usize,
  tau: usize,
  x: usize,
  ldx: i32,
  nc: i32,
  work: usize,
): void {
  const k = m < n ? m : n;
  for (let j = k - 1; j >= 0; j--) {
    applyReflector(m, a, n, j, j, load<f64>(ptrAt(tau, j)), x, ldx, 0, nc, work);
  }
}

/**
 * Forms columns `c0 … c0+nc−1` of the m×m orthogonal factor Q = H_0 … H_{k−1} of a matrix
 * factored by {@link qrFactor} (m×n, k = min(m, n)) into `out` (m×nc, leading dimension `ldo`).
 * Columns j < k are sign-normalised so that R's diagonal is non-negative. `work`: nc entries.
 * Thin Q: c0 = 0, nc = k. Full Q: c0 = 0, nc = m. Completion of the first k columns: c0 = k.
 */
export function qrFormQ(
  m: i32,
  n: i32,
  a: usize,
  tau: usize,
  c0: i32,
  nc: i32,
  out: usize,
  ldo: i32,
  work: usize,
): void {
  const k = m < n ? m : n;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < nc; j++) store<f64>(ptrAt(out, i * ldo + j), i == c0 + j ? 1.0 : 0.0);
  }
  qrApplyQ(m, n, a, tau, out, ldo, nc, work);
  for (let j = 0; j < nc; j++) {
    const col = c0 + j;
    if (col >= k || load<f64>(ptrAt(a, col * n + col)) >= 0) continue;
    for (let i = 0; i < m; i++) {
      const p = ptrAt(out, i * ldo + j);
      store<f64>(p, 0 - load<f64>(p));
    }
  }
}

/**
 * Copies the first `rows` rows of R (upper triangle of the factored m×n matrix `a`, zeros
 * below) into `out` (rows×n), flipping row j where the reflector left a negative diagonal, so
 * that diag(R) ≥ 0 and Q·R = A with Q from {@link qrFormQ}. Thin R: rows = min(m, n); full: m.
 */
export function qrExtractR(m: i32, n: i32, a: usize, rows: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    const flip = i < m && i < n && load<f64>(ptrAt(a, i * n + i)) < 0;
    for (let j = 0; j < n; j++) {
      const v = j >= i && i < m ? load<f64>(ptrAt(a, i * n + j)) : 0.0;
      store<f64>(ptrAt(out, i * n + j), flip ? 0 - v : v);
    }
  }
}

/** Workspace (f64 entries) {@link completeBasis} and {@link orthComplement} need for m, r. */
export function orthComplementWorkSize(m: i32, r: i32): i32 {
  return m * r + r + (r > m - r ? r : m - r);
}

/**
 * Orthonormal completion with arbitrary strides: the r vectors q_j (entry i of vector j at
 * q + (i·rowStride + j·colStride)·8, length m, linearly independent) are QR-factored, and the
 * columns r+c0 … r+c0+nc−1 of the full Q, an orthonormal basis of the orthogonal complement of
 * their span, are written to `out` (m×nc, leading dimension `ldo`). Requires r ≤ m,
 * 0 ≤ c0, c0 + nc ≤ m − r. Workspace: {@link orthComplementWorkSize}(m, r).
 */
export function completeBasis(
  m: i32,
  r: i32,
  q: usize,
  rowStride: i32,
  colStride: i32,
  c0: i32,
  nc: i32,
  out: usize,
  ldo: i32,
  work: usize,
): void {
  const copy = work;
  const tau = ptrAt(work, m * r);
  const w = ptrAt(tau, r);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < r; j++) {
      store<f64>(ptrAt(copy, i * r + j), load<f64>(ptrAt(q, i * rowStride + j * colStride)));
    }
  }
  qrFactor(m, r, copy, tau, w);
  qrFormQ(m, r, copy, tau, r + c0, nc, out, ldo, w);
}

/**
 * Orthonormal completion: for `q` (m×r row-major, orthonormal — or just independent —
 * columns, r ≤ m) writes to `out` (m×(m−r) row-major) columns that complete them to an
 * orthonormal basis of ℝ^m: the last m−r columns of the full Householder Q of `q`.
 * r = m writes nothing; r = 0 writes the identity. Workspace: {@link orthComplementWorkSize}.
 */
export function orthComplement(m: i32, r: i32, q: usize, out: usize, work: usize): void {
  completeBasis(m, r, q, r, 1, 0, m - r, out, m - r, work);
}
