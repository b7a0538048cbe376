/**
 * `deno task bench [name…]`: runs the benchmark sections (all, or those named) one after the
 * other; each prints its own table, WASM side by side with a baseline (numpy where python3 has
 * it) in the same run. The machine may be shared: read ratios, not absolute times.
 *
 * To add a section: write `bench/<name>.ts` exporting a `BenchSection` (see `harness.ts`) and
 * list it in `SECTIONS` below.
 *
 * @module
 */
import { type CommandSpec, runCommand } from "../src/cli/command.ts";
import { InputError } from "../src/errors.ts";
import type { BenchSection } from "./harness.ts";
import { gemmSection } from "./gemm.ts";
import { svdSection } from "./svd.ts";
import { exactSection } from "./exact.ts";
import { trainSection } from "./train.ts";
import { decimalSection } from "./decimal.ts";
import { startupSection } from "./startup.ts";
import { sweepSection } from "./sweep.ts";

/** Every benchmark section, in the order they run. */
export const SECTIONS: readonly BenchSection[] = [
  gemmSection,
  svdSection,
  exactSection,
  trainSection,
  decimalSection,
  startupSection,
  sweepSection,
];

if (import.meta.main) {
  const spec: CommandSpec = {
    name: "bench",
    usage: "deno task bench [SECTION …]",
    summary: "Benchmarks the WASM core side by side with numpy (python3) in the same run and " +
      "prints ratios.\nSections (all when none is named):\n" +
      SECTIONS.map((s) => `  ${s.name.padEnd(8)} ${s.description}`).join("\n"),
    options: {},
    positionals: [0, SECTIONS.length],
  };
  Deno.exit(
    await runCommand(spec, Deno.args, async ({ positionals: wanted }) => {
      const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
      if (unknown.length > 0) {
        throw new InputError(
          `unknown benchmark section(s): ${unknown.join(", ")}; known: ${
            SECTIONS.map((s) => s.name).join(", ")
          }`,
        );
      }
      for (const s of SECTIONS) {
        if (wanted.length === 0 || wanted.includes(s.name)) await s.run();
      }
    }),
  );
}
