/**
 * The f64 backend: `Backend<F64Handle>` whose matrices live in WASM linear memory and whose
 * operations are the pointer-level functions of `blas.ts`, `lu.ts`, `cholesky.ts`, `expm.ts`,
 * `svd.ts` and `qr.ts`. Between `from` and `toMatrix` nothing is copied across the JS/WASM
 * boundary. Handles are arena allocations: wrap each evaluation in `scoped` so its
 * intermediates are freed.
 *
 * @module
 */
import type { Backend, Svd } from "./backend.ts";
import type { Matrix } from "../matrix.ts";
import { type ArenaMatrix, arenaPut, arenaRead, withArena } from "./arena.ts";
import {
  addProductPtr,
  addPtr,
  blockPtr,
  diagPtr,
  dividePtr,
  expm1ScaledPtr,
  expScaledPtr,
  hadamardPtr,
  hstackPtr,
  identityPtr,
  matmulPtr,
  maxAbsPtr,
  scaleColsPtr,
  scalePtr,
  scaleRowsColsPtr,
  scaleRowsPtr,
  subPtr,
  transposePtr,
  vstackPtr,
  zerosPtr,
} from "./blas.ts";
import { inversePtr, solvePtr } from "./lu.ts";
import { choleskySolvePtr, choleskyWhitenPtr } from "./cholesky.ts";
import { expmPtr } from "./expm.ts";
import { singularValuesPtr, svdPtr } from "./svd.ts";
import { orthComplementPtr } from "./qr.ts";

/** A matrix of the f64 backend: a row-major f64 block in the WASM arena. */
export type F64Handle = ArenaMatrix;

/**
 * Shortest decimal string that reads back as exactly `x` (JavaScript's number formatting is
 * shortest round-trip); `-0` keeps its sign.
 */
export function f64ToString(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/**
 * Dense f64 linear algebra on the WASM core (IEEE double: 53-bit significand, about 15.95
 * decimal digits).
 *
 * @example
 * ```ts
 * const b = f64Backend;
 * const r = b.scoped(() => b.toMatrix(b.expm(b.from(Matrix.from([[0, 1], [-1, 0]])))));
 * ```
 */
export const f64Backend: Backend<F64Handle> = {
  name: "f64",
  digits: 53 * Math.log10(2),

  from: (a: Matrix) => arenaPut(a, "f64Backend.from"),
  toMatrix: arenaRead,
  toStrings: (a) => arenaRead(a).toArray().map((row) => row.map(f64ToString)),
  shape: (a) => [a.rows, a.cols],

  identity: identityPtr,
  zeros: zerosPtr,
  diag: diagPtr,

  add: addPtr,
  sub: subPtr,
  scale: scalePtr,
  matmul: (a, b, transA = false, transB = false) => matmulPtr(a, b, { transA, transB }),
  addProduct: (c, a, b, transA = false, transB = false) =>
    addProductPtr(c, a, b, { transA, transB }),
  transpose: transposePtr,
  scaleRows: scaleRowsPtr,
  scaleCols: scaleColsPtr,
  scaleRowsCols: scaleRowsColsPtr,
  expScaled: expScaledPtr,
  expm1Scaled: expm1ScaledPtr,
  divide: dividePtr,
  hadamard: hadamardPtr,

  hstack: hstackPtr,
  vstack: vstackPtr,
  block: blockPtr,

  solve: solvePtr,
  inverse: inversePtr,
  choleskySolve: choleskySolvePtr,
  choleskyWhiten: choleskyWhitenPtr,
  svd: (a): Svd<F64Handle> => svdPtr(a),
  singularValues: singularValuesPtr,
  orthComplement: orthComplementPtr,
  expm: expmPtr,
  maxAbs: maxAbsPtr,

  scoped: withArena,
};
