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
import { linePanel } from "../src/plot/panels.ts";
import { paletteColor } from "../src/plot/style.ts";
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
export const PARAMETERS: {
  spec: Record<string, unknown> & { seed: number };
  x: { path: string; label: string };
  y: { path: string; label: string };
  facet?: { path: string; label: string };
  measures: PhaseMeasure[];
} = {
  spec: {
    name: "phase",
    seed: 2026,
    seeds: 3,
    problem: {
      task: { kind: "hierarchy" },
      init: { kind: "lambda-balanced", nh: 8, scale: 0.01, lambda: 0 },
      method: "exact",
      times: { from: 0, to: HORIZON, count: 81 },
    },
    grid: {
      "init.scale": [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1, 3],
      "init.lambda": [-16, -8, -4, -2, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 2, 4, 8, 16],
    },
    measures: {
      timeToLoss: [0.1],
      kernelDistance: [HORIZON],
      taskSpecificity: true,
      errorEstimate: true,
    },
  },
  x: { path: "init.scale", label: "init scale (std of W2W1(0) entries)" },
  y: { path: "init.lambda", label: "λ (W2ᵀW2 − W1W1ᵀ = λI)" },
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
    },
  ],
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
    values: spec.grid.find((a) => a.path === path)!.values.map(Number),
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
      "task-specificity over init scale × λ (λ-balanced init), semantic hierarchy; cross-sections " +
      "over |λ| against the lazy limit.",
    parameters: PARAMETERS,
    seeds: { base: PARAMETERS.spec.seed },
    compute: (p, ctx) => computePhase(p, { quiet: ctx.quiet, workers: options.workers }),
    tables: (d) => [
      ...PARAMETERS.measures.map((m, k) => ({
        panel: LETTERS[k],
        rows: phaseTable(d.maps.filter((x) => x.measure === m.column), PARAMETERS.facet?.path),
      })),
      ...(["time_to_loss_0.1", `kernel_distance_t${HORIZON}`].map((measure, k) => ({
        panel: "DE"[k],
        rows: crossSections(d, measure).flatMap((c) =>
          c.points.map((p) => ({
            measure,
            "init.scale": c.scale,
            "init.lambda": p.lambda,
            value: p.value,
          }))
        ),
      }))),
      { panel: "points", rows: d.rows },
    ],
    layout: (d) => {
      const maps = PARAMETERS.measures.map((m, k): FigurePanel => {
        const map = d.maps.find((x) => x.measure === m.column)!;
        const finite = map.z.flat().filter(Number.isFinite);
        const level = k === 0 ? 0.5 * Math.max(...finite) : undefined;
        return {
          letter: LETTERS[k],
          title: m.title,
          body: phaseMapPanel({
            x: map.x,
            y: map.y,
            z: map.z,
            label: m.label,
            domain: m.domain,
            missingLabel: "not reached by T",
            width: 250,
            height: 220,
            ...(level === undefined ? {} : {
              boundary: {
                level,
                label: `lazy/rich boundary: distance = ${level.toPrecision(2)} (½ of the largest)`,
              },
            }),
          }),
        };
      });
      // λ > 0 as lines, λ < 0 as markers of the same colour (they coincide when the loss
      // depends on |λ| only, as for this square task).
      const sections = (measure: string, lazyLimit: boolean) => {
        const cs = crossSections(d, measure);
        const abs = (sign: 1 | -1, c: CrossSection) =>
          c.points.filter((p) => sign * p.lambda > 0 && Number.isFinite(p.value))
            .map((p) => ({ x: Math.abs(p.lambda), y: p.value }));
        return {
          series: [
            ...cs.map((c, i) => ({
              name: `init scale ${c.scale.toPrecision(2)}`,
              source: "simulation" as const,
              points: abs(1, c),
              color: paletteColor(i),
            })),
            ...(lazyLimit
              ? [{
                name: "lazy limit",
                source: "theory" as const,
                points: LAMBDAS_POSITIVE(d).map((l) => ({ x: l, y: Math.log(10) / (2 * l) })),
              }]
              : []),
          ],
          markers: cs.flatMap((c, i) =>
            abs(-1, c).map((p) => ({ ...p, color: paletteColor(i), symbol: "circle" }))
          ),
        };
      };
      return {
        title: `Lazy and rich learning from a sweep of ${d.sweep.points} exact solutions ` +
          `(living-kingdom hierarchy, λ-balanced init, Nh = 8, mean over ${d.maps[0].seeds} seeds)`,
        rows: [
          maps,
          [
            {
              letter: "D",
              title: "time to learn vs |λ| (lines: λ > 0, circles: λ < 0)",
              body: linePanel({
                ...sections("time_to_loss_0.1", true),
                x: { label: "|λ|", type: "log" },
                y: { label: "t/τ to excess loss 10 %", type: "log" },
                width: 330,
                height: 220,
                theoryLabel: "lazy limit ln 10 / (2|λ|)",
              }),
            },
            {
              letter: "E",
              title: "NTK kernel distance vs |λ| (lines: λ > 0, circles: λ < 0)",
              body: linePanel({
                ...sections(`kernel_distance_t${HORIZON}`, false),
                x: { label: "|λ|", type: "log" },
                y: { label: "1 − cos(K(0), K(T))", type: "log" },
                width: 330,
                height: 220,
              }),
            },
          ],
        ],
      };
    },
    results: (d) => phaseVerdict(d),
  };
}

