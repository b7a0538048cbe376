/**
 * The regression file: counterexamples met so far (counterexamples.json), each replayed against
 * its property on every run of the suite, whatever the budget. An entry is
 * `{ "property": <name>, "value": <spec as printed by the failure report>, "note": <why> }`;
 * a failing property's report prints the entry to add.
 *
 * @module
 */
import type { AnyProperty } from "./harness.ts";
import { structureProperties } from "./structure.ts";
import { convergenceProperties } from "./convergence.ts";
import { flowProperties } from "./flow.ts";
import { agreementProperties } from "./agreement.ts";
import { applicationProperties } from "./applications.ts";
import { lambdaProperties } from "./lambda.ts";
import { depthProperties } from "./depth.ts";
import { independentProperties } from "./independent.ts";

/** Every property of the suite, in file order. */
export const ALL_PROPERTIES: AnyProperty[] = [
  ...structureProperties,
  ...convergenceProperties,
  ...flowProperties,
  ...agreementProperties,
  ...applicationProperties,
  ...lambdaProperties,
  ...depthProperties,
  ...independentProperties,
];

/** One kept counterexample. */
export interface Counterexample {
  property: string;
  value: unknown;
  note: string;
}

/** The kept counterexamples, each with its property (throws on an unknown property name). */
export function loadCounterexamples(): { entry: Counterexample; spec: AnyProperty }[] {
  const url = new URL("./counterexamples.json", import.meta.url);
  const entries = JSON.parse(Deno.readTextFileSync(url)) as Counterexample[];
  return entries.map((entry) => {
    const spec = ALL_PROPERTIES.find((p) => p.name === entry.property);
    if (spec === undefined) {
      throw new Error(`counterexamples.json: no property named "${entry.property}"`);
    }
    return { entry, spec };
  });
}
