/**
 * Exact aligned dynamics at depth L (src/exact/deep_modes.ts, src/exact/deep_aligned.ts):
 * against an independent gradient-flow integration (test/reference/deep_flow.ts) at L = 3, 4,
 * 6 (rectangular, τ ≠ 1, hidden widths above Nm with random rotations); against decimal.js at
 * 32 digits (the same formula in higher precision); L = 2 against the logistic of MATH.md and
 * Theorem 5.1; the time-to-learn closed form and its small-init asymptote as claims;
 * degenerate modes and bad input.
 */
import { assertOk, assertThrows, relativeError } from "./assert.ts";
import { deep } from "./budget.ts";
import { integrateDeepFlow } from "./reference/deep_flow.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import {
  decimalReal,
  f64Real,
  modeErrorEstimate,
  modeStrength,
  modeTime,
  timeToLearn,
  timeToLearnAsymptote,
} from "../src/exact/deep_modes.ts";
import { deepAlignedSolution, solveDeepAligned } from "../src/exact/deep_aligned.ts";
import { alignedBalancedInit, balancedInit, gaussianDeepInit } from "../src/init/deep.ts";
import { alignedSolution } from "../src/exact/aligned.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { AssumptionError, InputError } from "../src/errors.ts";
import { matmul } from "../src/linalg/blas.ts";

Deno.test("aligned exact solution matches gradient flow to ≤ 1e-10 at L = 3, 4, 6", () => {
  const rng = new Random(21);
  const shapes = [
    { depth: 3, ni: 3, no: 2, hidden: [3, 4], tau: 1.7 },
    { depth: 4, ni: 2, no: 3, hidden: [2, 3, 4], tau: 0.6 },
    { depth: 6, ni: 2, no: 2, hidden: [3, 2, 3, 2, 2], tau: 1 },
  ];
  let worst = 0, worstLayer = 0;
  for (const { depth, ni, no, hidden, tau } of shapes) {
    const task = randomTask(rng, { ni, no, singularValues: [2, 0.8] });
    const init = alignedBalancedInit(task, hidden, [0.05, 0.02], rng);
    const times = [0.5, 2, 5, 12, 30].map((x) => x * tau);
    const exact = solveDeepAligned(task, init, times, { tau });
    const ref = integrateDeepFlow(task.sigmaYX.toArray(), init.map((w) => w.toArray()), times, {
      tau,
    });
    ref.forEach((ws, k) => {
      let p = Matrix.from(ws[0]);
      for (let l = 1; l < depth; l++) p = matmul(Matrix.from(ws[l]), p);
      const e = relativeError(exact.states[k].w2w1, p);
      worst = Math.max(worst, e);
      assertOk(e <= 1e-10, `L=${depth} t=${times[k]}: ${e}`);
      // Every layer too (the exact trajectory carries them, as simulateDeep does).
      ws.forEach((w, l) => {
        const el = relativeError(exact.layers[k][l], Matrix.from(w));
        worstLayer = Math.max(worstLayer, el);
        assertOk(el <= 1e-10, `L=${depth} t=${times[k]} W${l + 1}: ${el}`);
      });
    });
  }
  console.log(
    `worst relative error vs gradient flow: product ${worst.toExponential(2)}, ` +
      `layers ${worstLayer.toExponential(2)}`,
  );
});

Deno.test("gradient flow conserves every W_{l+1}ᵀW_{l+1} − W_lW_lᵀ (reference, Gaussian init)", () => {
  const rng = new Random(30);
  const task = randomTask(rng, { ni: 3, no: 2, singularValues: [1.5, 0.7] });
  const init = gaussianDeepInit(rng, { ni: 3, hidden: [4, 3, 2], no: 2 }, 0.5);
  const [end] = integrateDeepFlow(task.sigmaYX.toArray(), init.map((w) => w.toArray()), [6]);
  const gap = (ws: Matrix[], l: number) =>
    matmul(ws[l + 1], ws[l + 1], { transA: true }).data.map((v, i) =>
      v - matmul(ws[l], ws[l], { transB: true }).data[i]
    );
  const final = end.map((w) => Matrix.from(w));
  for (let l = 0; l + 1 < init.length; l++) {
    const a = gap(init, l), b = gap(final, l);
    const drift = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    // The integrator's global error (~1e-13 on the weights, see deep_flow.ts) bounds the drift.
    assertOk(drift <= 1e-11, `layer ${l + 1}: imbalance drifted by ${drift}`);
  }
});

