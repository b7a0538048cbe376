/**
 * The λ-balanced theory's published closed forms, implemented as stated so that they can be
 * tested (MATH.md, "Claims to test, not to trust"), with the corrected aligned-mode solution
 * next to them. Time is `x = t/τ`. Measured regimes: test/lambda_claims_test.ts.
 *
 * **Aligned single mode.** When `W2W1(0)` shares the task's singular vectors, each mode's
 * strength `a` (a singular value of `W2W1`, signed: negative for a reversed mode) evolves alone,
 * `da/dx = √(λ² + 4a²)(s̃ − a)`: with the mode's layer values `σ1`, `σ2`, `a = σ1σ2` and
 * `σ2² − σ1² = λ`, `da/dx = (σ1² + σ2²)(s̃ − a)` and `(σ1² + σ2²)² = λ² + 4a²`.
 * - {@link publishedAlignedMode} is the published formula. Measured: it holds for `λ > 0` (to
 *   1.6e-11 relative against gradient flow), and fails for every `λ < 0`: there it starts at
 *   `a(0) = −a₀` and stays wrong by O(1) (2.5 to 109 relative). The ODE depends on `λ` only
 *   through `|λ|`, and the formula with `|λ|` in place
 *   of `λ` is exact; at `λ = 0` it returns 0 for every `t` (`sgn 0 = 0`), and for small `λ > 0` it
 *   loses digits like `ε/λ`.
 * - {@link alignedMode} is a form valid for every `λ` (including 0), every `a₀` (including
 *   reversed modes, `a₀ < 0`), and `x = ∞`, with only decaying exponentials and no cancellation
 *   for `a₀ ≥ 0`. Derivation: `z = (σ1 + σ2)²` obeys the Riccati equation
 *   `dz/dx = −½z² + 2s̃z + ½λ²` (from `d(σ1 + σ2)/dx = (σ1 + σ2)(s̃ − a)` and
 *   `a = (z − λ²/z)/4`), with roots `z₊ = 2s̃ + K` and `z₋ = −λ²/(K + 2s̃)`, `K = √(λ² + 4s̃²)`, so
 *   with `e = e^{−Kx}`
 *
 *     z(x) = [z₊z₀ + z₊|z₋|(1 − e) + z₀|z₋|e] / [z₀(1 − e) + |z₋| + z₊e],
 *     z₀ = √(λ² + 4a₀²) + 2a₀,
 *
 *   every term positive. `a = ζ(z + |λ|)/(4z)` with `ζ = z − |λ|`; for `a₀ ≥ 0` `ζ` has its own
 *   sum of positive terms, `ζ = [ζ₀(z₊ − |λ| + (|λ| − z₋)e) + (z₊ − |λ|)(|λ| − z₋)(1 − e)] /
 *   [the same denominator]`, `ζ₀ = 2a₀ + 4a₀²/(√(λ² + 4a₀²) + |λ|)`, so small modes keep their
 *   relative accuracy. `x → ∞` gives `z₊` and `a = s̃`. At `λ = 0`, `a₀ < 0` (`z ≡ 0`, the saddle
 *   side) it is `a = s̃a₀e^{−2s̃x}/(s̃ − a₀(1 − e^{−2s̃x}))`, which decays to 0 without crossing.
 *
 * **Lazy limit.** Published: for `|λ| → ∞`, `W2W1(x) ≈ Σyx + (W2W1(0) − Σyx) e^{−|λ|x}`, the
 * shallow network at a learning rate scaled by `|λ|` ({@link lazyLimitApproximation}). Where it
 * holds: gradient flow of the product is `dW/dx = W2W2ᵀE + EW1ᵀW1`, and `W2W2ᵀ → λI_No` needs
 * `Nh = No` (`λ > 0`), `W1ᵀW1 → |λ|I_Ni` needs `Nh = Ni` (`λ < 0`). Then the error falls like
 * `(‖W‖/λ)²` (for an aligned mode the rate is `|λ|√(1 + 4a²/λ²)`). When the layer on the
 * `|λ|` side is narrower than its end (`λ > 0` with `Nh < No`, `λ < 0` with `Nh < Ni`), the part
 * of the error outside that layer's range is driven only by the `O(‖W‖²/|λ|)` other layer: it
 * decays at rate `O(s̃²/|λ|)`, and the approximation fails by O(1) however large `|λ|` is.
 *
 * **Sign of λ.** "The network function depends on λ only through |λ|" (same `W2W1(0)`, same
 * hidden rotation): on λ-balanced weights with `Nh = Nm` (the only width admissible for both
 * signs) `W1ᵀW1 = (√(λ² + 4WᵀW) − λ)/2` and `W2W2ᵀ = P(√(λ² + 4WWᵀ) + λ)/2`, `P` the projector
 * on the range of `W` (mirrored for `Ni > No`), so the λ-odd part of `dW/dx` is
 * `−(λ/2)(I − P)Σyx`. It vanishes, and the claim holds, exactly when `Ni = No` (every init) or
 * when `W2W1(0)` already has the task's column space (`No > Ni`) or row space (`Ni > No`),
 * e.g. aligned inits; otherwise the two flows differ by O(1) during learning and meet at `Σyx`.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { Matrix } from "../matrix.ts";

function checkMode(a0: number, s: number, lambda: number, x: number): void {
  if (!Number.isFinite(a0) || !Number.isFinite(lambda)) {
    throw new InputError(`aligned mode: a₀ = ${a0} and λ = ${lambda} must be finite`);
  }
  if (!(s > 0) || !Number.isFinite(s)) {
    throw new InputError(`aligned mode: the task's singular value s̃ = ${s} must be finite and > 0`);
  }
  if (!(x >= 0)) throw new InputError(`aligned mode: time t/τ = ${x} must be ≥ 0`);
}

/**
 * The published aligned single-mode solution, as stated:
 * `a(x) = λy/(1 − y²)`, `y = (K(C − 1) − λ(C + 1)) / (2s̃(C + 1))`, `C = C₀e^{sgn(λ)Kx}`,
 * `K = √(λ² + 4s̃²)`, `q = 4a₀s̃ sgn(λ)/(√(λ² + 4a₀²) + λ)`, `C₀ = (K + λ + q)/(K − λ − q)`.
 * Correct only for `λ > 0` (see the module documentation); 0 at `λ = 0`.
 * @param a0 the mode's strength at `t = 0`
 * @param s the task's singular value `s̃` of the mode
 * @param lambda the balance `λ`
 * @param t time, in units of `tau`
 * @throws {InputError} on a non-finite argument, `s̃ ≤ 0` or `t < 0`
 */
