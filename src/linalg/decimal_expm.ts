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
 * of `k`.
 *
 * @module
 */
import type { Decimal } from "decimal.js";
import { ShapeError } from "../errors.ts";
import { identity, map, matmul, normInf, zipWith } from "./decimal_arith.ts";
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
 * `Σ_{j≤k} c_j X^j` by Paterson–Stockmeyer.
 * @param c coefficients `c_0 … c_k` (owned by `ctx`)
 */
function polynomial(ctx: DecimalContext, x: DecimalMatrix, c: Decimal[]): DecimalMatrix {
  const k = c.length - 1;
  const q = Math.max(1, Math.ceil(Math.sqrt(k + 1)));
  const powers = [identity(ctx, x.rows), x];
  for (let j = 2; j <= q; j++) powers.push(matmul(ctx, powers[j - 1], x));
  const blocks = Math.ceil((k + 1) / q);
  const blockSum = (b: number) => {
    let acc = map(powers[0], (e) => e.times(c[b * q]));
    for (let l = 1; l < q && b * q + l <= k; l++) {
      const cl = c[b * q + l];
      acc = zipWith(acc, powers[l], "expm", (u, v) => u.plus(v.times(cl)));
    }
    return acc;
  };
  let acc = blockSum(blocks - 1);
  for (let b = blocks - 2; b >= 0; b--) {
    acc = zipWith(matmul(ctx, powers[q], acc), blockSum(b), "expm", (u, v) => u.plus(v));
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
  const half = new w.D(2).pow(-s);
  const x = new DecimalMatrix(a.rows, a.cols, a.data.map((e) => new w.D(e).times(half)));
  const k = taylorDegree(Math.min(EXPM_THETA, normInf(w, x).toNumber()), w.precision);
  const coefficients = [new w.D(1)];
  for (let j = 1; j <= k; j++) coefficients.push(coefficients[j - 1].div(j));
  let e = polynomial(w, x, coefficients);
  for (let j = 0; j < s; j++) e = matmul(w, e, e);
  return map(e, (v) => new ctx.D(v.toSD(ctx.precision)));
}
