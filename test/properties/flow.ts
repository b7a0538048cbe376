/**
 * The flow (semigroup) property of the exact solution: the state reached at `t1`, turned back
 * into weights by the library's `weightsFromQQt` (any factor of `QQᵀ(t1)`: gradient flow does
 * not see a rotation of the hidden layer), solved for a further `t2`, equals the solution at
 * `t1 + t2`.
 *
 * @module
 */
import fc from "fast-check";
import { assertOk, relativeError } from "../assert.ts";
import { weightsFromQQt } from "../../src/exact/weights.ts";
import { buildProblem, conditionOfB, problemArb, taskRange } from "./arbitraries.ts";
import { exactTolerance, solveQQt } from "./common.ts";
import { type AnyProperty, property } from "./harness.ts";

export const flowProperty = property({
  name: "flow property: solving from the state at t1 for t2 equals solving to t1 + t2",
  arb: fc.record({
    problem: problemArb(),
    t1: fc.integer({ min: 0, max: 12 }),
    t2: fc.integer({ min: 0, max: 12 }),
  }),
  runs: [180, 2000],
  check({ problem, t1: k1, t2: k2 }, be) {
    const p = buildProblem(problem);
    const { max, min } = taskRange(p);
    const step = 0.5 / min, t1 = k1 * step, t2 = k2 * step;
    const { qqt, traj } = solveQQt(be, p, [t1, t1 + t2]);
    const mid = weightsFromQQt(be, qqt[0], p.ni, p.nh);
    const second = solveQQt(be, { ...p, init: mid }, [t2]);
    // Both legs carry the form's error (see exactTolerance); the restart also re-factors
    // QQᵀ(t1) (an SVD: ~n ε relative), and that perturbation of the state at t1 is amplified
    // by the flow's own sensitivity, seen up to ~1e5 mid-way through learning (agreement.ts,
    // reference property): 1e-9 covers ε·1e5 with margin.
    const tol = 1e-9 + exactTolerance(traj, conditionOfB(p), max, t1 + t2) +
      exactTolerance(second.traj, conditionOfB({ ...p, init: mid }), max, t2);
    const e = relativeError(second.qqt[0], qqt[1]);
    assertOk(
      e <= tol,
      `t1=${t1}, t2=${t2}: restarted ${e.toExponential(2)} > ${tol.toExponential(2)} ` +
        `(${traj.method} then ${second.traj.method})`,
    );
  },
});

/** The properties of this file. */
export const flowProperties: AnyProperty[] = [flowProperty];
