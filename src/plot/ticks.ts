/**
 * Tick placement and labels readable in every renderer: powers of ten as `10⁻³` on log axes, and
 * compact decimal labels elsewhere.
 *
 * @module
 */

const SUPERSCRIPT: Record<string, string> = {
  "-": "⁻",
  "0": "⁰",
  "1": "¹",
  "2": "²",
  "3": "³",
  "4": "⁴",
  "5": "⁵",
  "6": "⁶",
  "7": "⁷",
  "8": "⁸",
  "9": "⁹",
};

/** `10ᵏ` written with superscript digits, e.g. `powerOfTen(-3)` → `"10⁻³"`. */
export function powerOfTen(k: number): string {
  if (k === 0) return "1";
  if (k === 1) return "10";
  return "10" + String(k).split("").map((c) => SUPERSCRIPT[c]).join("");
}

/**
 * A short label for a tick value: powers of ten as `10ᵏ`, otherwise up to 3 significant digits
 * (`"0.25"`, `"1.5e+4"` for large magnitudes).
 */
export function formatTick(v: number): string {
  if (v === 0) return "0";
  const k = Math.log10(Math.abs(v));
  if (Number.isInteger(Math.round(k * 1e9) / 1e9) && Math.abs(k) >= 3) {
    return (v < 0 ? "−" : "") + powerOfTen(Math.round(k));
  }
  const a = Math.abs(v);
  const s = a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
  return s.replace("-", "−");
}

/**
 * Ticks for a log axis over `[lo, hi]` (both > 0): every power of ten inside, thinned to at most
 * `maxTicks`; when the range holds fewer than two powers, `null` (let Plot choose).
 */
export function logTicks(lo: number, hi: number, maxTicks = 7): number[] | null {
  const k0 = Math.ceil(Math.log10(lo) - 1e-9), k1 = Math.floor(Math.log10(hi) + 1e-9);
  if (!(k1 > k0)) return null;
  const stride = Math.max(1, Math.ceil((k1 - k0 + 1) / maxTicks));
  const ticks: number[] = [];
  for (let k = k0; k <= k1; k += stride) ticks.push(10 ** k);
  return ticks;
}

/** Label of a log-axis tick: `10ᵏ` for powers of ten. */
export function formatLogTick(v: number): string {
  const k = Math.round(Math.log10(v));
  return Math.abs(v / 10 ** k - 1) < 1e-9 ? powerOfTen(k) : formatTick(v);
}

/**
 * Ticks for a linear axis over `[lo, hi]`: multiples of a step `{1, 2, 5}·10ᵏ` giving 4 to 8
 * ticks, the step whose outer ticks waste the least of the axis (the larger step on a tie), and
 * the domain widened to those outer ticks so that every point lies inside the frame. A
 * zero-width range is widened around its value first.
 *
 * @example
 * ```ts
 * linearTicks(-3.65, 3.97); // { ticks: [-4, -2, 0, 2, 4], domain: [-4, 4] }
 * ```
 */
export function linearTicks(lo: number, hi: number): { ticks: number[]; domain: [number, number] } {
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.5;
    [lo, hi] = [lo - pad, hi + pad];
  }
  const k = Math.floor(Math.log10(hi - lo));
  const bounds = (s: number) => [Math.floor(lo / s + 1e-9), Math.ceil(hi / s - 1e-9)];
  let step = NaN, best = -1;
  for (const s of [10, 5, 2, 1, 0.5, 0.2, 0.1, 0.05].map((m) => m * 10 ** k)) {
    const [a, b] = bounds(s);
    const coverage = (hi - lo) / ((b - a) * s);
    if (b - a + 1 >= 4 && b - a + 1 <= 8 && coverage > best + 1e-9) [step, best] = [s, coverage];
  }
  const [first, last] = bounds(step);
  // Integer multiples of the step, rounded to the step's precision (no 0.30000000000000004).
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(digits)));
  return { ticks, domain: [ticks[0], ticks[ticks.length - 1]] };
}
