/**
 * Properties whose inputs never pass through the library's constructors: tasks, zero-balanced
 * initialisations and whitened data are built by test/independent_problems.ts (Givens
 * rotations with Pythagorean angles, Hadamard inputs, plain loops, its own generator). The other
 * property files build every problem with `randomTask`, `taskFromData` and `zeroBalancedInit`,
 * so a bug in those would be shared by the solver and its check; here it cannot be. The
 * expected values come from the construction's own factors (`Ũ`, `S̃`, `Ṽ` known without an
 * SVD), the gradient-flow reference, or the data.
 *
 * @module
 */
import fc from "fast-check";
import { assertOk, relativeError } from "../assert.ts";
import { Matrix } from "../../src/matrix.ts";
import { conditionNumber } from "../../src/linalg/svd.ts";
import { forgettingTable } from "../../src/exact/continual.ts";
import { integrateGradientFlow } from "../reference/gradient_flow.ts";
import {
  dataLoss,
  type IndependentProblem,
  independentProblem,
  product,
  scaleColumns,
  taskFromHadamardData,
} from "../independent_problems.ts";
import {
  buildTimes,
  initScale,
  MAX_EXTRA_HIDDEN,
  seedArb,
  taskValue,
  timeGridArb,
  type TimeGridSpec,
} from "./arbitraries.ts";
import { EPS, exactTolerance, solveQQt } from "./common.ts";
import { type AnyProperty, property } from "./harness.ts";

/** An independently built problem, as integers (shrinks like `ProblemSpec`). */
export interface IndependentSpec {
  ni: number;
  no: number;
  extraHidden: number;
  /** Task singular-value exponents (`2^(j/4)`), the first `Nm` used. */
  spectrum: number[];
  /** Init singular-value exponents (`scale · 2^(j/4)`), the first `Nm` used. */
  initSpectrum: number[];
  /** Init scale exponent (`10^(k/4)`). */
  scale: number;
  /** Square problems: `B` regular or singular. */
  b: "regular" | "singular";
  seed: number;
}

/** Arbitrary {@link IndependentSpec} (`Ni`, `No` ≤ 4). */
export function independentArb(b: ("regular" | "singular")[] = ["regular"]) {
  const width = fc.integer({ min: 1, max: 4 });
  const exps = fc.array(fc.integer({ min: -4, max: 6 }), { minLength: 4, maxLength: 4 });
  return fc.record({
    ni: width,
    no: width,
    extraHidden: fc.integer({ min: 0, max: MAX_EXTRA_HIDDEN }),
    spectrum: exps,
    initSpectrum: exps,
    scale: fc.integer({ min: -12, max: 4 }),
    b: fc.constantFrom(...b),
    seed: seedArb,
  });
}

/** Builds the problem of a spec (test/independent_problems.ts). */
export function buildIndependent(spec: IndependentSpec): IndependentProblem {
  const nm = Math.min(spec.ni, spec.no);
  return independentProblem({
    ni: spec.ni,
    nh: nm + spec.extraHidden,
    no: spec.no,
    taskValues: spec.spectrum.slice(0, nm).map(taskValue),
    initValues: spec.initSpectrum.slice(0, nm).map((j) => initScale(spec.scale) * taskValue(j)),
    b: spec.b,
    seed: spec.seed,
  });
}

/** `cond(B)`, `B = UᵀŨ + VᵀṼ` from the construction's factors (for tolerances only). */
function conditionOfB(p: IndependentProblem): number {
  const utu = product(p.u, p.ut, true), vtv = product(p.v, p.vt, true);
  return conditionNumber(new Matrix(p.nm, p.nm, utu.data.map((x, i) => x + vtv.data[i])));
}

/** The problem as the flow reference takes it. */
function flowInput(p: IndependentProblem) {
  return {
    sigmaYX: p.task.sigmaYX.toArray(),
    w1: p.init.w1.toArray(),
    w2: p.init.w2.toArray(),
  };
}

/** `[W1ᵀ; W2][W1ᵀ; W2]ᵀ` by plain products. */
function qqtOfWeights(p: IndependentProblem): Matrix {
  const { w1, w2 } = p.init;
  const q = Matrix.fromFunction(
    p.ni + p.no,
    p.nh,
    (i, j) => (i < p.ni ? w1.get(j, i) : w2.get(i - p.ni, j)),
  );
  return product(q, q, false, true);
}

export const independentAtZero = property({
  name: "independent construction: QQᵀ(0) is the plain product of the given weights",
  arb: independentArb(["regular", "singular"]),
  runs: [120, 1500],
  check(spec, be) {
    const p = buildIndependent(spec);
    const { qqt, traj } = solveQQt(be, p, [0]);
    const tol = exactTolerance(traj, conditionOfB(p), p.st[0], 0) + 8 * EPS;
    const e = relativeError(qqt[0], qqtOfWeights(p));
    assertOk(e <= tol, `${traj.method}: QQᵀ(0) off by ${e.toExponential(2)} > ${tol}`);
  },
});