export function publishedAlignedMode(a0: number, s: number, lambda: number, t: number, tau = 1) {
  const x = t / tau;
  checkMode(a0, s, lambda, x);
  const k = Math.sqrt(lambda * lambda + 4 * s * s), sg = Math.sign(lambda);
  const q = (4 * a0 * s * sg) / (Math.sqrt(lambda * lambda + 4 * a0 * a0) + lambda);
  const c = ((k + lambda + q) / (k - lambda - q)) * Math.exp(sg * k * x);
  const y = (k * (c - 1) - lambda * (c + 1)) / (2 * s * (c + 1));
  return (lambda * y) / (1 - y * y);
}

/**
 * The aligned single mode's strength `a(t)` for any `λ` and `a₀`, from the Riccati solution of the
 * module documentation (decaying exponentials only; `t = Infinity` gives `s̃`).
 * @param a0 the mode's strength at `t = 0` (negative: a reversed mode)
 * @param s the task's singular value `s̃` of the mode
 * @param lambda the balance `λ` (only `|λ|` matters)
 * @param t time, in units of `tau`, or `Infinity`
 * @throws {InputError} on a non-finite argument, `s̃ ≤ 0` or `t < 0`
 */
export function alignedMode(a0: number, s: number, lambda: number, t: number, tau = 1): number {
  const x = t / tau;
  checkMode(a0, s, lambda, x);
  const l = Math.abs(lambda), k = Math.sqrt(lambda * lambda + 4 * s * s);
  const e = Math.exp(-k * x), oneMinusE = -Math.expm1(-k * x);
  if (l === 0 && a0 <= 0) return (s * a0 * e) / (s - a0 * oneMinusE); // k = 2s̃ here
  const r0 = Math.sqrt(lambda * lambda + 4 * a0 * a0);
  const z0 = a0 >= 0 ? r0 + 2 * a0 : (lambda * lambda) / (r0 - 2 * a0);
  const zPlus = 2 * s + k, zMinus = (lambda * lambda) / (k + 2 * s); // |z₋|
  const den = z0 * oneMinusE + zMinus + zPlus * e;
  const z = (zPlus * z0 + zPlus * zMinus * oneMinusE + z0 * zMinus * e) / den;
  let zeta = z - l;
  if (a0 >= 0) {
    const zeta0 = 2 * a0 + (4 * a0 * a0) / (r0 + l);
    const upper = 2 * s + (4 * s * s) / (k + l), lower = l + zMinus; // z₊ − |λ|, |λ| − z₋
    zeta = (zeta0 * (upper + lower * e) + upper * lower * oneMinusE) / den;
  }
  return (zeta * (z + l)) / (4 * z);
}

/**
 * The published lazy-limit approximation `W2W1(t) ≈ Σyx + (W2W1(0) − Σyx) e^{−|λ|t/τ}` (see the
 * module documentation for the shapes where it holds).
 * @param sigmaYX the task `Σyx`, `No × Ni`
 * @param w2w1At0 the network function at `t = 0`, `No × Ni`
 * @throws {InputError} when the shapes differ, `λ` is not finite or `t < 0`
 */
export function lazyLimitApproximation(
  sigmaYX: Matrix,
  w2w1At0: Matrix,
  lambda: number,
  t: number,
  tau = 1,
): Matrix {
  if (sigmaYX.rows !== w2w1At0.rows || sigmaYX.cols !== w2w1At0.cols) {
    throw new InputError(
      `lazy limit: W2W1(0) is ${w2w1At0.rows}×${w2w1At0.cols}, Σyx is ` +
        `${sigmaYX.rows}×${sigmaYX.cols}`,
    );
  }
  if (!Number.isFinite(lambda)) throw new InputError(`lazy limit: λ = ${lambda} must be finite`);
  if (!(t / tau >= 0)) throw new InputError(`lazy limit: time t/τ = ${t / tau} must be ≥ 0`);
  const e = Math.exp(-Math.abs(lambda) * t / tau);
  return new Matrix(
    sigmaYX.rows,
    sigmaYX.cols,
    sigmaYX.data.map((v, i) => v + (w2w1At0.data[i] - v) * e),
  );
}
