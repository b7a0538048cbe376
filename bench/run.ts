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
import type { BenchSection } from "./harness.ts";
import { gemmSection } from "./gemm.ts";
import { svdSection } from "./svd.ts";
import { exactSection } from "./exact.ts";
import { trainSection } from "./train.ts";
import { decimalSection } from "./decimal.ts";
import { sweepSection } from "./sweep.ts";

/** Every benchmark section, in the order they run. */
export const SECTIONS: readonly BenchSection[] = [
  gemmSection,
  svdSection,
  exactSection,
  trainSection,
  decimalSection,
  sweepSection,
];

if (import.meta.main) {
  const wanted = Deno.args;
  const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark section(s): ${unknown.join(", ")}; known: ${
        SECTIONS.map((s) => s.name).join(", ")
      }`,
    );
    Deno.exit(2);
  }
  for (const s of SECTIONS) {
    if (wanted.length === 0 || wanted.includes(s.name)) await s.run();
  }
}
