/**
 * Runs every property of the suite against the library (f64 backend) at the budget of
 * test/budget.ts — the default in `deno task test`, many more cases with `DLN_DEEP=1`
 * (`deno task test:deep`) — and replays the kept counterexamples (counterexamples.json).
 * A failure prints the shrunk counterexample and the command that replays it (harness.ts,
 * README "Property-based tests").
 */
import { f64Backend } from "../../src/linalg/f64.ts";
import { assertProperty } from "./harness.ts";
import { ALL_PROPERTIES, loadCounterexamples } from "./regression.ts";

for (const spec of ALL_PROPERTIES) {
  Deno.test(spec.name, () => {
    const t0 = performance.now();
    const d = assertProperty(spec, f64Backend);
    const s = ((performance.now() - t0) / 1000).toFixed(2);
    console.log(`${d.numRuns} cases (${d.numSkips} skipped) in ${s} s`);
  });
}

Deno.test("regression: kept counterexamples still pass", async (t) => {
  for (const { entry, spec } of loadCounterexamples()) {
    await t.step(`${spec.name}: ${JSON.stringify(entry.value)}`, () => {
      spec.check(entry.value, f64Backend);
    });
  }
});
