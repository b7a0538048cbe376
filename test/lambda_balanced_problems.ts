/**
 * λ-balanced problems for the lazy/rich tests, built from orthonormal factors without any
 * library decomposition or constructor (MATH.md recipe): `Σyx = Ũ S̃ Ṽᵀ`, `W2W1(0) = U S Vᵀ`
 * (full orthogonal `U`, `V`), hidden mode `k < Nm` with `σ1ₖ² = (√(λ² + 4sₖ²) − λ)/2` in `W1` and
 * `σ2ₖ² = (√(λ² + 4sₖ²) + λ)/2` in `W2` (each side evaluated without cancellation), extra hidden
 * units with `√λ` along a column of `U` beyond `Nm` (`λ > 0`) or `√−λ` along a column of `V`
 * (`λ < 0`). So `W2ᵀW2 − W1W1ᵀ = λI` and the layers' singular values are known exactly.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import type { Random } from "../src/random.ts";
import type { FlowProblem } from "./reference/gradient_flow.ts";

/** A λ-balanced problem with its known factors. */
export interface LambdaProblem {
  ni: number;
  nh: number;
  no: number;
  lambda: number;
  sigmaYX: Matrix;
  w1: Matrix;
  w2: Matrix;
  /** Task factors: `Ũ` (`No × No`), `s̃` (`Nm`), `Ṽ` (`Ni × Ni`). */
  ut: Matrix;
  st: number[];
  vt: Matrix;
  /** Init factors: `U`, `s` (`Nm`), `V`. */
  u: Matrix;
  s: number[];
  v: Matrix;
  /** Exact singular values of `W1` and `W2` (descending, `min(Nh, Ni)` and `min(Nh, No)`). */
  sigma1: number[];
  sigma2: number[];
}

/** Options of {@link lambdaProblem}. */
export interface LambdaShape {
  ni: number;
  nh: number;
  no: number;
  lambda: number;
  /** Init singular values `s` (`Nm`), or a typical scale for random ones (`scale · [0.5, 1.5)`). */
  s: number[] | number;
  /** Task singular values (`Nm`); default random in `[0.5, 2.5)`. */
  st?: number[];
  /** Init singular vectors equal to the task's (an aligned init), default false. */
  aligned?: boolean;
  /** Keep the task's left (`No > Ni`) or right (`Ni > No`) singular subspace but rotate inside it. */
  sameSubspace?: boolean;
}

function mul(a: Matrix, b: Matrix, transB = false): Matrix {
  const n = transB ? b.rows : b.cols;
  return Matrix.fromFunction(a.rows, n, (i, j) => {
    let sum = 0;
    for (let k = 0; k < a.cols; k++) sum += a.get(i, k) * (transB ? b.get(j, k) : b.get(k, j));
    return sum;
  });
}

/** `Σₖ dₖ aₖ bₖᵀ` over the first `d.length` columns of `a` and `b`. */
function outer(a: Matrix, d: number[], b: Matrix, ca = 0, cb = 0): Matrix {
  return Matrix.fromFunction(a.rows, b.rows, (i, j) => {
    let sum = 0;
    for (let k = 0; k < d.length; k++) sum += a.get(i, ca + k) * d[k] * b.get(j, cb + k);
    return sum;
  });
}

function addTo(a: Matrix, b: Matrix): Matrix {
  return new Matrix(a.rows, a.cols, a.data.map((x, i) => x + b.data[i]));
}

/** The hidden mode's layer values `σ1² = (r − λ)/2`, `σ2² = (r + λ)/2`, `r = √(λ² + 4s²)`. */
export function modeLayers(s: number, lambda: number): { s1: number; s2: number } {
  const r = Math.hypot(lambda, 2 * s);
  const low = (2 * s * s) / (r + Math.abs(lambda)), high = (r + Math.abs(lambda)) / 2;
  return lambda >= 0
    ? { s1: Math.sqrt(low), s2: Math.sqrt(high) }
    : { s1: Math.sqrt(high), s2: Math.sqrt(low) };
}

