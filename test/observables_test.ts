/** Observables against direct computations from the weights (paper Eqs. 7–9) and MDS. */
import { assertClose, assertEquals, assertMatrixClose, assertThrows } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { ShapeError } from "../src/errors.ts";
import { matmul } from "../src/linalg/blas.ts";
import { solve } from "../src/linalg/lu.ts";
import { weightBlocks } from "../src/init/weights.ts";
import { classicalMds, inputRsm, networkFunction, ntk, outputRsm } from "../src/observables.ts";

const rng = new Random(9);
const [ni, nh, no, p] = [3, 4, 2, 5];
const w1 = rng.gaussianMatrix(nh, ni), w2 = rng.gaussianMatrix(no, nh);
const x = rng.gaussianMatrix(ni, p), y = rng.gaussianMatrix(no, p);
const state = weightBlocks({ w1, w2 });

Deno.test("network function and RSMs from QQᵀ blocks equal those from the weights", () => {
  assertMatrixClose(networkFunction(state, x), matmul(w2, matmul(w1, x)), 1e-14, "Ŷ");
  const h = matmul(w1, x);
  assertMatrixClose(inputRsm(state, x), matmul(h, h, { transA: true }), 1e-14, "RSM_I");
  // W2W2ᵀ (2×2) is invertible here: RSM_O = Yᵀ (W2W2ᵀ)⁻¹ Y.
  assertMatrixClose(
    outputRsm(state, y),
    matmul(y, solve(state.w2w2t, y), { transA: true }),
    1e-12,
    "RSM_O",
  );
  assertThrows(() => inputRsm(state, rng.gaussianMatrix(2, 3)), ShapeError, "Ni");
  assertThrows(() => outputRsm(state, x), ShapeError, "No");
});

Deno.test("NTK equals J Jᵀ of the explicit Jacobian of vec(Ŷ) with respect to (W1, W2)", () => {
  // ŷ[a, μ] = Σ_h W2[a,h] (W1 x_μ)[h]: ∂/∂W2[a',h] = δ_{aa'} (W1x_μ)[h], ∂/∂W1[h,i] = W2[a,h] x[i,μ].
  const h = matmul(w1, x);
  const params = nh * ni + no * nh;
  const jac = Matrix.fromFunction(no * p, params, (row, col) => {
    const a = Math.floor(row / p), mu = row % p;
    if (col < nh * ni) {
      const hh = Math.floor(col / ni), i = col % ni;
      return w2.get(a, hh) * x.get(i, mu);
    }
    const c = col - nh * ni, a2 = Math.floor(c / nh), hh = c % nh;
    return a === a2 ? h.get(hh, mu) : 0;
  });
  const k = ntk(state, x);
  assertEquals(k.shape, [no * p, no * p]);
  assertMatrixClose(k, matmul(jac, jac, { transB: true }), 1e-13, "NTK");
});

Deno.test("classical MDS recovers pairwise distances of a planar configuration", () => {
  const pts = Matrix.from([[0, 1, 3, 2, -1], [0, 0, 1, 4, 2]]);
  // Embed the plane in 4 dimensions by a random orthonormal map: distances are unchanged.
  const lifted = matmul(rng.orthonormal(4, 2), pts);
  const c = classicalMds(lifted, 2);
  const dist = (m: Matrix, i: number, j: number, byRow: boolean) => {
    let s = 0;
    const d = byRow ? m.cols : m.rows;
    for (let k = 0; k < d; k++) {
      s += ((byRow ? m.get(i, k) : m.get(k, i)) - (byRow ? m.get(j, k) : m.get(k, j))) ** 2;
    }
    return Math.sqrt(s);
  };
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < i; j++) {
      assertClose(dist(c, i, j, true), dist(pts, i, j, false), 1e-10, `distance ${i}-${j}`);
    }
  }
  assertThrows(() => classicalMds(pts, 6), ShapeError, "dims");
});
