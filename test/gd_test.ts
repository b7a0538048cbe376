/**
 * Gradient descent in WASM (asm/gd.ts via src/train/simulate.ts) against hand-written
 * TypeScript reference steps, finite differences and the properties of the dynamics.
 */
import { assertClose, assertEquals, assertMatrixClose, assertOk, assertThrows } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { type Task, taskLoss } from "../src/task.ts";
import { type Activation, simulate, simulateShallow } from "../src/train/simulate.ts";
import { DivergenceError, InputError, ShapeError } from "../src/errors.ts";
import type { Weights } from "../src/init/weights.ts";

// ---- plain-JS reference arithmetic (independent of the WASM kernels) ----

function mul(a: Matrix, b: Matrix): Matrix {
  return Matrix.fromFunction(a.rows, b.cols, (i, j) => {
    let s = 0;
    for (let p = 0; p < a.cols; p++) s += a.get(i, p) * b.get(p, j);
    return s;
  });
}
const t = (a: Matrix) => a.transpose();
const lin = (a: Matrix, c: number, b: Matrix) =>
  new Matrix(a.rows, a.cols, a.data.map((x, i) => x + c * b.data[i]));

/** One simultaneous GD step in correlation form, as written in MATH.md. */
function referenceStep({ w1, w2 }: Weights, task: Task, eta: number): Weights {
  const e = lin(task.sigmaYX, -1, mul(mul(w2, w1), task.sigmaXX));
  return { w1: lin(w1, eta, mul(t(w2), e)), w2: lin(w2, eta, mul(e, t(w1))) };
}

const act: Record<Activation, (x: number) => number> = {
  linear: (x) => x,
  tanh: Math.tanh,
  relu: (x) => Math.max(x, 0),
};

/** `½⟨‖W2 f(W1x) − y‖²⟩` over the columns of X, Y. */
function dataLoss(w1: Matrix, w2: Matrix, x: Matrix, y: Matrix, f: Activation): number {
  const h = mul(w1, x);
  const yh = mul(w2, new Matrix(h.rows, h.cols, h.data.map(act[f])));
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += (yh.data[i] - y.data[i]) ** 2;
  return (0.5 * s) / x.cols;
}

function randomCase(rng: Random, ni: number, no: number, whitened: boolean): Task {
  const g = rng.gaussianMatrix(ni, ni);
  return {
    sigmaYX: rng.gaussianMatrix(no, ni),
    sigmaXX: whitened ? Matrix.identity(ni) : lin(Matrix.identity(ni), 0.1, mul(g, t(g))),
    traceYY: 3 + ni,
  };
}

function randomInit(rng: Random, ni: number, nh: number, no: number, scale: number): Weights {
  return { w1: rng.gaussianMatrix(nh, ni, scale), w2: rng.gaussianMatrix(no, nh, scale) };
}

// The WASM loop and the reference sum in different orders: each entry of a step differs by a
// few ulps of the largest partial sum (≈ n·ε), and over 20 contracting steps these do not
// grow beyond ~20·n·ε ≈ 1e-13 relative; 1e-12 leaves margin without hiding a wrong formula
// (a wrong sign or missing term is O(η) = 1e-2 off).
const STEP_TOL = 1e-12;

Deno.test("GD steps match the MATH.md reference step (whitened and general Σxx)", () => {
  const rng = new Random(11);
  for (const [ni, nh, no] of [[3, 5, 2], [4, 4, 4], [2, 7, 5], [9, 3, 6], [1, 1, 1]]) {
    for (const whitened of [true, false]) {
      const task = randomCase(rng, ni, no, whitened);
      let ref = randomInit(rng, ni, nh, no, 0.5);
      const eta = 0.01;
      const traj = simulate(task, ref, { learningRate: eta, steps: 20, record: [0, 1, 7, 20] });
      const got = traj.weights!;
      for (let k = 0, r = 0; k <= 20; k++) {
        if ([0, 1, 7, 20][r] === k) {
          assertMatrixClose(got[r].w1, ref.w1, STEP_TOL, `W1 at step ${k} (${ni},${nh},${no})`);
          assertMatrixClose(got[r].w2, ref.w2, STEP_TOL, `W2 at step ${k} (${ni},${nh},${no})`);
          r++;
        }
        ref = referenceStep(ref, task, eta);
      }
    }
  }
});

