/**
 * Decimal matrix arithmetic (products, sums, elementwise functions, blocks) at the working
 * precision of a `DecimalContext`. Every operation rounds each result to the context's
 * precision (working digits + guard digits).
 *
 * @module
 */
import type { Decimal } from "../npm/decimal.ts";
import { ShapeError } from "../errors.ts";
import { type DecimalContext, DecimalMatrix } from "./decimal_context.ts";

/** `n × n` identity. */
export function identity(ctx: DecimalContext, n: number): DecimalMatrix {
  const data: Decimal[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data.push(new ctx.D(i === j ? 1 : 0));
  return new DecimalMatrix(n, n, data);
}

/** `rows × cols` zeros. */
export function zeros(ctx: DecimalContext, rows: number, cols: number): DecimalMatrix {
  return new DecimalMatrix(rows, cols, new Array(rows * cols).fill(new ctx.D(0)));
}

/** `aᵀ`. */
export function transpose(a: DecimalMatrix): DecimalMatrix {
  const data: Decimal[] = [];
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) data.push(a.get(i, j));
  return new DecimalMatrix(a.cols, a.rows, data);
}

function requireSameShape(a: DecimalMatrix, b: DecimalMatrix, what: string): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${what}: shapes ${a.rows}×${a.cols} and ${b.rows}×${b.cols} differ`);
  }
}

/** Elementwise `f(a_ij, b_ij)` for equal shapes. @throws {ShapeError} */
export function zipWith(
  a: DecimalMatrix,
  b: DecimalMatrix,
  what: string,
  f: (x: Decimal, y: Decimal) => Decimal,
): DecimalMatrix {
  requireSameShape(a, b, what);
  return new DecimalMatrix(a.rows, a.cols, a.data.map((x, k) => f(x, b.data[k])));
}

/** Elementwise `f(a_ij)`. */
export function map(a: DecimalMatrix, f: (x: Decimal) => Decimal): DecimalMatrix {
  return new DecimalMatrix(a.rows, a.cols, a.data.map(f));
}

/**
 * `op(a) · op(b)`, `op` transposing when its flag is set. Zero entries of `op(a)` are skipped
 * (the exact formulas multiply by block matrices such as `F` that are half zeros).
 * @throws {ShapeError} when the inner dimensions differ
 */
export function matmul(
  ctx: DecimalContext,
  a: DecimalMatrix,
  b: DecimalMatrix,
  transA = false,
  transB = false,
): DecimalMatrix {
  const [m, ka] = transA ? [a.cols, a.rows] : [a.rows, a.cols];
  const [kb, n] = transB ? [b.cols, b.rows] : [b.rows, b.cols];
  if (ka !== kb) {
    throw new ShapeError(
      `matmul: inner dimensions differ: op(a) is ${m}×${ka}, op(b) is ${kb}×${n}`,
    );
  }
  const A = (i: number, k: number) => transA ? a.data[k * a.cols + i] : a.data[i * a.cols + k];
  const B = (k: number, j: number) => transB ? b.data[j * b.cols + k] : b.data[k * b.cols + j];
  const zero = new ctx.D(0);
  const out: Decimal[] = new Array(m * n).fill(zero);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < ka; k++) {
      const aik = A(i, k);
      if (aik.isZero()) continue;
      for (let j = 0; j < n; j++) {
        const bkj = B(k, j);
        if (!bkj.isZero()) out[i * n + j] = out[i * n + j].plus(aik.times(bkj));
      }
    }
  }
  return new DecimalMatrix(m, n, out);
}

/** `‖a‖_∞ = max_i Σ_j |a_ij|` (maximum row sum). */
export function normInf(ctx: DecimalContext, a: DecimalMatrix): Decimal {
  let best = new ctx.D(0);
  for (let i = 0; i < a.rows; i++) {
    let s = new ctx.D(0);
    for (let j = 0; j < a.cols; j++) s = s.plus(a.get(i, j).abs());
    if (s.gt(best)) best = s;
  }
  return best;
}

/**
 * `exp(x) − 1` at the context's precision, accurate for small `|x|`: for `|x| < 1/2` the
 * subtraction cancels about `−log10|x|` leading digits (`x.e`, Decimal's base-10 exponent), so
 * `exp` is evaluated with that many extra digits before subtracting and rounding back. Below
 * `10^−precision`, `expm1(x) = x (1 + x/2 + …)` rounds to `x`.
 */
export function expm1(ctx: DecimalContext, x: Decimal): Decimal {
  if (x.isZero()) return new ctx.D(0);
  if (x.abs().gte(0.5)) return x.exp().minus(1);
  const lost = 1 - x.e;
  if (lost > ctx.precision + 1) return x;
  const W = ctx.wider(lost).D;
  return new ctx.D(new W(x).exp().minus(1).toSD(ctx.precision));
}

/** Blocks side by side (equal row counts). @throws {ShapeError} */
export function hstack(blocks: DecimalMatrix[]): DecimalMatrix {
  return transpose(vstack(blocks.map(transpose), "hstack", "row"));
}

/** Blocks stacked vertically (equal column counts). @throws {ShapeError} */
export function vstack(blocks: DecimalMatrix[], what = "vstack", unit = "column"): DecimalMatrix {
  if (blocks.length === 0) throw new ShapeError(`${what}: no blocks`);
  const cols = blocks[0].cols;
  const bad = blocks.findIndex((b) => b.cols !== cols);
  if (bad >= 0) {
    throw new ShapeError(
      `${what}: block ${bad} has ${blocks[bad].cols} ${unit}s, expected ${cols} as block 0`,
    );
  }
  return new DecimalMatrix(
    blocks.reduce((r, b) => r + b.rows, 0),
    cols,
    blocks.flatMap((b) => b.data),
  );
}

/** Rows `r0 ≤ i < r1`, columns `c0 ≤ j < c1`. @throws {ShapeError} outside the matrix */
export function block(
  a: DecimalMatrix,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
): DecimalMatrix {
  if (r0 < 0 || r1 > a.rows || c0 < 0 || c1 > a.cols || r0 > r1 || c0 > c1) {
    throw new ShapeError(
      `block [${r0}, ${r1}) × [${c0}, ${c1}) is outside a ${a.rows}×${a.cols} matrix`,
    );
  }
  const data: Decimal[] = [];
  for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) data.push(a.get(i, j));
  return new DecimalMatrix(r1 - r0, c1 - c0, data);
}
