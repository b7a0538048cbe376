/**
 * The λ-balanced solution for every initialisation, the condition of the λ form included (the
 * saddle analogue), with only decaying exponentials: method `"lambda-echelon"`. At λ = 0 it is a
 * stable form for singular `B`, as `bfree-stable` is.
 *
 * Derivation (τ = 1). Order the eigenvectors of `F_λ` by decreasing rate (`lambda_modes.ts`):
 * `O = [p̂₊ (μ descending), P⊥ (ν), p̂₋ (−μ ascending)]`, with squared norms `w` (`c`, 1, `c`) and
 * rates `ω` (`μ`, `ν`, `−μ`). The coordinates of `Q0` are `Ω = diag(w)⁻¹OᵀQ0` (`n × Nh`,
 * `n = Ni + No`), so `Q0 = OΩ`, `e^{F_λt}Q0 = O e^{ωt} Ω` and `Q0ᵀK(t)Q0 = Ωᵀ diag(w k(t)) Ω`
 * with `kᵢ(t) = (e^{2ωᵢt} − 1)/(2ωᵢ)` (`t` at `ωᵢ = 0`).
 *
 * Echelon: Gram–Schmidt (twice, CGS2) on the rows of `Ω` in this order gives an orthogonal `T̃`
 * (`Nh × Nh`) whose column `k` is the normalised part of row `p(k)` orthogonal to the rows
 * before it; rows whose residual is at the rounding level are skipped, and columns left when
 * the rows run out complete the basis (`p(k)` = none). Then `R = ΩT̃` is in column echelon form:
 * `R_ik = 0` for `i < p(k)` (those rows lie in the span of the earlier columns), set exactly.
 * `P = YN⁻¹Yᵀ` is unchanged by `T = T̃Φ`, `Φ = diag(e^{−ω⁺_{p(k)}t})`, `ω⁺ = max(ω, 0)` (0 for
 * no pivot). With `F_ik = R_ik e^{(ω⁺ᵢ − ω⁺_{p(k)})t}` and `κᵢ = (1 − e^{−2|ωᵢ|t})/(2|ωᵢ|)`
 * (`t` at `ωᵢ = 0`), so that `kᵢ = κᵢ e^{2ω⁺ᵢt}`:
 *
 *   YT = O diag(e^{min(ω, 0)t}) F,   TᵀNT = Φ² + Fᵀ diag(w κ) F.
 *
 * Every exponent is ≤ 0: `R_ik ≠ 0` only for `i ≥ p(k)`, where `ωᵢ ≤ ω_{p(k)}`. `TᵀNT` stays
 * positive definite as `t → ∞`: restricted to the pivot rows `F` is triangular with the non-zero
 * diagonal `R_{p(k)k}`, and columns without a growing pivot keep `Φ = 1`. Each hidden direction
 * converges along the fastest-growing eigenvector it has a component on: where that is not a
 * `p̂₊` (the λ form's condition fails) the flow goes to a saddle, and this form follows it there.
 *
 * Decisions (which residuals are negligible) are taken in f64: a residual norm below
 * `10·n·max(u, 2^−53)·max‖Ωᵢ‖` counts as zero (the inputs are f64 numbers, so nothing below their
 * rounding is a component, whatever the arithmetic); all arithmetic stays in the backend.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import {
  constant,
  constantDecayIntegral,
  decayIntegral,
  type LambdaModes,
  rateDifferences,
  reversal,
} from "./lambda_modes.ts";
import { congruenceInverse, type ExactSolution } from "./solution.ts";
import { F64_UNIT, unitRoundoff } from "./error_estimate.ts";
import { lambdaWeakMode } from "./lambda.ts";

/**
 * The echelon form's error model, relative to `max|QQᵀ|`: `10·u·(n + √r)`, `n = Ni + No`, `r`
 * the weak-mode factor (`LambdaCondition.weakMode`); the rates' rounding adds nothing, as in the
 * λ form (`lambdaError`). No condition term and no inverse of `Q0`'s Gram matrix: the
 * basis change `T̃` is orthogonal and `P` does not depend on it; what rounding reaches is the
 * echelon's zeroing of `R` above the pivots, where a residual of relative size `r^{−½}` (the
 * weakest direction against the largest) was normalised, hence `√r`. Measured against the same
 * form in 40-digit arithmetic (test/exact_lambda_test.ts): without the `√r` term the estimate was
 * exceeded up to 11.5× at κ(W2W1(0)) = 9e8; with it, actual/estimate ≤ 0.1.
 */
