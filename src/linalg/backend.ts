/**
 * The small linear-algebra interface the exact solutions are written over (DESIGN.md,
 * principle 2: formulas once, arithmetic many). Eq. 5, Theorem 3.1, the B-free form and
 * Theorem 5.1 are each written once against `Backend<M>` and run unchanged on
 * - the f64 backend, whose matrices live in WASM linear memory and whose operations are WASM
 *   kernels (no copies across the JS/WASM boundary between operations), and
 * - the decimal.js backend at any number of significant digits.
 *
 * Conventions: `M` is the backend's opaque matrix handle. Vectors are `n × 1` matrices.
 * Scalars that enter formulas are times (`t/τ`) and small constants, passed as JS numbers and
 * converted exactly by the backend.
 *
 * @module
 */
import type { Matrix } from "../matrix.ts";

/** Compact singular value decomposition `A = U diag(s) Vᵀ` of an `m × n` matrix. */
export interface Svd<M> {
  /** `m × r` left singular vectors, orthonormal columns, `r = min(m, n)`. */
  u: M;
  /** `r × 1` singular values, descending, non-negative. */
  s: M;
  /** `n × r` right singular vectors, orthonormal columns. */
  v: M;
}

/** Dense linear algebra over some arithmetic; `M` is that arithmetic's matrix handle. */
export interface Backend<M> {
  /** Human-readable name, e.g. `"f64"` or `"decimal(50)"`. */
  readonly name: string;
  /** Significant decimal digits carried by the arithmetic (f64: about 15.95). */
  readonly digits: number;

  /** Converts a `Matrix` into the backend (exactly: every f64 is a finite decimal). */
  from(a: Matrix): M;
  /** Converts back to f64 (rounding to nearest for higher-precision backends). */
  toMatrix(a: M): Matrix;
  /** Entries as decimal strings with every digit the backend carries (JSON output). */
  toStrings(a: M): string[][];
  /** `[rows, cols]`. */
  shape(a: M): [number, number];

  /** `n × n` identity. */
  identity(n: number): M;
  /** `rows × cols` zeros. */
  zeros(rows: number, cols: number): M;
  /** Square matrix with the `n × 1` vector `v` on its diagonal. */
  diag(v: M): M;

  /** `a + b`. */
  add(a: M, b: M): M;
  /** `a − b`. */
  sub(a: M, b: M): M;
  /** `c · a`. */
  scale(a: M, c: number): M;
  /** `op(a) · op(b)`, `op` transposing when the flag is set. */
  matmul(a: M, b: M, transA?: boolean, transB?: boolean): M;
  /** `c + op(a) · op(b)` (one accumulating product; `c` is `m × n`). */
  addProduct(c: M, a: M, b: M, transA?: boolean, transB?: boolean): M;
  /** `aᵀ`. */
  transpose(a: M): M;
  /** `diag(v) · a` (row `i` of `a` scaled by `v_i`). */
  scaleRows(v: M, a: M): M;
  /** `a · diag(v)` (column `j` of `a` scaled by `v_j`). */
  scaleCols(a: M, v: M): M;
  /** `diag(u) · a · diag(v)`: entry `(i, j)` scaled by `u_i`, then by `v_j`. */
  scaleRowsCols(u: M, a: M, v: M): M;
  /** Elementwise `exp(c · a_ij)`. */
  expScaled(a: M, c: number): M;
  /** Elementwise `exp(c · a_ij) − 1`, accurate for small arguments. */
  expm1Scaled(a: M, c: number): M;
  /** Elementwise `a_ij / b_ij`. */
  divide(a: M, b: M): M;
  /** Elementwise `a_ij · b_ij`. */
  hadamard(a: M, b: M): M;

  /** Blocks side by side (equal row counts). */
  hstack(blocks: M[]): M;
  /** Blocks stacked vertically (equal column counts). */
  vstack(blocks: M[]): M;
  /** Rows `r0 ≤ i < r1`, columns `c0 ≤ j < c1`. */
  block(a: M, r0: number, r1: number, c0: number, c1: number): M;

  /** Solves `a x = b` by LU with partial pivoting. @throws {SingularMatrixError} */
  solve(a: M, b: M): M;
  /** `a⁻¹` by LU with partial pivoting. @throws {SingularMatrixError} */
  inverse(a: M): M;
  /** Solves `a x = b` for symmetric positive definite `a`. @throws {NotPositiveDefiniteError} */
  choleskySolve(a: M, b: M): M;
  /**
   * `L⁻¹ b` where `a = L Lᵀ` is the Cholesky factorisation of the symmetric positive definite
   * `a` (`L` lower triangular with positive diagonal; only the lower triangle of `a` is read).
   * Then `(L⁻¹b)ᵀ(L⁻¹b) = bᵀ a⁻¹ b`: one factorisation and one triangular solve, and the
   * product `wᵀw` is symmetric positive semidefinite by construction.
   * @throws {NotPositiveDefiniteError}
   */
  choleskyWhiten(a: M, b: M): M;
  /** Compact SVD, singular values descending. */
  svd(a: M): Svd<M>;
  /** The singular values alone (`r × 1`, descending): `svd(a).s` without computing `U`, `V`. */
  singularValues(a: M): M;
  /** For `q` (`m × r`) with orthonormal columns: `m × (m − r)` completing them to a basis. */
  orthComplement(q: M): M;
  /** Matrix exponential `e^a`. */
  expm(a: M): M;
  /** `max |a_ij|`, rounded to f64 (for error measures and conditioning decisions). */
  maxAbs(a: M): number;

  /**
   * Runs `fn`, then frees the backend storage it allocated. `fn` must return plain JS values
   * (e.g. via `toMatrix`), never handles created inside it.
   */
  scoped<T>(fn: () => T): T;
}
