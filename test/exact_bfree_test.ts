/**
 * The B-free form on singular-B problems (square, `sign det W2W1(0) ≠ sign det Σyx`): `auto`
 * picks it and says why; it agrees with the gradient-flow reference while its growing
 * exponentials leave enough digits; its accuracy estimate is conservative; long horizons in f64
 * are refused; in decimal arithmetic it follows the flow to the saddle.
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

Deno.test("auto uses the B-free form on singular B and it matches gradient flow", () => {
  const rng = new Random(seed + 10);
  let worst = 0, count = 0;
  for (let run = 0; run < numRuns(30, 600); run++) {
    const n = 1 + Math.floor(rng.uniform() * 6), nh = n + Math.floor(rng.uniform() * (11 - n));
    const scale = 10 ** (-3 + rng.uniform() * Math.log10(3000));
    const p = randomProblem(rng, { ni: n, nh, no: n, scale, singularB: true });
    // Horizon where the estimate leaves ≥ 10 of f64's ~16 digits.
    const horizon = Math.min(50, (6 * Math.LN10) / (2 * sMax(p)));
    const times = [0, 0.25, 0.5, 0.75, 1].map((f) => f * horizon);
    const r = solveExact(be, p.task, p.inputs, times);
    assertEquals(r.method, "bfree", `n=${n}: ${r.reason}`);
    assertOk(r.reason.includes("B singular"), r.reason);
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
      const q = solveExact(be, p.task, p.inputs, [t], { minDigits: -Infinity }).states[0];
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
  assertThrows(() => solveExact(be, p.task, p.inputs, [50]), AssumptionError, "precision");
  const times = [5, 15, 25];
  const dec = solveExact(decimalBackend(60), p.task, p.inputs, times);
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
