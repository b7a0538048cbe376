/**
 * Properties of `QQᵀ(t)` itself: it starts at the initial weights, stays a symmetric positive
 * semi-definite matrix of rank ≤ `Nm` (≤ `Nh`), keeps the zero-balanced structure, the loss
 * never increases, and a rotation of the hidden layer changes nothing.
 *
 * @module
 */
import fc from "fast-check";
import { assertOk, relativeError } from "../assert.ts";
import { weightBlocks } from "../../src/init/weights.ts";
import { joinQQt } from "../../src/exact/solution.ts";
import { matmul, sub } from "../../src/linalg/blas.ts";
import { simulate } from "../../src/train/simulate.ts";
import {
  buildProblem,
  buildTimes,
  conditionOfB,
  type Problem,
  problemArb,
  rotation,
  seedArb,
  taskRange,
  timeGridArb,
} from "./arbitraries.ts";
import { asymmetry, eigenvalues, EPS, exactTolerance, solveQQt } from "./common.ts";
import { type AnyBackend, type AnyProperty, property } from "./harness.ts";

/**
 * Times for a problem: ticks of the grid × a step chosen from the task's spectrum so that the
 * grid spans the whole learning curve (`≤ 20/s̃_min`) for regular `B`, and the range where the
 * B-free form keeps ≥ 9 digits in f64 (`≤ 4/s̃_max`, growth `e^{8}`) for singular `B`.
 */
export function timesFor(p: Problem, ticks: { ticks: number[] }): number[] {
  const { max, min } = taskRange(p);
  return buildTimes(ticks, p.spec.b === "singular" ? 0.1 / max : 0.5 / min);
}

/** Solves a problem on a grid and returns everything the properties need. */
function solveOnGrid(be: AnyBackend, p: Problem, times: number[]) {
  const { qqt, traj } = solveQQt(be, p, times);
  const tol = exactTolerance(traj, conditionOfB(p), taskRange(p).max, Math.max(...times));
  return { qqt, traj, tol };
}

const bothB = problemArb({ b: ["regular", "singular"] });

export const qqtAtZero = property({
  name: "QQᵀ(0) reproduces the initial weights",
  arb: bothB,
  runs: [180, 2000],
  check(spec, be) {
    const p = buildProblem(spec);
    const { qqt, tol } = solveOnGrid(be, p, [0]);
    const e = relativeError(qqt[0], joinQQt(weightBlocks(p.init)));
    assertOk(e <= tol, `QQᵀ(0) differs from the init's by ${e.toExponential(2)} > ${tol}`);
  },
});

export const psdLowRank = property({
  name: "QQᵀ(t) is symmetric positive semi-definite with rank ≤ Nm ≤ Nh",
  arb: fc.record({ problem: bothB, grid: timeGridArb() }),
  runs: [120, 1500],
  check({ problem, grid }, be) {
    const p = buildProblem(problem);
    const times = timesFor(p, grid);
    const { qqt, tol } = solveOnGrid(be, p, times);
    const n = p.ni + p.no;
    qqt.forEach((q, k) => {
      const asym = asymmetry(q);
      assertOk(asym <= tol, `t=${times[k]}: asymmetry ${asym.toExponential(2)} > ${tol}`);
      // Eigenvalues of the symmetrised matrix move by at most its error (≤ tol·‖QQᵀ‖, Weyl).
      const ev = eigenvalues(q), top = Math.max(Math.abs(ev[n - 1]), Math.abs(ev[0]));
      const slack = (tol + n * EPS) * top;
      assertOk(ev[0] >= -slack, `t=${times[k]}: eigenvalue ${ev[0]} < −${slack}`);
      for (let i = 0; i < n - p.nm; i++) {
        assertOk(
          Math.abs(ev[i]) <= slack,
          `t=${times[k]}: eigenvalue ${i} = ${ev[i]} beyond rank Nm = ${p.nm} (slack ${slack})`,
        );
      }
      assertOk(p.nm <= p.nh);
    });
  },
});

