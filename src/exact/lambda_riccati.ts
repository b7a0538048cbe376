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
import { DlnError, InputError } from "../errors.ts";
import { singularValues } from "../linalg/svd.ts";
import type { Dims, ExactInputs } from "./assumptions.ts";
import { fLambda, stackQ } from "./lambda_modes.ts";
import type { ExactSolution } from "./solution.ts";

/**
 * Decimal digits the naive Riccati form loses at `t/τ = x` beyond those of the bounded form:
 * `log10 e^{2(μ_max − ω_min)x}`. The bracket `I + Q0ᵀKQ0` grows like `e^{2μ_max x}` in the
 * directions of the fastest mode and like `e^{2ω_min x}` in the slowest direction the hidden
 * units grow along (`ω_min = μ_min`, or `ν = |λ|/2` when extra units grow along the `⊥` group),
 * while the result stays of order one; its LU solve amplifies rounding by their ratio (the rule
 * Eq. 5 follows at λ = 0, with `μ = s̃`: src/precision.ts).
 */
export function riccatiDigitsLost(muMax: number, omegaMin: number, x: number): number {
  return (2 * (muMax - omegaMin) * x) / Math.LN10;
}

/**
 * Prepares the naive Riccati form for checked λ-balanced inputs (any admissible shape). Its `at`
 * throws an `InputError` naming `t/τ` and the growth `e^{2μ_max t/τ}` where the arithmetic
 * overflows or the bracket becomes singular.
 * @param lambda the inputs' balance (see `balancedLambda`)
 * @param errorAt its error estimate at `t/τ` (`lambda_solve.ts` builds it from
 *   {@link riccatiDigitsLost} and the λ form's condition)
 */
export function lambdaRiccatiSolution<M>(
  be: Backend<M>,
  inp: ExactInputs,
  dims: Dims,
  lambda: number,
  errorAt: (x: number) => number,
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
    lambda,
    errorAt,
    at(x: number): M {
      try {
        const ex = be.expm(be.scale(aug, x));
        const ef = be.block(ex, 0, n, 0, n), j = be.block(ex, 0, n, n, 2 * n);
        const k = be.scale(be.matmul(be.add(eyeN, ef), j), 0.5);
        const bracket = be.add(eye, be.matmul(q0, be.matmul(k, q0), true, false));
        const left = be.matmul(ef, q0);
        return be.matmul(left, be.solve(bracket, be.transpose(left)));
      } catch (e) {
        if (!(e instanceof DlnError)) throw e;
        // Overflow (NaN entries) or a bracket singular at the working precision.
        const mu = Math.hypot(singularValues(inp.sigmaYX)[0], lambda / 2);
        throw new InputError(
          `the naive Riccati form cannot be evaluated at t/τ = ${
            x.toPrecision(4)
          } in ${be.name}: ` +
            `its growing exponentials reach e^{2 μ_max t/τ} = 1e${
              (2 * mu * x / Math.LN10).toFixed(0)
            }` +
            `, beyond its range or precision; use method "lambda" or "auto" (no growing ` +
            `exponentials) or more "digits"`,
        );
      }
    },
  };
}
