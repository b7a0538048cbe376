/**
 * Panel builders with the paper's conventions, each rendering one Observable Plot chart to an
 * SVG string: line charts (simulation solid and coloured, theory black dotted), heatmaps
 * (diverging scale, colour bar) and scatter plots.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { InputError } from "../errors.ts";
import { plotDocument, serializeSvg } from "./dom.ts";
import type { Colorbar, LegendItem } from "./legend.ts";
import {
  DIVERGING_SCHEME,
  FONT_FAMILY,
  FONT_SIZE,
  paletteColor,
  SIMULATION_STROKE,
  THEORY_STROKE,
} from "./style.ts";
import { formatLogTick, formatTick, linearTicks, logTicks } from "./ticks.ts";

/** A rendered panel body: standalone SVG, its size, and what its legend should show. */
export interface RenderedPanel {
  /** Standalone SVG markup of the chart. */
  svg: string;
  /** Width in px. */
  width: number;
  /** Height in px. */
  height: number;
  /** Keys for the figure layout to draw above the chart. */
  legend: LegendItem[];
  /** Colour bar for the figure layout to draw above the chart. */
  colorbar?: Colorbar;
}

/** One axis: its label (with units) and scale. */
export interface AxisSpec {
  /** Axis label, including units, e.g. `"t/τ (training time)"`. */
  label: string;
  /** Scale type (default linear). */
  type?: "linear" | "log";
  /** Fixed domain; default from the data. */
  domain?: [number, number];
}

/** A point of a curve. */
export interface Point {
  /** Abscissa. */
  x: number;
  /** Ordinate. */
  y: number;
}

/** One curve. Simulation curves are solid and coloured; theory curves black and dotted. */
export interface LineSeries {
  /** Legend label (curves sharing a name share a legend key). */
  name: string;
  /** Where the curve comes from. */
  source: "simulation" | "theory";
  /** The points, in drawing order. */
  points: readonly Point[];
  /** Colour of a simulation curve (default: palette by order of first appearance). */
  color?: string;
  /** A dash pattern overriding the solid style of a simulation curve (e.g. `"5,3"`). */
  dash?: string;
  /** Stroke width override. */
  width?: number;
}

/** A vertical or horizontal reference line. */
export interface RuleSpec {
  /** Position on the x axis (vertical rule). */
  x?: number;
  /** Position on the y axis (horizontal rule). */
  y?: number;
  /** Colour. */
  color: string;
  /** Dash pattern. */
  dash?: string;
  /** Legend label (rules with a label get a legend key). */
  label?: string;
}

/** Marked points drawn over the curves (e.g. the sampled networks of Fig. 2C). */
export interface MarkerSpec {
  /** Position. */
  x: number;
  /** Position. */
  y: number;
  /** Colour. */
  color: string;
  /** Plot symbol name (default `"times"`). */
  symbol?: string;
  /** Radius in px (default 5). */
  size?: number;
}

/** A line chart. */
export interface LinePanelSpec {
  /** The curves. */
  series: readonly LineSeries[];
  /** Horizontal axis. */
  x: AxisSpec;
  /** Vertical axis. */
  y: AxisSpec;
  /** Width in px (default 240). */
  width?: number;
  /** Height in px (default 180). */
  height?: number;
  /** Reference lines. */
  rules?: readonly RuleSpec[];
  /** Extra markers. */
  markers?: readonly MarkerSpec[];
  /** Legend label of the theory curves (default `"analytical"`); `null` hides it. */
  theoryLabel?: string | null;
  /** Hide the legend keys of simulation curves (when a panel has many unnamed curves). */
  hideSeriesLegend?: boolean;
  /**
   * With `hideSeriesLegend`: one key for all simulation curves, with this label; drawn in their
   * colours when they have several (say what the colour encodes, e.g. `"(colour = entry)"`).
   */
  simulationLabel?: string;
  /** Legend label of the markers (drawn with the first marker's symbol and colour). */
  markerLabel?: string;
}

/** Plot options shared by every panel. */
function baseOptions(width: number, height: number) {
  return {
    document: plotDocument,
    width,
    height,
    style: { fontFamily: FONT_FAMILY, fontSize: `${FONT_SIZE}px`, background: "white" },
    marginLeft: 52,
    marginBottom: 36,
    marginTop: 24,
    marginRight: 12,
  };
}

