/**
 * Data units of the lazy/rich figure (`deno task lazy-rich`): one training run from λ-balanced
 * weights summarised by the measures of src/lazy_rich.ts, and the first time a sampled curve
 * reaches a level (time to learn).
 *
 * @module
 */
import { kernelDistanceOverTime, layerSingularValues, taskSpecificity } from "../lazy_rich.ts";
import type { Matrix } from "../matrix.ts";
import type { Trajectory } from "../trajectory.ts";

/**
 * The first abscissa where the sampled curve `y(x)` reaches `level` from above, linearly
 * interpolated between the two samples around it; `NaN` when it never does.
 */
export function firstCrossing(x: readonly number[], y: readonly number[], level: number): number {
  if (y.length > 0 && y[0] <= level) return x[0];
  for (let i = 1; i < y.length; i++) {
    if (y[i] <= level) {
      const f = (y[i - 1] - level) / (y[i - 1] - y[i]);
      return x[i - 1] + f * (x[i] - x[i - 1]);
    }
  }
  return NaN;
}

/** The lazy/rich measures along one trajectory (times in units of `τ`). */
export interface LazyRichSummary {
  /** `t/τ` of each state. */
  x: number[];
  /** NTK kernel distance from `t = 0` (whitened inputs). */
  kernelDistance: number[];
  /** Task-specificity of `W1ᵀW1`. */
  specificity: number[];
  /** Largest singular value of `W1` and of `W2`. */
  topSigma1: number[];
  topSigma2: number[];
  /** First `t/τ` with the loss at half its initial value (`NaN` if not within the run). */
  halfLossTime: number;
}

/** Summarises a trajectory on the task `Σyx` (see {@link LazyRichSummary}). */
export function summariseRun(traj: Trajectory, sigmaYX: Matrix): LazyRichSummary {
  const x = traj.times.map((t) => t / traj.tau);
  const sigmas = traj.states.map(layerSingularValues);
  return {
    x,
    kernelDistance: kernelDistanceOverTime(traj),
    specificity: traj.states.map((s) => taskSpecificity(s, sigmaYX)),
    topSigma1: sigmas.map((s) => s.w1[0]),
    topSigma2: sigmas.map((s) => s.w2[0]),
    halfLossTime: firstCrossing(x, traj.loss, traj.loss[0] / 2),
  };
}
