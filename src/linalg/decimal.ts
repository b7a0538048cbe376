/**
 * The decimal.js backend of the linear-algebra interface: the exact formulas run unchanged in
 * arbitrary precision (DESIGN.md, principle 2).
 *
 * Precision rule: `decimalBackend(d)` trusts `d` significant digits and rounds every operation
 * to `d + GUARD_DIGITS` (half-even); `expm` and `expm1Scaled` carry more digits where their
 * algorithms need them (see `decimal_expm.ts`, `decimal_arith.ts`). Conversions from f64 are
 * exact; `toMatrix` rounds to the nearest f64; `toStrings` gives `d` significant digits.
 *
 * @module
 */
import type { Matrix } from "../matrix.ts";
import { Matrix as MatrixClass } from "../matrix.ts";
import { ShapeError } from "../errors.ts";
import type { Backend } from "./backend.ts";
import {
  block,
  expm1,
  hstack,
  identity,
  map,
  matmul,
  transpose,
  vstack,
  zeros,
  zipWith,
} from "./decimal_arith.ts";
import { decimalContext, DecimalMatrix } from "./decimal_context.ts";
import { expm } from "./decimal_expm.ts";
import { choleskySolve, choleskyWhiten, luInverse, luSolve } from "./decimal_factor.ts";
import {
  type DecimalSymmetricEigen,
  orthComplement,
  singularValues,
  svd,
  symmetricEigen,
} from "./decimal_jacobi.ts";

export { DecimalMatrix, GUARD_DIGITS } from "./decimal_context.ts";
export type { DecimalSymmetricEigen } from "./decimal_jacobi.ts";

/** The decimal backend: the `Backend` interface plus a symmetric eigensolver. */
export interface DecimalBackend extends Backend<DecimalMatrix> {
  /**
   * Symmetric eigendecomposition `a = V diag(λ) Vᵀ` by cyclic Jacobi to working precision, `λ`
   * ascending, sign convention of the f64 `symmetricEigen`.
   * @throws {AssumptionError} when `a` is not symmetric to `n · 10^−digits` relative
   */
  symmetricEigen(a: DecimalMatrix): DecimalSymmetricEigen;
}

function requireVector(v: DecimalMatrix, length: number, what: string): void {
  if (v.cols !== 1 || v.rows !== length) {
    throw new ShapeError(`${what}: expected a ${length}×1 vector, got ${v.rows}×${v.cols}`);
  }
}

/**
 * A `Backend` computing in decimal.js at `digits` significant digits, with its own isolated
 * Decimal constructor (no global configuration is read or written; backends at different
 * precisions can be mixed in one computation: each rounds to its own precision, and a matrix
 * made by another backend is taken over exactly).
 *
 * @param digits working precision in significant decimal digits (integer in `[1, 10000]`)
 * @throws {InputError} for an invalid `digits`
 * @example
 * ```ts
 * const b = decimalBackend(50);
 * const e = b.expm(b.from(Matrix.from([[0, 1], [-1, 0]])));
 * b.toStrings(e)[0][0]; // cos 1 to 50 digits: "0.54030230586813971740093660744297660373231042061792"
 * ```
 */
