/**
 * Fig. 5B–C data for one random network: forgetting of task 1 after training on task 2
 * (predicted before training from the tasks alone, and measured by gradient descent) and the
 * weights' zero-balance over the two stages, for a linear, tanh or ReLU hidden layer.
 * Pure computation (no plotting), so it runs in a worker.
 *
 * @module
 */
import { forgettingTable } from "../exact/continual.ts";
import { balanceError } from "../init/balance.ts";
import { timeGrid } from "./curves.ts";
import { continueFrom } from "../init/continue.ts";
import { zeroBalancedInit } from "../init/zero_balanced.ts";
import type { Weights } from "../init/weights.ts";
import { Random } from "../random.ts";
import type { Task } from "../task.ts";
import { randomTaskSequence } from "../tasks/random_task.ts";
import { type Activation, simulate } from "../train/simulate.ts";

/** A random task sequence and a zero-balanced init for it, as {@link sequenceWithInit} draws. */
export interface SequenceSpec {
  ni: number;
  nh: number;
  no: number;
  /** Samples of each task (nonlinear networks train on the data). */
  p: number;
  /** Zero-balanced init scale (std of the entries of `W2W1(0)`). */
  scale: number;
}

/** What defines the networks of Fig. 5B–C. */
export interface ForgettingSpec extends SequenceSpec {
  /** Duration of each stage (units of τ). */
  stage: number;
  learningRate: number;
  /** Recorded times per stage (balance curve). */
  points: number;
}

/**
 * Draws `count` tasks sharing whitened inputs (`randomTaskSequence`), then a zero-balanced init
 * of scale `spec.scale` with a well-conditioned `B` for the first task, in that order from `rng`.
 */
export function sequenceWithInit(
  rng: Random,
  count: number,
  spec: SequenceSpec,
): { tasks: Task[]; init: Weights } {
  const { ni, nh, no, p, scale } = spec;
  const tasks = randomTaskSequence(rng, count, { ni, no, p });
  return { tasks, init: zeroBalancedInit(rng, { ni, nh, no, scale, task: tasks[0] }) };
}

/** One network's job. */
export interface ForgettingJob {
  index: number;
  seed: number;
  activation: Activation;
  spec: ForgettingSpec;
}

/** One network's result. */
export interface ForgettingResult {
  index: number;
  activation: Activation;
  /** `L1(T2) − L1(T1)` from the tasks alone (linear theory, before training). */
  predicted: number;
  /** The same difference measured after each GD stage. */
  numerical: number;
  /** Times over both stages. */
  t: number[];
  /** `balanceError` of the weights at each time. */
  balance: number[];
}

/**
 * Trains one network on `T1` then `T2` (same whitened inputs) from a small zero-balanced init;
 * the same seed gives the same tasks and init for every activation.
 */
export function runForgetting(job: ForgettingJob): ForgettingResult {
  const { spec } = job;
  const rng = new Random(job.seed);
  const { tasks, init } = sequenceWithInit(rng, 2, spec);
  const table = forgettingTable(tasks);
  const times = timeGrid(spec.stage, spec.points);
  const options = {
    learningRate: spec.learningRate,
    times,
    activation: job.activation,
    extraTasks: tasks,
  };
  const s1 = simulate(tasks[0], init, options);
  const s2 = simulate(tasks[1], continueFrom(s1), options);
  const l1 = (traj: typeof s1) => traj.extraLosses![tasks[0].name!].at(-1)!;
  return {
    index: job.index,
    activation: job.activation,
    predicted: table[0][1] - table[0][0],
    numerical: l1(s2) - l1(s1),
    t: [...times, ...times.slice(1).map((t) => t + spec.stage)],
    balance: [...s1.weights!, ...s2.weights!.slice(1)].map(balanceError),
  };
}
