/**
 * Legends drawn as plain SVG (Plot's own swatch legends are HTML, and its continuous colour
 * ramps need a canvas): line/marker keys for series and a colour bar for heatmaps.
 *
 * @module
 */
import * as Plot from "@observablehq/plot";
import { escapeXml } from "./dom.ts";
import { FONT_SIZE } from "./style.ts";
import { formatTick } from "./ticks.ts";

/**
 * How a legend key is drawn: a line, a marker, a filled swatch, or `"palette"`: short solid
 * segments in several colours (curves whose colour encodes which entry or unit they show).
 */
export type LegendStyle = "solid" | "dotted" | "dashed" | "marker" | "swatch" | "palette";

/** One legend key: a label and the look of its mark. */
export interface LegendItem {
  /** Text next to the key. */
  label: string;
  /** Stroke or fill colour. */
  color: string;
  /** Line style or marker. */
  style: LegendStyle;
  /** `"marker"`: the plotted symbol (Plot's names: circle, square, triangle, …; default circle). */
  symbol?: string;
  /** `"palette"`: the colours shown (default just `color`). */
  colors?: readonly string[];
}

/** A continuous colour scale shown as a bar with tick labels. */
export interface Colorbar {
  /** `[min, max]` of the scale. */
  domain: [number, number];
  /** Plot colour scheme name (e.g. `"rdbu"`). */
  scheme: Plot.ColorScheme;
  /** Reverse the scheme (so that, for `rdbu`, positive values are red). */
  reverse?: boolean;
  /** Label after the bar, e.g. the quantity and its unit. */
  label?: string;
}

/** A drawn legend fragment: SVG markup at the origin, and the height it takes. */
export interface LegendBlock {
  /** SVG markup (a `<g>`), positioned by the caller. */
  svg: string;
  /** Height in px. */
  height: number;
}

const KEY_WIDTH = 22;
const ROW_HEIGHT = FONT_SIZE + 5;
/** Rough advance width of the UI font per character, for wrapping legend rows. */
const CHAR_WIDTH = FONT_SIZE * 0.58;

function keyMark(item: LegendItem, y: number): string {
  const c = escapeXml(item.color);
  const line = (dash: string) =>
    `<line x1="0" x2="${KEY_WIDTH - 4}" y1="${y}" y2="${y}" stroke="${c}" stroke-width="2"` +
    `${dash ? ` stroke-dasharray="${dash}" stroke-linecap="round"` : ""}/>`;
  switch (item.style) {
    case "solid":
      return line("");
    case "dotted":
      return line("1.5,3");
    case "dashed":
      return line("5,3");
    case "marker":
      return symbolMark(item.symbol ?? "circle", (KEY_WIDTH - 4) / 2, y, c);
    case "swatch":
      return `<rect x="2" y="${y - 5}" width="${KEY_WIDTH - 8}" height="10" fill="${c}"/>`;
    case "palette": {
      const colors = item.colors?.length ? item.colors.slice(0, 4) : [item.color];
      const w = (KEY_WIDTH - 4) / colors.length;
      return colors.map((col, k) =>
        `<line x1="${(k * w).toFixed(1)}" x2="${((k + 1) * w).toFixed(1)}" y1="${y}" y2="${y}" ` +
        `stroke="${escapeXml(col)}" stroke-width="2.5"/>`
      ).join("");
    }
  }
}

/** An outlined marker shaped like Plot's symbol of the same name, centred at `(x, y)`. */
function symbolMark(symbol: string, x: number, y: number, color: string): string {
  const r = 3.5, style = `fill="none" stroke="${color}" stroke-width="1.4"`;
  switch (symbol) {
    case "square":
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}" ${style}/>`;
    case "triangle":
      return `<path d="M${x},${y - r - 0.5}L${x + r + 0.5},${y + r - 0.5}L${x - r - 0.5},${
        y + r - 0.5
      }Z" ${style}/>`;
    case "diamond":
      return `<path d="M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${
        x - r - 1
      },${y}Z" ${style}/>`;
    case "times":
    case "cross":
      return `<path d="M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}" ` +
        `stroke="${color}" stroke-width="2"/>`;
    default:
      return `<circle cx="${x}" cy="${y}" r="${r}" ${style}/>`;
  }
}

/**
 * Lays out legend keys in rows that fit `maxWidth`.
 */
export function legendBlock(items: readonly LegendItem[], maxWidth: number): LegendBlock {
  if (items.length === 0) return { svg: "", height: 0 };
  const parts: string[] = [];
  let x = 0, row = 0;
  for (const item of items) {
    const w = KEY_WIDTH + item.label.length * CHAR_WIDTH + 12;
    if (x > 0 && x + w > maxWidth) {
      x = 0;
      row += 1;
    }
    const y = row * ROW_HEIGHT + ROW_HEIGHT / 2;
    parts.push(
      `<g class="legend-item" transform="translate(${x.toFixed(1)},0)">${keyMark(item, y)}` +
        `<text x="${KEY_WIDTH}" y="${y}" dy="0.35em" font-size="${FONT_SIZE}">` +
        `${escapeXml(item.label)}</text></g>`,
    );
    x += w;
  }
  return {
    svg: `<g class="legend">${parts.join("")}</g>`,
    height: (row + 1) * ROW_HEIGHT + 2,
  };
}

/**
 * A horizontal colour bar of `width` px for a continuous scale, with ticks at both ends and zero
 * (when inside the domain).
 */
export function colorbarBlock(bar: Colorbar, width: number): LegendBlock {
  const scale = Plot.scale({
    color: { type: "linear", scheme: bar.scheme, domain: bar.domain, reverse: bar.reverse },
  });
  const steps = 64;
  const barWidth = Math.max(60, Math.min(width - 24, 220));
  const [lo, hi] = bar.domain;
  const cells: string[] = [];
  for (let i = 0; i < steps; i++) {
    const v = lo + ((i + 0.5) / steps) * (hi - lo);
    cells.push(
      `<rect x="${((i * barWidth) / steps).toFixed(2)}" y="0" width="${
        (barWidth / steps + 0.6).toFixed(2)
      }" height="9" fill="${scale.apply(v)}"/>`,
    );
  }
  const ticks = [lo, hi];
  if (lo < 0 && hi > 0) ticks.splice(1, 0, 0);
  const tickMarks = ticks.map((v) => {
    const x = ((v - lo) / (hi - lo)) * barWidth;
    return `<line x1="${x}" x2="${x}" y1="9" y2="12" stroke="black"/>` +
      `<text x="${x}" y="21" text-anchor="middle" font-size="${FONT_SIZE - 1}">${
        escapeXml(formatTick(v))
      }</text>`;
  }).join("");
  const label = bar.label
    ? `<text x="0" y="-4" font-size="${FONT_SIZE}">${escapeXml(bar.label)}</text>`
    : "";
  const top = bar.label ? FONT_SIZE + 4 : 0;
  return {
    svg: `<g class="colorbar"><g transform="translate(0,${top})">${
      cells.join("")
    }${tickMarks}${label}</g></g>`,
    height: 26 + top,
  };
}
