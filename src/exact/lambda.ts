/**
 * The bounded exact solution for λ-balanced weights, `W2ᵀW2 − W1W1ᵀ = λI`, for every admissible
 * `(Ni, Nh, No, λ)` (method `"lambda"`; MATH.md, "λ-balanced initialisations"). Only decaying
 * exponentials appear, so f64 keeps its accuracy at every `t`; at λ = 0 it is Theorem 3.1.
 *
 * Derivation (τ = 1; use `t/τ`). λ-balance turns gradient flow into the Riccati equation
 * `dP/dt = F_λP + PF_λ − P²` for `P = QQᵀ`, solved by
 * `P(t) = Y N⁻¹ Yᵀ`, `Y = e^{F_λt}Q0`, `N = I + Q0ᵀK(t)Q0` (`lambda_riccati.ts`). In the
 * eigenbasis of `F_λ` (`lambda_modes.ts`: `Q0 = p̂₊G + p̂₋H + J⊥`, rates `+μ`, `−μ`, `ν` for the
 * `⊥` group; `ν = λ/2` when `No > Ni`, `−λ/2` when `Ni > No`)
 *
 *   Y = p̂₊e^{Mt}G + p̂₋e^{−Mt}H + e^{νt}J⊥,   N = I + GᵀCK₊G + HᵀCK₋H + K_ν J⊥ᵀJ⊥.
 *
 * `P = YN⁻¹Yᵀ` is unchanged by `Y → YT`, `N → TᵀNT` for any invertible `T`. Take
 * `T = A·D(t)` with `A = [G⁺, N₀]` (`G⁺ = Vg Sg⁻¹ Ugᵀ` from the SVD `G = Ug Sg Vgᵀ`; `N₀` an
 * orthonormal basis of `null G`, present when `Nh > Nm`), so `GA = [I, 0]`, and
 * `D = diag(E, ε I)` with `E = e^{−Mt}`, `ε = e^{−ν⁺t}`, `ν⁺ = max(ν, 0)`. Writing
 * `HA = [H₁, H₂]`, `J⊥A = [J₁, J₂]`, `φ = e^{(ν⁺ − M)t}`, `ρ = e^{(ν − ν⁺)t}`,
 * `κ = (1 − e^{−2|ν|t})/(2|ν|)` (`t` at ν = 0) — so that `K_ν = κ e^{2ν⁺t}` — and
 * `CK₋ = C(I − E²)(2M)⁻¹`:
 *
 *   YT = [ p̂₊ + p̂₋ E H₁ E + ρ J₁ φ ,   ε p̂₋ E H₂ + ρ J₂ ]
 *   TᵀNT = [[ E(GGᵀ)⁻¹E + CK₋ + E H₁ᵀCK₋H₁ E + κ φ J₁ᵀJ₁ φ ,  ε E H₁ᵀCK₋H₂ + κ φ J₁ᵀJ₂ ],
 *           [ (sym.) ,                                        ε²(I + H₂ᵀCK₋H₂) + κ J₂ᵀJ₂ ]]
 *
 * using `AᵀA = diag((GGᵀ)⁻¹, I)` and `E CK₊ E = CK₋`. Every exponent is ≤ 0: `μ > |λ|/2 ≥ ν⁺`
 * because `s̃ > 0`. `TᵀNT` is symmetric positive definite and is factored by Cholesky
 * (`congruenceInverse`). At `t = 0` it gives `Q0 A (AᵀA)⁻¹ AᵀQ0ᵀ = Q0Q0ᵀ`.
 *
 * Condition (the analogue of "B invertible"): `G` has full row rank `Nm`, and, when `ν > 0` and
 * `Nh > Nm`, `J₂` has full column rank (the hidden directions that `G` does not see grow along
 * the `⊥` group). Then `TᵀNT → diag(C(2M)⁻¹, J₂ᵀJ₂/(2ν))` stays positive definite and
 *
 *   P(∞) = 2 P₊ M P₊ᵀ + |λ| Π,   P₊ = p̂₊C^{−½},   Π = J₂(J₂ᵀJ₂)⁻¹J₂ᵀ
 *
 * ({@link lambdaLimitQQt}): `W2W1 → Σyx`, `W1ᵀW1 → Ṽ diag(μ − λ/2) Ṽᵀ`,
 * `W2W2ᵀ → Ũ diag(μ + λ/2) Ũᵀ`, plus `|λ|` times a rank-`(Nh − Nm)` projector `Π` inside the `⊥`
 * group that depends on the initialisation. The condition is measured scale-free by
 * {@link lambdaCondition}; at λ = 0 it equals `2/σ_min(B)` of Theorem 3.1. When it fails the flow
 * goes to a saddle; the echelon form (`lambda_echelon.ts`) answers there, and `auto` routes to it.
 *
 * λ = 0: `ν = 0`, `κ = t`, `C = 2S̃²`, `p̂₊ = S̃[Ṽ; Ũ]`, and the blocks become those of Theorem 3.1
 * (`G = ½S̃⁻¹BᵀS^½Rᵀ`, so `(GGᵀ)⁻¹ = 4S̃B⁻¹S⁻¹B⁻ᵀS̃`; `κφJ₁ᵀJ₁φ ↔ t E B⁻¹DB⁻ᵀ E`) up to the
 * basis changes; test/exact_lambda_test.ts checks the two agree to rounding.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import { AssumptionError } from "../errors.ts";
import { matmul, scaleCols, sub } from "../linalg/blas.ts";
import { orthComplement } from "../linalg/qr.ts";
import { singularValues, svd } from "../linalg/svd.ts";
import { balancedLambda, checkLambdaShape } from "../init/lambda_balanced.ts";
import {
  checkFullRank,
  checkShapes,
  checkWhitened,
  DEFAULT_TOLERANCES,
  type Dims,
  type ExactInputs,
  type Tolerances,
} from "./assumptions.ts";
import {
  computeLambdaModes,
  constant,
  constantDecayIntegral,
  decayIntegral,
  type LambdaModes,
} from "./lambda_modes.ts";
import { congruenceInverse, type ExactSolution } from "./solution.ts";
import { unitRoundoff } from "./error_estimate.ts";

/**
 * Checks shapes, finiteness, whitened inputs, λ-balance (within `tol.balanced` relative to the
 * weights' scale; see `balancedLambda`), the admissible shape for that λ and full rank, and
 * returns the dimensions and λ (0 for zero-balanced weights).
 * @throws {ShapeError|NonFiniteError|AssumptionError} naming what fails
 */
