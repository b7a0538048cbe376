/**
 * `deno task site [--out DIR]`: builds the browser explorer as a static site (default `site/`):
 * `index.html`, `style.css`, `app.js` and `worker.js` (the page and its Web Worker, each one
 * script bundled from `src/explorer/page/` and the rest of `src/` by `deno bundle --platform browser`), and
 * `build/dln.wasm`. Host the folder on any static server (it must send `.wasm` as
 * `application/wasm`) or run `deno task explore`. The folder is replaced atomically: the new site
 * is built beside it and renamed into place.
 *
 * @module
 */
import { basename } from "node:path";
import { InputError } from "../src/errors.ts";
import { type CommandSpec, runCommand } from "../src/cli/command.ts";

const root = new URL("../", import.meta.url);
const STATIC = ["src/explorer/page/index.html", "src/explorer/page/style.css"];
const ENTRIES = {
  "app.js": "src/explorer/page/main.ts",
  "worker.js": "src/explorer/page/worker.ts",
};

/** Sizes in bytes of the files of a built site. */
export type SiteFiles = Record<string, number>;

async function bundle(entry: string, out: string): Promise<void> {
  // The running Deno, not a `deno` looked up on PATH (absent when Deno is not installed there).
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    // --keep-names: error messages on the page name the library's error classes
    // (AssumptionError, …), which minification would rename.
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "browser",
      "--minify",
      "--keep-names",
      "-o",
      out,
      entry,
    ],
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`deno bundle ${entry} failed: ${new TextDecoder().decode(stderr).trim()}`);
  }
}

/**
 * Builds the site into `outDir` (a path relative to the repository root, or absolute) and
 * returns its files' sizes.
 * @throws {InputError} when `build/dln.wasm` is missing (run `deno task build`)
 */
export async function buildSite(outDir = "site"): Promise<SiteFiles> {
  const out = new URL(outDir.replace(/\/?$/, "/"), root);
  const wasm = new URL("build/dln.wasm", root);
  try {
    Deno.statSync(wasm);
  } catch {
    throw new InputError("build/dln.wasm is missing; run `deno task build` first");
  }
  const tmp = new URL(`${out.pathname.replace(/\/$/, "")}.${Deno.pid}.tmp/`, "file:///");
  await Deno.mkdir(tmp, { recursive: true });
  try {
    for (const [name, entry] of Object.entries(ENTRIES)) {
      await bundle(entry, new URL(name, tmp).pathname);
    }
    for (const f of STATIC) await Deno.copyFile(new URL(f, root), new URL(basename(f), tmp));
    await Deno.copyFile(wasm, new URL("dln.wasm", tmp));
    const files: SiteFiles = {};
    for (const e of Deno.readDirSync(tmp)) files[e.name] = Deno.statSync(new URL(e.name, tmp)).size;
    const old = new URL(`${out.pathname.replace(/\/$/, "")}.${Deno.pid}.old`, "file:///");
    let hadOld = true;
    try {
      await Deno.rename(out, old);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      hadOld = false;
    }
    await Deno.rename(tmp, out);
    if (hadOld) await Deno.remove(old, { recursive: true });
    return files;
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    throw e;
  }
}

function newestIn(dir: URL): number {
  let newest = 0;
  for (const e of Deno.readDirSync(dir)) {
    const u = new URL(e.isDirectory ? `${e.name}/` : e.name, dir);
    newest = Math.max(newest, e.isDirectory ? newestIn(u) : Deno.statSync(u).mtime!.getTime());
  }
  return newest;
}

/** Whether `outDir` holds a site built after every source it is made from was last changed. */
export function siteIsFresh(outDir = "site"): boolean {
  const out = new URL(outDir.replace(/\/?$/, "/"), root);
  let built: number;
  try {
    built = Math.min(
      ...["index.html", "style.css", "app.js", "worker.js", "dln.wasm"].map((f) =>
        Deno.statSync(new URL(f, out)).mtime!.getTime()
      ),
    );
  } catch {
    return false;
  }
  const sources = Math.max(
    newestIn(new URL("src/explorer/page/", root)),
    newestIn(new URL("src/", root)),
    Deno.statSync(new URL("build/dln.wasm", root)).mtime!.getTime(),
  );
  return built > sources;
}

/** The command's options and `--help` text. */
const SPEC: CommandSpec = {
  name: "site",
  usage: "deno task site [--out DIR]",
  summary: "Builds the browser explorer as a static site: index.html, style.css, app.js and\n" +
    "worker.js (bundled by deno bundle --platform browser) and dln.wasm.",
  options: { out: { type: "string", value: "DIR", help: "output folder (default site)" } },
};

/** Runs the command; returns the exit status. */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(SPEC, args, async ({ values }, io) => {
    const out = (values.out as string | undefined) ?? "site";
    const started = performance.now();
    const files = await buildSite(out);
    const list = Object.entries(files).map(([f, n]) => `${f} ${(n / 1024).toFixed(1)} KiB`);
    io.stderr(
      `site: built ${out}/ in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
        `(${list.join(", ")})`,
    );
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
