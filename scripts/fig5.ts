/**
 * Paper Fig. 5 — continual learning.
 *
 * A: a network trained from small zero-balanced weights on a sequence of tasks; top: network
 * function entries (GD solid, exact continual-learning solution black dotted); bottom: the loss
 * on every task of the sequence during training (GD solid, exact black dotted).
 * B: forgetting of task 1 after training on task 2, predicted before training
 * (`L1(T2) − L1(T1)`, from the tasks alone) against the value measured by gradient descent, for
 * n networks each with a linear, tanh and ReLU hidden layer (worker pool).
 * C: the weights' zero-balance `‖W1W1ᵀ − W2ᵀW2‖_F / max(‖W1W1ᵀ‖_F, ‖W2ᵀW2‖_F)` over the two
 * tasks (mean and ± std over the n networks; our reading of the paper's "weight alignment").
 * D: loss on each of five tasks while training on them in sequence (one network per activation).
 * E: forgetting matrix `L_i(after T_j) − L_i(after T_{j−1})`: predicted (linear theory, before
 * training) and measured for each activation.
 *
 * Run: `deno task fig5` → `out/fig5/`.
 *
 * @module
 */
import { continualLearning, forgettingTable } from "../src/exact/continual.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  matrixEntries,
  simulationAndTheory,
  T_LABEL,
  timeGrid,
} from "../src/figures/curves.ts";
import {
  type ForgettingResult,
  type ForgettingSpec,
  runForgetting,
  sequenceWithInit,
} from "../src/figures/fig5b.ts";
import { runJobs } from "../src/figures/jobs.ts";
import { matricesTable } from "../src/figures/matrices.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import type { Weights } from "../src/init/weights.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { Matrix } from "../src/matrix.ts";
import type { FigurePanel } from "../src/plot/layout.ts";
import { heatmapPanel, linePanel, scatterPanel } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
import { deriveSeed, Random } from "../src/random.ts";
import type { Task } from "../src/task.ts";
import type { Trajectory } from "../src/trajectory.ts";
import { type SequenceTrajectory, simulateSequence } from "../src/train/sequence.ts";
import type { Activation } from "../src/train/simulate.ts";

/** Parameters of Fig. 5. */
export const PARAMETERS = {
  sequence: {
    ni: 4,
    nh: 5,
    no: 3,
    p: 4,
    tasks: 3,
    scale: 0.01,
    stage: 10,
    learningRate: 0.01,
    points: 101,
    theoryPoints: 51,
  },
  networks: 50,
  forgetting: {
    ni: 5,
    nh: 10,
    no: 4,
    p: 8,
    scale: 0.1,
    stage: 15,
    learningRate: 0.01,
    points: 31,
  } as ForgettingSpec,
  fiveTasks: {
    ni: 5,
    nh: 10,
    no: 4,
    p: 8,
    tasks: 5,
    scale: 0.1,
    stage: 15,
    learningRate: 0.01,
    points: 61,
  },
};

/** Base seed. */
export const SEED = 5;

const ACTIVATIONS: Activation[] = ["linear", "tanh", "relu"];
const ACTIVATION_COLORS: Record<Activation, string> = {
  linear: "#e15759",
  tanh: "#4e79a7",
  relu: "#59a14f",
};

/** Data of Fig. 5. */
export interface Fig5Data {
  outputs: Curve[];
  losses: Curve[];
  boundaries: number[];
  forgetting: ForgettingResult[];
  balance: Curve[];
  fiveLosses: Record<Activation, Curve[]>;
  fiveBoundaries: number[];
  predicted: Matrix;
  measured: Record<Activation, Matrix>;
}

/**
 * GD through a task sequence, `stage` time units per task, recorded at `points` evenly spaced
 * times of each stage, with the loss on every task.
 */
function trainSequence(
  tasks: Task[],
  init: Weights,
  stage: number,
  points: number,
  eta: number,
  activation: Activation = "linear",
): SequenceTrajectory {
  const record = timeGrid(stage, points).map((t) => Math.round(t / eta));
  return simulateSequence(tasks, init, {
    learningRate: eta,
    steps: record[record.length - 1],
    record,
    activation,
  });
}

function taskLossCurves(
  traj: Trajectory,
  source: Curve["source"],
  tag: Record<string, string> = {},
): Curve[] {
  return Object.entries(traj.extraLosses!).map(([name, y], k) => ({
    series: `loss on ${name}`,
    source,
    x: traj.times,
    y,
    ...(source === "simulation" ? { color: paletteColor(k) } : {}),
    tags: tag,
  }));
}

