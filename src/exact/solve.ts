/**
 * One entry point for the exact solutions: checks assumptions, picks or builds the requested
 * form, evaluates it on a time axis.
 *
 * `auto` measures `2/σ_min(B)`: up to {@link AUTO_STABLE_CONDITION} it uses Theorem 3.1 (which
 * loses about `2 log10 cond(B)` digits), above it the stable B-free form (`bfree_stable.ts`, valid
 * for every `B`, no growing exponentials); the `reason` says which and why. Singular `B` is
 * common, not exotic: for square problems it happens exactly when
 * `sign det W2W1(0) ≠ sign det Σyx` (MATH.md), and gradient flow then goes to a saddle.
 *
 * The forms requested by name are checked against the digits they are expected to keep:
 * Theorem 3.1 `2 log10 cond(B)` lost, the B-free form of MATH.md `log10 e^{2 s̃_max t/τ}` at the
 * largest requested time ({@link bfreeDigitsLost}). Fewer than `minDigits` (default 4) kept is
 * refused with an `AssumptionError` (never returned silently wrong); fewer than 9 comes with a
 * warning. Eq. 5 (the naive baseline) is returned as printed, with a warning when its growth is
 * expected to cost digits.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Matrix } from "../matrix.ts";
import { AssumptionError, InputError } from "../errors.ts";
import type { Task } from "../task.ts";
import type { Trajectory } from "../trajectory.ts";
import {
  bCondition,
  checkAssumptions,
  checkSquare,
  DEFAULT_TOLERANCES,
  type ExactInputs,
  measureImbalance,
  type Tolerances,
} from "./assumptions.ts";
import { f64Backend } from "../linalg/f64.ts";
import { decimalBackend } from "../linalg/decimal.ts";
import { alignedSolution } from "./aligned.ts";
import { bfreeSolution } from "./bfree.ts";
import { bfreeStableSolution } from "./bfree_stable.ts";
import { fukumizuSolution } from "./fukumizu.ts";
import { FACTORED_MAX_STEPS, factoredSolution, factoredSteps } from "./factored.ts";
import { computeModes } from "./modes.ts";
import { prepareLambda } from "./lambda_solve.ts";
import { checkTimes, evaluate, type ExactSolution, T_OVER_TAU_MAX } from "./solution.ts";
import { DEFAULT_TOLERANCE, F64_UNIT, unitRoundoff } from "./error_estimate.ts";
import { stableSolution } from "./stable.ts";

/** The exact forms. */
export type ExactMethod =
  | "auto"
  | "stable"
  | "bfree"
  | "bfree-stable"
  | "fukumizu"
  | "aligned"
  | "lambda"
  | "lambda-echelon"
  | "lambda-riccati"
  | "factored";

/**
 * `auto` uses Theorem 3.1 up to this `2/σ_min(B)` and the stable B-free form above it. Theorem
 * 3.1 applies `B⁻¹` on both sides (`B⁻¹S⁻¹B⁻ᵀ`, `B⁻¹C`), so its f64 error grows like
 * `cond(B)²·ε`: measured against the gradient-flow reference, about `7e-17·cond(B)²` at small `t`
 * (1e-9 at cond(B) ≈ 7e3; test/exact_stable_test.ts), while the stable B-free form stays near
 * 1e-15 at any cond(B). At 100 Theorem 3.1 keeps about 12 digits; about 4 % of random
 * rectangular problems lie above it.
 */
export const AUTO_STABLE_CONDITION = 100;

/** The exact methods, for validation of user input. */
export const EXACT_METHODS: readonly ExactMethod[] = [
  "auto",
  "stable",
  "bfree",
  "bfree-stable",
  "fukumizu",
  "aligned",
  "lambda",
  "lambda-echelon",
  "lambda-riccati",
  "factored",
];

