/**
 * Regenerates every implemented paper figure, the lazy/rich figure and the depth figure in one
 * process: `deno task figs` → `out/figN/`, `out/lazy-rich/`, `out/depth/`.
 * `--gallery DIR` also copies each SVG to `DIR/<name>.svg` (`deno task gallery` → docs/figures/).
 * Prints each figure's time; exits 1 if any figure fails (the others still run), 2 on bad
 * arguments or an unwritable output folder (checked before the first figure is computed).
 *
 * @module
 */
import { type CommandSpec, runCommand } from "../src/cli/command.ts";
import {
  checkFigureOutputs,
  FIGURE_OPTIONS,
  figureRunOptions,
  runFigure,
} from "../src/figures/runner.ts";
import { printableLine } from "../src/cli/text.ts";
import { fig1Definition } from "./fig1.ts";
import { fig2Definition } from "./fig2.ts";
import { fig3Definition } from "./fig3.ts";
import { fig4Definition } from "./fig4.ts";
import { fig5Definition } from "./fig5.ts";
import { fig6Definition } from "./fig6.ts";
import { lazyRichDefinition } from "./lazy_rich.ts";
import { depthDefinition } from "./depth.ts";

const SPEC: CommandSpec = {
  name: "figs",
  usage: "deno task figs [--out DIR] [--gallery DIR] [--quiet]",
  summary:
    "Regenerates every paper figure (fig1 … fig6) into DIR/figN/, the lazy/rich figure into\n" +
    "DIR/lazy-rich/ and the depth figure into DIR/depth/, printing each one's time.",
  options: FIGURE_OPTIONS,
};

/** Runs the command on `args`; returns the exit status. */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(SPEC, args, async ({ values }, io) => {
    const options = figureRunOptions(values);
    await checkFigureOutputs(options);
    const start = performance.now();
    const figures = [
      fig1Definition(),
      fig2Definition(),
      fig3Definition(),
      fig4Definition(),
      fig5Definition(),
      fig6Definition(),
      lazyRichDefinition(),
      depthDefinition(),
    ];
    const summary: string[] = [];
    let failed = 0;
    for (const def of figures) {
      try {
        // deno-lint-ignore no-explicit-any
        const run = await runFigure(def as any, options);
        summary.push(`${def.name}: ${run.seconds.total.toFixed(1)} s`);
      } catch (error) {
        failed += 1;
        summary.push(`${def.name}: FAILED`);
        io.stderr(printableLine(`${def.name} failed: ${(error as Error).message ?? error}`));
      }
    }
    const total = ((performance.now() - start) / 1000).toFixed(1);
    if (!options.quiet) await io.stdout(`figs: ${summary.join(", ")}; total ${total} s\n`);
    return failed > 0 ? 1 : 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
