/**
 * Compiles the AssemblyScript core in `asm/` to `build/dln.wasm`.
 *
 * Run through `deno task build`; every task that loads the WASM module depends on it, except
 * `solve`, whose launcher (scripts/launch.ts) calls {@link ensureBuilt} in its own process (one
 * Deno start-up fewer). The
 * build is skipped when `build/dln.wasm` is newer than every file in `asm/`, and the compiler
 * (about 0.4 s to load) is imported only when a rebuild is needed: a current build costs a few
 * `stat` calls and prints nothing.
 *
 * @module
 */

const root = new URL("../", import.meta.url);
const asmDir = new URL("asm/", root);
const out = new URL("build/dln.wasm", root);

function newestSource(): number {
  let newest = 0;
  for (const entry of Deno.readDirSync(asmDir)) {
    if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
    newest = Math.max(newest, Deno.statSync(new URL(entry.name, asmDir)).mtime?.getTime() ?? 0);
  }
  return newest;
}

function builtAt(): number {
  try {
    return Deno.statSync(out).mtime?.getTime() ?? 0;
  } catch {
    return 0;
  }
}

/** Compiles `asm/` to `build/dln.wasm` (atomically); throws with the compiler's output. */
async function compile(): Promise<void> {
  Deno.mkdirSync(new URL("build/", root), { recursive: true });
  // A unique temporary name: concurrent builds never see each other's half-written output.
  const tmp = new URL(`build/dln.${Deno.pid}.tmp.wasm`, root);
  // A specifier in a variable: Deno does not resolve it while loading this module (a literal
  // dynamic import is resolved up front, fetching the compiler's npm metadata and printing
  // "Download …assemblyscript" on every run with a fresh cache, even when nothing is built).
  const compiler = "assemblyscript/asc";
  const { default: asc } = await import(compiler);
  const { error, stderr } = await asc.main([
    new URL("asm/index.ts", root).pathname,
    "--outFile",
    tmp.pathname,
    "-O3",
    "--enable",
    "simd",
    // Relaxed SIMD: f64x2.relaxed_madd (fused multiply-add where the CPU has FMA) in gemm and
    // the level-1 kernels (V8/Deno support it). gemm at n = 128: 12.8 → 15.3 GFLOP/s (A/B run).
    "--enable",
    "relaxed-simd",
    "--runtime",
    "stub",
    "--noAssert",
    "--initialMemory",
    "32",
  ]);
  if (error) {
    try {
      Deno.removeSync(tmp);
    } catch {
      // The compiler failed before writing it.
    }
    throw new Error(`asc: ${error.message}\n${stderr.toString()}`);
  }
  Deno.renameSync(tmp, out);
}

/**
 * Rebuilds `build/dln.wasm` if a file in `asm/` is newer; returns whether it compiled.
 * Needs read access to `asm/` and `build/`, write access to `build/`, and env access to `CI`
 * (read by the compiler) when it compiles.
 */
export async function ensureBuilt(): Promise<boolean> {
  if (builtAt() > newestSource()) return false;
  await compile();
  return true;
}

if (import.meta.main) {
  try {
    if (await ensureBuilt()) console.error(`built ${out.pathname}`);
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
