/// <reference lib="dom" />
/**
 * Live SVG charts of the explorer: line charts (simulation solid and coloured, analytical black
 * dotted, as in the figures) and heatmaps (the figures' diverging RdBu scale, blue negative, red
 * positive, symmetric about 0). The figure scripts render static SVG once through Observable Plot;
 * here a chart keeps its DOM nodes and only rewrites their geometry, so a redraw fits in a frame
 * while a slider moves. Styles come from the same module as the figures' (src/plot/style.ts).
 *
 * @module
 */
import { interpolateRdBu } from "d3-scale-chromatic";
import type { Curve } from "../../figures/curves.ts";
import type { Matrix } from "../../matrix.ts";
import { FONT_FAMILY, SIMULATION_STROKE, THEORY_STROKE } from "../../plot/style.ts";
import { formatTick } from "../../plot/ticks.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const W = 280, H = 210;
const M = { left: 50, right: 8, top: 10, bottom: 38 };

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

/**
 * A `w × h` plot as two layers in `parent`: a canvas (at twice the resolution, for the data) under
 * an SVG with that `viewBox` (for text, axes and marks), the SVG carrying the accessible name.
 */
function layeredPlot(
  parent: Element,
  w: number,
  h: number,
  title: string,
): [HTMLCanvasElement, SVGSVGElement] {
  const box = document.createElement("div");
  box.className = "plot";
  parent.appendChild(box);
  const canvas = document.createElement("canvas");
  canvas.width = 2 * w;
  canvas.height = 2 * h;
  canvas.setAttribute("aria-hidden", "true");
  box.appendChild(canvas);
  const svg = el("svg", {
    viewBox: `0 0 ${w} ${h}`,
    role: "img",
    "aria-label": title,
    "font-family": FONT_FAMILY,
    "font-size": 12,
  }, box);
  return [canvas, svg];
}

/** The tick step for about `count` ticks over `[lo, hi]`: 1, 2 or 5 times a power of ten. */
function niceStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
}

/**
 * `[lo, hi]` widened to multiples of half its tick step: the axis of a chart whose data move a
 * little (a slider being dragged) stays put, so its ticks are not rebuilt on every frame.
 */
export function niceDomain(lo: number, hi: number, count = 5): [number, number] {
  if (!(hi > lo)) return [lo, hi];
  const half = niceStep(lo, hi, count) / 2;
  return [Math.floor(lo / half) * half, Math.ceil(hi / half) * half];
}

/** About `count` round tick values covering `[lo, hi]` (steps 1, 2 or 5 times a power of ten). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(lo, hi, count);
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return ticks;
}

/**
 * A line chart whose curves and time cursor can be redrawn cheaply: axes, labels and cursor are
 * SVG; the curves are drawn on a canvas under them (hundreds of curves redraw in well under a
 * millisecond, where as many SVG paths cost a re-layout), and become SVG paths only for export.
 */
export class LineChart {
  /** The chart's `<svg>` (axes, labels, cursor). */
  readonly svg: SVGSVGElement;
  #canvas: HTMLCanvasElement;
  #axes: SVGGElement;
  #cursor: SVGLineElement;
  #axesKey = "";
  #curves: readonly Curve[] = [];
  #x: (v: number) => number = () => 0;
  #y: (v: number) => number = () => 0;

