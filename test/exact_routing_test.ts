/**
 * Where `auto` routes a problem and what happens at the edges: the `cond(B)` threshold between
 * Theorem 3.1 and the stable B-free form (pinned on both sides), the saddle warning's departure
 * time against the gradient-flow integrator, and extreme `t/τ` and magnitudes (the `t → ∞` limit
 * or one error naming `t/τ` or the magnitude, never an internal matrix).
 */
import { f64Backend as be } from "../src/linalg/f64.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { InputError } from "../src/errors.ts";
import { AUTO_STABLE_CONDITION, prepareExact, solveExact } from "../src/exact/solve.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import type { Backend } from "../src/linalg/backend.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { integrateGradientFlow } from "./reference/gradient_flow.ts";
import { randomProblem } from "./exact_problems.ts";
import { assertEquals, assertOk, assertThrows, maxRelative } from "./assert.ts";
import { seed } from "./budget.ts";

/** A 4×5×4 problem whose `B` has every singular value `2/cond` (near-reversal construction). */
function withCondB(cond: number, rng: Random) {
  // B = 2 sin(angle/2)·orthogonal, so cond(B) = 2/σ_min(B) = 1/sin(angle/2).
  return randomProblem(rng, {
    ni: 4,
    nh: 5,
    no: 4,
    scale: 0.3,
    reversalAngle: 2 * Math.asin(1 / cond),
  });
}

Deno.test("auto's threshold: cond(B) 50 → Theorem 3.1, cond(B) 300 → the stable B-free form", () => {
  assertEquals(AUTO_STABLE_CONDITION, 100);
  const rng = new Random(seed + 201);
  const q = withCondB(50, rng);
  const below = solveExact(be, q.task, q.inputs, [1]);
  assertEquals(below.method, "stable", below.reason);
  assertOk(/cond\(B\) = 2\/σ_min\(B\) = 5\.00e\+1 ≤ 1e\+2/.test(below.reason), below.reason);
  const p = withCondB(300, rng);
  const above = solveExact(be, p.task, p.inputs, [1]);
  assertEquals(above.method, "bfree-stable", above.reason);
  assertOk(/= 3\.00e\+2 > 1e\+2/.test(above.reason), above.reason);
});

Deno.test("singular B: the warning names the stalled mode and when the given weights' flow leaves", () => {
  // diag(2, 1) learned, task diag(2, −1) rotated: mode 2 (s̃ = 1) is reversed, B singular.
  const rng = new Random(seed + 202);
  const p = randomProblem(rng, {
    ni: 2,
    nh: 2,
    no: 2,
    scale: 1,
    initSingularValues: [1, 0.5],
    singularValues: [2, 1],
    singularB: true,
  });
  const times = Array.from({ length: 31 }, (_, i) => 2 * i);
  const r = solveExact(be, p.task, p.inputs, times);
  assertEquals(r.method, "bfree-stable");
  const w = r.warnings.find((x) => x.startsWith("B is singular"));
  assertOk(w, `${r.warnings}`);
  const m = /task mode (\d) \(s̃ = ([\d.]+), leaves at t ≈ ([\d.]+)τ\)/.exec(w);
  assertOk(m, w);
  const predicted = Number(m[3]);
  // The flow of the given f64 numbers (integrated independently) departs from the idealisation.
  const flow = integrateGradientFlow(p.flow, times);
  const gap = times.map((_, i) => maxRelative(joinQQt(r.states[i]), Matrix.from(flow[i].qqt)));
  const departed = times[gap.findIndex((g) => g > 1e-2)];
  console.log(
    `saddle: stalled mode ${m[1]} (s̃ = ${m[2]}); predicted departure ${predicted}τ, ` +
      `flow departed (gap > 1e-2) at ${departed}τ`,
  );
  assertOk(gap[0] < 1e-13 && gap[5] < 1e-10, `the idealisation matches early: ${gap.slice(0, 6)}`);
  assertOk(
    departed !== undefined && departed > 0.7 * predicted && departed < 1.4 * predicted,
    `departure ${departed} vs predicted ${predicted}`,
  );
});

Deno.test("t/τ beyond f64 (t = 1e308, τ = 5e-324) gives the t → ∞ limit; large t/τ stays finite", () => {
  const rng = new Random(seed + 203);
  for (
    const [ni, nh, no, singularB] of [[3, 4, 2, false], [3, 3, 3, true], [2, 3, 4, false]] as const
  ) {
    const p = randomProblem(rng, {
      ni,
      nh,
      no,
      scale: 0.2,
      singularB,
      regularB: !singularB && ni === no,
    });
    const late = solveExact(be, p.task, p.inputs, [1e3, 1e300]);
    const inf = solveExact(be, p.task, p.inputs, [1e308], { tau: 5e-324 });
    assertEquals(inf.times, [1e308]);
    for (const s of [...late.states, ...inf.states]) assertOk(joinQQt(s).isFinite());
    // At 1e3τ every e^{−s̃t/τ} (s̃ ≥ 0.5) is below e^{−500}; the 1/(t/τ) terms of rectangular
    // problems are 1e-3 of order-one quantities, so compare at 1e3τ only where Ni = No.
    if (ni === no) {
      assertOk(maxRelative(joinQQt(inf.states[0]), joinQQt(late.states[0])) < 1e-13);
    }
    assertOk(maxRelative(joinQQt(inf.states[0]), joinQQt(late.states[1])) < 1e-14);
    assertOk(inf.loss[0] >= 0 && Number.isFinite(inf.loss[0]), `loss ${inf.loss[0]}`);
    if (!singularB) {
      // Theorem 3.2: W2W1 → Σyx.
      assertOk(maxRelative(inf.states[0].w2w1, p.task.sigmaYX) < 1e-13, "W2W1(∞) = Σyx");
    }
  }
});

