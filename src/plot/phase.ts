/**
 * Phase maps: a measure over a two-parameter grid (e.g. NTK kernel distance over init scale × λ)
 * as coloured cells on a sequential scale, with the grid values as tick labels, cells without a
 * value (the measure was not reached or the point failed) in grey with a legend key, and
 * optionally a boundary drawn along the cell edges where the measure crosses a level.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { InputError } from "../errors.ts";
import { plotDocument, serializeSvg } from "./dom.ts";
import type { Colorbar, LegendItem } from "./legend.ts";
import type { RenderedPanel } from "./panels.ts";
import { FONT_FAMILY, FONT_SIZE } from "./style.ts";
import { formatTick } from "./ticks.ts";

/** One axis of a phase map: the grid values (cell centres, in order) and a label. */
export interface PhaseAxis {
  /** Axis label with units, e.g. `"init scale (std of W2W1(0) entries)"`. */
  label: string;
  /** Grid values, one per cell column (x) or row (y), ascending. */
  values: readonly number[];
}

/** A phase map. */
export interface PhaseMapSpec {
  /** Horizontal axis. */
  x: PhaseAxis;
  /** Vertical axis (first value at the bottom). */
  y: PhaseAxis;
  /** `z[iy][ix]`; `NaN` for a cell without a value. */
  z: readonly (readonly number[])[];
  /** Colour-bar label (quantity and unit). */
  label: string;
  /** Sequential colour scheme (default `"viridis"`). */
  scheme?: Plot.ColorScheme;
  /** Colour domain (default the finite values' range). */
  domain?: [number, number];
  /** Legend text of grey cells (default `"no value"`). */
  missingLabel?: string;
  /** Draw the level set `z = level` along cell edges, with this legend label. */
  boundary?: { level: number; label: string };
  /** Plot area width in px (default 230). */
  width?: number;
  /** Plot area height in px (default 190). */
  height?: number;
}

const MISSING = "#c8c8c8";
const BOUNDARY = "#e4002b";

/** Short tick text of a grid value. */
function tickText(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-2 || a >= 1e4)) {
    const e = Math.floor(Math.log10(a)), m = v / 10 ** e;
    return Math.abs(m - Math.round(m)) < 1e-9 && Math.round(m) === 1
      ? `1e${e}`
      : `${m.toFixed(1)}e${e}`;
  }
  return formatTick(Number(v.toPrecision(3)));
}

/** Thins tick positions to at most `max`, keeping both ends. */
function thin(n: number, max: number): number[] {
  const step = Math.max(1, Math.ceil((n - 1) / (max - 1)));
  const out: number[] = [];
  for (let i = 0; i < n; i += step) out.push(i);
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/**
 * Renders a phase map.
 * @throws {InputError} when `z` does not match the axes or has no finite value
 */
export function phaseMapPanel(spec: PhaseMapSpec): RenderedPanel {
  const nx = spec.x.values.length, ny = spec.y.values.length;
  if (spec.z.length !== ny || spec.z.some((r) => r.length !== nx)) {
    throw new InputError(`phase map: z must be ${ny}×${nx} (y values × x values)`);
  }
  const finite = spec.z.flat().filter(Number.isFinite);
  if (finite.length === 0) throw new InputError(`phase map "${spec.label}": no finite value`);
  const domain = spec.domain ?? [Math.min(...finite), Math.max(...finite)];
  if (domain[0] === domain[1]) domain[1] = domain[0] + 1;
  const scheme = spec.scheme ?? "viridis";
  const cells = spec.z.flatMap((row, iy) => row.map((v, ix) => ({ ix, iy, v })));
  const marks: Plot.Markish[] = [
    Plot.rect(cells.filter((c) => Number.isFinite(c.v)), {
      x1: "ix",
      x2: (c: { ix: number }) => c.ix + 1,
      y1: "iy",
      y2: (c: { iy: number }) => c.iy + 1,
      fill: "v",
    }),
    Plot.rect(cells.filter((c) => !Number.isFinite(c.v)), {
      x1: "ix",
      x2: (c: { ix: number }) => c.ix + 1,
      y1: "iy",
      y2: (c: { iy: number }) => c.iy + 1,
      fill: MISSING,
    }),
  ];
  if (spec.boundary) {
    const { level } = spec.boundary;
    const side = (v: number) => Number.isFinite(v) ? v >= level : undefined;
    const segs: { x1: number; x2: number; y1: number; y2: number }[] = [];
    for (let iy = 0; iy < ny; iy++) {
      for (let ix = 0; ix < nx; ix++) {
        const a = side(spec.z[iy][ix]);
        if (a === undefined) continue;
        const right = ix + 1 < nx ? side(spec.z[iy][ix + 1]) : undefined;
        if (right !== undefined && right !== a) {
          segs.push({ x1: ix + 1, x2: ix + 1, y1: iy, y2: iy + 1 });
        }
        const up = iy + 1 < ny ? side(spec.z[iy + 1][ix]) : undefined;
        if (up !== undefined && up !== a) segs.push({ x1: ix, x2: ix + 1, y1: iy + 1, y2: iy + 1 });
      }
    }
    marks.push(
      Plot.link(segs, {
        x1: "x1",
        x2: "x2",
        y1: "y1",
        y2: "y2",
        stroke: BOUNDARY,
        strokeWidth: 2.5,
      }),
    );
  }
  marks.push(Plot.frame({ stroke: "#888" }));
  const plotWidth = spec.width ?? 230, plotHeight = spec.height ?? 190;
  const width = plotWidth + 62, height = plotHeight + 48;
  // As many tick labels as fit: one per 13 px of height, one per 40 px of width.
  const ticks = (axis: PhaseAxis, n: number, room: number) => {
    const idx = thin(n, Math.max(2, room));
    return {
      ticks: idx.map((i) => i + 0.5),
      tickFormat: (v: number) => tickText(axis.values[Math.floor(v)]),
    };
  };
  const element = Plot.plot({
    document: plotDocument,
    width,
    height,
    style: { fontFamily: FONT_FAMILY, fontSize: `${FONT_SIZE}px`, background: "white" },
    marginLeft: 56,
    marginBottom: 40,
    marginTop: 8,
    marginRight: 6,
    x: {
      domain: [0, nx],
      label: spec.x.label,
      labelAnchor: "center",
      labelArrow: "none",
      ...ticks(spec.x, nx, Math.floor(plotWidth / 40)),
    },
    y: {
      domain: [0, ny],
      label: spec.y.label,
      labelAnchor: "center",
      labelArrow: "none",
      ...ticks(spec.y, ny, Math.floor(plotHeight / 13)),
    },
    color: { type: "linear", scheme, domain },
    marks,
  });
  const legend: LegendItem[] = [];
  if (cells.some((c) => !Number.isFinite(c.v))) {
    legend.push({ label: spec.missingLabel ?? "no value", color: MISSING, style: "swatch" });
  }
  if (spec.boundary) legend.push({ label: spec.boundary.label, color: BOUNDARY, style: "solid" });
  const colorbar: Colorbar = { domain, scheme, label: spec.label };
  return { svg: serializeSvg(element), width, height, legend, colorbar };
}
