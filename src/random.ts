/**
 * The library's one source of randomness: a seeded xoroshiro128+ generator (pure-rand) with the
 * draws the library needs (uniform, standard normal, Gaussian and Haar-orthonormal matrices).
 * One seed reproduces a whole run: every function that draws takes a `Random` and advances it.
 *
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { Matrix } from "./matrix.ts";
import { InputError } from "./errors.ts";

/**
 * A seeded random generator. Draws are deterministic functions of the seed and the sequence of
 * calls made on it.
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * const g = rng.gaussianMatrix(3, 2, 0.1); // entries N(0, 0.1²)
 * const q = rng.orthonormal(4, 2);        // 4×2 with orthonormal columns, Haar distributed
 * ```
 */
export class Random {
  #gen: RandomGenerator;
  #spare: number | undefined;

  /**
   * @param seed a 32-bit integer (other integers are reduced modulo 2³²)
   * @throws {InputError} when `seed` is not an integer
   */
  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new InputError(`seed must be an integer, got ${seed}`);
    this.#gen = xoroshiro128plus(seed | 0);
  }

  /** Uniform on `[0, 1)`, a multiple of 2⁻⁵³. */
  uniform(): number {
    return uniformFloat64(this.#gen);
  }

  /** Standard normal `N(0, 1)` (Marsaglia's polar method; draws come in pairs). */
  normal(): number {
    if (this.#spare !== undefined) {
      const z = this.#spare;
      this.#spare = undefined;
      return z;
    }
    for (;;) {
      const u = 2 * this.uniform() - 1;
      const v = 2 * this.uniform() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const f = Math.sqrt(-2 * Math.log(s) / s);
        this.#spare = v * f;
        return u * f;
      }
    }
  }

  /** A `rows × cols` matrix of independent `N(0, scale²)` entries. */
  gaussianMatrix(rows: number, cols: number, scale = 1): Matrix {
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = scale * this.normal();
    return new Matrix(rows, cols, data);
  }

  /**
   * A `rows × cols` matrix (`cols ≤ rows`) with orthonormal columns, distributed uniformly
   * (Haar): Gram–Schmidt QR of a Gaussian matrix, which fixes the signs so that `R` has a
   * positive diagonal (Mezzadri 2007). Modified Gram–Schmidt twice ("twice is enough") keeps
   * `QᵀQ = I` to rounding. `orthonormal(n, n)` is a Haar orthogonal matrix.
   *
   * @throws {InputError} when `cols > rows`
   */
  orthonormal(rows: number, cols: number): Matrix {
    if (cols > rows) {
      throw new InputError(
        `orthonormal: ${cols} orthonormal columns need rows ≥ ${cols}, got ${rows}`,
      );
    }
    const g = this.gaussianMatrix(rows, cols);
    return orthonormalizeColumns(g);
  }
}

/**
 * The `Q` factor of `A = QR` with `R`'s diagonal positive (columns of `A` independent), by
 * modified Gram–Schmidt applied twice. Kept here because the Haar draw needs exactly this sign
 * convention.
 */
function orthonormalizeColumns(a: Matrix): Matrix {
  const [m, n] = a.shape;
  // Work column-major: column j at q[j*m .. (j+1)*m).
  const q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[j * m + i] = a.data[i * n + j];
  for (let j = 0; j < n; j++) {
    const cj = q.subarray(j * m, (j + 1) * m);
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        const cp = q.subarray(p * m, (p + 1) * m);
        let d = 0;
        for (let i = 0; i < m; i++) d += cp[i] * cj[i];
        for (let i = 0; i < m; i++) cj[i] -= d * cp[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += cj[i] * cj[i];
    norm = Math.sqrt(norm);
    // A Gaussian matrix has independent columns with probability 1.
    for (let i = 0; i < m; i++) cj[i] /= norm;
  }
  return Matrix.fromFunction(m, n, (i, j) => q[j * m + i]);
}
