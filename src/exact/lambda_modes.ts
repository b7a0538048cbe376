/**
 * The eigenbasis of `F_λ = [[−λ/2·I_Ni, Σyxᵀ], [Σyx, λ/2·I_No]]` and the coordinates of
 * `Q0 = [W1(0)ᵀ; W2(0)]` in it: the time-independent part of the λ-balanced solutions
 * (`lambda.ts`, `lambda_riccati.ts`; MATH.md, "λ-balanced initialisations").
 *
 * With `Σyx = Ũ S̃ Ṽᵀ` (compact, `Nm` modes) each mode spans `[ṽ; 0]`, `[0; ũ]`, on which
 * `F_λ` acts as `[[−λ/2, s̃], [s̃, λ/2]]`: eigenvalues `±μ`, `μ = √(s̃² + λ²/4)`. Eigenvectors,
 * left unnormalised so that no square root beyond `μ` is needed (the backend has none):
 *
 *   p̂₊ = [Ṽα; Ũβ] (eigenvalue +μ),   p̂₋ = [Ṽβ; −Ũα] (eigenvalue −μ),   p̂ᵀp̂ = diag(c), c = α² + β²,
 *   α = s̃, β = μ + λ/2 for λ ≥ 0;   α = μ − λ/2, β = s̃ for λ < 0
 *
 * (both choices solve `s̃β = (μ + λ/2)α`; each adds only non-negative terms, so neither cancels).
 * `μ` itself is the singular value of the row `[s̃, |λ|/2]`, taken from one SVD of
 * `[diag(s̃), |λ|/2·I]` (its rows are orthogonal, so its singular values are the row norms, in
 * the order of `s̃`). The rest of the space is the `⊥` group: `[0; Ũ⊥]` with eigenvalue `ν = +λ/2`
 * when `No > Ni`, or `[Ṽ⊥; 0]` with `ν = −λ/2` when `Ni > No`; none when `Ni = No`.
 *
 * Coordinates: `Q0 = p̂₊G + p̂₋H + J⊥` with `G = C⁻¹p̂₊ᵀQ0`, `H = C⁻¹p̂₋ᵀQ0` (`Nm × Nh`) and
 * `J⊥ = P⊥P⊥ᵀQ0` (`(Ni+No) × Nh`, formed with the projector `I − ŨŨᵀ` or `I − ṼṼᵀ`). Then
 *
 *   e^{F_λ t}Q0 = p̂₊e^{Mt}G + p̂₋e^{−Mt}H + e^{νt}J⊥,   M = diag(μ),
 *   Q0ᵀK(t)Q0 = GᵀC K₊ G + HᵀC K₋ H + K_ν J⊥ᵀJ⊥,   K(t) = ∫₀ᵗ e^{2F_λ s} ds,
 *   K₊ = (e^{2Mt} − I)/(2M),  K₋ = (I − e^{−2Mt})/(2M),  K_ν = (e^{2νt} − 1)/(2ν) (t at ν = 0).
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import type { Dims, ExactInputs } from "./assumptions.ts";

/** Handles of the time-independent quantities of the λ-balanced solutions. */
export interface LambdaModes<M> {
  /** Problem dimensions. */
  dims: Dims;
  /** The balance `λ` (`W2ᵀW2 − W1W1ᵀ = λI`). */
  lambda: number;
  /** Rate of the `⊥` group: `λ/2` when `No > Ni`, `−λ/2` when `Ni > No`, 0 when `Ni = No`. */
  nu: number;
  /** `S̃`, `Nm × 1`, descending. */
  st: M;
  /** `Ũ`, `No × Nm`. */
  ut: M;
  /** `Ṽ`, `Ni × Nm`. */
  vt: M;
  /** `μ = √(s̃² + λ²/4)`, `Nm × 1`. */
  mu: M;
  /**
   * `μ − |λ|/2 = s̃²/(μ + |λ|/2)`, `Nm × 1`, without cancellation: the rate at which a mode
   * overtakes the growing `⊥` group, small (≈ s̃²/|λ|) in the lazy regime, where `μ − |λ|/2`
   * formed by subtraction would lose `log10(|λ|/s̃)²` digits. `s̃` at λ = 0.
   */
  gap: M;
  /** `c = α² + β²` (squared norms of `p̂₊`, `p̂₋`), `Nm × 1`. */
  c: M;
  /** `p̂₊`, `(Ni+No) × Nm`. */
  pPlus: M;
  /** `p̂₋`, `(Ni+No) × Nm`. */
  pMinus: M;
  /** `Q0`, `(Ni+No) × Nh`. */
  q0: M;
  /** `G = C⁻¹p̂₊ᵀQ0`, `Nm × Nh`. */
  g: M;
  /** `H = C⁻¹p̂₋ᵀQ0`, `Nm × Nh`. */
  h: M;
  /** `J⊥ = P⊥P⊥ᵀQ0`, `(Ni+No) × Nh`; `undefined` when `Ni = No`. */
  jPerp: M | undefined;
}

