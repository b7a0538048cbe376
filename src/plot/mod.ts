/**
 * Plotting: Observable Plot rendered headless (linkedom) to SVG, panels with the paper's
 * conventions, multi-panel figure layout, and PNG through resvg with a bundled font.
 * Kept out of `src/mod.ts` so that the numerical library does not load the plotting stack.
 *
 * @example
 * ```ts
 * import { composeFigure, linePanel, svgToPng } from "./src/plot/mod.ts";
 * const body = linePanel({
 *   series: [{ name: "loss", source: "simulation", points: [{ x: 0, y: 1 }, { x: 1, y: 0.5 }] }],
 *   x: { label: "t/τ" },
 *   y: { label: "loss", type: "log" },
 * });
 * const fig = composeFigure({ rows: [[{ letter: "A", title: "Loss", body }]] });
 * const png = await svgToPng(fig.svg);
 * ```
 *
 * @module
 */
export * from "./panels.ts";
export * from "./layout.ts";
export * from "./legend.ts";
export { svgToPng } from "./png.ts";
export type { PngOptions } from "./png.ts";
export { PALETTE, paletteColor } from "./style.ts";
