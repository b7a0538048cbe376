/**
 * A drawn (not computed) panel: the two-layer network schematic of paper Fig. 1A.
 *
 * @module
 */
import type { RenderedPanel } from "../plot/panels.ts";
import { FONT_SIZE } from "../plot/style.ts";

/**
 * Circles for `Ni` input, `Nh` hidden and `No` output units in three columns, all-to-all lines
 * between neighbouring layers, and the labels `W1`, `W2`.
 */
export function networkSchematic(
  ni: number,
  nh: number,
  no: number,
  width = 200,
  height = 200,
): RenderedPanel {
  const cols = [ni, nh, no];
  const xs = [30, width / 2, width - 30];
  const pos = cols.map((n, c) =>
    Array.from({ length: n }, (_, i) => ({ x: xs[c], y: 30 + ((i + 0.5) * (height - 60)) / n }))
  );
  const lines: string[] = [];
  for (let c = 0; c < 2; c++) {
    for (const a of pos[c]) {
      for (const b of pos[c + 1]) {
        lines.push(
          `<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="#999" stroke-width="0.8"/>`,
        );
      }
    }
  }
  const fills = ["#4e79a7", "#bab0ac", "#e15759"];
  const circles = pos.flatMap((col, c) =>
    col.map((p) => `<circle cx="${p.x}" cy="${p.y}" r="7" fill="${fills[c]}" stroke="black"/>`)
  );
  const label = (x: number, text: string) =>
    `<text x="${x}" y="${height - 8}" text-anchor="middle" font-size="${FONT_SIZE}">${text}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    lines.join("") + circles.join("") +
    label(xs[0], `x (Ni = ${ni})`) + label(xs[1], `h (Nh = ${nh})`) +
    label(xs[2], `ŷ (No = ${no})`) +
    `<text x="${(xs[0] + xs[1]) / 2}" y="18" text-anchor="middle" font-size="${
      FONT_SIZE + 1
    }">W1</text>` +
    `<text x="${(xs[1] + xs[2]) / 2}" y="18" text-anchor="middle" font-size="${
      FONT_SIZE + 1
    }">W2</text>` +
    `</svg>`;
  return { svg, width, height, legend: [] };
}