  constructor(parent: Element, title: string, xLabel: string, yLabel: string) {
    [this.#canvas, this.svg] = layeredPlot(parent, W, H, title);
    this.#axes = el("g", {}, this.svg);
    this.#cursor = el("line", {
      y1: M.top,
      y2: H - M.bottom,
      stroke: "#888",
      "stroke-width": 1,
      "stroke-dasharray": "4,3",
    }, this.svg);
    const xl = el(
      "text",
      { x: (M.left + W - M.right) / 2, y: H - 4, "text-anchor": "middle" },
      this.svg,
    );
    xl.textContent = xLabel;
    const yl = el("text", {
      transform: `translate(12,${(M.top + H - M.bottom) / 2}) rotate(-90)`,
      "text-anchor": "middle",
    }, this.svg);
    yl.textContent = yLabel;
  }

  /** Draws `curves` (simulation first, then analytical on top) over `[0, xMax]`. */
  update(curves: readonly Curve[], xMax: number): void {
    let lo = Infinity, hi = -Infinity;
    for (const c of curves) {
      for (const v of c.y) {
        if (Number.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!(hi >= lo)) lo = hi = 0;
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
      lo -= 0.5 * Math.max(1e-12, Math.abs(lo));
      hi += 0.5 * Math.max(1e-12, Math.abs(hi));
    }
    const pad = 0.04 * (hi - lo);
    [lo, hi] = niceDomain(lo - pad, hi + pad);
    const x = (v: number) => M.left + (v / xMax) * (W - M.left - M.right);
    const y = (v: number) => H - M.bottom - ((v - lo) / (hi - lo)) * (H - M.top - M.bottom);
    this.#x = x;
    this.#y = y;
    this.#curves = [
      ...curves.filter((c) => c.source === "simulation"),
      ...curves.filter((c) => c.source === "theory"),
    ];
    this.#drawAxes(niceTicks(0, xMax), niceTicks(lo, hi), x, y);
    const ctx = this.#canvas.getContext("2d")!;
    ctx.setTransform(2, 0, 0, 2, 0, 0);
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, W, H);
    ctx.save();
    ctx.beginPath();
    ctx.rect(M.left, M.top, W - M.left - M.right, H - M.top - M.bottom);
    ctx.clip();
    // One path per stroke style (a colour of the simulation, then the analytical curves), each
    // stroked once: 128 strokes of 121 points each were most of a W2W1 chart's redraw. Within
    // a style the order of the curves is not visible; the analytical curves stay on top.
    const ax = (W - M.left - M.right) / xMax, ay = (H - M.top - M.bottom) / (hi - lo);
    const color = (c: Curve) => c.source === "theory" ? "theory" : c.color ?? "#4e79a7";
    const sims = this.#curves.filter((c) => c.source === "simulation");
    const colors = [...new Set(sims.map(color))];
    const byStyle = [
      ...colors.flatMap((k) => sims.filter((c) => color(c) === k)),
      ...this.#curves.filter((c) => c.source === "theory"),
    ];
    let style = "";
    for (const c of byStyle) {
      const theory = c.source === "theory";
      const next = color(c);
      if (next !== style) {
        if (style) ctx.stroke();
        style = next;
        ctx.strokeStyle = theory ? THEORY_STROKE.stroke : next;
        ctx.lineWidth = theory ? THEORY_STROKE.strokeWidth : SIMULATION_STROKE.strokeWidth;
        ctx.setLineDash(theory ? THEORY_STROKE.strokeDasharray.split(",").map(Number) : []);
        ctx.lineCap = theory ? THEORY_STROKE.strokeLinecap : "butt";
        ctx.beginPath();
      }
      let pen = false;
      for (let k = 0; k < c.x.length; k++) {
        const v = c.y[k];
        if (!Number.isFinite(v)) {
          pen = false;
          continue;
        }
        const px = M.left + c.x[k] * ax, py = H - M.bottom - (v - lo) * ay;
        if (pen) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        pen = true;
      }
    }
    if (style) ctx.stroke();
    ctx.restore();
  }

  /** Moves the time cursor to `t/τ = v`. */
  setCursor(v: number): void {
    const x = this.#x(v).toFixed(1);
    this.#cursor.setAttribute("x1", x);
    this.#cursor.setAttribute("x2", x);
  }

  /** A standalone copy of the chart with its curves as SVG paths (for export). */
  exportSvg(): SVGSVGElement {
    const copy = this.svg.cloneNode(true) as SVGSVGElement;
    const lines = el("g", { fill: "none" });
    copy.insertBefore(lines, copy.firstChild);
    copy.insertBefore(el("rect", { width: W, height: H, fill: "white" }), lines);
    const r = (v: number) => Math.round(v * 10) / 10;
    for (const c of this.#curves) {
      let d = "", pen = "M";
      for (let k = 0; k < c.x.length; k++) {
        if (!Number.isFinite(c.y[k])) {
          pen = "M";
          continue;
        }
        d += `${pen}${r(this.#x(c.x[k]))},${r(this.#y(c.y[k]))}`;
        pen = "L";
      }
      const theory = c.source === "theory";
      el("path", {
        d,
        stroke: theory ? THEORY_STROKE.stroke : c.color ?? "#4e79a7",
        "stroke-width": theory ? THEORY_STROKE.strokeWidth : SIMULATION_STROKE.strokeWidth,
        ...(theory
          ? {
            "stroke-dasharray": THEORY_STROKE.strokeDasharray,
            "stroke-linecap": THEORY_STROKE.strokeLinecap,
          }
          : {}),
      }, lines);
    }
    return copy;
  }

  #drawAxes(
    xt: number[],
    yt: number[],
    x: (v: number) => number,
    y: (v: number) => number,
  ): void {
    // Rebuilt only when the ticks or their positions change (not on every frame of a slider).
    // Both values and positions: 0…4 and 0…8 put five x ticks at the same places.
    const key = `${xt.join()}|${xt.map(x).join()}|${yt.join()}|${yt.map(y).join()}`;
    if (key === this.#axesKey) return;
    this.#axesKey = key;
    const g = this.#axes;
    g.replaceChildren();
    const x0 = M.left, x1 = W - M.right, y0 = H - M.bottom, y1 = M.top;
    for (const v of yt) {
      const py = y(v);
      el("line", { x1: x0, x2: x1, y1: py, y2: py, stroke: "#000", "stroke-opacity": 0.08 }, g);
    }
    el("path", { d: `M${x0},${y1}V${y0}H${x1}`, stroke: "black", fill: "none" }, g);
    for (const v of xt) {
      const px = x(v);
      el("line", { x1: px, x2: px, y1: y0, y2: y0 + 4, stroke: "black" }, g);
      const t = el("text", { x: px, y: y0 + 15, "text-anchor": "middle" }, g);
      t.textContent = formatTick(v);
    }
    for (const v of yt) {
      const py = y(v);
      el("line", { x1: x0 - 4, x2: x0, y1: py, y2: py, stroke: "black" }, g);
      const t = el("text", { x: x0 - 6, y: py + 3.5, "text-anchor": "end" }, g);
      t.textContent = formatTick(v);
    }
  }
}

