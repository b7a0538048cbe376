/**
 * fast-check arbitraries and reference computations shared by the dense linear-algebra tests:
 * random matrices of given shapes, and a plain triple-loop product to check `gemm` against.
 *
 * @module
 */
import fc from "fast-check";
import { Matrix } from "../src/matrix.ts";

/** Unit roundoff of f64, `u = 2⁻⁵³`. */
export const U = 2 ** -53;

/** A `rows × cols` matrix with entries drawn from `entry`. */
export function matrixArb(
  rows: number,
  cols: number,
  entry: fc.Arbitrary<number> = fc.double({ min: -1, max: 1, noNaN: true }),
): fc.Arbitrary<Matrix> {
  return fc.array(entry, { minLength: rows * cols, maxLength: rows * cols })
    .map((xs) => new Matrix(rows, cols, Float64Array.from(xs)));
}

/** A square matrix of size `minN..maxN` with entries in [−scale, scale]. */
export function squareArb(minN: number, maxN: number, scale = 1): fc.Arbitrary<Matrix> {
  return fc.integer({ min: minN, max: maxN }).chain((n) =>
    matrixArb(n, n, fc.double({ min: -scale, max: scale, noNaN: true }))
  );
}

/** Small integers: products and sums of them stay exact in f64, so results compare exactly. */
export const smallInt: fc.Arbitrary<number> = fc.integer({ min: -8, max: 8 });

/** Deterministic pseudo-random matrix (for fixed cases outside fast-check). */
export function seededMatrix(rows: number, cols: number, seed: number, scale = 1): Matrix {
  let s = seed >>> 0;
  return Matrix.fromFunction(rows, cols, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return scale * (s / 2 ** 32 * 2 - 1);
  });
}

/** `op(a)·op(b)` by the definition, summing in index order (reference for gemm). */
export function naiveMatmul(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {
  const A = transA ? a.transpose() : a, B = transB ? b.transpose() : b;
  return Matrix.fromFunction(A.rows, B.cols, (i, j) => {
    let s = 0;
    for (let p = 0; p < A.cols; p++) s += A.get(i, p) * B.get(p, j);
    return s;
  });
}

/** `|op(a)|·|op(b)|`: the scale of the rounding error of each entry of a product. */
export function absMatmul(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {
  const abs = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map(Math.abs));
  return naiveMatmul(abs(a), abs(b), transA, transB);
}

/** Infinity norm (largest absolute row sum). */
export function normInf(a: Matrix): number {
  let best = 0;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += Math.abs(a.get(i, j));
    best = Math.max(best, s);
  }
  return best;
}