export const independentMatchesReference = property({
  name: "independent construction: auto agrees with the gradient-flow reference",
  arb: fc.record({
    problem: independentArb(["regular", "singular"]),
    grid: timeGridArb(16, 3),
  }),
  runs: [40, 400],
  check({ problem, grid }: { problem: IndependentSpec; grid: TimeGridSpec }, be) {
    const p = buildIndependent(problem);
    const sMax = p.st[0], sMin = p.st[p.nm - 1];
    // Singular B: the flow of f64 inputs leaves the saddle after tens of τ (MATH.md), so the
    // reference is compared only early (t ≤ 1.6/s̃_max); regular B: the whole curve.
    const singular = problem.b === "singular" && p.ni === p.no;
    const times = buildTimes(grid, singular ? 0.1 / sMax : 0.5 / sMin);
    const { qqt, traj } = solveQQt(be, p, times);
    const ref = integrateGradientFlow(flowInput(p), times);
    // As agreement.ts: the trajectory's own sensitivity (≤ ~1e5 ε seen) plus the form's error.
    const tol = 1e-9 + exactTolerance(traj, conditionOfB(p), sMax, Math.max(...times));
    qqt.forEach((q, k) => {
      const e = relativeError(q, Matrix.from(ref[k].qqt));
      assertOk(e <= tol, `${traj.method} t=${times[k]}: vs reference ${e.toExponential(2)}`);
    });
  },
});

export const independentLimit = property({
  name: "independent construction: QQᵀ(t) → [ṼS̃Ṽᵀ, ṼS̃Ũᵀ; ŨS̃Ṽᵀ, ŨS̃Ũᵀ] from the task's own factors",
  arb: independentArb(),
  runs: [120, 1500],
  check(spec, be) {
    const p = buildIndependent(spec);
    const cond = conditionOfB(p);
    // Near-singular B (possible for rectangular draws) delays convergence without bound.
    fc.pre(cond <= 100);
    // From small inits the slowest mode escapes by ~ln(s̃/s)/s̃_min (s ≥ 1e-3·2^-1, ≤ 9/s̃_min)
    // and then decays like e^{−2 s̃_min t}: at 60/s̃_min what is left is e^{−100}.
    const t = 60 / p.st[p.nm - 1];
    const { qqt, traj } = solveQQt(be, p, [t]);
    const z = Matrix.fromFunction(
      p.ni + p.no,
      p.nm,
      (i, j) => (i < p.ni ? p.vt.get(i, j) : p.ut.get(i - p.ni, j)),
    );
    const want = product(scaleColumns(z, p.st), z, false, true);
    const tol = exactTolerance(traj, cond, p.st[0], 0) + 8 * EPS;
    const e = relativeError(qqt[0], want);
    assertOk(e <= tol, `${traj.method}: QQᵀ(${t.toFixed(1)}) vs limit ${e.toExponential(2)}`);
  },
});

export const independentForgetting = property({
  name: "independent construction: the forgetting table equals the losses computed from data",
  arb: fc.record({
    ni: fc.integer({ min: 1, max: 3 }),
    no: fc.integer({ min: 1, max: 3 }),
    count: fc.integer({ min: 2, max: 4 }),
    seed: seedArb,
  }),
  runs: [60, 600],
  check({ ni, no, count, seed }) {
    // Dyadic Σ (multiples of 1/8 in [−2, 2]) and noise amplitudes on Hadamard inputs (P = 8):
    // every loss is exact in f64 on both sides, up to the summation order (1e-14).
    let state = seed >>> 0;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const dyadic = () => Math.round(next() * 32 - 16) / 8;
    const tasks = Array.from({ length: count }, (_, k) =>
      taskFromHadamardData(
        Matrix.fromFunction(no, ni, () => dyadic()),
        8,
        Array.from({ length: no }, () => Math.abs(dyadic())),
        `T${k + 1}`,
      ));
    const table = forgettingTable(tasks);
    tasks.forEach((ti, i) =>
      tasks.forEach((tj, j) => {
        const want = dataLoss(ti, tj.sigmaYX);
        assertOk(
          Math.abs(table[i][j] - want) <= 1e-14 * Math.max(1, want),
          `L${i + 1}(T${j + 1}) = ${table[i][j]}, from the data ${want}`,
        );
      })
    );
  },
});

/** The properties of this file. */
export const independentProperties: AnyProperty[] = [
  independentAtZero,
  independentMatchesReference,
  independentLimit,
  independentForgetting,
];
