/**
 * One task mode of a depth-L linear network from an aligned balanced initialisation (MATH.md,
 * "Deeper networks"): its strength `u = a^L` (`a` the mode's singular value in every layer)
 * obeys `τ du/dt = L u^{2−2/L} (s̃ − u)`, written once over a scalar arithmetic ({@link Real}) so
 * it runs in f64 and in decimal.js at any precision.
 *
 * Closed form of the time (derivation). With `z = (u/s̃)^{1/L}` (so `z = a/s̃^{1/L}`) the
 * equation becomes `dz/dt = κ z^{L−1}(1 − z^L)/τ`, `κ = s̃^{2−2/L}`, and the partial fractions
 * `1/(z^{L−1}(1 − z^L)) = z^{1−L} + z/(1 − z^L)` give `κ t/τ = Φ(z) − Φ(z₀)` with
 *
 *   Φ(z) = Φ_pow(z) + Φ_log(z),   Φ_pow = ln z (L = 2),  −z^{2−L}/(L − 2) (L > 2),
 *   Φ_log(z) = ∫ z/(1 − z^L) dz = −(1/L) Σ_ω ω² ln(z − ω)   over the L-th roots of unity ω,
 *
 * in real form: `−(1/L) ln|1 − z|`, `−(1/L) ln(1 + z)` when L is even, and for each pair
 * `ω = e^{±iθ}`, `θ = 2πk/L`, `0 < θ < π`:
 * `−(2/L) [cos 2θ · ½ ln(z² − 2z cos θ + 1) + sin 2θ · atan2(sin θ, z − cos θ)]`.
 * L = 2 gives `2 s̃ t/τ = ln(u/(s̃ − u)) − ln(u₀/(s̃ − u₀))`, the logistic.
 *
 * Inversion: `Φ` is strictly monotone on `(0, 1)` (increasing) and on `(1, ∞)` (decreasing),
 * `Φ' = 1/(z^{L−1}(1 − z^L))`, so `u(t)` is the root of `F(z) = Φ(z) − Φ(z₀) − κt/τ` in the
 * bracket between `z₀` and 1; Newton steps that leave the bracket are replaced by bisection.
 * Accuracy: an absolute error `δ` in `F` moves `z` by `δ·z^{L−1}|1 − z^L|`; `δ` is a few ulps of
 * `|Φ(z₀)| ~ z₀^{2−L}/(L−2)` (or of `κt/τ` late), so `u` keeps a relative accuracy of a few ulps
 * at every `t` (measured in test/exact_deep_test.ts against gradient flow and decimal.js).
 * Degenerate modes: `u₀ = 0` stays 0 (a saddle); `s̃ = 0` decays as
 * `a^{2−2L} = a₀^{2−2L} + (2L − 2)t/τ`; `t = ∞` gives `s̃` (or 0).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import {
  type DecimalNumber,
  exactDecimalString,
  isolatedDecimal,
} from "../linalg/decimal_context.ts";

/** The scalar arithmetic the mode formulas are written over (f64 or decimal.js). */
export interface Real<T> {
  /** Relative rounding unit (f64: 2⁻⁵²; decimal: 10^{1−digits}). */
  readonly eps: number;
  /** Exact conversion of a JS number. */
  of(x: number): T;
  /** Rounds to the nearest f64. */
  num(a: T): number;
  /** `a + b`. */
  add(a: T, b: T): T;
  /** `a − b`. */
  sub(a: T, b: T): T;
  /** `a · b`. */
  mul(a: T, b: T): T;
  /** `a / b`. */
  div(a: T, b: T): T;
  /** Natural logarithm. */
  ln(a: T): T;
  /** Exponential. */
  exp(a: T): T;
  /** `a^p` for `a > 0`. */
  pow(a: T, p: T): T;
  /** `atan2(y, x)`. */
  atan2(y: T, x: T): T;
  /** Cosine. */
  cos(a: T): T;
  /** Sine. */
  sin(a: T): T;
  /** π. */
  pi(): T;
  /** `a < b`. */
  lt(a: T, b: T): boolean;
  /** Decimal string of `a` with `digits` significant digits. */
  str(a: T, digits: number): string;
  /** The value of a decimal string (rounded to the arithmetic). */
  parse(x: string): T;
}

