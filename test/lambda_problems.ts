/**
 * Random λ-balanced problems for the tests, built from orthonormal factors without the library's
 * λ-balanced constructor: `Σyx = Ũ S̃ Ṽᵀ`, and `W1 = R diag(s1) V̂ᵀ`, `W2 = Û diag(s2) Rᵀ` with
 * `s2 = √((r + λ)/2)`, `s1 = s/s2` for λ ≥ 0 (mirrored for λ < 0), `r = √(λ² + 4s²)`, and extra
 * hidden units carrying `√|λ|` along further columns of full random orthogonal `Û` or `V̂`.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import type { Random } from "../src/random.ts";
import type { Task } from "../src/task.ts";
import type { ExactInputs } from "../src/exact/assumptions.ts";
import type { FlowProblem } from "./reference/gradient_flow.ts";
import { problemOf } from "./exact_problems.ts";

/** A generated λ-balanced problem. */
export interface LambdaProblem {
  task: Task;
  inputs: ExactInputs;
  flow: FlowProblem;
  ni: number;
  nh: number;
  no: number;
  lambda: number;
  /** Singular values of `W2W1(0)`. */
  s: number[];
  /** Singular values of `Σyx`. */
  st: number[];
  /** Singular values of `W1` and `W2` by hidden unit (`Nh` each, zeros included). */
  s1: number[];
  s2: number[];
  /** `Ũ` (`No × Nm`) and `Ṽ` (`Ni × Nm`) of `Σyx`. */
  ut: Matrix;
  vt: Matrix;
}

/** Shape, λ and scale of a {@link randomLambdaProblem}. */
export interface LambdaShape {
  ni: number;
  nh: number;
  no: number;
  lambda: number;
  /** Typical singular value of `W2W1(0)` (drawn in `scale · [0.5, 1.5)`). */
  scale: number;
  /** Task singular values (default random in `[0.5, 2.5)`). */
  singularValues?: readonly number[];
  /** Singular values of `W2W1(0)` (`Nm` of them; default drawn from `scale`). */
  initSingularValues?: readonly number[];
  /** Make `W2W1(0)` share the task's singular vectors (an aligned init). */
  aligned?: boolean;
  /**
   * Give `W2W1(0)` the task's column space (`No ≥ Ni`) or row space (`Ni > No`), rotated inside
   * it: the task's compact singular vectors on that side times a random `Nm × Nm` rotation, the
   * complement likewise.
   */
  sameSubspace?: boolean;
}

function mul(a: Matrix, b: Matrix, transB = false): Matrix {
  return Matrix.fromFunction(a.rows, transB ? b.rows : b.cols, (i, j) => {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.get(i, k) * (transB ? b.get(j, k) : b.get(k, j));
    return s;
  });
}

/** The first `k` columns of `a` times `d` (column scaling), padded with zero columns to `n`. */
function cols(a: Matrix, d: number[], n: number): Matrix {
  return Matrix.fromFunction(a.rows, n, (i, j) => (j < d.length ? a.get(i, j) * d[j] : 0));
}

/** A whitened task and a λ-balanced init of an admissible shape (not checked here). */
export function randomLambdaProblem(rng: Random, shape: LambdaShape): LambdaProblem {
  const { ni, nh, no, lambda, scale } = shape;
  const nm = Math.min(ni, no);
  const uf = rng.orthonormal(no, no), vf = rng.orthonormal(ni, ni);
  const st = shape.singularValues
    ? [...shape.singularValues]
    : Array.from({ length: nm }, () => 0.5 + 2 * rng.uniform()).sort((a, b) => b - a);
  const sigmaYX = mul(cols(uf, st, nm), cols(vf, Array(nm).fill(1), nm), true);
  let u = shape.aligned ? uf : rng.orthonormal(no, no);
  let v = shape.aligned ? vf : rng.orthonormal(ni, ni);
  if (shape.sameSubspace) {
    if (no >= ni) u = withinSubspaces(rng, uf, nm);
    else v = withinSubspaces(rng, vf, nm);
  }
  const s = shape.initSingularValues
    ? [...shape.initSingularValues]
    : Array.from({ length: nm }, () => scale * (0.5 + rng.uniform()));
  const s1: number[] = [], s2: number[] = [];
  for (const sk of s) {
    const big = Math.sqrt((Math.sqrt(lambda * lambda + 4 * sk * sk) + Math.abs(lambda)) / 2);
    s1.push(lambda >= 0 ? sk / big : big);
    s2.push(lambda >= 0 ? big : sk / big);
  }
  for (let k = nm; k < nh; k++) {
    s1.push(lambda < 0 ? Math.sqrt(-lambda) : 0);
    s2.push(lambda > 0 ? Math.sqrt(lambda) : 0);
  }
  const r = rng.orthonormal(nh, nh);
  const pick = (full: Matrix, d: number[]) =>
    Matrix.fromFunction(full.rows, nh, (i, j) => (j < full.cols ? full.get(i, j) * d[j] : 0));
  const w1 = mul(cols(r, s1, nh), pick(v, Array(nh).fill(1)), true);
  const w2 = mul(pick(u, s2), r, true);
  return {
    ...problemOf(sigmaYX, w1, w2),
    lambda,
    s,
    st,
    s1,
    s2,
    ut: uf.slice(0, no, 0, nm),
    vt: vf.slice(0, ni, 0, nm),
  };
}

/** `[F₁A, F₂B]`: the first `k` columns of `f` and the rest, each rotated by a random orthogonal. */
function withinSubspaces(rng: Random, f: Matrix, k: number): Matrix {
  const n = f.rows, a = rng.orthonormal(k, k), b = n > k ? rng.orthonormal(n - k, n - k) : a;
  return Matrix.fromFunction(n, n, (i, j) => {
    let sum = 0;
    if (j < k) { for (let l = 0; l < k; l++) sum += f.get(i, l) * a.get(l, j); }
    else for (let l = k; l < n; l++) sum += f.get(i, l) * b.get(l - k, j - k);
    return sum;
  });
}

/** The shape patterns of issue 12's acceptance test. */
export type Pattern = "Ni=No" | "Ni<No" | "Ni>No" | "Nh>Nm";

/**
 * A random admissible `(Ni, Nh, No)` of `pattern` for λ of the given sign (sizes ≤ 6). `Nh > Nm`
 * needs the larger side to match λ's sign (or λ = 0).
 */
export function randomShape(
  rng: Random,
  pattern: Pattern,
  sign: number,
): { ni: number; nh: number; no: number } {
  const int = (lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));
  const a = int(1, 4), b = int(a + 1, 6);
  if (pattern === "Ni=No") return { ni: a, nh: a, no: a };
  if (pattern === "Ni<No") return { ni: a, nh: a, no: b };
  if (pattern === "Ni>No") return { ni: b, nh: a, no: a };
  // Nh > Nm: the larger side must be on λ's side (λ > 0: No, λ < 0: Ni); λ = 0: either.
  const outputsLarger = sign > 0 || (sign === 0 && rng.uniform() < 0.5);
  const nh = int(a + 1, b + (sign === 0 ? 2 : 0));
  return outputsLarger ? { ni: a, nh, no: b } : { ni: b, nh, no: a };
}
