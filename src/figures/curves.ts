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
import { paletteColor } from "../plot/style.ts";
import type { QQtBlocks, Trajectory } from "../trajectory.ts";

/** Axis label of training time, the abscissa of {@link entryCurves} and {@link lossCurve}. */
export const T_LABEL = "training time t/τ";

/**
 * `points` evenly spaced times `i·horizon/(points − 1)`, `i = 0 … points − 1`, from 0 to
 * `horizon` (both included).
 */
export function timeGrid(horizon: number, points: number): number[] {
  return Array.from({ length: points }, (_, i) => (i * horizon) / (points - 1));
}

/**
 * `points` times spaced geometrically from `first` to `last` (both included, `0 < first < last`):
 * dense where fast dynamics happen early, sparse later.
 */
export function geometricGrid(first: number, last: number, points: number): number[] {
  const ratio = Math.log(last / first) / (points - 1);
  return Array.from(
    { length: points },
    (_, i) => i === points - 1 ? last : first * Math.exp(i * ratio),
  );
}

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
  /** Stroke width of a simulation curve (default the style's), e.g. wider to show under theory. */
  width?: number;
  /** Extra columns for the CSV (e.g. `{ network: 3, eta: 0.01 }`). */
  tags?: Record<string, string | number>;
}

/**
 * The long-format table of a panel: one row per point with columns
 * `panel, series, source, <x>, value` and the curves' tags. `source` uses the plots' words:
 * `simulation` or `analytical`.
 */
export function curvesTable(panel: string, curves: readonly Curve[], xName = "t"): PanelTable {
  const rows: CsvRow[] = [];
  for (const c of curves) {
    for (let i = 0; i < c.x.length; i++) {
      rows.push({
        panel,
        series: c.series,
        source: c.source === "theory" ? "analytical" : c.source,
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
    ...(c.width ? { width: c.width } : {}),
    points: c.x.map((x, i) => ({ x, y: c.y[i] })),
  }));
}

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
  const x = traj.times.map((t) => t / traj.tau); // one time axis shared by the curves
  // State by state (each matrix read once, entries by index): the explorer redraws 64 of
  // these per source and frame.
  const ys = entries.map(() => new Array<number>(traj.states.length));
  traj.states.forEach((s, t) => {
    const m = pick(s);
    entries.forEach(([i, j], k) => ys[k][t] = m.data[i * m.cols + j]);
  });
  return entries.map(([i, j], k) => ({
    series: label(i, j),
    source,
    x,
    y: ys[k],
    ...(colors ? { color: colors[k % colors.length] } : {}),
  }));
}

/**
 * The entry curves of a quantity along a simulation (coloured by `colors`, default: palette
 * order of the entries) followed by the same entries along the exact solution.
 */
export function simulationAndTheory(
  sim: Trajectory,
  theory: Trajectory,
  pick: (state: QQtBlocks) => Matrix,
  entries: readonly (readonly [number, number])[],
  label: (i: number, j: number) => string,
  colors: readonly string[] = entries.map((_, k) => paletteColor(k)),
): Curve[] {
  return [
    ...entryCurves(sim, pick, entries, "simulation", label, colors),
    ...entryCurves(theory, pick, entries, "theory", label),
  ];
}

/**
 * Largest `|simulation − theory|` over the curves: each simulation curve against the theory
 * curve of the same series (point by point; series without a theory curve are skipped).
 */
export function maxGap(curves: readonly Curve[]): number {
  let gap = 0;
  for (const s of curves.filter((c) => c.source === "simulation")) {
    const t = curves.find((c) => c.source === "theory" && c.series === s.series);
    if (t) s.y.forEach((v, i) => gap = Math.max(gap, Math.abs(v - t.y[i])));
  }
  return gap;
}

/** Entries `(i, j)` of an `m × n` matrix, all of them or (symmetric) the upper triangle. */
export function matrixEntries(m: number, n: number, symmetric = false): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < m; i++) for (let j = symmetric ? i : 0; j < n; j++) out.push([i, j]);
  return out;
}

/**
 * A loss as figures report it (manifests, summaries): the loss is non-negative, but at a
 * minimum its computed value `½ tr(WΣxxWᵀ) − tr(WΣyxᵀ) + ½ tr Σyy` is a difference of terms of
 * order one and lands within rounding (~1e-15) of zero on either side; values in `(−1e-12, 0)`
 * are reported as 0. A more negative value is returned as it is (it would be a bug to see).
 */
export function lossValue(loss: number): number {
  return loss < 0 && loss > -1e-12 ? 0 : loss;
}

/** The loss curve of a trajectory against `t/τ`. */
export function lossCurve(traj: Trajectory, series: string, source: Curve["source"]): Curve {
  return { series, source, x: traj.times.map((t) => t / traj.tau), y: [...traj.loss] };
}
