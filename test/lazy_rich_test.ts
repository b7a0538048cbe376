/**
 * The lazy/rich measures (src/lazy_rich.ts) against independent computations: the kernel
 * distance's trace identity against the explicit Kronecker NTK built here with loops, the
 * task-specificity against the task RSM built from known factors, the layer singular values
 * against the exactly known values of constructed λ-balanced weights, on GD and exact states.
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { ShapeError } from "../src/errors.ts";
import {
  cosineSimilarity,
  kernelDistance,
  kernelDistanceOverTime,
  layerSingularValues,
  ntkInner,
  taskSpecificity,
} from "../src/lazy_rich.ts";
import { simulate } from "../src/train/simulate.ts";
import type { QQtBlocks } from "../src/trajectory.ts";
import { assertClose, assertOk, assertThrows } from "./assert.ts";
import { seed } from "./budget.ts";
import { randomLambdaProblem } from "./lambda_problems.ts";

function mul(a: Matrix, b: Matrix): Matrix {
  return Matrix.fromFunction(a.rows, b.cols, (i, j) => {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
    return s;
  });
}

function blocksOf(w1: Matrix, w2: Matrix): QQtBlocks {
  return { w1tw1: mul(w1.transpose(), w1), w2w1: mul(w2, w1), w2w2t: mul(w2, w2.transpose()) };
}

/** The explicit NTK `I ⊗ XᵀW1ᵀW1X + W2W2ᵀ ⊗ XᵀX`, entry by entry (output index major). */
function explicitNtk(w1: Matrix, w2: Matrix, x: Matrix): number[][] {
  const h = mul(w1, x), no = w2.rows, p = x.cols;
  const k: number[][] = Array.from({ length: no * p }, () => Array(no * p).fill(0));
  for (let a = 0; a < no; a++) {
    for (let b = 0; b < no; b++) {
      let n = 0;
      for (let j = 0; j < w2.cols; j++) n += w2.get(a, j) * w2.get(b, j);
      for (let m = 0; m < p; m++) {
        for (let q = 0; q < p; q++) {
          let hh = 0, xx = 0;
          for (let j = 0; j < h.rows; j++) hh += h.get(j, m) * h.get(j, q);
          for (let i = 0; i < x.rows; i++) xx += x.get(i, m) * x.get(i, q);
          k[a * p + m][b * p + q] = (a === b ? hh : 0) + n * xx;
        }
      }
    }
  }
  return k;
}

function inner(a: number[][], b: number[][]): number {
  let s = 0;
  a.forEach((row, i) => row.forEach((v, j) => (s += v * b[i][j])));
  return s;
}

Deno.test("NTK inner product by trace identity equals the explicit Kronecker form", () => {
  const rng = new Random(seed + 120);
  for (const [ni, nh, no, p] of [[2, 3, 4, 5], [5, 2, 3, 4], [3, 3, 3, 2], [1, 1, 1, 1]]) {
    const a = { w1: rng.gaussianMatrix(nh, ni), w2: rng.gaussianMatrix(no, nh) };
    const b = { w1: rng.gaussianMatrix(nh, ni, 0.3), w2: rng.gaussianMatrix(no, nh, 2) };
    const x = rng.gaussianMatrix(ni, p); // not whitened, P ≠ Ni
    const ka = explicitNtk(a.w1, a.w2, x), kb = explicitNtk(b.w1, b.w2, x);
    const got = ntkInner(blocksOf(a.w1, a.w2), blocksOf(b.w1, b.w2), x);
    const want = inner(ka, kb);
    // Both sums are of O(No²P²) products of similar magnitude: agreement to ~1e-15·terms.
    assertClose(got, want, 1e-12 * Math.abs(want), `${ni}-${nh}-${no}, P=${p}`);
    const d = kernelDistance(blocksOf(a.w1, a.w2), blocksOf(b.w1, b.w2), x);
    const dWant = 1 - want / Math.sqrt(inner(ka, ka) * inner(kb, kb));
    assertClose(d, dWant, 1e-12, "kernel distance");
  }
});

