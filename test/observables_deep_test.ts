/**
 * The depth-L NTK (src/observables_deep.ts) against the Gram matrix `JJᵀ` of an explicit
 * Jacobian of the network outputs with respect to every weight, built by central differences
 * (the output is linear in each single weight, so the difference quotient is exact up to
 * rounding, ~ε·|f|/h = 1e-13 at h = 1e-3); and at L = 2 against the two-layer `ntk` (Eq. 9).
 * The depth-L observables pipeline (RSMs, network function) reads `deepBlocks`.
 */
import { assertOk, assertThrows, relativeError } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { deepNtk, hiddenRsm } from "../src/observables_deep.ts";
import { deepBlocks, gaussianDeepInit } from "../src/init/deep.ts";
import { inputRsm, networkFunction, ntk } from "../src/observables.ts";
import { weightBlocks } from "../src/init/weights.ts";
import { ShapeError } from "../src/errors.ts";

function outputs(layers: Matrix[], x: Matrix): Float64Array {
  let h = x.toArray();
  for (const w of layers) {
    h = w.toArray().map((row) =>
      h[0].map((_, p) => row.reduce((acc, v, k) => acc + v * h[k][p], 0))
    );
  }
  return Float64Array.from(h.flat()); // (output, sample), output major
}

Deno.test("deepNtk equals JJᵀ of an explicit finite-difference Jacobian (L = 3, 4)", () => {
  const rng = new Random(12);
  for (const hidden of [[4, 2], [3, 5, 2]]) {
    const ni = 3, no = 2, p = 4;
    const layers = gaussianDeepInit(rng, { ni, hidden, no }, 0.7);
    const x = rng.gaussianMatrix(ni, p);
    const h = 1e-3;
    const columns: Float64Array[] = [];
    layers.forEach((w, l) => {
      for (let e = 0; e < w.data.length; e++) {
        const plus = layers.map((m) => new Matrix(m.rows, m.cols, m.data.slice()));
        const minus = layers.map((m) => new Matrix(m.rows, m.cols, m.data.slice()));
        plus[l].data[e] += h;
        minus[l].data[e] -= h;
        const fp = outputs(plus, x), fm = outputs(minus, x);
        columns.push(fp.map((v, i) => (v - fm[i]) / (2 * h)));
      }
    });
    const n = no * p;
    const gram = Matrix.fromFunction(
      n,
      n,
      (i, j) => columns.reduce((acc, c) => acc + c[i] * c[j], 0),
    );
    const e = relativeError(deepNtk(layers, x), gram);
    assertOk(e <= 1e-9, `hidden ${hidden}: ${e}`);
  }
});

Deno.test("deepNtk at L = 2 is Eq. 9; deepBlocks at L = 2 are the QQᵀ blocks", () => {
  const rng = new Random(13);
  const [w1, w2] = gaussianDeepInit(rng, { ni: 3, hidden: [4], no: 2 }, 0.5);
  const x = rng.gaussianMatrix(3, 5);
  const two = weightBlocks({ w1, w2 }), deepB = deepBlocks([w1, w2]);
  assertOk(relativeError(deepNtk([w1, w2], x), ntk(two, x)) <= 1e-14);
  assertOk(relativeError(deepB.w1tw1, two.w1tw1) <= 1e-15);
  assertOk(relativeError(networkFunction(deepB, x), networkFunction(two, x)) <= 1e-15);
  assertOk(relativeError(inputRsm(deepB, x), inputRsm(two, x)) <= 1e-15);
  assertThrows(() => deepNtk([w1, w2], rng.gaussianMatrix(2, 5)), ShapeError, "Ni");
});

Deno.test("hiddenRsm: each hidden layer's Gram of its representation; the last is inputRsm", () => {
  const rng = new Random(14);
  const layers = gaussianDeepInit(rng, { ni: 3, hidden: [4, 2, 5], no: 2 }, 0.8);
  const x = rng.gaussianMatrix(3, 6);
  let h = x.toArray();
  for (let l = 1; l <= 3; l++) {
    h = layers[l - 1].toArray().map((row) =>
      h[0].map((_, p) => row.reduce((acc, v, k) => acc + v * h[k][p], 0))
    );
    const direct = Matrix.fromFunction(6, 6, (p, q) => h.reduce((acc, r) => acc + r[p] * r[q], 0));
    assertOk(relativeError(hiddenRsm(layers, l, x), direct) <= 1e-14, `layer ${l}`);
  }
  assertOk(relativeError(hiddenRsm(layers, 3, x), inputRsm(deepBlocks(layers), x)) <= 1e-14);
  assertThrows(() => hiddenRsm(layers, 4, x), ShapeError, "hidden layer");
  assertThrows(() => hiddenRsm(layers, 1, rng.gaussianMatrix(2, 6)), ShapeError, "Ni");
});
