/**
 * decimal.js, pinned with a full `npm:` specifier so that `src/mod.ts` can be imported from a
 * script outside this repository with no import map (a bare `"decimal.js"` resolves only
 * through this repository's `deno.json`, which pins the same version for the scripts, tests
 * and benches; test/library_outside_test.ts checks that they agree). One module per package,
 * so that a command loads only the packages it uses.
 *
 * @module
 */
export { Decimal } from "npm:decimal.js@10.6.0";
