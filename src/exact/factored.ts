/**
 * The factored form: Eq. 5 applied exactly in steps to a factor of `QQᵀ`, never to `QQᵀ` or
 * `W2W1(0)` itself, so its f64 accuracy does not degrade with the condition of the initial
 * product as fast (Theorem 3.1 and the B-free forms go through `S⁻¹` of `W2W1(0) = USVᵀ` and lose
 * about `log10 κ(S)` digits; this form about `½ log10 κ(S)`: measured 2.5e-6 at κ = 9e11 where
 * it kept 7e-12).
 *
 * Gradient flow of zero-balanced weights is the Riccati flow `dP/dt = FP + PF − P²` of
 * `P = QQᵀ` (τ = 1), whose solution from any `P(t) = QQᵀ` is Eq. 5:
 * `P(t + h) = e^{Fh} Q [I + Qᵀ K_h Q]⁻¹ Qᵀ e^{Fh}`, `K_h = ∫₀ʰ e^{2Fs} ds`. With `N = I + QᵀK_hQ =
 * RᵀR` the factor `Q' = e^{Fh} Q R⁻¹` has `Q'Q'ᵀ = P(t + h)`: a step is exact, and steps compose.
 * In the eigenbasis of `F` (`P_F = [[Ṽ, Ṽ, Ṽ⊥, 0], [Ũ, −Ũ, 0, Ũ⊥]]/…`, eigenvalues `±s̃`, 0),
 * `e^{Fh}` and `K_h` are diagonal: `e^{λh}` and `(e^{2λh} − 1)/(2λ)` (`h` for `λ = 0`).
 *
 * Accuracy: the factor `Q̂ = P_Fᵀ Q` is kept with orthogonal columns sorted by decreasing norm
 * (re-graded by an SVD, a hidden-layer rotation, after every step). A weak initial mode is then
 * a column of its own, carried with relative accuracy: the rounding of each step is relative to
 * the columns it acts on, and the triangular `R⁻¹` only adds stronger columns to weaker ones
 * with coefficients `O(‖q_i‖² h)`. Steps are short while the state changes (`h ≤ 1/(2 s̃_max)` at
 * first, growing with `t`, at most `16/s̃_max`), so each Eq. 5 step loses little to its growing
 * exponentials. It uses `W1`, `W2` as given, not their product: it follows the flow of the given
 * weights (taken as balanced), also near a saddle.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import { InputError } from "../errors.ts";
import type { Dims, ExactInputs } from "./assumptions.ts";
import { ESTIMATE_SAFETY, modeConditioning, unitRoundoff } from "./error_estimate.ts";
import { computeModes } from "./modes.ts";
import type { ExactSolution } from "./solution.ts";

/** Most steps one evaluation may take (the horizon this allows is {@link factoredHorizon}). */
export const FACTORED_MAX_STEPS = 4000;

/** Step size at `t/τ = t`: `1/(2 s̃_max)`, growing like `t/2`, at most `16/s̃_max`. */
function stepAt(t: number, sMax: number): number {
  return Math.min(16 / sMax, Math.max(0.5 / sMax, 0.5 * t));
}

/** Number of steps from 0 to `t/τ = x` (see {@link stepAt}). */
export function factoredSteps(x: number, sMax: number): number {
  let t = 0, n = 0;
  while (t < x && n <= FACTORED_MAX_STEPS) {
    t += Math.min(stepAt(t, sMax), x - t);
    n++;
  }
  return n;
}

/** The largest `t/τ` reachable within {@link FACTORED_MAX_STEPS}. */
export function factoredHorizon(sMax: number): number {
  let t = 0;
  for (let n = 0; n < FACTORED_MAX_STEPS; n++) t += stepAt(t, sMax);
  return t;
}

/**
 * Error estimate of the factored form at `t/τ = x`: `10·u·(steps + cond(B)(1 + √r))`, the
 * rounding of each exact step adding up, and the sensitivity of a passage near a saddle: a weak
 * initial mode, or a near-singular `B`, escapes at a time its rounding shifts (`r` as in
 * `error_estimate.ts`; fitted over 683 answers of the deep accuracy run: actual ≤ 1.4·u·cond(B)
 * (1 + √r), against `u·κ(S)`-like growth for Theorem 3.1). Infinity when `B` is singular: at a
 * saddle the form follows the given weights out of it at a time set by their rounding.
 */
