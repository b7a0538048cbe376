/**
 * pure-rand's generator and uniform distribution, pinned with full `npm:` specifiers (see
 * `src/npm/decimal.ts` for why).
 *
 * @module
 */
export { xoroshiro128plus } from "npm:pure-rand@8.4.2/generator/xoroshiro128plus";
export { uniformFloat64 } from "npm:pure-rand@8.4.2/distribution/uniformFloat64";
export type { RandomGenerator } from "npm:pure-rand@8.4.2/types/RandomGenerator";
