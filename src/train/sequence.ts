/**
 * Continual learning by gradient descent: training on tasks `T1, T2, …` in turn, each run
 * starting from the previous one's final weights, with every task's loss recorded throughout
 * (paper Fig. 5).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { Task } from "../task.ts";
import type { Trajectory } from "../trajectory.ts";
import type { Weights } from "../init/weights.ts";
import { simulate, type SimulateOptions } from "./simulate.ts";

/** Options of {@link simulateSequence}: those of `simulate` with `steps` per task. */
export type SequenceOptions = Omit<SimulateOptions, "times" | "extraTasks" | "startStep"> & {
  /** Steps of training on each task. */
  steps: number;
};

/** A continual-learning trajectory: where each task's training begins, and all tasks' losses. */
export interface SequenceTrajectory extends Trajectory {
  /**
   * For each task, the index into `times` of the record holding its initial state (for later
   * tasks: the previous task's last record), so `times[taskStarts[j]]` is when task `j` starts.
   */
  taskStarts: number[];
  /** Loss of every task of the sequence at every record, keyed by task name. */
  extraLosses: Record<string, number[]>;
}

/**
 * Trains on `tasks` in order for `steps` steps each, continuing from the previous final
 * weights; times run on (`t = kητ` with `k` counted from the start of the sequence). `loss` is
 * the loss on the task being trained; `extraLosses[name]` that of each task at every record.
 * The first record of each later task (its initial state) is the previous task's last record
 * and is not repeated.
 *
 * @example
 * ```ts
 * const rng = new Random(4);
 * const tasks = randomTaskSequence(rng, 3, { ni: 5, no: 5 });
 * const init = zeroBalancedInit(rng, { ni: 5, nh: 5, no: 5, scale: 1e-3 });
 * const run = simulateSequence(tasks, init, { learningRate: 0.02, steps: 2000 });
 * ```
 * @throws {InputError} when `tasks` is empty or names repeat (unnamed tasks are `T1`, `T2`, …)
 * @throws as `simulate` (shapes, options, divergence)
 */
export function simulateSequence(
  tasks: readonly Task[],
  init: Weights,
  options: SequenceOptions,
): SequenceTrajectory {
  if (tasks.length === 0) throw new InputError("a task sequence needs at least one task");
  const named = tasks.map((t, i) => ({ ...t, name: t.name ?? `T${i + 1}` }));
  const out: SequenceTrajectory = {
    method: "simulate",
    tau: options.tau ?? 1,
    times: [],
    states: [],
    loss: [],
    weights: [],
    taskStarts: [],
    extraLosses: Object.fromEntries(named.map((t) => [t.name, [] as number[]])),
  };
  let w = init;
  named.forEach((task, j) => {
    const run = simulate(task, w, { ...options, startStep: j * options.steps, extraTasks: named });
    const skip = j === 0 ? 0 : 1;
    out.taskStarts.push(Math.max(0, out.times.length - 1));
    out.times.push(...run.times.slice(skip));
    out.states.push(...run.states.slice(skip));
    out.loss.push(...run.loss.slice(skip));
    out.weights!.push(...run.weights!.slice(skip));
    for (const t of named) out.extraLosses[t.name].push(...run.extraLosses![t.name].slice(skip));
    w = run.weights!.at(-1)!;
  });
  return out;
}
