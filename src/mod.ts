/**
 * Exact learning dynamics of deep linear networks with prior knowledge (Braun, Dominé,
 * Fitzgerald & Saxe, NeurIPS 2022): the public face of the library.
 *
 * @module
 */
export * from "./errors.ts";
export { Matrix } from "./matrix.ts";
export type { Task } from "./task.ts";
export { taskLoss } from "./task.ts";
export type { QQtBlocks, Trajectory } from "./trajectory.ts";
export type { Backend, Svd } from "./linalg/backend.ts";
export {
  add,
  divide,
  expm1Scaled,
  expScaled,
  hadamard,
  hstack,
  kron,
  matmul,
  norm1,
  scale,
  scaleCols,
  scaleRows,
  sub,
  transpose,
  vstack,
} from "./linalg/blas.ts";
export type { MatmulOptions } from "./linalg/blas.ts";
export { det, inverse, rcond, solve } from "./linalg/lu.ts";
export { Cholesky, choleskySolve } from "./linalg/cholesky.ts";
export { expm } from "./linalg/expm.ts";
export { f64Backend, f64ToString } from "./linalg/f64.ts";
export type { F64Handle } from "./linalg/f64.ts";
export type { ArenaMatrix } from "./linalg/arena.ts";
export { orthComplement, qr } from "./linalg/qr.ts";
export type { Qr, QrOptions } from "./linalg/qr.ts";
export { conditionNumber, defaultRtol, rank, svd } from "./linalg/svd.ts";
export type { SvdOptions, SvdResult } from "./linalg/svd.ts";
export { symmetricEigen } from "./linalg/eigen.ts";
export type { SymmetricEigen } from "./linalg/eigen.ts";
export { pinv } from "./linalg/pinv.ts";
export { writeAtomic, writeFileAtomic } from "./io/atomic.ts";
export type { AtomicSink } from "./io/atomic.ts";
export { csvField, parseCsv, toCsv } from "./io/csv.ts";
export type { CsvRow, CsvValue } from "./io/csv.ts";
export { decimalBackend, DecimalMatrix, GUARD_DIGITS } from "./linalg/decimal.ts";