export function lambdaEchelonError(u: number, weakMode: number, n: number): number {
  return 10 * u * (n + Math.sqrt(weakMode));
}

/** The echelon factorisation of the rows of `Ω`. */
interface RowEchelon<M> {
  /** `R = ΩT̃` with the entries above each pivot exactly zero, `n × Nh`. */
  r: M;
  /** Pivot row of each column, `-1` for none. */
  pivots: number[];
  /** 1 where `R` may be non-zero (at and below each column's pivot), 0 elsewhere, `n × Nh`. */
  pattern: M;
}

/** Gram–Schmidt (CGS2) on the rows of `omega` in order; see the module documentation. */
function rowEchelon<M>(be: Backend<M>, omega: M, tol: number): RowEchelon<M> {
  const [n, nh] = be.shape(omega);
  const basis: M[] = [], pivots: number[] = [];
  for (let i = 0; i < n && basis.length < nh; i++) {
    let v = be.transpose(be.block(omega, i, i + 1, 0, nh)); // Nh × 1
    if (basis.length > 0) {
      const t = be.hstack(basis);
      for (let pass = 0; pass < 2; pass++) v = be.sub(v, be.matmul(t, be.matmul(t, v, true)));
    }
    const d = be.svd(v); // v = u·s·(±1): the norm and the unit vector without a square root
    if (be.maxAbs(d.s) > tol) {
      basis.push(d.u);
      pivots.push(i);
    }
  }
  let t = basis.length > 0 ? be.hstack(basis) : undefined;
  if (basis.length < nh) {
    const rest = t ? be.orthComplement(t) : be.identity(nh);
    t = t ? be.hstack([t, rest]) : rest;
    while (pivots.length < nh) pivots.push(-1);
  }
  const pattern = be.from(
    Matrix.fromFunction(n, nh, (i, k) => (pivots[k] >= 0 && i >= pivots[k] ? 1 : 0)),
  );
  return { r: be.hadamard(be.matmul(omega, t!), pattern), pivots, pattern };
}

/**
 * Prepares the echelon λ form from {@link LambdaModes} (assumptions checked; any init).
 * Handles live in the caller's scope.
 */
export function lambdaEchelonSolution<M>(
  be: Backend<M>,
  m: LambdaModes<M>,
  reason = "λ-balanced solution for every init (echelon form, valid at saddles)",
  warnings: string[] = [],
  perturbation = F64_UNIT,
): ExactSolution<M> {
  const { ni, no, nm, nh } = m.dims;
  const n = ni + no, dp = n - 2 * nm;
  // Reverses the order of the p̂₋ columns, so that the rates −μ decrease along O.
  const rev = reversal(be, nm);
  const pPerp = dp === 0 ? undefined : perpBasis(be, m);
  const o = be.hstack([m.pPlus, ...(pPerp ? [pPerp] : []), be.matmul(m.pMinus, rev)]);
  const cRev = be.matmul(rev, m.c), muRev = be.matmul(rev, m.mu);
  const w = be.vstack([m.c, ...(dp ? [constant(be, dp, 1)] : []), cRev]);
  const omega = be.scaleRows(be.divide(constant(be, n, 1), w), be.matmul(o, m.q0, true));
  const norms = be.toMatrix(omega);
  let big = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < nh; k++) s += norms.get(i, k) ** 2;
    big = Math.max(big, Math.sqrt(s));
  }
  // The inputs are f64: coordinates below their rounding are zero in any arithmetic, so decimal
  // evaluations take the same saddle decisions as f64 ones.
  const ech = rowEchelon(be, omega, 10 * n * Math.max(unitRoundoff(be), F64_UNIT) * big);
  const onPerp = ech.pivots.some((p) => p >= nm && p < nm + dp); // a pivot in the ⊥ rows
  const sitsOn = onPerp ? Math.max(m.nu, 0) : 0;
  const stalled = lambdaSaddleWarning(be.toMatrix(m.mu).data, ech.pivots, sitsOn, perturbation);
  if (stalled) warnings = [...warnings, stalled];
  const nu = m.nu, nuPlus = Math.max(nu, 0);
  // Rates: ω⁺ (growth part) and min(ω, 0) (decay part) per row, and |ω| for κ.
  const zeros = (k: number) => constant(be, k, 0);
  const plus = be.vstack([m.mu, ...(dp ? [constant(be, dp, nuPlus)] : []), zeros(nm)]);
  const minus = be.vstack([
    zeros(nm),
    ...(dp ? [constant(be, dp, Math.min(nu, 0))] : []),
    be.scale(muRev, -1),
  ]);
  // ω⁺ at each column's pivot (0 for none), by an exact 0/1 selection.
  const sel = be.from(Matrix.fromFunction(nh, n, (k, i) => (i === ech.pivots[k] ? 1 : 0)));
  const pivotPlus = be.matmul(sel, plus); // Nh × 1
  // ω⁺ᵢ − ω⁺_{p(k)} ≤ 0 where R_ik ≠ 0: column p(k) of the cancellation-free differences.
  const delta = be.hadamard(be.matmul(rateDifferences(be, m), sel, false, true), ech.pattern);
  const oT = be.transpose(o);
  const error = lambdaEchelonError(unitRoundoff(be), lambdaWeakMode(be, m), n);
  const kappa = (x: number): M => {
    const km = decayIntegral(be, m.mu, x);
    const kp = dp === 0 ? [] : [constantDecayIntegral(be, dp, nu, x)];
    return be.vstack([km, ...kp, be.matmul(rev, km)]);
  };
  return {
    method: "lambda-echelon",
    reason,
    warnings,
    dims: m.dims,
    lambda: m.lambda,
    errorAt: () => error,
    at(x: number): M {
      const f = be.hadamard(ech.r, be.expScaled(delta, x));
      const phi2 = be.expScaled(pivotPlus, -2 * x);
      const center = be.add(
        be.diag(phi2),
        be.matmul(f, be.scaleRows(be.hadamard(w, kappa(x)), f), true),
      );
      const yt = be.matmul(be.scaleCols(be.transpose(f), be.expScaled(minus, x)), oT);
      return congruenceInverse(be, center, yt);
    },
  };
}

