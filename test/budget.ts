/**
 * Budgets of the property-based tests. The default run is part of `deno task test` and fits
 * CI's time; `DLN_DEEP=1` (or `deno task test:deep`) multiplies the number of cases for an
 * overnight check. Every property uses a fixed seed unless `DLN_SEED` is set, so a failure
 * replays with the seed and path fast-check prints.
 *
 * @module
 */

/** True when the deep budget was asked for (`DLN_DEEP=1`). */
export const deep: boolean = Deno.env.get("DLN_DEEP") === "1";

/** The seed every property starts from: `DLN_SEED` when set, else a fixed default. */
export const seed: number = Number(Deno.env.get("DLN_SEED") ?? 20221128);

/**
 * Number of fast-check runs: `defaultRuns` normally, `deepRuns` under `DLN_DEEP=1`.
 *
 * @example
 * ```ts
 * fc.assert(prop, { numRuns: numRuns(30, 1000), seed });
 * ```
 */
export function numRuns(defaultRuns: number, deepRuns: number = defaultRuns * 30): number {
  return deep ? deepRuns : defaultRuns;
}
