/**
 * Theorem 3.2, the `t → ∞` limit of Theorem 3.1, evaluated directly:
 *
 *   W2W1 → Ũ S̃ Ṽᵀ = Σyx,   W1ᵀW1 → Ṽ S̃ Ṽᵀ,   W2W2ᵀ → Ũ S̃ Ũᵀ,
 *   i.e. QQᵀ(∞) = [Ṽ; Ũ] S̃ [Ṽ; Ũ]ᵀ.
 *
 * Holds under the assumptions of Theorem 3.1, including a non-singular `B`; when `B` is singular
 * gradient flow converges to a saddle instead (use the B-free form at a large time).
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Matrix } from "../matrix.ts";
import { AssumptionError } from "../errors.ts";
import {
  bCondition,
  checkAssumptions,
  DEFAULT_TOLERANCES,
  type ExactInputs,
  type Tolerances,
} from "./assumptions.ts";
import { computeModes } from "./modes.ts";

/**
 * `QQᵀ(∞)` of the problem, `(Ni+No) × (Ni+No)`.
 * @throws {AssumptionError} when an assumption of Theorem 3.1 fails (including `cond(B)` above
 *   `tolerances.bCondition`: the limit is then a saddle, not the global minimum)
 * @example
 * ```ts
 * const q = limitQQt(f64Backend(), { sigmaYX, sigmaXX: Matrix.identity(ni), w1, w2 });
 * q.slice(ni, ni + no, 0, ni); // = Σyx
 * ```
 */
export function limitQQt<M>(
  be: Backend<M>,
  inp: ExactInputs,
  tolerances: Tolerances = DEFAULT_TOLERANCES,
): Matrix {
  const dims = checkAssumptions(be, inp, tolerances);
  return be.scoped(() => {
    const m = computeModes(be, inp, dims);
    const cond = bCondition(be, m.b);
    if (!(cond <= tolerances.bCondition)) {
      throw new AssumptionError(
        "3.1 B non-singular",
        cond,
        tolerances.bCondition,
        "2/σ_min(B) (the flow converges to a saddle, not to Theorem 3.2's limit)",
      );
    }
    return be.toMatrix(be.matmul(be.scaleCols(m.zSum, m.st), m.zSum, false, true));
  });
}
