/**
 * Random regression tasks with exactly whitened inputs, and sequences of them sharing the
 * inputs (continual learning, paper Fig. 5).
 *
 * @module
 */
import { InputError, ShapeError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { matmul, scale, scaleCols } from "../linalg/blas.ts";
import type { Random } from "../random.ts";
import type { Task } from "../task.ts";

/** Options of {@link randomTask}. */
export interface RandomTaskOptions {
  /** Inputs `Ni`. */
  ni: number;
  /** Outputs `No`. */
  no: number;
  /** Samples `P ≥ Ni`; default `Ni`. */
  p?: number;
  /**
   * Singular values of `Σyx` (`min(Ni, No)` of them, positive), with Haar singular vectors.
   * Default: `Σyx` has independent `N(0, scale²)` entries.
   */
  singularValues?: readonly number[];
  /** Entry scale of a Gaussian `Σyx`; default 1. */
  scale?: number;
  /**
   * Standard deviation of target noise orthogonal to the inputs: it raises `tr Σyy` (the
   * loss at the minimum) and leaves `Σyx` exact. Default 0. Needs `P > Ni`.
   */
  noise?: number;
  /** Label. */
  name?: string;
}

/**
 * Inputs `X` (`Ni × P`) with `X Xᵀ / P = I` exactly up to rounding: `√P` times `Ni`
 * orthonormal rows drawn uniformly (Haar).
 * @throws {InputError} when `P < Ni`
 */
export function whitenedInputs(rng: Random, ni: number, p: number): Matrix {
  if (!Number.isInteger(p) || p < ni) {
    throw new InputError(`whitened inputs need an integer P ≥ Ni = ${ni}, got P = ${p}`);
  }
  return scale(rng.orthonormal(p, ni).transpose(), Math.sqrt(p));
}

/**
 * A random task with whitened inputs: `Σxx = I` (stored exactly; the data's `XXᵀ/P` equals
 * it to rounding), targets `Y = Σyx X (+ noise ⟂ X)`, so `Y Xᵀ / P = Σyx`.
 *
 * @example
 * ```ts
 * const task = randomTask(new Random(3), { ni: 5, no: 3, p: 20, singularValues: [3, 2, 1] });
 * ```
 * @throws {InputError} on invalid sizes, singular values or noise
 */
export function randomTask(rng: Random, options: RandomTaskOptions): Task {
  const x = whitenedInputs(rng, options.ni, options.p ?? options.ni);
  return taskOnInputs(rng, x, options);
}

/**
 * `count` random tasks `T1 … Tcount` sharing one set of whitened inputs (each a
 * {@link randomTask} on the same `X`), named `"T1"`, `"T2"`, ….
 * @throws {InputError} when `count < 1` or as {@link randomTask}
 */
export function randomTaskSequence(
  rng: Random,
  count: number,
  options: RandomTaskOptions,
): Task[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new InputError(`a task sequence needs count ≥ 1, got ${count}`);
  }
  const x = whitenedInputs(rng, options.ni, options.p ?? options.ni);
  return Array.from(
    { length: count },
    (_, i) => taskOnInputs(rng, x, { ...options, name: `T${i + 1}` }),
  );
}

function taskOnInputs(rng: Random, x: Matrix, o: RandomTaskOptions): Task {
  const { ni, no } = o;
  if (!Number.isInteger(no) || no < 1) {
    throw new InputError(`No must be a positive integer, got ${no}`);
  }
  const p = x.cols;
  const syx = o.singularValues === undefined
    ? rng.gaussianMatrix(no, ni, o.scale ?? 1)
    : fromSpectrum(rng, ni, no, o.singularValues);
  let y = matmul(syx, x);
  const noise = o.noise ?? 0;
  if (!(Number.isFinite(noise) && noise >= 0)) {
    throw new InputError(`noise must be ≥ 0, got ${noise}`);
  }
  if (noise > 0) {
    if (p === ni) throw new InputError("target noise orthogonal to the inputs needs P > Ni");
    // N ← N − (N Xᵀ / P) X removes the part of the noise correlated with the inputs.
    const n = rng.gaussianMatrix(no, p, noise);
    const nOrth = new Matrix(no, p, n.data.slice());
    const proj = matmul(scale(matmul(n, x, { transB: true }), 1 / p), x);
    for (let e = 0; e < nOrth.data.length; e++) nOrth.data[e] -= proj.data[e];
    y = new Matrix(no, p, y.data.map((v, e) => v + nOrth.data[e]));
  }
  return {
    sigmaYX: syx,
    sigmaXX: Matrix.identity(ni),
    traceYY: y.normFrobenius() ** 2 / p,
    X: x,
    Y: y,
    ...(o.name === undefined ? {} : { name: o.name }),
  };
}

/** `Ũ diag(s) Ṽᵀ` with Haar `Ũ` (`No × Nm`), `Ṽ` (`Ni × Nm`). */
function fromSpectrum(rng: Random, ni: number, no: number, s: readonly number[]): Matrix {
  const nm = Math.min(ni, no);
  if (s.length !== nm) {
    throw new ShapeError(`${s.length} singular values given, a ${no}×${ni} Σyx has ${nm}`);
  }
  if (!s.every((v) => Number.isFinite(v) && v > 0)) {
    throw new InputError(`singular values must be finite and positive, got [${s.join(", ")}]`);
  }
  const u = rng.orthonormal(no, nm), v = rng.orthonormal(ni, nm);
  return matmul(scaleCols(u, new Matrix(nm, 1, Float64Array.from(s))), v, { transB: true });
}