export const zeroBalancedStructure = property({
  name:
    "zero-balanced structure along the solution: (W2W1)ᵀW2W1 = (W1ᵀW1)², W2W1(W2W1)ᵀ = (W2W2ᵀ)²",
  arb: fc.record({ problem: bothB, grid: timeGridArb() }),
  runs: [120, 1500],
  check({ problem, grid }, be) {
    const p = buildProblem(problem);
    const times = timesFor(p, grid);
    const { traj, tol } = solveOnGrid(be, p, times);
    traj.states.forEach((s, k) => {
      // Each block carries an error ≤ tol·‖QQᵀ‖; a product of two blocks ≤ 2·tol·‖QQᵀ‖².
      const scale = joinQQt(s).normFrobenius() ** 2;
      const left = sub(matmul(s.w2w1, s.w2w1, { transA: true }), matmul(s.w1tw1, s.w1tw1));
      const right = sub(matmul(s.w2w1, s.w2w1, { transB: true }), matmul(s.w2w2t, s.w2w2t));
      const el = left.normFrobenius() / scale, er = right.normFrobenius() / scale;
      assertOk(el <= 4 * tol, `t=${times[k]}: (W2W1)ᵀW2W1 − (W1ᵀW1)² = ${el.toExponential(2)}`);
      assertOk(er <= 4 * tol, `t=${times[k]}: W2W1(W2W1)ᵀ − (W2W2ᵀ)² = ${er.toExponential(2)}`);
    });
  },
});

export const lossNonIncreasing = property({
  name: "the loss is non-increasing along the exact solution",
  arb: fc.record({ problem: bothB, grid: timeGridArb(40, 8) }),
  runs: [120, 1500],
  check({ problem, grid }, be) {
    const p = buildProblem(problem);
    const times = timesFor(p, grid);
    const { qqt, traj, tol } = solveOnGrid(be, p, times);
    const sigma = p.task.sigmaYX.normFrobenius();
    for (let k = 1; k < times.length; k++) {
      // L = ½‖W2W1 − Σ‖² + c: an error δ (≤ tol·‖QQᵀ‖) in W2W1 moves L by ≤ ‖W2W1 − Σ‖δ + δ²/2.
      const size = sigma + qqt[k].normFrobenius() + qqt[k - 1].normFrobenius();
      const slack = 2 * tol * size * size + 8 * EPS * (Math.abs(traj.loss[k - 1]) + size ** 2);
      assertOk(
        traj.loss[k] <= traj.loss[k - 1] + slack,
        `loss rises from ${traj.loss[k - 1]} at t=${times[k - 1]} to ${traj.loss[k]} at ` +
          `t=${times[k]} (slack ${slack.toExponential(2)})`,
      );
    }
  },
});

export const hiddenRotation = property({
  name: "invariance under a hidden-layer rotation W1 → RW1, W2 → W2Rᵀ (exact and GD)",
  arb: fc.record({
    problem: problemArb({ scale: [-8, 0] }),
    grid: timeGridArb(10, 3),
    rotation: seedArb,
  }),
  runs: [90, 1000],
  check({ problem, grid, rotation: rseed }, be) {
    const p = buildProblem(problem);
    const r = rotation(rseed, p.nh);
    const rotated = {
      ...p,
      init: { w1: matmul(r, p.init.w1), w2: matmul(p.init.w2, r, { transB: true }) },
    };
    const times = buildTimes(grid, 0.5 / taskRange(p).max);
    const a = solveOnGrid(be, p, times), b = solveQQt(be, rotated, times).qqt;
    a.qqt.forEach((q, k) => {
      const e = relativeError(b[k], q);
      assertOk(e <= 2 * a.tol, `exact, t=${times[k]}: rotated differs by ${e.toExponential(2)}`);
    });
    // GD: the update commutes with the rotation, so the two runs differ by rounding only;
    // ≤ 250 steps of O(ε) relative rounding each, amplified at most e^{s̃_max t} ≤ e^5: 1e-10.
    const opts = { learningRate: 0.02, times };
    const g = simulate(p.task, p.init, opts), h = simulate(p.task, rotated.init, opts);
    g.states.forEach((s, k) => {
      const e = relativeError(joinQQt(h.states[k]), joinQQt(s));
      assertOk(e <= 1e-10, `GD, t=${times[k]}: rotated differs by ${e.toExponential(2)}`);
    });
  },
});

/** The properties of this file. */
export const structureProperties: AnyProperty[] = [
  qqtAtZero,
  psdLowRank,
  zeroBalancedStructure,
  lossNonIncreasing,
  hiddenRotation,
];
