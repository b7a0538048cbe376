/**
 * Eq. 5's breakdown in f64, recorded rather than hidden: the same formula agrees with Theorem 3.1
 * at small t, loses accuracy as e^{2 s̃_max t/τ} grows, and recovers in decimal arithmetic (so the
 * loss is the arithmetic's, not the formula's).
 */
import { Random } from "../src/random.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { randomProblem } from "./exact_problems.ts";
import { assertOk, relativeError } from "./assert.ts";
import { seed } from "./budget.ts";

Deno.test("Eq. 5 in f64 breaks down at large t (documented), Theorem 3.1 does not", () => {
  const rng = new Random(seed + 20);
  const p = randomProblem(rng, { ni: 4, nh: 7, no: 4, scale: 0.1, regularB: true });
  const times = [1, 5, 10, 20, 40];
  const stable = solveExact(be, p.task, p.inputs, times, { method: "stable" });
  const rows = times.map((t, i) => {
    const ref = joinQQt(stable.states[i]);
    let err: number;
    try {
      const f = solveExact(be, p.task, p.inputs, [t], { method: "fukumizu" });
      const m = joinQQt(f.states[0]);
      err = m.isFinite() ? relativeError(m, ref) : Infinity;
    } catch {
      err = Infinity; // the bracket's LU or e^{Ft} failed: a breakdown too
    }
    return { t, err };
  });
  console.log(
    "Eq. 5 (f64) vs Theorem 3.1 on 4x7x4: " +
      rows.map((r) => `t=${r.t}: ${r.err.toExponential(1)}`).join(", "),
  );
  assertOk(rows[0].err < 1e-12, `agrees at t = 1: ${rows[0].err}`);
  // The breakdown: at t = 40τ the error is many orders above the rounding level.
  assertOk(rows[4].err > 1e-9, `expected Eq. 5 to have broken down at t = 40, got ${rows[4].err}`);
  assertOk(rows[4].err > 1e3 * rows[0].err, "error grows with t");
});

Deno.test("Eq. 5 in 60-digit decimal arithmetic agrees with Theorem 3.1 at t = 20τ", () => {
  const rng = new Random(seed + 21);
  const p = randomProblem(rng, { ni: 3, nh: 4, no: 3, scale: 0.1, regularB: true });
  const t = 20;
  const f = solveExact(decimalBackend(60), p.task, p.inputs, [t], { method: "fukumizu" });
  const s = solveExact(be, p.task, p.inputs, [t], { method: "stable" });
  const e = relativeError(joinQQt(f.states[0]), joinQQt(s.states[0]));
  console.log(`Eq. 5 (decimal 60) vs Theorem 3.1 (f64) at t = 20τ: ${e.toExponential(2)}`);
  assertOk(e < 1e-13, `${e}`);
});

Deno.test("Eq. 5's accuracy warning follows the precision rule: spread of s̃, not s̃_max", () => {
  const rng = new Random(seed + 21);
  const spread = randomProblem(rng, { ni: 4, nh: 4, no: 4, scale: 0.1, regularB: true });
  const warn = (p: typeof spread, t: number) =>
    solveExact(be, p.task, p.inputs, [t], { method: "fukumizu" }).warnings;
  assertOk(warn(spread, 0.5).length === 0, "no warning at small t");
  const late = warn(spread, 10);
  assertOk(late.length === 1 && late[0].includes("exceeds the tolerance"), `warning: ${late}`);
  // Equal singular values: e^{2(s̃_max − s̃_min)t/τ} = 1, and the precision study measured no loss
  // up to overflow (README, "Precision study"), so no warning even at large t.
  const flat = randomProblem(new Random(seed + 22), {
    ni: 3,
    nh: 3,
    no: 3,
    scale: 0.1,
    regularB: true,
    singularValues: [1.5, 1.5, 1.5],
  });
  assertOk(warn(flat, 10).length === 0, `no warning for an equal spectrum: ${warn(flat, 10)}`);
});
