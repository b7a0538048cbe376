/**
 * Deeper networks: what changes with depth L (MATH.md, "Deeper networks").
 *
 * A: loss of L = 2, 3, 4, 6 networks trained from the same small aligned balanced product
 * (every task mode at strength u₀), gradient descent (coloured) vs the exact aligned solution
 * (black dotted). B–E: the mode strengths `uₖ = (ŨᵀWṼ)ₖₖ` of each depth, same convention. F: time
 * for a mode (s̃ = 1) to reach half its strength against the initial strength u₀, measured from
 * GD (coloured), the exact closed form (black dotted) and the small-init asymptote
 * `τ/(s̃(L − 2)u₀^{1−2/L})` (`ln(s̃/u₀)/(2s̃)` at L = 2; dashed). G–H: balanced but unaligned
 * initialisations with the same singular values (simulation only, coloured) against the aligned
 * prediction (black dotted): G the loss at every depth, H the mode strengths at L = 4. Seen:
 * the unaligned runs lag the aligned prediction, more at greater depth. In the L = 6 draw, the
 * projections of the product on modes 1 and 3 start negative (against the task); after mode 1
 * turns, modes 2 and 3 carry the sign and must pass through zero, where `|u|^{2−2/L}` makes the
 * growth nearly stop: they are learned only near 110τ and 230τ (loss 2.5 at the horizon).
 *
 * Run: `deno task depth` → `out/depth/`.
 *
 * @module
 */
import { type Curve, curvesSeries, curvesTable, T_LABEL, timeGrid } from "../src/figures/curves.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { alignedBalancedInit, balancedFromProduct, type Layers } from "../src/init/deep.ts";
import { solveDeepAligned } from "../src/exact/deep_aligned.ts";
import { timeToLearn, timeToLearnAsymptote } from "../src/exact/deep_modes.ts";
import { matmul } from "../src/linalg/blas.ts";
import { det } from "../src/linalg/lu.ts";
import { svd } from "../src/linalg/svd.ts";
import { Matrix } from "../src/matrix.ts";
import { linePanel } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import type { Task } from "../src/task.ts";
import type { Trajectory } from "../src/trajectory.ts";
import { simulateDeep } from "../src/train/simulate_deep.ts";

/** Parameters of the depth figure. */
export const PARAMETERS = {
  depths: [2, 3, 4, 6],
  /** Task `Σyx` (3 × 3) singular values. */
  singularValues: [3, 2, 1],
  /** Width of every hidden layer. */
  hidden: 4,
  /** Initial strength of every mode of the product `W(0)`. */
  u0: 1e-3,
  /** Horizon of A–E, G–H in units of τ. */
  horizon: 36,
  learningRate: 0.005,
  points: 145,
  /** Panel F: one mode of strength `s̃` from these initial strengths. */
  scan: { s: 1, u0: [1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4] },
};

/** Base seed. */
export const SEED = 15;

/** One depth's aligned run and unaligned run. */
interface DepthRun {
  depth: number;
  /** Simulation vs exact, loss and mode curves (aligned init). */
  loss: Curve[];
  modes: Curve[];
  /** Largest |GD − exact| of the mode strengths over time (aligned init). */
  maxModeGap: number;
  /** Unaligned balanced init: loss and modes (simulation) with the aligned prediction. */
  unalignedLoss: Curve[];
  unalignedModes: Curve[];
  /** Time for the strongest mode to reach half of s̃: aligned exact, unaligned GD. */
  halfTimes: { aligned: number; unaligned: number };
}

/** Data of the figure. */
export interface DepthData {
  runs: DepthRun[];
  /** Panel F. */
  scan: Curve[];
  /** Worst relative gap of measured (GD) to exact t½ in F, and of the asymptote at the smallest u₀. */
  scanGap: number;
  asymptoteError: Record<string, number>;
}

/** Mode strengths `diag(ŨᵀWṼ)` of the product along a trajectory. */
function modeStrengths(traj: Trajectory, task: Task): number[][] {
  const { u, v } = svd(task.sigmaYX);
  return traj.states.map((q) => {
    const c = matmul(u, matmul(q.w2w1, v), { transA: true });
    return Array.from({ length: c.rows }, (_, k) => c.get(k, k));
  });
}

function modeCurves(
  traj: Trajectory,
  task: Task,
  source: Curve["source"],
  tags: Record<string, string | number>,
): Curve[] {
  const m = modeStrengths(traj, task);
  return m[0].map((_, k) => ({
    series: `mode ${k + 1} (s̃ = ${task.sigmaYX.rows === 1 ? 1 : PARAMETERS.singularValues[k]})`,
    source,
    x: traj.times,
    y: m.map((row) => row[k]),
    color: paletteColor(k),
    tags,
  }));
}

