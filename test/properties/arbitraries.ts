/**
 * Generators (fast-check arbitraries) for the property-based suite.
 *
 * Every arbitrary produces a small JSON-able *spec* made of integers (sizes, exponents, seeds);
 * a `build…` function maps the spec through the library's own constructors (`randomTask`,
 * `taskFromData`, `zeroBalancedInit`, `zeroBalancedFromProduct`, `taskAlignedInit`,
 * `randomTaskSequence`) to the objects a property checks. So:
 * - fast-check shrinks integers, i.e. toward small, readable problems: sizes toward 1, scale
 *   exponents toward 0 (scale 1), task spectra toward all-equal singular values 1, seeds
 *   toward 0, time grids toward `[0]`;
 * - a counterexample is printed as the spec itself and can be pasted as-is into
 *   `counterexamples.json` (see `regression.ts`).
 *
 * @module
 */
import fc from "fast-check";
import { Matrix } from "../../src/matrix.ts";
import { Random } from "../../src/random.ts";
import type { Task } from "../../src/task.ts";
import { det } from "../../src/linalg/lu.ts";
import { conditionNumber, svd } from "../../src/linalg/svd.ts";
import { matmul, scaleCols } from "../../src/linalg/blas.ts";
import { randomTask, randomTaskSequence } from "../../src/tasks/random_task.ts";
import { taskFromData } from "../../src/tasks/whiten.ts";
import {
  overlapB,
  zeroBalancedFromProduct,
  zeroBalancedInit,
} from "../../src/init/zero_balanced.ts";
import { taskAlignedInit } from "../../src/init/aligned.ts";
import type { Weights } from "../../src/init/weights.ts";

/** Largest `Ni`, `No` the generators draw (kept small: properties run many cases). */
export const MAX_WIDTH = 5;
/** Largest number of hidden units beyond `Nm = min(Ni, No)`. */
export const MAX_EXTRA_HIDDEN = 3;

/** `2^(j/4)`: task singular values from integer exponents (`j = 0` ↦ 1). */
export const taskValue = (j: number): number => 2 ** (j / 4);
/** `10^(k/4)`: initialisation scales from integer exponents (`k = 0` ↦ 1). */
export const initScale = (k: number): number => 10 ** (k / 4);

/** How the initialisation relates to Assumption 3.1 (`B = UᵀŨ + VᵀṼ` non-singular). */
export type BKind = "regular" | "singular";

/** A whitened task and a zero-balanced initialisation, as integers. */
export interface ProblemSpec {
  ni: number;
  /** Hidden units beyond `Nm` (`Nh = Nm + extraHidden`). */
  extraHidden: number;
  no: number;
  /** Task singular-value exponents (`s̃ = 2^(j/4)`); the first `Nm` are used. */
  spectrum: number[];
  /** Initialisation scale exponent (`scale = 10^(k/4)`, the std of `W2W1(0)`'s entries). */
  scale: number;
  /** `"singular"`: `B` deliberately singular (see {@link buildProblem}). */
  b: BKind;
  /** Build the task from a raw (non-white) data set whitened by `taskFromData`. */
  data: boolean;
  /** Seed of the library's `Random`. */
  seed: number;
}

/** A built problem. */
export interface Problem {
  spec: ProblemSpec;
  task: Task;
  init: Weights;
  ni: number;
  nh: number;
  no: number;
  nm: number;
}

/** Ranges of {@link problemArb}. */
export interface ProblemRanges {
  /** Largest `Ni`/`No` (default {@link MAX_WIDTH}). */
  maxWidth?: number;
  /** `Ni = No` only. */
  square?: boolean;
  /** Task spectrum exponents `[min, max]` (default `[-4, 6]`: `s̃ ∈ [0.5, 2.83]`). */
  spectrum?: [number, number];
  /** Init scale exponents `[min, max]` (default `[-12, 4]`: scale `1e-3 … 10`). */
  scale?: [number, number];
  /** Which `B` kinds to draw (default regular only). */
  b?: BKind[];
  /** Also draw tasks from whitened raw data sets (default true). */
  data?: boolean;
}