/** Scale options for an axis, with readable ticks on log axes. */
function axisScale(axis: AxisSpec, values: number[]) {
  const base = { label: axis.label, labelArrow: "none" as const, domain: axis.domain };
  if (axis.type !== "log") {
    // Explicit ticks (at least three) and a domain widened to the outer ticks: Plot's default
    // for a narrow panel can be a single tick, and every curve must stay inside the frame.
    const finite = values.filter(Number.isFinite);
    const lo = axis.domain?.[0] ?? Math.min(...finite),
      hi = axis.domain?.[1] ?? Math.max(...finite);
    const ticks = finite.length > 0 ? linearTicks(lo, hi) : undefined;
    return {
      ...base,
      type: "linear" as const,
      tickFormat: formatTick,
      ...(ticks ? { ticks: ticks.ticks, domain: axis.domain ?? ticks.domain } : {}),
    };
  }
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const lo = axis.domain?.[0] ?? Math.min(...positive);
  const hi = axis.domain?.[1] ?? Math.max(...positive);
  const ticks = positive.length > 0 ? logTicks(lo, hi) : null;
  return {
    ...base,
    type: "log" as const,
    ...(ticks ? { ticks } : {}),
    tickFormat: formatLogTick,
  };
}

/** Drops points a log axis cannot show (non-positive or non-finite). */
function visible(points: readonly Point[], x: AxisSpec, y: AxisSpec): Point[] {
  return points.filter((p) =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (x.type !== "log" || p.x > 0) &&
    (y.type !== "log" || p.y > 0)
  );
}

/**
 * Renders a line chart: simulation curves solid and coloured, theory curves black and dotted on
 * top, optional reference rules and markers. Points a log axis cannot show are left out.
 *
 * @throws {InputError} when there is nothing to draw
 */
export function linePanel(spec: LinePanelSpec): RenderedPanel {
  const width = spec.width ?? 240, height = spec.height ?? 180;
  const colors = new Map<string, string>();
  for (const s of spec.series) {
    if (s.source === "simulation" && !colors.has(s.name)) {
      colors.set(s.name, s.color ?? paletteColor(colors.size));
    }
  }
  const sims = spec.series.filter((s) => s.source === "simulation");
  const theories = spec.series.filter((s) => s.source === "theory");
  const simData = sims.map((s) => visible(s.points, spec.x, spec.y));
  const theoryData = theories.map((s) => visible(s.points, spec.x, spec.y));
  const all = [...simData, ...theoryData].flat();
  for (const m of spec.markers ?? []) all.push({ x: m.x, y: m.y });
  if (all.length === 0) throw new InputError("line panel: no finite points to draw");
  const marks: Plot.Markish[] = [];
  if (spec.y.type !== "log") marks.push(Plot.ruleY([0], { stroke: "#ddd" }));
  sims.forEach((s, i) => {
    marks.push(Plot.line(simData[i], {
      x: "x",
      y: "y",
      stroke: s.color ?? colors.get(s.name),
      ...SIMULATION_STROKE,
      ...(s.width ? { strokeWidth: s.width } : {}),
      ...(s.dash ? { strokeDasharray: s.dash } : {}),
    }));
  });
  theories.forEach((_, i) =>
    marks.push(Plot.line(theoryData[i], { x: "x", y: "y", ...THEORY_STROKE }))
  );
  for (const r of spec.rules ?? []) {
    const style = { stroke: r.color, strokeDasharray: r.dash, strokeWidth: 1.5 };
    if (r.x !== undefined) marks.push(Plot.ruleX([r.x], style));
    if (r.y !== undefined) marks.push(Plot.ruleY([r.y], style));
  }
  if (spec.markers?.length) {
    marks.push(Plot.dot(spec.markers, {
      x: "x",
      y: "y",
      stroke: (d: MarkerSpec) => d.color,
      symbol: (d: MarkerSpec) => d.symbol ?? "times",
      r: (d: MarkerSpec) => d.size ?? 5,
      strokeWidth: 2.2,
    }));
  }
  const element = Plot.plot({
    ...baseOptions(width, height),
    x: axisScale(spec.x, all.map((p) => p.x)),
    y: axisScale(spec.y, all.map((p) => p.y)),
    marks,
  });
  const legend: LegendItem[] = [];
  if (!spec.hideSeriesLegend) {
    for (const [name, color] of colors) {
      const s = sims.find((q) => q.name === name);
      legend.push({ label: name, color, style: s?.dash ? "dashed" : "solid" });
    }
  }
  if (spec.hideSeriesLegend && spec.simulationLabel && sims.length > 0) {
    const distinct = [...new Set(sims.map((s) => s.color ?? colors.get(s.name)!))];
    legend.push({
      label: spec.simulationLabel,
      color: distinct[0],
      style: distinct.length > 1 ? "palette" : "solid",
      colors: distinct,
    });
  }
  if (theories.length > 0 && spec.theoryLabel !== null) {
    legend.push({ label: spec.theoryLabel ?? "analytical", color: "black", style: "dotted" });
  }
  for (const r of spec.rules ?? []) {
    if (r.label) {
      legend.push({ label: r.label, color: r.color, style: r.dash ? "dashed" : "solid" });
    }
  }
  const firstMarker = spec.markers?.[0];
  if (spec.markerLabel && firstMarker) {
    legend.push({
      label: spec.markerLabel,
      color: firstMarker.color,
      style: "marker",
      symbol: firstMarker.symbol ?? "times",
    });
  }
  return { svg: serializeSvg(element), width, height, legend };
}

