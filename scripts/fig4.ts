/**
 * Paper Fig. 4 — decoupling dynamics (Theorem 5.1, task-aligned initialisation
 * `W1 = A0Ṽᵀ`, `W2 = ŨA0ᵀ`, 2×2 networks with `Nh = 2`).
 *
 * A: on-diagonal (`a1` blue, `a2` orange) and off-diagonal (`b`, red) entries of `AᵀA = ŨᵀW2W1Ṽ`
 * over training, gradient descent (solid) against the explicit 2×2 solution (black dotted), for
 * the dense target at intermediate init variance. (Panel B of the paper is a schematic and is
 * not drawn.) C: the three targets (dense, unequal diagonal, equal diagonal). D–F: the same for
 * each target (rows) at small, intermediate and large init variance (columns); row F marks the
 * paper's `t_peak` (green dashed).
 *
 * Run: `deno task fig4` → `out/fig4/`.
 *
 * @module
 */
import { aligned2x2, type Ata2, tPeakExact, tPeakPaper } from "../src/exact/aligned.ts";
import {
  type Curve,
  curvesSeries,
  curvesTable,
  maxGap,
  T_LABEL,
  timeGrid,
} from "../src/figures/curves.ts";
import { inModeBasis, matricesTable } from "../src/figures/matrices.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import { taskAlignedInit } from "../src/init/aligned.ts";
import { matmul, scale } from "../src/linalg/blas.ts";
import { svd } from "../src/linalg/svd.ts";
import type { Matrix } from "../src/matrix.ts";
import type { FigurePanel } from "../src/plot/layout.ts";
import { heatmapPanel, linePanel } from "../src/plot/panels.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { type Target2x2, target2x2 } from "../src/tasks/targets2x2.ts";
import { simulate } from "../src/train/simulate.ts";

/** Parameters of Fig. 4. */
export const PARAMETERS = {
  targets: ["dense", "unequal diagonal", "equal diagonal"] as Target2x2[],
  /** Std of the entries of `A0` (2×2): small, intermediate, large variance. */
  sigmas: [0.05, 0.5, 1.5],
  learningRate: 0.005,
  horizon: 6,
  points: 121,
};

/** Base seed (one `A0` draw, scaled per column). */
export const SEED = 4;

/** One cell (target × variance). */
export interface Fig4Cell {
  target: Target2x2;
  sigma: number;
  init: Ata2;
  curves: Curve[];
  /** Paper's and exact `t_peak` (equal diagonal only; else NaN). */
  tPeak: { paper: number; exact: number };
  /** Largest |simulation − theory| over the three entries. */
  maxGap: number;
}

/** Data of Fig. 4. */
export interface Fig4Data {
  targets: { name: Target2x2; sigmaYX: Matrix }[];
  cells: Fig4Cell[][];
}

/**
 * Colours of the entries: a1 and a2 in clearly different hues, and drawn wide enough that the
 * colour shows on both sides of the black dotted analytical line on top of them.
 */
const COLORS = { a1: "#4e79a7", a2: "#f28e2b", b: "#e15759" } as const;
const SIMULATION_WIDTH = 3.2;