/**
 * The figures' diverging scale (d3's RdBu) sampled at 1 025 evenly spaced points: a heatmap
 * redraw looks its colours up instead of interpolating and formatting one per cell. Half a
 * step is 1/2048 of the scale, under one 8-bit colour level.
 */
const RDBU = Array.from({ length: 1025 }, (_, k) => interpolateRdBu(k / 1024));

/** Colour of `v` on the figures' diverging scale over `[-m, m]` (blue negative, red positive). */
export function divergingColor(v: number, m: number): string {
  const u = m > 0 ? (1 - v / m) / 2 : 0.5;
  return RDBU[Number.isFinite(u) ? Math.round(Math.min(1, Math.max(0, u)) * 1024) : 512];
}

const HS = 180, HM = { left: 62, top: 6, bottom: 38, right: 6 };

/**
 * A heatmap of a matrix with a colour bar: cells on a canvas under the SVG of labels and bar (a
 * 48×48 matrix is 2 304 cells; as SVG rectangles they cost a re-layout on every frame), drawn as
 * SVG rectangles only for export.
 */
export class Heatmap {
  /** The heatmap's `<svg>` (labels, colour bar). */
  readonly svg: SVGSVGElement;
  #canvas: HTMLCanvasElement;
  #labels: SVGGElement;
  #bar: SVGGElement;
  #shape = "";
  #matrix?: Matrix;
  #big = 0;

