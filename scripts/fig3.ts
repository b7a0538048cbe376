/**
 * Paper Fig. 3 — rich and lazy learning.
 *
 * A: the semantic task (living kingdom: 8 items, 8 hierarchical features). B: SVD of `Σyx`
 * (`Ũ`, `S̃`, `Ṽᵀ`) and the task RSMs `ṼS̃Ṽᵀ`, `ŨS̃Ũᵀ`. C–E: final `QQᵀ` after training from
 * C small zero-balanced, D large Gaussian (not balanced: lazy, its `W1ᵀW1`, `W2W2ᵀ` differ from
 * the task RSMs) and E large zero-balanced weights (rich, Theorem 3.2). F: loss curves (C green,
 * D pink, E blue; Theorem 3.1 black dotted where it applies, i.e. C and E).
 *
 * Run: `deno task fig3` → `out/fig3/`.
 *
 * @module
 */
import { joinQQt } from "../src/exact/solution.ts";
import { solveExact } from "../src/exact/solve.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  lossCurve,
  T_LABEL,
  timeGrid,
} from "../src/figures/curves.ts";
import {
  matricesTable,
  qqtHeatmap,
  type TaskStructure,
  taskStructure,
} from "../src/figures/matrices.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { gaussianInit } from "../src/init/gaussian.ts";
import { zeroBalancedInit } from "../src/init/zero_balanced.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import type { Matrix } from "../src/matrix.ts";
import { heatmapPanel, linePanel } from "../src/plot/panels.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { ITEMS, livingKingdomTask } from "../src/tasks/hierarchy.ts";
import { simulate } from "../src/train/simulate.ts";

/** Parameters of Fig. 3. */
export const PARAMETERS = {
  /** Hidden width (inputs and outputs are the 8 items and 8 features). */
  nh: 16,
  /** Small zero-balanced init: std of the entries of `W2W1(0)`. */
  smallScale: 1e-3,
  /** Large Gaussian init: std of every weight. */
  gaussianScale: 0.7,
  /** Large zero-balanced init: std of the entries of `W2W1(0)`. */
  balancedScale: 1.5,
  learningRate: 0.005,
  horizon: 8,
  points: 161,
};

/** Base seed. */
export const SEED = 3;

/** One initialisation's run. */
export interface Fig3Run {
  /** Final `QQᵀ` (simulation). */
  qqt: Matrix;
  /** Loss curves (simulation, and theory when it applies). */
  loss: Curve[];
  /** `max|W1ᵀW1 − ṼS̃Ṽᵀ|` at the end: 0 for a rich solution. */
  rsmGap: number;
}

/** Data of Fig. 3. */
export interface Fig3Data {
  y: Matrix;
  features: readonly string[];
  structure: TaskStructure;
  small: Fig3Run;
  gaussian: Fig3Run;
  balanced: Fig3Run;
}

/** Computes Fig. 3's data. */
export function computeFig3(p: typeof PARAMETERS): Fig3Data {
  const task = livingKingdomTask();
  const structure = taskStructure(task.sigmaYX, task.modes);
  const rng = new Random(deriveSeed(SEED, 0));
  const dims = { ni: 8, nh: p.nh, no: 8 };
  const times = timeGrid(p.horizon, p.points);
  const run = (
    init: ReturnType<typeof gaussianInit>,
    name: string,
    color: string,
    exact: boolean,
  ): Fig3Run => {
    const sim = simulate(task, init, { learningRate: p.learningRate, times });
    const loss: Curve[] = [{ ...lossCurve(sim, name, "simulation"), color }];
    if (exact) loss.push(lossCurve(solveExact(f64Backend, task, init, times), name, "theory"));
    const last = sim.states[sim.states.length - 1];
    const gap = Math.max(...last.w1tw1.data.map((v, i) => Math.abs(v - structure.rsmIn.data[i])));
    return { qqt: joinQQt(last), loss, rsmGap: gap };
  };
  return {
    y: task.Y!,
    features: task.featureNames,
    structure,
    small: run(
      zeroBalancedInit(rng, { ...dims, scale: p.smallScale, task }),
      "small random (C)",
      "#59a14f",
      true,
    ),
    gaussian: run(gaussianInit(rng, dims, p.gaussianScale), "large random (D)", "#ff9da7", false),
    balanced: run(
      zeroBalancedInit(rng, { ...dims, scale: p.balancedScale, task }),
      "large zero-balanced (E)",
      "#4e79a7",
      true,
    ),
  };
}

/** Fig. 3 definition for the runner. */
export function fig3Definition(): FigureDefinition<typeof PARAMETERS, Fig3Data> {
  return {
    name: "fig3",
    description:
      "Paper Fig. 3: rich and lazy learning on the living-kingdom hierarchy; final QQᵀ " +
      "from small zero-balanced, large Gaussian and large zero-balanced weights; loss curves.",
    parameters: PARAMETERS,
    seeds: { base: SEED, stream: deriveSeed(SEED, 0) },
    compute: (p) => computeFig3(p),
    tables: (d) => [
      matricesTable("A", { Y: d.y }),
      matricesTable("B", {
        U: d.structure.u,
        S: d.structure.s,
        Vt: d.structure.vt,
        rsm_input: d.structure.rsmIn,
        rsm_output: d.structure.rsmOut,
      }),
      matricesTable("C", { QQt: d.small.qqt }),
      matricesTable("D", { QQt: d.gaussian.qqt }),
      matricesTable("E", { QQt: d.balanced.qqt }),
      curvesTable("F", [...d.small.loss, ...d.gaussian.loss, ...d.balanced.loss]),
    ],
    layout: (d) => {
      const small = (m: Matrix, label: string) =>
        heatmapPanel({ matrix: m.toArray(), size: 110, label });
      return {
        rows: [
          [
            {
              letter: "A",
              title: "semantic task Y (features × items)",
              body: heatmapPanel({
                matrix: d.y.toArray(),
                size: 170,
                rowLabels: d.features,
                colLabels: ITEMS,
                label: "feature value",
              }),
            },
            { letter: "B", title: "Ũ", body: small(d.structure.u, "entry") },
            { title: "S̃", body: small(d.structure.s, "singular value") },
            { title: "Ṽᵀ", body: small(d.structure.vt, "entry") },
            { title: "ṼS̃Ṽᵀ (input RSM)", body: small(d.structure.rsmIn, "similarity") },
            { title: "ŨS̃Ũᵀ (output RSM)", body: small(d.structure.rsmOut, "similarity") },
          ],
          [
            { letter: "C", title: "final QQᵀ: small random", body: qqtHeatmap(d.small.qqt, 8) },
            { letter: "D", title: "large random (lazy)", body: qqtHeatmap(d.gaussian.qqt, 8) },
            { letter: "E", title: "large zero-balanced", body: qqtHeatmap(d.balanced.qqt, 8) },
            {
              letter: "F",
              title: "learning curves",
              body: linePanel({
                series: curvesSeries([...d.small.loss, ...d.gaussian.loss, ...d.balanced.loss]),
                x: { label: T_LABEL },
                y: { label: "loss L", type: "log" },
                width: 300,
                height: 220,
              }),
            },
          ],
        ],
      };
    },
    results: (d) => ({
      rsmGapSmall: d.small.rsmGap,
      rsmGapGaussian: d.gaussian.rsmGap,
      rsmGapBalanced: d.balanced.rsmGap,
    }),
  };
}

if (import.meta.main) Deno.exit(await figureMain(fig3Definition()));
