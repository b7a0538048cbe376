/**
 * Decimal matrix exponential by scaling and squaring with a truncated Taylor series whose
 * truncation error is bounded below the working precision.
 *
 * ## Error bound (derivation)
 * Let `X = A / 2^s` with `θ = ‖X‖_∞ ≤ 1/2` (`s` the smallest integer achieving it) and
 * `T_k(X) = Σ_{j≤k} X^j / j!`. The remainder `R_k = e^X − T_k(X)` satisfies
 * `‖R_k‖ ≤ Σ_{j>k} θ^j / j! ≤ θ^{k+1} / (k+1)! · 1 / (1 − θ/(k+2))` (ratio of successive terms
 * at most `θ/(k+2)`). `R_k` is a power series in `X`, so it commutes with `X` and
 * `T_k = e^X (I − e^{−X} R_k)` with `‖e^{−X} R_k‖ ≤ e^θ ‖R_k‖ =: δ`. Squaring `s` times gives
 * `T_k^{2^s} = e^A (I − e^{−X} R_k)^{2^s}`, a relative perturbation of at most
 * `(1 + δ)^{2^s} − 1 ≈ 2^s δ`. We take the least `k` with
 * `e^θ · θ^{k+1}/(k+1)! / (1 − θ/(k+2)) ≤ 10^−p`, where `p = precision + ⌈s·log10 2⌉ + 1` is
 * also the precision the whole evaluation runs at: rounding errors in the series are amplified
 * by the same `2^s` in the squarings, so those `⌈s·log10 2⌉ + 1` extra digits absorb both. The
 * result is rounded back to the working precision. At `p = 60` and `θ = 1/2`, `k = 40`.
 *
 * ## Evaluation
 * `T_k` is evaluated by Paterson–Stockmeyer: with `q = ⌈√(k+1)⌉`, the powers `X², …, X^q` and
 * Horner's rule in `X^q` over blocks of `q` coefficients, about `2√k` matrix products instead
 * of `k`. The series and the squarings run in block floating point (`block_float.ts`: BigInt
 * mantissas, one exponent per matrix) with `⌈p · log2 10⌉ + 8` bits, i.e. a normwise unit
 * roundoff below `10^−p`, which is what the bound above is stated in; decimal.js arithmetic
 * at a few hundred digits would be about a hundred times slower.
 *
 * @module
 */
import type { Decimal } from "../npm/decimal.ts";
import { ShapeError } from "../errors.ts";
import { identity, normInf } from "./decimal_arith.ts";
import {
  blockCombination,
  blockIdentity,
  blockMatmul,
  type BlockMatrix,
  fromDecimals,
  reciprocal,
  toDecimals,
} from "./block_float.ts";
import { type DecimalContext, DecimalMatrix } from "./decimal_context.ts";

/** Scaled norm bound `θ`: `s` is chosen so that `‖A / 2^s‖_∞ ≤ θ`. */
export const EXPM_THETA = 0.5;

/**
 * Least Taylor degree `k` whose truncation bound (module doc) is at most `10^−digits` for
 * `‖X‖_∞ = theta`, computed in log10 with JS numbers (the bound needs no more accuracy).
 */
export function taylorDegree(theta: number, digits: number): number {
  if (theta === 0) return 0;
  const lt = Math.log10(theta);
  let logFactorial = 0; // log10((k+1)!)
  for (let k = 0;; k++) {
    logFactorial += Math.log10(k + 1);
    const logBound = theta * Math.LOG10E + (k + 1) * lt - logFactorial -
      Math.log10(1 - theta / (k + 2));
    if (logBound <= -digits) return k;
  }
}

/** Number of squarings `s`: the least `s ≥ 0` with `‖a‖_∞ / 2^s ≤ EXPM_THETA`. */
function squarings(norm: Decimal): number {
  if (norm.lte(EXPM_THETA)) return 0;
  return norm.div(EXPM_THETA).log(2).ceil().toNumber();
}

/**
 * `T_k(X) = Σ_{j≤k} X^j / j!` by Paterson–Stockmeyer in block floating point.
 * @param bits mantissa bits kept after every operation
 */
function taylor(x: BlockMatrix, k: number, bits: number): BlockMatrix {
  const q = Math.max(1, Math.ceil(Math.sqrt(k + 1)));
  const powers = [blockIdentity(x.n, bits), x];
  for (let j = 2; j <= q; j++) powers.push(blockMatmul(powers[j - 1], x, bits));
  let factorial = 1n;
  const c = [reciprocal(1n, bits)];
  for (let j = 1; j <= k; j++) c.push(reciprocal(factorial *= BigInt(j), bits));
  const blocks = Math.ceil((k + 1) / q);
  const blockSum = (b: number) => {
    const terms = [];
    for (let l = 0; l < q && b * q + l <= k; l++) terms.push({ m: powers[l], ...c[b * q + l] });
    return blockCombination(terms, bits);
  };
  let acc = blockSum(blocks - 1);
  for (let b = blocks - 2; b >= 0; b--) {
    acc = blockCombination([
      { m: blockMatmul(powers[q], acc, bits), cm: 1n, ce: 0 },
      { m: blockSum(b), cm: 1n, ce: 0 },
    ], bits);
  }
  return acc;
}

/**
 * Matrix exponential `e^a` of a square matrix at the working precision of `ctx` (module doc:
 * scaling and squaring, Taylor degree from a rigorous truncation bound, extra digits for the
 * squarings).
 * @throws {ShapeError} unless `a` is square
 */
export function expm(ctx: DecimalContext, a: DecimalMatrix): DecimalMatrix {
  if (a.rows !== a.cols) throw new ShapeError(`expm: matrix is ${a.rows}×${a.cols}, not square`);
  const norm = normInf(ctx, a);
  if (norm.isZero()) return identity(ctx, a.rows);
  const s = squarings(norm);
  const w = ctx.wider(Math.ceil(s * Math.LOG10E * Math.LN2) + 1);
  const bits = Math.ceil(w.precision / Math.LOG10E / Math.LN2) + 8;
  const half = new w.D(2).pow(-s);
  const x = a.data.map((e) => new w.D(e).times(half));
  const k = taylorDegree(
    Math.min(EXPM_THETA, normInf(w, new DecimalMatrix(a.rows, a.cols, x)).toNumber()),
    w.precision,
  );
  let e = taylor(fromDecimals(x, a.rows, bits), k, bits);
  for (let j = 0; j < s; j++) e = blockMatmul(e, e, bits);
  return new DecimalMatrix(
    a.rows,
    a.cols,
    toDecimals(e, w.D).map((v) => new ctx.D(v.toSD(ctx.precision))),
  );
}
