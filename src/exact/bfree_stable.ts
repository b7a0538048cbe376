/**
 * The stable B-free form: valid for every `B` (singular included) and free of growing
 * exponentials, so f64 keeps its accuracy at all times (MATH.md's "open work", route taken:
 * an elimination of `Bᵀ` in order of decreasing `s̃ᵢ`).
 *
 * `QQᵀ = Z̄ M̄⁻¹ Z̄ᵀ` (the B-free form, `bfree.ts`) is unchanged by `Z̄ → Z̄T`, `M̄ → TᵀM̄T`. With the
 * echelon factorisation `T̃ᵀB = R'` of `echelon.ts` take `T = T̃ Φ`, `Φ = diag(e^{−μ_k t/τ})`,
 * `μ_k = s̃_{p(k)}` for the pivot column `p(k)` of row `k` of `R'` (0 for a zero row). Then
 *
 *   (Z̄T)ᵀ = F [Ṽ;Ũ]ᵀ + Φ K̃ E [−Ṽ;Ũ]ᵀ + Φ T̃ᵀ [2Ṽ⊥Ṽ⊥ᵀV; 2Ũ⊥Ũ⊥ᵀU]ᵀ
 *   TᵀM̄T = Φ (4 T̃ᵀS⁻¹T̃ + 4 (t/τ) T̃ᵀDT̃ + K̃ G K̃ᵀ) Φ + F G Fᵀ
 *
 * with `K̃ = T̃ᵀC`, `G = (I − E²)S̃⁻¹` and `F = Φ R' E⁻¹`, i.e. `F_ki = R'_ki e^{(s̃_i − μ_k) t/τ}`:
 * `R'_ki ≠ 0` only for `i ≥ p(k)`, where `s̃_i ≤ μ_k`, so every exponent is ≤ 0 and is formed as
 * one `exp` of a precomputed difference (never a product of a huge and a tiny factor). The
 * growing factor `B(E⁻² − I)S̃⁻¹Bᵀ` of `M̄` becomes `F G Fᵀ` because `e^{2s̃t/τ} − 1 = e^{2s̃t/τ}(1 − e^{−2s̃t/τ})`.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import { echelonOfB, echelonTolerance } from "./echelon.ts";
import { bfreeStableError, F64_UNIT, modeConditioning, unitRoundoff } from "./error_estimate.ts";
import type { Modes } from "./modes.ts";
import { congruenceInverse, type ExactSolution } from "./solution.ts";
import { inverseDiagonal } from "./stable.ts";

/**
 * Prepares the stable B-free form from {@link Modes} (assumptions 2.2–2.4 checked; any `B`).
 * Handles live in the caller's scope.
 */
export function bfreeStableSolution<M>(
  be: Backend<M>,
  m: Modes<M>,
  reason = "stable B-free form (valid for singular B)",
  warnings: string[] = [],
  perturbation = F64_UNIT,
): ExactSolution<M> {
  const { c, d, s, st, zSum, zDiff, zPerp } = m;
  const n = m.dims.nm;
  const ech = echelonOfB(be, m.b, echelonTolerance(be, n));
  const stalled = saddleWarning(be.toMatrix(st).data, ech.pivots, perturbation);
  if (stalled) warnings = [...warnings, stalled];
  const { t, r } = ech;
  // μ = Sel·s̃ picks s̃ at each row's pivot (0 for zero rows); Δ_ki = s̃_i − μ_k where R'_ki ≠ 0.
  const sel = be.from(Matrix.fromFunction(n, n, (k, j) => (j === ech.pivots[k] ? 1 : 0)));
  const mu = be.matmul(sel, st);
  const ones = be.from(Matrix.fromFunction(n, 1, () => 1));
  const pattern = be.from(nonZero(be.toMatrix(r)));
  const delta = be.hadamard(
    be.sub(be.matmul(ones, st, false, true), be.matmul(mu, ones, false, true)),
    pattern,
  );
  const tt = be.transpose(t);
  const fixed = be.scale(be.matmul(tt, be.matmul(inverseDiagonal(be, s), t)), 4);
  const h2 = d ? be.scale(be.matmul(tt, be.matmul(d, t)), 4) : undefined;
  const kt = be.matmul(tt, c); // K̃ = T̃ᵀC
  const zSumT = be.transpose(zSum), zDiffT = be.transpose(zDiff);
  const zpT = zPerp ? be.matmul(tt, be.transpose(zPerp)) : undefined;
  const negInvSt = be.scale(be.divide(ones, st), -1);
  const error = bfreeStableError(unitRoundoff(be), modeConditioning(be, m));
  return {
    method: "bfree-stable",
    reason,
    warnings,
    dims: m.dims,
    errorAt: () => error,
    at(x: number): M {
      const e = be.expScaled(st, -x), phi = be.expScaled(mu, -x);
      const g = be.hadamard(be.expm1Scaled(st, -2 * x), negInvSt); // (1 − E²) S̃⁻¹
      const f = be.hadamard(r, be.expScaled(delta, x)); // Φ R' E⁻¹, entries ≤ |R'|
      let inner = be.add(fixed, be.matmul(be.scaleCols(kt, g), kt, false, true));
      if (h2) inner = be.add(inner, be.scale(h2, x));
      const center = be.add(
        be.scaleRows(phi, be.scaleCols(inner, phi)),
        be.matmul(be.scaleCols(f, g), f, false, true),
      );
      let zt = be.add(
        be.matmul(f, zSumT),
        be.matmul(be.scaleRows(phi, be.scaleCols(kt, e)), zDiffT),
      );
      if (zpT) zt = be.add(zt, be.scaleRows(phi, zpT));
      return congruenceInverse(be, center, zt);
    },
  };
}

/**
 * The warning for a singular `B` (MATH.md, "Two facts about singular B"): the task modes whose
 * columns of `R'` have no pivot stay at the saddle in the exact solution, which describes
 * exactly balanced weights. Weights balanced only to a relative `δ` (`perturbation`, at least
 * f64's rounding) leave it: a perturbation of the weights along a reversed mode of strength `s̃`
 * grows like `δ e^{s̃ t/τ}`, so the flow of the given numbers departs at about
 * `t ≈ (τ/s̃) ln(1/δ)` (measured against the gradient-flow integrator: departures at
 * 24–40τ matched within 2τ for δ = 2^−53). Undefined when no mode stalls.
 */
export function saddleWarning(
  st: ArrayLike<number>,
  pivots: readonly number[],
  perturbation: number,
): string | undefined {
  const modes = Array.from(st, (v, j) => ({ j, v })).filter(({ j }) => !pivots.includes(j));
  if (modes.length === 0) return undefined;
  const delta = Math.max(perturbation, F64_UNIT);
  const list = modes.map(({ j, v }) =>
    `${j + 1} (s̃ = ${v.toPrecision(4)}, leaves at t ≈ ${(Math.log(1 / delta) / v).toPrecision(3)}τ)`
  ).join(", ");
  return `B is singular: the answer is the exactly balanced idealisation, which stays at the ` +
    `saddle with ${modes.length === 1 ? "task mode" : "task modes"} ${list} unlearned; the flow ` +
    `of the given weights (balanced to δ = ${delta.toExponential(1)}) leaves the saddle at ` +
    `about t ≈ (τ/s̃) ln(1/δ), and from then on this answer no longer describes it`;
}

/** 1 where `a` is non-zero, 0 elsewhere. */
function nonZero(a: Matrix): Matrix {
  return new Matrix(a.rows, a.cols, a.data.map((x) => (x !== 0 ? 1 : 0)));
}
