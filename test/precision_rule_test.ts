/**
 * The precision rule of Eq. 5 (`src/precision.ts`) term by term, on problems where each term is
 * large: κ(A) ≫ 1 (an ill-conditioned initial product) and a near-reversal (`B ≈ ε·orthogonal`,
 * κ(A) ≈ 1 but `‖Q0‖/‖A‖ ≈ 2/ε`). The measured loss of digits is compared with the predicted
 * one: the prediction must be sufficient (≥ measured) and tight (≤ measured + 3.5), so halving
 * either term is detected. Also Eq. 5's answers beyond the tolerance carry a warning, in f64 and
 * in decimal arithmetic.
 */
import { Decimal } from "decimal.js";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { GUARD_DIGITS } from "../src/linalg/decimal_context.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { Random } from "../src/random.ts";
import type { ExactInputs } from "../src/exact/assumptions.ts";
import { prepareExact, solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { eq5Conditioning, eq5Digits, eq5DigitsLost } from "../src/precision.ts";
import { randomProblem } from "./exact_problems.ts";
import { assertOk } from "./assert.ts";
import { seed } from "./budget.ts";

const D = Decimal.clone({ precision: 300 });
const WIDE = { rankCondition: 1e13 };

/** Eq. 5's `QQᵀ(x)` as decimal strings with every digit of `decimal(digits)`. */
function eq5Strings(inp: ExactInputs, x: number, digits: number): string[] {
  const be = decimalBackend(digits);
  return be.scoped(() =>
    be.toStrings(prepareExact(be, inp, { method: "fukumizu", tolerances: WIDE }).at(x)).flat()
  );
}

/** `max|a − b| / max|b|` computed in 300-digit decimal arithmetic. */
function maxRelative(a: string[], b: string[]): number {
  let d = new D(0), m = new D(0);
  a.forEach((x, i) => {
    d = D.max(d, new D(x).minus(b[i]).abs());
    m = D.max(m, new D(b[i]).abs());
  });
  return d.div(m).toNumber();
}

const CASES = [
  // κ(A) = 1e4 from κ(S) = 1e8 (κ(A)² ≤ κ(B)² κ(S)); t/τ where the late-time rule applies.
  { name: "κ(A) = 1e4", x: 15, init: [1, 1e-8], angle: undefined },
  {
    name: "κ(A) = 1e4, equal-ish spectrum",
    x: 20,
    init: [1, 1e-8],
    angle: undefined,
    st: [2, 1.5],
  },
  // Near-reversals: κ(A) ≈ 1, ‖Q0‖/‖A‖ ≈ 2/ε.
  { name: "near-reversal ε = 1e-4", x: 10, init: [1, 1], angle: 1e-4 },
  { name: "near-reversal ε = 1e-6", x: 5, init: [1, 1], angle: 1e-6 },
];

Deno.test("the precision rule's κ(A) and near-reversal terms are sufficient and tight", () => {
  for (const c of CASES) {
    const p = randomProblem(new Random(seed + 7), {
      ni: 2,
      nh: 2,
      no: 2,
      scale: 1,
      initSingularValues: c.init,
      singularValues: c.st ?? [2, 1],
      regularB: c.angle === undefined,
      reversalAngle: c.angle,
    });
    const cond = eq5Conditioning(p.inputs);
    const predicted = eq5DigitsLost(cond, c.x);
    const digits = eq5Digits(cond, c.x, 12);
    const err = maxRelative(
      eq5Strings(p.inputs, c.x, digits),
      eq5Strings(p.inputs, c.x, eq5Digits(cond, c.x, 45)),
    );
    // Every operation carries digits + GUARD_DIGITS; what is left of them is log10(1/err).
    const measured = digits + GUARD_DIGITS + Math.log10(err);
    console.log(
      `${c.name}: κ(A) = ${cond.condA.toExponential(1)}, ‖Q0‖/‖A‖ = ` +
        `${cond.q0Ratio.toExponential(1)}: predicted ${predicted.toFixed(1)} digits lost, ` +
        `measured ${measured.toFixed(1)} (error ${err.toExponential(1)} at ${digits} digits)`,
    );
    assertOk(err <= 1e-12, `${c.name}: the rule's digits miss the target (${err})`);
    assertOk(predicted >= measured, `${c.name}: predicted ${predicted} < measured ${measured}`);
    assertOk(predicted <= measured + 3.5, `${c.name}: predicted ${predicted} ≫ ${measured}`);
  }
});

Deno.test("Eq. 5 beyond the tolerance warns in f64 and in decimal, its estimate bounding the error", () => {
  const p = randomProblem(new Random(seed + 8), {
    ni: 2,
    nh: 3,
    no: 2,
    scale: 1,
    singularValues: [2, 1],
    reversalAngle: 1e-5,
  });
  const times = [0.5, 8];
  const ref = times.map((x) =>
    eq5Strings(p.inputs, x, eq5Digits(eq5Conditioning(p.inputs), x, 45))
  );
  // f64: near a reversal Eq. 5 loses 2 log10(2/ε) ≈ 10.6 digits on top of its growth.
  const f = solveExact(f64Backend, p.task, p.inputs, times, { method: "fukumizu" });
  assertOk(f.warnings.some((w) => w.includes("exceeds the tolerance")), `${f.warnings}`);
  // decimal(20): 20 digits are not enough at t = 8τ either.
  const d = solveExact(decimalBackend(20), p.task, p.inputs, times, {
    method: "fukumizu",
    strings: true,
  });
  assertOk(d.warnings.some((w) => w.includes("exceeds the tolerance")), `${d.warnings}`);
  times.forEach((x, i) => {
    const ef = maxRelative(
      Array.from(joinQQt(f.states[i]).data, (v) => new D(v).toString()),
      ref[i],
    );
    const ed = maxRelative(d.digitStrings![i].flat(), ref[i]);
    assertOk(f.errorEstimates[i] >= ef / 10, `f64 at ${x}: ${f.errorEstimates[i]} < ${ef}/10`);
    assertOk(d.errorEstimates[i] >= ed / 10, `decimal at ${x}: ${d.errorEstimates[i]} < ${ed}/10`);
  });
  // Enough digits: no warning.
  const ok = solveExact(decimalBackend(45), p.task, p.inputs, times, { method: "fukumizu" });
  assertOk(ok.warnings.length === 0, `${ok.warnings}`);
});
