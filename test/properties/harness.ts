/**
 * How the property-based suite runs a property: budgets, seeds, replay and failure reports.
 *
 * A property is a {@link PropertySpec}: a name, an arbitrary of JSON-able specs, a `check`
 * that throws on a violated invariant, and its budgets. `check` receives the arithmetic the
 * exact solutions are evaluated in (`Backend`), so the same property runs against the library
 * (`f64Backend`) and against a deliberately broken backend (mutation_test.ts).
 *
 * Replay: every run starts from `seed` (test/budget.ts; `DLN_SEED` overrides it). On failure
 * the message names the property, the seed, fast-check's path and the shrunk counterexample,
 * and the command that replays exactly that case:
 *
 *   DLN_SEED=<seed> DLN_REPLAY_PATH=<path> deno test --allow-read --allow-write --allow-env \
 *     --allow-run=python3,deno test/properties/properties_test.ts --filter "<name>"
 *
 * (with `DLN_REPLAY_PATH`, fast-check jumps to the failing case and its shrink path directly).
 *
 * @module
 */
import fc from "fast-check";
import type { Backend } from "../../src/linalg/backend.ts";
import { numRuns, seed } from "../budget.ts";

/** Any backend (the f64 backend or a wrapper of it). */
// deno-lint-ignore no-explicit-any
export type AnyBackend = Backend<any>;

/** One property of the suite. */
export interface PropertySpec<T> {
  /** Unique name (Deno test name, regression-file key, `--filter` target). */
  name: string;
  /** Generator of specs. */
  arb: fc.Arbitrary<T>;
  /** Throws (an assertion error) when the invariant fails for `value`. */
  check: (value: T, be: AnyBackend) => void;
  /** Runs at the default budget and under `DLN_DEEP=1`. */
  runs: [number, number];
}

/** A property of any spec type (lists of properties). */
// deno-lint-ignore no-explicit-any
export type AnyProperty = PropertySpec<any>;

/** Declares a property (keeps `T` inferred from the arbitrary). */
export function property<T>(spec: PropertySpec<T>): PropertySpec<T> {
  return spec;
}

/** fast-check's path to replay, from `DLN_REPLAY_PATH`. */
export const replayPath: string | undefined = Deno.env.get("DLN_REPLAY_PATH") || undefined;

/** Options of {@link runProperty}. */
export interface RunOptions {
  /** Override the budget. */
  numRuns?: number;
  /** Stop at the first failure without shrinking (mutation tests). */
  endOnFailure?: boolean;
  /** Ignore `DLN_REPLAY_PATH` (runs that are not the one being replayed). */
  noReplay?: boolean;
}

/**
 * Runs `spec` against `be` and returns fast-check's details (never throws for a failed
 * property; see {@link assertProperty}).
 */
export function checkProperty<T>(
  spec: PropertySpec<T>,
  be: AnyBackend,
  options: RunOptions = {},
): fc.RunDetails<[T]> {
  const path = options.noReplay ? undefined : replayPath;
  return fc.check(fc.property(spec.arb, (v) => spec.check(v, be)), {
    numRuns: options.numRuns ?? numRuns(spec.runs[0], spec.runs[1]),
    seed,
    ...(path === undefined ? {} : { path }),
    endOnFailure: options.endOnFailure ?? false,
  });
}

/** A failure report with the command that replays it. */
export function failureReport<T>(spec: PropertySpec<T>, d: fc.RunDetails<[T]>): string {
  const cx = d.counterexample === null ? "(none)" : JSON.stringify(d.counterexample[0]);
  const replay = `DLN_SEED=${d.seed} DLN_REPLAY_PATH=${d.counterexamplePath} ` +
    `deno test --allow-read --allow-write --allow-env --allow-run=python3,deno ` +
    `test/properties/properties_test.ts --filter "${spec.name}"`;
  return [
    `property "${spec.name}" failed after ${d.numRuns} run(s), shrunk ${d.numShrinks} time(s)`,
    `counterexample: ${cx}`,
    `replay: ${replay}`,
    `keep it: add {"property": "${spec.name}", "value": ${cx}} to ` +
    `test/properties/counterexamples.json`,
    fc.defaultReportMessage(d) ?? "",
  ].join("\n");
}

/** Runs `spec` against `be` and throws a replayable report when it fails. */
export function assertProperty<T>(spec: PropertySpec<T>, be: AnyBackend): fc.RunDetails<[T]> {
  const d = checkProperty(spec, be);
  if (d.failed) throw new Error(failureReport(spec, d));
  return d;
}
