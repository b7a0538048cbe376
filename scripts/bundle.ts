/**
 * Single-file bundles of command scripts, rebuilt when a source changes.
 *
 * Loading a command from its sources costs Deno a module graph of about 75 TypeScript files and
 * the npm resolver (about 20 ms of a 40 ms `solve`); one bundled JavaScript file with no npm
 * specifiers loads in about 5 ms. A bundle `build/cli/NAME.js` sits beside a manifest
 * `build/cli/NAME.json` recording the Deno version and, for every input (each local module the
 * entry reaches through relative imports, plus `deno.json` and `deno.lock`, which pin the npm
 * packages), its modification time and size. The bundle is current when every input still
 * matches: about 80 `stat` calls, 1–2 ms.
 *
 * Bundles live two folders below the repository root, as `src/wasm/core.ts` does, so the
 * bundled core finds `build/dln.wasm` through the same relative URL.
 *
 * @module
 */

/** The repository root. */
const ROOT = new URL("../", import.meta.url);

/** Files outside the module graph that change what a bundle contains (npm versions). */
const CONFIG_INPUTS = ["deno.json", "deno.lock"];

/** What a manifest records: `[mtime in ms, size in bytes]` per input, relative to the root. */
interface BundleManifest {
  deno: string;
  inputs: Record<string, [number, number]>;
}

/** Where the bundle of `entry` (a script's file URL) and its manifest are written. */
export function bundleFiles(entry: URL, root: URL = ROOT): { bundle: URL; manifest: URL } {
  const name = entry.pathname.replace(/^.*\//, "").replace(/\.ts$/, "");
  return {
    bundle: new URL(`build/cli/${name}.js`, root),
    manifest: new URL(`build/cli/${name}.json`, root),
  };
}

/** Relative specifiers in a module's text: static and dynamic imports and re-exports. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/**
 * The local modules `entry` reaches through relative imports (itself included), found by
 * scanning each module's text. A specifier inside a comment counts too, which can only add an
 * input: a superset of the bundled modules, never a subset.
 */
export function localModules(entry: URL): URL[] {
  const seen = new Map<string, URL>([[entry.href, entry]]);
  const queue = [entry];
  for (let url = queue.pop(); url !== undefined; url = queue.pop()) {
    let text: string;
    try {
      text = Deno.readTextFileSync(url);
    } catch {
      continue; // a specifier in a comment that names no file
    }
    for (const [, specifier] of text.matchAll(IMPORT)) {
      const next = new URL(specifier, url);
      if (!seen.has(next.href)) {
        seen.set(next.href, next);
        queue.push(next);
      }
    }
  }
  return [...seen.values()];
}

function stamp(url: URL): [number, number] | undefined {
  try {
    const info = Deno.statSync(url);
    return [info.mtime?.getTime() ?? 0, info.size];
  } catch {
    return undefined;
  }
}

/** Whether the bundle of `entry` exists and every input recorded in its manifest is unchanged. */
export function bundleIsCurrent(entry: URL, root: URL = ROOT): boolean {
  const { bundle, manifest } = bundleFiles(entry, root);
  let recorded: BundleManifest;
  try {
    recorded = JSON.parse(Deno.readTextFileSync(manifest));
  } catch {
    return false;
  }
  if (recorded.deno !== Deno.version.deno || stamp(bundle) === undefined) return false;
  for (const [path, [mtime, size]] of Object.entries(recorded.inputs)) {
    const now = stamp(new URL(path, root));
    if (now === undefined || now[0] !== mtime || now[1] !== size) return false;
  }
  return true;
}

/** Writes `bytes` to `url` through a temporary file and a rename (no reader sees half of it). */
function writeAtomic(url: URL, bytes: Uint8Array): void {
  const tmp = new URL(`${url.href}.${Deno.pid}.tmp`);
  try {
    Deno.writeFileSync(tmp, bytes);
    Deno.renameSync(tmp, url);
  } catch (e) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // never created
    }
    throw e;
  }
}

/**
 * Bundles `entry` (with `Deno.bundle`, which needs `--unstable-bundle`) and writes the bundle,
 * then its manifest. The inputs are stamped before bundling, so an edit made meanwhile makes
 * the next check rebuild.
 * @throws {Error} with the bundler's first message when bundling fails
 */
export async function writeBundle(entry: URL, root: URL = ROOT): Promise<void> {
  const inputs: BundleManifest["inputs"] = {};
  const rootPath = root.pathname;
  for (const url of [...localModules(entry), ...CONFIG_INPUTS.map((p) => new URL(p, root))]) {
    const s = stamp(url);
    if (s !== undefined && url.pathname.startsWith(rootPath)) {
      inputs[url.pathname.slice(rootPath.length)] = s;
    }
  }
  const result = await Deno.bundle({
    entrypoints: [entry.pathname],
    platform: "deno",
    format: "esm",
    write: false,
  });
  const code = result.outputFiles?.[0]?.contents;
  if (!result.success || code === undefined) {
    throw new Error(`bundling ${entry.pathname}: ${result.errors[0]?.text ?? "no output"}`);
  }
  const { bundle, manifest } = bundleFiles(entry, root);
  Deno.mkdirSync(new URL(".", bundle), { recursive: true });
  writeAtomic(bundle, code);
  const text = JSON.stringify({ deno: Deno.version.deno, inputs } satisfies BundleManifest);
  writeAtomic(manifest, new TextEncoder().encode(text));
}

/**
 * The URL to import `entry` from: its bundle, rebuilt first when an input changed, or `entry`
 * itself when the bundle is out of date and cannot be rebuilt (no `Deno.bundle` without
 * `--unstable-bundle`, a read-only `build/`, a module that does not compile: importing the
 * source then reports the problem as Deno would).
 */
export async function bundledOrSource(entry: URL, root: URL = ROOT): Promise<URL> {
  if (bundleIsCurrent(entry, root)) return bundleFiles(entry, root).bundle;
  if (typeof Deno.bundle !== "function") return entry;
  try {
    await writeBundle(entry, root);
    return bundleFiles(entry, root).bundle;
  } catch {
    return entry;
  }
}