Deno.test("recorded loss is taskLoss of W2W1 (½ tr Σyy included) and the times are kητ", () => {
  const rng = new Random(12);
  const task = randomCase(rng, 5, 4, false);
  const traj = simulate(task, randomInit(rng, 5, 6, 4, 0.3), {
    learningRate: 0.02,
    steps: 300,
    record: 50,
    tau: 2,
  });
  assertEquals(traj.times, [0, 50, 100, 150, 200, 250, 300].map((k) => k * 0.02 * 2));
  traj.states.forEach((s, i) => {
    // Same formula, different summation order: agreement to a few ulps of the terms' size.
    const l = taskLoss(task, s.w2w1);
    assertClose(traj.loss[i], l, 1e-13 * (1 + Math.abs(task.traceYY!)), `loss ${i}`);
    assertMatrixClose(s.w2w1, mul(traj.weights![i].w2, traj.weights![i].w1), 1e-14, "W2W1");
    assertMatrixClose(s.w1tw1, mul(t(traj.weights![i].w1), traj.weights![i].w1), 1e-14, "W1ᵀW1");
    assertMatrixClose(s.w2w2t, mul(traj.weights![i].w2, t(traj.weights![i].w2)), 1e-14, "W2W2ᵀ");
  });
});

Deno.test("loss decreases monotonically for a small learning rate", () => {
  const rng = new Random(13);
  const task = randomCase(rng, 4, 3, true);
  const traj = simulate(task, randomInit(rng, 4, 6, 3, 0.1), {
    learningRate: 0.01,
    steps: 3000,
    record: 10,
  });
  // The loss is ½tr(WWᵀ) − tr(WΣyxᵀ) + ½trΣyy: near the minimum its rounding is ε times the
  // size of those terms (≈ ‖Σyx‖²), so "decreasing" is checked up to that noise.
  const noise = 1e-14 * task.traceYY!;
  for (let i = 1; i < traj.loss.length; i++) {
    assertOk(traj.loss[i] <= traj.loss[i - 1] + noise, `loss rose at record ${i}`);
  }
  assertOk(traj.loss.at(-1)! < 1e-3 * traj.loss[0], "loss did not converge");
});

Deno.test("zero-balance drift per step is O(η²)", () => {
  // A zero-balanced start (W1 = R S^½ Vᵀ, W2 = U S^½ Rᵀ with orthonormal U, V, R):
  // gradient flow keeps W1W1ᵀ − W2ᵀW2 = 0; one GD step changes it by η²(W2ᵀE EᵀW2 − W1EᵀEW1ᵀ).
  const rng = new Random(14);
  const [ni, nh, no] = [4, 6, 4];
  const u = rng.orthonormal(no, 4), v = rng.orthonormal(ni, 4), r = rng.orthonormal(nh, 4);
  const sh = Matrix.diag([1.2, 0.9, 0.5, 0.3]);
  const init = { w1: mul(mul(r, sh), t(v)), w2: mul(mul(u, sh), t(r)) };
  const task = randomCase(rng, ni, no, true);
  const imbalance = (w: Weights) => lin(mul(w.w1, t(w.w1)), -1, mul(t(w.w2), w.w2)).normFrobenius();
  const drift = (eta: number) =>
    imbalance(simulate(task, init, { learningRate: eta, steps: 1, record: [1] }).weights![0]);
  const d0 = imbalance(init), d1 = drift(1e-2), d2 = drift(5e-3);
  assertOk(d0 < 1e-14, `initial imbalance ${d0}`);
  // Halving η divides an O(η²) drift by 4 (the O(η³) remainder is ~η relative: 1e-2).
  assertClose(d1 / d2, 4, 0.1, "drift ratio when halving η");
});

Deno.test("divergence is caught and names the first step whose loss is not finite", () => {
  const rng = new Random(15);
  const task = randomCase(rng, 3, 3, true);
  const init = randomInit(rng, 3, 3, 3, 1);
  const eta = 3;
  const err = assertThrows(
    () => simulate(task, init, { learningRate: eta, steps: 1000 }),
    DivergenceError,
    "step",
  ) as DivergenceError;
  let w = init, k = 0;
  while (Number.isFinite(taskLoss(task, mul(w.w2, w.w1)))) {
    w = referenceStep(w, task, eta);
    k++;
  }
  assertEquals(err.step, k);
  assertEquals(err.learningRate, eta);
});

