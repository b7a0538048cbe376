/**
 * The one driver every figure script uses: compute the data (timed), turn it into tidy tables
 * and panels, compose the SVG, render the PNG, write everything atomically under
 * `out/<name>/` with a manifest, and print a one-line summary.
 *
 * @module
 */
import { join } from "node:path";
import { type CommandSpec, type OptionSpec, runCommand } from "../cli/command.ts";
import { checkWritableDirectory, writeFileAtomic } from "../io/atomic.ts";
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
 * Checks that the output folders of a run can be written, before any work: the output root
 * (created if missing) and the gallery folder when given.
 * @throws {InputError} naming the folder and the reason
 */
export async function checkFigureOutputs(options: RunOptions): Promise<void> {
  await checkWritableDirectory(options.outRoot ?? "out");
  if (options.gallery) await checkWritableDirectory(options.gallery);
}

/**
 * Runs a figure end to end and writes its outputs (the folder `<outRoot>/<name>/` as a whole:
 * an interrupted run leaves the previous folder or none, never a partial one). The output
 * folders are checked writable before the computation starts.
 * @returns the output folder, data, timings and results
 */
export async function runFigure<P, D>(
  def: FigureDefinition<P, D>,
  options: RunOptions = {},
): Promise<FigureRun<D>> {
  await checkFigureOutputs(options);
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

/** The options every figure command takes (`figN`, `figs`). */
export const FIGURE_OPTIONS: Record<string, OptionSpec> = {
  out: { type: "string", value: "DIR", help: "output root (default out): writes DIR/<figure>/" },
  gallery: { type: "string", value: "DIR", help: "also copy each SVG to DIR/<figure>.svg" },
  quiet: { type: "boolean", help: "no progress or summary output" },
};

/** The {@link RunOptions} given by parsed {@link FIGURE_OPTIONS}. */
export function figureRunOptions(values: Record<string, string | boolean | undefined>): RunOptions {
  return {
    outRoot: typeof values.out === "string" ? values.out : "out",
    gallery: typeof values.gallery === "string" ? values.gallery : undefined,
    quiet: values.quiet === true,
  };
}

/**
 * Command-line entry of a figure script: `deno task figN [--out DIR] [--gallery DIR] [--quiet]`
 * (`--help` prints usage). Returns the exit status: 0, 2 for bad arguments or an unwritable
 * output folder (checked before computing), 1 when the run fails; errors are one stderr line.
 */
export function figureMain<P, D>(
  def: FigureDefinition<P, D>,
  args: readonly string[] = Deno.args,
): Promise<number> {
  const spec: CommandSpec = {
    name: def.name,
    usage: `deno task ${def.name} [--out DIR] [--gallery DIR] [--quiet]`,
    summary:
      `${
        def.description.replace(/\.*$/, ".")
      }\nWrites figure.svg, figure.png, one CSV per panel and ` +
      "manifest.json into DIR/" + def.name + "/.",
    options: FIGURE_OPTIONS,
  };
  return runCommand(spec, args, async ({ values }) => {
    await runFigure(def, figureRunOptions(values));
  });
}