export function checkLambdaAssumptions<M>(
  be: Backend<M>,
  inp: ExactInputs,
  tol: Tolerances = DEFAULT_TOLERANCES,
): { dims: Dims; lambda: number } {
  const dims = checkShapes(inp);
  checkWhitened(be, inp, tol);
  const lambda = balancedLambda({ w1: inp.w1, w2: inp.w2 }, tol.balanced);
  checkLambdaShape(dims, lambda);
  checkFullRank(be, inp, tol);
  return { dims, lambda };
}

/** What {@link lambdaCondition} measures. */
export interface LambdaCondition {
  /** `max(1/σ_Nm(P₊ᵀŪ), 1/σ_min(J-part))`; `Infinity` when the condition fails exactly. */
  condition: number;
  /** `1/σ_Nm(P₊ᵀŪ)`: `G`'s part (`2/σ_min(B)` at λ = 0). */
  growing: number;
  /** `1/σ_min(P⊥ᵀŪN_y)`: the `⊥` group's part (1 when absent). */
  perp: number;
  /**
   * `r = max(σ₁², 2μ_max)/σ_r²` with `σ` the singular values of `Q0` on its range (rank `Nm` at
   * λ = 0, `Nh` otherwise; `σ² = √(λ² + 4s²)` per mode and `|λ|` per extra unit): the weakest
   * hidden direction against the scale of `QQᵀ` at the start or the end (`2μ_max`). `(GGᵀ)⁻¹`
   * carries it into the result. At λ = 0 it is `max(s_max, s̃_max)/s_min`, the weak-mode factor of
   * Theorem 3.1's model (`error_estimate.ts`). Large `|λ|` makes every `σ² ≥ |λ|`: no weak mode.
   */
  weakMode: number;
}

