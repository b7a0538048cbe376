/**
 * Depth-L gradient descent (asm/gd_deep.ts through `simulateDeep`) against an independent numpy
 * implementation, step for step, at L = 3, 4, 6, in correlation form (with a non-identity Σxx)
 * and on data; the product and loss records; τ ≠ 1 on the time axis; divergence; bad input;
 * bitwise equality with the two-layer loop at L = 2.
 *
 * Tolerance 1e-12 (relative Frobenius, per layer): both sides compute the same products in
 * different summation orders, each step adds O(ε·κ) rounding, and over the few hundred steps
 * of a run at these small learning rates the differences stay near 1e-14 (measured worst is
 * printed), so 1e-12 leaves two orders of margin while catching any wrong gradient term
 * (which differs at O(η) = 1e-3 after one step).
 */
import { assertEquals, assertOk, assertThrows, relativeError } from "./assert.ts";
import { numpy, numpyAvailable } from "./linalg_checks.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import { simulate } from "../src/train/simulate.ts";
import { simulateDeep } from "../src/train/simulate_deep.ts";
import { balancedInit, gaussianDeepInit, layerProduct } from "../src/init/deep.ts";
import { DivergenceError, InputError, ShapeError } from "../src/errors.ts";
import { matmul } from "../src/linalg/blas.ts";
import { taskLoss } from "../src/task.ts";

const NUMPY_GD = `
from functools import reduce
def prod(ms, n):  # ms = [W_a, ..., W_b] in application order; identity of size n when empty
    return reduce(lambda acc, w: w @ acc, ms, np.eye(n))
out = []
for case in inp:
    ws = [np.array(w) for w in case["w"]]
    L, eta, dims = len(ws), case["eta"], case["dims"]
    if case["data"]:
        X, Y = np.array(case["X"]), np.array(case["Y"]); P = X.shape[1]
    else:
        syx, sxx = np.array(case["syx"]), np.array(case["sxx"])
    recs, rec = [], set(case["record"])
    for step in range(max(rec) + 1):
        if step in rec:
            recs.append([w.tolist() for w in ws])
        W = prod(ws, dims[0])
        grads = []
        for l in range(L):  # layer l+1: A = W_L..W_{l+2}, B = W_l..W_1
            A = prod(ws[l + 1:], dims[l + 1]); B = prod(ws[:l], dims[0])
            if case["data"]:
                grads.append(A.T @ (Y - W @ X) @ (B @ X).T / P)
            else:
                grads.append(A.T @ (syx - W @ sxx) @ B.T)
        ws = [w + eta * g for w, g in zip(ws, grads)]
    out.append(recs)
`;

interface Case {
  depth: number;
  data: boolean;
}

const CASES: Case[] = [3, 4, 6].flatMap((depth) => [
  { depth, data: false },
  { depth, data: true },
]);

Deno.test("simulateDeep equals an independent numpy GD step for step (L = 3, 4, 6)", async () => {
  if (!(await numpyAvailable())) {
    console.log("skipped: python3 with numpy is not available (the numpy comparison needs it)");
    return;
  }
  const rng = new Random(15);
  const record = [0, 1, 2, 50, 200];
  const runs = CASES.map(({ depth, data }) => {
    const ni = 3, no = 2;
    const hidden = Array.from({ length: depth - 1 }, (_, i) => 2 + ((i + depth) % 3));
    const task = randomTask(rng, { ni, no, p: 7, singularValues: [2, 1] });
    // A non-identity Σxx in correlation form (the data form computes its own).
    const g = rng.gaussianMatrix(ni, ni, 0.3);
    const sxx = matmul(g, g, { transB: true });
    for (let i = 0; i < ni; i++) sxx.data[i * ni + i] += 1;
    const t = data ? task : { ...task, sigmaXX: sxx };
    const init = gaussianDeepInit(rng, { ni, hidden, no }, 0.6);
    const eta = 0.02;
    const traj = simulateDeep(t, init, { learningRate: eta, steps: 200, record, onData: data });
    return { depth, data, t, init, eta, traj, dims: [ni, ...hidden, no] };
  });
  const ref = await numpy<number[][][][][]>(
    NUMPY_GD,
    runs.map((r) => ({
      w: r.init.map((w) => w.toArray()),
      eta: r.eta,
      dims: r.dims,
      data: r.data,
      record,
      syx: r.t.sigmaYX.toArray(),
      sxx: r.t.sigmaXX.toArray(),
      X: r.t.X!.toArray(),
      Y: r.t.Y!.toArray(),
    })),
  );
  let worst = 0;
  runs.forEach((r, c) => {
    record.forEach((_, k) => {
      r.traj.layers[k].forEach((w, l) => {
        const e = relativeError(w, Matrix.from(ref[c][k][l]));
        worst = Math.max(worst, e);
        assertOk(e <= 1e-12, `L=${r.depth} data=${r.data} record ${k} W${l + 1}: ${e}`);
      });
      // The recorded product is the product of the recorded layers.
      const p = layerProduct(r.traj.layers[k], 1, r.depth);
      assertOk(relativeError(r.traj.states[k].w2w1, p) <= 1e-14, "product record");
    });
  });
  console.log(
    `worst relative difference to numpy over ${runs.length} runs: ${worst.toExponential(2)}`,
  );
});