/** The positive λ values of the grid. */
function LAMBDAS_POSITIVE(d: PhaseData): number[] {
  return d.maps[0].y.values.filter((l) => l > 0);
}

/** One cross-section: a measure over λ at one init scale. */
interface CrossSection {
  scale: number;
  points: { lambda: number; value: number }[];
}

/** The measure over λ at the smallest, the third largest and the largest init scale. */
export function crossSections(d: PhaseData, measure: string): CrossSection[] {
  const map = d.maps.find((m) => m.measure === measure)!;
  const n = map.x.values.length;
  return [0, n - 3, n - 1].map((ix) => ({
    scale: map.x.values[ix],
    points: map.y.values.map((lambda, iy) => ({ lambda, value: map.z[iy][ix] })),
  }));
}

/**
 * The numbers that say whether the figure shows the predicted regimes: the kernel distance at
 * λ = 0 against large |λ|, time to learn at small init and λ = 0 against the lazy limit
 * `ln 10 / (2|λ|)` at the largest |λ|, and the symmetry `λ ↔ −λ` of the time to learn.
 */
export function phaseVerdict(d: PhaseData): Record<string, unknown> {
  const get = (measure: string) => d.maps.find((m) => m.measure === measure)!;
  const kd = get(`kernel_distance_t${HORIZON}`), tl = get("time_to_loss_0.1");
  const ys = kd.y.values, zero = ys.indexOf(0), top = ys.length - 1;
  const lmax = ys[top];
  let asym = 0;
  ys.forEach((l, iy) => {
    const j = ys.indexOf(-l);
    if (j < 0) return;
    tl.z[iy].forEach((v, ix) => {
      asym = Math.max(asym, Math.abs(v - tl.z[j][ix]) / Math.max(v, tl.z[j][ix]));
    });
  });
  const r3 = (x: number) => Number(x.toPrecision(3));
  const lazyT = Math.log(10) / (2 * lmax);
  return {
    sweepSeconds: r3(d.sweep.seconds),
    points: d.sweep.points,
    pointErrors: d.sweep.errors,
    kernelDistanceAtLambda0: kd.z[zero].map(r3),
    kernelDistanceAtLambdaMax: kd.z[top].map(r3),
    timeToLearnAtLambda0: tl.z[zero].map(r3),
    timeToLearnAtLambdaMax: tl.z[top].map(r3),
    lazyLimitAtLambdaMax: r3(lazyT),
    lazyLimitRelErrorSmallestScale: r3(Math.abs(tl.z[top][0] - lazyT) / lazyT),
    timeToLearnAsymmetryLambda: r3(asym),
    taskSpecificityRange: [
      r3(Math.min(...get("task_specificity").z.flat())),
      r3(Math.max(...get("task_specificity").z.flat())),
    ],
  };
}

if (import.meta.main) Deno.exit(await figureMain(phaseDefinition()));
