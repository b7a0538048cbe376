/**
 * Theorem 3.1, the numerically stable exact solution (any `Ni`, `No`, `Nh ≥ Nm`; MATH.md):
 *
 *   center(t) = 4 E B⁻¹S⁻¹B⁻ᵀ E + (I − E²) S̃⁻¹ − E B⁻¹C (E² − I) S̃⁻¹ CᵀB⁻ᵀ E
 *               + 4 (t/τ) E B⁻¹DB⁻ᵀ E
 *   Z(t) = [ Ṽ (I − E CᵀB⁻ᵀ E) + 2 Ṽ⊥Ṽ⊥ᵀ V B⁻ᵀ E ;  Ũ (I + E CᵀB⁻ᵀ E) + 2 Ũ⊥Ũ⊥ᵀ U B⁻ᵀ E ]
 *   QQᵀ(t) = Z center⁻¹ Zᵀ,   E = e^{−S̃ t/τ}.
 *
 * Written as `center = E (4H₁ + K G Kᵀ + 4(t/τ) H₂) E + G` with `G = (I − E²) S̃⁻¹`,
 * `K = B⁻¹C`, `H₁ = B⁻¹S⁻¹B⁻ᵀ`, `H₂ = B⁻¹DB⁻ᵀ` precomputed by LU solves with `B`, and
 * `Z = [Ṽ;Ũ] + [−Ṽ;Ũ] (E Kᵀ E) + [2Ṽ⊥Ṽ⊥ᵀV; 2Ũ⊥Ũ⊥ᵀU] B⁻ᵀ E`. Only decaying exponentials appear,
 * so every entry stays bounded for all `t ≥ 0`; `center = LLᵀ` is symmetric positive definite and
 * is factored by Cholesky, never inverted: `QQᵀ = WᵀW` with `W = L⁻¹Zᵀ`.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { modeConditioning, stableError, unitRoundoff } from "./error_estimate.ts";
import type { Modes } from "./modes.ts";
import { congruenceInverse, type ExactSolution } from "./solution.ts";

/**
 * Prepares Theorem 3.1 from {@link Modes} (assumptions already checked, `B` non-singular).
 * @throws {SingularMatrixError} when `B` is exactly singular in the backend's arithmetic
 */
export function stableSolution<M>(
  be: Backend<M>,
  m: Modes<M>,
  reason = "Theorem 3.1 (stable form)",
  warnings: string[] = [],
): ExactSolution<M> {
  const { b, c, d, s, st, zSum, zDiff, zPerp } = m;
  const solveB = (x: M) => be.solve(b, x); // B⁻¹ x
  const sandwich = (x: M) => solveB(be.transpose(solveB(x))); // B⁻¹ x B⁻ᵀ for symmetric x
  const h1 = sandwich(inverseDiagonal(be, s));
  const h2 = d ? sandwich(d) : undefined;
  const k = solveB(c);
  // Zᵀ is built directly (no per-time transpose): Zᵀ = [Ṽ;Ũ]ᵀ + (E K E) [−Ṽ;Ũ]ᵀ + E (B⁻¹[..]ᵀ).
  const zSumT = be.transpose(zSum), zDiffT = be.transpose(zDiff);
  const zrT = zPerp ? solveB(be.transpose(zPerp)) : undefined;
  const fixed = be.scale(h1, 4);
  const negInvSt = be.scale(be.divide(be.expScaled(st, 0), st), -1); // −1/s̃ (exp(0) = 1 exactly)
  const error = stableError(unitRoundoff(be), modeConditioning(be, m));
  return {
    method: "stable",
    reason,
    warnings,
    dims: m.dims,
    errorAt: () => error,
    at(x: number): M {
      const e = be.expScaled(st, -x);
      const g = be.hadamard(be.expm1Scaled(st, -2 * x), negInvSt); // (1 − E²) S̃⁻¹
      let inner = be.addProduct(fixed, be.scaleCols(k, g), k, false, true); // 4H₁ + K G Kᵀ
      if (h2) inner = be.add(inner, be.scale(h2, 4 * x));
      const center = be.add(be.scaleRowsCols(e, inner, e), be.diag(g));
      const eke = be.scaleRowsCols(e, k, e); // E K E = (E Kᵀ E)ᵀ
      let zt = be.addProduct(zSumT, eke, zDiffT);
      if (zrT) zt = be.add(zt, be.scaleRows(e, zrT));
      return congruenceInverse(be, center, zt);
    },
  };
}

/** `diag(v)⁻¹` for a vector `v` of non-zero entries (an LU solve of a diagonal: exact division). */
export function inverseDiagonal<M>(be: Backend<M>, v: M): M {
  return be.solve(be.diag(v), be.identity(be.shape(v)[0]));
}