Deno.test("simulateDeep: loss records follow taskLoss (correlation) and the data loss; τ scales time", () => {
  const rng = new Random(3);
  const task = randomTask(rng, { ni: 3, no: 3, p: 5, singularValues: [3, 2, 1] });
  const init = balancedInit(rng, { ni: 3, hidden: [4, 3], no: 3 }, 0.3);
  const tau = 2.5, eta = 0.01;
  const traj = simulateDeep(task, init, { learningRate: eta, times: [0.5, 0, 2], tau });
  assertEquals(traj.times, [20 * eta * tau, 0, 80 * eta * tau]);
  traj.states.forEach((s, k) => {
    const expected = taskLoss(task, s.w2w1);
    assertOk(Math.abs(traj.loss[k] - expected) <= 1e-13 * Math.max(1, Math.abs(expected)));
  });
  const onData = simulateDeep(task, init, {
    learningRate: eta,
    steps: 10,
    record: [10],
    onData: true,
  });
  const x = task.X!, y = task.Y!;
  const r = matmul(onData.states[0].w2w1, x);
  let sq = 0;
  for (let i = 0; i < r.data.length; i++) sq += (y.data[i] - r.data[i]) ** 2;
  const dataLoss = 0.5 * sq / x.cols;
  assertOk(Math.abs(onData.loss[0] - dataLoss) <= 1e-13 * dataLoss, "data loss");
});

Deno.test("simulateDeep: extra tasks' losses at every record (correlation and data form)", () => {
  const rng = new Random(6);
  const task = randomTask(rng, { ni: 3, no: 2, p: 5, singularValues: [2, 1] });
  const others = [1, 2].map((k) => ({
    ...randomTask(rng, { ni: 3, no: 2, p: 4 + k, singularValues: [1.5, 0.5] }),
    name: `T${k}`,
  }));
  const init = balancedInit(rng, { ni: 3, hidden: [3, 4, 2], no: 2 }, 0.4);
  for (const onData of [false, true]) {
    const traj = simulateDeep(task, init, {
      learningRate: 0.01,
      steps: 300,
      record: 100,
      onData,
      extraTasks: others,
    });
    for (const t of others) {
      traj.states.forEach((st, k) => {
        let expected = taskLoss(t, st.w2w1);
        if (onData) {
          const r = matmul(st.w2w1, t.X!);
          let sq = 0;
          for (let i = 0; i < r.data.length; i++) sq += (t.Y!.data[i] - r.data[i]) ** 2;
          expected = 0.5 * sq / t.X!.cols;
        }
        const got = traj.extraLosses![t.name][k];
        // Same quantity, different summation order: a few ulps of the O(1) loss.
        assertOk(Math.abs(got - expected) <= 1e-13 * Math.max(1, expected), `${t.name} ${k}`);
      });
    }
  }
  assertThrows(
    () =>
      simulateDeep(task, init, {
        learningRate: 0.01,
        steps: 1,
        extraTasks: [randomTask(rng, { ni: 2, no: 2 })],
      }),
    ShapeError,
    "extra task 0",
  );
});

Deno.test("simulateDeep at L = 2 is bitwise the two-layer simulate (correlation and data)", () => {
  const rng = new Random(9);
  const task = randomTask(rng, { ni: 4, no: 3, p: 6 });
  const g = rng.gaussianMatrix(4, 4, 0.2);
  const sxx = matmul(g, g, { transB: true });
  for (let i = 0; i < 4; i++) sxx.data[i * 4 + i] += 1;
  const [w1, w2] = gaussianDeepInit(rng, { ni: 4, hidden: [5], no: 3 }, 0.4);
  for (const [t, onData] of [[{ ...task, sigmaXX: sxx }, false], [task, true]] as const) {
    const extraTasks = onData ? [] : [{ ...randomTask(rng, { ni: 4, no: 3 }), name: "other" }];
    const o = { learningRate: 0.01, steps: 300, record: 100, onData, extraTasks };
    const a = simulate(t, { w1, w2 }, o), b = simulateDeep(t, [w1, w2], o);
    a.weights!.forEach((w, k) => {
      assertEquals(Array.from(b.layers[k][0].data), Array.from(w.w1.data));
      assertEquals(Array.from(b.layers[k][1].data), Array.from(w.w2.data));
    });
    assertEquals(b.loss, a.loss);
    assertEquals(b.extraLosses, a.extraLosses);
  }
});

Deno.test("simulateDeep: divergence names the step; bad layers and options are typed errors", () => {
  const rng = new Random(4);
  const task = randomTask(rng, { ni: 2, no: 2, singularValues: [5, 4] });
  const init = gaussianDeepInit(rng, { ni: 2, hidden: [3, 3], no: 2 }, 1);
  const e = assertThrows(
    () => simulateDeep(task, init, { learningRate: 2, steps: 2000 }),
    DivergenceError,
  ) as DivergenceError;
  assertOk(e.step > 0 && e.step < 2000, `step ${e.step}`);
  assertThrows(() => simulateDeep(task, [init[0]], { learningRate: 0.1, steps: 1 }), ShapeError);
  assertThrows(
    () => simulateDeep(task, [init[1], init[0]], { learningRate: 0.1, steps: 1 }),
    ShapeError,
    "columns",
  );
  assertThrows(() => simulateDeep(task, init, { learningRate: -1, steps: 1 }), InputError);
  const wide = randomTask(rng, { ni: 3, no: 2 });
  assertThrows(() => simulateDeep(wide, init, { learningRate: 0.1, steps: 1 }), ShapeError);
});
