/**
 * The one driver every figure script uses: compute the data (timed), turn it into tidy tables
 * and panels, compose the SVG, render the PNG, write everything atomically under
 * `out/<name>/` with a manifest, and print a one-line summary.
 *
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../io/atomic.ts";
import { Timings } from "../io/manifest.ts";
import { type PanelTable, writeFigureOutputs } from "../io/output.ts";
import { composeFigure, type FigureSpec } from "../plot/layout.ts";
import { svgToPng } from "../plot/png.ts";

/** Everything that defines one figure. `P` are its parameters, `D` its computed data. */
export interface FigureDefinition<P, D> {
  /** Output name, e.g. `"fig2"`. */
  name: string;
  /** What it reproduces (recorded in the manifest). */
  description: string;
  /** Parameters (recorded in the manifest). */
  parameters: P;
  /** Seeds of every random stream (recorded in the manifest). */
  seeds: Record<string, number>;
  /** Computes the figure's data; stages may be timed through `timings`. */
  compute(parameters: P, context: FigureContext): D | Promise<D>;
  /** Long-format tables, one per panel. */
  tables(data: D): PanelTable[];
  /** The panels, laid out. */
  layout(data: D): FigureSpec;
  /** Numbers to record in the manifest and print (e.g. a fitted order). */
  results?(data: D): Record<string, unknown>;
}

/** What `compute` may use. */
export interface FigureContext {
  /** Stage timings (recorded in the manifest). */
  timings: Timings;
  /** Suppress progress output (tests). */
  quiet: boolean;
}

/** Options of {@link runFigure}. */
export interface RunOptions {
  /** Output root (default `"out"`); the figure goes to `<root>/<name>/`. */
  outRoot?: string;
  /** Also copy the SVG to `<gallery>/<name>.svg` (e.g. `"docs/figures"`). */
  gallery?: string;
  /** No progress or summary on stdout/stderr. */
  quiet?: boolean;
}

/** What a run produced. */
export interface FigureRun<D> {
  /** Output folder. */
  dir: string;
  /** The computed data. */
  data: D;
  /** Stage timings in seconds, with `total`. */
  seconds: Record<string, number>;
  /** The figure's results. */
  results: Record<string, unknown>;
}

/**
 * Runs a figure end to end and writes its outputs.
 * @returns the output folder, data, timings and results
 */
export async function runFigure<P, D>(
  def: FigureDefinition<P, D>,
  options: RunOptions = {},
): Promise<FigureRun<D>> {
  const timings = new Timings();
  const quiet = options.quiet ?? false;
  const data = await timings.measureAsync(
    "compute",
    async () => await def.compute(def.parameters, { timings, quiet }),
  );
  const { svg, png, tables } = await timings.measureAsync("render", async () => {
    const tables = def.tables(data);
    const fig = composeFigure(def.layout(data));
    return { svg: fig.svg, png: await svgToPng(fig.svg), tables };
  });
  const results = def.results?.(data) ?? {};
  const dir = join(options.outRoot ?? "out", def.name);
  await timings.measureAsync("write", async () => {
    await writeFigureOutputs(dir, {
      svg,
      png,
      tables,
      manifest: {
        name: def.name,
        description: def.description,
        parameters: def.parameters as Record<string, unknown>,
        seeds: def.seeds,
        results,
        timings,
      },
    });
    if (options.gallery) await writeFileAtomic(join(options.gallery, `${def.name}.svg`), svg);
  });
  const seconds = timings.toJSON();
  if (!quiet) {
    const stages = Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(", ");
    console.log(`${def.name}: wrote ${dir}/ (${stages})`);
    for (const [k, v] of Object.entries(results)) console.log(`  ${k}: ${JSON.stringify(v)}`);
  }
  return { dir, data, seconds, results };
}

/**
 * Command-line entry of a figure script: `deno run … scripts/figN.ts [--out DIR] [--gallery DIR]
 * [--quiet]`. Exits with status 1 and one line on stderr when the run fails.
 */
export async function figureMain<P, D>(def: FigureDefinition<P, D>, args = Deno.args) {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: "string", default: "out" },
      gallery: { type: "string" },
      quiet: { type: "boolean", default: false },
    },
  });
  try {
    await runFigure(def, { outRoot: values.out, gallery: values.gallery, quiet: values.quiet });
  } catch (error) {
    console.error(`${def.name} failed: ${error instanceof Error ? error.stack : error}`);
    Deno.exit(1);
  }
}
