/**
 * `deno task sweep`: parameter sweeps as independent, resumable shards (DESIGN.md principle 9).
 *
 * ```
 * deno task sweep SPEC.json [--out DIR] [--shard i/N] [--workers K]   run (a shard) locally
 * deno task sweep SPEC.json --slurm [--shards N] [--partition P] [--time T] [--cpus-per-task C]
 * deno task sweep merge DIR                                          check and merge
 * ```
 *
 * Bad input (unreadable or invalid spec, bad flags, incomplete merge): exit status 2 and one
 * line on stderr.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { type CommandSpec, runCommand } from "../src/cli/command.ts";
import { InputError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/io/atomic.ts";
import { mergeSweep } from "../src/sweep/merge.ts";
import { parseShard } from "../src/sweep/points.ts";
import { runShard } from "../src/sweep/run.ts";
import { slurmScript } from "../src/sweep/slurm.ts";
import { parseSweepSpec, pointCount } from "../src/sweep/spec.ts";

const SWEEP_COMMAND: CommandSpec = {
  name: "sweep",
  usage: "deno task sweep SPEC.json [options] | deno task sweep merge DIR",
  summary:
    "Runs a parameter sweep (or shard i of N, 0-based) on this machine's worker pool; a rerun\n" +
    "skips finished points. With --slurm, writes DIR/sweep.sbatch, a Slurm job array whose task k\n" +
    "runs shard k of N, and says how to submit. `merge DIR` checks that every point is present and\n" +
    'writes DIR/results.csv and DIR/manifest.json. The spec is documented in README.md ("Sweeps\n' +
    'and phase diagrams") and src/sweep/spec.ts.',
  options: {
    out: { type: "string", value: "DIR", help: "output folder (default out/sweep/<name>)" },
    shard: { type: "string", value: "i/N", help: "run only shard i of N (0-based)" },
    workers: { type: "string", value: "K", help: "workers (default: the cores; 0: this thread)" },
    flush: { type: "string", value: "S", help: "seconds between part-file writes (default 10)" },
    quiet: { type: "boolean", help: "no progress on stderr" },
    slurm: { type: "boolean", help: "write DIR/sweep.sbatch instead of running" },
    shards: { type: "string", value: "N", help: "--slurm: array tasks (default 4)" },
    partition: { type: "string", value: "P", help: "--slurm: partition" },
    time: { type: "string", value: "T", help: "--slurm: time limit, e.g. 01:00:00" },
    "cpus-per-task": { type: "string", value: "C", help: "--slurm: CPUs (workers) per task" },
  },
  positionals: [1, 2],
};
/** The directory the user ran the command from (`deno task` runs in the project root). */
function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(Deno.env.get("INIT_CWD") ?? Deno.cwd(), p);
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    throw new InputError(`${flag} must be a whole number, got "${v}"`);
  }
  return n;
}

async function readSpec(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new InputError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Runs the command on `args`; returns the exit status. */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(SWEEP_COMMAND, args, async ({ values, positionals }) => {
    const str = (k: string) => values[k] as string | undefined;
    if (positionals[0] === "merge") {
      if (positionals.length !== 2) throw new InputError("usage: deno task sweep merge DIR");
      const report = await mergeSweep(userPath(positionals[1]));
      console.error(
        `sweep merge: ${report.points} points from ${report.parts.length} part files → ` +
          `${report.results}${
            report.errors > 0 ? ` (${report.errors} points recorded an error)` : ""
          }`,
      );
      return;
    }
    if (positionals.length !== 1) {
      throw new InputError(`expected one spec file (or "merge DIR"); --help shows the usage`);
    }
    const specPath = userPath(positionals[0]);
    const text = await readSpec(specPath);
    const spec = parseSweepSpec(text);
    const out = userPath(str("out") ?? join("out", "sweep", spec.name));
    if (values.slurm) {
      if (values.shard !== undefined) {
        throw new InputError("--slurm writes every shard: drop --shard");
      }
      const shards = positiveInt(str("shards"), "--shards") ?? 4;
      const script = slurmScript({
        name: spec.name,
        spec: specPath,
        out,
        shards,
        project: resolve(new URL("..", import.meta.url).pathname),
        deno: Deno.env.get("DLN_DENO") ?? "npx -y deno@2.9.6",
        partition: str("partition"),
        time: str("time"),
        cpusPerTask: positiveInt(str("cpus-per-task"), "--cpus-per-task"),
      });
      const path = join(out, "sweep.sbatch");
      await Deno.mkdir(join(out, "slurm"), { recursive: true });
      await writeFileAtomic(path, script);
      console.log(
        `wrote ${path} (${pointCount(spec)} points in ${shards} array tasks)\n` +
          `build once:  npx -y deno@2.9.6 task build\n` +
          `submit:      sbatch ${path}\n` +
          `then merge:  npx -y deno@2.9.6 task sweep merge ${out}`,
      );
      return;
    }
    const { shard, shards } = values.shard === undefined
      ? { shard: 0, shards: 1 }
      : parseShard(str("shard")!);
    const flush = values.flush === undefined ? undefined : Number(values.flush);
    if (flush !== undefined && !(flush >= 0)) throw new InputError(`--flush must be ≥ 0 seconds`);
    const quiet = values.quiet === true;
    const report = await runShard(text, {
      dir: out,
      shard,
      shards,
      workers: positiveInt(str("workers"), "--workers"),
      flushSeconds: flush,
      quiet,
    });
    if (!quiet) {
      console.error(
        `sweep ${spec.name} shard ${shard}/${shards}: ${report.computed} computed, ` +
          `${report.skipped} already done, ${report.errors} with errors, ` +
          `${report.seconds.toFixed(1)} s → ${report.partFile}` +
          (shards === 1 ? `\nmerge: deno task sweep merge ${out}` : ""),
      );
    }
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
