/**
 * Observables of a two-layer linear network from its `QQᵀ` blocks and the task's data (paper
 * Eqs. 7–9): network function, representational similarity matrices, neural tangent kernel,
 * and classical multidimensional scaling of the network function (Fig. 6G-H).
 *
 * All take a `QQtBlocks` state (from `simulate` or an exact solver) and the data `X` (`Ni × P`)
 * and/or `Y` (`No × P`).
 *
 * @module
 */
import { ShapeError } from "./errors.ts";
import { Matrix } from "./matrix.ts";
import { kron, matmul, scale } from "./linalg/blas.ts";
import { pinv } from "./linalg/pinv.ts";
import { symmetricEigen } from "./linalg/eigen.ts";
import type { QQtBlocks } from "./trajectory.ts";

function checkRows(m: Matrix, rows: number, what: string, expected: string): void {
  if (m.rows !== rows) {
    throw new ShapeError(`${what} has ${m.rows} rows, expected ${rows} (${expected})`);
  }
}

/**
 * Network function on the inputs, `Ŷ = W2W1 X` (`No × P`).
 * @throws {ShapeError} when `X` does not have `Ni` rows
 */
export function networkFunction(state: QQtBlocks, x: Matrix): Matrix {
  checkRows(x, state.w2w1.cols, "X", "Ni, the inputs of W2W1");
  return matmul(state.w2w1, x);
}

/**
 * Input representational similarity `RSM_I = Xᵀ W1ᵀW1 X` (`P × P`): similarity of the hidden
 * representations `W1 x` of the items.
 * @throws {ShapeError} when `X` does not have `Ni` rows
 */
export function inputRsm(state: QQtBlocks, x: Matrix): Matrix {
  checkRows(x, state.w1tw1.rows, "X", "Ni");
  return matmul(x, matmul(state.w1tw1, x), { transA: true });
}

/**
 * Output representational similarity `RSM_O = Yᵀ (W2W2ᵀ)⁺ Y` (`P × P`), `⁺` the
 * Moore–Penrose pseudoinverse (default relative cut-off of `pinv`).
 * @throws {ShapeError} when `Y` does not have `No` rows
 */
export function outputRsm(state: QQtBlocks, y: Matrix, rtol?: number): Matrix {
  checkRows(y, state.w2w2t.rows, "Y", "No");
  return matmul(y, matmul(pinv(state.w2w2t, rtol), y), { transA: true });
}

/**
 * Neural tangent kernel of the two-layer linear network on inputs `X`,
 * `NTK = I_No ⊗ Xᵀ W1ᵀW1 X + W2W2ᵀ ⊗ XᵀX` (`(No·P) × (No·P)`), rows and columns indexed by
 * (output, sample) with the output index major.
 * @throws {ShapeError} when `X` does not have `Ni` rows
 */
export function ntk(state: QQtBlocks, x: Matrix): Matrix {
  const rsm = inputRsm(state, x);
  const gram = matmul(x, x, { transA: true });
  const a = kron(Matrix.identity(state.w2w2t.rows), rsm), b = kron(state.w2w2t, gram);
  return new Matrix(a.rows, a.cols, a.data.map((v, i) => v + b.data[i]));
}

/**
 * Classical (Torgerson) multidimensional scaling of the columns of `points` (`d × P`, e.g. the
 * network function `Ŷ`): double-centred Gram `G = −½ J D² J` with `J = I − 11ᵀ/P`, here
 * computed directly as `G = J PᵀP J`; its top `dims` eigenpairs give coordinates
 * `√λ_k · e_k`. Returns `P × dims` coordinates (one row per item); components with negative
 * or zero eigenvalue are 0. Signs of the eigenvectors are fixed so the largest-magnitude
 * entry of each coordinate is positive (reproducible plots).
 * @throws {ShapeError} when `dims` exceeds the number of points
 */
export function classicalMds(points: Matrix, dims = 2): Matrix {
  const p = points.cols;
  if (!Number.isInteger(dims) || dims < 1 || dims > p) {
    throw new ShapeError(`MDS into ${dims} dimensions needs 1 ≤ dims ≤ P = ${p}`);
  }
  const mean = new Float64Array(points.rows);
  for (let i = 0; i < points.rows; i++) {
    for (let j = 0; j < p; j++) mean[i] += points.get(i, j) / p;
  }
  const centred = Matrix.fromFunction(points.rows, p, (i, j) => points.get(i, j) - mean[i]);
  const g = matmul(centred, centred, { transA: true });
  // Symmetrise the rounding of the product before the eigensolver's symmetry check.
  const gs = scale(
    new Matrix(p, p, g.data.map((v, e) => v + g.data[(e % p) * p + Math.floor(e / p)])),
    0.5,
  );
  const { values, vectors } = symmetricEigen(gs); // ascending
  return Matrix.fromFunction(p, dims, (i, k) => {
    const col = p - 1 - k;
    const lambda = values[col];
    if (!(lambda > 0)) return 0;
    let big = 0;
    for (let r = 0; r < p; r++) {
      if (Math.abs(vectors.get(r, col)) > Math.abs(big)) big = vectors.get(r, col);
    }
    return Math.sign(big) * Math.sqrt(lambda) * vectors.get(i, col);
  });
}
