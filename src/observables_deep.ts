/**
 * The neural tangent kernel of a depth-L linear network, the generalisation of paper Eq. 9.
 *
 * Derivation: with `W = A_l W_l B_l` (`A_l = W_L ⋯ W_{l+1}`, `B_l = W_{l−1} ⋯ W_1`), the output
 * `f_o(x_p) = (A_l W_l B_l x_p)_o` has `∂f_o(x_p)/∂(W_l)_{ij} = (A_l)_{oi} (B_l x_p)_j`, so
 * summing over the entries of every layer,
 *
 *   NTK = Σ_{l=1}^{L} A_lA_lᵀ ⊗ Xᵀ B_lᵀB_l X     ((No·P) × (No·P), output index major),
 *
 * with `A_L = I`, `B_1 = I`. At L = 2 this is `W2W2ᵀ ⊗ XᵀX + I ⊗ XᵀW1ᵀW1X`, Eq. 9.
 *
 * The representational similarity of hidden layer `l` (`h_l = W_l ⋯ W_1 x`) generalises Eq. 8's
 * `RSM_I`: `Xᵀ (W_l⋯W_1)ᵀ(W_l⋯W_1) X`; the last hidden layer's is `inputRsm` of `deepBlocks`.
 *
 * @module
 */
import { ShapeError } from "./errors.ts";
import type { Matrix } from "./matrix.ts";
import { add, kron, matmul } from "./linalg/blas.ts";
import { checkLayers, layerProduct, type Layers } from "./init/deep.ts";

/**
 * NTK of the depth-L linear network `layers` on inputs `X` (`Ni × P`): `Σ_l A_lA_lᵀ ⊗ XᵀB_lᵀB_lX`
 * (see the module documentation).
 * @throws {ShapeError} when the layers do not chain or `X` does not have `Ni` rows
 */
export function deepNtk(layers: Layers, x: Matrix): Matrix {
  const dims = checkLayers(layers);
  const depth = layers.length;
  if (x.rows !== dims[0]) {
    throw new ShapeError(`X has ${x.rows} rows, expected Ni = ${dims[0]} (the inputs of W1)`);
  }
  let sum: Matrix | undefined;
  for (let l = 1; l <= depth; l++) {
    const a = layerProduct(layers, l + 1, depth); // A_l (No × n_l); identity at l = L
    const bx = matmul(layerProduct(layers, 1, l - 1), x); // B_l X (n_{l−1} × P)
    const term = kron(matmul(a, a, { transB: true }), matmul(bx, bx, { transA: true }));
    sum = sum === undefined ? term : add(sum, term);
  }
  return sum!;
}

/**
 * Representational similarity matrix of hidden layer `layer` (`1 ≤ layer ≤ L − 1`) on inputs `X`:
 * `Xᵀ (W_layer ⋯ W_1)ᵀ (W_layer ⋯ W_1) X` (`P × P`); at L = 2, `layer = 1`, it is `RSM_I`.
 * @throws {ShapeError} when the layers do not chain, `layer` is not a hidden layer or `X` does
 *   not have `Ni` rows
 */
export function hiddenRsm(layers: Layers, layer: number, x: Matrix): Matrix {
  const dims = checkLayers(layers);
  if (!Number.isInteger(layer) || layer < 1 || layer >= layers.length) {
    throw new ShapeError(
      `hidden layer ${layer} does not exist: a depth-${layers.length} network has 1 … ${
        layers.length - 1
      }`,
    );
  }
  if (x.rows !== dims[0]) {
    throw new ShapeError(`X has ${x.rows} rows, expected Ni = ${dims[0]} (the inputs of W1)`);
  }
  const h = matmul(layerProduct(layers, 1, layer), x);
  return matmul(h, h, { transA: true });
}