Deno.test("tanh and ReLU gradients agree with central finite differences", () => {
  const rng = new Random(16);
  const [ni, nh, no, np] = [3, 4, 2, 7];
  const x = rng.gaussianMatrix(ni, np), y = rng.gaussianMatrix(no, np);
  const task: Task = { sigmaYX: mul(y, t(x)), sigmaXX: mul(x, t(x)), X: x, Y: y };
  const init = randomInit(rng, ni, nh, no, 0.7);
  for (const f of ["linear", "tanh", "relu"] as const) {
    // With η = 1 one step is W(1) = W(0) − ∇L exactly up to rounding of ε‖W‖.
    const traj = simulate(task, init, {
      learningRate: 1,
      steps: 1,
      record: [0, 1],
      activation: f,
      onData: true,
    });
    assertClose(traj.loss[0], dataLoss(init.w1, init.w2, x, y, f), 1e-14, `${f} loss`);
    const w = traj.weights![1];
    const h = 1e-6;
    // Central differences: truncation h²·L''' ≈ 1e-12, cancellation ε·L/h ≈ 1e-10.
    for (const layer of ["w1", "w2"] as const) {
      const w0 = init[layer];
      const fd = Matrix.fromFunction(w0.rows, w0.cols, (i, j) => {
        const at = (d: number) => {
          const m = new Matrix(w0.rows, w0.cols, w0.data.slice());
          m.data[i * w0.cols + j] += d;
          const ws = { ...init, [layer]: m };
          return dataLoss(ws.w1, ws.w2, x, y, f);
        };
        return (at(h) - at(-h)) / (2 * h);
      });
      const gd = lin(w0, -1, w[layer]); // = ∇L
      assertMatrixClose(gd, fd, 1e-7, `${f} gradient of ${layer}`);
    }
  }
});

Deno.test("a linear network on data follows the correlation-form run", () => {
  const rng = new Random(17);
  const [ni, nh, no, np] = [3, 5, 4, 9];
  const x = rng.gaussianMatrix(ni, np), y = rng.gaussianMatrix(no, np);
  const sc = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((v) => v / np));
  const task: Task = {
    sigmaYX: sc(mul(y, t(x))),
    sigmaXX: sc(mul(x, t(x))),
    traceYY: y.normFrobenius() ** 2 / np,
    X: x,
    Y: y,
  };
  const init = randomInit(rng, ni, nh, no, 0.4);
  const opts = { learningRate: 0.05, steps: 200, record: 40 };
  const a = simulate(task, init, opts), b = simulate(task, init, { ...opts, onData: true });
  a.weights!.forEach((w, i) => {
    assertMatrixClose(b.weights![i].w1, w.w1, 1e-12, `W1 ${i}`);
    assertClose(b.loss[i], a.loss[i], 1e-12, `loss ${i}`);
  });
});

Deno.test("extra tasks' losses are recorded with taskLoss semantics", () => {
  const rng = new Random(18);
  const main = randomCase(rng, 3, 3, true);
  const other = { ...randomCase(rng, 3, 3, false), name: "other" };
  const third = { sigmaYX: rng.gaussianMatrix(3, 3), sigmaXX: Matrix.identity(3), name: "third" };
  const traj = simulate(main, randomInit(rng, 3, 4, 3, 0.2), {
    learningRate: 0.05,
    steps: 100,
    record: 25,
    extraTasks: [other, third],
  });
  traj.states.forEach((s, i) => {
    assertClose(traj.extraLosses!.other[i], taskLoss(other, s.w2w1), 1e-12, "other");
    assertClose(traj.extraLosses!.third[i], taskLoss(third, s.w2w1), 1e-12, "third");
  });
});

Deno.test("extra data tasks (nonlinear) and extra shallow tasks are recorded", () => {
  const rng = new Random(24);
  const [ni, nh, no] = [3, 4, 2];
  const data = (p: number, name: string): Task => {
    const x = rng.gaussianMatrix(ni, p), y = rng.gaussianMatrix(no, p);
    return { sigmaYX: mul(y, t(x)), sigmaXX: mul(x, t(x)), X: x, Y: y, name };
  };
  const main = data(6, "main"), other = data(11, "other");
  const init = randomInit(rng, ni, nh, no, 0.5);
  const traj = simulate(main, init, {
    learningRate: 0.05,
    steps: 30,
    record: 10,
    activation: "tanh",
    extraTasks: [other],
  });
  traj.weights!.forEach((w, i) => {
    const expected = dataLoss(w.w1, w.w2, other.X!, other.Y!, "tanh");
    assertClose(traj.extraLosses!.other[i], expected, 1e-13, `other at ${i}`);
  });
  const task = randomCase(rng, ni, no, false);
  const extra = { ...randomCase(rng, ni, no, true), name: "e" };
  const sh = simulateShallow(task, rng.gaussianMatrix(no, ni), {
    learningRate: 0.05,
    steps: 20,
    record: 10,
    extraTasks: [extra],
  });
  sh.w.forEach((w, i) => assertClose(sh.extraLosses!.e[i], taskLoss(extra, w), 1e-12, `e ${i}`));
});

