/**
 * Block floating-point matrices: integer (BigInt) mantissas sharing one binary exponent,
 * `A = N · 2^e`, rounded after every operation so that the largest mantissa keeps `bits`
 * significant bits. Every operation then has a normwise relative error of at most about
 * `n · 2^−bits` (as floating point with unit roundoff `2^−bits`, but normwise, not per entry).
 *
 * Used by the decimal backend's `expm`, whose error analysis is normwise anyway (scaling and
 * squaring bounds `‖T_k − e^X‖`); BigInt products run natively, two orders of magnitude faster
 * than decimal.js at a few hundred digits.
 *
 * @module
 */
import { Decimal } from "../npm/decimal.ts";

/** An `n × n` block floating-point matrix `N · 2^e` (row-major mantissas). */
export interface BlockMatrix {
  readonly n: number;
  readonly mant: bigint[];
  readonly exp: number;
}

/** Number of bits of `|x|` (0 for 0). */
export function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const h = (x < 0n ? -x : x).toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}

/** Divides by `2^shift` rounding to nearest (ties away from zero). */
function shiftRound(x: bigint, shift: number): bigint {
  if (shift <= 0) return x << BigInt(-shift);
  const s = BigInt(shift);
  const half = 1n << (s - 1n);
  return x >= 0n ? (x + half) >> s : -((-x + half) >> s);
}

/** Rounds the mantissas so that the largest has at most `bits` bits. */
export function normalise(mant: bigint[], exp: number, n: number, bits: number): BlockMatrix {
  let top = 0;
  for (const x of mant) top = Math.max(top, bitLength(x));
  const shift = top - bits;
  if (shift <= 0) return { n, mant, exp };
  return { n, mant: mant.map((x) => shiftRound(x, shift)), exp: exp + shift };
}

/** The identity with `bits`-bit mantissas. */
export function blockIdentity(n: number, bits: number): BlockMatrix {
  const one = 1n << BigInt(bits - 1);
  const mant: bigint[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mant.push(i === j ? one : 0n);
  return { n, mant, exp: -(bits - 1) };
}

/** `a · b`, rounded to `bits` bits. */
export function blockMatmul(a: BlockMatrix, b: BlockMatrix, bits: number): BlockMatrix {
  const n = a.n;
  const out: bigint[] = new Array(n * n).fill(0n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.mant[i * n + k];
      if (aik === 0n) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b.mant[k * n + j];
    }
  }
  return normalise(out, a.exp + b.exp, n, bits);
}

/** `Σ_l c_l · m_l` for scalars `c_l = cm_l · 2^ce_l` (exact sum, then one rounding). */
export function blockCombination(
  terms: { m: BlockMatrix; cm: bigint; ce: number }[],
  bits: number,
): BlockMatrix {
  const n = terms[0].m.n;
  const exps = terms.map((t) => t.m.exp + t.ce);
  const low = Math.min(...exps);
  const out: bigint[] = new Array(n * n).fill(0n);
  terms.forEach((t, k) => {
    const up = BigInt(exps[k] - low);
    for (let i = 0; i < n * n; i++) out[i] += (t.cm * t.m.mant[i]) << up;
  });
  return normalise(out, low, n, bits);
}

/** `c · 2^e` as a scalar with `bits`-bit mantissa for `c = 1 / d` (`d` a positive integer). */
export function reciprocal(d: bigint, bits: number): { cm: bigint; ce: number } {
  const shift = bits + bitLength(d);
  return { cm: (1n << BigInt(shift)) / d, ce: -shift };
}

/**
 * Converts Decimal entries (an `n × n` matrix, row-major) exactly enough: each entry is rounded
 * to the nearest multiple of `2^e`, with `e` chosen so that the largest entry has `bits` bits.
 * Runs at the precision of the entries' constructor, which must exceed `bits · log10 2`.
 */
export function fromDecimals(xs: readonly Decimal[], n: number, bits: number): BlockMatrix {
  const D = xs[0].constructor as typeof Decimal;
  let max = new D(0);
  for (const x of xs) if (x.abs().gt(max)) max = x.abs();
  if (max.isZero()) return { n, mant: xs.map(() => 0n), exp: 0 };
  const e = Math.floor(max.log(2).toNumber()) + 1 - bits;
  const scale = new D(2).pow(-e);
  return { n, mant: xs.map((x) => BigInt(x.times(scale).round().toFixed(0))), exp: e };
}

/** The entries as Decimals of constructor `D` (rounded to its precision). */
export function toDecimals(a: BlockMatrix, D: typeof Decimal): Decimal[] {
  const scale = new D(2).pow(a.exp);
  return a.mant.map((x) => new D(x.toString()).times(scale));
}
