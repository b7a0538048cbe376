/**
 * Error estimates of the exact forms. Each form reports its relative error at `t/τ = x`
 * (relative to `max|QQᵀ(x)|`) as `ESTIMATE_SAFETY · u · amplification`, with `u = 10^−digits`
 * the backend's unit roundoff (f64: `2^−53`; decimal(d): `10^−d`, which also covers rounding
 * the result to `d` digits) and an amplification factor from the conditioning of what the form
 * goes through. The estimates are upper bounds in practice: the tests check, over every class of
 * problem below, that they never fall below the actual error (against 60-digit references and
 * the independent gradient-flow integrator) by more than 10×.
 *
 * What amplifies rounding (measured; README "Accuracy guarantee"):
 * - `S⁻¹` of the initial product `W2W1(0) = U S Vᵀ` (Theorem 3.1, both B-free forms, Theorem
 *   5.1). A perturbation `u·s_max` of the initial product moves its weakest mode by `u·κ(S)`
 *   relative; that mode starts near a saddle, so the error persists until it has been learned
 *   (measured: `≤ 0.7·u·κ(S)` at `t = 0`, still `0.07·u·κ(S)` at `t = 16τ` for κ = 1e10). The
 *   amplification is `r = max(s_max, s̃_max)/s_min`, uniform in time.
 * - `B⁻¹` on both sides in Theorem 3.1: `cond(B)² = (2/σ_min(B))²` (measured `7e-17·cond(B)²`);
 *   the weak initial mode is seen through them (fitted `cond(B)^{3/2}·r`).
 * - Passing near a saddle (near-singular `B`): the escape time depends on `σ_min(B)` to
 *   relative accuracy `u·cond(B)`, so the trajectory errs by that much while it escapes
 *   (measured `≤ 0.2·u·cond(B)` on near-reversals, with `B ≈ ε·orthogonal`, ε down to 1e-8).
 * - Growing exponentials: `e^{2 s̃_max x}` in the B-free form, the precision rule of Eq. 5
 *   (`src/precision.ts`).
 *
 * The factored form (`factored.ts`) never forms `S⁻¹` and has its own model there
 * (`steps + cond(B)(1 + √r)`); `auto` uses it when the forms above miss the tolerance in f64.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { echelonTolerance } from "./echelon.ts";
import type { Modes } from "./modes.ts";

/** Default relative accuracy requested from an exact method (`tolerance`). */
export const DEFAULT_TOLERANCE = 1e-10;

/** Factor between the modelled amplification of `u` and the estimate (margin for constants). */
export const ESTIMATE_SAFETY = 10;

/** f64's unit roundoff `2^−53`: what returning a result as f64 adds. */
export const F64_UNIT = 2 ** -53;

/** Unit roundoff of a backend's arithmetic, `10^−digits` (f64: `2^−53 ≈ 1.1e-16`). */
export function unitRoundoff<M>(be: Backend<M>): number {
  return 10 ** -be.digits;
}

/** The conditioning of a problem's modes that the error models depend on. */
export interface ModeConditioning {
  /** `r = max(s_max, s̃_max)/s_min`: `S⁻¹` of `W2W1(0)` against the scale of `QQᵀ`. */
  weakMode: number;
  /** `cond(B) = 2/σ_min(B)` (Infinity when singular). */
  condB: number;
  /**
   * `2/σ` for the smallest singular value `σ` of `B` above the rounding level (the directions
   * the stable B-free form treats as exactly singular left out); 1 when all are below it.
   */
  condBRegular: number;
  /** Largest singular value of `Σyx`. */
  sMax: number;
}

/** Measures {@link ModeConditioning} from prepared modes (rounded to f64). */
export function modeConditioning<M>(be: Backend<M>, m: Modes<M>): ModeConditioning {
  return be.scoped(() => {
    const s = be.toMatrix(m.s).data, st = be.toMatrix(m.st).data;
    const sb = Array.from(be.toMatrix(be.singularValues(m.b)).data);
    const regular = sb.filter((x) => x > echelonTolerance(be, sb.length));
    const bMin = sb[sb.length - 1];
    return {
      weakMode: Math.max(s[0], st[0]) / s[s.length - 1],
      condB: bMin === 0 ? Infinity : 2 / bMin,
      condBRegular: regular.length ? 2 / regular[regular.length - 1] : 1,
      sMax: st[0],
    };
  });
}

/**
 * Theorem 3.1: `cond(B)²` from `B⁻¹` on both sides, and the weak initial mode seen through them:
 * `cond(B)² + cond(B)^{3/2} r`. The worst case is `κ(H₁) = cond(B)² r` for `H₁ = B⁻¹S⁻¹B⁻ᵀ`,
 * which overestimated by up to 1e6× over 80 random problems; `cond(B)(cond(B) + r)` was exceeded
 * 67× by a deep run (cond(B) = 9e3, r = 3.5e4); the model kept here had actual/(u · model) ≤ 2.4
 * on both sets (cond(B) ≤ 2e4, κ(S) ≤ 1e12).
 */
export function stableError(u: number, c: ModeConditioning): number {
  return ESTIMATE_SAFETY * u * (c.condB * c.condB + c.condB ** 1.5 * c.weakMode);
}

/**
 * The stable B-free form: the weak initial mode and a near-saddle passage,
 * `cond(B) (1 + r)` with the regular part of `B` (fitted over 80 random problems, singular `B`
 * included, κ(S) ≤ 1e10: actual/(u · model) ≤ 2.1).
 */
export function bfreeStableError(u: number, c: ModeConditioning): number {
  return ESTIMATE_SAFETY * u * c.condBRegular * (1 + c.weakMode);
}

/** The B-free form: the weak initial mode and its growing exponentials `e^{2 s̃_max x}`. */
export function bfreeError(u: number, c: ModeConditioning, x: number): number {
  return ESTIMATE_SAFETY * u * (c.condBRegular * (1 + c.weakMode) + Math.exp(2 * c.sMax * x));
}

/** Theorem 5.1: the inverse of `A0ᵀA0`, whose condition is that of `W2W1(0)` (`κ(S)`). */
export function alignedError(u: number, condS: number): number {
  return ESTIMATE_SAFETY * u * (1 + condS);
}

/**
 * Eq. 5: the precision rule's digits lost at `x` (`eq5DigitsLost`), plus the rounding of
 * `e^{Fx}` itself (`1 + 2 s̃_max x`).
 */
export function fukumizuError(u: number, digitsLost: number, sMax: number, x: number): number {
  return ESTIMATE_SAFETY * u * (1 + 2 * sMax * x) * 10 ** digitsLost;
}
