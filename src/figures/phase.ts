/**
 * Phase-diagram data from a merged sweep (`results.csv` rows): a measure averaged over seeds on
 * the grid of two sweep axes (optionally one map per value of a third axis), and its tidy table.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { CsvRow } from "../io/csv.ts";
import type { PhaseAxis } from "../plot/phase.ts";

/** One map: a measure over (x, y), mean over the seeds of each cell. */
export interface PhaseMap {
  /** Result column, e.g. `"kernel_distance_t20"`. */
  measure: string;
  /** Value of the facet axis (undefined without one). */
  facet?: number;
  /** Horizontal axis (sweep path and grid values). */
  x: PhaseAxis & { path: string };
  /** Vertical axis. */
  y: PhaseAxis & { path: string };
  /** `z[iy][ix]`: mean over seeds, `NaN` when any seed has no value (not reached, error). */
  z: number[][];
  /** Smallest and largest seed value per cell (`NaN` as `z`). */
  range: [number, number][][];
  /** Seeds per cell. */
  seeds: number;
}

/** Sorted distinct numeric values of a column. */
function distinct(rows: readonly Record<string, string>[], column: string): number[] {
  return [...new Set(rows.map((r) => Number(r[column])))].sort((a, b) => a - b);
}

/**
 * Maps of `measure` over `xPath × yPath` (and one per value of `facetPath`).
 * @throws {InputError} when a column is missing
 */
export function phaseMaps(
  rows: readonly Record<string, string>[],
  measure: string,
  axes: { x: PhaseAxis & { path: string }; y: PhaseAxis & { path: string }; facet?: string },
): PhaseMap[] {
  for (const c of [measure, axes.x.path, axes.y.path, ...(axes.facet ? [axes.facet] : [])]) {
    if (rows.length > 0 && !(c in rows[0])) throw new InputError(`sweep results lack "${c}"`);
  }
  const facets = axes.facet ? distinct(rows, axes.facet) : [undefined];
  return facets.map((facet) => {
    const cellRows = new Map<string, number[]>();
    for (const r of rows) {
      if (facet !== undefined && Number(r[axes.facet!]) !== facet) continue;
      const key = `${Number(r[axes.x.path])}|${Number(r[axes.y.path])}`;
      const v = r.error === "" && r[measure] !== "" ? Number(r[measure]) : NaN;
      cellRows.set(key, [...(cellRows.get(key) ?? []), v]);
    }
    let seeds = 0;
    const cell = (x: number, y: number) => {
      const vs = cellRows.get(`${x}|${y}`) ?? [];
      seeds = Math.max(seeds, vs.length);
      return vs.length > 0 && vs.every(Number.isFinite) ? vs : undefined;
    };
    const z = axes.y.values.map((y) =>
      axes.x.values.map((x) => {
        const vs = cell(x, y);
        return vs ? vs.reduce((a, b) => a + b, 0) / vs.length : NaN;
      })
    );
    const range = axes.y.values.map((y) =>
      axes.x.values.map((x): [number, number] => {
        const vs = cell(x, y);
        return vs ? [Math.min(...vs), Math.max(...vs)] : [NaN, NaN];
      })
    );
    return {
      measure,
      ...(facet === undefined ? {} : { facet }),
      x: axes.x,
      y: axes.y,
      z,
      range,
      seeds,
    };
  });
}

/** Long table of maps: `measure, facet, x, y, mean, min, max, seeds` (x, y named by path). */
export function phaseTable(maps: readonly PhaseMap[], facetPath?: string): CsvRow[] {
  return maps.flatMap((m) =>
    m.y.values.flatMap((y, iy) =>
      m.x.values.map((x, ix) => ({
        measure: m.measure,
        ...(facetPath ? { [facetPath]: m.facet } : {}),
        [m.x.path]: x,
        [m.y.path]: y,
        mean: m.z[iy][ix],
        min: m.range[iy][ix][0],
        max: m.range[iy][ix][1],
        seeds: m.seeds,
      }))
    )
  );
}
