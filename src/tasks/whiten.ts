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
 * @throws {SingularMatrixError} when `Σxx` is (numerically) singular
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
  let l: Matrix;
  try {
    l = Cholesky.factorize(scale(matmul(x, x, { transB: true }), 1 / p)).lower;
  } catch (e) {
    if (!(e instanceof NotPositiveDefiniteError)) throw e;
    throw new SingularMatrixError(
      `whitening: Σxx = XXᵀ/P is singular (leading minor ${e.index + 1} is not positive); ` +
        "the inputs are linearly dependent",
      e.index,
    );
  }
  // Forward substitution L Z = X, column block at a time (row i uses rows < i).
  const z = new Float64Array(x.data);
  for (let i = 0; i < ni; i++) {
    const lii = l.get(i, i);
    if (!(lii > 1e-12 * Math.abs(l.get(0, 0)))) {
      throw new SingularMatrixError(
        `whitening: Σxx is numerically singular (pivot ${i} is ${lii.toExponential(3)}, ` +
          `below 1e-12 of the first)`,
        i,
      );
    }
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