/** First time a curve reaches `level` (linear interpolation between records). */
function crossing(x: number[], y: number[], level: number): number {
  for (let i = 1; i < y.length; i++) {
    if (y[i - 1] < level && y[i] >= level) {
      return x[i - 1] + ((level - y[i - 1]) / (y[i] - y[i - 1])) * (x[i] - x[i - 1]);
    }
  }
  return NaN;
}

/**
 * A balanced init whose product has the singular values `u0` along a Haar rotation of the
 * task's modes (not aligned), with `det(ŨᵀW(0)Ṽ) > 0` (the task's orientation; single modes
 * may still start against the task).
 */
function unalignedInit(rng: Random, task: Task, depth: number, p: typeof PARAMETERS): Layers {
  const n = p.singularValues.length;
  const t = svd(task.sigmaYX);
  const q = rng.orthonormal(n, n);
  if (det(q) < 0) { for (let i = 0; i < n; i++) q.data[i * n] = -q.data[i * n]; }
  const m = matmul(matmul(t.u, Matrix.diag(Array(n).fill(p.u0))), matmul(q, t.v, { transB: true }));
  const r = Array.from({ length: depth - 1 }, () => rng.orthonormal(p.hidden, n));
  return balancedFromProduct(m, r);
}

/** Computes the figure's data. */
export function computeDepth(p: typeof PARAMETERS): DepthData {
  const rng = new Random(deriveSeed(SEED, 0));
  const n = p.singularValues.length;
  const task = randomTask(rng, { ni: n, no: n, singularValues: p.singularValues });
  const times = timeGrid(p.horizon, p.points);
  const runs = p.depths.map((depth, i): DepthRun => {
    const hidden = Array(depth - 1).fill(p.hidden);
    const init = alignedBalancedInit(task, hidden, p.u0, rng);
    const sim = simulateDeep(task, init, { learningRate: p.learningRate, times });
    const exact = solveDeepAligned(task, init, times);
    const tags = { depth };
    const simModes = modeCurves(sim, task, "simulation", tags);
    const exactModes = modeCurves(exact, task, "theory", tags);
    let maxModeGap = 0;
    simModes.forEach((c, k) =>
      c.y.forEach((v, j) => maxModeGap = Math.max(maxModeGap, Math.abs(v - exactModes[k].y[j])))
    );
    const label = `L = ${depth}`;
    const lossOf = (traj: Trajectory, source: Curve["source"]): Curve => ({
      series: label,
      source,
      x: traj.times,
      y: [...traj.loss],
      color: paletteColor(i),
      tags,
    });
    const un = simulateDeep(task, unalignedInit(rng, task, depth, p), {
      learningRate: p.learningRate,
      times,
    });
    const unModes = modeCurves(un, task, "simulation", tags);
    const half = p.singularValues[0] / 2;
    return {
      depth,
      loss: [lossOf(sim, "simulation"), lossOf(exact, "theory")],
      modes: [...simModes, ...exactModes],
      maxModeGap,
      unalignedLoss: [lossOf(un, "simulation"), lossOf(exact, "theory")],
      unalignedModes: [...unModes, ...exactModes],
      halfTimes: {
        aligned: timeToLearn(depth, p.singularValues[0], p.u0),
        unaligned: crossing(unModes[0].x, unModes[0].y, half),
      },
    };
  });
  // Panel F: one mode, s̃ = p.scan.s, a width-1 network per depth and initial strength.
  const s = p.scan.s;
  const one: Task = { sigmaYX: Matrix.from([[s]]), sigmaXX: Matrix.identity(1) };
  const scan: Curve[] = [];
  let scanGap = 0;
  const asymptoteError: Record<string, number> = {};
  p.depths.forEach((depth, i) => {
    const exact = p.scan.u0.map((u0) => timeToLearn(depth, s, u0));
    const measured = p.scan.u0.map((u0, k) => {
      const init = alignedBalancedInit(one, Array(depth - 1).fill(1), u0);
      const steps = Math.ceil((1.5 * exact[k]) / p.learningRate);
      const traj = simulateDeep(one, init, { learningRate: p.learningRate, steps, record: 1 });
      return crossing(traj.times, traj.states.map((q) => q.w2w1.data[0]), s / 2);
    });
    measured.forEach((m, k) => scanGap = Math.max(scanGap, Math.abs(m - exact[k]) / exact[k]));
    const asym = p.scan.u0.map((u0) => timeToLearnAsymptote(depth, s, u0));
    const last = p.scan.u0.length - 1;
    asymptoteError[`L${depth}`] = Number(
      (Math.abs(asym[last] - exact[last]) / exact[last]).toPrecision(3),
    );
    // \`kind\` names what each curve is in the CSV (the asymptote is drawn as a dashed coloured
    // "simulation" line only to keep it apart from the black dotted exact curve).
    const curve = (series: string, source: Curve["source"], y: number[], kind: string): Curve => ({
      series,
      source,
      x: p.scan.u0,
      y,
      ...(source === "simulation" ? { color: paletteColor(i) } : {}),
      tags: { depth, kind },
    });
    scan.push(
      curve(`L = ${depth}`, "simulation", measured, "gd"),
      curve(`L = ${depth}`, "theory", exact, "closed form"),
      curve(`L = ${depth} asymptote`, "simulation", asym, "asymptote"),
    );
  });
  return { runs, scan, scanGap, asymptoteError };
}

