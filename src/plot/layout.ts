/**
 * Figure layout: several rendered panels placed in one SVG, row by row, each with its panel
 * letter ("A", "B", …), a title and its legend or colour bar above the chart.
 *
 * @module
 */
import { escapeXml } from "./dom.ts";
import { colorbarBlock, legendBlock } from "./legend.ts";
import type { RenderedPanel } from "./panels.ts";
import { FONT_FAMILY, FONT_SIZE } from "./style.ts";

/** One cell of the figure grid. */
export interface FigurePanel {
  /** Panel letter (drawn bold at the top left); omit for a continuation of the previous panel. */
  letter?: string;
  /** Title next to the letter. */
  title?: string;
  /** The chart. */
  body: RenderedPanel;
}

/** A whole figure: rows of panels. */
export interface FigureSpec {
  /** Figure title across the top (optional). */
  title?: string;
  /** Rows of panels, laid out left to right; rows stack top to bottom. */
  rows: readonly (readonly FigurePanel[])[];
  /** Gap between panels in px (default 14). */
  gap?: number;
}

/** A composed figure. */
export interface ComposedFigure {
  /** Standalone SVG markup. */
  svg: string;
  /** Width in px. */
  width: number;
  /** Height in px. */
  height: number;
  /** The panel letters in order of appearance. */
  letters: string[];
}

const HEADER = 20;
const MARGIN = 10;

/** Header, legend and body of one panel, with its total size. */
function cellMarkup(panel: FigurePanel): { svg: string; width: number; height: number } {
  const { body } = panel;
  const parts: string[] = [];
  let y = 0;
  if (panel.letter || panel.title) {
    const letter = panel.letter
      ? `<text class="panel-letter" x="0" y="14" font-size="16" font-weight="bold">${
        escapeXml(panel.letter)
      }</text>`
      : "";
    const title = panel.title
      ? `<text class="panel-title" x="${panel.letter ? 18 : 0}" y="14" font-size="${
        FONT_SIZE + 1
      }">${escapeXml(panel.title)}</text>`
      : "";
    parts.push(letter + title);
    y += HEADER;
  }
  const legend = legendBlock(body.legend, body.width);
  if (legend.height > 0) {
    parts.push(`<g transform="translate(4,${y})">${legend.svg}</g>`);
    y += legend.height;
  }
  if (body.colorbar) {
    const bar = colorbarBlock(body.colorbar, body.width);
    parts.push(`<g transform="translate(8,${y + 2})">${bar.svg}</g>`);
    y += bar.height + 2;
  }
  parts.push(`<g transform="translate(0,${y})">${body.svg}</g>`);
  return { svg: parts.join(""), width: body.width, height: y + body.height };
}

/**
 * Composes panels into one SVG. Cells in a row are top-aligned; the figure is as wide as its
 * widest row.
 *
 * @example
 * ```ts
 * const fig = composeFigure({ rows: [[{ letter: "A", title: "Loss", body: linePanel(spec) }]] });
 * fig.svg; // "<svg xmlns=…>…</svg>"
 * ```
 */
export function composeFigure(spec: FigureSpec): ComposedFigure {
  const gap = spec.gap ?? 14;
  const parts: string[] = [];
  const letters: string[] = [];
  let y = MARGIN, width = 0;
  if (spec.title) {
    parts.push(
      `<text class="figure-title" x="${MARGIN}" y="${y + 14}" font-size="15" font-weight="bold">${
        escapeXml(spec.title)
      }</text>`,
    );
    y += 26;
  }
  for (const row of spec.rows) {
    let x = MARGIN, rowHeight = 0;
    for (const panel of row) {
      const cell = cellMarkup(panel);
      const letterAttr = panel.letter ? ` data-letter="${escapeXml(panel.letter)}"` : "";
      parts.push(`<g class="panel"${letterAttr} transform="translate(${x},${y})">${cell.svg}</g>`);
      if (panel.letter) letters.push(panel.letter);
      x += cell.width + gap;
      rowHeight = Math.max(rowHeight, cell.height);
    }
    width = Math.max(width, x - gap + MARGIN);
    y += rowHeight + gap;
  }
  const height = y - gap + MARGIN;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}" font-size="${FONT_SIZE}">` +
    `<rect width="100%" height="100%" fill="white"/>${parts.join("")}</svg>`;
  return { svg, width, height, letters };
}
