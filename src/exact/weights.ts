/**
 * Weights from `QQᵀ`, up to an orthogonal transform of the hidden layer: any `Q` with
 * `QQᵀ` given is `[W1ᵀ; W2] R` for some orthogonal `R` (`Nh × Nh`) when `rank QQᵀ ≤ Nh`.
 *
 * Construction: `QQᵀ = U diag(σ) Uᵀ` (an SVD of a symmetric positive semi-definite matrix is
 * its eigendecomposition), `Q = U_{:, 1..k} diag(√σ_{1..k})` padded with zero columns to `Nh`,
 * `k = min(Nh, Ni+No)`, where singular values below `(Ni+No)·ε·σ_max` (rounding noise of a
 * rank-deficient `QQᵀ`, whose square roots would be spurious `√ε`-sized weights) count as zero.
 * Then `W1 = Q_{1..Ni}ᵀ`, `W2 = Q_{Ni+1..}`.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import { ShapeError } from "../errors.ts";

/**
 * A factor `Q` (`(Ni+No) × Nh`) of `qqt` and the weights it holds.
 * @param qqt symmetric positive semi-definite, `(Ni+No) × (Ni+No)`
 * @param ni number of inputs (`W1ᵀ` is the first `ni` rows of `Q`)
 * @param nh number of hidden units (columns of `Q`)
 * @throws {ShapeError} when `qqt` is not square or `ni` is out of range
 */
export function weightsFromQQt<M>(
  be: Backend<M>,
  qqt: Matrix,
  ni: number,
  nh: number,
): { w1: Matrix; w2: Matrix } {
  const n = qqt.rows;
  if (qqt.cols !== n || ni < 1 || ni >= n || nh < 1) {
    throw new ShapeError(
      `weightsFromQQt: QQᵀ is ${qqt.rows}×${qqt.cols}, Ni = ${ni}, Nh = ${nh}; ` +
        "expected a square matrix with 1 ≤ Ni < Ni+No and Nh ≥ 1",
    );
  }
  const k = Math.min(nh, n);
  const { u, s } = be.scoped(() => {
    const d = be.svd(be.from(qqt));
    return { u: be.toMatrix(d.u), s: be.toMatrix(d.s) };
  });
  const floor = n * Number.EPSILON * s.data[0];
  const root = (j: number) => j < k && s.data[j] > floor ? Math.sqrt(s.data[j]) : 0;
  const q = Matrix.fromFunction(n, nh, (i, j) => (j < k ? u.get(i, j) * root(j) : 0));
  return { w1: q.slice(0, ni, 0, nh).transpose(), w2: q.slice(ni, n, 0, nh) };
}