/** A `rows × 1` backend vector with every entry `value` (converted exactly). */
export function constant<M>(be: Backend<M>, rows: number, value: number): M {
  return be.from(Matrix.fromFunction(rows, 1, () => value));
}

/**
 * `κ = ∫₀ᵗ e^{−2rs} ds = (1 − e^{−2rt})/(2r)` elementwise for a vector of positive rates `r`
 * (`expm1`, no cancellation at small `rt`); bounded by `min(t, 1/(2r))`.
 */
export function decayIntegral<M>(be: Backend<M>, rates: M, x: number): M {
  return be.divide(be.expm1Scaled(rates, -2 * x), be.scale(rates, -2));
}

/** {@link decayIntegral} of one rate `|rate|` as a `rows × 1` vector (`t` when the rate is 0). */
export function constantDecayIntegral<M>(be: Backend<M>, rows: number, rate: number, x: number): M {
  return rate === 0
    ? constant(be, rows, x)
    : decayIntegral(be, constant(be, rows, Math.abs(rate)), x);
}

/**
 * `ω⁺ᵢ − ω⁺ⱼ` for every pair of rows of the echelon form's eigenbasis (`lambda_echelon.ts`:
 * `p̂₊` by descending `μ`, the `⊥` group, `p̂₋` by ascending `μ`), `ω⁺ = max(ω, 0)` the growth part
 * of each row's rate, as an `n × n` matrix formed without cancellation: `μᵢ − μⱼ` as
 * `(s̃ᵢ² − s̃ⱼ²)/(μᵢ + μⱼ)` and `μᵢ − ν` (ν > 0) as {@link LambdaModes.gap}. In the lazy regime the
 * rates are all near `|λ|/2` and their differences `≈ s̃²/|λ|`: subtracting the rates would lose
 * `log10(|λ|/s̃)²` digits (measured: 4e-10 instead of 3e-16 at λ = −1e4 on a 3×2×2 network).
 */
export function rateDifferences<M>(be: Backend<M>, m: LambdaModes<M>): M {
  const nm = m.dims.nm, dp = m.dims.ni + m.dims.no - 2 * nm;
  const nuPlus = Math.max(m.nu, 0);
  const ones = (k: number) => constant(be, k, 1);
  const outer = (a: M, b: M) => be.matmul(a, b, false, true);
  const mu = m.mu, sq = be.hadamard(m.st, m.st);
  const muMinusNu = nuPlus > 0 ? m.gap : mu; // μᵢ − ν⁺
  const fill = (rows: number, cols: number, v: number) =>
    be.from(Matrix.fromFunction(rows, cols, () => v));
  const perp = dp > 0;
  const rowP = [
    be.divide(
      be.sub(outer(sq, ones(nm)), outer(ones(nm), sq)),
      be.add(outer(mu, ones(nm)), outer(ones(nm), mu)),
    ), // μᵢ − μⱼ
    ...(perp ? [outer(muMinusNu, ones(dp))] : []), // μᵢ − ν⁺
    outer(mu, ones(nm)), // μᵢ − 0
  ];
  const rowPerp = perp
    ? [be.scale(outer(ones(dp), muMinusNu), -1), be.zeros(dp, dp), fill(dp, nm, nuPlus)]
    : [];
  const rowM = [
    be.scale(outer(ones(nm), mu), -1), // 0 − μⱼ
    ...(perp ? [fill(nm, dp, -nuPlus)] : []),
    be.zeros(nm, nm),
  ];
  return be.vstack([rowP, rowPerp, rowM].filter((r) => r.length > 0).map((r) => be.hstack(r)));
}

