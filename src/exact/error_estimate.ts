/**
 * Error estimates of the exact forms: each form's relative error at `t/τ = x` (relative to
 * `max|QQᵀ(x)|`), as `u · amplification(x)` with `u = 10^−digits` the backend's unit roundoff
 * and an amplification factor from the conditioning of the quantities the form goes through.
 * The estimates are meant as upper bounds in practice (tests: never below the actual error, as
 * measured against 60-digit references and the gradient-flow integrator, by more than 10×).
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Modes } from "./modes.ts";

/** Default relative accuracy requested from an exact method (`tolerance`). */
export const DEFAULT_TOLERANCE = 1e-10;

/** Unit roundoff of a backend's arithmetic, `10^−digits` (f64: `2^−53 ≈ 1.1e-16`). */
export function unitRoundoff<M>(be: Backend<M>): number {
  return 10 ** -be.digits;
}

/** The conditioning of a problem's modes that the error models depend on. */
export interface ModeConditioning {
  /** `κ(S) = s_max/s_min` of `W2W1(0)`. */
  condS: number;
  /** `cond(B) = 2/σ_min(B)` (Infinity when singular). */
  condB: number;
  /** Largest and smallest singular values of `Σyx`. */
  sMax: number;
  /** Smallest singular value of `Σyx`. */
  sMin: number;
}

/** Measures {@link ModeConditioning} from prepared modes (rounded to f64). */
export function modeConditioning<M>(be: Backend<M>, m: Modes<M>): ModeConditioning {
  return be.scoped(() => {
    const s = be.toMatrix(m.s).data, st = be.toMatrix(m.st).data;
    const sb = be.toMatrix(be.svd(m.b).s).data;
    const bMin = sb[sb.length - 1];
    return {
      condS: s[0] / s[s.length - 1],
      condB: bMin === 0 ? Infinity : 2 / bMin,
      sMax: st[0],
      sMin: st[st.length - 1],
    };
  });
}

/**
 * Theorem 3.1: `B⁻¹` on both sides (`cond(B)²`) and `S⁻¹` of the initial product (`κ(S)`).
 */
export function stableError(u: number, c: ModeConditioning): number {
  return 10 * u * (c.condB * c.condB + c.condS);
}

/** The stable B-free form: `S⁻¹` of the initial product (`κ(S)`). */
export function bfreeStableError(u: number, c: ModeConditioning): number {
  return 10 * u * (1 + c.condS);
}

/** The B-free form: `κ(S)` and its growing exponentials `e^{2 s̃_max x}`. */
export function bfreeError(u: number, c: ModeConditioning, x: number): number {
  return 10 * u * (c.condS + Math.exp(2 * c.sMax * x));
}

/** Theorem 5.1: the inverse of `A0ᵀA0` (`κ(S)`). */
export function alignedError(u: number, condS: number): number {
  return 10 * u * (1 + condS);
}