export function factoredError(
  u: number,
  steps: number,
  c: { condB: number; weakMode: number },
): number {
  return ESTIMATE_SAFETY * u * (steps + c.condB * (1 + Math.sqrt(c.weakMode)));
}

/**
 * Prepares the factored form for checked inputs (Assumptions 2.2–2.4; any shapes; `B` need not
 * be regular). Handles live in the caller's scope.
 */
export function factoredSolution<M>(
  be: Backend<M>,
  inp: ExactInputs,
  dims: Dims,
  reason = "factored form (Eq. 5 in exact steps on a graded factor of QQᵀ)",
  warnings: string[] = [],
): ExactSolution<M> {
  const { ni, no, nm } = dims;
  const n = ni + no;
  const task = be.svd(be.from(inp.sigmaYX));
  const st = be.toMatrix(task.s).data;
  const sMax = st[0];
  // Eigenbasis of F: [Ṽ;Ũ]/√2 (+s̃), [Ṽ;−Ũ]/√2 (−s̃), the complement (0).
  const half = be.scale(be.vstack([task.v, task.u]), Math.SQRT1_2);
  const halfMinus = be.scale(be.vstack([task.v, be.scale(task.u, -1)]), Math.SQRT1_2);
  const growDecay = be.hstack([half, halfMinus]);
  const basis = n > 2 * nm ? be.hstack([growDecay, be.orthComplement(growDecay)]) : growDecay;
  const lambdas = Matrix.fromFunction(n, 1, (i) => (i < nm ? st[i] : i < 2 * nm ? -st[i - nm] : 0));
  const zero = Matrix.fromFunction(n, 1, (i) => (i >= 2 * nm ? 1 : 0));
  const lam = be.from(lambdas), isZero = be.from(zero);
  const notZero = be.from(Matrix.fromFunction(n, 1, (i) => 1 - zero.get(i, 0)));
  const lamSafe = be.add(lam, isZero); // λ, with 1 where λ = 0 (no 0/0 below)
  const q0 = be.vstack([be.transpose(be.from(inp.w1)), be.from(inp.w2)]);
  const qhat0 = be.matmul(basis, q0, true, false);
  const u = unitRoundoff(be);
  const conditioning = be.scoped(() => {
    const c = modeConditioning(be, computeModes(be, inp, dims));
    // A singular direction of B (one the stable B-free form treats as exactly singular).
    return { condB: c.condBRegular < c.condB ? Infinity : c.condB, weakMode: c.weakMode };
  });
  const step = (q: M, h: number): M => {
    // K_h = (e^{2λh} − 1)/(2λ), h where λ = 0; e^{Fh} = e^{λh}.
    const k = be.add(
      be.hadamard(be.divide(be.expm1Scaled(lamSafe, 2 * h), be.scale(lamSafe, 2)), notZero),
      be.scale(isZero, h),
    );
    const r = be.shape(q)[1];
    const bracket = be.addProduct(be.identity(r), q, be.scaleRows(k, q), true, false);
    const w = be.choleskyWhiten(bracket, be.transpose(q)); // R⁻ᵀ Q̂ᵀ = (Q̂ R⁻¹)ᵀ
    const next = be.scaleRows(be.expScaled(lam, h), be.transpose(w));
    const sv = be.svd(next); // re-grade: orthogonal columns, decreasing norms
    return be.scaleCols(sv.u, sv.s);
  };
  return {
    method: "factored",
    reason,
    warnings,
    dims,
    errorAt: (x) => factoredError(u, factoredSteps(x, sMax), conditioning),
    at(x: number): M {
      if (factoredSteps(x, sMax) > FACTORED_MAX_STEPS) {
        throw new InputError(
          `the factored form reaches t/τ ≤ ${factoredHorizon(sMax).toPrecision(3)} within ` +
            `${FACTORED_MAX_STEPS} steps, not t/τ = ${x.toPrecision(3)}; use method "auto"`,
        );
      }
      let q = qhat0, t = 0;
      while (t < x) {
        const h = Math.min(stepAt(t, sMax), x - t);
        q = step(q, h);
        t += h;
      }
      const full = be.matmul(basis, q);
      return be.matmul(full, full, false, true);
    },
  };
}
