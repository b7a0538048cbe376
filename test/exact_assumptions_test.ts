/**
 * Every assumption check fires on the input class it guards, with the assumption's name, the
 * measured value and the tolerance in the message; inputs just inside a tolerance pass.
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { AssumptionError, InputError, NonFiniteError, ShapeError } from "../src/errors.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import { checkAssumptions, DEFAULT_TOLERANCES } from "../src/exact/assumptions.ts";
import { solveExact } from "../src/exact/solve.ts";
import { limitQQt } from "../src/exact/limit.ts";
import { randomProblem } from "./exact_problems.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { seed } from "./budget.ts";

const rng = new Random(seed + 40);
const p = randomProblem(rng, { ni: 3, nh: 4, no: 2, scale: 0.2 });
const sq = randomProblem(rng, { ni: 3, nh: 3, no: 3, scale: 0.2, singularB: true });

function perturb(m: Matrix, i: number, j: number, d: number): Matrix {
  return Matrix.fromFunction(m.rows, m.cols, (r, c) => m.get(r, c) + (r === i && c === j ? d : 0));
}

Deno.test("valid inputs pass and report their dimensions", () => {
  assertEquals(checkAssumptions(be, p.inputs), { ni: 3, nh: 4, no: 2, nm: 2 });
});

Deno.test("shapes: each mismatch names expected and actual", () => {
  const bad = { ...p.inputs, w1: Matrix.zeros(4, 2) };
  assertThrows(() => checkAssumptions(be, bad), ShapeError, "W1 is 4×2, expected 4×3");
  assertThrows(
    () => checkAssumptions(be, { ...p.inputs, sigmaXX: Matrix.identity(2) }),
    ShapeError,
    "Σxx is 2×2, expected 3×3",
  );
  assertThrows(
    () => checkAssumptions(be, { ...p.inputs, w2: Matrix.zeros(2, 3) }),
    ShapeError,
    "W2 is 2×3, expected 2×4",
  );
  const narrow = randomProblem(rng, { ni: 3, nh: 3, no: 3, scale: 0.2 });
  const w1 = narrow.inputs.w1.slice(0, 2, 0, 3), w2 = narrow.inputs.w2.slice(0, 3, 0, 2);
  assertThrows(
    () => checkAssumptions(be, { ...narrow.inputs, w1, w2 }),
    ShapeError,
    "Nh = 2 hidden units < Nm = min(Ni, No) = 3",
  );
});

Deno.test("non-finite entries are named", () => {
  assertThrows(
    () => checkAssumptions(be, { ...p.inputs, w2: perturb(p.inputs.w2, 1, 2, NaN) }),
    NonFiniteError,
    "W2: entry (1, 2) is NaN",
  );
});

Deno.test("2.2 whitened: measured max|Σxx − I| against the tolerance", () => {
  const tol = DEFAULT_TOLERANCES.whitened;
  checkAssumptions(be, { ...p.inputs, sigmaXX: perturb(p.inputs.sigmaXX, 0, 0, tol / 2) });
  const e = assertThrows(
    () => checkAssumptions(be, { ...p.inputs, sigmaXX: perturb(p.inputs.sigmaXX, 0, 1, 1e-3) }),
    AssumptionError,
    "2.2 whitened inputs",
  ) as AssumptionError;
  assertEquals(e.measured, 1e-3);
  assertEquals(e.tolerance, tol);
  assertOk(e.message.includes("1.000e-3") && e.message.includes("1.000e-9"), e.message);
});

Deno.test("2.3 zero-balanced: relative imbalance against the tolerance", () => {
  const e = assertThrows(
    () => checkAssumptions(be, { ...p.inputs, w2: perturb(p.inputs.w2, 0, 0, 1e-4) }),
    AssumptionError,
    "2.3 zero-balanced",
  ) as AssumptionError;
  assertOk(e.measured > 1e-6 && e.measured < 1e-2, `${e.measured}`);
});

Deno.test("2.3 zero-balanced: the measured imbalance of a hand case", () => {
  // W1 = [[1]], W2 = [[2]]: W1W1ᵀ = 1, W2ᵀW2 = 4, imbalance |1 − 4| / max(1, 4) = 0.75.
  const e = assertThrows(
    () =>
      checkAssumptions(be, {
        sigmaYX: Matrix.from([[1]]),
        sigmaXX: Matrix.identity(1),
        w1: Matrix.from([[1]]),
        w2: Matrix.from([[2]]),
      }),
    AssumptionError,
    "2.3 zero-balanced",
  ) as AssumptionError;
  assertEquals(e.measured, 0.75);
});

Deno.test("2.4 full rank: rank-deficient task and network function", () => {
  const sigmaYX = Matrix.from([[1, 2, 3], [2, 4, 6]]);
  assertThrows(
    () => checkAssumptions(be, { ...p.inputs, sigmaYX }),
    AssumptionError,
    "σ_max/σ_min of Σyx",
  );
  // A balanced init of rank 1 < Nm = 2: W1 = r sᵀ... built as a rank-one zero-balanced pair.
  const w1 = Matrix.fromFunction(4, 3, (i, j) => (i === 0 && j === 0 ? 0.3 : 0));
  const w2 = Matrix.fromFunction(2, 4, (i, j) => (i === 0 && j === 0 ? 0.3 : 0));
  assertThrows(
    () => checkAssumptions(be, { ...p.inputs, w1, w2 }),
    AssumptionError,
    "σ_max/σ_min of W2W1(0)",
  );
});

Deno.test("2.1 Ni = No for Eq. 5 and Theorem 5.1", () => {
  for (const method of ["fukumizu", "aligned"] as const) {
    assertThrows(
      () => solveExact(be, p.task, p.inputs, [1], { method }),
      ShapeError,
      "assumption 2.1 violated",
    );
  }
});

Deno.test("3.1 B non-singular: stable refuses, auto switches and says why, limit refuses", () => {
  assertThrows(
    () => solveExact(be, sq.task, sq.inputs, [1], { method: "stable" }),
    AssumptionError,
    "3.1 B non-singular",
  );
  const r = solveExact(be, sq.task, sq.inputs, [1]);
  assertEquals(r.method, "bfree-stable");
  assertOk(r.reason.includes("Assumption 3.1 fails"), r.reason);
  assertThrows(() => limitQQt(be, sq.inputs), AssumptionError, "saddle");
});

Deno.test("times and tau are validated", () => {
  assertThrows(() => solveExact(be, p.task, p.inputs, [-1]), InputError, "times[0]");
  assertThrows(() => solveExact(be, p.task, p.inputs, [NaN]), InputError, "times[0]");
  assertThrows(() => solveExact(be, p.task, p.inputs, [1], { tau: 0 }), InputError, "tau");
});
