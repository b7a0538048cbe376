/**
 * Merges the part files of a sweep folder into one tidy CSV (`results.csv`, one row per point in
 * point order) and `manifest.json` (the spec, versions, per-shard runs and timings). Refuses an
 * incomplete sweep, naming the missing points and the shards that hold them, and a point whose
 * rows from two part files disagree (a sweep is deterministic: the same point must give the same
 * row, apart from its wall time).
 *
 * @module
 */
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { writeFileAtomic } from "../io/atomic.ts";
import { toCsv } from "../io/csv.ts";
import { buildManifest, Timings } from "../io/manifest.ts";
import { sweepColumns } from "./evaluate.ts";
import { readFolderSpec, readParts, readShardMetas } from "./parts.ts";
import { pointCount } from "./spec.ts";

/** File names the merge writes. */
export const RESULTS_FILE = "results.csv";

/** Columns that may differ between two computations of one point. */
const VOLATILE = new Set(["wall_ms"]);

/** What a merge produced. */
export interface MergeReport {
  /** Points merged. */
  points: number;
  /** Points whose `error` column is set. */
  errors: number;
  /** Path of the merged CSV. */
  results: string;
  /** Part files read. */
  parts: string[];
}

function describeMissing(missing: number[], shardCounts: number[]): string {
  const shown = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
  const hints = shardCounts.map((n) => {
    const shards = [...new Set(missing.map((i) => i % n))].sort((a, b) => a - b);
    return `shards ${shards.slice(0, 10).map((k) => `${k}/${n}`).join(", ")}${
      shards.length > 10 ? ", …" : ""
    }`;
  });
  return `points ${shown}${hints.length > 0 ? ` (rerun ${hints.join("; or ")})` : ""}`;
}

/**
 * Merges `dir`'s part files into `dir/results.csv` and `dir/manifest.json`.
 * @throws {InputError} when the folder has no spec, a part file has other columns, points are
 *   missing (named), or two part files disagree on a point
 */
export async function mergeSweep(dir: string): Promise<MergeReport> {
  const timings = new Timings();
  const { spec, text } = await readFolderSpec(dir);
  const columns = sweepColumns(spec);
  const total = pointCount(spec);
  const parts = await timings.measureAsync("read", () => readParts(dir, columns));
  const byPoint = new Map<number, { row: Record<string, string>; file: string }>();
  for (const { file, rows } of parts) {
    for (const row of rows) {
      const i = Number(row.point);
      if (!Number.isInteger(i) || i < 0 || i >= total) {
        throw new InputError(`${file}: point "${row.point}" is outside 0..${total - 1}`);
      }
      const seen = byPoint.get(i);
      if (seen === undefined) {
        byPoint.set(i, { row, file });
        continue;
      }
      const differs = columns.find((c) => !VOLATILE.has(c) && seen.row[c] !== row[c]);
      if (differs !== undefined) {
        throw new InputError(
          `point ${i} differs between ${seen.file} and ${file} in column ${differs} ` +
            `(${seen.row[differs]} vs ${row[differs]})`,
        );
      }
    }
  }
  const metas = await readShardMetas(dir);
  if (byPoint.size < total) {
    const missing: number[] = [];
    for (let i = 0; i < total; i++) if (!byPoint.has(i)) missing.push(i);
    const counts = [...new Set(metas.map((m) => m.shards))];
    throw new InputError(
      `incomplete sweep: ${missing.length} of ${total} points missing: ` +
        describeMissing(missing, counts.length > 0 ? counts : [1]),
    );
  }
  const rows = [...byPoint.keys()].sort((a, b) => a - b).map((i) => byPoint.get(i)!.row);
  const errors = rows.filter((r) => r.error !== "").length;
  const results = join(dir, RESULTS_FILE);
  await timings.measureAsync("write", () => writeFileAtomic(results, toCsv(rows, columns)));
  const shardSeconds = metas.map((m) => m.runs.reduce((s, r) => s + r.seconds, 0));
  const manifest = buildManifest({
    name: `sweep ${spec.name}`,
    description: "Merged results of a parameter sweep (deno task sweep; one row per point).",
    parameters: { spec: JSON.parse(text) },
    seeds: { base: spec.seed },
    results: {
      points: total,
      errors,
      columns,
      shards: metas,
      computeSeconds: Math.round(shardSeconds.reduce((a, b) => a + b, 0) * 1000) / 1000,
    },
    timings,
    files: [RESULTS_FILE, "manifest.json"],
  });
  await writeFileAtomic(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return { points: total, errors, results, parts: parts.map((p) => p.file) };
}