/** A matrix shown as coloured cells. */
export interface HeatmapSpec {
  /** The matrix, as rows. */
  matrix: readonly (readonly number[])[];
  /** Size of the square cell area in px (default 150); the chart is sized to fit it. */
  size?: number;
  /** Colour domain `[-m, m]`; default the largest absolute entry. */
  maxAbs?: number;
  /** Row labels (drawn on the left). */
  rowLabels?: readonly string[];
  /** Column labels (drawn at the bottom, rotated). */
  colLabels?: readonly string[];
  /** Indices after which to draw separating lines (e.g. the quadrants of `QQᵀ`). */
  splits?: readonly number[];
  /** Colour-bar label (quantity and unit). */
  label?: string;
  /** Show a colour bar (default true). */
  colorbar?: boolean;
}

/**
 * Renders a matrix as a heatmap on a symmetric diverging scale (blue negative, white zero, red
 * positive), with optional row/column labels and block separators.
 *
 * @throws {InputError} on an empty or ragged matrix, or non-finite entries
 */
export function heatmapPanel(spec: HeatmapSpec): RenderedPanel {
  const rows = spec.matrix.length, cols = rows > 0 ? spec.matrix[0].length : 0;
  if (rows === 0 || cols === 0) throw new InputError("heatmap: empty matrix");
  const cells: { i: number; j: number; v: number }[] = [];
  for (let i = 0; i < rows; i++) {
    if (spec.matrix[i].length !== cols) {
      throw new InputError(
        `heatmap: row ${i} has ${spec.matrix[i].length} entries, expected ${cols}`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const v = spec.matrix[i][j];
      if (!Number.isFinite(v)) throw new InputError(`heatmap: entry (${i}, ${j}) is ${v}`);
      cells.push({ i, j, v });
    }
  }
  const m = spec.maxAbs ?? Math.max(1e-300, ...cells.map((c) => Math.abs(c.v)));
  const size = spec.size ?? 150;
  const cell = size / Math.max(rows, cols);
  // Label room from the longest label (≈0.6 em per character at the panel font size).
  const room = (labels?: readonly string[]) =>
    labels ? 12 + Math.max(...labels.map((l) => l.length)) * FONT_SIZE * 0.6 : 8;
  const marginLeft = room(spec.rowLabels), marginBottom = room(spec.colLabels);
  const width = cols * cell + marginLeft + 8, height = rows * cell + marginBottom + 8;
  const marks: Plot.Markish[] = [
    Plot.rect(cells, {
      x1: "j",
      x2: (c: { j: number }) => c.j + 1,
      y1: "i",
      y2: (c: { i: number }) => c.i + 1,
      fill: "v",
    }),
    Plot.frame({ stroke: "#888" }),
  ];
  for (const s of spec.splits ?? []) {
    marks.push(Plot.ruleX([s + 1], { stroke: "black", strokeWidth: 1.2 }));
    marks.push(Plot.ruleY([s + 1], { stroke: "black", strokeWidth: 1.2 }));
  }
  const colorbar: Colorbar = {
    domain: [-m, m],
    scheme: DIVERGING_SCHEME,
    reverse: true,
    label: spec.label,
  };
  const centres = (n: number) => Array.from({ length: n }, (_, k) => k + 0.5);
  const labelOf = (labels: readonly string[] | undefined) => (v: number) =>
    labels?.[Math.floor(v)] ?? "";
  const element = Plot.plot({
    ...baseOptions(width, height),
    marginLeft,
    marginBottom,
    marginTop: 8,
    marginRight: 8,
    x: {
      domain: [0, cols],
      axis: spec.colLabels ? "bottom" : null,
      ticks: centres(cols),
      tickFormat: labelOf(spec.colLabels),
      tickRotate: -60,
      tickSize: 0,
      label: null,
    },
    y: {
      domain: [0, rows],
      reverse: true,
      axis: spec.rowLabels ? "left" : null,
      ticks: centres(rows),
      tickFormat: labelOf(spec.rowLabels),
      tickSize: 0,
      label: null,
    },
    color: { type: "linear", scheme: DIVERGING_SCHEME, domain: [-m, m], reverse: true },
    marks,
  });
  return {
    svg: serializeSvg(element),
    width,
    height,
    legend: [],
    ...(spec.colorbar === false ? {} : { colorbar }),
  };
}

/** Marker shapes of scatter groups, in order. */
const SYMBOLS = ["circle", "square", "triangle", "diamond", "star", "cross"] as const;

/** A scatter plot point. */
export interface ScatterPoint {
  /** Position. */
  x: number;
  /** Position. */
  y: number;
  /** Group name (legend key, colour). */
  group: string;
}

/** A scatter plot, optionally with the identity line `y = x` (prediction vs measurement). */
export interface ScatterPanelSpec {
  /** The points. */
  points: readonly ScatterPoint[];
  /** Horizontal axis. */
  x: AxisSpec;
  /** Vertical axis. */
  y: AxisSpec;
  /** Group → colour (default palette in order of appearance). */
  colors?: Record<string, string>;
  /** Draw `y = x` as a black dotted line. */
  identity?: boolean;
  /** Width in px (default 240). */
  width?: number;
  /** Height in px (default 200). */
  height?: number;
}

/**
 * Renders a scatter plot coloured by group, with the identity line when asked.
 *
 * @throws {InputError} when there is nothing to draw
 */
export function scatterPanel(spec: ScatterPanelSpec): RenderedPanel {
  const width = spec.width ?? 240, height = spec.height ?? 200;
  const pts = spec.points.filter((p) =>
    Number.isFinite(p.x) && Number.isFinite(p.y) && (spec.x.type !== "log" || p.x > 0) &&
    (spec.y.type !== "log" || p.y > 0)
  );
  if (pts.length === 0) throw new InputError("scatter panel: no finite points to draw");
  const groups = [...new Set(pts.map((p) => p.group))];
  const color = (g: string) => spec.colors?.[g] ?? paletteColor(groups.indexOf(g));
  const marks: Plot.Markish[] = [];
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  if (spec.identity) {
    const lo = Math.min(...xs, ...ys), hi = Math.max(...xs, ...ys);
    marks.push(
      Plot.line([{ x: lo, y: lo }, { x: hi, y: hi }], { x: "x", y: "y", ...THEORY_STROKE }),
    );
  }
  // One symbol per group as well as one colour, and a size per group: the first group is
  // largest and drawn first, later ones smaller on top, so coinciding points of different
  // groups show as nested outlines instead of one hiding the others.
  const symbol = (g: string) => SYMBOLS[groups.indexOf(g) % SYMBOLS.length];
  const radius = (g: string) => 2.2 + 1.6 * (groups.length - 1 - groups.indexOf(g));
  const drawn = [...pts].sort((a, b) => groups.indexOf(a.group) - groups.indexOf(b.group));
  marks.push(Plot.dot(drawn, {
    x: "x",
    y: "y",
    stroke: (p: ScatterPoint) => color(p.group),
    symbol: (p: ScatterPoint) => symbol(p.group),
    r: (p: ScatterPoint) => radius(p.group),
    strokeWidth: 1.1,
  }));
  const element = Plot.plot({
    ...baseOptions(width, height),
    x: axisScale(spec.x, xs),
    y: axisScale(spec.y, ys),
    marks,
  });
  const legend: LegendItem[] = groups.map((g) => ({
    label: g,
    color: color(g),
    style: "marker",
    symbol: symbol(g),
  }));
  if (spec.identity) legend.push({ label: "y = x", color: "black", style: "dotted" });
  return { svg: serializeSvg(element), width, height, legend };
}
