/**
 * The bundled start of `deno task solve` (scripts/bundle.ts, scripts/launch.ts): the import scan
 * finds every local module, a bundle is current exactly until an input changes, a stale bundle
 * is rebuilt or, when it cannot be, the source runs; and the bundled command answers byte for
 * byte as the source command does, on every path it loads lazily (decimal, depth-L, simulate).
 */
import { join } from "node:path";
import {
  bundledOrSource,
  bundleFiles,
  bundleIsCurrent,
  localModules,
  writeBundle,
} from "../scripts/bundle.ts";
import { assertEquals, assertOk } from "./assert.ts";
import { runDeno } from "./cli_helpers.ts";

/** A small repository: scripts/cmd.ts reaches four modules by every import form. */
const TREE: Record<string, string> = {
  "deno.json": "{}",
  "scripts/cmd.ts": [
    'import {\n  a,\n} from "../src/a.ts";',
    'import type { T } from "../src/types.ts";',
    'export { c } from "../src/c.ts";',
    "export async function main(): Promise<number> {",
    '  const { d } = await import("../src/d.ts");',
    "  const t: T = a + d;",
    "  return t;",
    "}",
  ].join("\n"),
  "src/a.ts": "export const a = 1;",
  "src/types.ts": "export type T = number;",
  "src/c.ts": "export const c = 3;",
  "src/d.ts": 'import "./unused_side_effect.ts";\nexport const d = 40;',
  "src/unused_side_effect.ts": "globalThis.touched = true;",
  "src/not_imported.ts": "export const x = 0;",
};

/** The modules of TREE that scripts/cmd.ts reaches, sorted. */
const GRAPH = [
  "scripts/cmd.ts",
  "src/a.ts",
  "src/c.ts",
  "src/d.ts",
  "src/types.ts",
  "src/unused_side_effect.ts",
];

async function withTree(fn: (root: URL) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    for (const [path, text] of Object.entries(TREE)) {
      await Deno.mkdir(join(dir, path, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, path), text);
    }
    await fn(new URL(`file://${dir}/`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("localModules: static, multi-line, type-only, re-export and dynamic imports", async () => {
  await withTree((root) => {
    const found = localModules(new URL("scripts/cmd.ts", root))
      .map((u) => u.pathname.slice(root.pathname.length)).sort();
    assertEquals(found, GRAPH);
    return Promise.resolve();
  });
});

Deno.test("localModules of solve: the same local modules as deno info", async () => {
  const info = await runDeno(["info", "--json", "scripts/solve.ts"]);
  assertEquals(info.code, 0, info.stderr);
  const fromInfo = (JSON.parse(info.stdout).modules as { specifier: string }[])
    .map((m) => m.specifier).filter((s) => s.startsWith("file:")).sort();
  const scanned = localModules(new URL("../scripts/solve.ts", import.meta.url))
    .map((u) => u.href).sort();
  assertEquals(scanned, fromInfo);
});

Deno.test("bundle: current until an input changes; rebuilt, and the new code runs", async () => {
  await withTree(async (root) => {
    const entry = new URL("scripts/cmd.ts", root);
    const { bundle, manifest } = bundleFiles(entry, root);
    assertEquals(bundle.pathname, join(root.pathname, "build/cli/cmd.js"));
    assertOk(!bundleIsCurrent(entry, root), "no bundle yet");
    assertEquals((await bundledOrSource(entry, root)).href, bundle.href);
    assertOk(bundleIsCurrent(entry, root), "just built");
    const recorded = Object.keys(JSON.parse(await Deno.readTextFile(manifest)).inputs).sort();
    assertEquals(recorded, ["deno.json", ...GRAPH]);
    // A file outside the graph changes nothing; each input does (size, or mtime alone).
    await Deno.writeTextFile(new URL("src/not_imported.ts", root), "export const x = 1;");
    assertOk(bundleIsCurrent(entry, root), "an unrelated file");
    await Deno.writeTextFile(new URL("src/d.ts", root), "export const d = 400;");
    assertOk(!bundleIsCurrent(entry, root), "d.ts grew");
    await bundledOrSource(entry, root);
    assertOk((await Deno.readTextFile(bundle)).includes("400"), "rebuilt with the new d");
    const later = new Date(Date.now() + 5000);
    await Deno.utime(new URL("deno.json", root), later, later);
    assertOk(!bundleIsCurrent(entry, root), "deno.json touched (npm versions may differ)");
    await writeBundle(entry, root);
    await Deno.remove(bundle);
    assertOk(!bundleIsCurrent(entry, root), "the bundle itself removed");
    // Run it: the bundled main sees the edited module, and only temp-free files remain.
    await writeBundle(entry, root);
    const { main } = await import(bundle.href);
    assertEquals(await main(), 401);
    const left = [...Deno.readDirSync(new URL("build/cli/", root))].map((e) => e.name).sort();
    assertEquals(left, ["cmd.js", "cmd.json"]);
  });
});

Deno.test("bundle: a module that does not compile falls back to the source", async () => {
  await withTree(async (root) => {
    const entry = new URL("scripts/cmd.ts", root);
    await Deno.writeTextFile(new URL("src/a.ts", root), "export const a = ;");
    assertEquals((await bundledOrSource(entry, root)).href, entry.href);
    assertOk(!bundleIsCurrent(entry, root), "nothing recorded");
  });
});

Deno.test("launch: without --unstable-bundle a stale bundle is not used; the source runs", async () => {
  await withTree(async (root) => {
    const entry = new URL("scripts/cmd.ts", root);
    await writeBundle(entry, root);
    await Deno.writeTextFile(new URL("src/a.ts", root), "export const a = 2;");
    const probe = `import { bundledOrSource } from "${new URL(
      "../scripts/bundle.ts",
      import.meta.url,
    )}";\nconsole.log((await bundledOrSource(new URL("${entry}"), new URL("${root}"))).href);`;
    const r = await runDeno(["eval", "--no-config", probe]);
    assertEquals([r.code, r.stdout.trim()], [0, entry.href], r.stderr);
  });
});

Deno.test("deno task solve (bundled) answers as scripts/solve.ts does, byte for byte", async () => {
  // Each example loads a different part of the bundle: f64 exact, decimal (lazy import),
  // depth-L (lazy import), gradient descent.
  const examples = ["auto.json", "digits.json", "deep-aligned.json", "simulate.json"];
  for (const example of examples) {
    const config = `examples/${example}`;
    const [bundled, source] = await Promise.all([
      runDeno(["task", "-q", "solve", config]),
      runDeno(["run", "--allow-read", "--allow-env=INIT_CWD", "scripts/solve.ts", config]),
    ]);
    assertEquals([bundled.code, bundled.stderr], [0, ""], example);
    assertEquals([source.code, source.stderr], [0, ""], example);
    assertEquals(bundled.stdout, source.stdout, example);
  }
  assertOk(bundleIsCurrent(new URL("../scripts/solve.ts", import.meta.url)), "built by the task");
  const bad = await runDeno(["task", "-q", "solve", "examples/missing.json"]);
  assertEquals([bad.code, bad.stdout], [2, ""]);
  assertOk(bad.stderr.startsWith("solve: cannot read") && bad.stderr.split("\n").length === 2);
  const unknown = await runDeno(["run", "--allow-read", "scripts/launch.ts", "fig1"]);
  assertEquals(unknown.code, 2);
  assertOk(unknown.stderr.startsWith("launch: unknown command"), unknown.stderr);
});