/** The `k × k` reversal permutation (exact 0/1). */
export function reversal<M>(be: Backend<M>, k: number): M {
  return be.from(Matrix.fromFunction(k, k, (i, j) => (i + j === k - 1 ? 1 : 0)));
}

/** `F_λ = [[−λ/2·I, Σyxᵀ], [Σyx, λ/2·I]]`, `(Ni+No) × (Ni+No)`. */
export function fLambda<M>(be: Backend<M>, sigmaYX: Matrix, lambda: number): M {
  const no = sigmaYX.rows, ni = sigmaYX.cols;
  const syx = be.from(sigmaYX);
  return be.vstack([
    be.hstack([be.scale(be.identity(ni), -lambda / 2), be.transpose(syx)]),
    be.hstack([syx, be.scale(be.identity(no), lambda / 2)]),
  ]);
}

/** `Q0 = [W1ᵀ; W2]`, `(Ni+No) × Nh`. */
export function stackQ<M>(be: Backend<M>, w1: Matrix, w2: Matrix): M {
  return be.vstack([be.transpose(be.from(w1)), be.from(w2)]);
}

/**
 * Computes {@link LambdaModes} for inputs already checked (shapes, whitened, λ-balanced with this
 * `lambda`, full rank). Handles are allocated in the caller's scope.
 */
export function computeLambdaModes<M>(
  be: Backend<M>,
  inp: ExactInputs,
  dims: Dims,
  lambda: number,
): LambdaModes<M> {
  const { ni, no, nm } = dims;
  const task = be.svd(be.from(inp.sigmaYX));
  const st = task.s;
  const mu = lambda === 0 ? st : be.singularValues(
    be.hstack([be.diag(st), be.scale(be.identity(nm), Math.abs(lambda) / 2)]),
  );
  const muHalf = be.add(mu, constant(be, nm, Math.abs(lambda) / 2)); // μ + |λ|/2
  const gap = lambda === 0 ? st : be.divide(be.hadamard(st, st), muHalf);
  const [alpha, beta] = lambda >= 0 ? [st, muHalf] : [muHalf, st];
  const c = be.add(be.hadamard(alpha, alpha), be.hadamard(beta, beta));
  const pPlus = be.vstack([be.scaleCols(task.v, alpha), be.scaleCols(task.u, beta)]);
  const pMinus = be.vstack([
    be.scaleCols(task.v, beta),
    be.scale(be.scaleCols(task.u, alpha), -1),
  ]);
  const q0 = stackQ(be, inp.w1, inp.w2);
  const invC = be.divide(constant(be, nm, 1), c);
  const coords = (p: M) => be.scaleRows(invC, be.matmul(p, q0, true, false));
  let jPerp: M | undefined;
  const nh = dims.nh;
  const perp = (basis: M, x: M) => be.sub(x, be.matmul(basis, be.matmul(basis, x, true, false)));
  if (no > ni) {
    jPerp = be.vstack([be.zeros(ni, nh), perp(task.u, be.from(inp.w2))]);
  } else if (ni > no) {
    jPerp = be.vstack([perp(task.v, be.transpose(be.from(inp.w1))), be.zeros(no, nh)]);
  }
  return {
    dims,
    lambda,
    nu: no > ni ? lambda / 2 : ni > no ? -lambda / 2 : 0,
    st,
    ut: task.u,
    vt: task.v,
    mu,
    gap,
    c,
    pPlus,
    pMinus,
    q0,
    g: coords(pPlus),
    h: coords(pMinus),
    jPerp,
  };
}
