/**
 * Parsing and validation of the `solve` command's JSON configuration (DESIGN.md, "The `solve`
 * command"). Every problem gets a typed error with one clear line: `InputError` for malformed
 * JSON, missing or unknown fields and bad values, `ShapeError` for inconsistent shapes,
 * `NonFiniteError` for non-finite numbers (JSON has no NaN, but `1e999` parses as Infinity).
 * Mathematical assumptions (whitened, balanced, rank) are checked later by the solvers.
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import { InputError, NonFiniteError, ShapeError } from "../errors.ts";
import type { Task } from "../task.ts";
import { quoteInput } from "../cli/text.ts";
import { checkedInputCorrelation } from "./input_correlation.ts";
import { DEFAULT_SOLVE_LIMITS, LIMIT_FLAGS } from "./limits.ts";
import { checkDepthMethod, parseLayersField } from "./layers_field.ts";

/** The methods `solve` accepts. */
export const SOLVE_METHODS = [
  "auto",
  "stable",
  "fukumizu",
  "bfree",
  "bfree-stable",
  "aligned",
  "lambda",
  "lambda-echelon",
  "lambda-riccati",
  "factored",
  "simulate",
] as const;

/** One of {@link SOLVE_METHODS}. */
export type SolveMethod = (typeof SOLVE_METHODS)[number];

/** A validated `solve` configuration. */
export interface SolveConfig {
  /**
   * `Σyx` (`No × Ni`) and `Σxx` (`Ni × Ni`, identity when not given); computed as `Y Xᵀ / P`
   * and `X Xᵀ / P` when the config gives `X` (`Ni × P`) and `Y` (`No × P`).
   */
  task: Task;
  /** `W1(0)`, `Nh × Ni`. */
  w1: Matrix;
  /** `W2(0)`, `No × Nh`. */
  w2: Matrix;
  /**
   * All layers `[W1, …, WL]` when the config gives `"weights"` (then `w1` and `w2` are its first
   * and last layer; for L = 2 exactly `W1`, `W2`).
   */
  layers?: Matrix[];
  /**
   * Time constant `τ > 0` (default 1): exact solutions depend on `t/τ`, and GD step `k` at
   * learning rate `η` sits at `t/τ = kη`.
   */
  tau: number;
  /** Requested times `t ≥ 0`, in the unit of `τ`, in any order. */
  times: number[];
  /** Which solver: a closed form by name, `"auto"` (chosen from `cond(B)`) or `"simulate"` (GD). */
  method: SolveMethod;
  /** `"simulate"` only. */
  learningRate?: number;
  /** Exact methods only: evaluate in decimal.js at this many significant digits. */
  digits?: number;
  /** Exact methods only: relative accuracy wanted (default 1e-10; see `ExactOptions`). */
  tolerance?: number;
}

const KEYS = new Set([
  "sigmaYX",
  "sigmaXX",
  "X",
  "Y",
  "W1",
  "W2",
  "tau",
  "times",
  "method",
  "learningRate",
  "digits",
  "tolerance",
  "weights",
]);

/** Smallest and largest `digits` accepted (f64 already carries about 16). */
export const DIGITS_RANGE = [16, 2000] as const;

/**
 * Parses and validates a configuration from JSON text. Matrix sizes are checked against
 * `maxDimension` (default `DEFAULT_SOLVE_LIMITS.maxDimension`) before any matrix is built, so a
 * `1 × 100000` `sigmaYX` is refused instead of allocating a `100000 × 100000` identity `Σxx`.
 * A field given as `null` is refused (omit it to get its default).
 * @throws {InputError|ShapeError|NonFiniteError} naming the field and the problem
 * @example
 * ```ts
 * const c = parseSolveConfig('{"sigmaYX": [[2]], "W1": [[0.1]], "W2": [[0.1]], "times": [0, 1]}');
 * c.method; // "auto"
 * ```
 */