  constructor(parent: Element, title: string) {
    [this.#canvas, this.svg] = layeredPlot(
      parent,
      HS + HM.left + HM.right,
      HS + HM.top + HM.bottom,
      title,
    );
    this.#labels = el("g", {}, this.svg);
    this.#bar = el("g", {}, this.svg);
  }

  /** The matrix drawn last (what the colours show). */
  get matrix(): Matrix | undefined {
    return this.#matrix;
  }

  /** A standalone copy of the heatmap with its cells as SVG rectangles (for export). */
  exportSvg(): SVGSVGElement {
    const copy = this.svg.cloneNode(true) as SVGSVGElement;
    const cells = el("g", {});
    copy.insertBefore(cells, copy.firstChild);
    copy.insertBefore(el("rect", { width: "100%", height: "100%", fill: "white" }), cells);
    const m = this.#matrix;
    if (m) {
      const cell = HS / Math.max(m.rows, m.cols);
      for (let e = 0; e < m.data.length; e++) {
        const i = Math.floor(e / m.cols), j = e % m.cols;
        el("rect", {
          x: HM.left + j * cell,
          y: HM.top + i * cell,
          width: cell + 0.3,
          height: cell + 0.3,
          fill: divergingColor(m.data[e], this.#big),
        }, cells);
      }
    }
    return copy;
  }

  /** Draws `m` (labels name its rows and columns, e.g. items). */
  update(m: Matrix, labels?: readonly string[]): void {
    const { rows, cols } = m;
    const cell = HS / Math.max(rows, cols);
    const shape = `${rows}x${cols}:${labels?.join() ?? ""}`;
    if (shape !== this.#shape) {
      this.#shape = shape;
      this.#labels.replaceChildren();
      if (labels && rows <= 16) {
        labels.forEach((name, i) => {
          const t = el("text", {
            x: HM.left - 3,
            y: HM.top + (i + 0.5) * cell + 3,
            "text-anchor": "end",
          }, this.#labels);
          t.textContent = name;
        });
      }
    }
    let big = 0;
    for (const v of m.data) big = Math.max(big, Math.abs(v));
    this.#matrix = m;
    this.#big = big;
    const ctx = this.#canvas.getContext("2d")!;
    ctx.setTransform(2, 0, 0, 2, 0, 0);
    ctx.fillStyle = "white";
    ctx.fillRect(0, 0, HS + HM.left + HM.right, HS + HM.top + HM.bottom);
    for (let e = 0; e < m.data.length; e++) {
      ctx.fillStyle = divergingColor(m.data[e], big);
      // A quarter pixel of overlap hides the seams between cells.
      ctx.fillRect(
        HM.left + (e % cols) * cell,
        HM.top + Math.floor(e / cols) * cell,
        cell + 0.25,
        cell + 0.25,
      );
    }
    this.#drawBar(big, rows * cell);
  }

  #drawBar(big: number, top: number): void {
    const g = this.#bar;
    const y = HM.top + top + 8, x0 = HM.left, w = HS;
    if (g.dataset.top !== String(top)) {
      // The bar's colours do not depend on the data (it always spans −m … m): built once per
      // layout; only its three labels change.
      g.dataset.top = String(top);
      g.replaceChildren();
      const steps = 24;
      for (let k = 0; k < steps; k++) {
        el("rect", {
          x: x0 + (k * w) / steps,
          y,
          width: w / steps + 0.3,
          height: 8,
          fill: divergingColor(-1 + (2 * (k + 0.5)) / steps, 1),
        }, g);
      }
      for (const [anchor, px] of [["start", x0], ["middle", x0 + w / 2], ["end", x0 + w]]) {
        el("text", { x: px, y: y + 20, "text-anchor": anchor, class: "bar-label" }, g);
      }
    }
    const labels = g.querySelectorAll("text");
    [-big, 0, big].forEach((v, k) => {
      const text = formatTick(Number(v.toPrecision(3)));
      if (labels[k].textContent !== text) labels[k].textContent = text;
    });
  }
}
