/**
 * The library used as a user would from their own folder outside this repository: a script
 * that imports `src/mod.ts` by path runs with `deno run --allow-read`, no `--config` and no
 * import map (the library pins its npm dependencies in `src/npm/`), and those pins agree
 * with `deno.json`'s.
 */
import { join } from "node:path";
import { assertEquals, assertOk } from "./assert.ts";

const ROOT = new URL("..", import.meta.url);

Deno.test("src/mod.ts works from a script outside the repository, without --config", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dln_user_" });
  try {
    const mod = new URL("src/mod.ts", ROOT).href;
    await Deno.writeTextFile(
      join(dir, "use.ts"),
      `import { decimalBackend, f64Backend, Random, randomTask, solveExact, zeroBalancedInit }
  from ${JSON.stringify(mod)};
const rng = new Random(7);
const task = randomTask(rng, { ni: 3, no: 2, singularValues: [2, 1] });
const init = zeroBalancedInit(rng, { ni: 3, nh: 3, no: 2, scale: 0.01, task });
const a = solveExact(f64Backend, task, init, [0, 1]);
const b = solveExact(decimalBackend(30), task, init, [0, 1]);
console.log(JSON.stringify({ method: a.method, gap: Math.abs(a.loss[1] - b.loss[1]) }));
`,
    );
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "use.ts"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const dec = new TextDecoder();
    assertEquals(r.code, 0, dec.decode(r.stderr));
    const out = JSON.parse(dec.decode(r.stdout));
    assertEquals(out.method, "stable");
    // The same formula in f64 and in 30-digit decimal: equal to f64 rounding (loss ~ 1).
    assertOk(out.gap < 1e-12, `f64 vs decimal loss gap ${out.gap}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("src/npm/ pins the same npm versions as deno.json", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  let deps = "";
  for await (const e of Deno.readDir(new URL("src/npm/", ROOT))) {
    deps += await Deno.readTextFile(new URL(`src/npm/${e.name}`, ROOT));
  }
  const pins = [...deps.matchAll(/"npm:(@?[^@"]+)@([^/"]+)/g)];
  assertOk(pins.length >= 2, "src/npm/ pins packages");
  for (const [, name, version] of pins) {
    assertEquals(config.imports[name], `npm:${name}@${version}`, `deno.json's ${name}`);
  }
});
