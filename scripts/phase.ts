/**
 * Phase diagram from a sweep (`deno task phase` → `out/phase/`): NTK kernel distance, time to
 * learn and task-specificity over two sweep axes, one row of maps per value of a third, on the
 * semantic hierarchy of Fig. 3 (exact solutions, every seed's problem drawn by the sweep).
 *
 * The sweep runs through `src/sweep/` exactly as `deno task sweep` would (in `out/sweep/phase/`,
 * cleared first so the figure never reuses results of older code), on the worker pool; the maps
 * average over seeds. Parameters are the sweep spec below.
 *
 * @module
 */
import { join } from "node:path";
import { parseCsv } from "../src/io/csv.ts";
import { type PhaseMap, phaseMaps, phaseTable } from "../src/figures/phase.ts";
import { type FigureDefinition, figureMain } from "../src/figures/runner.ts";
import type { FigurePanel } from "../src/plot/layout.ts";
import { phaseMapPanel } from "../src/plot/phase.ts";
import { coreCount } from "../src/parallel/pool.ts";
import { mergeSweep } from "../src/sweep/merge.ts";
import { runShard } from "../src/sweep/run.ts";
import { parseSweepSpec } from "../src/sweep/spec.ts";

/** Horizon `T` (units of τ): kernel distance and task-specificity are read here. */
const HORIZON = 20;

/** A measure drawn as a row of maps: result column, panel title, colour-bar label and range. */
export interface PhaseMeasure {
  /** Column of the sweep's results. */
  column: string;
  /** Panel title. */
  title: string;
  /** Colour-bar label. */
  label: string;
  /** Colour range (default: the data's). */
  domain?: [number, number];
}

/** The figure's parameters: the sweep spec and which axes and measures to draw. */
export const PARAMETERS = {
  spec: {
    name: "phase",
    seed: 2026,
    seeds: 3,
    problem: {
      task: { kind: "hierarchy", top: 3, gap: 0.5 },
      init: { kind: "zero-balanced", nh: 8, scale: 0.01 },
      method: "exact",
      times: { from: 0, to: HORIZON, count: 81 },
    },
    grid: {
      "init.scale": { from: 1e-4, to: 3, count: 10, spacing: "log" },
      "task.gap": { from: 0, to: 0.6, count: 7 },
      "init.nh": [8, 32],
    },
    measures: {
      timeToLoss: [0.1],
      kernelDistance: [HORIZON],
      taskSpecificity: true,
    },
  },
  x: { path: "init.scale", label: "init scale (std of W2W1(0) entries)" },
  y: { path: "task.gap", label: "spectrum gap (level strengths 3 − l·gap)" },
  facet: { path: "init.nh", label: "Nh" },
  measures: [
    {
      column: `kernel_distance_t${HORIZON}`,
      title: `NTK kernel distance, t = 0 to ${HORIZON}τ`,
      label: "1 − cos(K(0), K(T))",
    },
    {
      column: "time_to_loss_0.1",
      title: "time to learn (excess loss down to 10 %)",
      label: "t/τ",
    },
    {
      column: "task_specificity",
      title: `task-specificity of W1ᵀW1 at ${HORIZON}τ`,
      label: "cos(W1ᵀW1, ṼS̃Ṽᵀ)",
      domain: [0, 1],
    },
  ] as PhaseMeasure[],
};

/** Where the sweep runs. */
const SWEEP_DIR = join("out", "sweep", "phase");

/** The computed maps and per-point rows. */
export interface PhaseData {
  /** One map per measure and facet value. */
  maps: PhaseMap[];
  /** The merged sweep rows. */
  rows: Record<string, string>[];
  /** Sweep wall time in seconds and points. */
  sweep: { seconds: number; points: number; errors: number };
}

/** Runs the sweep and builds the maps. */
export async function computePhase(
  p: typeof PARAMETERS,
  options: { quiet?: boolean; workers?: number; dir?: string } = {},
): Promise<PhaseData> {
  const dir = options.dir ?? SWEEP_DIR;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const text = JSON.stringify(p.spec);
  const spec = parseSweepSpec(text);
  const t0 = performance.now();
  await runShard(text, { dir, workers: options.workers ?? coreCount(), quiet: options.quiet });
  const seconds = (performance.now() - t0) / 1000;
  const merged = await mergeSweep(dir);
  const [header, ...records] = parseCsv(await Deno.readTextFile(merged.results));
  const rows = records.map((r) => Object.fromEntries(header.map((c, i) => [c, r[i]])));
  const axis = (path: string, label: string) => ({
    path,
    label,
    values: spec.grid.find((a) => a.path === path)!.values,
  });
  const maps = p.measures.flatMap((m) =>
    phaseMaps(rows, m.column, {
      x: axis(p.x.path, p.x.label),
      y: axis(p.y.path, p.y.label),
      facet: p.facet?.path,
    })
  );
  return { maps, rows, sweep: { seconds, points: merged.points, errors: merged.errors } };
}

const LETTERS = "ABCDEFGHIJKL";

/** The figure definition. */
export function phaseDefinition(
  options: { workers?: number } = {},
): FigureDefinition<typeof PARAMETERS, PhaseData> {
  return {
    name: "phase",
    description: "Phase diagram from a sweep: NTK kernel distance, time to learn and " +
      "task-specificity over init scale × spectrum gap (rows: hidden width), semantic hierarchy.",
    parameters: PARAMETERS,
    seeds: { base: PARAMETERS.spec.seed },
    compute: (p, ctx) => computePhase(p, { quiet: ctx.quiet, workers: options.workers }),
    tables: (d) => [
      ...PARAMETERS.measures.map((m, k) => ({
        panel: LETTERS[k],
        rows: phaseTable(d.maps.filter((x) => x.measure === m.column), PARAMETERS.facet?.path),
      })),
      { panel: "points", rows: d.rows },
    ],
    layout: (d) => {
      const facets = [...new Set(d.maps.map((m) => m.facet))];
      return {
        title: `Phase diagram from a sweep of ${d.sweep.points} exact solutions ` +
          `(living-kingdom hierarchy, zero-balanced init, mean over ${d.maps[0].seeds} seeds)`,
        rows: facets.map((facet, row) =>
          PARAMETERS.measures.map((m, k): FigurePanel => {
            const map = d.maps.find((x) => x.measure === m.column && x.facet === facet)!;
            return {
              ...(row === 0 ? { letter: LETTERS[k] } : {}),
              title: `${m.title}${
                facet === undefined ? "" : `, ${PARAMETERS.facet.label} = ${facet}`
              }`,
              body: phaseMapPanel({
                x: map.x,
                y: map.y,
                z: map.z,
                label: m.label,
                domain: m.domain,
                missingLabel: "not reached by T",
              }),
            };
          })
        ),
      };
    },
    results: (d) => {
      const summary: Record<string, unknown> = {
        sweepSeconds: Number(d.sweep.seconds.toFixed(2)),
        points: d.sweep.points,
        pointErrors: d.sweep.errors,
      };
      for (const m of d.maps) {
        const v = m.z.flat().filter(Number.isFinite);
        summary[`${m.measure}${m.facet === undefined ? "" : `@${m.facet}`}`] = [
          Number(Math.min(...v).toPrecision(3)),
          Number(Math.max(...v).toPrecision(3)),
        ];
      }
      return summary;
    },
  };
}

if (import.meta.main) await figureMain(phaseDefinition());
