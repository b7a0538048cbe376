/**
 * Shared pieces of the property files: solving a generated problem, the accuracy each exact
 * form is expected to reach in f64, and matrix measures the invariants are stated in.
 *
 * @module
 */
import { Matrix } from "../../src/matrix.ts";
import { matmul, sub } from "../../src/linalg/blas.ts";
import { symmetricEigen } from "../../src/linalg/eigen.ts";
import { type ExactOptions, type ExactTrajectory, solveExact } from "../../src/exact/solve.ts";
import { joinQQt } from "../../src/exact/solution.ts";
import { type Problem, taskRange } from "./arbitraries.ts";
import type { AnyBackend } from "./harness.ts";

/** Unit roundoff of f64 doubled (`2⁻⁵²`). */
export const EPS = Number.EPSILON;

/** `QQᵀ(t)` of a problem at each time (units of τ = 1), by `solveExact` in `be`. */
export function solveQQt(
  be: AnyBackend,
  p: Pick<Problem, "task" | "init">,
  times: readonly number[],
  options: ExactOptions = {},
): { qqt: Matrix[]; traj: ExactTrajectory } {
  const traj = solveExact(be, p.task, p.init, times, options);
  return { qqt: traj.states.map(joinQQt), traj };
}

/**
 * Relative accuracy the library's exact solution reaches in f64 on `p` up to time `tMax`,
 * from the arithmetic of the form `auto` picks:
 * - Theorem 3.1 multiplies by `B⁻¹` on both sides (`B⁻¹S⁻¹B⁻ᵀ`, `B⁻¹C`), so a rounding error
 *   of relative size `ε` in its inputs becomes at most about `cond(B)² ε` in `center`, and the
 *   Cholesky solve and products add a dimension-sized factor: `c · cond(B)² · ε` with
 *   `c = 1e3` (measured: below `5e-13` at `cond(B) ≤ 100` over hundreds of cases, i.e. `c` ≤
 *   about 20; the margin covers the worst draws of a deep run);
 * - the B-free form carries `e^{s̃_max t}` in `Z̄` and `e^{2 s̃_max t}` in `M̄` while the result
 *   is of order one: `c · e^{2 s̃_max t} · ε`.
 */
export function exactTolerance(traj: ExactTrajectory, condB: number, sMax: number, tMax: number) {
  return traj.method === "stable" ? 1e3 * condB ** 2 * EPS : 1e3 * Math.exp(2 * sMax * tMax) * EPS;
}

/** The blocks `W1ᵀW1`, `W2W1`, `W2W2ᵀ` of a `QQᵀ` with `ni` inputs (plain slices). */
export function blocksOf(q: Matrix, ni: number): { w1tw1: Matrix; w2w1: Matrix; w2w2t: Matrix } {
  const n = q.rows;
  return {
    w1tw1: q.slice(0, ni, 0, ni),
    w2w1: q.slice(ni, n, 0, ni),
    w2w2t: q.slice(ni, n, ni, n),
  };
}

/** `‖a − b‖_F / scale`. */
export function scaledDistance(a: Matrix, b: Matrix, scale: number): number {
  return sub(a, b).normFrobenius() / scale;
}

/** `a · a`. */
export function square(a: Matrix): Matrix {
  return matmul(a, a);
}

/** `‖A − Aᵀ‖_F / ‖A‖_F` (0 for the zero matrix). */
export function asymmetry(a: Matrix): number {
  const n = a.normFrobenius();
  return n === 0 ? 0 : sub(a, a.transpose()).normFrobenius() / n;
}

/** Eigenvalues of the symmetric part of `a`, ascending. */
export function eigenvalues(a: Matrix): Float64Array {
  const sym = Matrix.fromFunction(a.rows, a.cols, (i, j) => (a.get(i, j) + a.get(j, i)) / 2);
  return symmetricEigen(sym).values;
}

/** Task singular-value range of a problem (`s̃_max`, `s̃_min`). */
export { taskRange };