export function parseSolveConfig(
  text: string,
  { maxDimension = DEFAULT_SOLVE_LIMITS.maxDimension }: { maxDimension?: number } = {},
): SolveConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError("the configuration must be a JSON object");
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k)) {
      throw new InputError(`unknown field ${quoteInput(k)} (known: ${[...KEYS].join(", ")})`);
    }
    if (o[k] === null) throw new InputError(`"${k}" is null; omit the field to get its default`);
  }
  const method = o.method ?? "auto";
  if (typeof method !== "string" || !(SOLVE_METHODS as readonly string[]).includes(method)) {
    throw new InputError(
      `"method" must be one of ${SOLVE_METHODS.join(", ")}, got ${quoteInput(method)}`,
    );
  }
  const sizes = { maxDimension };
  const task = parseTask(o, sizes);
  const [no, ni] = task.sigmaYX.shape;
  if (o.weights !== undefined && (o.W1 !== undefined || o.W2 !== undefined)) {
    throw new InputError(`give either "W1" and "W2" or "weights", not both`);
  }
  const layers = o.weights === undefined ? undefined : parseLayersField(
    o.weights,
    (v, name) => matrixField({ [name]: v }, name, true, sizes)!,
    ni,
    no,
  );
  if (layers) checkDepthMethod(layers.length, method as string);
  const w1 = layers?.[0] ?? matrixField(o, "W1", true, sizes)!;
  const w2 = layers?.[layers.length - 1] ?? matrixField(o, "W2", true, sizes)!;
  if (layers === undefined && w1.cols !== ni) { // "weights" was checked by parseLayersField
    throw new ShapeError(`W1 is ${w1.rows}×${w1.cols}, expected Nh×${ni} (Nh×Ni)`);
  }
  if (layers === undefined && (w2.rows !== no || w2.cols !== w1.rows)) {
    throw new ShapeError(`W2 is ${w2.rows}×${w2.cols}, expected ${no}×${w1.rows} (No×Nh)`);
  }
  const tau = o.tau === undefined ? 1 : positive(o.tau, "tau");
  if (!Array.isArray(o.times) || o.times.length === 0) {
    throw new InputError(`"times" must be a non-empty array of non-negative numbers`);
  }
  const times = o.times.map((t, i) => {
    if (typeof t !== "number") {
      throw new InputError(`times[${i}] is ${quoteInput(t)}, expected a number`);
    }
    if (!Number.isFinite(t)) throw new NonFiniteError(`times[${i}] is ${t}, expected finite`);
    if (t < 0) throw new InputError(`times[${i}] = ${t} is negative`);
    return t;
  });
  const config: SolveConfig = { task, w1, w2, tau, times, method: method as SolveMethod };
  if (layers) config.layers = layers;
  if (method === "simulate") {
    if (o.learningRate === undefined) {
      throw new InputError(`method "simulate" needs "learningRate" (the GD step size η)`);
    }
    config.learningRate = positive(o.learningRate, "learningRate");
    for (const k of ["digits", "tolerance"]) {
      if (o[k] !== undefined) {
        throw new InputError(`"${k}" applies to the exact methods, not to "simulate"`);
      }
    }
  } else {
    if (o.learningRate !== undefined) {
      throw new InputError(`"learningRate" applies to method "simulate" only`);
    }
    if (o.digits !== undefined) {
      const d = o.digits;
      if (
        typeof d !== "number" || !Number.isInteger(d) || d < DIGITS_RANGE[0] || d > DIGITS_RANGE[1]
      ) {
        throw new InputError(
          `"digits" must be an integer in [${DIGITS_RANGE.join(", ")}], got ${quoteInput(d)}`,
        );
      }
      config.digits = d;
    }
    if (o.tolerance !== undefined) {
      const tol = positive(o.tolerance, "tolerance");
      if (!(tol < 1)) throw new InputError(`"tolerance" must be below 1, got ${tol}`);
      config.tolerance = tol;
    }
  }
  return config;
}