/** Options of {@link prepareExact} and {@link solveExact}. */
export interface ExactOptions {
  /** Which form (default `"auto"`). */
  method?: ExactMethod;
  /** Assumption tolerances (default {@link DEFAULT_TOLERANCES}). */
  tolerances?: Partial<Tolerances>;
  /**
   * The largest `t/τ` that will be evaluated: the B-free form's accuracy estimate uses it
   * (default 0, no estimate).
   */
  horizon?: number;
  /** Fewest correct digits the B-free form may be expected to keep before refusing (default 4). */
  minDigits?: number;
  /**
   * Relative accuracy wanted, relative to `max|QQᵀ|` (default {@link DEFAULT_TOLERANCE}): `auto`
   * chooses form and arithmetic to reach it; an answer whose error estimate exceeds it carries
   * a warning with the estimate.
   */
  tolerance?: number;
  /**
   * `auto`'s budget: the most significant digits it may use in decimal arithmetic to reach the
   * tolerance (default {@link AUTO_MAX_DIGITS}); beyond it, it evaluates at the budget and warns.
   */
  maxDigits?: number;
  /**
   * Whether `auto` may switch to decimal arithmetic at all (default true). A caller bounding
   * the cost of a run sets false for problems too large for decimal arithmetic: the given
   * arithmetic is kept, and the estimate above the tolerance is reported as a warning.
   */
  decimalFallback?: boolean;
  /** Why the form was chosen, when a caller (`auto`'s arithmetic choice) decided for it. */
  reason?: string;
}

/** Default of {@link ExactOptions.maxDigits}. */
export const AUTO_MAX_DIGITS = 100;

/**
 * The digits rule of `auto`: every error model is `u · (amplification)`, the amplification
 * being a property of the problem and the form, not of the arithmetic. An estimate `e` at unit
 * roundoff `u` thus becomes `e · 10^−d / u` in decimal arithmetic with `d` digits, which is
 * within `tolerance` for `d = ⌈log10(e / (u · tolerance))⌉`; at least 20 digits are used (below
 * that decimal arithmetic buys little over f64).
 */
export function digitsForTolerance(estimate: number, u: number, tolerance: number): number {
  return Math.max(20, Math.ceil(Math.log10(estimate / (u * tolerance))));
}

/** A trajectory with the form used, why, and accuracy warnings. */
export interface ExactTrajectory extends Trajectory {
  /**
   * Which closed form was evaluated and why, e.g. `"cond(B) = 2/σ_min(B) = 3.10e+0 ≤ 1e+4:
   * Theorem 3.1 (stable form)"`; for `auto` it gives the measured `cond(B)` that decided.
   */
  reason: string;
  /**
   * Accuracy notes, e.g. fewer than 9 correct digits expected from the digits the form loses
   * (`2 log10 cond(B)` for Theorem 3.1, `log10 e^{2 s̃_max t/τ}` for the B-free form); empty when
   * none applies.
   */
  warnings: string[];
  /** The balance `λ` of the weights (`W2ᵀW2 − W1W1ᵀ = λI`), measured; 0 for zero-balanced. */
  lambda: number;
  /** The arithmetic the form was evaluated in, e.g. `"f64"` or `"decimal(40)"`. */
  arithmetic: string;
  /** The requested relative accuracy (see {@link ExactOptions.tolerance}). */
  tolerance: number;
  /**
   * Estimated relative error (relative to `max|QQᵀ|`) at each time, an upper bound in practice
   * (`src/exact/error_estimate.ts`).
   */
  errorEstimates: number[];
  /** The largest of {@link errorEstimates}. */
  errorEstimate: number;
}

/**
 * Estimated number of decimal digits the B-free form loses at `t/τ = x`: `log10 e^{2 s̃_max x}`.
 * The large entries of `Z̄` and `M̄` grow like `e^{s̃_max x}` and `e^{2 s̃_max x}` while the
 * result stays of order one, so rounding errors are amplified by about that factor; measured
 * against gradient flow in test/exact_bfree_test.ts.
 */
export function bfreeDigitsLost(sMax: number, x: number): number {
  return (2 * sMax * x) / Math.LN10;
}

/**
 * Checks assumptions and prepares the requested exact solution. Its handles are allocated in
 * the caller's backend scope (wrap in `be.scoped` to free them).
 * @throws {ShapeError|NonFiniteError|AssumptionError} on inputs the form does not accept
 */
