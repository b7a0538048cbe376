/**
 * How `prepareExact` (`solve.ts`) serves λ-balanced weights: λ is measured from `W1`, `W2`
 * (`balancedLambda`: zero-balanced within `tolerances.balanced` counts as λ = 0 and keeps the
 * zero-balanced forms; otherwise `λ̂ = tr(W2ᵀW2 − W1W1ᵀ)/Nh` with the residual
 * `max|W2ᵀW2 − W1W1ᵀ − λ̂I|` at most `tolerances.balanced` times the weights' scale
 * `max(max|W1W1ᵀ|, max|W2ᵀW2|)`).
 *
 * - `"lambda"`: the bounded λ form (`lambda.ts`), any λ including 0; refused when its condition
 *   exceeds `tolerances.bCondition` (a saddle) or when fewer than `minDigits` are expected.
 * - `"lambda-echelon"`: the echelon form (`lambda_echelon.ts`), valid for every init.
 * - `"lambda-riccati"`: the naive Riccati form (`lambda_riccati.ts`), for the precision study.
 * - `"auto"` with λ ≠ 0: the λ form up to condition {@link AUTO_LAMBDA_CONDITION}, the echelon
 *   form above it (with a warning when the flow goes to a saddle) or when the λ form's estimate
 *   is 10× the echelon form's (a weak initial mode, or a condition above about 8); the reason
 *   names the measured λ and what decided.
 * - a zero-balanced form requested by name for λ ≠ 0 weights: refused, naming the λ measured.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { AssumptionError } from "../errors.ts";
import { lambdaBalance } from "../init/lambda_balanced.ts";
import { checkShapes, type ExactInputs, type Tolerances } from "./assumptions.ts";
import { unitRoundoff } from "./error_estimate.ts";
import { checkLambdaAssumptions, lambdaCondition, lambdaError, lambdaSolution } from "./lambda.ts";
import { computeLambdaModes } from "./lambda_modes.ts";
import { lambdaEchelonError, lambdaEchelonSolution } from "./lambda_echelon.ts";
import { lambdaRiccatiSolution, riccatiDigitsLost } from "./lambda_riccati.ts";
import type { ExactSolution } from "./solution.ts";

/** The λ-balanced methods. */
export const LAMBDA_METHODS = ["lambda", "lambda-echelon", "lambda-riccati"] as const;

/**
 * `auto` uses the λ form up to this condition and the echelon form above it: like Theorem 3.1
 * with `cond(B)`, the λ form's f64 error grows like `cond²·u` (test/exact_lambda_test.ts), so at
 * 100 it keeps about 12 digits, while the echelon form has no condition term.
 */
export const AUTO_LAMBDA_CONDITION = 100;

/** Options the λ route reads (a subset of `ExactOptions`). */
export interface LambdaRouteOptions {
  /** Fewest correct digits expected before a form is refused (default 4). */
  minDigits?: number;
}

/**
 * The λ-balanced solution `prepareExact` should return, or `undefined` when the zero-balanced
 * forms apply (λ = 0 and a method outside {@link LAMBDA_METHODS}, or weights that are not
 * balanced at all, which the zero-balanced checks then report).
 * @throws {ShapeError|NonFiniteError|AssumptionError} on inputs the λ forms do not accept, or a
 *   zero-balanced form requested for λ ≠ 0 weights
 */
