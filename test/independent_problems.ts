/**
 * Problems built without any of the library's constructors (no `randomTask`, whitening,
 * `zeroBalancedInit`, SVD or `Random`), so a bug there cannot be shared by a solver and the
 * check it is compared with. The recipe is MATH.md's, written out with plain loops:
 *
 * - orthogonal factors are products of Givens rotations whose cosine and sine come from
 *   Pythagorean triples, `(m² − n², 2mn)/(m² + n²)` (rational, rounded once), with random
 *   signs and a random column order — every pair of coordinates is mixed;
 * - `Σyx = Ũ S̃ Ṽᵀ` and the zero-balanced init `W1 = R S^{1/2} Vᵀ`, `W2 = U S^{1/2} Rᵀ` from the
 *   first columns of such factors: `W1W1ᵀ = R S Rᵀ = W2ᵀW2` up to rounding, and the task's and
 *   the init's singular vectors and values are known without a decomposition;
 * - whitened inputs are rows of a Sylvester–Hadamard matrix (`±1` entries): `XXᵀ/P = I`
 *   exactly, and target noise along the remaining rows is orthogonal to the inputs, so it
 *   changes `tr Σyy` and not `Σyx`.
 *
 * Random choices come from a seeded mulberry32 generator defined here.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import type { Task } from "../src/task.ts";
import { detSign } from "./exact_problems.ts";

/** A seeded uniform generator on `[0, 1)` (mulberry32), independent of `src/random.ts`. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `a · b` (or with either transposed) by the definition, summing in index order. */
export function product(a: Matrix, b: Matrix, transA = false, transB = false): Matrix {
  const rows = transA ? a.cols : a.rows, inner = transA ? a.rows : a.cols;
  const cols = transB ? b.rows : b.cols;
  const at = (i: number, k: number) => (transA ? a.get(k, i) : a.get(i, k));
  const bt = (k: number, j: number) => (transB ? b.get(j, k) : b.get(k, j));
  return Matrix.fromFunction(rows, cols, (i, j) => {
    let s = 0;
    for (let k = 0; k < inner; k++) s += at(i, k) * bt(k, j);
    return s;
  });
}

/** `a` with column `j` multiplied by `d[j]`. */
export function scaleColumns(a: Matrix, d: readonly number[]): Matrix {
  return Matrix.fromFunction(a.rows, a.cols, (i, j) => a.get(i, j) * d[j]);
}

/** The `n × n` Sylvester–Hadamard matrix (`n` a power of two): `±1` entries, `HHᵀ = nI`. */
export function hadamard(n: number): Matrix {
  if (!(n >= 1 && Number.isInteger(Math.log2(n)))) throw new Error(`hadamard: n = ${n}`);
  return Matrix.fromFunction(n, n, (i, j) => {
    let bits = i & j, parity = 0;
    for (; bits; bits &= bits - 1) parity ^= 1;
    return parity ? -1 : 1;
  });
}

/**
 * A random `n × n` orthogonal matrix: Givens rotations with Pythagorean angles in every
 * coordinate plane `(i, j)`, `i < j`, then random column signs and order.
 */
export function givensOrthogonal(n: number, rand: () => number): Matrix {
  const q = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => +(i === j)));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = 2 + Math.floor(rand() * 6), k = 1 + Math.floor(rand() * (m - 1));
      const h = m * m + k * k, c = (m * m - k * k) / h, s = (2 * m * k) / h;
      for (let r = 0; r < n; r++) {
        const x = q[r][i], y = q[r][j];
        q[r][i] = c * x - s * y;
        q[r][j] = s * x + c * y;
      }
    }
  }
  const order = Array.from({ length: n }, (_, j) => j);
  for (let j = n - 1; j > 0; j--) {
    const k = Math.floor(rand() * (j + 1));
    [order[j], order[k]] = [order[k], order[j]];
  }
  const sign = order.map(() => (rand() < 0.5 ? -1 : 1));
  return Matrix.fromFunction(n, n, (r, j) => sign[j] * q[r][order[j]]);
}

/** The first `k` columns of `a`. */
export function firstColumns(a: Matrix, k: number): Matrix {
  return Matrix.fromFunction(a.rows, k, (i, j) => a.get(i, j));
}

