/**
 * The precision rule of Eq. 5 (Fukumizu's form): how many significant digits its evaluation at
 * `t/τ = x` loses to rounding, and so how many a decimal backend needs for a target accuracy.
 * Validated by the precision study (`deno task stability`, README "Precision study").
 *
 * ## Derivation
 * Write `Σyx = Ũ S̃ Ṽᵀ` (`Ni = No = Nm`). `F` has eigenpairs `±s̃_i`, `p_i = [ṽ_i; ũ_i]/√2`,
 * `m_i = [ṽ_i; −ũ_i]/√2`, so with `P = [p_i]`, `A = PᵀQ0` (`Nm × Nh`):
 *
 *   G = e^{Fx} Q0 = P e^{S̃x} A + (decaying terms),
 *   M = I + ½ Q0ᵀ(e^{Fx}F⁻¹e^{Fx} − F⁻¹)Q0 = Aᵀ e^{S̃x} (2S̃)⁻¹ e^{S̃x} A + O(1),
 *   QQᵀ = G M⁻¹ Gᵀ → 2 P S̃ Pᵀ   (order `s̃_max`).
 *
 * The largest entries of `M` are of size `‖A‖² e^{2 s̃_max x} / s̃`, so rounding (unit `u`) perturbs
 * `M` by `δM ≈ u ‖A‖² e^{2 s̃_max x} / s̃_min` (also through the rounding of `e^{Fx}`). For square
 * `A` (`Nh = Nm`), `G M⁻¹ = P e^{−S̃x} 2S̃ A⁻ᵀ`, whose largest part is the slowest mode's
 * `2 s̃_min e^{−s̃_min x} ‖A⁻¹‖`, and the first-order error `δQQᵀ = −G M⁻¹ δM M⁻¹ Gᵀ` is, relative to
 * `‖QQᵀ‖ ≈ 2 s̃_max`,
 *
 *   ‖δQQᵀ‖ / ‖QQᵀ‖ ≲ u · κ(A)² · (s̃_min / s̃_max) · e^{2 (s̃_max − s̃_min) x}.
 *
 * So Eq. 5 loses `2 log10 κ(A) + 2 (s̃_max − s̃_min) x / ln 10` digits (the factor
 * `s̃_min/s̃_max ≤ 1` is dropped: the rule errs on the safe side). Only the spread of the task's
 * singular values costs digits: with all `s̃_i` equal, Eq. 5 stays accurate until it overflows.
 * The rounding of `e^{Fx}` applied to `Q0` alone contributes `u κ(A) e^{(s̃_max − s̃_min) x}`, which is
 * dominated. For a zero-balanced init, `A = Bᵀ S^{1/2} Rᵀ / √2`, so `κ(A)² ≤ κ(B)² κ(S)`: Eq. 5
 * degrades with `B` as Theorem 3.1 does, and has no meaning when `B` is singular (`κ(A) = ∞`).
 *
 * Near a reversal. The estimate of `δM` above assumed the rounding of `M` is relative to its
 * growing part `‖A‖² e^{2 s̃_max x}`. But `e^{Fx}` is formed in full and applied to all of `Q0`,
 * so its rounding reaches `M` as `u ‖Q0‖² e^{2 s̃_max x} / s̃`. When `A` is small against `Q0`
 * — a near-reversal, `B ≈ ε·orthogonal`, where `A = BᵀS^{1/2}Rᵀ/√2` has `κ(A) ≈ κ(S)^{1/2}` but
 * `‖A‖ ≈ ε‖Q0‖/2` — that costs another `2 log10(‖Q0‖/‖A‖) ≈ 2 log10(2/ε)` digits (an independent
 * check measured 6 digits lost at `digits: 30` with κ(A) ≈ 1, unpredicted by the κ(A) term). And
 * since `M ⪰ I`, `δM` relative to `M` is also at most `u ‖Q0‖² (e^{2 s̃_max x} − 1)/(2 s̃_max)`,
 * which is 0 at `x = 0` (Eq. 5 is exact there). So
 *
 *   lost(x) = min( 2 log10 κ(A) + 2 log10(‖Q0‖/‖A‖) + 2 (s̃_max − s̃_min) x / ln 10,
 *                  log10(1 + ‖Q0‖² (e^{2 s̃_max x} − 1) / (2 s̃_max)) ).
 *
 * Tested term by term in test/precision_rule_test.ts (κ(A) = 1e4; ε = 1e-4, 1e-6): predicted
 * minus measured loss 0.9–2.1 digits.
 *
 * When `Nh > Nm`, `M` also has `Nh − Nm` directions (those `Q0` annihilates) where it stays
 * `O(1)` while its norm grows like `‖A‖² e^{2 s̃_max x} / (2 s̃_max)`. They do not reach the result,
 * but an LU solve refuses a matrix whose condition exceeds the working precision, so the rule
 * also asks for `log10 κ(M) + log10(Nh)` digits in that case (guard digits counted).
 *
 * @module
 */
import type { ExactInputs } from "./exact/assumptions.ts";
import { InputError } from "./errors.ts";
import { GUARD_DIGITS } from "./linalg/guard_digits.ts";
import { matmul } from "./linalg/blas.ts";
import { singularValues, svd } from "./linalg/svd.ts";
import { Matrix } from "./matrix.ts";

