/**
 * Depth-L initialisations and the balance checker (src/init/deep.ts): balanced and aligned
 * balanced weights are balanced to rounding and have the product they promise (checked with
 * plain loops, not the library's constructors); Gaussian weights are not balanced; every bad
 * input is a typed error naming the problem.
 */
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import {
  alignedBalancedInit,
  assertDeepBalanced,
  balancedFromProduct,
  balancedInit,
  checkLayers,
  deepBalanceError,
  gaussianDeepInit,
} from "../src/init/deep.ts";
import { svd } from "../src/linalg/svd.ts";
import { AssumptionError, InputError, NonFiniteError, ShapeError } from "../src/errors.ts";

/** `W_L ⋯ W_1` by plain loops. */
function product(layers: Matrix[]): number[][] {
  let p = layers[0].toArray();
  for (const w of layers.slice(1)) {
    const a = w.toArray();
    p = a.map((row) => p[0].map((_, j) => row.reduce((acc, v, k) => acc + v * p[k][j], 0)));
  }
  return p;
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));
}

Deno.test("balancedFromProduct / balancedInit: balanced to rounding, product as given", () => {
  const rng = new Random(40);
  for (const [ni, hidden, no] of [[3, [4, 3], 2], [2, [2, 5, 3, 2], 4], [3, [3], 3]] as const) {
    const m = rng.gaussianMatrix(no, ni, 0.7);
    const nm = Math.min(ni, no);
    const layers = balancedFromProduct(m, hidden.map((n) => rng.orthonormal(n, nm)));
    assertEquals(checkLayers(layers), [ni, ...hidden, no]);
    // Rounding of products of O(1) factors: 1e-14 relative covers a few ε per layer.
    assertOk(maxDiff(product(layers), m.toArray()) <= 1e-14 * m.maxAbs(), "product");
    assertOk(deepBalanceError(layers) <= 1e-14, `balance ${deepBalanceError(layers)}`);
    const drawn = balancedInit(rng, { ni, hidden, no }, 0.1);
    assertOk(deepBalanceError(drawn) <= 1e-14);
    assertDeepBalanced(drawn);
  }
});

Deno.test("alignedBalancedInit: the product is Ũ diag(u0) Ṽᵀ; Gaussian layers are unbalanced", () => {
  const rng = new Random(41);
  const task = randomTask(rng, { ni: 4, no: 3, singularValues: [3, 2, 1] });
  const u0 = [0.2, 0.05, 0.01];
  const layers = alignedBalancedInit(task, [3, 5], u0, rng);
  const { u, v } = svd(task.sigmaYX);
  const expected = Array.from(
    { length: 3 },
    (_, i) =>
      Array.from(
        { length: 4 },
        (_, j) => u0.reduce((acc, s, k) => acc + u.get(i, k) * s * v.get(j, k), 0),
      ),
  );
  assertOk(maxDiff(product(layers), expected) <= 1e-15, "aligned product");
  assertOk(deepBalanceError(layers) <= 1e-14);
  // Without a generator the hidden rotations are identity columns: same product.
  assertOk(maxDiff(product(alignedBalancedInit(task, [3, 3], u0)), expected) <= 1e-15);
  const g = gaussianDeepInit(rng, { ni: 4, hidden: [3, 3], no: 3 }, 1);
  assertOk(deepBalanceError(g) > 0.1, `Gaussian imbalance ${deepBalanceError(g)}`);
  assertThrows(() => assertDeepBalanced(g), AssumptionError, "balanced");
});

Deno.test("depth-L inits: bad input is a typed error naming the problem", () => {
  const rng = new Random(42);
  const task = randomTask(rng, { ni: 3, no: 3 });
  assertThrows(() => balancedInit(rng, { ni: 3, hidden: [], no: 3 }, 0.1), InputError, "hidden");
  assertThrows(() => balancedInit(rng, { ni: 3, hidden: [2.5], no: 3 }, 0.1), InputError, "n_1");
  assertThrows(() => balancedInit(rng, { ni: 3, hidden: [2], no: 3 }, 0.1), ShapeError, "Nm");
  assertThrows(() => balancedInit(rng, { ni: 3, hidden: [3], no: 3 }, -1), InputError, "scale");
  assertThrows(() => gaussianDeepInit(rng, { ni: 0, hidden: [3], no: 3 }, 1), InputError, "n_0");
  assertThrows(() => alignedBalancedInit(task, [3], [0.1, 0.2]), InputError, "expected 3");
  assertThrows(() => alignedBalancedInit(task, [3], -0.1), InputError, "≥ 0");
  assertThrows(() => alignedBalancedInit(task, [2, 3], 0.1), ShapeError, "Nm");
  assertThrows(
    () => balancedFromProduct(rng.gaussianMatrix(3, 3), [rng.orthonormal(3, 2)]),
    ShapeError,
    "R_1",
  );
  const w = rng.gaussianMatrix(3, 3);
  assertThrows(() => checkLayers([w]), ShapeError, "at least 2");
  const bad = new Matrix(3, 3, Float64Array.from(w.data, (v, i) => (i === 4 ? NaN : v)));
  assertThrows(() => checkLayers([w, bad]), NonFiniteError);
});
