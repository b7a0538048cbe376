/**
 * The paper's applications and closed forms: continual-learning forgetting equals the table
 * predicted before training; Theorem 5.1 (aligned init) and its explicit 2×2 form equal
 * Theorem 3.1; Eq. 15 and `t_peak` against the exact 2×2 solution in the regime where they
 * hold, with the regime stated as a bound derived here:
 *
 * Eq. 15 (`s1 = s2 = s`). With `e = e^{−st/τ}`, `g = (1 − e²)/s`, `δ = a1a2 − b²`, the exact
 * `a1(t) = (a1 + x)/(D + g x)` where `D = e²(1 − σ) + σ`, `σ = (a1 + a2)/s`, `x = gδ/e²`, and
 * Eq. 15 is `a1/D`. Their difference is `x (e² + a2 g)/(D (D + g x))`, hence
 *
 *   0 ≤ a1(t) − eq15(t) ≤ eq15(t) · ρ(t),   ρ(t) = δ (e^{2st/τ} − 1) / (s a1(0)):
 *
 * Eq. 15 holds while `t ≪ (τ/2s) ln(s a1(0)/δ)`, and is exact only for `δ = 0`.
 *
 * `t_peak`: `|b(t)|` is unimodal with its maximum at `tPeakExact = (τ/4s) ln((s(s − a1 − a2) +
 * δ)/δ)` when `a1 + a2 < s`; the paper's value drops `+δ`, so it is early by
 * `(τ/4s) ln(1 + δ/(s(s − a1 − a2))) ≤ (τ/4s) δ/(s(s − a1 − a2))`.
 *
 * @module
 */
import fc from "fast-check";
import { assertOk, relativeError } from "../assert.ts";
import { Matrix } from "../../src/matrix.ts";
import { matmul } from "../../src/linalg/blas.ts";
import { overlapB } from "../../src/init/zero_balanced.ts";
import { a0FromGram, taskAlignedInit } from "../../src/init/aligned.ts";
import { taskFromCorrelation } from "../../src/tasks/whiten.ts";
import { continualLearning } from "../../src/exact/continual.ts";
import {
  aligned2x2,
  alignedSolution,
  eq15A1,
  tPeakExact,
  tPeakPaper,
} from "../../src/exact/aligned.ts";
import { conditionNumber, svd } from "../../src/linalg/svd.ts";
import {
  alignedArb,
  buildAligned,
  buildGram2,
  buildSequence,
  buildTimes,
  gram2Arb,
  sequenceArb,
  taskRange,
  taskValue,
  timeGridArb,
} from "./arbitraries.ts";
import { EPS, solveQQt } from "./common.ts";
import { type AnyBackend, type AnyProperty, property } from "./harness.ts";

export const forgetting = property({
  name: "continual learning: the losses after each task equal the forgetting table",
  arb: sequenceArb(),
  runs: [36, 300],
  check(spec, be) {
    const { tasks, init } = buildSequence(spec);
    // Each stage starts from (about) the previous task's Σ: its B must be regular, or the flow
    // stalls at a saddle where the table does not apply (that case is reversal learning).
    const conds = tasks.slice(1).map((t, j) =>
      conditionNumber(overlapB(tasks[j].sigmaYX, t.sigmaYX))
    );
    fc.pre(conds.every((c) => c <= 1e3));
    // A stage converges after its slowest mode's escape (≲ ln(1e6)/s̃_min) and 60/s̃_min more.
    const durations = tasks.map((t) => {
      const s = svd(t.sigmaYX).s;
      return (60 + Math.log(1e6)) / s[s.length - 1];
    });
    const r = continualLearning(be, tasks, init, durations, 2);
    const names = Object.keys(r.trajectory.extraLosses!);
    // Stage j's end is record 2j + 1. Its W2W1 is Σj up to the stage's relative error (≤ 1e3
    // cond(B)² ε, B of the stage), and Li(W) − Li(Σj) = ⟨Σj − Σi, W − Σj⟩ + ½‖W − Σj‖².
    const rel = 1e3 * EPS * Math.max(1e4, ...conds.map((c) => c * c));
    tasks.forEach((_, j) => {
      const w = r.trajectory.states[2 * j + 1].w2w1;
      names.forEach((name, i) => {
        const got = r.trajectory.extraLosses![name][2 * j + 1], want = r.forgetting[i][j];
        const size = w.normFrobenius() + tasks[i].sigmaYX.normFrobenius();
        const slack = rel * size * size + 8 * EPS * Math.abs(want);
        assertOk(
          Math.abs(got - want) <= slack,
          `loss on ${name} after task ${j + 1}: ${got} vs table ${want} (slack ${slack})`,
        );
      });
    });
  },
});

export const alignedMatchesStable = property({
  name: "Theorem 5.1 (aligned init) equals Theorem 3.1",
  arb: fc.record({ problem: alignedArb(), grid: timeGridArb(20, 4) }),
  runs: [120, 1500],
  check({ problem, grid }, be) {
    const p = buildAligned(problem);
    const times = buildTimes(grid, 0.5 / taskRange(p).min);
    const a = solveQQt(be, p, times, { method: "aligned" }).qqt;
    const b = solveQQt(be, p, times, { method: "stable" });
    // Aligned: B = 2Oᵀ (O orthogonal), cond(B) = 1; both forms are then accurate to ~1e3 ε
    // relative, plus cond(A0ᵀA0)·ε from Theorem 5.1's (A0ᵀA0)⁻¹.
    const gram = matmul(p.init.w1, p.init.w1, { transA: true });
    const tol = 1e3 * EPS * (1 + conditionNumber(gram));
    times.forEach((t, k) => {
      const e = relativeError(a[k], b.qqt[k]);
      assertOk(e <= tol, `t=${t}: Theorem 5.1 vs 3.1 ${e.toExponential(2)} > ${tol}`);
    });
  },
});