// The library's error estimate (modeErrorEstimate, the conditioning of u in t) must bound the
// error measured against the same formula in 32-digit decimal arithmetic.
Deno.test("mode strength: f64 keeps full accuracy (vs decimal.js at 32 digits), L = 2 … 8", () => {
  // decimal.js transcendental functions cost ~1 ms each: the default grid takes about a second.
  const dec = decimalReal(32);
  let worst = 0, worstRatio = 0;
  const depths = deep ? [2, 3, 4, 5, 6, 8, 10, 12] : [2, 3, 4, 5, 6, 8];
  const modes = [[2, 1e-3], [0.5, 1e-6], [1, 0.9], [1.5, 3]];
  const xs = deep
    ? [1e-6, 0.01, 0.1, 0.3, 1, 3, 10, 30, 100, 1e3, 1e4, 1e7]
    : [1e-6, 0.1, 1, 10, 100, 1e4, 1e7];
  for (const depth of depths) {
    for (const [s, u0] of modes) {
      for (const x of xs) {
        const a = modeStrength(f64Real, depth, s, u0, x);
        const b = modeStrength(dec, depth, s, u0, x).toNumber();
        const e = Math.abs(a - b) / b, bound = modeErrorEstimate(depth, s, u0, x);
        worst = Math.max(worst, e);
        worstRatio = Math.max(worstRatio, e / bound);
        assertOk(e <= bound, `L=${depth} s=${s} u0=${u0} x=${x}: ${e} > ${bound}`);
      }
    }
  }
  console.log(
    `f64 vs 32 digits: worst relative error ${worst.toExponential(2)}, ` +
      `worst error/bound ${worstRatio.toFixed(2)}`,
  );
});

Deno.test("mode strength: L = 2 is the logistic of MATH.md and Theorem 5.1's aligned case", () => {
  for (const [s, u0] of [[3, 0.01], [1, 2.5]]) {
    for (const x of [0, 0.3, 1, 4, 20]) {
      const g = Math.exp(2 * s * x);
      const logistic = (s * u0 * g) / (s + u0 * (g - 1));
      const u = modeStrength(f64Real, 2, s, u0, x);
      assertOk(
        Math.abs(u - logistic) <= 4e-16 * logistic * 8,
        `s=${s} x=${x}: ${u} vs ${logistic}`,
      );
    }
  }
  const rng = new Random(5);
  const task = randomTask(rng, { ni: 3, no: 3, singularValues: [3, 2, 1] });
  const init = alignedBalancedInit(task, [4], [0.01, 0.2, 1.5], rng);
  const ours = solveDeepAligned(task, init, [0.5, 2, 7], { tau: 2 });
  const theorem = f64Backend.scoped(() => {
    const sol = alignedSolution(f64Backend, {
      sigmaYX: task.sigmaYX,
      sigmaXX: task.sigmaXX,
      w1: init[0],
      w2: init[1],
    });
    return [0.5, 2, 7].map((t) => f64Backend.toMatrix(sol.at(t / 2)));
  });
  theorem.forEach((q, k) => {
    const w2w1 = q.slice(3, 6, 0, 3), w1tw1 = q.slice(0, 3, 0, 3), w2w2t = q.slice(3, 6, 3, 6);
    assertOk(relativeError(ours.states[k].w2w1, w2w1) <= 1e-13, "product");
    assertOk(relativeError(ours.states[k].w1tw1, w1tw1) <= 1e-13, "W1ᵀW1");
    assertOk(relativeError(ours.states[k].w2w2t, w2w2t) <= 1e-13, "W2W2ᵀ");
  });
});

Deno.test("time to learn: closed form inverts the mode; small-init asymptote holds as (u0/s̃)^{1−2/L}", () => {
  for (const depth of [2, 3, 4, 6]) {
    const s = 1.5;
    for (const u0 of [1e-2, 1e-4, 1e-6]) {
      const t = timeToLearn(depth, s, u0);
      const u = modeStrength(f64Real, depth, s, u0, t);
      const bound = modeErrorEstimate(depth, s, u0, t);
      assertOk(Math.abs(u - s / 2) <= bound * s / 2, `L=${depth} u0=${u0}: u(t½) = ${u}`);
      if (depth > 2) {
        // Claim: t½ ≈ 1/(s̃ (L − 2) u0^{1−2/L}). The neglected terms of Φ are O(1)/κ, so the
        // relative error is O((u0/s̃)^{1−2/L}); we check it is below 3·(u0/s̃)^{1−2/L}.
        const rel = Math.abs(timeToLearnAsymptote(depth, s, u0) - t) / t;
        const order = Math.pow(u0 / s, 1 - 2 / depth);
        assertOk(rel <= 3 * order, `L=${depth} u0=${u0}: asymptote off by ${rel} (order ${order})`);
      } else {
        // L = 2: t½ = ln((s̃ − u0)/u0)/(2s̃) exactly; the asymptote ln(s̃/u0)/(2s̃) is off by
        // ln(1 − u0/s̃)/(2s̃).
        const exact = Math.log((s - u0) / u0) / (2 * s);
        assertOk(Math.abs(t - exact) <= 1e-14 * exact, `L=2 closed form ${t} vs ${exact}`);
      }
    }
  }
  // Deeper networks learn later from the same small product: t½ grows with L at u0 = 1e-4.
  const ts = [2, 3, 4, 6].map((d) => timeToLearn(d, 1, 1e-4));
  ts.slice(1).forEach((t, i) => assertOk(t > ts[i], `t½ not increasing with depth: ${ts}`));
});