Deno.test("magnitudes beyond f64 and Eq. 5's overflow are one error naming them", () => {
  const rng = new Random(seed + 204);
  const p = randomProblem(rng, { ni: 3, nh: 3, no: 3, scale: 0.3, regularB: true });
  const scaled = (m: Matrix, c: number) => new Matrix(m.rows, m.cols, m.data.map((x) => x * c));
  const big = { w1: scaled(p.inputs.w1, 1e300), w2: scaled(p.inputs.w2, 1e300) };
  assertThrows(() => solveExact(be, p.task, big, [1]), InputError, "magnitude: max|W1|·max|W2|");
  const bigTask = { ...p.task, sigmaYX: scaled(p.task.sigmaYX, 1e300) };
  assertThrows(() => solveExact(be, bigTask, p.inputs, [1]), InputError, "magnitude: max|Σyx|");
  const tiny = { w1: scaled(p.inputs.w1, 1e-80), w2: scaled(p.inputs.w2, 1e-80) };
  assertThrows(() => solveExact(be, p.task, tiny, [1]), InputError, "magnitude");
  // Inside the range, large scales work and obey QQᵀ(t; cΣ, √cW) = c·QQᵀ(ct; Σ, W).
  const c = 2 ** 200;
  const a = solveExact(be, { ...p.task, sigmaYX: scaled(p.task.sigmaYX, c) }, {
    w1: scaled(p.inputs.w1, 2 ** 100),
    w2: scaled(p.inputs.w2, 2 ** 100),
  }, [1]);
  const b = solveExact(be, p.task, p.inputs, [c]);
  assertOk(maxRelative(joinQQt(a.states[0]), scaled(joinQQt(b.states[0]), c)) < 1e-13);
  // Eq. 5's exponentials overflow f64 at t/τ = 1000: named, not an internal matrix message.
  const e = assertThrows(
    () => solveExact(be, p.task, p.inputs, [1000], { method: "fukumizu" }),
    InputError,
    "t/τ = 1000",
  );
  assertOk(!/choleskyWhiten|entry \(\d+, \d+\)|pivot/.test(e.message), e.message);
});

Deno.test("the factored form matches the gradient flow; beyond its step budget it names t/τ", () => {
  const rng = new Random(seed + 205);
  // κ(W2W1(0)) = 1e6: Theorem 3.1 in f64 misses 1e-10, the factored form does not.
  const p = randomProblem(rng, {
    ni: 3,
    nh: 4,
    no: 2,
    scale: 1,
    initSingularValues: [1, 1e-6],
  });
  const times = [0, 1, 4, 12];
  const r = solveExact(be, p.task, p.inputs, times);
  assertEquals(r.method, "factored", r.reason);
  assertEquals(r.arithmetic, "f64");
  const flow = integrateGradientFlow(p.flow, times);
  times.forEach((t, i) => {
    const e = maxRelative(joinQQt(r.states[i]), Matrix.from(flow[i].qqt));
    // The integrator works on the weights in f64 too: its own error is u·√κ-like here.
    assertOk(e <= 1e-11, `t = ${t}: factored vs gradient flow ${e.toExponential(2)}`);
  });
  const far = assertThrows(
    () => solveExact(be, p.task, p.inputs, [1e9], { method: "factored" }),
    InputError,
    "t/τ = 1.00e+9",
  );
  assertOk(far.message.includes("steps"), far.message);
  // auto does not choose it beyond the budget: its bounded form in decimal instead.
  const late = solveExact(be, p.task, p.inputs, [1e9]);
  assertOk(late.arithmetic.startsWith("decimal"), late.reason);
});

Deno.test("singular B in f64: the stable B-free form stays at the saddle the exact solution describes", () => {
  // Regression for the echelon's deficiency threshold: a reversed mode whose column of B comes
  // after a small pivot keeps a residual above plain rounding (4e-14 after a 7e-3 pivot); taken
  // as non-zero, the f64 form escaped the saddle at t ≈ 30τ (error 0.3–0.9 against 40 digits;
  // 2 of these 40 problems without the amplification-aware threshold).
  const rng = new Random(seed + 301);
  const dec = decimalBackend(40);
  const xs = [20, 40];
  let worst = 0;
  for (let run = 0; run < 40; run++) {
    const n = 2 + Math.floor(rng.uniform() * 3);
    const p = randomProblem(rng, {
      ni: n,
      nh: n,
      no: n,
      scale: 10 ** (-1 + rng.uniform()),
      singularB: true,
    });
    const at = <M>(b: Backend<M>) =>
      b.scoped(() => {
        const s = prepareExact(b, p.inputs, { method: "bfree-stable" });
        return xs.map((x) => b.scoped(() => b.toMatrix(s.at(x))));
      });
    const f = at(be), r = at(dec);
    xs.forEach((x, i) => {
      const e = maxRelative(f[i], r[i]);
      worst = Math.max(worst, e);
      assertOk(e <= 1e-10, `run ${run} (n = ${n}), t = ${x}τ: ${e.toExponential(2)}`);
    });
  }
  console.log(`singular B, f64 vs 40 digits at t = 20, 40τ: worst ${worst.toExponential(1)}`);
});