export function decimalBackend(digits: number): DecimalBackend {
  const ctx = decimalContext(digits);
  const { D } = ctx;
  const own = ctx.own;
  const num = (c: number) => ctx.exact(c);
  return {
    name: `decimal(${digits})`,
    digits,
    from(a: Matrix) {
      return new DecimalMatrix(a.rows, a.cols, Array.from(a.data, (x) => ctx.exact(x)));
    },
    toMatrix(a) {
      // Number(decimal string) is correctly rounded to nearest (ECMAScript StringToNumber in V8).
      return new MatrixClass(a.rows, a.cols, Float64Array.from(a.data, (x) => x.toNumber()));
    },
    toStrings(a) {
      const out: string[][] = [];
      for (let i = 0; i < a.rows; i++) {
        const row: string[] = [];
        for (let j = 0; j < a.cols; j++) row.push(a.get(i, j).toSD(digits).toString());
        out.push(row);
      }
      return out;
    },
    shape(a) {
      return [a.rows, a.cols];
    },
    identity: (n) => identity(ctx, n),
    zeros: (rows, cols) => zeros(ctx, rows, cols),
    diag(v) {
      requireVector(v, v.rows, "diag");
      const z = new D(0);
      const n = v.rows;
      const data = new Array(n * n).fill(z);
      for (let i = 0; i < n; i++) data[i * n + i] = new D(v.data[i]);
      return new DecimalMatrix(n, n, data);
    },
    add: (a, b) => zipWith(own(a), b, "add", (x, y) => x.plus(y)),
    sub: (a, b) => zipWith(own(a), b, "sub", (x, y) => x.minus(y)),
    scale(a, c) {
      const k = num(c);
      return map(a, (x) => k.times(x));
    },
    matmul: (a, b, transA = false, transB = false) => matmul(ctx, own(a), b, transA, transB),
    addProduct(c, a, b, transA = false, transB = false) {
      const p = matmul(ctx, own(a), b, transA, transB);
      if (p.rows !== c.rows || p.cols !== c.cols) {
        throw new ShapeError(
          `addProduct: C is ${c.rows}×${c.cols} but op(A)·op(B) is ${p.rows}×${p.cols}`,
        );
      }
      return zipWith(own(c), p, "addProduct", (x, y) => x.plus(y));
    },
    transpose,
    scaleRows(v, a) {
      requireVector(v, a.rows, "scaleRows");
      const w = own(v);
      return new DecimalMatrix(
        a.rows,
        a.cols,
        a.data.map((x, k) => w.data[(k / a.cols) | 0].times(x)),
      );
    },
    scaleCols(a, v) {
      requireVector(v, a.cols, "scaleCols");
      const w = own(v);
      return new DecimalMatrix(a.rows, a.cols, a.data.map((x, k) => w.data[k % a.cols].times(x)));
    },
    scaleRowsCols(u, a, v) {
      requireVector(u, a.rows, "scaleRowsCols");
      requireVector(v, a.cols, "scaleRowsCols");
      const wu = own(u), wv = own(v);
      return new DecimalMatrix(
        a.rows,
        a.cols,
        a.data.map((x, k) => wv.data[k % a.cols].times(wu.data[(k / a.cols) | 0].times(x))),
      );
    },
    expScaled(a, c) {
      const k = num(c);
      return map(a, (x) => k.times(x).exp());
    },
    expm1Scaled(a, c) {
      const k = num(c);
      return map(a, (x) => expm1(ctx, k.times(x)));
    },
    divide: (a, b) => zipWith(own(a), b, "divide", (x, y) => x.div(y)),
    hadamard: (a, b) => zipWith(own(a), b, "hadamard", (x, y) => x.times(y)),
    hstack,
    vstack: (blocks) => vstack(blocks),
    block,
    solve: (a, b) => luSolve(ctx, own(a), own(b)),
    inverse: (a) => luInverse(ctx, own(a)),
    choleskySolve: (a, b) => choleskySolve(ctx, own(a), own(b)),
    choleskyWhiten: (a, b) => choleskyWhiten(ctx, own(a), own(b)),
    svd: (a) => svd(ctx, own(a)),
    singularValues: (a) => singularValues(ctx, own(a)),
    orthComplement: (q) => orthComplement(ctx, own(q)),
    symmetricEigen: (a) => symmetricEigen(ctx, own(a)),
    expm: (a) => expm(ctx, own(a)),
    maxAbs(a) {
      let m = new D(0);
      for (const x of a.data) if (x.abs().gt(m)) m = x.abs();
      return m.toNumber();
    },
    scoped: (fn) => fn(),
  };
}
