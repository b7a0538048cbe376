/**
 * Singular-B problems (square, `sign det W2W1(0) ≠ sign det Σyx`). The B-free form of MATH.md
 * agrees with the gradient-flow reference while its growing exponentials leave enough digits,
 * its accuracy estimate is conservative, long f64 horizons are refused, and in decimal arithmetic
 * it follows the flow to the saddle. The stable B-free form (what `auto` picks) agrees with the
 * reference and with the 150-digit B-free form at all times, in f64.
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { AssumptionError } from "../src/errors.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { bfreeDigitsLost, solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { integrateGradientFlow } from "./reference/gradient_flow.ts";
import { type Problem, randomProblem } from "./exact_problems.ts";
import { assertEquals, assertOk, assertThrows, relativeError } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";

function sMax(p: Problem): number {
  // Task singular values are drawn in [0.5, 2.5); the largest bounds |Σyx| entries' scale.
  return be.scoped(() => be.toMatrix(be.svd(be.from(p.task.sigmaYX)).s).data[0]);
}

Deno.test("the B-free form on singular B matches gradient flow while its digits last", () => {
  const rng = new Random(seed + 10);
  let worst = 0, count = 0;
  for (let run = 0; run < numRuns(30, 600); run++) {
    const n = 1 + Math.floor(rng.uniform() * 6), nh = n + Math.floor(rng.uniform() * (11 - n));
    const scale = 10 ** (-3 + rng.uniform() * Math.log10(3000));
    const p = randomProblem(rng, { ni: n, nh, no: n, scale, singularB: true });
    // Horizon where the estimate leaves ≥ 10 of f64's ~16 digits.
    const horizon = Math.min(50, (6 * Math.LN10) / (2 * sMax(p)));
    const times = [0, 0.25, 0.5, 0.75, 1].map((f) => f * horizon);
    const r = solveExact(be, p.task, p.inputs, times, { method: "bfree" });
    assertEquals(r.method, "bfree", `n=${n}: ${r.reason}`);
    const ref = integrateGradientFlow(p.flow, times);
    times.forEach((t, i) => {
      const e = relativeError(joinQQt(r.states[i]), Matrix.from(ref[i].qqt));
      worst = Math.max(worst, e);
      assertOk(e <= 1e-9, `n=${n} scale=${scale} t=${t}: rel. error ${e}`);
    });
    count++;
  }
  console.log(
    `B-free vs reference (singular B, lost ≤ 6 digits): ${count} problems × 5 times, max rel. error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("the B-free accuracy estimate bounds the measured f64 error", () => {
  const rng = new Random(seed + 11);
  for (const n of [2, 3, 4]) {
    const p = randomProblem(rng, { ni: n, nh: n + 1, no: n, scale: 0.5, singularB: true });
    const s = sMax(p);
    const times = [1, 2, 4, 6, 8];
    const ref = integrateGradientFlow(p.flow, times);
    const rows: string[] = [];
    times.forEach((t, i) => {
      const lost = bfreeDigitsLost(s, t);
      if (lost > 13) return; // beyond this the estimate refuses by default; nothing to bound
      const q = solveExact(be, p.task, p.inputs, [t], { method: "bfree", minDigits: -Infinity })
        .states[0];
      const e = relativeError(joinQQt(q), Matrix.from(ref[i].qqt));
      rows.push(`t=${t}: est. ${lost.toFixed(1)} digits, measured ${e.toExponential(1)}`);
      // Rounding (~1e-15 for these sizes) amplified by at most the estimated growth.
      assertOk(e <= 1e-14 * 10 ** lost, `n=${n} t=${t}: error ${e} above the estimate`);
    });
    console.log(`n=${n}, s̃_max=${s.toFixed(2)}: ${rows.join("; ")}`);
  }
});

Deno.test("f64 refuses B-free horizons it cannot resolve; decimal digits follow the flow to the saddle", () => {
  const rng = new Random(seed + 12);
  const p = randomProblem(rng, { ni: 3, nh: 4, no: 3, scale: 0.5, singularB: true });
  assertThrows(
    () => solveExact(be, p.task, p.inputs, [50], { method: "bfree" }),
    AssumptionError,
    "precision",
  );
  const times = [5, 15, 25];
  const dec = solveExact(decimalBackend(60), p.task, p.inputs, times, { method: "bfree" });
  assertEquals(dec.method, "bfree");
  const ref = integrateGradientFlow(p.flow, times);
  const sigma = (m: Matrix) => be.scoped(() => be.toMatrix(be.svd(be.from(m)).s).data);
  times.forEach((t, i) => {
    const e = relativeError(joinQQt(dec.states[i]), Matrix.from(ref[i].qqt));
    assertOk(e <= 1e-12, `t=${t}: decimal B-free vs reference ${e}`);
  });
  // At the saddle one mode of W2W1 is zero: σ_min/σ_max falls, and the loss stays above the
  // global minimum (which is 0 here: tr Σyy defaults to ‖Σyx‖²).
  const ratio = times.map((_, i) => {
    const s = sigma(dec.states[i].w2w1);
    return s[s.length - 1] / s[0];
  });
  console.log(
    `saddle approach: σ_min/σ_max of W2W1 at t=${times}: ${ratio.map((x) => x.toExponential(1))}`,
  );
  assertOk(ratio[2] < 1e-6 && ratio[2] < ratio[1] && ratio[1] < ratio[0], `${ratio}`);
  assertOk(dec.loss[2] > 1e-3, `loss ${dec.loss[2]} should stay at the saddle, above 0`);
});

Deno.test("auto picks the stable B-free form on singular B: f64 matches gradient flow", () => {
  const rng = new Random(seed + 13);
  let worst = 0, count = 0;
  for (let run = 0; run < numRuns(30, 600); run++) {
    const n = 1 + Math.floor(rng.uniform() * 6), nh = n + Math.floor(rng.uniform() * (11 - n));
    const scale = 10 ** (-3 + rng.uniform() * Math.log10(3000));
    const p = randomProblem(rng, { ni: n, nh, no: n, scale, singularB: true });
    // The f64 reference is trusted while the state is far from the saddle (near it W2W1 is
    // nearly singular and rounding can flip sign det W2W1, letting the integration escape).
    const times = [0, 1, 3, 6];
    const r = solveExact(be, p.task, p.inputs, times);
    assertEquals(r.method, "bfree-stable", r.reason);
    assertOk(r.reason.includes("Assumption 3.1 fails"), r.reason);
    // The saddle warning (and nothing else): one reversed mode stays unlearned.
    assertEquals(r.warnings.length, 1, `${r.warnings}`);
    assertOk(
      /B is singular.*task mode \d \(s̃ = .*leaves at t ≈/.test(r.warnings[0]),
      r.warnings[0],
    );
    const ref = integrateGradientFlow(p.flow, times);
    // Errors relative to the trajectory's scale: on the way to the saddle QQᵀ can shrink by
    // orders of magnitude (n = 1: the saddle is 0) and the integrator's error is absolute, ε times
    // that scale. Pointwise relative accuracy is checked against 150 digits below.
    const floor = Math.max(...ref.map((x) => Matrix.from(x.qqt).normFrobenius()));
    times.forEach((t, i) => {
      const e = relativeError(joinQQt(r.states[i]), Matrix.from(ref[i].qqt), floor);
      worst = Math.max(worst, e);
      assertOk(e <= 1e-9, `n=${n} scale=${scale} t=${t}: rel. error ${e}`);
    });
    count++;
  }
  console.log(
    `stable B-free vs reference (singular B, t ≤ 6τ, relative to max ‖QQᵀ‖): ${count} problems × 4 times, max rel. error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("the stable B-free form in f64 equals the 150-digit B-free form up to 50τ", () => {
  const rng = new Random(seed + 14);
  const dec = decimalBackend(150);
  let worst = 0;
  for (const [n, nh] of [[1, 2], [2, 3], [3, 3], [4, 5]]) {
    const p = randomProblem(rng, { ni: n, nh, no: n, scale: 0.3, singularB: true });
    const times = [10, 30, 50];
    // 150 digits leave ≥ 40 after the B-free form's growth e^{2 s̃_max t/τ} (s̃_max < 2.5, t ≤ 50τ).
    const truth = solveExact(dec, p.task, p.inputs, times, { method: "bfree" });
    const got = solveExact(be, p.task, p.inputs, times);
    assertEquals(got.method, "bfree-stable");
    times.forEach((t, i) => {
      const e = relativeError(joinQQt(got.states[i]), joinQQt(truth.states[i]));
      worst = Math.max(worst, e);
      // No growing exponentials: rounding of O(1) quantities, amplified by cond(center) ≲ 1e3.
      assertOk(e <= 1e-12, `n=${n} t=${t}: ${e}`);
    });
  }
  console.log(
    `stable B-free (f64) vs B-free (150 digits), t = 10, 30, 50τ: max rel. error ${
      worst.toExponential(2)
    }`,
  );
});

Deno.test("the stable B-free form equals Theorem 3.1 on regular B, rectangular included", () => {
  const rng = new Random(seed + 15);
  let worst = 0;
  for (let run = 0; run < 20; run++) {
    const ni = 1 + Math.floor(rng.uniform() * 6), no = 1 + Math.floor(rng.uniform() * 6);
    const nm = Math.min(ni, no), nh = nm + Math.floor(rng.uniform() * 3);
    const p = randomProblem(rng, { ni, nh, no, scale: 0.2, regularB: ni === no });
    const times = [0, 1, 5, 50, 1e6];
    const a = solveExact(be, p.task, p.inputs, times, { method: "bfree-stable" });
    const b = solveExact(be, p.task, p.inputs, times, { method: "stable" });
    times.forEach((t, i) => {
      const e = relativeError(joinQQt(a.states[i]), joinQQt(b.states[i]));
      worst = Math.max(worst, e);
      assertOk(e <= 1e-11, `${ni}x${nh}x${no} t=${t}: ${e}`);
    });
  }
  console.log(
    `stable B-free vs Theorem 3.1 on regular B: max rel. difference ${worst.toExponential(2)}`,
  );
});