Deno.test("claim 'deeper networks learn more abruptly': the 10–90 % transition narrows with L", () => {
  // The width t(0.9 s̃) − t(0.1 s̃) of an autonomous mode does not depend on u0 (same profile,
  // shifted in time); at L = 2 it is ln(81)/(2s̃). Measured (s̃ = 1): 2.197, 2.009, 1.800, 1.452,
  // 1.025 at L = 2, 3, 4, 6, 10, while t½ from u0 = 1e-3 grows 3.45 → 31.5.
  const width = (depth: number, u0: number) =>
    timeToLearn(depth, 1, u0, 0.9) - timeToLearn(depth, 1, u0, 0.1);
  const depths = [2, 3, 4, 6, 10];
  const w = depths.map((d) => width(d, 1e-3));
  assertOk(Math.abs(w[0] - Math.log(81) / 2) <= 1e-12, `L = 2 width ${w[0]}`);
  w.slice(1).forEach((v, i) => assertOk(v < w[i], `width not decreasing: ${w}`));
  depths.forEach((d, i) => {
    const other = width(d, 1e-6);
    // Both differences carry the rounding of Φ at its largest term (|Φ(z₀)| up to ~1e4 here).
    assertOk(
      Math.abs(other - w[i]) <= 1e-9 * timeToLearn(d, 1, 1e-6),
      `L=${d}: ${other} vs ${w[i]}`,
    );
  });
});

Deno.test("mode strength: limits and degenerate modes", () => {
  assertOk(modeStrength(f64Real, 4, 2, 0.1, Infinity) === 2, "t = ∞ gives s̃");
  assertOk(modeStrength(f64Real, 4, 2, 0, 100) === 0, "u0 = 0 is a fixed point");
  // s̃ = 0: a^{2−2L} = a0^{2−2L} + (2L − 2)t; check against direct integration of du/dt.
  const depth = 3, u0 = 0.5, x = 2;
  let u = u0;
  const n = 200000, h = x / n;
  const f = (v: number) => -depth * Math.pow(v, 2 - 2 / depth) * v;
  for (let i = 0; i < n; i++) {
    const k1 = f(u), k2 = f(u + h * k1 / 2), k3 = f(u + h * k2 / 2), k4 = f(u + h * k3);
    u += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  const closed = modeStrength(f64Real, depth, 0, u0, x);
  assertOk(Math.abs(closed - u) <= 1e-12, `s̃ = 0 decay ${closed} vs RK4 ${u}`);
  assertOk(modeStrength(f64Real, depth, 0, u0, Infinity) === 0);
  assertOk(modeTime(f64Real, 3, 1, 0.1, 1) === Infinity);
  assertThrows(() => modeStrength(f64Real, 1, 1, 0.1, 1), InputError, "depth");
  assertThrows(() => modeStrength(f64Real, 3, -1, 0.1, 1), InputError, "s̃");
  assertThrows(() => modeStrength(f64Real, 3, 1, 0.1, -1), InputError, "t/τ");
  assertThrows(() => modeTime(f64Real, 3, 1, 0.1, 1.5), InputError, "never reaches");
});

Deno.test("deep aligned: unbalanced, unaligned and unwhitened inputs are refused by name", () => {
  const rng = new Random(8);
  const task = randomTask(rng, { ni: 3, no: 3, singularValues: [2, 1, 0.5] });
  const gaussian = gaussianDeepInit(rng, { ni: 3, hidden: [3, 3], no: 3 }, 0.3);
  assertThrows(() => deepAlignedSolution(task, gaussian), AssumptionError, "balanced");
  const unaligned = balancedInit(rng, { ni: 3, hidden: [3, 3], no: 3 }, 0.3);
  assertThrows(() => deepAlignedSolution(task, unaligned), AssumptionError, "aligned");
  const aligned = alignedBalancedInit(task, [3, 3], 0.1);
  const skewed = { ...task, sigmaXX: Matrix.diag([1, 1.1, 1]) };
  assertThrows(() => deepAlignedSolution(skewed, aligned), AssumptionError, "whitened");
  const against = alignedBalancedInit(task, [3, 4], 0.1).map((w, l) =>
    l === 0 ? new Matrix(w.rows, w.cols, w.data.map((v) => -v)) : w
  );
  assertThrows(() => deepAlignedSolution(task, against), AssumptionError, "negative");
});
