/**
 * Convergence (Theorem 3.2): with `B` non-singular, the exact solution at large `t`, its
 * `t = ∞` limit and gradient descent run long enough all reach `W2W1 = Σyx = ŨS̃Ṽᵀ`, with the
 * rich representation `W1ᵀW1 = ṼS̃Ṽᵀ`, `W2W2ᵀ = ŨS̃Ũᵀ`. The limit is checked against
 * SVD-free characterisations: `ṼS̃Ṽᵀ` is the PSD square root of `ΣyxᵀΣyx` (so its square is
 * `ΣyxᵀΣyx` and it is PSD), likewise `ŨS̃Ũᵀ` of `ΣyxΣyxᵀ`.
 *
 * @module
 */
import fc from "fast-check";
import { assertOk, relativeError } from "../assert.ts";
import { limitQQt } from "../../src/exact/limit.ts";
import { matmul } from "../../src/linalg/blas.ts";
import { simulate } from "../../src/train/simulate.ts";
import { buildProblem, conditionOfB, problemArb, taskRange } from "./arbitraries.ts";
import {
  blocksOf,
  eigenvalues,
  EPS,
  exactTolerance,
  scaledDistance,
  solveQQt,
  square,
} from "./common.ts";
import { type AnyProperty, property } from "./harness.ts";

export const limitBlocks = property({
  name: "Theorem 3.2 at t = ∞: W2W1 = Σyx, W1ᵀW1 = ṼS̃Ṽᵀ, W2W2ᵀ = ŨS̃Ũᵀ",
  arb: problemArb(),
  runs: [300, 3000],
  check(spec, be) {
    const p = buildProblem(spec);
    const lim = blocksOf(
      limitQQt(be, { ...p.task, w1: p.init.w1, w2: p.init.w2 }),
      p.ni,
    );
    const sigma = p.task.sigmaYX, s2 = sigma.normFrobenius() ** 2;
    // The limit is [Ṽ;Ũ]S̃[Ṽ;Ũ]ᵀ from an f64 SVD of Σyx: entries exact to ~10 n ε relative.
    const tol = 100 * (p.ni + p.no) * EPS;
    const e = relativeError(lim.w2w1, sigma);
    assertOk(e <= tol, `W2W1(∞) vs Σyx: ${e.toExponential(2)}`);
    const e1 = scaledDistance(square(lim.w1tw1), matmul(sigma, sigma, { transA: true }), s2);
    const e2 = scaledDistance(square(lim.w2w2t), matmul(sigma, sigma, { transB: true }), s2);
    assertOk(e1 <= 2 * tol, `(W1ᵀW1)² vs ΣᵀΣ: ${e1.toExponential(2)}`);
    assertOk(e2 <= 2 * tol, `(W2W2ᵀ)² vs ΣΣᵀ: ${e2.toExponential(2)}`);
    for (const [name, m] of [["W1ᵀW1", lim.w1tw1], ["W2W2ᵀ", lim.w2w2t]] as const) {
      const ev = eigenvalues(m);
      assertOk(ev[0] >= -tol * ev[ev.length - 1], `${name}(∞) not PSD: ${ev[0]}`);
    }
  },
});

export const exactReachesLimit = property({
  name: "the exact solution at large t equals its t = ∞ limit",
  arb: fc.record({ problem: problemArb(), horizon: fc.integer({ min: 0, max: 3 }) }),
  runs: [300, 3000],
  check({ problem, horizon }, be) {
    const p = buildProblem(problem);
    const { min, max } = taskRange(p);
    // Learning from scale ≥ 1e-3 takes ≲ ln(s̃/1e-3)/s̃_min; after 100/s̃_min every decaying
    // term is below e^{−100}·poly(t): only rounding remains. Also far beyond (1e6).
    const t = [100 / min, 1e3 / min, 1e4 / min, 1e6][horizon];
    const { qqt, traj } = solveQQt(be, p, [t]);
    const lim = limitQQt(be, { ...p.task, w1: p.init.w1, w2: p.init.w2 });
    const tol = exactTolerance(traj, conditionOfB(p), max, t);
    const e = relativeError(qqt[0], lim);
    assertOk(e <= tol, `QQᵀ(${t}) vs QQᵀ(∞): ${e.toExponential(2)} > ${tol}`);
    assertOk(relativeError(blocksOf(qqt[0], p.ni).w2w1, p.task.sigmaYX) <= tol, "W2W1 ≠ Σyx");
  },
});

export const gdReachesTask = property({
  name: "gradient descent run long enough reaches W2W1 = Σyx",
  arb: problemArb({ scale: [-8, 0], maxWidth: 4 }),
  runs: [75, 600],
  check(spec) {
    const p = buildProblem(spec);
    const { min, max } = taskRange(p);
    // Stable step: the Hessian's largest eigenvalue at the minimum is ≤ 2 s̃_max (+ the init's
    // scale ≤ 1), so η = 0.2/(s̃_max + 1) is far inside 2/λ. The slowest mode contracts by
    // (1 − 2η s̃_min) per step; 60/(η s̃_min) steps after the escape leave e^{−120}.
    const eta = 0.2 / (max + 1);
    const steps = Math.ceil((60 + Math.log(1e4)) / (eta * min));
    const g = simulate(p.task, p.init, { learningRate: eta, steps, record: steps });
    const last = g.states[g.states.length - 1];
    const e = relativeError(last.w2w1, p.task.sigmaYX);
    // At the fixed point only rounding of one step remains: ~ η·n·ε relative, times 1/(η s̃_min).
    const tol = 100 * (p.ni + p.no) * EPS * (max / min);
    assertOk(e <= tol, `W2W1 after ${steps} steps of η=${eta}: ${e.toExponential(2)} > ${tol}`);
  },
});

/** The properties of this file. */
export const convergenceProperties: AnyProperty[] = [limitBlocks, exactReachesLimit, gdReachesTask];