/** A random λ-balanced problem of the given shape (see the module documentation). */
export function lambdaProblem(rng: Random, shape: LambdaShape): LambdaProblem {
  const { ni, nh, no, lambda } = shape, nm = Math.min(ni, no);
  const extra = nh - nm;
  if (extra < 0 || (extra > 0 && (lambda > 0 ? no - nm : lambda < 0 ? ni - nm : 0) < extra)) {
    throw new Error(`inadmissible λ-balanced shape ${ni}-${nh}-${no}, λ = ${lambda}`);
  }
  const st = shape.st ?? Array.from({ length: nm }, () => 0.5 + 2 * rng.uniform());
  st.sort((a, b) => b - a);
  const s = typeof shape.s === "number"
    ? Array.from({ length: nm }, () => (shape.s as number) * (0.5 + rng.uniform()))
    : shape.s;
  const ut = rng.orthonormal(no, no), vt = rng.orthonormal(ni, ni);
  let u = rng.orthonormal(no, no), v = rng.orthonormal(ni, ni);
  if (shape.aligned) {
    u = ut;
    v = vt;
  } else if (shape.sameSubspace) {
    // Rotate the task's compact singular vectors inside their span (and the complement inside
    // its own), so W2W1(0) has the task's column space (No > Ni) or row space (Ni > No).
    const side = no >= ni ? ut : vt, n = side.rows;
    const a = rng.orthonormal(nm, nm), b = rng.orthonormal(n - nm || 1, n - nm || 1);
    const rotated = Matrix.fromFunction(n, n, (i, j) => {
      let sum = 0;
      if (j < nm) { for (let k = 0; k < nm; k++) sum += side.get(i, k) * a.get(k, j); }
      else for (let k = nm; k < n; k++) sum += side.get(i, k) * b.get(k - nm, j - nm);
      return sum;
    });
    if (no >= ni) u = rotated;
    else v = rotated;
  }
  const r = rng.orthonormal(nh, nh);
  const layers = s.map((x) => modeLayers(x, lambda));
  let w1 = outer(r, layers.map((l) => l.s1), v);
  let w2 = outer(u, layers.map((l) => l.s2), r);
  const root = Math.sqrt(Math.abs(lambda)), extras = Array(extra).fill(root);
  if (extra > 0 && lambda > 0) w2 = addTo(w2, outer(u, extras, r, nm, nm));
  if (extra > 0 && lambda < 0) w1 = addTo(w1, outer(r, extras, v, nm, nm));
  const desc = (xs: number[]) => xs.slice().sort((a, b) => b - a);
  return {
    ni,
    nh,
    no,
    lambda,
    sigmaYX: outer(ut, st, vt),
    w1,
    w2,
    ut,
    st,
    vt,
    u,
    s,
    v,
    sigma1: desc([...layers.map((l) => l.s1), ...(lambda < 0 ? extras : [])]),
    sigma2: desc([...layers.map((l) => l.s2), ...(lambda > 0 ? extras : [])]),
  };
}

/** The problem for the independent gradient-flow reference. */
export function flowOf(p: LambdaProblem, tau = 1): FlowProblem {
  return { sigmaYX: p.sigmaYX.toArray(), w1: p.w1.toArray(), w2: p.w2.toArray(), tau };
}

/** `W2W1` of plain weights. */
export function product(w1: Matrix, w2: Matrix): Matrix {
  return mul(w2, w1);
}

/** `W2ᵀW2 − W1W1ᵀ − λI`, max-abs, relative to `max(|λ|, ‖W‖²_max)`. */
export function imbalance(w1: Matrix, w2: Matrix, lambda: number): number {
  const g2 = mul(w2.transpose(), w2), g1 = mul(w1, w1, true);
  let m = 0, big = Math.abs(lambda);
  for (let i = 0; i < g1.rows; i++) {
    for (let j = 0; j < g1.cols; j++) {
      m = Math.max(m, Math.abs(g2.get(i, j) - g1.get(i, j) - (i === j ? lambda : 0)));
      big = Math.max(big, Math.abs(g2.get(i, j)), Math.abs(g1.get(i, j)));
    }
  }
  return m / big;
}