/**
 * `AᵀA(t)` of Theorem 5.1 in `be` for the 2×2 task `diag(s1, s2)` and `A0ᵀA0 = [[a1,b],[b,a2]]`.
 * `taskAlignedInit` and `alignedSolution` both take `Ũ`, `Ṽ` from the same SVD of `Σyx`, so
 * `A0 = W1Ṽ` is the given factor and `AᵀA(t)` is in that SVD's order: singular values
 * descending, returned as `st`.
 */
function ataMatrix(
  be: AnyBackend,
  g: { a1: number; a2: number; b: number },
  s1: number,
  s2: number,
) {
  const task = taskFromCorrelation(Matrix.diag([s1, s2]));
  const init = taskAlignedInit(task, a0FromGram(Matrix.from([[g.a1, g.b], [g.b, g.a2]])));
  const st = svd(task.sigmaYX).s;
  return {
    st,
    at: (t: number) =>
      be.scoped(() => be.toMatrix(alignedSolution(be, { ...task, ...init }).ata(t))),
  };
}

export const explicit2x2 = property({
  name: "the explicit 2×2 solution equals Theorem 5.1's matrix form",
  arb: fc.record({
    gram: gram2Arb([-16, 4]),
    s2: fc.integer({ min: -4, max: 6 }),
    tick: fc.integer({ min: 0, max: 20 }),
  }),
  runs: [180, 2000],
  check({ gram, s2: j2, tick }, be) {
    const g = buildGram2(gram), s2 = taskValue(j2);
    const t = tick * 0.5 / Math.min(g.s, s2);
    const { st, at } = ataMatrix(be, g, g.s, s2);
    const m = at(t);
    const x = aligned2x2(g, st[0], st[1], t);
    const want = Matrix.from([[x.a1, x.b], [x.b, x.a2]]);
    const gm = Matrix.from([[g.a1, g.b], [g.b, g.a2]]);
    const tol = 1e3 * EPS * (1 + conditionNumber(gm));
    const e = relativeError(m, want);
    assertOk(e <= tol, `t=${t}: aligned2x2 vs Theorem 5.1 ${e.toExponential(2)} > ${tol}`);
  },
});

export const eq15Regime = property({
  name: "Eq. 15 against the exact 2×2 solution: 0 ≤ a1(t) − eq15 ≤ eq15·δ(e^{2st}−1)/(s a1)",
  arb: fc.record({ gram: gram2Arb(), tick: fc.integer({ min: 0, max: 40 }) }),
  runs: [180, 2000],
  check({ gram, tick }, be) {
    const g = buildGram2(gram);
    const s = g.s, t = tick * 0.25 / s;
    const m = ataMatrix(be, g, s, s).at(t);
    const exact = m.get(0, 0), approx = eq15A1(g, s, t);
    const delta = g.a1 * g.a2 - g.b * g.b;
    const rho = (delta * Math.expm1(2 * s * t)) / (s * g.a1);
    const round = 1e3 * EPS * (1 + Math.abs(exact)) * (g.a1 + g.a2) / delta;
    assertOk(exact - approx >= -round, `a1(t) = ${exact} < Eq. 15 ${approx} at t = ${t}`);
    assertOk(
      exact - approx <= approx * rho + round,
      `t=${t}: a1 = ${exact}, Eq. 15 = ${approx}, beyond the bound ρ = ${rho}`,
    );
  },
});

export const tPeakRegime = property({
  name:
    "t_peak: argmax |b(t)| of the exact 2×2 solution; the paper's value within (τ/4s)δ/(s(s−a1−a2))",
  arb: gram2Arb([-16, -4]),
  runs: [90, 800],
  check(gram, be) {
    const g = buildGram2(gram);
    const s = g.s;
    fc.pre(g.a1 + g.a2 < s && g.b !== 0);
    const { at } = ataMatrix(be, g, s, s);
    const b = (t: number) => Math.abs(at(t).get(0, 1));
    const exact = tPeakExact(g, s);
    // Golden-section search for the maximum of the unimodal |b(t)| on [0, 2·exact + 4/s].
    let lo = 0, hi = 2 * exact + 4 / s;
    const phi = (Math.sqrt(5) - 1) / 2;
    for (let k = 0; k < 120 && hi - lo > 1e-12 * (1 + exact); k++) {
      const m1 = hi - phi * (hi - lo), m2 = lo + phi * (hi - lo);
      if (b(m1) < b(m2)) lo = m1;
      else hi = m2;
    }
    const found = (lo + hi) / 2;
    // Near a smooth maximum |b| varies by O(Δt²): rounding ε·|b| hides Δt up to √ε·(time
    // scale 1/s) ≈ 1.5e-8/s; 1e-6 (1/s + t) is safely above it.
    const tolT = 1e-6 * (1 / s + exact);
    assertOk(Math.abs(found - exact) <= tolT, `argmax |b| = ${found}, tPeakExact = ${exact}`);
    const delta = g.a1 * g.a2 - g.b * g.b;
    const paper = tPeakPaper(g, s);
    const bound = delta / (4 * s * s * (s - g.a1 - g.a2));
    assertOk(
      paper <= exact + tolT && exact - paper <= bound + tolT,
      `paper t_peak ${paper} vs exact ${exact}: gap ${exact - paper} > bound ${bound}`,
    );
  },
});

/** The properties of this file. */
export const applicationProperties: AnyProperty[] = [
  forgetting,
  alignedMatchesStable,
  explicit2x2,
  eq15Regime,
  tPeakRegime,
];
