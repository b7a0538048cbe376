/**
 * The explorer's problem: the task, the initial weights and the time axis an
 * {@link ExplorerState} describes, built with the library's own constructors, and the same problem
 * written as a `solve` configuration (DESIGN.md, "The `solve` command").
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import { add, scale } from "../linalg/blas.ts";
import { f64Backend } from "../linalg/f64.ts";
import { deriveSeed, Random } from "../random.ts";
import type { Task } from "../task.ts";
import { randomTask } from "../tasks/random_task.ts";
import { taskFromCorrelation } from "../tasks/whiten.ts";
import { target2x2 } from "../tasks/targets2x2.ts";
import {
  colourHierarchyTask,
  ITEMS,
  livingKingdomTask,
  revisedKingdomTask,
} from "../tasks/hierarchy.ts";
import { zeroBalancedFromProduct, zeroBalancedInit } from "../init/zero_balanced.ts";
import { gaussianInit } from "../init/gaussian.ts";
import { taskAlignedInit } from "../init/aligned.ts";
import { lambdaBalancedInit } from "../init/lambda_balanced.ts";
import type { Weights } from "../init/weights.ts";
import { reverseModes } from "../exact/reversal.ts";
import { timeGrid } from "../figures/curves.ts";
import type { ExplorerState } from "./state.ts";

/** A problem ready to solve exactly and by gradient descent. */
export interface ExplorerProblem {
  /** The state it was built from. */
  state: ExplorerState;
  /** The task (with its data `X`, `Y`: the RSMs and the NTK need them). */
  task: Task;
  /** Initial weights of the exact solution. */
  init: Weights;
  /** Initial weights of gradient descent: `init`, plus the perturbation `noise` if any. */
  gdInit: Weights;
  /** Times `t` (not `t/τ`) from 0 to the horizon. */
  times: number[];
  /** What the task and init are, in words. */
  description: { task: string; init: string };
  /** Names of the items (columns of `X`), when the task has them. */
  items?: readonly string[];
}

const TASK_NAMES: Record<ExplorerState["task"], string> = {
  random: "random task",
  kingdom: "living kingdom (Fig. 3A)",
  revised: "revised living kingdom, fish swapped (Fig. 6C)",
  colour: "colour hierarchy (Fig. 6C)",
  dense: "2×2 dense target (Fig. 4C)",
  unequal: "2×2 unequal diagonal target (Fig. 4C)",
  equal: "2×2 equal diagonal target (Fig. 4C)",
  custom: "your Σyx",
};

function buildTask(s: ExplorerState, rng: Random): Task {
  switch (s.task) {
    case "random":
      return randomTask(rng, { ni: s.ni, no: s.no, p: s.p, singularValues: s.sv });
    case "kingdom":
      return livingKingdomTask();
    case "revised":
      return revisedKingdomTask();
    case "colour":
      return colourHierarchyTask();
    case "dense":
      return target2x2("dense");
    case "unequal":
      return target2x2("unequal diagonal");
    case "equal":
      return target2x2("equal diagonal");
    case "custom":
      return taskFromCorrelation(Matrix.from(s.syx, "Σyx"), "custom");
  }
}

/**
 * The task a `"learned"` init has learned: the living kingdom before its revisions (Fig. 6E–F);
 * otherwise this task with its weakest mode reversed, so that learning this task is reversal
 * learning (Fig. 6A).
 */
function priorTask(s: ExplorerState, task: Task): { sigmaYX: Matrix; name: string } {
  if (s.task === "revised" || s.task === "colour") {
    return { sigmaYX: livingKingdomTask().sigmaYX, name: "the living kingdom" };
  }
  const nm = Math.min(s.ni, s.no);
  return {
    sigmaYX: reverseModes(f64Backend, task, [nm - 1]).task.sigmaYX,
    name: `this task with mode ${nm} reversed (reversal learning)`,
  };
}

