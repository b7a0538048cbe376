/**
 * Start-up cost of the command line: `deno task -q solve examples/auto.json` (build check in the
 * same process, config read, solve, JSON out) side by side with `deno run` of an empty script
 * (Deno's own start-up), alternating the commands and keeping each one's best of several runs.
 * Goal: solve within 3× the empty script. Also `deno task -q build` (a current build: a few
 * `stat` calls; the compiler is imported only for a rebuild).
 *
 * @module
 */
import { type BenchSection, printTable } from "./harness.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const ROUNDS = 15;

/** The commands timed, each a `deno` argument list run from the repository root. */
const COMMANDS: readonly [string, string[]][] = [
  ["deno run (empty script)", ["run", "data:application/javascript,"]],
  ["deno task -q build (current)", ["task", "-q", "build"]],
  ["deno task -q solve examples/auto.json", ["task", "-q", "solve", "examples/auto.json"]],
];

async function wallMs(args: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!r.success) throw new Error(`deno ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  return ms;
}

/** Start-up: the solve command against an empty `deno run`. */
export const startupSection: BenchSection = {
  name: "startup",
  description: "deno task -q solve examples/auto.json vs deno run of an empty script",
  async run() {
    const best = COMMANDS.map(() => Infinity);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, [, args]] of COMMANDS.entries()) {
        best[k] = Math.min(best[k], await wallMs(args));
      }
    }
    printTable(
      `Start-up (best of ${ROUNDS} alternating runs; ratio to the empty script, goal ≤ 3× for solve)`,
      ["command", "ms", "ratio"],
      COMMANDS.map(([name], k) => [name, best[k].toFixed(1), `${(best[k] / best[0]).toFixed(2)}×`]),
    );
  },
};
