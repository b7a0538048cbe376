/**
 * The `Matrix` value type: an immutable, dense, row-major matrix of f64.
 *
 * @module
 */
import { NonFiniteError, ShapeError } from "./errors.ts";

/**
 * A dense `rows × cols` matrix of f64 stored row-major. Treat it as immutable: every operation
 * of the library returns a new matrix.
 *
 * @example
 * ```ts
 * const a = Matrix.from([[1, 2], [3, 4]]);
 * a.get(1, 0); // 3
 * a.transpose().toArray(); // [[1, 3], [2, 4]]
 * ```
 */
export class Matrix {
  /**
   * Wraps `data` as a `rows × cols` matrix: entry `(i, j)` is `data[i * cols + j]`. Prefer
   * {@link Matrix.from} for literals.
   * @param rows number of rows (≥ 0)
   * @param cols number of columns (≥ 0)
   * @param data `rows * cols` entries, row-major; taken without copying
   */
  constructor(readonly rows: number, readonly cols: number, readonly data: Float64Array) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`invalid matrix shape ${rows}×${cols}`);
    }
    if (data.length !== rows * cols) {
      throw new ShapeError(
        `a ${rows}×${cols} matrix needs ${rows * cols} entries, got ${data.length}`,
      );
    }
  }

  /**
   * Builds a matrix from rows given as arrays.
   * @param rows the rows; all must have the same length
   * @param name how to call the matrix in an error message
   * @throws {ShapeError} on ragged rows
   */
  static from(rows: readonly (readonly number[])[], name = "matrix"): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0].length;
    const data = new Float64Array(r * c);
    for (let i = 0; i < r; i++) {
      if (!Array.isArray(rows[i]) || rows[i].length !== c) {
        throw new ShapeError(
          `${name}: row ${i} has ${rows[i]?.length ?? "no"} entries, expected ${c}`,
        );
      }
      for (let j = 0; j < c; j++) data[i * c + j] = rows[i][j];
    }
    return new Matrix(r, c, data);
  }

  /** The `rows × cols` zero matrix. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, new Float64Array(rows * cols));
  }

  /** The `n × n` identity. */
  static identity(n: number): Matrix {
    const m = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** The square matrix with `d` on its diagonal. */
  static diag(d: ArrayLike<number>): Matrix {
    const n = d.length;
    const m = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = d[i];
    return m;
  }

  /** The matrix whose entry `(i, j)` is `f(i, j)`. */
  static fromFunction(rows: number, cols: number, f: (i: number, j: number) => number): Matrix {
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = f(i, j);
    return new Matrix(rows, cols, data);
  }

  /** Entry `(i, j)`, zero-based. */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  /** `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** True for a square matrix. */
  get isSquare(): boolean {
    return this.rows === this.cols;
  }

  /** True when this is exactly the identity (square, ones on the diagonal, zeros elsewhere). */
  get isIdentity(): boolean {
    return this.isSquare &&
      this.data.every((v, e) => v === (Math.floor(e / this.cols) === e % this.cols ? 1 : 0));
  }

  /** The rows as plain arrays (for JSON output). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    }
    return out;
  }

  /** The transpose, `cols × rows`. */
  transpose(): Matrix {
    return Matrix.fromFunction(this.cols, this.rows, (i, j) => this.get(j, i));
  }

  /** The diagonal entries `(i, i)` for `i < min(rows, cols)`. */
  diagonal(): Float64Array {
    const n = Math.min(this.rows, this.cols);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = this.get(i, i);
    return d;
  }

  /**
   * The submatrix of rows `r0 ≤ i < r1` and columns `c0 ≤ j < c1`, copied into `into` when
   * given (its first `(r1 − r0)·(c1 − c0)` entries: e.g. a view of a buffer shared by several
   * blocks), else into a new array.
   */
  slice(r0: number, r1: number, c0: number, c1: number, into?: Float64Array): Matrix {
    if (r0 < 0 || r1 > this.rows || c0 < 0 || c1 > this.cols || r0 > r1 || c0 > c1) {
      throw new ShapeError(
        `slice [${r0}, ${r1}) × [${c0}, ${c1}) is outside a ${this.rows}×${this.cols} matrix`,
      );
    }
    const rows = r1 - r0, cols = c1 - c0;
    if (into && into.length < rows * cols) {
      throw new ShapeError(`slice: ${rows}×${cols} entries do not fit into ${into.length}`);
    }
    const out = into ? into.subarray(0, rows * cols) : new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const from = (r0 + i) * this.cols + c0;
      out.set(this.data.subarray(from, from + cols), i * cols);
    }
    return new Matrix(rows, cols, out);
  }

  /** Frobenius norm `‖A‖_F`, computed without overflow for moderate entries. */
  normFrobenius(): number {
    let s = 0;
    for (const x of this.data) s += x * x;
    return Math.sqrt(s);
  }

  /** Largest absolute entry `max |a_ij|` (0 for an empty matrix). */
  maxAbs(): number {
    let m = 0;
    for (const x of this.data) m = Math.max(m, Math.abs(x));
    return m;
  }

  /** True when every entry is finite. */
  isFinite(): boolean {
    return this.#firstNonFinite() < 0;
  }

  /** Index of the first NaN or ±∞ entry, −1 when none (a plain loop: this runs on every
   * matrix copied into the WASM core, thousands of times per explorer frame). */
  #firstNonFinite(): number {
    const d = this.data;
    for (let k = 0; k < d.length; k++) if (!Number.isFinite(d[k])) return k;
    return -1;
  }

  /**
   * Throws unless every entry is finite.
   * @param name how to call the matrix in the error message
   * @throws {NonFiniteError} naming the first offending entry
   */
  assertFinite(name: string): this {
    const k = this.#firstNonFinite();
    if (k >= 0) {
      const i = Math.floor(k / this.cols), j = k % this.cols;
      throw new NonFiniteError(`${name}: entry (${i}, ${j}) is ${this.data[k]}, expected finite`);
    }
    return this;
  }
}