/** Size limits applied while parsing. */
interface SizeLimits {
  /** Largest row count, and column count except for data (`X`, `Y`: columns are samples). */
  maxDimension: number;
}

function parseTask(o: Record<string, unknown>, sizes: SizeLimits): Task {
  const hasData = o.X !== undefined || o.Y !== undefined;
  if (hasData && o.sigmaYX !== undefined) {
    throw new InputError(`give either "sigmaYX" or "X" and "Y", not both`);
  }
  if (!hasData) {
    const sigmaYX = matrixField(o, "sigmaYX", true, sizes)!;
    const given = matrixField(o, "sigmaXX", false, sizes);
    if (given === undefined) return { sigmaYX, sigmaXX: Matrix.identity(sigmaYX.cols) };
    if (given.rows !== sigmaYX.cols || given.cols !== sigmaYX.cols) {
      throw new ShapeError(
        `sigmaXX is ${given.rows}×${given.cols}, expected ${sigmaYX.cols}×${sigmaYX.cols}`,
      );
    }
    return { sigmaYX, sigmaXX: given, ...checkedInputCorrelation(given, sigmaYX) };
  }
  if (o.sigmaXX !== undefined) {
    throw new InputError(`"sigmaXX" is computed from "X"; do not give both`);
  }
  const data = { maxDimension: sizes.maxDimension, samples: true };
  const x = matrixField(o, "X", true, data)!, y = matrixField(o, "Y", true, data)!;
  if (x.cols !== y.cols) {
    throw new ShapeError(`X has ${x.cols} samples (columns), Y has ${y.cols}; they must match`);
  }
  const p = x.cols;
  const corr = (a: Matrix, b: Matrix) =>
    Matrix.fromFunction(a.rows, b.rows, (i, j) => {
      let s = 0;
      for (let k = 0; k < p; k++) s += a.get(i, k) * b.get(j, k);
      return s / p;
    });
  let yy = 0;
  for (const v of y.data) yy += v * v;
  return { sigmaYX: corr(y, x), sigmaXX: corr(x, x), traceYY: yy / p, X: x, Y: y };
}

function matrixField(
  o: Record<string, unknown>,
  key: string,
  required: boolean,
  sizes: SizeLimits & { samples?: boolean },
): Matrix | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw new InputError(`missing field "${key}"`);
    return undefined;
  }
  if (!Array.isArray(v) || v.length === 0 || !v.every((r) => Array.isArray(r))) {
    throw new InputError(`"${key}" must be a non-empty array of rows (arrays of numbers)`);
  }
  const rows = v as unknown[][];
  if (rows[0].length === 0) throw new ShapeError(`"${key}" has empty rows`);
  const limit = sizes.maxDimension;
  if (rows.length > limit || (!sizes.samples && rows[0].length > limit)) {
    const dims = sizes.samples ? `${rows.length} rows` : `${rows.length}×${rows[0].length}`;
    throw new InputError(
      `"${key}" is ${dims}, more than the limit of ${limit} per dimension ` +
        `(raise it with --${LIMIT_FLAGS.maxDimension} N)`,
    );
  }
  rows.forEach((r, i) =>
    r.forEach((x, j) => {
      if (typeof x !== "number") {
        throw new InputError(`${key}[${i}][${j}] is ${quoteInput(x)}, expected a number`);
      }
    })
  );
  return Matrix.from(rows as number[][], key).assertFinite(key);
}

function positive(v: unknown, key: string): number {
  if (typeof v !== "number") {
    throw new InputError(`"${key}" must be a number, got ${quoteInput(v)}`);
  }
  if (!Number.isFinite(v)) throw new NonFiniteError(`"${key}" is ${v}, expected finite`);
  if (!(v > 0)) throw new InputError(`"${key}" must be positive, got ${v}`);
  return v;
}
