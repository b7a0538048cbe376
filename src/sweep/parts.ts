/**
 * The files of a sweep's output folder:
 *
 * ```
 * DIR/spec.json                 the spec (every run and the merge read it; a run refuses a
 *                               folder that holds another spec)
 * DIR/parts/shard-K-of-N.csv    rows of the points shard K of N has finished (rewritten
 *                               atomically as work completes: a killed run loses only the
 *                               points since the last write)
 * DIR/parts/shard-K-of-N.json   per-run timings of that shard
 * DIR/results.csv, manifest.json  written by the merge
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { writeFileAtomic } from "../io/atomic.ts";
import { parseCsv } from "../io/csv.ts";
import { parseSweepSpec, type SweepSpec } from "./spec.ts";

/** The spec file of an output folder. */
export const SPEC_FILE = "spec.json";
/** The part files' folder. */
export const PARTS_DIR = "parts";

/** The part file (CSV) and timing file (JSON) of shard `shard` of `shards`. */
export function partFiles(
  dir: string,
  shard: number,
  shards: number,
): { csv: string; json: string } {
  const base = join(dir, PARTS_DIR, `shard-${shard}-of-${shards}`);
  return { csv: `${base}.csv`, json: `${base}.json` };
}

/** One run of a shard (a resumed shard has several). */
export interface ShardRun {
  /** Host name. */
  host: string;
  /** Workers used. */
  workers: number;
  /** ISO time the run started. */
  started: string;
  /** Points computed by this run. */
  computed: number;
  /** Points found finished and skipped. */
  skipped: number;
  /** Wall time of the run in seconds. */
  seconds: number;
  /** Whether the run finished its shard (false: interrupted). */
  complete: boolean;
}

/** The timing file of a shard. */
export interface ShardMeta {
  /** Shard index. */
  shard: number;
  /** Number of shards. */
  shards: number;
  /** Points in the shard. */
  points: number;
  /** Its runs, oldest first. */
  runs: ShardRun[];
}

/** Canonical text of a spec's JSON, for comparing two specs. */
function canonical(text: string): string {
  return JSON.stringify(JSON.parse(text));
}

/**
 * Makes `dir` the output folder of the spec given as `text`: writes `spec.json` when absent,
 * and refuses a folder holding a different spec.
 * @throws {InputError} when `dir/spec.json` holds another spec
 */
export async function claimFolder(dir: string, text: string): Promise<void> {
  const path = join(dir, SPEC_FILE);
  let existing: string | undefined;
  try {
    existing = await Deno.readTextFile(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (existing === undefined) {
    await writeFileAtomic(path, JSON.stringify(JSON.parse(text), null, 2) + "\n");
  } else if (canonical(existing) !== canonical(text)) {
    throw new InputError(
      `${dir} holds the results of another spec (${path} differs); use another --out`,
    );
  }
}

/**
 * The spec of an output folder.
 * @throws {InputError} when `dir/spec.json` is missing or invalid
 */
export async function readFolderSpec(dir: string): Promise<{ spec: SweepSpec; text: string }> {
  const path = join(dir, SPEC_FILE);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (e) {
    throw new InputError(
      `cannot read ${path}: ${(e as Error).message} (is ${dir} a sweep folder?)`,
    );
  }
  return { spec: parseSweepSpec(text), text };
}

/** The part files present, as `{ file, rows }` with rows keyed by column (header checked). */
export async function readParts(
  dir: string,
  columns: readonly string[],
): Promise<{ file: string; rows: Record<string, string>[] }[]> {
  const parts = join(dir, PARTS_DIR);
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(parts)) {
      if (e.isFile && /^shard-\d+-of-\d+\.csv$/.test(e.name)) files.push(e.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  files.sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  const out = [];
  for (const file of files) {
    const [header, ...records] = parseCsv(await Deno.readTextFile(join(parts, file)));
    if (header === undefined || header.join(",") !== columns.join(",")) {
      throw new InputError(
        `${join(parts, file)}: columns ${header?.join(",")} differ from the spec's ${
          columns.join(",")
        }`,
      );
    }
    out.push({
      file,
      rows: records.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))),
    });
  }
  return out;
}

/** The timing files present, sorted by shard count and index. */
export async function readShardMetas(dir: string): Promise<ShardMeta[]> {
  const parts = join(dir, PARTS_DIR);
  const metas: ShardMeta[] = [];
  try {
    for await (const e of Deno.readDir(parts)) {
      if (e.isFile && /^shard-\d+-of-\d+\.json$/.test(e.name)) {
        metas.push(JSON.parse(await Deno.readTextFile(join(parts, e.name))));
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return metas.sort((a, b) => a.shards - b.shards || a.shard - b.shard);
}