/** Computes Fig. 4's data. */
export function computeFig4(p: typeof PARAMETERS): Fig4Data {
  const g = new Random(deriveSeed(SEED, 0)).gaussianMatrix(2, 2);
  const times = timeGrid(p.horizon, p.points);
  const cells = p.targets.map((target) => {
    const task = target2x2(target);
    const { u, s, v } = svd(task.sigmaYX);
    return p.sigmas.map((sigma): Fig4Cell => {
      const scaled = scale(g, sigma);
      const init = taskAlignedInit(task, scaled);
      const sim = simulate(task, init, { learningRate: p.learningRate, times });
      const ata = sim.states.map((st) => inModeBasis(u, v, st.w2w1));
      const gram = matmul(scaled, scaled, { transA: true });
      const init2: Ata2 = { a1: gram.get(0, 0), a2: gram.get(1, 1), b: gram.get(0, 1) };
      const theory = times.map((t) => aligned2x2(init2, s[0], s[1], t));
      const entry = (name: "a1" | "a2" | "b", i: number, j: number): Curve[] => [
        {
          series: name,
          source: "simulation",
          x: times,
          y: ata.map((m) => m.get(i, j)),
          color: COLORS[name],
          width: SIMULATION_WIDTH,
        },
        { series: name, source: "theory", x: times, y: theory.map((q) => q[name]) },
      ];
      const curves = [...entry("a1", 0, 0), ...entry("a2", 1, 1), ...entry("b", 0, 1)];
      const equal = Math.abs(s[0] - s[1]) < 1e-12;
      return {
        target,
        sigma,
        init: init2,
        curves,
        tPeak: equal
          ? { paper: tPeakPaper(init2, s[0]), exact: tPeakExact(init2, s[0]) }
          : { paper: NaN, exact: NaN },
        maxGap: maxGap(curves),
      };
    });
  });
  return { targets: p.targets.map((name) => ({ name, sigmaYX: target2x2(name).sigmaYX })), cells };
}

function cellPanel(c: Fig4Cell, width = 220, height = 170) {
  const rules = c.tPeak.paper > 0
    ? [{ x: c.tPeak.paper, color: "#59a14f", dash: "5,3", label: "t_peak (paper)" }]
    : [];
  return linePanel({
    series: curvesSeries(c.curves),
    x: { label: T_LABEL },
    y: { label: "entry of AᵀA" },
    rules,
    width,
    height,
  });
}

/** Fig. 4 definition for the runner. */
export function fig4Definition(): FigureDefinition<typeof PARAMETERS, Fig4Data> {
  return {
    name: "fig4",
    description:
      "Paper Fig. 4: decoupling dynamics of AᵀA (Theorem 5.1) for three 2×2 targets at " +
      "small, intermediate and large init variance; t_peak for the equal-diagonal target.",
    parameters: PARAMETERS,
    seeds: { base: SEED, a0: deriveSeed(SEED, 0) },
    compute: (p) => computeFig4(p),
    tables: (d) => [
      curvesTable("A", d.cells[0][1].curves),
      matricesTable(
        "C",
        Object.fromEntries(d.targets.map((t) => [t.name.replace(" ", "_"), t.sigmaYX])),
      ),
      ...d.cells.map((row, r) =>
        curvesTable(
          "DEF"[r],
          row.flatMap((c) =>
            c.curves.map((q) => ({ ...q, tags: { target: c.target, sigma: c.sigma } }))
          ),
        )
      ),
    ],
    layout: (d) => {
      const names = ["small", "intermediate", "large"];
      const rows: FigurePanel[][] = d.cells.map((row, r) =>
        row.map((c, k) => ({
          ...(k === 0 ? { letter: "DEF"[r] } : {}),
          title: k === 0
            ? `${c.target}: σ = ${c.sigma} (${names[k]})`
            : `σ = ${c.sigma} (${names[k]})`,
          body: cellPanel(c),
        }))
      );
      return {
        rows: [
          [
            {
              letter: "A",
              title: "dense target, intermediate variance",
              body: cellPanel(d.cells[0][1], 300, 200),
            },
            ...d.targets.map((t, k) => ({
              ...(k === 0 ? { letter: "C" } : {}),
              title: t.name,
              body: heatmapPanel({
                matrix: t.sigmaYX.toArray(),
                size: 90,
                maxAbs: 2,
                label: "Σyx entry",
              }),
            })),
          ],
          ...rows,
        ],
      };
    },
    results: (d) => ({
      maxGap: Math.max(...d.cells.flat().map((c) => c.maxGap)),
      tPeakEqualDiagonal: d.cells[2].map((c) => ({
        sigma: c.sigma,
        paper: c.tPeak.paper,
        exact: c.tPeak.exact,
      })),
    }),
  };
}

if (import.meta.main) Deno.exit(await figureMain(fig4Definition()));