/** Loss on task i at the end of each stage j. */
function stageEndLosses(run: SequenceTrajectory): Matrix {
  const names = Object.keys(run.extraLosses);
  const ends = [...run.taskStarts.slice(1), run.times.length - 1];
  return Matrix.fromFunction(
    names.length,
    ends.length,
    (i, j) => run.extraLosses[names[i]][ends[j]],
  );
}

/** Forgetting `L_i(T_j) − L_i(T_{j−1})` for `j ≥ 1` from a table of `L_i(T_j)`. */
function forgettingSteps(table: Matrix): Matrix {
  return Matrix.fromFunction(
    table.rows,
    table.cols - 1,
    (i, j) => table.get(i, j + 1) - table.get(i, j),
  );
}

/** Computes Fig. 5's data. */
export async function computeFig5(
  p: typeof PARAMETERS,
  options: { workers?: number; quiet?: boolean } = {},
): Promise<Fig5Data> {
  const q = p.sequence;
  const rng = new Random(deriveSeed(SEED, 0));
  const { tasks, init } = sequenceWithInit(rng, q.tasks, q);
  const sim = trainSequence(tasks, init, q.stage, q.points, q.learningRate);
  const theory =
    continualLearning(f64Backend, tasks, init, tasks.map(() => q.stage), q.theoryPoints).trajectory;
  const entries = matrixEntries(q.no, q.ni);
  const label = (i: number, j: number) => `W2W1[${i + 1},${j + 1}]`;
  const jobs = ACTIVATIONS.flatMap((activation) =>
    Array.from(
      { length: p.networks },
      (_, index) => ({
        index,
        seed: deriveSeed(SEED, 100 + index),
        activation,
        spec: p.forgetting,
      }),
    )
  );
  const forgetting = await runJobs(
    new URL("../src/figures/workers/fig5b_worker.ts", import.meta.url),
    runForgetting,
    jobs,
    { label: "fig5B networks", ...options },
  );
  const balance: Curve[] = ACTIVATIONS.flatMap((a) => {
    const runs = forgetting.filter((r) => r.activation === a);
    const t = runs[0].t;
    const mean = t.map((_, i) => runs.reduce((s, r) => s + r.balance[i], 0) / runs.length);
    const sd = t.map((_, i) =>
      Math.sqrt(runs.reduce((s, r) => s + (r.balance[i] - mean[i]) ** 2, 0) / runs.length)
    );
    return [
      {
        series: `${a} (mean)`,
        source: "simulation" as const,
        x: t,
        y: mean,
        color: ACTIVATION_COLORS[a],
      },
      {
        series: `${a} (mean ± std)`,
        source: "simulation" as const,
        x: t,
        y: mean.map((m, i) => m + sd[i]),
        color: ACTIVATION_COLORS[a],
        tags: { band: "upper" },
      },
      {
        series: `${a} (mean ± std)`,
        source: "simulation" as const,
        x: t,
        y: mean.map((m, i) => Math.max(0, m - sd[i])),
        color: ACTIVATION_COLORS[a],
        tags: { band: "lower" },
      },
    ];
  });
  const f = p.fiveTasks;
  const rng5 = new Random(deriveSeed(SEED, 1));
  const { tasks: five, init: init5 } = sequenceWithInit(rng5, f.tasks, f);
  const fiveLosses = {} as Record<Activation, Curve[]>;
  const measured = {} as Record<Activation, Matrix>;
  for (const a of ACTIVATIONS) {
    const run = trainSequence(five, init5, f.stage, f.points, f.learningRate, a);
    fiveLosses[a] = taskLossCurves(run, "simulation", { activation: a });
    measured[a] = forgettingSteps(stageEndLosses(run));
  }
  return {
    outputs: simulationAndTheory(sim, theory, (s) => s.w2w1, entries, label),
    losses: [...taskLossCurves(sim, "simulation"), ...taskLossCurves(theory, "theory")],
    boundaries: tasks.slice(1).map((_, k) => (k + 1) * q.stage),
    forgetting,
    balance,
    fiveLosses,
    fiveBoundaries: five.slice(1).map((_, k) => (k + 1) * f.stage),
    predicted: forgettingSteps(Matrix.from(forgettingTable(five))),
    measured,
  };
}

function rules(xs: number[]) {
  return xs.map((x, k) => ({
    x,
    color: "#999",
    dash: "3,3",
    ...(k === 0 ? { label: "task switch" } : {}),
  }));
}

