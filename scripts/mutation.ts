/**
 * The mechanics of the mutation check, kept apart from the command (scripts/mutate.ts) so the
 * default test suite can check the mutant list without running it: validation of the list
 * against the sources, applying one mutant to a text, scratch copies of the repository, and
 * the name of the first failing test in Deno's output.
 *
 * @module
 */
import { join } from "node:path";
import type { Mutant } from "./mutants.ts";

/** Top-level entries never copied into a scratch repository. */
const SKIPPED = new Set([".git", "out", "node_modules"]);

/** Occurrences of `snippet` in `text`. */
function occurrences(text: string, snippet: string): number {
  if (snippet.length === 0) return 0;
  let n = 0;
  for (let at = text.indexOf(snippet); at >= 0; at = text.indexOf(snippet, at + 1)) n++;
  return n;
}

/**
 * Problems of a mutant list against the repository at `root`, one sentence each (empty when
 * the list is usable): ids unique; file present; `original` one line, found exactly once;
 * `replacement` one line and different; every listed test file present.
 */
export function validateMutants(root: string, mutants: readonly Mutant[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const m of mutants) {
    const at = `mutant "${m.id}" (${m.file})`;
    if (seen.has(m.id)) problems.push(`${at}: id repeats`);
    seen.add(m.id);
    if (/[\r\n]/.test(m.original) || /[\r\n]/.test(m.replacement)) {
      problems.push(`${at}: original and replacement must be one line each`);
    }
    if (m.original === m.replacement) problems.push(`${at}: replacement equals the original`);
    if (m.tests.length === 0) problems.push(`${at}: no test files listed`);
    for (const t of m.tests) {
      if (!isFile(join(root, t))) problems.push(`${at}: test file ${t} not found`);
    }
    let text: string;
    try {
      text = Deno.readTextFileSync(join(root, m.file));
    } catch {
      problems.push(`${at}: file not found`);
      continue;
    }
    const n = occurrences(text, m.original);
    if (n !== 1) {
      problems.push(
        `${at}: original snippet found ${n} times (expected once): ${JSON.stringify(m.original)}`,
      );
    }
  }
  return problems;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * `text` with the mutant applied.
 * @throws {Error} unless the original snippet occurs exactly once
 */
export function applyMutant(text: string, m: Mutant): string {
  const n = occurrences(text, m.original);
  if (n !== 1) throw new Error(`mutant "${m.id}": snippet found ${n} times in ${m.file}`);
  return text.replace(m.original, () => m.replacement);
}

/** Whether a mutant changes the WebAssembly core (and needs a rebuild). */
export function isAsmMutant(m: Mutant): boolean {
  return m.file.startsWith("asm/");
}

/**
 * Copies the repository at `root` into `dest` (created), without `.git`, `out` and
 * `node_modules`; `build/dln.wasm` is copied, so tests run without a rebuild.
 */
export async function copyRepository(root: string, dest: string): Promise<void> {
  await Deno.mkdir(dest, { recursive: true });
  const walk = async (from: string, to: string, top: boolean) => {
    for await (const e of Deno.readDir(from)) {
      if (top && SKIPPED.has(e.name)) continue;
      const src = join(from, e.name), dst = join(to, e.name);
      if (e.isDirectory) {
        await Deno.mkdir(dst, { recursive: true });
        await walk(src, dst, false);
      } else if (e.isFile) {
        await Deno.copyFile(src, dst);
      }
    }
  };
  await walk(root, dest, true);
}

/**
 * The first failing test named in Deno's test output (run with `NO_COLOR`; `name =>
 * ./file:line:col` in its failures list), or the first line of the error when no test is named (e.g. a module that
 * does not load).
 */
export function firstFailure(output: string): string {
  const named = output.match(/^(.+?) => (\.?\/?test\/[^\s]+:\d+:\d+)\s*$/m);
  if (named) return `${named[1].trim()} (${named[2].replace(/^\.\//, "")})`;
  const error = output.match(/^error: (.+)$/m);
  return error ? error[1].trim() : "failed (no test named in the output)";
}