/** f64 arithmetic. */
export const f64Real: Real<number> = {
  eps: 2 ** -52,
  of: (x) => x,
  num: (a) => a,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  ln: Math.log,
  exp: Math.exp,
  pow: Math.pow,
  atan2: Math.atan2,
  cos: Math.cos,
  sin: Math.sin,
  pi: () => Math.PI,
  lt: (a, b) => a < b,
  str: (a, digits) => a.toPrecision(Math.min(digits, 17)),
  parse: Number,
};

/**
 * decimal.js arithmetic at `digits` significant digits (an isolated constructor); `of` converts
 * the exact binary value of an f64.
 */
export function decimalReal(digits: number): Real<DecimalNumber> {
  const D = isolatedDecimal(digits);
  return {
    eps: 10 ** (1 - digits),
    of: (x) => (Number.isFinite(x) ? new D(exactDecimalString(x)) : new D(x)),
    num: (a) => a.toNumber(),
    add: (a, b) => D.add(a, b),
    sub: (a, b) => D.sub(a, b),
    mul: (a, b) => D.mul(a, b),
    div: (a, b) => D.div(a, b),
    ln: (a) => D.ln(a),
    exp: (a) => D.exp(a),
    pow: (a, p) => D.pow(a, p),
    atan2: (y, x) => D.atan2(y, x),
    cos: (a) => D.cos(a),
    sin: (a) => D.sin(a),
    pi: () => D.acos(-1),
    lt: (a, b) => a.lt(b),
    str: (a, d) => a.toSD(d).toString(),
    parse: (x) => new D(x),
  };
}

/**
 * `Φ(z)` and `Φ'(z)` of the module documentation for depth `depth`; without `singular`, `Φ`
 * leaves out its only term that is singular at `z = 1`, `−(1/L) ln|1 − z|`.
 */
function phi<T>(r: Real<T>, depth: number, z: T, singular = true): { value: T; slope: T } {
  const one = r.of(1), L = r.of(depth);
  const zl = r.pow(z, L);
  let value = depth === 2 ? r.ln(z) : r.div(r.pow(z, r.of(2 - depth)), r.of(2 - depth)); // −z^{2−L}/(L−2)
  const invL = r.div(one, L);
  if (singular) {
    const gap = r.lt(z, one) ? r.sub(one, z) : r.sub(z, one);
    value = r.sub(value, r.mul(invL, r.ln(gap)));
  }
  if (depth % 2 === 0) value = r.sub(value, r.mul(invL, r.ln(r.add(one, z))));
  for (let k = 1; 2 * k < depth; k++) {
    const theta = r.div(r.mul(r.of(2 * k), r.pi()), L);
    const c = r.cos(theta), s = r.sin(theta);
    const c2 = r.cos(r.mul(r.of(2), theta)), s2 = r.sin(r.mul(r.of(2), theta));
    const q = r.add(r.sub(r.mul(z, z), r.mul(r.of(2), r.mul(z, c))), one);
    const term = r.add(r.mul(c2, r.div(r.ln(q), r.of(2))), r.mul(s2, r.atan2(s, r.sub(z, c))));
    value = r.sub(value, r.mul(r.div(r.of(2), L), term));
  }
  const slope = r.div(one, r.mul(r.pow(z, r.of(depth - 1)), r.sub(one, zl)));
  return { value, slope };
}

function checkMode(depth: number, s: number, u0: number): void {
  if (!Number.isInteger(depth) || depth < 2) {
    throw new InputError(`depth must be an integer ≥ 2, got ${depth}`);
  }
  if (!(Number.isFinite(s) && s >= 0)) throw new InputError(`s̃ must be finite and ≥ 0, got ${s}`);
  if (!(Number.isFinite(u0) && u0 >= 0)) {
    throw new InputError(`the initial mode strength must be finite and ≥ 0, got ${u0}`);
  }
}

/**
 * Time `t/τ` for a mode to go from `u0` to `u` (both strictly between 0 and `s̃` or both above
 * it): `(Φ(z) − Φ(z₀))/κ`. `Infinity` for `u = s̃`.
 * @throws {InputError} when `u` is not reached from `u0` (other side of `s̃`, or moving away)
 */
