/**
 * The library's one source of randomness: a seeded xoroshiro128+ generator (pure-rand) with the
 * draws the library needs (uniform, standard normal, Gaussian and Haar-orthonormal matrices).
 * One seed reproduces a whole run: every function that draws takes a `Random` and advances it.
 *
 * @module
 */
import { type RandomGenerator, uniformFloat64, xoroshiro128plus } from "./npm/pure_rand.ts";
import { Matrix } from "./matrix.ts";
import { InputError } from "./errors.ts";
import { qr } from "./linalg/qr.ts";

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
   * Starts a generator whose whole sequence of draws is fixed by `seed` (mixed by MurmurHash3's
   * 32-bit finaliser first, so neighbouring seeds do not give correlated first draws).
   * @param seed a 32-bit integer (other integers are reduced modulo 2³²)
   * @throws {InputError} when `seed` is not an integer
   */
  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new InputError(`seed must be an integer, got ${seed}`);
    // xoroshiro128+ sets its state from the seed directly, so neighbouring seeds would give
    // correlated first draws; the seed is mixed first.
    this.#gen = xoroshiro128plus(mix32(seed | 0));
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
   * (Haar): the `Q` of a Gaussian matrix's QR factorisation whose `R` has a non-negative
   * diagonal (the convention of `qr`; Mezzadri 2007). `orthonormal(n, n)` is a Haar orthogonal
   * matrix.
   *
   * @throws {InputError} when `cols > rows`
   */
  orthonormal(rows: number, cols: number): Matrix {
    if (cols > rows) {
      throw new InputError(
        `orthonormal: ${cols} orthonormal columns need rows ≥ ${cols}, got ${rows}`,
      );
    }
    return qr(this.gaussianMatrix(rows, cols)).q;
  }
}

/** The murmur3 32-bit finaliser: a bijection on 32-bit integers that spreads every input bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h | 0;
}

/**
 * The seed of independent stream `index` derived from one base seed, so that one base seed
 * reproduces a whole script whose parts draw from separate generators.
 *
 * @example
 * ```ts
 * const networks = Array.from({ length: 50 }, (_, i) => new Random(deriveSeed(42, i)));
 * ```
 */
export function deriveSeed(base: number, index: number): number {
  return mix32(base ^ Math.imul(index + 1, 0x9e3779b9));
}