/** The quantities of a problem the precision rule depends on (computed in f64). */
export interface Eq5Conditioning {
  /** Largest singular value of `Σyx`. */
  sMax: number;
  /** Smallest singular value of `Σyx`. */
  sMin: number;
  /** `κ(A) = σ_max(A)/σ_min(A)` of `A = PᵀQ0` (Infinity when `B` is singular). */
  condA: number;
  /** `σ_max(A)`. */
  normA: number;
  /**
   * `‖Q0‖₂ / ‖A‖₂ ≥ 1`, `Q0 = [W1ᵀ; W2]`: how much of the init lies outside the growing
   * eigenvectors. Near a reversal (`B ≈ ε·orthogonal`) `A` is small while `Q0` is not, and the
   * rounding of the large entries of `e^{Fx}` applied to all of `Q0` costs `2 log10` of it.
   */
  q0Ratio: number;
  /** `Nh`. */
  nh: number;
  /** `Nm = min(Ni, No)`. */
  nm: number;
}

/**
 * Measures {@link Eq5Conditioning} of a square problem (`Ni = No`) in f64:
 * `A = PᵀQ0 = (ṼᵀW1ᵀ + ŨᵀW2)/√2`.
 * @throws {InputError} when `Ni ≠ No` (Eq. 5 needs a square `Σyx`)
 */
export function eq5Conditioning(inp: ExactInputs): Eq5Conditioning {
  const { sigmaYX, w1, w2 } = inp;
  if (sigmaYX.rows !== sigmaYX.cols) {
    throw new InputError(
      `the Eq. 5 precision rule needs Ni = No, got Σyx ${sigmaYX.rows}×${sigmaYX.cols}`,
    );
  }
  const task = svd(sigmaYX);
  const a1 = matmul(task.v, w1, { transA: true, transB: true });
  const a2 = matmul(task.u, w2, { transA: true });
  const a = Matrix.fromFunction(
    a1.rows,
    a1.cols,
    (i, j) => (a1.get(i, j) + a2.get(i, j)) / Math.SQRT2,
  );
  const sa = singularValues(a);
  const nm = task.s.length;
  const q0 = singularValues(
    Matrix.fromFunction(
      w1.cols + w2.rows,
      w1.rows,
      (i, j) => i < w1.cols ? w1.get(j, i) : w2.get(i - w1.cols, j),
    ),
  )[0];
  return {
    sMax: task.s[0],
    sMin: task.s[nm - 1],
    condA: sa[nm - 1] > 0 ? sa[0] / sa[nm - 1] : Infinity,
    normA: sa[0],
    q0Ratio: sa[0] > 0 ? Math.max(1, q0 / sa[0]) : Infinity,
    nh: w1.rows,
    nm,
  };
}

/**
 * Decimal digits of relative accuracy Eq. 5 loses to rounding at `t/τ = x` (module doc):
 * `min(2 log10 κ(A) + 2 log10(‖Q0‖/‖A‖) + 2 (s̃_max − s̃_min) x / ln 10,
 * log10(1 + ‖Q0‖² (e^{2 s̃_max x} − 1)/(2 s̃_max)))`, at least 0.
 */
export function eq5DigitsLost(c: Eq5Conditioning, x: number): number {
  const late = 2 * Math.log10(c.condA) + 2 * Math.log10(c.q0Ratio) +
    (2 * (c.sMax - c.sMin) * x) / Math.LN10;
  // δM ≈ u‖Q0‖² (e^{2 s̃_max x} − 1)/(2 s̃_max) against M ⪰ I: nothing is lost at x = 0.
  const q0 = c.q0Ratio * c.normA;
  const early = Math.log10(1 + (q0 * q0 * Math.expm1(2 * c.sMax * x)) / (2 * c.sMax));
  return Math.max(0, Math.min(late, early));
}

/**
 * Significant digits a decimal backend needs for Eq. 5 at `t/τ = x` to be accurate to
 * `targetDigits` relative digits: `targetDigits + lost(x) + 1`, and, when `Nh > Nm`, enough for
 * the bracket's LU to be solvable (module doc). Infinity when `B` is singular.
 * @param targetDigits wanted correct digits (≥ 1)
 * @throws {InputError} for a target below 1 or a negative or non-finite `x`
 */
export function eq5Digits(c: Eq5Conditioning, x: number, targetDigits: number): number {
  if (!(targetDigits >= 1)) throw new InputError(`target digits must be ≥ 1, got ${targetDigits}`);
  if (!(x >= 0) || !Number.isFinite(x)) {
    throw new InputError(`t/τ must be finite and non-negative, got ${x}`);
  }
  if (!Number.isFinite(c.condA)) return Infinity;
  let digits = targetDigits + eq5DigitsLost(c, x) + 1;
  if (c.nh > c.nm) {
    const bracket = 2 * Math.log10(c.normA) + (2 * c.sMax * x) / Math.LN10 -
      Math.log10(2 * c.sMax);
    digits = Math.max(digits, bracket + Math.log10(c.nh) + 1 - GUARD_DIGITS);
  }
  return Math.ceil(digits);
}