function buildInit(s: ExplorerState, task: Task, rng: Random): { init: Weights; text: string } {
  const dims = { ni: s.ni, nh: s.nh, no: s.no };
  switch (s.init) {
    case "zero":
      return {
        init: zeroBalancedInit(rng, { ...dims, scale: s.scale, task }),
        text: `zero-balanced, W2W1(0) entries of std ${s.scale}`,
      };
    case "gaussian":
      return {
        init: gaussianInit(rng, dims, s.scale),
        text: `Gaussian weights of std ${s.scale} (not balanced: no exact solution)`,
      };
    case "aligned":
      return {
        init: taskAlignedInit(task, scale(rng.gaussianMatrix(s.nh, s.ni), s.scale)),
        text: `task-aligned (Theorem 5.1), A0 entries of std ${s.scale}`,
      };
    case "lambda":
      return {
        init: lambdaBalancedInit(rng, { ...dims, lambda: s.lambda, scale: s.scale }),
        text: `λ-balanced (W2ᵀW2 − W1W1ᵀ = λI), λ = ${s.lambda}, W2W1(0) entries of std ${s.scale}`,
      };
    case "learned": {
      const prior = priorTask(s, task);
      const nm = Math.min(s.ni, s.no);
      return {
        init: zeroBalancedFromProduct(prior.sigmaYX, rng.orthonormal(s.nh, nm)),
        text: `learned: at the global minimum of ${prior.name}`,
      };
    }
  }
}

/**
 * Builds the problem a state describes. Draws come from `new Random(seed)` in the order task,
 * init (so a preset with a figure's seed reproduces that figure's problem), and the GD
 * perturbation from the separate stream `deriveSeed(seed, 1)`.
 * @throws {DlnError} when the library's constructors refuse the choices (e.g. no zero-balanced
 *   draw with a regular `B` for this task)
 */
export function buildProblem(state: ExplorerState): ExplorerProblem {
  const rng = new Random(state.seed);
  const task = buildTask(state, rng);
  const { init, text } = buildInit(state, task, rng);
  const noisy = new Random(deriveSeed(state.seed, 1));
  const perturb = (m: Matrix) => add(m, noisy.gaussianMatrix(m.rows, m.cols, state.noise));
  const gdInit = state.noise > 0 ? { w1: perturb(init.w1), w2: perturb(init.w2) } : init;
  const hierarchy = ["kingdom", "revised", "colour"].includes(state.task);
  return {
    state,
    task,
    init,
    gdInit,
    times: timeGrid(state.horizon, state.points),
    description: {
      task: TASK_NAMES[state.task],
      init: text + (state.noise > 0 ? `; GD starts perturbed by noise of std ${state.noise}` : ""),
    },
    ...(hierarchy ? { items: ITEMS } : {}),
  };
}

/**
 * The problem as a `solve` configuration (JSON text, 2-space indent): `sigmaYX` (and `sigmaXX`
 * when it is not the identity), `W1`, `W2`, `tau`, `times`, method `auto`. Numbers are written in
 * their shortest round-trip form, so `solve` sees exactly the page's numbers. Gradient descent is
 * the same config with `"method": "simulate"` and `"learningRate"`.
 */
export function solveConfig(problem: ExplorerProblem): string {
  const { task, init, state } = problem;
  const identity = task.sigmaXX.data.every((v, e) =>
    v === (e % (task.sigmaXX.cols + 1) === 0 ? 1 : 0)
  );
  const config = {
    sigmaYX: task.sigmaYX.toArray(),
    ...(identity ? {} : { sigmaXX: task.sigmaXX.toArray() }),
    W1: init.w1.toArray(),
    W2: init.w2.toArray(),
    tau: state.tau,
    times: problem.times,
    method: "auto",
  };
  // One matrix row per line keeps the text readable and short.
  return JSON.stringify(config, null, 2).replace(
    /\[\s+([-\d.e+,\s]+?)\s+\]/g,
    (_, inner: string) => `[${inner.split(/,\s+/).join(", ")}]`,
  ) + "\n";
}

/**
 * A rough operation count of `computeView` (view.ts) for a state: GD's `4·Ni·Nh·No + No·Ni²` per step
 * and, per time point and source, about `60·n³` with `n = max(Ni, No, P)` (exact solution, SVD of
 * `W2W1`, RSMs). The page computes on its own thread below a budget and in a Web Worker above it.
 */
export function viewCost(s: ExplorerState): number {
  const steps = s.horizon / (s.eta * s.tau);
  const n = Math.max(s.ni, s.no, s.p);
  return steps * (4 * s.ni * s.nh * s.no + s.no * s.ni * s.ni) + 2 * s.points * 60 * n ** 3;
}
