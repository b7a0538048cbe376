/**
 * Properties of depth-L networks (MATH.md, "Deeper networks"): conservation of every layer's
 * balance by GD to O(η²) per step, depth-2 equivalence with the two-layer engine step for step,
 * the aligned exact solution against GD at O(η), monotone mode growth, and invariance of the
 * product under rotations of the hidden layers. They exercise the depth-L code paths, which do
 * not run on the `Backend` the harness passes (their arithmetic is the WASM loop and f64).
 *
 * @module
 */
import fc from "fast-check";
import { assertOk } from "../assert.ts";
import { Matrix } from "../../src/matrix.ts";
import { Random } from "../../src/random.ts";
import { randomTask } from "../../src/tasks/random_task.ts";
import { matmul, sub } from "../../src/linalg/blas.ts";
import { alignedBalancedInit, gaussianDeepInit, type Layers } from "../../src/init/deep.ts";
import { simulate } from "../../src/train/simulate.ts";
import { simulateDeep } from "../../src/train/simulate_deep.ts";
import { solveDeepAligned } from "../../src/exact/deep_aligned.ts";
import { f64Real, modeStrength } from "../../src/exact/deep_modes.ts";
import { type AnyProperty, property } from "./harness.ts";

/** A random depth-L network spec: depth, widths and a seed for its matrices. */
const networkArb = fc.record({
  depth: fc.integer({ min: 2, max: 6 }),
  ni: fc.integer({ min: 1, max: 4 }),
  no: fc.integer({ min: 1, max: 4 }),
  widths: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 5, maxLength: 5 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

type NetworkSpec = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

/** Task (Σyx with singular values in [0.5, 2]) and Gaussian layers of the spec. */
function build(spec: NetworkSpec, scale: number) {
  const rng = new Random(spec.seed);
  const nm = Math.min(spec.ni, spec.no);
  const singularValues = Array.from({ length: nm }, () => 0.5 + 1.5 * rng.uniform());
  const task = randomTask(rng, { ni: spec.ni, no: spec.no, p: spec.ni + 2, singularValues });
  const hidden = spec.widths.slice(0, spec.depth - 1);
  return { rng, task, hidden, init: gaussianDeepInit(rng, { ...spec, hidden }, scale) };
}

/** `W_{l+1}ᵀW_{l+1} − W_lW_lᵀ` for every `l`. */
function imbalances(layers: Layers): Matrix[] {
  return layers.slice(1).map((w, l) =>
    sub(matmul(w, w, { transA: true }), matmul(layers[l], layers[l], { transB: true }))
  );
}

function drift(a: Layers, b: Layers): number {
  const da = imbalances(a), db = imbalances(b);
  return Math.max(...da.map((m, l) => sub(m, db[l]).normFrobenius()));
}

const balanceProperty = property({
  name: "depth L: GD changes every W_{l+1}ᵀW_{l+1} − W_lW_lᵀ by O(η²) per step",
  arb: networkArb,
  runs: [80, 2000],
  check(spec) {
    const { task, init } = build(spec, 0.5);
    const horizon = 1;
    const runAt = (eta: number) =>
      simulateDeep(task, init, {
        learningRate: eta,
        steps: Math.round(horizon / eta),
        record: [Math.round(horizon / eta)],
      })
        .layers[0];
    // Each step changes the conserved quantity by η²·(product of gradients): over a fixed time
    // the drift is O(η), so halving η halves it (ratio → ½ as η → 0). Ratios below 0.6 allow
    // the O(η²) correction at η = 0.01; a drift at rounding level (zero gradient) passes.
    const d1 = drift(runAt(0.01), init), d2 = drift(runAt(0.005), init);
    assertOk(d1 <= 1e-12 || d2 / d1 <= 0.6, `drift ${d1} at η, ${d2} at η/2`);
  },
});

const depthTwoProperty = property({
  name: "depth L = 2: simulateDeep is the two-layer simulate, bitwise, step for step",
  arb: fc.record({ spec: networkArb, onData: fc.boolean() }),
  runs: [80, 2000],
  check({ spec, onData }) {
    const { task, init } = build({ ...spec, depth: 2 }, 0.5);
    const o = { learningRate: 0.02, steps: 40, record: 10, onData };
    const a = simulate(task, { w1: init[0], w2: init[1] }, o), b = simulateDeep(task, init, o);
    a.weights!.forEach((w, k) => {
      const same = w.w1.data.every((v, i) => Object.is(v, b.layers[k][0].data[i])) &&
        w.w2.data.every((v, i) => Object.is(v, b.layers[k][1].data[i]));
      assertOk(same && a.loss[k] === b.loss[k], `record ${k} differs`);
    });
  },
});

const alignedVsGdProperty = property({
  name: "depth L: aligned exact solution vs GD converges at O(η)",
  arb: fc.record({ spec: networkArb, u0: fc.double({ min: 0.05, max: 0.5, noNaN: true }) }),
  runs: [50, 1000],
  check({ spec, u0 }) {
    const { rng, task, hidden } = build(spec, 0.5);
    const wide = hidden.map((n) => Math.max(n, Math.min(spec.ni, spec.no)));
    const init = alignedBalancedInit(task, wide, u0, rng);
    const times = [1, 2, 4];
    const exact = solveDeepAligned(task, init, times);
    const gap = (eta: number) => {
      const sim = simulateDeep(task, init, { learningRate: eta, times });
      // The product and every layer (the exact trajectory carries them too).
      return Math.max(
        ...sim.states.map((s, k) => sub(s.w2w1, exact.states[k].w2w1).maxAbs()),
        ...sim.layers.flatMap((ls, k) => ls.map((w, l) => sub(w, exact.layers[k][l]).maxAbs())),
      );
    };
    // Euler on a smooth flow: the gap is c·η + O(η²); halving η must at least nearly halve it.
    const g1 = gap(0.01), g2 = gap(0.005);
    assertOk(g1 <= 1e-12 || (g2 / g1 > 0.35 && g2 / g1 < 0.65), `gap ${g1} at η, ${g2} at η/2`);
  },
});

const monotoneProperty = property({
  name: "depth L: a mode moves monotonically from u0 towards s̃ and never crosses it",
  arb: fc.record({
    depth: fc.integer({ min: 2, max: 10 }),
    s: fc.double({ min: 0.1, max: 5, noNaN: true }),
    u0: fc.double({ min: 1e-8, max: 10, noNaN: true }),
    xs: fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 8 }),
  }),
  runs: [500, 20000],
  check({ depth, s, u0, xs }) {
    const sorted = [...xs].sort((a, b) => a - b);
    const u = sorted.map((x) => modeStrength(f64Real, depth, s, u0, x));
    const up = u0 < s;
    u.forEach((v, i) => {
      assertOk(up ? v >= u0 && v <= s : v <= u0 && v >= s, `u(${sorted[i]}) = ${v} out of range`);
      if (i > 0) {
        // Monotone up to rounding of the root (a few ulps of u).
        const slack = 1e-14 * v;
        assertOk(
          up ? v >= u[i - 1] - slack : v <= u[i - 1] + slack,
          `not monotone at ${sorted[i]}`,
        );
      }
    });
  },
});