export function modeTime<T>(r: Real<T>, depth: number, s: number, u0: number, u: number): T {
  checkMode(depth, s, u0);
  if (!(s > 0 && u0 > 0)) throw new InputError("modeTime needs s̃ > 0 and u0 > 0");
  if (u === s) return r.of(Infinity);
  const below = u0 < s;
  if (!(below ? u >= u0 && u < s : u <= u0 && u > s)) {
    throw new InputError(`a mode from u0 = ${u0} towards s̃ = ${s} never reaches u = ${u}`);
  }
  const S = r.of(s), L = r.of(depth), invL = r.div(r.of(1), L);
  const z = r.pow(r.div(r.of(u), S), invL), z0 = r.pow(r.div(r.of(u0), S), invL);
  const kappa = r.pow(S, r.sub(r.of(2), r.div(r.of(2), L)));
  return r.div(r.sub(phi(r, depth, z).value, phi(r, depth, z0).value), kappa);
}

/**
 * Mode strength `u(t)` from `u(0) = u0` for `τ du/dt = L u^{2−2/L}(s̃ − u)` at `x = t/τ ≥ 0`
 * (`Infinity` allowed), evaluated in the arithmetic `r`. `s`, `u0` and `x` may be given as JS
 * numbers (converted exactly) or as values of `r` (e.g. decimals that an f64 would round).
 * @throws {InputError} on a depth below 2, a negative or non-finite `s̃` or `u0`, or `x < 0`
 * @example
 * ```ts
 * modeStrength(f64Real, 3, 2, 1e-3, 5); // depth 3, s̃ = 2, u0 = 1e-3, t = 5τ
 * ```
 */
export function modeStrength<T>(
  r: Real<T>,
  depth: number,
  s: number | T,
  u0: number | T,
  x: number | T,
): T {
  const lift = (v: number | T): T => (typeof v === "number" ? r.of(v) : v);
  const S = lift(s), U0 = lift(u0), X = lift(x);
  const sNum = r.num(S), u0Num = r.num(U0), xNum = r.num(X);
  checkMode(depth, sNum, u0Num);
  if (!(xNum >= 0)) throw new InputError(`t/τ must be ≥ 0, got ${xNum}`);
  if (u0Num === 0 || xNum === 0) return U0;
  const L = r.of(depth), one = r.of(1);
  if (sNum === 0) {
    // a^{2−2L} = a0^{2−2L} + (2L − 2) x, u = a^L
    if (xNum === Infinity) return r.of(0);
    const e = r.of(2 - 2 * depth);
    const a0 = r.pow(U0, r.div(one, L));
    const base = r.add(r.pow(a0, e), r.mul(r.of(2 * depth - 2), X));
    return r.pow(base, r.div(L, e));
  }
  const same = !r.lt(U0, S) && !r.lt(S, U0);
  if (same || xNum === Infinity) return S;
  const z0 = r.pow(r.div(U0, S), r.div(one, L));
  const kappa = r.pow(S, r.sub(r.of(2), r.div(r.of(2), L)));
  const target = r.add(phi(r, depth, z0).value, r.mul(kappa, X));
  const below = r.lt(z0, one);
  // Late times: near z = 1, Φ(z) = −(1/L) ln|1 − z| + Φ_reg(1) + O(|1 − z|), so
  // |1 − z| ≈ q = e^{−L (target − Φ_reg(1))}; below the arithmetic's resolution that is the
  // answer, u = s̃ (1 ∓ q)^L = s̃ (1 ∓ Lq) to rounding.
  const q = r.exp(r.mul(L, r.sub(phi(r, depth, one, false).value, target)));
  if (r.num(q) < r.eps) {
    const shift = r.mul(S, r.mul(L, q));
    return below ? r.sub(S, shift) : r.add(S, shift);
  }
  // Bracket [lo, hi] of z; Φ increases in z below 1 and decreases above.
  let lo = below ? z0 : one, hi = below ? one : z0;
  let z = z0;
  const tail = below ? r.sub(one, q) : r.add(one, q);
  if (r.eps < f64Real.eps) {
    // Higher precision: start Newton from the f64 root (quadratic convergence then doubles
    // its ~15 digits per step) when it lies strictly inside the bracket.
    const guess = r.pow(
      r.div(r.of(modeStrength(f64Real, depth, sNum, u0Num, xNum)), S),
      r.div(one, L),
    );
    if (r.lt(lo, guess) && r.lt(guess, hi)) z = guess;
    else if (r.lt(lo, tail) && r.lt(tail, hi)) z = tail;
  }
  const targetSize = Math.abs(r.num(target));
  for (let it = 0; it < 400; it++) {
    const { value, slope } = phi(r, depth, z);
    const f = r.sub(value, target);
    const fNum = r.num(f);
    if (fNum === 0) break;
    // below: f < 0 means the root is above z; above 1: f < 0 means the root is below z.
    if ((fNum < 0) === below) lo = z;
    else hi = z;
    const newton = r.sub(z, r.div(f, slope));
    const inside = r.lt(lo, newton) && r.lt(newton, hi);
    // F is known to its rounding: a few ulps of |Φ| + |target|, plus what one ulp of z moves
    // it (|Φ'| z ε, large near z = 1). Once |F(z)| is at that level the root is found, and one
    // more Newton step (if it stays in the bracket) polishes it.
    const noise = r.eps * (Math.abs(r.num(value)) + targetSize + Math.abs(r.num(slope) * r.num(z)));
    if (Math.abs(fNum) <= 8 * noise) {
      if (inside) z = newton;
      break;
    }
    z = inside ? newton : r.div(r.add(lo, hi), r.of(2));
    if (r.num(r.sub(hi, lo)) <= 2 * r.eps * r.num(hi)) break;
  }
  // u lies between u0 and s̃; the clamp removes the last ulps the final power may add.
  const u = r.mul(S, r.pow(z, L)), lower = below ? U0 : S, upper = below ? S : U0;
  return r.lt(u, lower) ? lower : r.lt(upper, u) ? upper : u;
}