const SMALL = { width: 230, height: 190 };

/** The depth figure's definition for the runner. */
export function depthDefinition(): FigureDefinition<typeof PARAMETERS, DepthData> {
  return {
    name: "depth",
    description: "Deeper networks: GD vs the exact aligned dynamics at L = 2, 3, 4, 6 from the " +
      "same small product (loss, mode strengths), time to learn vs init scale and its " +
      "asymptote, and unaligned balanced inits vs the aligned prediction.",
    parameters: PARAMETERS,
    seeds: { base: SEED, stream: deriveSeed(SEED, 0) },
    compute: (p) => computeDepth(p),
    tables: (d) => [
      curvesTable("A", d.runs.flatMap((r) => r.loss)),
      ...d.runs.map((r, i) => curvesTable("BCDE"[i], r.modes)),
      curvesTable("F", d.scan, "u0"),
      curvesTable("G", d.runs.flatMap((r) => r.unalignedLoss)),
      curvesTable("H", d.runs.find((r) => r.depth === 4)!.unalignedModes),
    ],
    layout: (d) => {
      const modesPanel = (curves: Curve[]) =>
        linePanel({
          series: curvesSeries(curves),
          x: { label: T_LABEL },
          y: { label: "mode strength uₖ" },
          ...SMALL,
          theoryLabel: "exact aligned",
        });
      const a = linePanel({
        series: curvesSeries(d.runs.flatMap((r) => r.loss)),
        x: { label: T_LABEL },
        y: { label: "loss" },
        ...SMALL,
        theoryLabel: "exact aligned",
      });
      const f = linePanel({
        series: curvesSeries(d.scan).map((s) =>
          s.name.endsWith("asymptote") ? { ...s, dash: "5,3", width: 1.2 } : s
        ),
        x: { label: "initial mode strength u₀ (s̃ = 1)", type: "log" },
        y: { label: "time to half strength t½/τ", type: "log" },
        width: 330,
        height: 250,
        theoryLabel: "exact t½ (closed form)",
      });
      const g = linePanel({
        series: curvesSeries(d.runs.flatMap((r) => r.unalignedLoss)),
        x: { label: T_LABEL },
        y: { label: "loss" },
        width: 280,
        height: 250,
        theoryLabel: "aligned prediction",
      });
      const h = linePanel({
        series: curvesSeries(d.runs.find((r) => r.depth === 4)!.unalignedModes),
        x: { label: T_LABEL },
        y: { label: "(ŨᵀWṼ)ₖₖ" },
        width: 280,
        height: 250,
        theoryLabel: "aligned prediction",
      });
      return {
        rows: [
          [
            { letter: "A", title: "loss, aligned init", body: a },
            ...d.runs.map((r, i) => ({
              letter: "BCDE"[i],
              title: `modes, L = ${r.depth}`,
              body: modesPanel(r.modes),
            })),
          ],
          [
            { letter: "F", title: "time to learn vs init and depth", body: f },
            { letter: "G", title: "unaligned balanced init: loss", body: g },
            { letter: "H", title: "unaligned balanced init: modes, L = 4", body: h },
          ],
        ],
      };
    },
    results: (d) => ({
      maxModeGapGdVsExact: Object.fromEntries(
        d.runs.map((r) => [`L${r.depth}`, Number(r.maxModeGap.toPrecision(3))]),
      ),
      halfTimeAligned: Object.fromEntries(
        d.runs.map((r) => [`L${r.depth}`, Number(r.halfTimes.aligned.toPrecision(4))]),
      ),
      halfTimeUnaligned: Object.fromEntries(
        d.runs.map((r) => [`L${r.depth}`, Number(r.halfTimes.unaligned.toPrecision(4))]),
      ),
      unalignedLossAtHorizon: Object.fromEntries(
        d.runs.map((r) => {
          const y = r.unalignedLoss[0].y;
          return [`L${r.depth}`, Number(y[y.length - 1].toPrecision(3))];
        }),
      ),
      halfTimeGdVsExactWorstRelative: Number(d.scanGap.toPrecision(3)),
      asymptoteRelativeErrorAtSmallestU0: d.asymptoteError,
    }),
  };
}

if (import.meta.main) Deno.exit(await figureMain(depthDefinition()));