const rotationProperty = property({
  name:
    "depth L: rotating the hidden layers (W_l → Q_l W_l Q_{l−1}ᵀ) leaves GD's product unchanged",
  arb: networkArb,
  runs: [80, 2000],
  check(spec) {
    const { rng, task, init } = build(spec, 0.5);
    const qs = init.slice(0, -1).map((w) => rng.orthonormal(w.rows, w.rows));
    const rotated = init.map((w, l) => {
      const left = l < qs.length ? matmul(qs[l], w) : w;
      return l > 0 ? matmul(left, qs[l - 1], { transB: true }) : left;
    });
    const o = { learningRate: 0.02, steps: 100, record: 25 };
    const a = simulateDeep(task, init, o), b = simulateDeep(task, rotated, o);
    // GD commutes with the rotation exactly; rounding differs by O(ε) per product, amplified
    // mildly over 100 steps: 1e-11 relative to max(1, |W|).
    a.states.forEach((s, k) => {
      const e = sub(s.w2w1, b.states[k].w2w1).maxAbs() / Math.max(1, s.w2w1.maxAbs());
      assertOk(e <= 1e-11, `record ${k}: product differs by ${e}`);
    });
  },
});

/** The properties of this file. */
export const depthProperties: AnyProperty[] = [
  balanceProperty,
  depthTwoProperty,
  alignedVsGdProperty,
  monotoneProperty,
  rotationProperty,
];