Deno.test("kernel distance: whitened inputs need no X, scale-free, 0 on itself, in [0, 1]", () => {
  const rng = new Random(seed + 121);
  const ni = 3, p = 6;
  // X with XXᵀ = P·I: the first Ni rows of a scaled P×P orthogonal matrix.
  const x = rng.orthonormal(p, ni).transpose();
  const xw = new Matrix(ni, p, x.data.map((v) => v * Math.sqrt(p)));
  const s0 = blocksOf(rng.gaussianMatrix(4, ni), rng.gaussianMatrix(2, 4));
  const s1 = blocksOf(rng.gaussianMatrix(4, ni), rng.gaussianMatrix(2, 4));
  const d = kernelDistance(s0, s1);
  assertClose(d, kernelDistance(s0, s1, xw), 1e-14, "whitened X vs none");
  assertOk(d > 0 && d <= 1, `distance ${d} in (0, 1]`);
  assertClose(kernelDistance(s0, s0), 0, 1e-15, "distance to itself");
  const scaled = { w1tw1: s0.w1tw1, w2w1: s0.w2w1, w2w2t: s0.w2w2t };
  for (const m of [scaled.w1tw1, scaled.w2w2t]) m.data.forEach((v, i) => (m.data[i] = 3 * v));
  assertClose(kernelDistance(s0, scaled), 0, 1e-15, "a positive multiple of K0");
  // Bad input: X with the wrong number of rows, states of different networks.
  assertThrows(() => ntkInner(s0, s1, Matrix.identity(ni + 1)), ShapeError, "expected 3 (Ni)");
  const other = blocksOf(rng.gaussianMatrix(4, ni), rng.gaussianMatrix(3, 4));
  assertThrows(() => kernelDistance(s0, other), ShapeError, "cannot be compared");
  assertThrows(() => cosineSimilarity(s0.w1tw1, other.w2w2t.slice(0, 2, 0, 2)), ShapeError);
});

Deno.test("kernel distance over a GD trajectory: 0 at t = 0, grows; lazy at large λ", () => {
  const rng = new Random(seed + 122);
  const distances = [0, 8].map((lambda) => {
    const p = randomLambdaProblem(rng, {
      ni: 3,
      nh: 3,
      no: 3,
      lambda,
      scale: 0.05,
      singularValues: [3, 1, 0.2],
    });
    const task = { sigmaYX: p.task.sigmaYX, sigmaXX: Matrix.identity(3) };
    const traj = simulate(task, { w1: p.inputs.w1, w2: p.inputs.w2 }, {
      learningRate: 0.01,
      times: [0, 1, 10],
    });
    const d = kernelDistanceOverTime(traj);
    traj.states.forEach((s, i) => assertClose(d[i], kernelDistance(traj.states[0], s), 1e-15));
    // Over more states than one arena batch (256), and on data X: the same numbers, state by
    // state (same products, same formula), bit for bit.
    const long = simulate(task, { w1: p.inputs.w1, w2: p.inputs.w2 }, {
      learningRate: 0.01,
      times: Array.from({ length: 600 }, (_, k) => k / 60),
    });
    const x = Matrix.fromFunction(3, 4, (i, j) => Math.cos(i + 2 * j));
    const dl = kernelDistanceOverTime(long, x);
    long.states.forEach((s, i) => {
      const one = kernelDistance(long.states[0], s, x);
      assertOk(Object.is(dl[i], one), `state ${i}: ${dl[i]} ≠ ${one}`);
    });
    return d;
  });
  assertClose(distances[0][0], 0, 1e-15, "t = 0");
  // Rich (λ = 0, small init): the kernel turns from the init's spectrum to the task's (measured
  // 0.14 at t = 10τ); lazy (λ = 8): the kernel is dominated by its λI blocks and barely moves
  // (measured 2.5e-3).
  assertOk(distances[0][2] > 0.1, `rich distance ${distances[0][2]}`);
  assertOk(distances[1][2] < 0.01, `lazy distance ${distances[1][2]}`);
  assertThrows(
    () => kernelDistanceOverTime({ method: "x", tau: 1, times: [], states: [], loss: [] }),
    ShapeError,
    "empty",
  );
});

