/**
 * The B-free form (MATH.md, "When B is singular"): Theorem 3.1 multiplied through by
 * `K = e^{S̃t/τ} Bᵀ`, valid for every `B`, singular or not:
 *
 *   Z̄ = [ Ṽ (E⁻¹Bᵀ − E Cᵀ) + 2 Ṽ⊥Ṽ⊥ᵀ V ;  Ũ (E⁻¹Bᵀ + E Cᵀ) + 2 Ũ⊥Ũ⊥ᵀ U ]
 *   M̄ = 4 S⁻¹ + B (E⁻² − I) S̃⁻¹ Bᵀ + C (I − E²) S̃⁻¹ Cᵀ + 4 (t/τ) D
 *   QQᵀ(t) = Z̄ M̄⁻¹ Z̄ᵀ
 *
 * `M̄` is symmetric positive definite for every `B` (Cholesky solve). The price is the growing
 * factor `E⁻¹ = e^{S̃t/τ}`: `Z̄` and `M̄` grow like `e^{s̃_max t/τ}` and `e^{2 s̃_max t/τ}`, and the
 * saddle components that remain (order 1) are obtained by cancellation, so in f64 the relative
 * error grows roughly like `ε · e^{2 (s̃_max − s̃_min) t/τ}` when `B` is singular. The solution
 * reports that growth in {@link bfreeGrowth} so callers can warn or refuse.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { bfreeError, modeConditioning, unitRoundoff } from "./error_estimate.ts";
import type { Modes } from "./modes.ts";
import { congruenceInverse, type ExactSolution } from "./solution.ts";
import { inverseDiagonal } from "./stable.ts";

/**
 * Prepares the B-free form from {@link Modes} (assumptions 2.2–2.4 checked; `B` may be
 * singular).
 */
export function bfreeSolution<M>(
  be: Backend<M>,
  m: Modes<M>,
  reason = "B-free form (valid for singular B)",
  warnings: string[] = [],
): ExactSolution<M> {
  const { b, c, d, s, st, zSum, zDiff, zPerp } = m;
  const bt = be.transpose(b), ct = be.transpose(c);
  const fixed = be.scale(inverseDiagonal(be, s), 4);
  const u = unitRoundoff(be), cond = modeConditioning(be, m);
  return {
    method: "bfree",
    reason,
    warnings,
    dims: m.dims,
    errorAt: (x) => bfreeError(u, cond, x),
    at(x: number): M {
      const einv = be.expScaled(st, x), e = be.expScaled(st, -x);
      let z = be.add(
        be.matmul(zSum, be.scaleRows(einv, bt)),
        be.matmul(zDiff, be.scaleRows(e, ct)),
      );
      if (zPerp) z = be.add(z, zPerp);
      const grow = be.divide(be.expm1Scaled(st, 2 * x), st); // (E⁻² − I) S̃⁻¹
      const decay = be.divide(be.scale(be.expm1Scaled(st, -2 * x), -1), st); // (I − E²) S̃⁻¹
      let mbar = be.add(
        be.add(fixed, be.matmul(be.scaleCols(b, grow), b, false, true)),
        be.matmul(be.scaleCols(c, decay), c, false, true),
      );
      if (d) mbar = be.add(mbar, be.scale(d, 4 * x));
      return congruenceInverse(be, mbar, be.transpose(z));
    },
  };
}

/**
 * `log10` of the factor by which f64 rounding errors of the B-free form are amplified at
 * `t/τ = x`, estimated as `e^{2 (s̃_max − s̃_min) x}` (the spread between the largest growing
 * entries and the order-one result); add `log10 ε ≈ −15.65` for the expected relative error.
 */
export function bfreeGrowth(sMax: number, sMin: number, x: number): number {
  return (2 * (sMax - sMin) * x) / Math.LN10;
}
