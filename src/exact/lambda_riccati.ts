/**
 * The naive (Fukumizu-type) solution for λ-balanced weights, as the matrix Riccati equation
 * gives it (MATH.md, "λ-balanced initialisations"; method `"lambda-riccati"`):
 *
 *   P(t) = e^{F_λ t} Q0 [I + Q0ᵀ K(t) Q0]⁻¹ Q0ᵀ e^{F_λ t},   K(t) = ∫₀ᵗ e^{2F_λ s} ds,
 *
 * `P = QQᵀ`, `F_λ = [[−λ/2·I, Σyxᵀ], [Σyx, λ/2·I]]`, `Q0 = [W1(0)ᵀ; W2(0)]`. Why it holds:
 * λ-balance (`W2ᵀW2 − W1W1ᵀ = λI`, conserved by the flow) turns gradient flow into
 * `dQ/dt = F_λQ − ½QQᵀQ`, so `dP/dt = F_λP + PF_λ − P²`; with `N = I + Q0ᵀKQ0` and
 * `Y = e^{F_λt}Q0`, `dN/dt = YᵀY` and `d(YN⁻¹Yᵀ)/dt = F_λP + PF_λ − YN⁻¹YᵀYN⁻¹Yᵀ`. At λ = 0 and
 * `Ni = No`, `K = ½F⁻¹(e^{2Ft} − I)` and this is the paper's Eq. 5.
 *
 * Evaluation: one matrix exponential per time of the block matrix
 * `exp([[F_λ, I], [0, 0]] t) = [[e^{F_λt}, J(t)], [0, I]]`, `J(t) = ∫₀ᵗ e^{F_λ s} ds` (Van Loan),
 * and `K(t) = ½J(2t) = ½(I + e^{F_λt}) J(t)`, so `F_λ` need not be invertible (it is singular at
 * λ = 0 when `Ni ≠ No`). The bracket is solved by LU, as printed. It contains the growing
 * exponentials `e^{μ_max t}` (`μ = √(s̃² + λ²/4)`) and `e^{|λ|t/2}`: in f64 it loses digits as `t`
 * grows and eventually overflows. It is here for the precision study and for small `t`; use
 * method `"lambda"` (`lambda.ts`) for answers.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Dims, ExactInputs } from "./assumptions.ts";
import { fLambda, stackQ } from "./lambda_modes.ts";
import type { ExactSolution } from "./solution.ts";

/**
 * Prepares the naive Riccati form for checked λ-balanced inputs (any admissible shape).
 * @param lambda the inputs' balance (see `balancedLambda`)
 */
export function lambdaRiccatiSolution<M>(
  be: Backend<M>,
  inp: ExactInputs,
  dims: Dims,
  lambda: number,
  reason = "naive Riccati form of the λ-balanced flow (growing exponentials)",
  warnings: string[] = [],
): ExactSolution<M> {
  const n = dims.ni + dims.no;
  const f = fLambda(be, inp.sigmaYX, lambda);
  const aug = be.vstack([
    be.hstack([f, be.identity(n)]),
    be.zeros(n, 2 * n),
  ]);
  const q0 = stackQ(be, inp.w1, inp.w2);
  const eye = be.identity(dims.nh), eyeN = be.identity(n);
  return {
    method: "lambda-riccati",
    reason,
    warnings,
    dims,
    at(x: number): M {
      const ex = be.expm(be.scale(aug, x));
      const ef = be.block(ex, 0, n, 0, n), j = be.block(ex, 0, n, n, 2 * n);
      const k = be.scale(be.matmul(be.add(eyeN, ef), j), 0.5);
      const bracket = be.add(eye, be.matmul(q0, be.matmul(k, q0), true, false));
      const left = be.matmul(ef, q0);
      return be.matmul(left, be.solve(bracket, be.transpose(left)));
    },
  };
}