export function prepareExact<M>(
  be: Backend<M>,
  inp: ExactInputs,
  options: ExactOptions = {},
): ExactSolution<M> {
  const method = options.method ?? "auto";
  const tol = { ...DEFAULT_TOLERANCES, ...options.tolerances };
  if (method === "aligned") return alignedSolution(be, inp, { tolerances: tol });
  const lambdaForm = prepareLambda(be, inp, method, tol, options); // λ-balanced weights
  if (lambdaForm) return lambdaForm;
  const dims = checkAssumptions(be, inp, tol);
  if (method === "factored") {
    return factoredSolution(be, inp, dims, options.reason ?? 'method "factored" requested');
  }
  if (method === "fukumizu") {
    checkSquare(dims, "Eq. 5 (Fukumizu's form)");
    // Its error estimate is the precision study's rule (src/precision.ts); solveExact warns
    // when it exceeds the tolerance.
    return fukumizuSolution(be, inp, dims);
  }
  const modes = computeModes(be, inp, dims);
  const cond = bCondition(be, modes.b);
  const imbalance = () => measureImbalance(f64Backend, inp.w1, inp.w2);
  const condText = `cond(B) = 2/σ_min(B) = ${cond.toExponential(2)}`;
  const horizon = options.horizon ?? 0;
  const stableOk = cond <= tol.bCondition;
  if (method === "stable" && !stableOk) {
    throw new AssumptionError(
      "3.1 B non-singular",
      cond,
      tol.bCondition,
      'condition number of B (use method "bfree-stable" or "auto")',
    );
  }
  if (method === "auto" && !(cond <= AUTO_STABLE_CONDITION)) {
    const why = stableOk
      ? `${condText} > ${AUTO_STABLE_CONDITION.toExponential(0)} (Theorem 3.1 would lose ` +
        `${(2 * Math.log10(cond)).toFixed(1)} digits)`
      : `${condText} > ${tol.bCondition.toExponential(0)} (B singular or ill-conditioned, ` +
        "Assumption 3.1 fails)";
    return bfreeStableSolution(be, modes, `${why}: stable B-free form`, [], imbalance());
  }
  if (method === "bfree-stable") {
    const reason = `method "bfree-stable" requested; ${condText}`;
    return bfreeStableSolution(be, modes, reason, [], imbalance());
  }
  // Theorem 3.1 (loses ≈ 2 log10 cond(B) digits) or the B-free form of MATH.md (growth).
  const useStable = method !== "bfree";
  const sMax = be.toMatrix(modes.st).data[0];
  const lost = useStable ? 2 * Math.log10(Math.max(cond, 1)) : bfreeDigitsLost(sMax, horizon);
  const kept = be.digits - lost;
  const minDigits = options.minDigits ?? 4;
  const form = useStable ? "Theorem 3.1 (stable form)" : "the B-free form";
  const estimate = useStable
    ? `error ≈ cond(B)²·ε`
    : `growth e^{2 s̃_max t/τ}, s̃_max = ${sMax.toPrecision(4)}, t/τ ≤ ${horizon}`;
  if (kept < minDigits) {
    throw new AssumptionError(
      "precision",
      lost,
      be.digits - minDigits,
      `decimal digits ${form} is expected to lose in ${be.name} arithmetic (${estimate}); ` +
        'use method "bfree-stable", more digits ("digits") or shorter times',
    );
  }
  const warnings: string[] = []; // solveExact warns when the error estimate exceeds the tolerance
  const reason = method === "auto"
    ? `${condText} ≤ ${AUTO_STABLE_CONDITION.toExponential(0)}: Theorem 3.1 (stable form)`
    : `method "${method}" requested; ${condText}`;
  return useStable
    ? stableSolution(be, modes, reason, warnings)
    : bfreeSolution(be, modes, reason, warnings);
}

/**
 * Solves a problem exactly on a time axis: `task` (`Σyx`, `Σxx`) and `init` (`W1(0)`, `W2(0)`).
 * @param times non-negative times in units of `τ = tau`, any order
 * @param options `strings: true` also returns each `QQᵀ` as decimal strings with every digit
 *   of the arithmetic used (`digitStrings`); `onEvaluated` is called after each time point (progress
 *   reports)
 * @example
 * ```ts
 * const r = solveExact(f64Backend, task, { w1, w2 }, [0, 1, 10]);
 * r.method; // "stable" (or "bfree-stable" when B is singular)
 * r.states[2].w2w1; // network function at t = 10τ
 * ```
 */
