/**
 * Continual learning over a task sequence `T1, T2, …` (paper Section 6): each task's final state
 * is the next task's initial state, every stage solved exactly (`auto` form per stage), and the
 * forgetting table computed before any training.
 *
 * After convergence on `Tj` (Theorem 3.2: `W2W1 → Σj`) the loss on `Ti` is
 * `Li(Tj) = ½‖Σj − Σi‖²_F + ci`, `ci = ½(tr Σyy,i − ‖Σi‖²_F)` — which is `taskLoss(Ti, Σj)`.
 * Forgetting of `Ta` when training on `Tc` after `Tb` is `La(Tc) − La(Tb)`.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Matrix } from "../matrix.ts";
import { InputError, ShapeError } from "../errors.ts";
import { type Task, taskLoss } from "../task.ts";
import type { Trajectory } from "../trajectory.ts";
import { type ExactOptions, solveExact } from "./solve.ts";
import { joinQQt } from "./solution.ts";
import { weightsFromQQt } from "./weights.ts";

/**
 * `table[i][j] = Li(Tj)`, the loss on task `i` once the network has converged on task `j`
 * (whitened tasks of one shape).
 * @throws {ShapeError} when the tasks' `Σyx` shapes differ
 */
export function forgettingTable(tasks: readonly Task[]): number[][] {
  checkSameShape(tasks);
  return tasks.map((ti) => tasks.map((tj) => taskLoss(ti, tj.sigmaYX)));
}

function checkSameShape(tasks: readonly Task[]): void {
  const [r, c] = tasks[0]?.sigmaYX.shape ?? [0, 0];
  tasks.forEach((t, i) => {
    if (t.sigmaYX.rows !== r || t.sigmaYX.cols !== c) {
      throw new ShapeError(
        `task ${i}: Σyx is ${t.sigmaYX.rows}×${t.sigmaYX.cols}, task 0's is ${r}×${c}`,
      );
    }
  });
}

/** The result of {@link continualLearning}. */
export interface ContinualResult {
  /**
   * All stages on one time axis (stage `j` starts where stage `j − 1` ended); `loss` is the loss
   * on the task being trained, `extraLosses[name]` the loss on every task at every time.
   */
  trajectory: Trajectory;
  /** Form, reason, arithmetic and error estimate (relative to `max|QQᵀ|`) of each stage. */
  stages: {
    task: string;
    method: string;
    reason: string;
    warnings: string[];
    arithmetic: string;
    errorEstimate: number;
  }[];
  /** {@link forgettingTable} of the tasks, computed before training. */
  forgetting: number[][];
}

/**
 * Trains on `tasks` in order, `durations[j]` time units each, recording `pointsPerStage` evenly
 * spaced times per stage (both ends included). The final `QQᵀ` of a stage becomes the next
 * initial state through {@link weightsFromQQt} (weights up to a hidden-layer rotation, which
 * gradient flow does not see).
 * @throws {InputError} on mismatched lengths or non-positive durations
 * @throws {AssumptionError} when a stage's start violates an assumption (e.g. a stage that ended
 *   at a saddle leaves a rank-deficient network function)
 */
export function continualLearning<M>(
  be: Backend<M>,
  tasks: readonly Task[],
  init: { w1: Matrix; w2: Matrix },
  durations: readonly number[],
  pointsPerStage = 50,
  options: ExactOptions & { tau?: number } = {},
): ContinualResult {
  if (tasks.length === 0 || durations.length !== tasks.length) {
    throw new InputError(
      `continual learning needs one duration per task: ${tasks.length} tasks, ` +
        `${durations.length} durations`,
    );
  }
  if (!(pointsPerStage >= 2) || !Number.isInteger(pointsPerStage)) {
    throw new InputError(`pointsPerStage must be an integer ≥ 2, got ${pointsPerStage}`);
  }
  durations.forEach((d, i) => {
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new InputError(`durations[${i}] = ${d}: durations must be positive and finite`);
    }
  });
  const forgetting = forgettingTable(tasks);
  const names = tasks.map((t, i) => t.name ?? `T${i + 1}`);
  const nh = init.w1.rows, ni = init.w1.cols;
  const traj: Trajectory = {
    method: "continual",
    tau: options.tau ?? 1,
    times: [],
    states: [],
    loss: [],
    extraLosses: Object.fromEntries(names.map((n) => [n, [] as number[]])),
  };
  const stages: ContinualResult["stages"] = [];
  let weights = init, offset = 0;
  tasks.forEach((task, j) => {
    const times = Array.from(
      { length: pointsPerStage },
      (_, k) => (durations[j] * k) / (pointsPerStage - 1),
    );
    const r = solveExact(be, task, weights, times, options);
    const { method, reason, warnings, arithmetic, errorEstimate } = r;
    stages.push({ task: names[j], method, reason, warnings, arithmetic, errorEstimate });
    r.states.forEach((q, k) => {
      traj.times.push(offset + times[k]);
      traj.states.push(q);
      traj.loss.push(r.loss[k]);
      tasks.forEach((ti, i) => traj.extraLosses![names[i]].push(taskLoss(ti, q.w2w1)));
    });
    const last = r.states[r.states.length - 1];
    weights = weightsFromQQt(be, joinQQt(last), ni, nh);
    offset += durations[j];
  });
  return { trajectory: traj, stages, forgetting };
}