Deno.test("times: step round(t/(ητ)) per requested time, in the order given", () => {
  const rng = new Random(19);
  const task = randomCase(rng, 2, 2, true);
  const init = randomInit(rng, 2, 3, 2, 0.3);
  // τ = 2, η = 0.05: t = 2, 0, 1.04, 2 are steps 20, 0, round(10.4) = 10, 20 (t = kητ).
  const traj = simulate(task, init, { learningRate: 0.05, times: [2, 0, 1.04, 2], tau: 2 });
  assertEquals(traj.times.map((x) => Math.round(x * 1e9) / 1e9), [2, 0, 1, 2]);
  const ref: Weights[] = [init];
  for (let k = 1; k <= 20; k++) ref.push(referenceStep(ref[k - 1], task, 0.05));
  [20, 0, 10, 20].forEach((k, i) => {
    assertMatrixClose(traj.weights![i].w1, ref[k].w1, STEP_TOL, `W1 of time ${i} (step ${k})`);
    assertMatrixClose(traj.weights![i].w2, ref[k].w2, STEP_TOL, `W2 of time ${i} (step ${k})`);
  });
});

Deno.test("long schedules run in chunks without changing the arithmetic", () => {
  // 64×64×64 records are 8193 f64: the 700 records below span two chunks.
  const rng = new Random(20);
  const n = 64;
  const task = randomCase(rng, n, n, true);
  const init = randomInit(rng, n, n, n, 0.05);
  const all = simulate(task, init, { learningRate: 1e-3, steps: 699, record: 1 });
  const one = simulate(task, init, { learningRate: 1e-3, steps: 699, record: [600, 699] });
  assertEquals(all.weights![600], one.weights![0]);
  assertEquals(all.weights![699], one.weights![1]);
});

Deno.test("long gaps between records run as several calls without changing the arithmetic", () => {
  // At 16×16×16 a call takes at most 2²⁴ / (3·16³) = 1365 steps: 5000 steps pass 3 checkpoints.
  const rng = new Random(23);
  const n = 16;
  const task = randomCase(rng, n, n, true);
  const init = randomInit(rng, n, n, n, 0.05);
  const gap = simulate(task, init, { learningRate: 1e-3, steps: 5000, record: [0, 5000] });
  const dense = simulate(task, init, { learningRate: 1e-3, steps: 5000, record: 500 });
  assertEquals(gap.weights![1], dense.weights!.at(-1));
  assertEquals(gap.times, [0, 5]);
});

Deno.test("shallow network: W += η(Σyx − WΣxx), converges, matches the reference", () => {
  const rng = new Random(21);
  const task = randomCase(rng, 4, 3, false);
  const w0 = rng.gaussianMatrix(3, 4);
  const eta = 0.05;
  const traj = simulateShallow(task, w0, { learningRate: eta, steps: 10, record: [10] });
  let w = w0;
  for (let k = 0; k < 10; k++) w = lin(w, eta, lin(task.sigmaYX, -1, mul(w, task.sigmaXX)));
  assertMatrixClose(traj.w[0], w, STEP_TOL, "W after 10 steps");
  assertClose(traj.loss[0], taskLoss(task, w), 1e-13 * task.traceYY!, "loss");
  const long = simulateShallow(task, w0, { learningRate: eta, steps: 2000, record: 500 });
  const noise = 1e-14 * task.traceYY!; // rounding of the loss formula near its minimum
  for (let i = 1; i < long.loss.length; i++) {
    assertOk(long.loss[i] <= long.loss[i - 1] + noise, `shallow loss rose at record ${i}`);
  }
});

Deno.test("bad input: typed errors naming the problem", () => {
  const rng = new Random(22);
  const task = randomCase(rng, 3, 2, true);
  const init = randomInit(rng, 3, 4, 2, 0.1);
  const ok = { learningRate: 0.1, steps: 10 };
  assertThrows(
    () => simulate(task, { w1: init.w1, w2: rng.gaussianMatrix(2, 5) }, ok),
    ShapeError,
    "hidden",
  );
  assertThrows(
    () => simulate(task, { w1: rng.gaussianMatrix(4, 2), w2: init.w2 }, ok),
    ShapeError,
    "Σyx",
  );
  assertThrows(
    () => simulate(task, init, { learningRate: -1, steps: 3 }),
    InputError,
    "learning rate",
  );
  assertThrows(() => simulate(task, init, { learningRate: 0.1, steps: 2.5 }), InputError, "steps");
  assertThrows(
    () => simulate(task, init, { learningRate: 0.1, steps: 9, record: [3, 2] }),
    InputError,
    "increase",
  );
  assertThrows(
    () => simulate(task, init, { learningRate: 0.1, steps: 9, record: [3, 12] }),
    InputError,
    "beyond",
  );
  assertThrows(
    () => simulate(task, init, { learningRate: 0.1, times: [-1] }),
    InputError,
    "time 0",
  );
  assertThrows(
    () => simulate(task, init, { learningRate: 0.1, steps: 3, activation: "tanh" }),
    InputError,
    "no data",
  );
  assertThrows(
    () =>
      simulate(task, init, { ...ok, extraTasks: [{ ...task, name: "a" }, { ...task, name: "a" }] }),
    InputError,
    "named",
  );
});
