/**
 * Random problems for the exact-solution tests, built from orthonormal factors so that no
 * library decomposition is involved: `Σyx = Ũ S̃ Ṽᵀ` and a zero-balanced init
 * `W1 = R S^{1/2} Vᵀ`, `W2 = U S^{1/2} Rᵀ` (MATH.md), so `W2W1(0) = U S Vᵀ` exactly up to rounding.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import type { Random } from "../src/random.ts";
import type { Task } from "../src/task.ts";
import type { ExactInputs } from "../src/exact/assumptions.ts";
import type { FlowProblem } from "./reference/gradient_flow.ts";

/** A generated problem in every form the tests need. */
export interface Problem {
  task: Task;
  inputs: ExactInputs;
  flow: FlowProblem;
  ni: number;
  nh: number;
  no: number;
}

/** Options of {@link randomProblem}. */
export interface ProblemShape {
  ni: number;
  nh: number;
  no: number;
  /** Typical singular value of `W2W1(0)` (singular values are `scale · [0.5, 1.5)`). */
  scale: number;
  /** Force `B` singular (square only): `sign det W2W1(0) ≠ sign det Σyx`. */
  singularB?: boolean;
  /** Force `B` non-singular (square only). */
  regularB?: boolean;
  /** Task singular values (`min(Ni, No)` of them); default random in `[0.5, 2.5)`. */
  singularValues?: readonly number[];
  /** Singular values of `W2W1(0)` (`min(Ni, No)` of them); overrides `scale`. */
  initSingularValues?: readonly number[];
  /**
   * A near-reversal (`Ni = No`, even): `V = ṼO`, `U = −ŨOH` with `O` random orthogonal and `H`
   * a rotation by this angle in every coordinate plane, so `B = −(OH)ᵀ + Oᵀ` has every singular
   * value `2 sin(angle/2)`: `B ≈ angle·orthogonal` (0 would be an exact reversal).
   */
  reversalAngle?: number;
}

/** A rotation by `angle` in each coordinate plane `(2k, 2k+1)` (`n` even). */
function planeRotation(n: number, angle: number): Matrix {
  return Matrix.fromFunction(n, n, (i, j) => {
    if (i >> 1 !== j >> 1) return 0;
    if (i === j) return Math.cos(angle);
    return (i < j ? -1 : 1) * Math.sin(angle);
  });
}

/** `a · b` for plain matrices. */
function mul(a: Matrix, b: Matrix): Matrix {
  return Matrix.fromFunction(a.rows, b.cols, (i, j) => {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
    return s;
  });
}

function scaleCols(a: Matrix, d: number[]): Matrix {
  return Matrix.fromFunction(a.rows, a.cols, (i, j) => a.get(i, j) * d[j]);
}

/** Sign of the determinant by Gaussian elimination with partial pivoting. */
export function detSign(a: Matrix): number {
  const n = a.rows,
    m = Array.from({ length: n }, (_, i) => Array.from(a.data.slice(i * n, i * n + n)));
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i][k]) > Math.abs(m[p][k])) p = i;
    if (m[p][k] === 0) return 0;
    if (p !== k) [m[p], m[k]] = [m[k], m[p]], sign = -sign;
    if (m[k][k] < 0) sign = -sign;
    for (let i = k + 1; i < n; i++) {
      const f = m[i][k] / m[k][k];
      for (let j = k; j < n; j++) m[i][j] -= f * m[k][j];
    }
  }
  return sign;
}

/**
 * A random whitened task and zero-balanced init of the given shape and scale. Task singular
 * values are in `[0.5, 2.5)` unless given.
 */
export function randomProblem(rng: Random, shape: ProblemShape): Problem {
  const { ni, nh, no, scale } = shape;
  const nm = Math.min(ni, no);
  const ut = rng.orthonormal(no, nm), vt = rng.orthonormal(ni, nm);
  const st = shape.singularValues
    ? [...shape.singularValues]
    : Array.from({ length: nm }, () => 0.5 + 2 * rng.uniform());
  let u = rng.orthonormal(no, nm);
  let v = rng.orthonormal(ni, nm);
  const r = rng.orthonormal(nh, nm);
  const s = shape.initSingularValues
    ? [...shape.initSingularValues]
    : Array.from({ length: nm }, () => scale * (0.5 + rng.uniform()));
  if (shape.reversalAngle !== undefined) {
    const o = rng.orthonormal(nm, nm);
    v = mul(vt, o);
    u = scaleCols(mul(ut, mul(o, planeRotation(nm, shape.reversalAngle))), Array(nm).fill(-1));
  }
  if (shape.singularB || shape.regularB) {
    // B is singular iff sign det(ṼᵀV UᵀŨ) = −1 (square case); flip a column of U to choose.
    const o = mul(mul(vt.transpose(), v), mul(u.transpose(), ut));
    const want = shape.singularB ? -1 : 1;
    if (detSign(o) !== want) {
      u = scaleCols(
        u,
        Array.from({ length: nm }, (_, j) => j === 0 ? -1 : 1),
      );
    }
  }
  const sigmaYX = mul(scaleCols(ut, st), vt.transpose());
  const half = s.map(Math.sqrt);
  const w1 = mul(scaleCols(r, half), v.transpose());
  const w2 = mul(scaleCols(u, half), r.transpose());
  return problemOf(sigmaYX, w1, w2);
}

/** A problem in every form the tests need, from `Σyx` and the weights (whitened inputs). */
export function problemOf(sigmaYX: Matrix, w1: Matrix, w2: Matrix): Problem {
  const sigmaXX = Matrix.identity(w1.cols);
  return {
    task: { sigmaYX, sigmaXX },
    inputs: { sigmaYX, sigmaXX, w1, w2 },
    flow: { sigmaYX: sigmaYX.toArray(), w1: w1.toArray(), w2: w2.toArray() },
    ni: w1.cols,
    nh: w1.rows,
    no: w2.rows,
  };
}
