/**
 * Helpers shared by the command-line tests: `deno` run as a subprocess from the repository root,
 * `solve` run in-process with its streams captured, and the list of files left in a folder.
 */
import { join } from "node:path";
import { main } from "../scripts/solve.ts";

/** What a command run produced. */
export interface CommandResult {
  /** Exit status. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr (lines joined with newlines). */
  stderr: string;
}

const ROOT = new URL("..", import.meta.url).pathname;

/**
 * Runs this Deno (`Deno.execPath()`, not a `deno` on PATH) with `args`, from the repository root
 * unless `cwd` is given, and returns its exit status and decoded output.
 */
export async function runDeno(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: options.cwd ?? ROOT,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}

/** Runs `solve` in this process through its `main()`, capturing stdout and stderr. */
export async function solveInProcess(args: string[]): Promise<CommandResult> {
  let stdout = "", stderr = "";
  const code = await main(args, {
    stdout: (t) => {
      stdout += t;
      return Promise.resolve();
    },
    stderr: (l) => {
      stderr += l + "\n";
    },
  });
  return { code, stdout, stderr };
}

/** Every file and folder below `dir`, as sorted relative paths (`a`, `a/b`). */
export async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    out.push(e.name);
    if (e.isDirectory) {
      for (const n of await tree(join(dir, e.name))) out.push(`${e.name}/${n}`);
    }
  }
  return out.sort();
}
