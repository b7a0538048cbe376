/**
 * The paper's plotting conventions in one place: simulation as solid coloured lines, the
 * analytical solution as black dotted lines, a categorical palette, a diverging colour scheme for
 * matrices, and the font every renderer uses.
 *
 * @module
 */

/** Categorical colours (Tableau 10), used in order for series. */
export const PALETTE = [
  "#4e79a7",
  "#e15759",
  "#59a14f",
  "#f28e2b",
  "#b07aa1",
  "#76b7b2",
  "#edc948",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
] as const;

/** The `i`-th palette colour (wrapping around). */
export function paletteColor(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

/** Stroke of a simulated (numerical) curve: solid, coloured. */
export const SIMULATION_STROKE = { strokeWidth: 1.8 } as const;

/** Stroke of an analytical curve: black, dotted, drawn on top of the simulation. */
export const THEORY_STROKE = {
  stroke: "black",
  strokeWidth: 1.6,
  strokeDasharray: "1.5,3",
  strokeLinecap: "round",
} as const;

/** Diverging colour scheme for matrices (blue negative, white zero, red positive). */
export const DIVERGING_SCHEME = "rdbu" as const;

/** Font family named in the SVGs; PNG rendering maps it to the bundled TTF. */
export const FONT_FAMILY = "Noto Sans, system-ui, sans-serif";

/** Base font size of panel text, in px. */
export const FONT_SIZE = 11;
