/**
 * The page's chart helpers that decide what is drawn (src/explorer/page/charts.ts), without a
 * browser: the y domains that keep an axis still while a slider moves, and the heatmap colour
 * lookup against d3's RdBu interpolator it samples.
 */
import { interpolateRdBu } from "d3-scale-chromatic";
import { divergingColor, niceDomain, niceTicks } from "../src/explorer/page/charts.ts";
import { assertEquals, assertOk } from "./assert.ts";

Deno.test("niceDomain: covers the data, ends on half tick steps, stays put for small moves", () => {
  const cases: [number, number][] = [[-4, 104], [0.0013, 0.0417], [-3.7, 4.2], [0.99, 1.01], [
    -1e-9,
    3e-9,
  ]];
  for (const [lo, hi] of cases) {
    const [a, b] = niceDomain(lo, hi);
    assertOk(a <= lo && b >= hi, `[${a}, ${b}] covers [${lo}, ${hi}]`);
    const ticks = niceTicks(a, b);
    const step = ticks.length > 1 ? ticks[1] - ticks[0] : 0;
    // Widened by less than one half step on each side, and ending on half steps (to rounding).
    for (const [end, data] of [[a, lo], [b, hi]]) {
      assertOk(Math.abs(end - data) < step / 2 + 1e-12 * step, `${end} within half a step`);
      const k = end / (step / 2);
      assertOk(Math.abs(k - Math.round(k)) < 1e-6, `${end} is a multiple of ${step / 2}`);
    }
  }
  // A data range that moves by 1% keeps its domain (so the axis is not rebuilt) …
  assertEquals(niceDomain(-4.1, 104.3), niceDomain(-4, 104));
  // … and a degenerate one is returned as it is.
  assertEquals(niceDomain(2, 2), [2, 2]);
});

Deno.test("divergingColor: RdBu at the ends and the middle, within one colour level between", () => {
  assertEquals(divergingColor(-3, 3), interpolateRdBu(1)); // blue for negative
  assertEquals(divergingColor(3, 3), interpolateRdBu(0)); // red for positive
  assertEquals(divergingColor(0, 3), interpolateRdBu(0.5)); // white at 0
  assertEquals(divergingColor(1, 0), interpolateRdBu(0.5)); // all-zero matrix
  const rgb = (s: string) => s.match(/\d+/g)!.map(Number);
  let worst = 0;
  for (let k = 0; k <= 4000; k++) {
    const v = -1 + (2 * k) / 4000;
    const want = rgb(interpolateRdBu((1 - v) / 2)), got = rgb(divergingColor(v, 1));
    worst = Math.max(worst, ...want.map((w, i) => Math.abs(w - got[i])));
  }
  assertOk(worst <= 1, `largest difference ${worst} colour levels`);
});