/**
 * The warning for an init at a saddle of the λ flow: task mode `k` stays unlearned exactly when
 * row `k` of `Ω` (its `p̂₊` coordinate, rate `μ_k`) is no pivot, i.e. every hidden direction
 * with a component along `p̂₊_k` grows faster along an earlier row. The answer is the flow of
 * exactly λ-balanced weights; weights balanced to a relative `δ` (`perturbation`, at least f64's
 * rounding) have a component of size `δ` along `p̂₊_k`, which grows like `δ e^{(μ_k − ω)t/τ}`
 * relative to the direction it sits on (`ω`: `ν⁺` when a pivot lies in the `⊥` group, else 0),
 * so their flow leaves the saddle at about `t ≈ τ ln(1/δ)/(μ_k − ω)`. At λ = 0 this is the rule
 * of the stable B-free form (`bfree_stable.ts`); measured against the gradient-flow integrator
 * on 1×1×2 saddles (test/exact_lambda_test.ts). Undefined when no mode stalls.
 * @param mu the rates `μ` (descending)
 * @param pivots the pivot row of each hidden direction (rows `0 … Nm − 1` are the `p̂₊`)
 * @param omega the growth of the directions the stalled ones sit on (see above)
 */
export function lambdaSaddleWarning(
  mu: ArrayLike<number>,
  pivots: readonly number[],
  omega: number,
  perturbation: number,
): string | undefined {
  const modes = Array.from(mu, (v, k) => ({ k, v })).filter(({ k }) => !pivots.includes(k));
  if (modes.length === 0) return undefined;
  const delta = Math.max(perturbation, F64_UNIT);
  const list = modes.map(({ k, v }) => {
    const rate = v - omega;
    return `${k + 1} (μ = ${v.toPrecision(4)}, leaves at t ≈ ${
      (Math.log(1 / delta) / rate).toPrecision(3)
    }τ)`;
  }).join(", ");
  return `saddle: the answer is the flow of exactly λ-balanced weights, which leaves ` +
    `${modes.length === 1 ? "task mode" : "task modes"} ${list} unlearned; the flow of the ` +
    `given weights (balanced to δ = ${delta.toExponential(1)}) leaves the saddle at about ` +
    `t ≈ τ ln(1/δ)/(μ − ω), and from then on this answer no longer describes it`;
}

/** An orthonormal basis of the `⊥` group, `[0; Ũ⊥]` or `[Ṽ⊥; 0]`, `(Ni+No) × |No − Ni|`. */
function perpBasis<M>(be: Backend<M>, m: LambdaModes<M>): M {
  const { ni, no, nm } = m.dims;
  return no > ni
    ? be.vstack([be.zeros(ni, no - nm), be.orthComplement(m.ut)])
    : be.vstack([be.orthComplement(m.vt), be.zeros(no, ni - nm)]);
}
