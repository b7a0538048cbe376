/**
 * Regenerates every implemented paper figure, the lazy/rich figure and the depth figure in one
 * process: `deno task figs` → `out/figN/`, `out/lazy-rich/`, `out/depth/`.
 * `--gallery DIR` also copies each SVG to `DIR/<name>.svg` (`deno task gallery` → docs/figures/).
 * Prints each figure's time; exits 1 if any figure fails (the others still run).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runFigure } from "../src/figures/runner.ts";
import { fig1Definition } from "./fig1.ts";
import { fig2Definition } from "./fig2.ts";
import { fig3Definition } from "./fig3.ts";
import { fig4Definition } from "./fig4.ts";
import { fig5Definition } from "./fig5.ts";
import { fig6Definition } from "./fig6.ts";
import { lazyRichDefinition } from "./lazy_rich.ts";
import { depthDefinition } from "./depth.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { out: { type: "string", default: "out" }, gallery: { type: "string" } },
});

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
    const run = await runFigure(def as any, { outRoot: values.out, gallery: values.gallery });
    summary.push(`${def.name}: ${run.seconds.total.toFixed(1)} s`);
  } catch (error) {
    failed += 1;
    summary.push(`${def.name}: FAILED`);
    console.error(`${def.name} failed: ${error instanceof Error ? error.stack : error}`);
  }
}
console.log(
  `figs: ${summary.join(", ")}; total ${((performance.now() - start) / 1000).toFixed(1)} s`,
);
if (failed > 0) Deno.exit(1);
