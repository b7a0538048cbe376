/**
 * The arithmetic context of one decimal.js backend: an isolated Decimal constructor at the
 * working precision plus guard digits, the matrix type, and exact conversions from f64.
 *
 * Isolation: every context owns a constructor made by `Decimal.clone({defaults: true, …})`, so
 * it neither reads nor writes the global `Decimal` configuration, and two contexts at different
 * precisions can be used in the same computation. decimal.js rounds each operation to the
 * precision of the constructor of its left operand, so all arithmetic here is done on values
 * owned by the context (`own` re-homes entries created elsewhere, copying their digits exactly).
 *
 * @module
 */
import { Decimal } from "../npm/decimal.ts";
import { InputError, NonFiniteError, ShapeError } from "../errors.ts";

export { GUARD_DIGITS } from "./guard_digits.ts";
import { GUARD_DIGITS } from "./guard_digits.ts";

/** Largest working precision accepted (decimal.js handles more, but cost grows quadratically). */
export const MAX_DIGITS = 10_000;

/**
 * An arbitrary-precision decimal number: decimal.js's `Decimal`, the entry type of
 * {@link DecimalMatrix}. Each one belongs to the isolated constructor of the context that made
 * it, and an operation rounds to the precision of its left operand's constructor.
 */
export type DecimalNumber = Decimal;

/** A dense `rows × cols` matrix of Decimal entries, row-major. Treat it as immutable. */
export class DecimalMatrix {
  /**
   * Wraps `data` as a `rows × cols` matrix: entry `(i, j)` is `data[i * cols + j]`, a Decimal
   * owned by the context that made it (its constructor fixes the working precision).
   * @param rows number of rows
   * @param cols number of columns
   * @param data `rows * cols` entries, row-major; taken without copying
   */
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: readonly DecimalNumber[],
  ) {
    if (data.length !== rows * cols) {
      throw new ShapeError(
        `a ${rows}×${cols} matrix needs ${rows * cols} entries, got ${data.length}`,
      );
    }
  }

  /** Entry `(i, j)`, zero-based. */
  get(i: number, j: number): DecimalNumber {
    return this.data[i * this.cols + j];
  }
}

/** The arithmetic context of a decimal backend at a given working precision. */
export interface DecimalContext {
  /** Requested significant digits (the precision results are trusted to). */
  readonly digits: number;
  /** Digits every operation is rounded to: `digits + GUARD_DIGITS`. */
  readonly precision: number;
  /** The isolated constructor at `precision` significant digits, rounding half-even. */
  readonly D: Decimal.Constructor;
  /** `10^−digits`: the accuracy the backend promises. */
  readonly eps: Decimal;
  /** `10^−precision`: the unit roundoff of every operation (guard digits included). */
  readonly unit: Decimal;
  /** The context carrying `extra` more digits (for steps that need them; memoised). */
  wider(extra: number): DecimalContext;
  /** The matrix with every entry owned by `D` (no copy when already owned). */
  own(a: DecimalMatrix): DecimalMatrix;
  /** Exact Decimal value of a finite f64. @throws {NonFiniteError} */
  exact(x: number): Decimal;
}

/** An isolated Decimal constructor with `precision` significant digits, rounding half-even. */
export function isolatedDecimal(precision: number): Decimal.Constructor {
  return Decimal.clone({ defaults: true, precision, rounding: Decimal.ROUND_HALF_EVEN });
}

/**
 * Creates the context of a backend working at `digits` significant digits.
 * @throws {InputError} unless `digits` is an integer in `[1, MAX_DIGITS]`
 */
export function decimalContext(digits: number): DecimalContext {
  if (!Number.isInteger(digits) || digits < 1 || digits > MAX_DIGITS) {
    throw new InputError(
      `decimal backend: digits must be an integer in [1, ${MAX_DIGITS}], got ${digits}`,
    );
  }
  const precision = digits + GUARD_DIGITS;
  const D = isolatedDecimal(precision);
  const widerCache = new Map<number, DecimalContext>();
  return {
    digits,
    precision,
    D,
    eps: new D(10).pow(-digits),
    unit: new D(10).pow(-precision),
    wider(extra) {
      let W = widerCache.get(extra);
      if (W === undefined) {
        W = decimalContext(digits + extra);
        widerCache.set(extra, W);
      }
      return W;
    },
    own(a) {
      if (a.data.every((x) => x.constructor === D)) return a;
      return new DecimalMatrix(a.rows, a.cols, a.data.map((x) => new D(x)));
    },
    exact(x) {
      return new D(exactDecimalString(x));
    },
  };
}

const bitsView = new DataView(new ArrayBuffer(8));

/**
 * The exact decimal expansion of a finite f64 (every f64 `m·2^e` with `e < 0` equals
 * `m·5^−e · 10^e`, a finite decimal of at most 767 significant digits). Decimal's own
 * `new Decimal(number)` would use the shortest round-trip string instead, a different number.
 * @throws {NonFiniteError} for NaN and ±Infinity
 */
export function exactDecimalString(x: number): string {
  if (!Number.isFinite(x)) {
    throw new NonFiniteError(`cannot convert ${x} to a decimal: expected a finite number`);
  }
  if (x === 0) return "0";
  bitsView.setFloat64(0, x);
  const bits = bitsView.getBigUint64(0);
  const sign = bits >> 63n ? "-" : "";
  const biased = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  while (exponent < 0 && (mantissa & 1n) === 0n) {
    [mantissa, exponent] = [mantissa >> 1n, exponent + 1];
  }
  if (exponent >= 0) return sign + (mantissa << BigInt(exponent)).toString();
  return `${sign}${mantissa * 5n ** BigInt(-exponent)}e${exponent}`;
}
