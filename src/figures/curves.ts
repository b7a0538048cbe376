/**
 * `Curve`: the unit of figure data. A curve is one line of one panel (simulation or theory);
 * the same list of curves gives a panel's tidy CSV and its plotted series, so what is drawn is
 * exactly what is saved.
 *
 * @module
 */
import type { CsvRow } from "../io/csv.ts";
import type { PanelTable } from "../io/output.ts";
import type { Matrix } from "../matrix.ts";
import type { LineSeries } from "../plot/panels.ts";
import type { QQtBlocks, Trajectory } from "../trajectory.ts";

/** One line of a panel. */
export interface Curve {
  /** Series name (legend label; simulation and theory of the same quantity share it). */
  series: string;
  /** Numerical simulation or analytical solution. */
  source: "simulation" | "theory";
  /** Abscissae (usually `t/τ`). */
  x: number[];
  /** Ordinates. */
  y: number[];
  /** Colour of a simulation curve (default: palette order). */
  color?: string;
  /** Extra columns for the CSV (e.g. `{ network: 3, eta: 0.01 }`). */
  tags?: Record<string, string | number>;
}

/**
 * The long-format table of a panel: one row per point with columns
 * `panel, series, source, <x>, value` and the curves' tags.
 */
export function curvesTable(panel: string, curves: readonly Curve[], xName = "t"): PanelTable {
  const rows: CsvRow[] = [];
  for (const c of curves) {
    for (let i = 0; i < c.x.length; i++) {
      rows.push({
        panel,
        series: c.series,
        source: c.source,
        ...c.tags,
        [xName]: c.x[i],
        value: c.y[i],
      });
    }
  }
  return { panel, rows };
}

/** The plotted series of curves (simulation solid and coloured, theory black dotted). */
export function curvesSeries(curves: readonly Curve[]): LineSeries[] {
  return curves.map((c) => ({
    name: c.series,
    source: c.source,
    color: c.color,
    points: c.x.map((x, i) => ({ x, y: c.y[i] })),
  }));
}

/** A block of `QQᵀ` by name. */
export type Block = keyof QQtBlocks;

/**
 * One curve per listed entry `(i, j)` of a matrix-valued quantity along a trajectory.
 * @param pick the matrix at each state (e.g. a `QQᵀ` block, or an observable built from it)
 * @param label series name of entry `(i, j)`
 */
export function entryCurves(
  traj: Trajectory,
  pick: (state: QQtBlocks) => Matrix,
  entries: readonly (readonly [number, number])[],
  source: Curve["source"],
  label: (i: number, j: number) => string,
  colors?: readonly string[],
): Curve[] {
  const mats = traj.states.map(pick);
  return entries.map(([i, j], k) => ({
    series: label(i, j),
    source,
    x: traj.times.map((t) => t / traj.tau),
    y: mats.map((m) => m.get(i, j)),
    ...(colors ? { color: colors[k % colors.length] } : {}),
  }));
}

/** Entries `(i, j)` of an `m × n` matrix, all of them or (symmetric) the upper triangle. */
export function matrixEntries(m: number, n: number, symmetric = false): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < m; i++) for (let j = symmetric ? i : 0; j < n; j++) out.push([i, j]);
  return out;
}

/** The loss curve of a trajectory against `t/τ`. */
export function lossCurve(traj: Trajectory, series: string, source: Curve["source"]): Curve {
  return { series, source, x: traj.times.map((t) => t / traj.tau), y: [...traj.loss] };
}
