/**
 * How far a pair of weights is from zero-balanced (Assumption 2.3, `W1W1ᵀ = W2ᵀW2`).
 *
 * @module
 */
import { AssumptionError } from "../errors.ts";
import { matmul, sub } from "../linalg/blas.ts";
import { checkWeights, type Weights } from "./weights.ts";

/** Default tolerance of {@link assertZeroBalanced}: far above the ~1e-15 rounding of a
 * balanced construction, far below the O(1) imbalance of generic weights. */
export const BALANCE_TOL = 1e-10;

/**
 * Relative imbalance `‖W1W1ᵀ − W2ᵀW2‖_F / max(‖W1W1ᵀ‖_F, ‖W2ᵀW2‖_F)` (0 for zero weights).
 * Zero-balanced weights give rounding level (≈1e-16); Gaussian weights give O(1).
 * @throws {ShapeError} when the weights do not chain
 */
export function balanceError(weights: Weights): number {
  checkWeights(weights);
  const { w1, w2 } = weights;
  const g1 = matmul(w1, w1, { transB: true }), g2 = matmul(w2, w2, { transA: true });
  const scale = Math.max(g1.normFrobenius(), g2.normFrobenius());
  return scale === 0 ? 0 : sub(g1, g2).normFrobenius() / scale;
}

/**
 * Throws unless `balanceError(weights) ≤ tol`.
 * @throws {AssumptionError} naming Assumption 2.3, the measured imbalance and `tol`
 */
export function assertZeroBalanced(weights: Weights, tol = BALANCE_TOL): void {
  const e = balanceError(weights);
  if (!(e <= tol)) {
    throw new AssumptionError(
      "2.3 zero-balanced",
      e,
      tol,
      "‖W1W1ᵀ − W2ᵀW2‖_F / max(‖W1W1ᵀ‖_F, ‖W2ᵀW2‖_F)",
    );
  }
}
