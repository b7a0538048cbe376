/**
 * Tasks from data, and whitening of users' inputs (Assumption 2.2, `Σxx = I`).
 *
 * @module
 */
import {
  InputError,
  NotPositiveDefiniteError,
  ShapeError,
  SingularMatrixError,
} from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { matmul, scale } from "../linalg/blas.ts";
import { Cholesky } from "../linalg/cholesky.ts";
import type { Task } from "../task.ts";

/**
 * Whitens inputs: `X ← L⁻¹ X` with `L Lᵀ = X Xᵀ / P` (Cholesky), so that the new
 * `X Xᵀ / P = I` to rounding.
 *
 * @param x `Ni × P` inputs, one sample per column
 * @returns the whitened inputs and `L` (so that `L⁻¹` can be applied to new inputs)
 * @throws {InputError} when `P < Ni` (then `Σxx` has rank ≤ P < Ni)
 * @throws {SingularMatrixError} when `Σxx` is singular or singular to working precision: a
 *   Cholesky pivot `L_ii²` at most `(P + Ni + 2)·ε·Σxx_ii` (the rounding bound of forming and
 *   factoring `Σxx`), with the measured ratio in the message
 * @throws {NonFiniteError} on a NaN or infinite entry
 */
export function whiten(x: Matrix): { x: Matrix; l: Matrix } {
  const [ni, p] = x.shape;
  if (p < ni) {
    throw new InputError(
      `whitening needs at least as many samples as inputs: P = ${p} < Ni = ${ni}`,
    );
  }
  x.assertFinite("X");
  const sigma = scale(matmul(x, x, { transB: true }), 1 / p);
  let l: Matrix;
  try {
    l = Cholesky.factorize(sigma).lower;
  } catch (e) {
    if (!(e instanceof NotPositiveDefiniteError)) throw e;
    throw new SingularMatrixError(
      `whitening: Σxx = XXᵀ/P is singular (leading minor ${e.index + 1} is not positive); ` +
        "the inputs are linearly dependent",
      e.index,
    );
  }
  // Floating-point Cholesky of an exactly singular Σxx usually ends in a tiny positive pivot
  // rather than a failure, so rank deficiency is judged relative to the rounding of the
  // computation. Forming Σxx = XXᵀ/P perturbs entry (i, j) by at most γ_{P+1}·√(Σii·Σjj)
  // (P-term inner product, then the 1/P scaling; Higham, Accuracy and Stability, §3.1), and the
  // computed L is the exact factor of Σxx + ΔA with |ΔA| ≤ γ_{n+1}·|L||Lᵀ|, i.e.
  // |ΔA_ij| ≤ γ_{n+1}·√(Σii·Σjj) (Higham, Thm 10.3). The i-th pivot d_i = L_ii² is the Schur
  // complement of the leading block, so lowering Σxx_ii by d_i alone makes Σxx singular: when
  // d_i ≤ (P + n + 2)·ε·Σxx_ii that change is within the rounding of the computation and Σxx is
  // singular to working precision (whitening would then amplify that rounding to O(1) in
  // L⁻¹X). The ratio d_i/Σxx_ii is unchanged by rescaling rows of X, like whitening itself.
  const singularTol = (p + ni + 2) * Number.EPSILON;
  for (let i = 0; i < ni; i++) {
    const ratio = l.get(i, i) ** 2 / sigma.get(i, i);
    if (!(ratio > singularTol)) {
      throw new SingularMatrixError(
        `whitening: Σxx = XXᵀ/P is singular to working precision: Cholesky pivot ${i} is ` +
          `${ratio.toExponential(3)} of Σxx[${i}][${i}], not above (P + Ni + 2)·ε = ` +
          `${singularTol.toExponential(3)}; the inputs are (numerically) linearly dependent`,
        i,
      );
    }
  }
  // Forward substitution L Z = X, column block at a time (row i uses rows < i).
  const z = new Float64Array(x.data);
  for (let i = 0; i < ni; i++) {
    const lii = l.get(i, i);
    for (let k = 0; k < i; k++) {
      const lik = l.get(i, k);
      for (let j = 0; j < p; j++) z[i * p + j] -= lik * z[k * p + j];
    }
    for (let j = 0; j < p; j++) z[i * p + j] /= lii;
  }
  return { x: new Matrix(ni, p, z), l };
}

/**
 * A task from data: `Σyx = Y Xᵀ / P`, `Σxx = X Xᵀ / P`, `tr Σyy = ‖Y‖²_F / P`, keeping `X`,
 * `Y`. With `whitened: true` the inputs are whitened first (see {@link whiten}).
 *
 * @param x `Ni × P` inputs
 * @param y `No × P` targets
 * @throws {ShapeError} when `X` and `Y` have different numbers of samples
 */
export function taskFromData(
  x: Matrix,
  y: Matrix,
  options: { whitened?: boolean; name?: string } = {},
): Task {
  if (x.cols !== y.cols) {
    throw new ShapeError(`X has ${x.cols} samples (columns), Y has ${y.cols}`);
  }
  y.assertFinite("Y");
  const xs = options.whitened ? whiten(x).x : x.assertFinite("X");
  const p = x.cols;
  return {
    sigmaYX: scale(matmul(y, xs, { transB: true }), 1 / p),
    sigmaXX: scale(matmul(xs, xs, { transB: true }), 1 / p),
    traceYY: y.normFrobenius() ** 2 / p,
    X: xs,
    Y: y,
    ...(options.name === undefined ? {} : { name: options.name }),
  };
}

/**
 * The task whose data are `P = Ni` one-hot items scaled by `√Ni` (`X = √Ni·I`, so `Σxx = I`)
 * with targets `Y = √Ni·Σyx` (so `Y Xᵀ / P = Σyx` and `tr Σyy = ‖Σyx‖²_F`): the data set of a
 * task given in correlation form.
 */
export function taskFromCorrelation(sigmaYX: Matrix, name?: string): Task {
  sigmaYX.assertFinite("Σyx");
  const ni = sigmaYX.cols;
  const r = Math.sqrt(ni);
  return {
    sigmaYX,
    sigmaXX: Matrix.identity(ni),
    traceYY: sigmaYX.normFrobenius() ** 2,
    X: scale(Matrix.identity(ni), r),
    Y: scale(sigmaYX, r),
    ...(name === undefined ? {} : { name }),
  };
}