export function solveExact<M>(
  be: Backend<M>,
  task: Task,
  init: { w1: Matrix; w2: Matrix },
  times: readonly number[],
  options: ExactOptions & { tau?: number; strings?: boolean; onEvaluated?: () => void } = {},
): ExactTrajectory & { digitStrings?: string[][][] } {
  const tau = options.tau ?? 1;
  checkTimes(times, tau);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (!(tolerance > 0 && tolerance < 1)) {
    throw new InputError(`tolerance must be in (0, 1), got ${tolerance}`);
  }
  const maxDigits = options.maxDigits ?? AUTO_MAX_DIGITS;
  const inputs = { sigmaYX: task.sigmaYX, sigmaXX: task.sigmaXX, w1: init.w1, w2: init.w2 };
  // Loops, not spreads: a spread of 1e5+ arguments overflows the call stack.
  const largest = (xs: readonly number[]) => xs.reduce((a, x) => Math.max(a, x), -Infinity);
  const prepOptions = { horizon: Math.max(0, largest(times)) / tau, ...options };
  const isAuto = options.method === undefined || options.method === "auto";
  const maxX = Math.min(Math.max(0, largest(times)) / tau, T_OVER_TAU_MAX);
  // auto's form, evaluated in the given arithmetic: its estimate, and whether the factored form
  // may stand in for it (same zero-balanced flow, no mode left at a saddle, steps within budget).
  const given = !isAuto ? undefined : be.scoped(() => {
    const sol = prepareExact(be, inputs, prepOptions);
    return {
      estimate: largest(times.map((t) => sol.errorAt(Math.min(t / tau, T_OVER_TAU_MAX)))),
      form: sol.method,
      reason: sol.reason,
      factorable: !sol.lambda && !sol.warnings.some((w) => w.startsWith("B is singular")),
    };
  });
  if (!given) return finish(be, "");
  const over = `${be.name} estimate of ${given.form} ${given.estimate.toExponential(1)} > ` +
    `tolerance ${tolerance.toExponential(1)}`;
  if (!(given.estimate > tolerance)) {
    return finish(
      be,
      `${be.name} estimate ${given.estimate.toExponential(1)} ≤ tolerance ${
        tolerance.toExponential(1)
      }`,
    );
  }
  // auto's remedies, in order: the factored form in the same arithmetic (no S⁻¹ of W2W1(0)),
  // then decimal with the digits of digitsForTolerance, within the budget maxDigits.
  // (In a decimal arithmetic a caller chose, more digits are cheaper than the factored steps.)
  if (given.factorable && be.name === f64Backend.name) {
    const factored = be.scoped(() => {
      const sol = prepareExact(be, inputs, { ...prepOptions, method: "factored" });
      return factoredSteps(maxX, be.toMatrix(be.singularValues(be.from(task.sigmaYX))).data[0]) <=
          FACTORED_MAX_STEPS
        ? largest(times.map((t) => sol.errorAt(Math.min(t / tau, T_OVER_TAU_MAX))))
        : Infinity;
    });
    if (factored <= tolerance) {
      const why = `${over}: the factored form (no S⁻¹ of W2W1(0)), estimate ` +
        factored.toExponential(1);
      return finish(be, why, "factored", `${given.reason}; replaced by the factored form`);
    }
  }
  if (options.decimalFallback === false) {
    return finish(be, `${over}, kept: decimal arithmetic not allowed for this problem`);
  }
  const digits = Math.max(
    digitsForTolerance(given.estimate, unitRoundoff(be), tolerance),
    Math.ceil(be.digits) + 1,
  );
  const used = Math.min(digits, maxDigits);
  return finish(
    decimalBackend(used),
    `${over}: decimal(${used}) from the digits rule ⌈log10(estimate/(u·tolerance))⌉ = ${digits}` +
      (digits > maxDigits ? `, capped at the budget maxDigits = ${maxDigits}` : ""),
  );

  function finish<N>(b: Backend<N>, why: string, method?: ExactMethod, reason?: string) {
    return b.scoped(() => {
      const sol = prepareExact(
        b,
        inputs,
        method ? { ...prepOptions, method, reason } : prepOptions,
      );
      const traj = evaluate(b, sol, task, times, tau, {
        digits: options.strings,
        onEvaluated: options.onEvaluated,
      });
      // States are returned as f64: their rounding adds 2^−53 (digit strings carry it all).
      const errorEstimates = traj.errorEstimates.map((e) => options.strings ? e : e + F64_UNIT);
      const errorEstimate = largest(errorEstimates);
      const warnings = [...sol.warnings];
      if (!(errorEstimate <= tolerance)) {
        warnings.push(
          `estimated relative error ${errorEstimate.toExponential(1)} exceeds the tolerance ` +
            `${tolerance.toExponential(1)} (${sol.method} in ${b.name}` +
            (why.includes("budget") ? `, at auto's budget of ${maxDigits} digits)` : ")"),
        );
      }
      return {
        ...traj,
        errorEstimates,
        reason: why ? `${sol.reason}; arithmetic: ${why}` : sol.reason,
        lambda: sol.lambda ?? 0,
        warnings,
        arithmetic: b.name,
        tolerance,
        errorEstimate,
      };
    });
  }
}
