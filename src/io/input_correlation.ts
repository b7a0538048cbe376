/**
 * Validation of a given input correlation `Σxx` against the task's `Σyx`: they must be the
 * blocks of a joint covariance of `x` and `y`, which needs `Σxx` symmetric positive
 * semi-definite and every row of `Σyx` in the range of `Σxx` (otherwise the loss
 * `½ tr(W Σxx Wᵀ) − tr(W Σxy) + ½ tr Σyy` is unbounded below: `Σxx = [[0]]` with `Σyx = [[2]]`
 * gave a GD loss of −4.4e6). The unknown `tr Σyy` is then taken as its smallest consistent
 * value `tr(Σyx Σxx⁺ Σxy)`, so the global minimum has loss 0 (`‖Σyx‖²_F` when whitened).
 *
 * @module
 */
import { AssumptionError, InputError } from "../errors.ts";
import { relativeAsymmetry, symmetricEigen, SYMMETRY_RTOL } from "../linalg/eigen.ts";
import type { Matrix } from "../matrix.ts";

/**
 * Relative size below which an eigenvalue of `Σxx` counts as zero, and a component of `Σyx`
 * outside the range of `Σxx` as rounding: Jacobi eigenvalues are accurate to a small multiple
 * of `n·ε·λ_max` (ε = 2.2e-16), so `n·1e-13` leaves a margin of about 500 over rounding.
 */
function zeroTolerance(n: number): number {
  return n * 1e-13;
}

/**
 * Checks `Σxx` (`Ni × Ni`) and `Σyx` (`No × Ni`) and returns the `tr Σyy` to use: nothing
 * when `Σxx` is exactly the identity (the default `‖Σyx‖²_F` applies), else
 * `tr(Σyx Σxx⁺ Σxy)`.
 * @throws {AssumptionError} when `Σxx` is not symmetric, has a negative eigenvalue beyond
 *   rounding, or `Σyx` reaches outside its range
 */
export function checkedInputCorrelation(sxx: Matrix, syx: Matrix): { traceYY?: number } {
  const n = sxx.rows;
  if (sxx.isIdentity) return {};
  const asym = relativeAsymmetry(sxx);
  if (asym > SYMMETRY_RTOL) {
    throw new AssumptionError(
      "Σxx symmetric",
      asym,
      SYMMETRY_RTOL,
      "max|Σxx − Σxxᵀ| / max|Σxx| of sigmaXX",
    );
  }
  const { values, vectors } = symmetricEigen(sxx);
  const top = Math.max(Math.abs(values[0]), Math.abs(values[n - 1]));
  const tol = zeroTolerance(n);
  if (top === 0) throw new InputError("sigmaXX is the zero matrix (no input variance)");
  if (values[0] < -tol * top) {
    throw new AssumptionError(
      "Σxx positive semi-definite",
      -values[0] / top,
      tol,
      "most negative eigenvalue of sigmaXX relative to the largest, −λ_min/λ_max",
    );
  }
  const scale = syx.normFrobenius();
  let traceYY = 0;
  for (let k = 0; k < n; k++) {
    let reach = 0; // ‖Σyx v_k‖²
    for (let a = 0; a < syx.rows; a++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += syx.get(a, i) * vectors.get(i, k);
      reach += s * s;
    }
    if (values[k] > tol * top) traceYY += reach / values[k];
    else if (Math.sqrt(reach) > tol * scale) {
      throw new AssumptionError(
        "Σyx in the range of Σxx",
        Math.sqrt(reach) / scale,
        tol,
        `part of sigmaYX along an eigenvector of sigmaXX with eigenvalue ${
          values[k].toExponential(2)
        } (≈ 0), relative to ‖Σyx‖; the loss would be unbounded below`,
      );
    }
  }
  return { traceYY };
}