/** A problem and the factors it was built from. */
export interface IndependentProblem {
  task: Task;
  init: { w1: Matrix; w2: Matrix };
  ni: number;
  nh: number;
  no: number;
  nm: number;
  /** `Σyx = Ũ S̃ Ṽᵀ`, `S̃` descending. */
  ut: Matrix;
  st: number[];
  vt: Matrix;
  /** `W2W1(0) = U S Vᵀ`. */
  u: Matrix;
  s: number[];
  v: Matrix;
}

/** What {@link independentProblem} builds. */
export interface IndependentShape {
  ni: number;
  nh: number;
  no: number;
  /** Task singular values (`Nm` of them, any order: sorted descending here). */
  taskValues: readonly number[];
  /** Init singular values (`Nm`). */
  initValues: readonly number[];
  /** Square problems: `B` regular (sign det of `ṼᵀV UᵀŨ` = +1) or singular (−1). */
  b?: "regular" | "singular";
  seed: number;
}

/**
 * A whitened task and a zero-balanced init built by the recipe of the module documentation.
 * For square problems `b` picks the sign of `det(ṼᵀV UᵀŨ)` (MATH.md: `B` is singular exactly
 * when it is negative) by flipping a column of `U`.
 */
export function independentProblem(shape: IndependentShape): IndependentProblem {
  const { ni, nh, no } = shape;
  const nm = Math.min(ni, no);
  const rand = mulberry32(shape.seed);
  const ut = firstColumns(givensOrthogonal(no, rand), nm);
  const vt = firstColumns(givensOrthogonal(ni, rand), nm);
  let u = firstColumns(givensOrthogonal(no, rand), nm);
  const v = firstColumns(givensOrthogonal(ni, rand), nm);
  const r = firstColumns(givensOrthogonal(nh, rand), nm);
  if (ni === no && shape.b !== undefined) {
    const sign = detSign(product(product(vt, v, true), product(u, ut, true)));
    if (sign !== (shape.b === "singular" ? -1 : 1)) {
      u = scaleColumns(u, Array.from({ length: nm }, (_, j) => (j === 0 ? -1 : 1)));
    }
  }
  const st = [...shape.taskValues].sort((a, b) => b - a), s = [...shape.initValues];
  const half = s.map(Math.sqrt);
  return {
    task: { sigmaYX: product(scaleColumns(ut, st), vt, false, true), sigmaXX: Matrix.identity(ni) },
    init: {
      w1: product(scaleColumns(r, half), v, false, true),
      w2: product(scaleColumns(u, half), r, false, true),
    },
    ni,
    nh,
    no,
    nm,
    ut,
    st,
    vt,
    u,
    s,
    v,
  };
}

/**
 * A task from data on whitened inputs: `X` is `ni` rows (from row 1 on) of the `p × p`
 * Hadamard matrix, `Y = Σ X + N` with noise `N` along the rows `ni + 1 …` (orthogonal to `X`)
 * with the given amplitudes per output. `Σyx`, `Σxx` and `tr Σyy` are computed from `X`, `Y` by
 * their definitions (`YXᵀ/P`, `XXᵀ/P`, `‖Y‖²_F/P`).
 */
export function taskFromHadamardData(
  sigma: Matrix,
  p: number,
  noise: readonly number[],
  name?: string,
): Task {
  const [no, ni] = sigma.shape;
  const h = hadamard(p);
  if (ni + 1 + no > p) throw new Error(`taskFromHadamardData: P = ${p} is too small`);
  const x = Matrix.fromFunction(ni, p, (i, j) => h.get(1 + i, j));
  const n = Matrix.fromFunction(no, p, (a, j) => noise[a] * h.get(1 + ni + a, j));
  const sx = product(sigma, x);
  const y = Matrix.fromFunction(no, p, (a, j) => sx.get(a, j) + n.get(a, j));
  const scale = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((e) => e / p));
  return {
    sigmaYX: scale(product(y, x, false, true)),
    sigmaXX: scale(product(x, x, false, true)),
    traceYY: y.data.reduce((acc, e) => acc + e * e, 0) / p,
    X: x,
    Y: y,
    ...(name === undefined ? {} : { name }),
  };
}

/** The loss `½⟨‖W x − y‖²⟩` of the network function `w` on a task's data, by its definition. */
export function dataLoss(task: Task, w: Matrix): number {
  const { X: x, Y: y } = task;
  if (x === undefined || y === undefined) throw new Error("dataLoss: the task has no data");
  const wx = product(w, x);
  let sum = 0;
  for (let e = 0; e < y.data.length; e++) sum += (wx.data[e] - y.data[e]) ** 2;
  return (0.5 * sum) / x.cols;
}