export function prepareLambda<M>(
  be: Backend<M>,
  inp: ExactInputs,
  method: string,
  tol: Tolerances,
  options: LambdaRouteOptions = {},
): ExactSolution<M> | undefined {
  const lambdaMethod = (LAMBDA_METHODS as readonly string[]).includes(method);
  if (!lambdaMethod) {
    checkShapes(inp);
    const b = lambdaBalance({ w1: inp.w1, w2: inp.w2 });
    if (b.zeroImbalance <= tol.balanced || !(b.imbalance <= tol.balanced)) return undefined;
    if (method !== "auto") {
      throw new AssumptionError(
        "2.3 zero-balanced init",
        b.zeroImbalance,
        tol.balanced,
        `max|W1W1ᵀ − W2ᵀW2| / scale (the weights are λ-balanced with λ = ` +
          `${b.lambdaHat.toPrecision(6)}: method "${method}" needs λ = 0; use "lambda" or "auto")`,
      );
    }
  }
  const { dims, lambda } = checkLambdaAssumptions(be, inp, tol);
  const m = computeLambdaModes(be, inp, dims, lambda);
  const cond = lambdaCondition(be, m);
  const condText = `λ-form condition ${cond.condition.toExponential(2)}`;
  const lambdaText = `λ = ${lambda.toPrecision(6)} (λ-balanced within ${tol.balanced})`;
  if (method === "lambda-riccati") {
    const u = unitRoundoff(be);
    const [muMax, omegaMin] = riccatiRates(be, m.mu, m.nu, dims.nh > dims.nm);
    return lambdaRiccatiSolution(
      be,
      inp,
      dims,
      lambda,
      // The matrix exponential of F_λt also carries rounding u·‖F_λ‖t = u·μ_max·t in its rates.
      (x) =>
        (lambdaError(u, cond) + 10 * u * muMax * x) * 10 ** riccatiDigitsLost(muMax, omegaMin, x),
      `method "lambda-riccati" requested; ${lambdaText}`,
    );
  }
  const saddle = !(cond.condition <= tol.bCondition);
  // The λ form inverts Q0's Gram matrix (error ∝ cond·(cond + r)); the echelon form does not
  // (∝ n + √r): auto takes the echelon form when it is expected to be 10× more accurate (a weak
  // initial mode, or a condition above about 8).
  const u = unitRoundoff(be), n = dims.ni + dims.no;
  const lambdaEstimate = lambdaError(u, cond);
  const echelonEstimate = lambdaEchelonError(u, cond.weakMode, n);
  const estimateAuto = method === "auto" && lambdaEstimate > 10 * echelonEstimate;
  const condAuto = method === "auto" && !(cond.condition <= AUTO_LAMBDA_CONDITION);
  if (method === "lambda-echelon" || condAuto || estimateAuto) {
    const why = condAuto
      ? `${lambdaText}, not 0; ${condText} > ${AUTO_LAMBDA_CONDITION}: echelon λ form (the λ ` +
        `form would lose ${(2 * Math.log10(cond.condition)).toFixed(1)} digits)`
      : estimateAuto
      ? `${lambdaText}, not 0: echelon λ form (its estimate ${echelonEstimate.toExponential(1)} ` +
        `is below a tenth of the λ form's ${lambdaEstimate.toExponential(1)}; ${condText}, ` +
        `weak-mode factor ${cond.weakMode.toExponential(2)})`
      : `method "lambda-echelon" requested; ${lambdaText}; ${condText}`;
    const delta = lambdaBalance({ w1: inp.w1, w2: inp.w2 }).imbalance;
    return lambdaEchelonSolution(be, m, why, [], delta);
  }
  if (saddle) {
    throw new AssumptionError(
      "λ-form condition",
      cond.condition,
      tol.bCondition,
      `max(1/σ_Nm(P₊ᵀŪ), 1/σ_min(P⊥ᵀŪN_y)) with ${lambdaText}: the init has no growing ` +
        "component along some direction and the flow goes to a saddle" +
        ' (use method "lambda-echelon" or "auto")',
    );
  }
  const kept = -Math.log10(lambdaEstimate);
  const minDigits = options.minDigits ?? 4;
  if (kept < minDigits) {
    throw new AssumptionError(
      "precision",
      be.digits - kept,
      be.digits - minDigits,
      `decimal digits the λ form is expected to lose in ${be.name} arithmetic ` +
        `(${condText}, weak-mode factor ${
          cond.weakMode.toExponential(2)
        }); use more digits ("digits")`,
    );
  }
  const reason = method === "auto"
    ? `${lambdaText}, not 0: bounded exact λ form (${condText})`
    : `method "lambda" requested; ${lambdaText}; ${condText}`;
  return lambdaSolution(be, m, reason, [], tol.bCondition);
}

/** `μ_max` and the slowest growth rate of the hidden directions (see `riccatiDigitsLost`). */
function riccatiRates<M>(be: Backend<M>, mu: M, nu: number, extra: boolean): [number, number] {
  const v = be.toMatrix(mu).data;
  return [v[0], extra && nu > 0 ? nu : v[v.length - 1]];
}
