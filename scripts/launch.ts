/**
 * `deno run --unstable-bundle … scripts/launch.ts NAME ARGS…`: runs the command `scripts/NAME.ts`
 * (its exported `main(args)`) from its single-file bundle (scripts/bundle.ts), after the build
 * check of the WASM core, and exits with its status. This is how `deno task solve` starts in
 * about 2× an empty `deno run` instead of 3× (`deno task bench startup`).
 *
 * Only this module and the two it imports load before the bundle: keep them small.
 *
 * @module
 */
import { ensureBuilt } from "./build.ts";
import { bundledOrSource } from "./bundle.ts";

/** The commands that start through a bundle. */
const LAUNCHED = new Set(["solve"]);

const [name, ...args] = Deno.args;
if (!LAUNCHED.has(name)) {
  console.error(`launch: unknown command ${JSON.stringify(name)}; one of ${[...LAUNCHED]}`);
  Deno.exit(2);
}
// Compiling the core needs env access to CI (read by the compiler); without it, as in a bare
// `deno run`, the existing build is used.
if (Deno.permissions.querySync({ name: "env", variable: "CI" }).state === "granted") {
  try {
    await ensureBuilt();
  } catch (e) {
    console.error(`${name}: building the WASM core failed: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
const module: { main(args: string[]): Promise<number> } = await import(
  (await bundledOrSource(new URL(`./${name}.ts`, import.meta.url))).href
);
Deno.exit(await module.main(args));