/** Fig. 5 definition for the runner. */
export function fig5Definition(
  params = PARAMETERS,
  workers = navigator.hardwareConcurrency,
): FigureDefinition<typeof PARAMETERS, Fig5Data> {
  return {
    name: "fig5",
    description:
      "Paper Fig. 5: continual learning — exact task-sequence dynamics, predicted vs measured " +
      "forgetting for linear/tanh/ReLU networks, zero-balance over training, five-task losses and " +
      "forgetting matrices.",
    parameters: params,
    seeds: {
      base: SEED,
      sequence: deriveSeed(SEED, 0),
      fiveTasks: deriveSeed(SEED, 1),
      networks: deriveSeed(SEED, 100),
    },
    compute: (p, ctx) => computeFig5(p, { workers, quiet: ctx.quiet }),
    tables: (d) => [
      curvesTable("A", [
        ...d.outputs.map((c) => ({ ...c, tags: { quantity: "network function" } })),
        ...d.losses.map((c) => ({ ...c, tags: { quantity: "loss" } })),
      ]),
      {
        panel: "B",
        rows: d.forgetting.map((r) => ({
          panel: "B",
          network: r.index,
          activation: r.activation,
          predicted: r.predicted,
          numerical: r.numerical,
        })),
      },
      curvesTable("C", d.balance),
      curvesTable("D", ACTIVATIONS.flatMap((a) => d.fiveLosses[a])),
      matricesTable("E", {
        predicted: d.predicted,
        ...Object.fromEntries(ACTIVATIONS.map((a) => [`measured_${a}`, d.measured[a]])),
      }),
    ],
    layout: (d) => {
      const rowLabels = d.predicted.toArray().map((_, i) => `T${i + 1}`);
      const colLabels = d.predicted.toArray()[0].map((_, j) => `after T${j + 2}`);
      const forgettingMap = (m: Matrix, label: string) =>
        heatmapPanel({ matrix: m.toArray(), size: 120, rowLabels, colLabels, label });
      const eRows: FigurePanel[] = [
        { letter: "E", title: "predicted", body: forgettingMap(d.predicted, "ΔL of task (row)") },
        ...ACTIVATIONS.map((a) => ({
          title: `measured, ${a}`,
          body: forgettingMap(d.measured[a], "ΔL"),
        })),
      ];
      return {
        rows: [
          [
            {
              letter: "A",
              title: "network function over a task sequence",
              body: linePanel({
                series: curvesSeries(d.outputs),
                x: { label: T_LABEL },
                y: { label: "entry of W2W1" },
                rules: rules(d.boundaries),
                hideSeriesLegend: true,
                simulationLabel: "simulation (colour = entry)",
                width: 330,
                height: 190,
              }),
            },
            {
              title: "loss on every task of the sequence",
              body: linePanel({
                series: curvesSeries(d.losses),
                x: { label: T_LABEL },
                y: { label: "loss L" },
                rules: rules(d.boundaries),
                width: 330,
                height: 190,
              }),
            },
            {
              letter: "B",
              title: "forgetting of task 1 after task 2",
              body: scatterPanel({
                points: d.forgetting.map((r) => ({
                  x: r.predicted,
                  y: r.numerical,
                  group: r.activation,
                })),
                colors: ACTIVATION_COLORS,
                x: { label: "predicted L1(T2) − L1(T1)" },
                y: { label: "numerical" },
                identity: true,
                width: 260,
                height: 220,
              }),
            },
            {
              letter: "C",
              title: "zero-balance over two tasks",
              body: linePanel({
                series: curvesSeries(d.balance).map((s) =>
                  s.name.includes("±") ? { ...s, dash: "2,2", width: 1 } : s
                ),
                x: { label: T_LABEL },
                y: { label: "relative imbalance" },
                rules: [{
                  x: PARAMETERS.forgetting.stage,
                  color: "#999",
                  dash: "3,3",
                  label: "task switch",
                }],
                width: 300,
                height: 220,
              }),
            },
          ],
          ACTIVATIONS.map((a, k) => ({
            ...(k === 0 ? { letter: "D" } : {}),
            title: `five tasks, ${a} network`,
            body: linePanel({
              series: curvesSeries(d.fiveLosses[a]),
              x: { label: T_LABEL },
              y: { label: "loss L" },
              rules: rules(d.fiveBoundaries),
              width: 330,
              height: 200,
            }),
          })),
          eRows,
        ],
      };
    },
    results: (d) => {
      const err = (a: Activation) => {
        const r = d.forgetting.filter((x) => x.activation === a);
        return r.reduce((s, x) => s + Math.abs(x.numerical - x.predicted), 0) / r.length;
      };
      return { meanAbsForgettingError: Object.fromEntries(ACTIVATIONS.map((a) => [a, err(a)])) };
    },
  };
}

if (import.meta.main) Deno.exit(await figureMain(fig5Definition()));
