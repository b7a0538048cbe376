/**
 * Theorem 5.1, task-aligned initialisation (`Ni = No`): `W1(0) = A0 Ṽᵀ`, `W2(0) = Ũ A0ᵀ` with
 * `A0` (`Nh × Ni`) of full column rank. Then `W1 = A Ṽᵀ`, `W2 = Ũ Aᵀ` for all `t`, and
 *
 *   AᵀA(t) = [ E (A0ᵀA0)⁻¹ E + (I − E²) S̃⁻¹ ]⁻¹,   E = e^{−S̃ t/τ},
 *   QQᵀ(t) = [Ṽ; Ũ] AᵀA(t) [Ṽ; Ũ]ᵀ.
 *
 * The 2×2 case (`A0ᵀA0 = [[a1, b], [b, a2]]`, `S̃ = diag(s1, s2)`), with `eᵢ = e^{−sᵢt/τ}`,
 * `gᵢ = (1 − eᵢ²)/sᵢ`, `δ = a1a2 − b²`, inverted by hand (derivation in {@link aligned2x2}):
 *
 *   AᵀA(t) = [[e2²a1 + g2δ, e1e2 b], [e1e2 b, e1²a2 + g1δ]] / (e1²e2² + e1²a2g2 + e2²a1g1 + g1g2δ).
 *
 * The paper's two closed forms for `s1 = s2 = s` ({@link eq15A1}, {@link tPeakPaper}) are the
 * `δ → 0` limits of the exact expressions. Eq. 15 is exact when `δ = 0` (rank-one `A0ᵀA0`);
 * otherwise, with `ρ = δ/(a1a2)`, its relative error up to the half-learning time
 * `(τ/2s) ln((s − a1 − a2)/(a1 + a2))` is about `0.2ρ` at every init scale, and later it fails
 * (its limit is `s·a1/(a1 + a2)`, not `s`: the second direction is learned near
 * `(τ/4s) ln(s²/δ)`). So the paper's "small |a1|, |a2|, |b|" is not the condition; near-rank-one is.
 * A bound valid at all times (test/properties/applications.ts):
 *   `0 ≤ a1(t) − Eq.15(t) ≤ Eq.15(t) · δ (e^{2st/τ} − 1) / (s a1(0))`,
 * so Eq. 15 holds while `t ≪ (τ/2s) ln(s a1(0)/δ)`.
 * {@link tPeakExact} is the exact argmax of `|b(t)|`,
 * `(τ/4s) ln((s(s − a1 − a2) + δ)/δ)`, which exists iff `a1 + a2 < s` and `δ > 0`; the paper's
 * `t_peak` drops the `+δ` and is off by `(τ/4s) ln(1 + δ/(s(s − a1 − a2)))`: measured (s = 1,
 * Gaussian `A0`) ≤ 1.5e-12τ at init scale 1e-3, 1.3e-8τ at 1e-2, 6.5e-4τ at 0.1, 0.46τ at 0.3.
 * Measured regimes: test/exact_aligned_test.ts.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { AssumptionError } from "../errors.ts";
import {
  checkAssumptions,
  checkSquare,
  DEFAULT_TOLERANCES,
  type ExactInputs,
  type Tolerances,
} from "./assumptions.ts";
import type { ExactSolution } from "./solution.ts";
import { alignedError, unitRoundoff } from "./error_estimate.ts";

/** Options of {@link alignedSolution}. */
export interface AlignedOptions {
  /** Tolerances of Assumptions 2.1–2.4 (default {@link DEFAULT_TOLERANCES}). */
  tolerances?: Tolerances;
  /** Largest accepted `max|W2(0) − ŨṼᵀW1(0)ᵀ| / max|W2(0)|` (default 1e-9, as zero-balance). */
  alignment?: number;
}

/**
 * Prepares Theorem 5.1 for an aligned initialisation: checks Assumptions 2.1–2.4 and the
 * alignment `W2(0) = Ũ Ṽᵀ W1(0)ᵀ` (basis-independent form of `W2 = ŨA0ᵀ`, `W1 = A0Ṽᵀ`), then
 * `A0 = W1(0) Ṽ`, `P = (A0ᵀA0)⁻¹` once (Cholesky), and per time `AᵀA = M⁻¹` with
 * `M = E P E + (I − E²)S̃⁻¹` by a Cholesky solve. Handles live in the caller's scope.
 * @throws {ShapeError} when `Ni ≠ No`
 * @throws {AssumptionError} when an assumption or the alignment fails
 */
