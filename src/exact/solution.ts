/**
 * What every exact solution is: a function of `t/τ` with all time-independent work done once,
 * and the one driver that evaluates it on a time axis into a `Trajectory`.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import { InputError } from "../errors.ts";
import { type Task, taskLoss } from "../task.ts";
import type { QQtBlocks, Trajectory } from "../trajectory.ts";
import type { Dims } from "./assumptions.ts";

/**
 * An exact solution prepared for evaluation. Its precomputed handles live in the backend scope
 * that was open when it was built.
 */
export interface ExactSolution<M> {
  /** Which form, e.g. `"stable"`, `"bfree"`, `"fukumizu"`, `"limit"`. */
  readonly method: string;
  /** Why this form was used (from `auto`) or what it is. */
  readonly reason: string;
  /** Notes on accuracy the caller should see (e.g. growing exponentials). */
  readonly warnings: string[];
  /** `Ni`, `Nh`, `No`, `Nm` of the problem; `at` returns `(Ni+No) × (Ni+No)` handles. */
  readonly dims: Dims;
  /** The balance `λ` the form assumes (`W2ᵀW2 − W1W1ᵀ = λI`); absent means 0 (zero-balanced). */
  readonly lambda?: number;
  /**
   * Estimated relative error of `at(s)` in the backend's arithmetic, relative to `max|QQᵀ|`
   * (an upper bound in practice: the tests check it never falls below the actual error by more
   * than 10×). See `error_estimate.ts` for each form's model.
   */
  errorAt(s: number): number;
  /**
   * `QQᵀ(t)` for `t/τ = s` as a backend handle, `(Ni+No) × (Ni+No)`. Call it inside
   * `backend.scoped` (the driver does) so the per-time temporaries are freed.
   */
  at(s: number): M;
}

/**
 * `QQᵀ = Z M⁻¹ Zᵀ` for symmetric positive definite `M = LLᵀ`, given `Zᵀ`: computed as `WᵀW` with
 * `W = L⁻¹Zᵀ` (one Cholesky factorisation, one triangular solve, one symmetric product), so the
 * result is symmetric positive semidefinite by construction. Every exact form ends with it.
 *
 * @throws {NotPositiveDefiniteError} when `M` is not numerically positive definite
 */
export function congruenceInverse<M>(be: Backend<M>, m: M, zt: M): M {
  const w = be.choleskyWhiten(m, zt);
  return be.matmul(w, w, true);
}

/** Splits `QQᵀ` (`(Ni+No) × (Ni+No)`) into its blocks. */
export function splitQQt(qqt: Matrix, ni: number): QQtBlocks {
  const n = qqt.rows, no = n - ni;
  // The three blocks share one buffer (one allocation per state, not three).
  const all = new Float64Array(ni * ni + no * ni + no * no);
  return {
    w1tw1: qqt.slice(0, ni, 0, ni, all),
    w2w1: qqt.slice(ni, n, 0, ni, all.subarray(ni * ni)),
    w2w2t: qqt.slice(ni, n, ni, n, all.subarray(ni * n)),
  };
}

/** `QQᵀ = [[W1ᵀW1, (W2W1)ᵀ], [W2W1, W2W2ᵀ]]` from its blocks (inverse of {@link splitQQt}). */
export function joinQQt(q: QQtBlocks): Matrix {
  const ni = q.w1tw1.rows, n = ni + q.w2w2t.rows;
  return Matrix.fromFunction(n, n, (i, j) => {
    if (i < ni) return j < ni ? q.w1tw1.get(i, j) : q.w2w1.get(j - ni, i);
    return j < ni ? q.w2w1.get(i - ni, j) : q.w2w2t.get(i - ni, j - ni);
  });
}

/**
 * Largest `t/τ` an exact form is evaluated at; later times (up to `t/τ = ∞` when `t/τ`
 * overflows, e.g. `t = 1e308`, `τ = 5e-324`) get its value there, the `t → ∞` limit to every
 * accepted precision: the decaying factors `e^{−s̃ t/τ}` underflow (`s̃ ≥ 1e-153` by the magnitude
 * and rank checks), the `1/(t/τ)` terms of rectangular saddles are below 1e-200 relative, and
 * `t/τ` times the bounded matrices of the forms stays far inside f64's range.
 */
export const T_OVER_TAU_MAX = 1e200;

/**
 * Checks a time axis: finite, non-negative numbers, and `τ > 0` finite.
 * @throws {InputError} naming the offending entry
 */
export function checkTimes(times: readonly number[], tau: number): void {
  if (!(tau > 0) || !Number.isFinite(tau)) {
    throw new InputError(`tau must be a positive finite number, got ${tau}`);
  }
  times.forEach((t, i) => {
    if (typeof t !== "number" || !(t >= 0) || !Number.isFinite(t)) {
      throw new InputError(`times[${i}] = ${t}: times must be finite and non-negative`);
    }
  });
}

/**
 * Evaluates `solution` at every `t` in `times` (units of `τ = tau`), each inside its own
 * backend scope, and returns the trajectory with the loss on `task` (see `taskLoss`) and the
 * solution's error estimate at each time (`errorEstimates`). With
 * `digits`, also each `QQᵀ` as decimal strings carrying every digit the backend has (the states
 * and losses are always rounded to f64). `onEvaluated` is called after each time point
 * (progress reports).
 * @throws {InputError} on a negative or non-finite time or a bad `tau`
 */
export function evaluate<M>(
  be: Backend<M>,
  solution: ExactSolution<M>,
  task: Task,
  times: readonly number[],
  tau = 1,
  options: { digits?: boolean; onEvaluated?: () => void } = {},
): Trajectory & { digitStrings?: string[][][]; errorEstimates: number[] } {
  checkTimes(times, tau);
  const digitStrings: string[][][] = [];
  const xs = times.map((t) => Math.min(t / tau, T_OVER_TAU_MAX));
  const states = xs.map((x, i) =>
    be.scoped(() => {
      const h = solution.at(x);
      const q = be.toMatrix(h);
      if (!q.isFinite()) {
        throw new InputError(
          `times[${i}]: t/τ = ${times[i]}/${tau} = ${x.toExponential(3)} leaves the range of ` +
            `${be.name} in ${solution.method} (QQᵀ not finite); use method "auto" or more digits`,
        );
      }
      if (options.digits) digitStrings.push(be.toStrings(h));
      const state = splitQQt(q, solution.dims.ni);
      options.onEvaluated?.();
      return state;
    })
  );
  return {
    method: solution.method,
    tau,
    times: [...times],
    states,
    // Without tr Σyy the loss is ½‖W2W1 − Σyx‖² ≥ 0 (whitened); its rounding may not go below 0.
    loss: states.map((q) =>
      task.traceYY === undefined ? Math.max(0, taskLoss(task, q.w2w1)) : taskLoss(task, q.w2w1)
    ),
    errorEstimates: xs.map((x) => solution.errorAt(x)),
    ...(options.digits ? { digitStrings } : {}),
  };
}
