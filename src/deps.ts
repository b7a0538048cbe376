/**
 * The library's npm dependencies, pinned here with full `npm:` specifiers so that `src/mod.ts`
 * can be imported from a script outside this repository with no import map (`deno run
 * --allow-read my_script.ts`): bare specifiers such as `"decimal.js"` resolve only through this
 * repository's `deno.json`. The same versions are pinned in `deno.json` for the scripts, tests
 * and benches (test/deps_test.ts checks that they agree). The figure code (`src/plot/`) keeps
 * the import map: it runs through the repository's tasks.
 *
 * @module
 */
export { Decimal } from "npm:decimal.js@10.6.0";
export { xoroshiro128plus } from "npm:pure-rand@8.4.2/generator/xoroshiro128plus";
export { uniformFloat64 } from "npm:pure-rand@8.4.2/distribution/uniformFloat64";
export type { RandomGenerator } from "npm:pure-rand@8.4.2/types/RandomGenerator";