Deno.test("task-specificity is the cosine of W1ᵀW1 with ṼS̃Ṽᵀ built from known factors", () => {
  const rng = new Random(seed + 123);
  for (const [ni, no] of [[3, 3], [2, 4], [4, 2]]) {
    const p = randomLambdaProblem(rng, { ni, nh: Math.min(ni, no), no, lambda: 0, scale: 1 });
    const target = Matrix.fromFunction(ni, ni, (i, j) => {
      let s = 0;
      for (let k = 0; k < p.st.length; k++) {
        s += p.vt.get(i, k) * p.st[k] * p.vt.get(j, k);
      }
      return s;
    });
    const state = blocksOf(p.inputs.w1, p.inputs.w2);
    const want = cosineSimilarity(state.w1tw1, target);
    assertClose(taskSpecificity(state, p.task.sigmaYX), want, 1e-13, `${ni}×${no}`);
    // The rich limit (λ = 0): W1ᵀW1 = ṼS̃Ṽᵀ exactly, specificity 1.
    const rich = { ...state, w1tw1: target };
    assertClose(taskSpecificity(rich, p.task.sigmaYX), 1, 1e-14, "rich limit");
    // A task-agnostic representation W1ᵀW1 = I: Σs̃ / (√Ni ‖s̃‖).
    const norm = Math.hypot(...p.st), sum = p.st.reduce((a, b) => a + b, 0);
    const agnostic = { ...state, w1tw1: Matrix.identity(ni) };
    assertClose(taskSpecificity(agnostic, p.task.sigmaYX), sum / (Math.sqrt(ni) * norm), 1e-14);
  }
  const state = blocksOf(Matrix.identity(2), Matrix.identity(2));
  assertThrows(() => taskSpecificity(state, Matrix.identity(3)), ShapeError, "No×Ni");
});

Deno.test("layer singular values from QQᵀ blocks equal the known ones of λ-balanced weights", () => {
  const rng = new Random(seed + 124);
  const cases: [number, number, number, number][] = [
    [3, 3, 3, 2],
    [3, 3, 3, -0.7],
    [2, 4, 5, 1.5], // λ > 0, Nh > Nm: two units with √λ in W2
    [5, 3, 2, -4], // λ < 0, Nh > Nm: one unit with √−λ in W1
    [4, 2, 2, 0],
  ];
  for (const [ni, nh, no, lambda] of cases) {
    const p = randomLambdaProblem(rng, { ni, nh, no, lambda, scale: 0.8 });
    const got = layerSingularValues(blocksOf(p.inputs.w1, p.inputs.w2));
    // Known singular values by hidden unit, descending, cut or zero-padded to Ni (resp. No).
    const known = (xs: number[], n: number) =>
      [...xs, ...Array(n).fill(0)].sort((a, b) => b - a).slice(0, n);
    const big = Math.max(...p.s1, ...p.s2);
    // Each σ² is an eigenvalue accurate to ~n·ε·σ_max²; a true zero comes out as ≤ √(nε)·σ_max.
    known(p.s1, ni).forEach((s, i) =>
      assertClose(got.w1[i], s, s > 0 ? 1e-13 * big * big / s : 1e-7 * big, `σ1[${i}]`)
    );
    known(p.s2, no).forEach((s, i) =>
      assertClose(got.w2[i], s, s > 0 ? 1e-13 * big * big / s : 1e-7 * big, `σ2[${i}]`)
    );
  }
});