/** Integer in `[min, max]` that shrinks toward `target` (clamped into the range). */
function intToward(min: number, max: number, target = 0): fc.Arbitrary<number> {
  const t = Math.min(max, Math.max(min, target));
  return fc.integer({ min: min - t, max: max - t }).map((x) => x + t, (y) => (y as number) - t);
}

/** Seeds of the library's generator (shrink toward 0). */
export const seedArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 2 ** 31 - 1 });

/** Arbitrary {@link ProblemSpec}. */
export function problemArb(r: ProblemRanges = {}): fc.Arbitrary<ProblemSpec> {
  const maxWidth = r.maxWidth ?? MAX_WIDTH;
  const [smin, smax] = r.spectrum ?? [-4, 6];
  const [kmin, kmax] = r.scale ?? [-12, 4];
  const kinds = r.b ?? ["regular"];
  const width = fc.integer({ min: 1, max: maxWidth });
  const sizes = r.square
    ? width.map((n) => ({ ni: n, no: n }), (v) => (v as { ni: number }).ni)
    : fc.record({ ni: width, no: width });
  return fc.record({
    sizes,
    extraHidden: fc.integer({ min: 0, max: MAX_EXTRA_HIDDEN }),
    spectrum: fc.array(intToward(smin, smax), { minLength: maxWidth, maxLength: maxWidth }),
    scale: intToward(kmin, kmax),
    b: fc.constantFrom(...kinds),
    data: r.data === false ? fc.constant(false) : fc.boolean(),
    seed: seedArb,
  }).map(
    ({ sizes, ...rest }) => ({ ni: sizes.ni, no: sizes.no, ...rest }),
    (v) => {
      const { ni, no, ...rest } = v as ProblemSpec;
      return { sizes: { ni, no }, ...rest };
    },
  );
}

/**
 * Builds the problem of a spec with the library's constructors:
 * - task: `randomTask` with the spec's spectrum (Haar singular vectors, whitened inputs
 *   `P = Ni + 2` samples), or with `data`, `taskFromData(X, Y, { whitened: true })` on a raw
 *   Gaussian `X` whose `Y = Σ X` (then `Σyx` is `Σ` seen through the whitening: its spectrum is
 *   not the spec's);
 * - `b = "regular"`: `zeroBalancedInit` with the task (`cond(B) ≤ 100`, sign condition enforced
 *   for square tasks);
 * - `b = "singular"`: `zeroBalancedFromProduct(M, R)` with `M` chosen so that `B` is singular
 *   in exact arithmetic: square tasks draw a Gaussian `M` and negate its first row when
 *   `sign det M = sign det Σyx` (MATH.md: `B` singular ⇔ the signs differ); rectangular tasks
 *   take `M = Ũ O diag(s) Oᵀ D Ṽᵀ` (`O` Haar, `D = diag(−1, 1, …)`, so `B = Oᵀ(I + D)`, the
 *   reversal-learning situation).
 */
export function buildProblem(spec: ProblemSpec): Problem {
  const { ni, no, extraHidden } = spec;
  const nm = Math.min(ni, no), nh = nm + extraHidden;
  const rng = new Random(spec.seed);
  const singularValues = spec.spectrum.slice(0, nm).map(taskValue);
  const task = spec.data
    ? dataTask(rng, ni, no, singularValues)
    : randomTask(rng, { ni, no, p: ni + 2, singularValues });
  const scale = initScale(spec.scale);
  const init = spec.b === "regular"
    ? zeroBalancedInit(rng, { ni, nh, no, scale, task })
    : zeroBalancedFromProduct(singularProduct(rng, task.sigmaYX, scale), rng.orthonormal(nh, nm));
  return { spec, task, init, ni, nh, no, nm };
}

function dataTask(rng: Random, ni: number, no: number, s: number[]): Task {
  const p = ni + 3;
  const sigma = randomTask(rng, { ni, no, singularValues: s }).sigmaYX;
  const x = rng.gaussianMatrix(ni, p);
  return taskFromData(x, matmul(sigma, x), { whitened: true });
}