/**
 * The λ form's error model, relative to `max|QQᵀ|`: `10·u·cond·(cond + r)` with `u` the
 * backend's unit roundoff, `cond` the λ form's condition and `r` the weak-mode factor — Theorem
 * 3.1's model (`cond(B)(cond(B) + r)`) with the λ form's condition. (The rates' own rounding adds
 * nothing here: every exponent is a rate or a difference of rates formed without cancellation,
 * `lambda_modes.ts`, so each is known to a few `u` relative and moves its exponential by at most
 * that.) Measured against the same form in 40-digit arithmetic and the gradient-flow reference
 * (test/exact_lambda_test.ts).
 */
export function lambdaError(u: number, c: LambdaCondition): number {
  return 10 * u * c.condition * (c.condition + c.weakMode);
}

/**
 * The condition of the λ form, scale-free, in f64: with `Ū` an orthonormal basis of the range
 * of `Q0` (rank `Nm` at λ = 0, `Nh` otherwise) and `P₊ = p̂₊C^{−½}` orthonormal, `G` has full
 * row rank iff `σ_Nm(P₊ᵀŪ) > 0`, and `J₂` has full column rank iff `P⊥ᵀŪN_y` does, `N_y` an
 * orthonormal basis of `null(P₊ᵀŪ)`. Both singular values are cosines (≤ 1); the condition is
 * the larger reciprocal. At λ = 0, `Ū = [V; U]/√2` and `P₊ = [Ṽ; Ũ]/√2`, so it is `2/σ_min(B)`.
 */
export function lambdaCondition<M>(be: Backend<M>, m: LambdaModes<M>): LambdaCondition {
  const { nm, nh } = m.dims;
  const pPlus = be.toMatrix(m.pPlus), pMinus = be.toMatrix(m.pMinus);
  const c = be.toMatrix(m.c);
  const inv = new Matrix(nm, 1, c.data.map((x) => 1 / Math.sqrt(x)));
  const pp = scaleCols(pPlus, inv), pm = scaleCols(pMinus, inv);
  const q = svd(be.toMatrix(m.q0));
  const r = m.lambda === 0 ? nm : nh;
  const ubar = q.u.slice(0, q.u.rows, 0, r);
  const a = matmul(pp, ubar, { transA: true }); // Nm × r
  const sa = svd(a);
  const growing = 1 / sa.s[nm - 1];
  let perp = 1;
  if (m.nu > 0 && r > nm && m.jPerp !== undefined) {
    const ny = orthComplement(sa.v); // r × (r − Nm)
    const x = matmul(ubar, ny);
    // P⊥P⊥ᵀx = x − P₊P₊ᵀx − P₋P₋ᵀx (the basis is complete); its singular values are P⊥ᵀx's.
    const px = sub(
      sub(x, matmul(pp, matmul(pp, x, { transA: true }))),
      matmul(pm, matmul(pm, x, { transA: true })),
    );
    const sp = singularValues(px);
    perp = 1 / sp[sp.length - 1];
  }
  const condition = Math.max(growing, perp);
  return {
    condition: Number.isFinite(condition) ? condition : Infinity,
    growing,
    perp,
    weakMode: weakMode(be, m, q.s),
  };
}

/** {@link LambdaCondition.weakMode} from the singular values `s` of `Q0` (Infinity if `σ_r = 0`). */
function weakMode<M>(be: Backend<M>, m: LambdaModes<M>, s: Float64Array): number {
  const r = m.lambda === 0 ? m.dims.nm : m.dims.nh;
  const v = Math.max(s[0] ** 2, 2 * be.toMatrix(m.mu).data[0]) / s[r - 1] ** 2;
  return Number.isFinite(v) ? v : Infinity;
}