/**
 * Estimated relative error of {@link modeStrength} at `x = t/τ` in an arithmetic of rounding
 * unit `eps`: the root of `Φ(z) = Φ(z₀) + κx` inherits the rounding of that sum,
 * `eps·(|Φ(z₀)| + κx)`, and `u` moves by `(u'/u)/κ` per unit of it (`u' = L u^{2−2/L}(s̃ − u)`);
 * `|Φ(z₀)|/κ` is bounded by the asymptotic time to learn plus `1/s̃`, and `8L` ulps cover the
 * O(1) terms of `Φ` and the final power:
 * `8L·eps·(1 + (u'/u)(x + |t_asym| + 1/s̃))`. Measured against decimal.js in
 * test/exact_deep_test.ts (the worst error is a third of it).
 */
export function modeErrorEstimate(
  depth: number,
  s: number,
  u0: number,
  x: number,
  eps: number = f64Real.eps,
): number {
  if (!(u0 > 0 && s > 0 && x > 0 && x < Infinity)) return eps;
  const u = modeStrength(f64Real, depth, s, u0, x);
  const rate = Math.abs(depth * Math.pow(u, 1 - 2 / depth) * (s - u));
  const t0 = Math.abs(timeToLearnAsymptote(depth, s, u0)) + 1 / s;
  return 8 * depth * eps * (1 + rate * (x + t0));
}

/**
 * Time `t/τ` for a mode to grow from `u0` to the fraction `f` of `s̃` (`u0 < f·s̃ < s̃`):
 * `(Φ(f^{1/L}) − Φ(z₀))/κ`, exact at any depth; `f = ½` is the usual "time to learn".
 * @throws {InputError} unless `0 < u0 < f s̃` and `0 < f < 1`
 */
export function timeToLearn(depth: number, s: number, u0: number, fraction = 0.5): number {
  if (!(fraction > 0 && fraction < 1)) {
    throw new InputError(`fraction must lie in (0, 1), got ${fraction}`);
  }
  return modeTime(f64Real, depth, s, u0, fraction * s);
}

/**
 * The small-initialisation asymptote of the time to learn at depth `L > 2`,
 * `t/τ ≈ 1/(s̃ (L − 2) u₀^{1−2/L})` (MATH.md): the leading term `−Φ_pow(z₀)/κ`. Its relative
 * error is `O((u₀/s̃)^{1−2/L})` (the remaining terms of `Φ` are bounded), measured in
 * test/exact_deep_test.ts. At `L = 2` the time grows only like `ln(s̃/u₀)/(2s̃)`: returns that.
 */
export function timeToLearnAsymptote(depth: number, s: number, u0: number): number {
  checkMode(depth, s, u0);
  return depth === 2
    ? Math.log(s / u0) / (2 * s)
    : 1 / (s * (depth - 2) * Math.pow(u0, 1 - 2 / depth));
}
