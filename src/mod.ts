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
export { writeAtomic, writeFileAtomic } from "./io/atomic.ts";
export type { AtomicSink } from "./io/atomic.ts";
export { csvField, parseCsv, toCsv } from "./io/csv.ts";
export type { CsvRow, CsvValue } from "./io/csv.ts";
