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
import { parseArgs } from "node:util";
import { DlnError, InputError } from "../src/errors.ts";
import { writeFileAtomic } from "../src/io/atomic.ts";
import { mergeSweep } from "../src/sweep/merge.ts";
import { parseShard } from "../src/sweep/points.ts";
import { runShard } from "../src/sweep/run.ts";
import { slurmScript } from "../src/sweep/slurm.ts";
import { parseSweepSpec, pointCount } from "../src/sweep/spec.ts";

const USAGE = `usage:
  deno task sweep SPEC.json [--out DIR] [--shard i/N] [--workers K] [--flush S] [--quiet]
      run the sweep (or shard i of N, 0-based) on this machine's worker pool; a rerun skips
      finished points. DIR defaults to out/sweep/<name>.
  deno task sweep SPEC.json --slurm [--out DIR] [--shards N] [--partition P] [--time T]
      [--cpus-per-task C]
      write DIR/sweep.sbatch, a Slurm job array (task k runs shard k of N), and say how to submit
  deno task sweep merge DIR
      check that every point is present and write DIR/results.csv and DIR/manifest.json
The spec is documented in README.md ("Sweeps and phase diagrams") and src/sweep/spec.ts.`;

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
export async function main(args: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        out: { type: "string" },
        shard: { type: "string" },
        workers: { type: "string" },
        flush: { type: "string" },
        quiet: { type: "boolean", default: false },
        slurm: { type: "boolean", default: false },
        shards: { type: "string" },
        partition: { type: "string" },
        time: { type: "string" },
        "cpus-per-task": { type: "string" },
        help: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals[0] === "merge") {
      if (positionals.length !== 2) throw new InputError("usage: deno task sweep merge DIR");
      const report = await mergeSweep(userPath(positionals[1]));
      console.error(
        `sweep merge: ${report.points} points from ${report.parts.length} part files → ` +
          `${report.results}${
            report.errors > 0 ? ` (${report.errors} points recorded an error)` : ""
          }`,
      );
      return 0;
    }
    if (positionals.length !== 1) {
      throw new InputError(`expected one spec file (or "merge DIR"); --help shows the usage`);
    }
    const specPath = userPath(positionals[0]);
    const text = await readSpec(specPath);
    const spec = parseSweepSpec(text);
    const out = userPath(values.out ?? join("out", "sweep", spec.name));
    if (values.slurm) {
      if (values.shard !== undefined) {
        throw new InputError("--slurm writes every shard: drop --shard");
      }
      const shards = positiveInt(values.shards, "--shards") ?? 4;
      const script = slurmScript({
        name: spec.name,
        spec: specPath,
        out,
        shards,
        project: resolve(new URL("..", import.meta.url).pathname),
        deno: Deno.env.get("DLN_DENO") ?? "npx -y deno@2.9.6",
        partition: values.partition,
        time: values.time,
        cpusPerTask: positiveInt(values["cpus-per-task"], "--cpus-per-task"),
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
      return 0;
    }
    const { shard, shards } = values.shard === undefined
      ? { shard: 0, shards: 1 }
      : parseShard(values.shard);
    const flush = values.flush === undefined ? undefined : Number(values.flush);
    if (flush !== undefined && !(flush >= 0)) throw new InputError(`--flush must be ≥ 0 seconds`);
    const report = await runShard(text, {
      dir: out,
      shard,
      shards,
      workers: positiveInt(values.workers, "--workers"),
      flushSeconds: flush,
      quiet: values.quiet,
    });
    if (!values.quiet) {
      console.error(
        `sweep ${spec.name} shard ${shard}/${shards}: ${report.computed} computed, ` +
          `${report.skipped} already done, ${report.errors} with errors, ` +
          `${report.seconds.toFixed(1)} s → ${report.partFile}` +
          (shards === 1 ? `\nmerge: deno task sweep merge ${out}` : ""),
      );
    }
    return 0;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const bad = e instanceof DlnError ||
      (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
    const message = (e as Error).message.replace(/\s*\n\s*/g, " ");
    console.error(`sweep: ${bad ? "" : "internal error: "}${message}`);
    return bad ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
