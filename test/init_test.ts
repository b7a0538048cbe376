/** Initialisations: Gaussian, zero-balanced (with the B sign condition), task-aligned, continuing. */
import { assertClose, assertEquals, assertMatrixClose, assertOk, assertThrows } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import {
  AssumptionError,
  InputError,
  NotPositiveDefiniteError,
  ShapeError,
} from "../src/errors.ts";
import { matmul } from "../src/linalg/blas.ts";
import { det } from "../src/linalg/lu.ts";
import { conditionNumber, svd } from "../src/linalg/svd.ts";
import { checkDims, gaussianInit } from "../src/init/gaussian.ts";
import {
  MAX_CONDITION_B,
  overlapB,
  zeroBalancedFromProduct,
  zeroBalancedInit,
} from "../src/init/zero_balanced.ts";
import { a0FromGram, taskAlignedInit } from "../src/init/aligned.ts";
import { assertZeroBalanced, balanceError } from "../src/init/balance.ts";
import { continueFrom } from "../src/init/continue.ts";
import { naiveMatmul } from "./linalg_arbitraries.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import { simulate } from "../src/train/simulate.ts";

/** `‖W1W1ᵀ − W2ᵀW2‖_F / max(‖W1W1ᵀ‖_F, ‖W2ᵀW2‖_F)` by plain loops. */
function imbalance(w1: Matrix, w2: Matrix): number {
  const g1 = naiveMatmul(w1, w1, false, true), g2 = naiveMatmul(w2, w2, true);
  const norm = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  return norm(g1.data.map((x, i) => x - g2.data[i])) / Math.max(norm(g1.data), norm(g2.data));
}

Deno.test("balanceError: a hand-computed imbalance", () => {
  // W1 = [[1, 0]], W2 = [[2]]: W1W1ᵀ = 1, W2ᵀW2 = 4: |1 − 4| / 4.
  assertClose(balanceError({ w1: Matrix.from([[1, 0]]), w2: Matrix.from([[2]]) }), 0.75, 1e-16);
});

Deno.test("gaussianInit: shapes and entry scale; not zero-balanced", () => {
  const w = gaussianInit(new Random(1), { ni: 30, nh: 40, no: 20 }, 0.1);
  assertEquals([w.w1.shape, w.w2.shape], [[40, 30], [20, 40]]);
  // 1200 entries: the sample std is within ~4% (3 standard errors of 2%) of 0.1.
  assertClose(w.w1.normFrobenius() / Math.sqrt(1200), 0.1, 0.006, "std of W1");
  assertOk(balanceError(w) > 0.1, "Gaussian weights are far from balanced");
  assertThrows(() => assertZeroBalanced(w), AssumptionError, "2.3 zero-balanced");
  assertThrows(() => checkDims({ ni: 0, nh: 1, no: 1 }), InputError, "Ni");
});

Deno.test("zeroBalancedInit: balanced to rounding for any Nh ≥ Nm and scale; W2W1 = M exactly", () => {
  const rng = new Random(2);
  for (const [ni, nh, no] of [[3, 3, 3], [4, 9, 2], [2, 2, 5], [6, 6, 6], [1, 4, 1]]) {
    for (const scale of [1e-3, 1, 30]) {
      const w = zeroBalancedInit(rng, { ni, nh, no, scale });
      assertEquals([w.w1.shape, w.w2.shape], [[nh, ni], [no, nh]]);
      // A balanced construction: error ≈ Nm·ε relative, measured with plain products (not
      // the library's balanceError, which could share a bug with the construction).
      const e = imbalance(w.w1, w.w2);
      assertOk(e < 1e-14, `imbalance ${e} (${ni},${nh},${no},${scale})`);
      assertClose(balanceError(w), e, 1e-15, "balanceError");
      assertZeroBalanced(w);
    }
  }
  const m = rng.gaussianMatrix(3, 4);
  const w = zeroBalancedFromProduct(m, rng.orthonormal(5, 3));
  assertMatrixClose(naiveMatmul(w.w2, w.w1), m, 1e-14, "W2W1 = M");
  assertOk(imbalance(w.w1, w.w2) < 1e-14, "zeroBalancedFromProduct is balanced");
  assertThrows(
    () => zeroBalancedInit(rng, { ni: 4, nh: 3, no: 5, scale: 1 }),
    ShapeError,
    "Nh ≥ Nm",
  );
});

