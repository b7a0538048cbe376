/**
 * An independent reference for gradient flow of a depth-L linear network (MATH.md, "Deeper
 * networks"): `τ dW_l/dt = (W_L ⋯ W_{l+1})ᵀ E (W_{l−1} ⋯ W_1)ᵀ`, `E = Σyx − W Σxx`, integrated
 * by the Dormand–Prince 5(4) pair with local extrapolation and step-size control on the
 * embedded error (relative to `max(1, max|state|)`). Plain arrays and loops only: it shares no
 * code with the library. With `tol = 1e-14` the global error on the problems of the tests is
 * near 1e-13 (checked there by halving `tol`).
 *
 * @module
 */

/** Rows as arrays. */
export type Rows = number[][];

function mul(a: Rows, b: Rows): Rows {
  return a.map((row) => b[0].map((_, j) => row.reduce((acc, v, k) => acc + v * b[k][j], 0)));
}

function tr(a: Rows): Rows {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

function eye(n: number): Rows {
  return Array.from(
    { length: n },
    (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
}

/** `W_b ⋯ W_a` (0-based, inclusive) applied to an identity of size `n` when empty. */
function chain(ws: Rows[], a: number, b: number, n: number): Rows {
  let p = eye(n);
  for (let l = a; l <= b; l++) p = mul(ws[l], p);
  return p;
}

function rhs(ws: Rows[], syx: Rows, sxx: Rows, tau: number): Rows[] {
  const depth = ws.length, ni = ws[0][0].length;
  const w = chain(ws, 0, depth - 1, ni);
  const ws2 = mul(w, sxx);
  const e = syx.map((row, i) => row.map((v, j) => v - ws2[i][j]));
  return ws.map((wl, l) => {
    const a = chain(ws, l + 1, depth - 1, wl.length);
    const b = chain(ws, 0, l - 1, ni);
    return mul(mul(tr(a), e), tr(b)).map((row) => row.map((v) => v / tau));
  });
}

const A = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

function flat(ws: Rows[]): number[] {
  return ws.flatMap((w) => w.flat());
}

function unflat(x: number[], shapes: [number, number][]): Rows[] {
  let o = 0;
  return shapes.map(([r, c]) =>
    Array.from({ length: r }, () => Array.from({ length: c }, () => x[o++]))
  );
}

/**
 * The layers at each of `times` (ascending, ≥ 0) under gradient flow from `ws0`.
 * @param sxx `Σxx` (identity when omitted)
 */
export function integrateDeepFlow(
  syx: Rows,
  ws0: Rows[],
  times: number[],
  options: { sxx?: Rows; tau?: number; tol?: number } = {},
): Rows[][] {
  const tau = options.tau ?? 1, tol = options.tol ?? 1e-14;
  const sxx = options.sxx ?? eye(ws0[0][0].length);
  const shapes = ws0.map((w) => [w.length, w[0].length] as [number, number]);
  const f = (x: number[]) => flat(rhs(unflat(x, shapes), syx, sxx, tau));
  let y = flat(ws0), t = 0, h = 1e-3 * tau;
  const out: Rows[][] = [];
  for (const target of times) {
    while (t < target) {
      const step = Math.min(h, target - t);
      const k: number[][] = [];
      for (let s = 0; s < 7; s++) {
        const ys = y.map((v, i) => v + step * A[s].reduce((acc, a, j) => acc + a * k[j][i], 0));
        k.push(f(ys));
      }
      const y5 = y.map((v, i) => v + step * B5.reduce((acc, b, j) => acc + b * k[j][i], 0));
      const err = Math.max(
        ...y.map((_, i) =>
          Math.abs(step * B5.reduce((acc, b, j) => acc + (b - B4[j]) * k[j][i], 0))
        ),
      );
      const scale = Math.max(1, ...y5.map(Math.abs));
      const ratio = err / (tol * scale);
      if (ratio <= 1) {
        y = y5;
        t += step;
      }
      h = step * Math.min(4, Math.max(0.2, 0.9 * Math.pow(Math.max(ratio, 1e-10), -0.2)));
    }
    out.push(unflat(y, shapes));
  }
  return out;
}