/** A network function of scale `scale` whose `B` with `Σyx` is singular (see above). */
function singularProduct(rng: Random, sigmaYX: Matrix, scale: number): Matrix {
  const [no, ni] = sigmaYX.shape;
  const nm = Math.min(ni, no);
  if (ni === no) {
    const m = rng.gaussianMatrix(no, ni, scale);
    if (Math.sign(det(m)) === Math.sign(det(sigmaYX))) {
      for (let j = 0; j < ni; j++) m.data[j] = -m.data[j];
    }
    return m;
  }
  const t = svd(sigmaYX);
  const o = rng.orthonormal(nm, nm);
  const s = new Matrix(
    nm,
    1,
    Float64Array.from({ length: nm }, () => scale * (0.5 + rng.uniform())),
  );
  const d = new Matrix(nm, 1, Float64Array.from({ length: nm }, (_, i) => (i === 0 ? -1 : 1)));
  const u = matmul(t.u, o);
  const v = matmul(scaleCols(t.v, d), o);
  return matmul(scaleCols(u, s), v, { transB: true });
}

/** `cond(B)` of a problem (Infinity when `W2W1(0)` is zero). */
export function conditionOfB(p: Problem): number {
  return conditionNumber(overlapB(matmul(p.init.w2, p.init.w1), p.task.sigmaYX));
}

/** Largest and smallest task singular value. */
export function taskRange(p: Problem): { max: number; min: number } {
  const s = svd(p.task.sigmaYX).s;
  return { max: s[0], min: s[s.length - 1] };
}

/** A time grid: distinct multiples of `step`, sorted (shrinks toward `[0]`). */
export interface TimeGridSpec {
  /** Multiples of the step, distinct. */
  ticks: number[];
}

/** Arbitrary time grid of 1 … `maxTimes` distinct ticks in `[0, maxTick]`. */
export function timeGridArb(maxTick = 40, maxTimes = 5): fc.Arbitrary<TimeGridSpec> {
  return fc.record({
    ticks: fc.uniqueArray(fc.integer({ min: 0, max: maxTick }), {
      minLength: 1,
      maxLength: maxTimes,
    }),
  });
}

/** The times of a grid in units of τ, ascending: `tick · step`. */
export function buildTimes(g: TimeGridSpec, step: number): number[] {
  return [...g.ticks].sort((a, b) => a - b).map((k) => k * step);
}

/** A task-aligned initialisation (Theorem 5.1) on a square task, as integers. */
export interface AlignedSpec {
  n: number;
  extraHidden: number;
  spectrum: number[];
  /** Scale exponent of `A0`'s entries (`10^(k/4)`). */
  scale: number;
  seed: number;
}

/** Arbitrary {@link AlignedSpec} (`Ni = No ≤ 4`). */
export function alignedArb(): fc.Arbitrary<AlignedSpec> {
  return fc.record({
    n: fc.integer({ min: 1, max: 4 }),
    extraHidden: fc.integer({ min: 0, max: 2 }),
    spectrum: fc.array(intToward(-4, 6), { minLength: 4, maxLength: 4 }),
    scale: intToward(-8, 2),
    seed: seedArb,
  });
}

/** Builds an aligned problem: `randomTask` and `taskAlignedInit(task, A0)`, `A0` Gaussian. */
export function buildAligned(spec: AlignedSpec): Problem {
  const { n, extraHidden } = spec;
  const rng = new Random(spec.seed);
  const task = randomTask(rng, {
    ni: n,
    no: n,
    singularValues: spec.spectrum.slice(0, n).map(taskValue),
  });
  const nh = n + extraHidden;
  const init = taskAlignedInit(task, rng.gaussianMatrix(nh, n, initScale(spec.scale)));
  return { spec: spec as unknown as ProblemSpec, task, init, ni: n, nh, no: n, nm: n };
}