Deno.test("the B sign condition (MATH.md) holds, and regularB draws only regular B", () => {
  const rng = new Random(3);
  let mismatched = 0;
  for (let k = 0; k < 30; k++) {
    const n = 2 + (k % 4);
    const task = randomTask(rng, { ni: n, no: n });
    // Without regularB about half the draws have sign det W2W1 ≠ sign det Σyx: then B is singular.
    const free = zeroBalancedInit(rng, { ni: n, nh: n + 1, no: n, scale: 0.5, regularB: false });
    const prod = matmul(free.w2, free.w1);
    const condFree = conditionNumber(overlapB(prod, task.sigmaYX));
    if (Math.sign(det(prod)) !== Math.sign(det(task.sigmaYX))) {
      mismatched++;
      assertOk(condFree > 1e10, `sign mismatch but cond(B) = ${condFree}`);
    }
    const w = zeroBalancedInit(rng, { ni: n, nh: n + 1, no: n, scale: 0.5, task });
    const p = matmul(w.w2, w.w1);
    assertOk(Math.sign(det(p)) === Math.sign(det(task.sigmaYX)), "regularB matches signs");
    assertOk(conditionNumber(overlapB(p, task.sigmaYX)) <= MAX_CONDITION_B, "cond(B) bounded");
    assertOk(balanceError(w) < 1e-14, "still balanced");
  }
  assertOk(mismatched >= 5 && mismatched <= 25, `${mismatched} of 30 free draws mismatched`);
  // Rectangular tasks: only the conditioning check applies.
  const rect = randomTask(rng, { ni: 3, no: 5 });
  const w = zeroBalancedInit(rng, { ni: 3, nh: 4, no: 5, scale: 1, task: rect });
  assertOk(conditionNumber(overlapB(matmul(w.w2, w.w1), rect.sigmaYX)) <= MAX_CONDITION_B);
  assertThrows(
    () => zeroBalancedInit(rng, { ni: 3, nh: 3, no: 3, scale: 1, regularB: true }),
    InputError,
    "task",
  );
  assertThrows(
    () => zeroBalancedInit(rng, { ni: 3, nh: 3, no: 3, scale: 1, task: rect }),
    ShapeError,
    "Σyx",
  );
  assertThrows(
    () =>
      zeroBalancedInit(rng, {
        ni: 4,
        nh: 4,
        no: 4,
        scale: 1,
        task: randomTask(rng, { ni: 4, no: 4 }),
        maxConditionB: 1,
        maxAttempts: 3,
      }),
    AssumptionError,
    "3.1",
  );
});

Deno.test("taskAlignedInit: W2W1 = Ũ A0ᵀA0 Ṽᵀ, balanced; a0FromGram gives A0ᵀA0", () => {
  const rng = new Random(4);
  const task = randomTask(rng, { ni: 3, no: 3 });
  const a0 = rng.gaussianMatrix(5, 3);
  const w = taskAlignedInit(task, a0);
  const { u, v } = svd(task.sigmaYX);
  const expected = matmul(matmul(u, matmul(a0, a0, { transA: true })), v, { transB: true });
  assertMatrixClose(matmul(w.w2, w.w1), expected, 1e-14, "W2W1");
  assertOk(balanceError(w) < 1e-14, "balanced");
  const gram = Matrix.from([[0.3, 0.1], [0.1, 0.2]]);
  const g = a0FromGram(gram);
  assertMatrixClose(matmul(g, g, { transA: true }), gram, 1e-15, "A0ᵀA0");
  assertThrows(() => a0FromGram(Matrix.from([[1, 2], [2, 1]])), NotPositiveDefiniteError);
  assertThrows(() => taskAlignedInit(randomTask(rng, { ni: 2, no: 3 }), a0), ShapeError, "Ni = No");
  assertThrows(() => taskAlignedInit(task, rng.gaussianMatrix(2, 3)), ShapeError, "A0");
  const deficient = Matrix.from([[1, 1, 0], [2, 2, 0], [0, 0, 1]]);
  assertThrows(() => taskAlignedInit(task, deficient), InputError, "rank 2");
});

Deno.test("continueFrom: last (or chosen) recorded weights; errors without weights", () => {
  const rng = new Random(5);
  const task = randomTask(rng, { ni: 2, no: 2 });
  const init = zeroBalancedInit(rng, { ni: 2, nh: 3, no: 2, scale: 0.1, task });
  const traj = simulate(task, init, { learningRate: 0.05, steps: 40, record: 10 });
  assertEquals(continueFrom(traj), traj.weights!.at(-1));
  assertEquals(continueFrom(traj, 0), init);
  // Continuing equals one uninterrupted run.
  const more = simulate(task, continueFrom(traj), { learningRate: 0.05, steps: 10, record: [10] });
  const whole = simulate(task, init, { learningRate: 0.05, steps: 50, record: [50] });
  assertEquals(more.weights![0], whole.weights![0]);
  assertThrows(() => continueFrom({ ...traj, weights: undefined }), InputError, "no weights");
  assertThrows(() => continueFrom(traj, 99), InputError, "out of range");
});