/** {@link LambdaCondition.weakMode} alone (for the echelon form's estimate). */
export function lambdaWeakMode<M>(be: Backend<M>, m: LambdaModes<M>): number {
  return weakMode(be, m, singularValues(be.toMatrix(m.q0)));
}

/** Throws unless `lambdaCondition ≤ limit`. */
function requireCondition(cond: LambdaCondition, limit: number): void {
  if (!(cond.condition <= limit)) {
    throw new AssumptionError(
      "λ-form condition",
      cond.condition,
      limit,
      `max(1/σ_Nm(P₊ᵀŪ), 1/σ_min(P⊥ᵀŪN_y)) = max(${cond.growing.toExponential(2)}, ` +
        `${cond.perp.toExponential(2)}) (the init has no growing component along some ` +
        'direction: the flow goes to a saddle; method "lambda-echelon" follows it there)',
    );
  }
}

/** The hidden-basis change `A = [G⁺, N₀]` pieces and `(GGᵀ)⁻¹`. */
function hiddenBasis<M>(be: Backend<M>, m: LambdaModes<M>) {
  const { nm, nh } = m.dims;
  const gs = be.svd(m.g); // G = Ug Sg Vgᵀ
  const invS = be.divide(constant(be, nm, 1), gs.s);
  const a1 = be.matmul(be.scaleCols(gs.v, invS), gs.u, false, true); // G⁺ = Vg Sg⁻¹ Ugᵀ
  const ggInv = be.matmul(be.scaleCols(gs.u, be.hadamard(invS, invS)), gs.u, false, true);
  const n0 = nh > nm ? be.orthComplement(gs.v) : undefined;
  return { a1, ggInv, n0 };
}

/**
 * Prepares the bounded λ form from {@link LambdaModes} (assumptions checked). Handles live in the
 * caller's scope.
 * @throws {AssumptionError} when {@link lambdaCondition} exceeds `maxCondition` (default
 *   `DEFAULT_TOLERANCES.bCondition`)
 */
