/**
 * Mutation check: the key properties must catch a deliberately broken solver. The library is
 * not edited; the exact solutions take their arithmetic as a `Backend`, so the mutant is a
 * wrapper of the f64 backend that breaks one formula at one seam:
 *
 * - `C` sign: `computeModes` forms `C = UᵀŨ − VᵀṼ` as `sub(a, b)` of two products `matmul(·, ·,
 *   transA)`; the wrapper tags such products and returns `b − a` for that `sub` only, i.e.
 *   Theorem 3.1 with `C → −C` (no other `sub` of the exact solutions has two such operands).
 *
 * The same wrapper without the mutation must pass (the wrapping itself is harmless), and with
 * it every listed property must report failure. (Theorem 5.1 vs 3.1 is not listed: for an
 * aligned init `UᵀŨ = VᵀṼ`, so `C = 0` and the mutant is harmless there — checked once.)
 */
import { assertOk } from "../assert.ts";
import { f64Backend, type F64Handle } from "../../src/linalg/f64.ts";
import type { Backend } from "../../src/linalg/backend.ts";
import { type AnyProperty, checkProperty } from "./harness.ts";
import { qqtAtZero, zeroBalancedStructure } from "./structure.ts";
import { flowProperty } from "./flow.ts";
import { gdFirstOrder, matchesReference } from "./agreement.ts";

/** The f64 backend with `C = UᵀŨ − VᵀṼ` negated when `mutate` is set. */
function cSignBackend(mutate: boolean): Backend<F64Handle> {
  const transposedProducts = new WeakSet<F64Handle>();
  return {
    ...f64Backend,
    name: mutate ? "f64 (C sign flipped)" : "f64 (wrapped)",
    matmul(a, b, transA = false, transB = false) {
      const r = f64Backend.matmul(a, b, transA, transB);
      if (transA && !transB) transposedProducts.add(r);
      return r;
    },
    sub(a, b) {
      const isC = transposedProducts.has(a) && transposedProducts.has(b);
      return mutate && isC ? f64Backend.sub(b, a) : f64Backend.sub(a, b);
    },
  };
}

const KEY: AnyProperty[] = [
  qqtAtZero,
  matchesReference,
  flowProperty,
  gdFirstOrder,
  zeroBalancedStructure,
];

for (const spec of KEY) {
  Deno.test(`mutation "C sign flipped" is caught by: ${spec.name}`, () => {
    const control = checkProperty(spec, cSignBackend(false), { numRuns: 20, noReplay: true });
    assertOk(!control.failed, `the unmutated wrapper fails "${spec.name}"`);
    const d = checkProperty(spec, cSignBackend(true), {
      numRuns: 50,
      endOnFailure: true,
      noReplay: true,
    });
    assertOk(d.failed, `"${spec.name}" did not catch C → −C in ${d.numRuns} runs`);
    console.log(`caught after ${d.numRuns} run(s): ${String(d.errorInstance).split("\n")[0]}`);
  });
}