/** The 2×2 Gram `A0ᵀA0 = [[a1, b], [b, a2]]` of Eq. 14 and a shared `s`, as integers. */
export interface Gram2Spec {
  /** `s = 2^(j/4)`. */
  s: number;
  /** Common scale exponent `λ = 10^(k/4)`. */
  scale: number;
  /** `a1 = λ (1 + i/4)`. */
  a1: number;
  /** `a2 = λ (1 + i/4)`. */
  a2: number;
  /** `b = (r/10) √(a1 a2)`, `|r| ≤ 9`, so `δ = a1a2 − b² > 0`. */
  rho: number;
}

/** Arbitrary {@link Gram2Spec} (scales `λ ∈ [1e-4, 1]`). */
export function gram2Arb(scale: [number, number] = [-16, 0]): fc.Arbitrary<Gram2Spec> {
  return fc.record({
    s: intToward(-4, 6),
    scale: intToward(scale[0], scale[1]),
    a1: fc.integer({ min: 0, max: 8 }),
    a2: fc.integer({ min: 0, max: 8 }),
    rho: intToward(-9, 9, 5),
  });
}

/** `{ s, a1, a2, b }` of a {@link Gram2Spec}. */
export function buildGram2(g: Gram2Spec): { s: number; a1: number; a2: number; b: number } {
  const lambda = initScale(g.scale);
  const a1 = lambda * (1 + g.a1 / 4), a2 = lambda * (1 + g.a2 / 4);
  return { s: taskValue(g.s), a1, a2, b: (g.rho / 10) * Math.sqrt(a1 * a2) };
}

/** A sequence of tasks on shared whitened inputs and the init of the first, as integers. */
export interface SequenceSpec {
  ni: number;
  no: number;
  extraHidden: number;
  /** Number of tasks, 2 … 4. */
  count: number;
  scale: number;
  seed: number;
}

/** Arbitrary {@link SequenceSpec}. */
export function sequenceArb(): fc.Arbitrary<SequenceSpec> {
  return fc.record({
    ni: fc.integer({ min: 1, max: 4 }),
    no: fc.integer({ min: 1, max: 4 }),
    extraHidden: fc.integer({ min: 0, max: 2 }),
    count: fc.integer({ min: 2, max: 4 }),
    scale: intToward(-8, 0),
    seed: seedArb,
  });
}

/**
 * `randomTaskSequence` (Gaussian `Σyx` of unit scale on one whitened input set, target noise
 * 0.3) and a regular-`B` zero-balanced init for the first task. Square tasks whose
 * `sign det Σyx` differs from the first task's get their first output negated: otherwise
 * the network that learned one would start the next with a singular `B` and stall at a saddle
 * (MATH.md), where the forgetting table does not apply.
 */
export function buildSequence(spec: SequenceSpec): { tasks: Task[]; init: Weights; nh: number } {
  const { ni, no } = spec;
  const rng = new Random(spec.seed);
  // Target noise (⟂ inputs) gives each task its own constant ci = ½(tr Σyy,i − ‖Σi‖²), so the
  // table Li(Tj) is not symmetric and an index swap shows.
  const raw = randomTaskSequence(rng, spec.count, { ni, no, p: ni + 2, noise: 0.3 });
  const sign0 = ni === no ? Math.sign(det(raw[0].sigmaYX)) : 0;
  const flip = Matrix.fromFunction(no, no, (a, b) => (a === b ? (a === 0 ? -1 : 1) : 0));
  const tasks = raw.map((t) => {
    if (sign0 === 0 || Math.sign(det(t.sigmaYX)) === sign0) return t;
    // Negating the first output of the data: Σyx's first row flips, tr Σyy is unchanged.
    return { ...t, sigmaYX: matmul(flip, t.sigmaYX), Y: t.Y && matmul(flip, t.Y) };
  });
  const nh = Math.min(ni, no) + spec.extraHidden;
  const init = zeroBalancedInit(rng, { ni, nh, no, scale: initScale(spec.scale), task: tasks[0] });
  return { tasks, init, nh };
}

/** A Haar orthogonal `n × n` matrix from a seed (hidden-layer rotations). */
export function rotation(seed: number, n: number): Matrix {
  return new Random(seed).orthonormal(n, n);
}
