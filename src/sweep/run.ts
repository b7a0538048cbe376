/**
 * Runs one shard of a sweep on this machine's worker pool (`src/parallel/`), resumably: points
 * already present in any part file of the output folder are skipped, finished rows are written
 * to the shard's part file atomically every few seconds and at the end, and SIGINT/SIGTERM (a
 * Slurm time limit, Ctrl-C) save what is finished before exiting. Nothing here knows which
 * engine (a shell, GNU parallel, a Slurm array) started the shard.
 *
 * @module
 */
import { hostname } from "node:os";
import { writeFileAtomic } from "../io/atomic.ts";
import { type CsvRow, toCsv } from "../io/csv.ts";
import { coreCount, runPool } from "../parallel/pool.ts";
import { Progress } from "../parallel/progress.ts";
import { evaluatePoint, sweepColumns } from "./evaluate.ts";
import {
  claimFolder,
  partFiles,
  readParts,
  readShardMetas,
  type ShardMeta,
  type ShardRun,
} from "./parts.ts";
import { parseSweepSpec, pointCount, type SweepSpec } from "./spec.ts";
import { shardIndices } from "./points.ts";

/** A batch of points for a worker: the spec's text and the point indices. */
export interface PointBatch {
  /** The spec as JSON text (parsed once per worker). */
  spec: string;
  /** Point indices. */
  indices: number[];
}

/** This machine's name when the process may read it (`--allow-sys=hostname`), else `"unknown"`. */
function hostName(): string {
  const state = Deno.permissions.querySync({ name: "sys", kind: "hostname" }).state;
  return state === "granted" ? hostname() : "unknown";
}

let cached: { text: string; spec: SweepSpec } | undefined;

/** The rows of a batch of points (the worker's function; runs in any thread). */
export function evaluateBatch(batch: PointBatch): CsvRow[] {
  if (cached?.text !== batch.spec) cached = { text: batch.spec, spec: parseSweepSpec(batch.spec) };
  const spec = cached.spec;
  return batch.indices.map((i) => evaluatePoint(spec, i));
}

/** Options of {@link runShard}. */
export interface ShardOptions {
  /** Output folder. */
  dir: string;
  /** Shard index (0-based; default 0). */
  shard?: number;
  /** Number of shards (default 1). */
  shards?: number;
  /** Workers (default: the number of cores); 0 computes in this thread. */
  workers?: number;
  /** Seconds between part-file writes (default 10). */
  flushSeconds?: number;
  /** Points per worker message (default: chosen from the shard's size). */
  batch?: number;
  /** No progress on stderr. */
  quiet?: boolean;
}

/** What a shard run did. */
export interface ShardReport {
  /** Points in the shard. */
  points: number;
  /** Points computed now. */
  computed: number;
  /** Points skipped (already finished). */
  skipped: number;
  /** Points that recorded a library error. */
  errors: number;
  /** Wall time in seconds. */
  seconds: number;
  /** The part file. */
  partFile: string;
}

/**
 * Runs shard `shard` of `shards` of the spec given as JSON `text` into `options.dir`.
 * @throws {InputError} on an invalid spec or a folder holding another spec
 */
export async function runShard(text: string, options: ShardOptions): Promise<ShardReport> {
  const spec = parseSweepSpec(text);
  const { dir, shard = 0, shards = 1, flushSeconds = 10, quiet = false } = options;
  const started = new Date(), t0 = performance.now();
  await claimFolder(dir, text);
  const columns = sweepColumns(spec);
  const files = partFiles(dir, shard, shards);
  const done = new Set<number>();
  const own: CsvRow[] = [];
  for (const part of await readParts(dir, columns)) {
    for (const r of part.rows) done.add(Number(r.point));
    if (part.file === files.csv.split("/").pop()) own.push(...part.rows);
  }
  const indices = shardIndices(pointCount(spec), shard, shards);
  const todo = indices.filter((i) => !done.has(i));
  const workers = Math.min(options.workers ?? coreCount(), todo.length);
  const size = options.batch ??
    Math.max(1, Math.min(32, Math.floor(todo.length / (16 * Math.max(workers, 1)))));
  const batches: PointBatch[] = [];
  for (let k = 0; k < todo.length; k += size) {
    batches.push({ spec: text, indices: todo.slice(k, k + size) });
  }
  let computed = 0, errors = 0, lastFlush = performance.now();
  let writing: Promise<void> = Promise.resolve();
  const run = (complete: boolean): ShardRun => ({
    host: hostName(),
    workers,
    started: started.toISOString(),
    computed,
    skipped: indices.length - todo.length,
    seconds: Math.round(performance.now() - t0) / 1000,
    complete,
  });
  const previous = (await readShardMetas(dir)).find((m) =>
    m.shard === shard && m.shards === shards
  );
  const flush = (complete: boolean) => {
    const rows = [...own].sort((a, b) => Number(a.point) - Number(b.point));
    const meta: ShardMeta = {
      shard,
      shards,
      points: indices.length,
      runs: [...(previous?.runs ?? []), run(complete)],
    };
    lastFlush = performance.now();
    writing = writing.then(async () => {
      await writeFileAtomic(files.csv, toCsv(rows, columns));
      await writeFileAtomic(files.json, JSON.stringify(meta, null, 2) + "\n");
    });
    return writing;
  };
  const accept = (rows: CsvRow[]) => {
    own.push(...rows);
    computed += rows.length;
    errors += rows.filter((r) => r.error !== "").length;
    if ((performance.now() - lastFlush) / 1000 >= flushSeconds) flush(false);
  };
  // Save what is finished, then exit with the shell's status for the signal (128 + number).
  const handlers = (Deno.build.os === "windows" ? [] : [["SIGINT", 130], ["SIGTERM", 143]] as const)
    .map(([signal, code]) => ({
      signal,
      handler: () => {
        flush(false).finally(() => Deno.exit(code));
      },
    }));
  for (const h of handlers) Deno.addSignalListener(h.signal, h.handler);
  try {
    const progress = new Progress(
      `sweep ${spec.name} shard ${shard}/${shards}`,
      todo.length,
      quiet,
    );
    if (workers > 0) {
      await runPool<PointBatch, CsvRow[]>(
        new URL("./workers/sweep_worker.ts", import.meta.url),
        batches,
        {
          concurrency: workers,
          quiet: true,
          onResult: (_, rows) => {
            accept(rows);
            progress.tick(rows.length);
          },
        },
      );
    } else {
      for (const b of batches) {
        accept(evaluateBatch(b));
        progress.tick(b.indices.length);
      }
    }
    await flush(true);
  } catch (error) {
    await flush(false); // a failing point (a bug, not a refused problem) keeps what is finished
    throw error;
  } finally {
    for (const h of handlers) Deno.removeSignalListener(h.signal, h.handler);
  }
  await writing;
  return {
    points: indices.length,
    computed,
    skipped: indices.length - todo.length,
    errors,
    seconds: (performance.now() - t0) / 1000,
    partFile: files.csv,
  };
}