export function alignedSolution<M>(
  be: Backend<M>,
  inp: ExactInputs,
  options: AlignedOptions = {},
): ExactSolution<M> & { ata(s: number): M } {
  const tol = options.tolerances ?? DEFAULT_TOLERANCES, alignTol = options.alignment ?? 1e-9;
  const dims = checkAssumptions(be, inp, tol);
  checkSquare(dims, "Theorem 5.1 (aligned init)");
  const task = be.svd(be.from(inp.sigmaYX));
  const w1 = be.from(inp.w1), w2 = be.from(inp.w2);
  const predicted = be.matmul(task.u, be.matmul(w1, task.v), false, true); // Ũ (W1Ṽ)ᵀ
  const misalignment = be.maxAbs(be.sub(w2, predicted)) / Math.max(be.maxAbs(w2), 1e-300);
  if (!(misalignment <= alignTol)) {
    throw new AssumptionError(
      "5.1 task-aligned init",
      misalignment,
      alignTol,
      "max|W2(0) − ŨṼᵀW1(0)ᵀ| / max|W2(0)|",
    );
  }
  const a0 = be.matmul(w1, task.v);
  const n = dims.nm, eye = be.identity(n);
  const gram = be.matmul(a0, a0, true, false);
  const p = be.choleskySolve(gram, eye);
  const sg = be.toMatrix(be.singularValues(gram)).data; // A0ᵀA0 = Ṽᵀ W1ᵀW1 Ṽ has the spectrum S
  const error = alignedError(
    unitRoundoff(be),
    Math.max(sg[0], be.toMatrix(task.s).data[0]) / sg[n - 1],
  );
  const z = be.vstack([task.v, task.u]);
  const ata = (x: number): M => {
    const e = be.expScaled(task.s, -x);
    const g = be.divide(be.scale(be.expm1Scaled(task.s, -2 * x), -1), task.s);
    return be.choleskySolve(be.add(be.scaleRows(e, be.scaleCols(p, e)), be.diag(g)), eye);
  };
  return {
    method: "aligned",
    reason: "Theorem 5.1 (task-aligned init)",
    warnings: [],
    dims,
    errorAt: () => error,
    ata,
    at: (x) => be.matmul(z, be.matmul(ata(x), z, false, true)),
  };
}

/** The entries of a symmetric 2×2 `AᵀA`. */
export interface Ata2 {
  /** `(AᵀA)₁₁ = ‖A e₁‖²`: squared norm of the hidden representation of the mode `s1`. */
  a1: number;
  /** `(AᵀA)₂₂ = ‖A e₂‖²`: squared norm of the hidden representation of the mode `s2`. */
  a2: number;
  /** `(AᵀA)₁₂ = (AᵀA)₂₁`, the coupling between the two modes; `δ = a1a2 − b² ≥ 0`. */
  b: number;
}

/**
 * The explicit 2×2 solution of Theorem 5.1 at time `t` (see the module documentation).
 * Derivation: `M = E P E + G` with `P = [[a2, −b], [−b, a1]]/δ`; `M = N/δ` with
 * `N = [[e1²a2 + g1δ, −e1e2b], [−e1e2b, e2²a1 + g2δ]]`, `det N = δ (e1²e2² + e1²a2g2 + e2²a1g1
 * + g1g2δ)`, so `AᵀA = δ N⁻¹` is the formula above; it stays finite for `δ = 0`.
 */
export function aligned2x2(init: Ata2, s1: number, s2: number, t: number, tau = 1): Ata2 {
  const { a1, a2, b } = init, det = a1 * a2 - b * b;
  const e1 = Math.exp(-s1 * t / tau), e2 = Math.exp(-s2 * t / tau);
  const g1 = -Math.expm1(-2 * s1 * t / tau) / s1, g2 = -Math.expm1(-2 * s2 * t / tau) / s2;
  const den = e1 * e1 * e2 * e2 + e1 * e1 * a2 * g2 + e2 * e2 * a1 * g1 + g1 * g2 * det;
  return {
    a1: (e2 * e2 * a1 + g2 * det) / den,
    a2: (e1 * e1 * a2 + g1 * det) / den,
    b: (e1 * e2 * b) / den,
  };
}

/**
 * The paper's Eq. 15 (`s1 = s2 = s`, stated "for small |a1|, |a2|, |b|"):
 * `a1(t) = s a1(0) / (e^{−2st/τ}(s − a1(0) − a2(0)) + a1(0) + a2(0))`.
 * Exact when `a1a2 = b²`; otherwise see the module documentation for where it holds.
 */
export function eq15A1(init: Ata2, s: number, t: number, tau = 1): number {
  const sum = init.a1 + init.a2;
  return (s * init.a1) / (Math.exp(-2 * s * t / tau) * (s - sum) + sum);
}

/**
 * The paper's `t_peak = (τ/4s) ln(s (s − a1 − a2) / (a1a2 − b(0)²))` for `s1 = s2 = s`, as
 * stated. `NaN` where the logarithm's argument is not positive.
 */
export function tPeakPaper(init: Ata2, s: number, tau = 1): number {
  const { a1, a2, b } = init;
  const arg = (s * (s - a1 - a2)) / (a1 * a2 - b * b);
  return arg > 0 ? (tau / (4 * s)) * Math.log(arg) : NaN;
}

/**
 * The exact time of the extremum of `|b(t)|` for `s1 = s2 = s`:
 * `(τ/4s) ln((s(s − a1 − a2) + δ)/δ)`, `δ = a1a2 − b²`. Derivation: with `x = e^{−2st/τ}`,
 * `b = x b0 / (αx² + βx + δ/s²)` (`α = 1 − (a1+a2)/s + δ/s²`), whose derivative vanishes at
 * `x² = δ/(s²α)`. Returns `0` when that `x` is ≥ 1 (`a1 + a2 ≥ s`: `|b|` is largest at `t = 0`),
 * `NaN` when `δ ≤ 0` or `b0 = 0` (no extremum).
 */
export function tPeakExact(init: Ata2, s: number, tau = 1): number {
  const { a1, a2, b } = init, det = a1 * a2 - b * b;
  if (!(det > 0) || b === 0) return NaN;
  const arg = (s * (s - a1 - a2) + det) / det;
  return arg > 1 ? (tau / (4 * s)) * Math.log(arg) : 0;
}
