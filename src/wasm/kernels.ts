/**
 * Type of the WASM core's exports (`asm/index.ts`). Pointers are byte offsets into linear
 * memory; matrices are row-major f64. Keep in step with `asm/`.
 *
 * @module
 */

/** The exports of `build/dln.wasm`. */
export interface Kernels {
  /** Linear memory shared with the host. */
  memory: WebAssembly.Memory;
  /** First free byte after static data: where the host arena begins. */
  heapBase(): number;
  /** `C = alpha·op(A)·op(B) + beta·C`, op(A) m×k, op(B) k×n, row-major. */
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
  ): void;
  /** `C = α·AᵀA` (n×n, exactly symmetric) for `A` k×n (BLAS syrk, transposed form). */
  syrkTransposed(n: number, k: number, alpha: number, a: number, c: number): void;
  /** gemm on submatrices: as `gemm` with row strides `lda`, `ldb`, `ldc` (in elements). */
  gemmStrided(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    lda: number,
    b: number,
    ldb: number,
    beta: number,
    c: number,
    ldc: number,
  ): void;
  // --- asm/blas.ts: level-1/2 helpers (n = entry count; strides in elements) ---
  /** `dst = src`, `n` entries (any overlap). */
  copy(n: number, src: number, dst: number): void;
  /** Copies a `rows×cols` block between buffers of row strides `srcStride`, `dstStride`. */
  copy2d(
    rows: number,
    cols: number,
    src: number,
    srcStride: number,
    dst: number,
    dstStride: number,
  ): void;
  /** `out = alpha·x`. */
  scale(n: number, alpha: number, x: number, out: number): void;
  /** `out = x / d` (true division, exact when the quotient is representable). */
  divideBy(n: number, d: number, x: number, out: number): void;
  /** `y += alpha·x`. */
  axpy(n: number, alpha: number, x: number, y: number): void;
  /** `Σ x_i y_i`. */
  dot(n: number, x: number, y: number): number;
  /** `out = aᵀ`, `a` m×n (no overlap). */
  transpose(m: number, n: number, a: number, out: number): void;
  /** `out = a ⊗ b`, `a` ma×na, `b` mb×nb. */
  kron(ma: number, na: number, a: number, mb: number, nb: number, b: number, out: number): void;
  /** `out = I_n`. */
  setIdentity(n: number, out: number): void;
  /** `out = diag(v)`, n×n. */
  setDiag(n: number, v: number, out: number): void;
  /** `max |x_i|` (NaN propagates). */
  maxAbs(n: number, x: number): number;
  /** Frobenius norm, overflow-safe. */
  normFrobenius(n: number, x: number): number;
  /** 1-norm (largest absolute column sum) of an m×n matrix. */
  norm1(m: number, n: number, a: number): number;
  /** 1-based index of the first non-finite entry, 0 if none. */
  firstNonFinite(n: number, x: number): number;
  // --- asm/elementwise.ts (out may equal an input) ---
  /** `out = a + b`. */
  add(n: number, a: number, b: number, out: number): void;
  /** `out = a − b`. */
  sub(n: number, a: number, b: number, out: number): void;
  /** `out = a ∘ b`. */
  hadamard(n: number, a: number, b: number, out: number): void;
  /** `out = a ⊘ b`. */
  divide(n: number, a: number, b: number, out: number): void;
  /** `out_i = exp(c·a_i)`. */
  expScaled(n: number, c: number, a: number, out: number): void;
  /** `out_i = exp(c·a_i) − 1`. */
  expm1Scaled(n: number, c: number, a: number, out: number): void;
  /** `out = diag(v)·a`, a m×n. */
  scaleRows(m: number, n: number, v: number, a: number, out: number): void;
  /** `out = a·diag(v)`, a m×n. */
  scaleCols(m: number, n: number, a: number, v: number, out: number): void;
  /** `out = diag(u)·a·diag(v)` (m×n). */
  scaleRowsCols(m: number, n: number, u: number, a: number, v: number, out: number): void;
  // --- asm/lu.ts (piv: n i32 values) ---
  /** In-place `PA = LU`; returns the 1-based index of the first zero pivot, 0 if none. */
  luFactor(n: number, a: number, piv: number): number;
  /** Solves `AX = B` in place in `b` (n×nrhs) from the factors. */
  luSolve(n: number, nrhs: number, lu: number, piv: number, b: number): void;
  /** `b ← A⁻¹b` via a copy of `a` in `work` (n×n); returns luFactor's status. */
  solveLinear(n: number, nrhs: number, a: number, b: number, work: number, piv: number): number;
  /** `det A` from the factors. */
  luDeterminant(n: number, lu: number, piv: number): number;
  /** Reciprocal 1-norm condition estimate from the factors; x, w n-vector scratch. */
  luRcond(n: number, lu: number, piv: number, anorm: number, x: number, w: number): number;
  // --- asm/cholesky.ts ---
  /** In-place `A = LLᵀ` (lower); returns the 1-based index of the failing minor, 0 if SPD. */
  choleskyFactor(n: number, a: number): number;
  /** Solves `LLᵀX = B` in place in `b` (n×nrhs). */
  choleskySolveFactored(n: number, nrhs: number, l: number, b: number): void;
  /** `b ← L⁻¹B` in place (n×nrhs) from choleskyFactor's `L`. */
  choleskyWhitenFactored(n: number, nrhs: number, l: number, b: number): void;
  /**
   * `x ← L⁻¹B` (whitenOnly ≠ 0) or `A⁻¹B` via `l` ← the factor of `A`; returns 0, −1 / −2 for a
   * non-finite entry in `A` / `B`, or the 1-based failing minor.
   */
  choleskyApply(
    n: number,
    nrhs: number,
    a: number,
    b: number,
    l: number,
    x: number,
    whitenOnly: number,
  ): number;
  // --- asm/expm.ts ---
  /** f64 slots of workspace `expm` needs for an n×n matrix. */
  expmWorkSize(n: number): number;
  /** `out = e^A`; returns 0 or the status of the internal LU solve. */
  expm(n: number, a: number, out: number, work: number): number;
  /**
   * Loss `½ tr(W Σxx Wᵀ) − tr(W Σyxᵀ) + ½ tr Σyy` of `W` (no×ni); `sxx` = 0 means `Σxx = I`.
   * Workspace `no·ni` f64 (asm/gd.ts).
   */
  correlationLoss(
    no: number,
    ni: number,
    w: number,
    syx: number,
    sxx: number,
    traceYY: number,
    work: number,
  ): number;
  /**
   * GD on a two-layer linear network in correlation form (asm/gd.ts). Returns 0, or `k + 1`
   * when the loss is not finite at step `k`.
   */
  gdTwoLayerCorrelation(
    ni: number,
    nh: number,
    no: number,
    w1: number,
    w2: number,
    syx: number,
    sxx: number,
    traceYY: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
  /** GD on a shallow linear network `W += η(Σyx − WΣxx)` (asm/gd.ts); status as above. */
  gdShallowCorrelation(
    ni: number,
    no: number,
    w: number,
    syx: number,
    sxx: number,
    traceYY: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
  /**
   * GD on a two-layer network on data with hidden activation `act` (0 linear, 1 tanh,
   * 2 ReLU) (asm/gd.ts); status as above.
   */
  gdTwoLayerData(
    ni: number,
    nh: number,
    no: number,
    np: number,
    act: number,
    w1: number,
    w2: number,
    x: number,
    y: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
  /**
   * f64 workspace of `gdDeep` for widths `dims` (i32, `depth + 1`), `np` samples (0: correlation
   * form) and `pe` samples of the largest extra data task (0 without).
   */
  gdDeepWorkSize(depth: number, dims: number, np: number, pe: number): number;
  /**
   * GD on a depth-L linear network (asm/gd_deep.ts): correlation form (`np` = 0; `target` Σyx,
   * `x` Σxx or 0) or data form (`np` = P; `target` Y, `x` X). Records
   * `[W_1, …, W_L, W_L⋯W_1, loss, extra losses]`; status as above.
   */
  gdDeep(
    depth: number,
    dims: number,
    w: number,
    np: number,
    target: number,
    x: number,
    traceYY: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
  // --- asm/qr.ts: Householder QR, orthonormal completion ---
  /** In-place Householder QR of m×n `a` (R above, reflectors below the diagonal); `tau`: min(m,n); `work`: n. */
  qrFactor(m: number, n: number, a: number, tau: number, work: number): void;
  /** Columns c0…c0+nc−1 of the full Q of a factored m×n matrix into `out` (m×nc, stride ldo); `work`: nc. */
  qrFormQ(
    m: number,
    n: number,
    a: number,
    tau: number,
    c0: number,
    nc: number,
    out: number,
    ldo: number,
    work: number,
  ): void;
  /** Householder QR with column pivoting, A·P = Q·R; `piv` receives n column indices (f64). */
  qrFactorPivoted(m: number, n: number, a: number, tau: number, piv: number, work: number): void;
  /** X ← Q·X for the Q of a factored m×n matrix, X m×nc (stride ldx); `work`: nc. */
  qrApplyQ(
    m: number,
    n: number,
    a: number,
    tau: number,
    x: number,
    ldx: number,
    nc: number,
    work: number,
  ): void;
  /** First `rows` rows of R (diag ≥ 0) of a factored m×n matrix into `out` (rows×n). */
  qrExtractR(m: number, n: number, a: number, rows: number, out: number): void;
  /** Workspace entries for `orthComplement(m, r, …)`. */
  orthComplementWorkSize(m: number, r: number): number;
  /** m×(m−r) orthonormal completion of the r columns of `q` (m×r) into `out`. */
  orthComplement(m: number, r: number, q: number, out: number, work: number): void;
  // --- asm/svd.ts: one-sided Jacobi SVD ---
  /** Workspace entries for `svdJacobi(m, n, …)` (compact or full). */
  svdWorkSize(m: number, n: number): number;
  /** A = U diag(s) Vᵀ; status 0 ok, 1 not converged, 2 non-finite input. */
  svdJacobi(
    m: number,
    n: number,
    a: number,
    full: number,
    u: number,
    s: number,
    v: number,
    work: number,
    maxSweeps: number,
  ): number;
  /**
   * Singular values only of `count` m×n matrices stored one after another (r = min(m, n) each,
   * descending, the numbers `svdJacobi` gives); `work`: `svdWorkSize(m, n)` entries. Status 0
   * ok, else k + 1 for the first matrix k non-finite or not converged.
   */
  svdValues(
    count: number,
    m: number,
    n: number,
    a: number,
    s: number,
    work: number,
    maxSweeps: number,
  ): number;
  // --- asm/eigen.ts: cyclic Jacobi symmetric eigendecomposition ---
  /** Workspace entries for `symEigenJacobi(n, …)`. */
  symEigenWorkSize(n: number): number;
  /** (A+Aᵀ)/2 = V diag(values) Vᵀ, values ascending; status 0 ok, 1 not converged. */
  symEigenJacobi(
    n: number,
    a: number,
    values: number,
    vectors: number,
    work: number,
    maxSweeps: number,
  ): number;
}
