/**
 * The exact solution a figure needs, in the arithmetic that can give it: f64 first; when the
 * f64 answer is refused for precision (B singular → B-free form with growing exponentials,
 * MATH.md), decimal.js with enough digits for the horizon (the digits the B-free form is
 * expected to lose plus 20).
 *
 * @module
 */
import { AssumptionError } from "../errors.ts";
import { bfreeDigitsLost, type ExactTrajectory, solveExact } from "../exact/solve.ts";
import { decimalBackend } from "../linalg/decimal.ts";
import { f64Backend } from "../linalg/f64.ts";
import { svd } from "../linalg/svd.ts";
import type { Matrix } from "../matrix.ts";
import type { Task } from "../task.ts";

/** An exact trajectory and the decimal digits used (`0` for f64). */
export type FigureExact = ExactTrajectory & { digits: number };

/** Decimal digits kept beyond the expected loss of the B-free form. */
const SPARE_DIGITS = 20;

/**
 * Solves `task` from `init` at `times` (units of τ = 1) exactly: f64, or decimal when f64 is
 * refused for precision.
 * @throws {AssumptionError} for any other violated assumption
 */
export function exactForFigure(
  task: Task,
  init: { w1: Matrix; w2: Matrix },
  times: readonly number[],
): FigureExact {
  try {
    return { ...solveExact(f64Backend, task, init, times), digits: 0 };
  } catch (error) {
    if (!(error instanceof AssumptionError) || error.assumption !== "precision") throw error;
  }
  const sMax = svd(task.sigmaYX).s[0];
  const digits = Math.ceil(bfreeDigitsLost(sMax, Math.max(...times)) + SPARE_DIGITS);
  return { ...solveExact(decimalBackend(digits), task, init, times), digits };
}