export function lambdaSolution<M>(
  be: Backend<M>,
  m: LambdaModes<M>,
  reason = "bounded exact λ-balanced solution",
  warnings: string[] = [],
  maxCondition = DEFAULT_TOLERANCES.bCondition,
): ExactSolution<M> {
  const cond = lambdaCondition(be, m);
  requireCondition(cond, maxCondition);
  const error = lambdaError(unitRoundoff(be), cond);
  const { nm, nh } = m.dims;
  const nx = nh - nm;
  const { a1, ggInv, n0 } = hiddenBasis(be, m);
  const h1 = be.matmul(m.h, a1), h2 = n0 ? be.matmul(m.h, n0) : undefined;
  const j1 = m.jPerp ? be.matmul(m.jPerp, a1) : undefined;
  const j2 = m.jPerp && n0 ? be.matmul(m.jPerp, n0) : undefined;
  const j11 = j1 ? be.matmul(j1, j1, true, false) : undefined;
  const j12 = j1 && j2 ? be.matmul(j1, j2, true, false) : undefined;
  const j22 = j2 ? be.matmul(j2, j2, true, false) : undefined;
  const nu = m.nu, nuPlus = Math.max(nu, 0);
  // ν⁺ − μ and ν − μ: −(μ − |λ|/2) = −gap when ν > 0 (no cancellation), else −μ and ν − μ.
  const rateFromMu = be.scale(nu > 0 ? m.gap : m.mu, -1);
  const rateNu = nu > 0 ? rateFromMu : be.sub(constant(be, nm, nu), m.mu);
  const pPlusT = be.transpose(m.pPlus), pMinusT = be.transpose(m.pMinus);
  const eyeX = nx > 0 ? be.identity(nx) : undefined;
  return {
    method: "lambda",
    reason,
    warnings,
    dims: m.dims,
    lambda: m.lambda,
    errorAt: () => error,
    at(x: number): M {
      const e = be.expScaled(m.mu, -x);
      const ck = be.hadamard(m.c, decayIntegral(be, m.mu, x)); // CK₋ = C(I − E²)(2M)⁻¹
      const ckH1 = be.scaleRows(ck, h1);
      let c11 = be.add(
        be.scaleRowsCols(e, be.addProduct(ggInv, h1, ckH1, true, false), e),
        be.diag(ck),
      );
      // Yᵀ's first block: p̂₊ᵀ + E H₁ᵀ E p̂₋ᵀ + ρ φ J₁ᵀ.
      let y1t = be.addProduct(pPlusT, be.scaleRowsCols(e, h1, e), pMinusT, true, false);
      let phi: M | undefined, kphi: M | undefined;
      if (j1) {
        phi = be.expScaled(rateFromMu, x);
        kphi = be.hadamard(phi, constantDecayIntegral(be, nm, nu, x));
        c11 = be.add(c11, be.scaleRowsCols(kphi, j11!, phi));
        const rhoPhi = be.expScaled(rateNu, x); // ρφ = e^{(ν − μ)t}
        y1t = be.add(y1t, be.scaleRows(rhoPhi, be.transpose(j1)));
      }
      if (nx === 0) return congruenceInverse(be, c11, y1t);
      const eps = be.expScaled(constant(be, nx, nuPlus), -x); // ε as an nx-vector
      const eps2 = be.hadamard(eps, eps);
      let c12 = be.scaleRowsCols(e, be.matmul(h1, be.scaleRows(ck, h2!), true, false), eps);
      let c22 = be.scaleRows(eps2, be.addProduct(eyeX!, h2!, be.scaleRows(ck, h2!), true, false));
      if (j22) {
        c12 = be.add(c12, be.scaleRows(kphi!, j12!));
        c22 = be.add(c22, be.scaleRows(constantDecayIntegral(be, nx, nu, x), j22));
      }
      let y2t = be.scaleRows(eps, be.matmul(be.scaleRows(e, h2!), pMinusT, true, false));
      if (j2) y2t = be.add(y2t, be.transpose(j2)); // ρ = 1 here: Nh > Nm only when ν ≥ 0
      const center = be.vstack([
        be.hstack([c11, c12]),
        be.hstack([be.transpose(c12), c22]),
      ]);
      return congruenceInverse(be, center, be.vstack([y1t, y2t]));
    },
  };
}

/**
 * `QQᵀ(∞) = 2P₊MP₊ᵀ + |λ|Π` of the λ-balanced flow, evaluated directly (see the module
 * documentation), `(Ni+No) × (Ni+No)`.
 * @throws {ShapeError|NonFiniteError|AssumptionError} when an assumption fails, including the
 *   λ-form condition (the flow then converges to a saddle, not to this limit)
 * @example
 * ```ts
 * const q = lambdaLimitQQt(f64Backend, { sigmaYX, sigmaXX: Matrix.identity(ni), w1, w2 });
 * q.slice(ni, ni + no, 0, ni); // = Σyx
 * ```
 */
export function lambdaLimitQQt<M>(
  be: Backend<M>,
  inp: ExactInputs,
  tolerances: Tolerances = DEFAULT_TOLERANCES,
): Matrix {
  const { dims, lambda } = checkLambdaAssumptions(be, inp, tolerances);
  return be.scoped(() => {
    const m = computeLambdaModes(be, inp, dims, lambda);
    requireCondition(lambdaCondition(be, m), tolerances.bCondition);
    // 2P₊MP₊ᵀ = p̂₊ diag(2μ/c) p̂₊ᵀ
    const w = be.divide(be.scale(m.mu, 2), m.c);
    let p = be.matmul(be.scaleCols(m.pPlus, w), m.pPlus, false, true);
    const { n0 } = hiddenBasis(be, m);
    if (m.nu > 0 && n0 && m.jPerp) {
      const j2 = be.matmul(m.jPerp, n0);
      const proj = congruenceInverse(be, be.matmul(j2, j2, true, false), be.transpose(j2));
      p = be.add(p, be.scale(proj, 2 * m.nu));
    }
    return be.toMatrix(p);
  });
}
