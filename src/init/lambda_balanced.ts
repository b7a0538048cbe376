/**
 * λ-balanced initialisations, `W2ᵀW2 − W1W1ᵀ = λ I_Nh` (MATH.md, "λ-balanced initialisations";
 * Dominé et al., ICLR 2025): the constructor for every admissible `(Ni, Nh, No, λ)`, from a
 * scale or from a given product `W2W1(0)`, and the measurement of `λ̂` and of the imbalance of
 * any pair of weights.
 *
 * Admissible shapes (full-rank `W2W1`, `Nm = min(Ni, No)`): `Nh ≥ Nm`; `λ > 0` needs
 * `Nh ≤ No` (`W2ᵀW2 = W1W1ᵀ + λI` is positive definite, so `W2` has rank `Nh`); `λ < 0` needs
 * `Nh ≤ Ni` (likewise for `W1W1ᵀ`). Hidden units beyond `Nm` carry `√|λ|` in the layer on the
 * larger side and nothing in the other.
 *
 * Construction, with `M = W2W1(0) = U S Vᵀ`: hidden unit `k < Nm` gets `s1ₖ` in `W1` and `s2ₖ`
 * in `W2` with `s1ₖ s2ₖ = sₖ` and `s2ₖ² − s1ₖ² = λ` ({@link lambdaSplit}); then
 * `W1 = R diag(s1) V̂ᵀ`, `W2 = Û diag(s2) Rᵀ` with `R` orthogonal `Nh × Nh` and `V̂`, `Û` the
 * singular vectors extended by orthonormal directions of the complement for the extra units.
 * Every λ-balanced pair has this form.
 *
 * @module
 */
import { AssumptionError, InputError, ShapeError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { hstack, matmul, scaleCols, sub } from "../linalg/blas.ts";
import { orthComplement } from "../linalg/qr.ts";
import { svd } from "../linalg/svd.ts";
import type { Random } from "../random.ts";
import { checkDims, checkScale, type LayerWidths } from "./gaussian.ts";
import { checkWeights, type Weights } from "./weights.ts";

/**
 * The layer singular values of one λ-balanced hidden unit with product `s ≥ 0`:
 * `s1 = √((r − λ)/2)`, `s2 = √((r + λ)/2)`, `r = √(λ² + 4s²)`, so `s1·s2 = s` and
 * `s2² − s1² = λ`. The smaller of the two is evaluated without cancellation:
 * `(r − |λ|)/2 = 2s²/(r + |λ|)`, i.e. `s·√(2/(r + |λ|))`.
 *
 * @example
 * ```ts
 * lambdaSplit(2, 3); // { s1: 1, s2: 2 }: 1·2 = 2, 4 − 1 = 3
 * ```
 */
export function lambdaSplit(s: number, lambda: number): { s1: number; s2: number } {
  const abs = Math.abs(lambda);
  const sum = Math.hypot(lambda, 2 * s) + abs; // r + |λ|
  if (sum === 0) return { s1: 0, s2: 0 };
  const big = Math.sqrt(sum / 2), small = s * Math.sqrt(2 / sum);
  return lambda >= 0 ? { s1: small, s2: big } : { s1: big, s2: small };
}

/**
 * Checks that `(Ni, Nh, No, λ)` admits λ-balanced weights with a full-rank product.
 * @throws {ShapeError} naming the rule that fails (`Nh ≥ Nm`; `λ > 0 ⇒ Nh ≤ No`;
 *   `λ < 0 ⇒ Nh ≤ Ni`)
 * @throws {InputError} when `λ` is not finite
 */
export function checkLambdaShape({ ni, nh, no }: LayerWidths, lambda: number): void {
  if (!Number.isFinite(lambda)) throw new InputError(`λ must be finite, got ${lambda}`);
  const nm = Math.min(ni, no);
  if (nh < nm) {
    throw new ShapeError(
      `λ-balanced weights of full rank need Nh ≥ Nm = min(Ni, No) = ${nm}, got Nh = ${nh}`,
    );
  }
  if (lambda > 0 && nh > no) {
    throw new ShapeError(
      `λ = ${lambda} > 0 needs Nh ≤ No (W2ᵀW2 = W1W1ᵀ + λI is positive definite, so W2 has ` +
        `rank Nh), got Nh = ${nh}, No = ${no}`,
    );
  }
  if (lambda < 0 && nh > ni) {
    throw new ShapeError(
      `λ = ${lambda} < 0 needs Nh ≤ Ni (W1W1ᵀ = W2ᵀW2 − λI is positive definite, so W1 has ` +
        `rank Nh), got Nh = ${nh}, Ni = ${ni}`,
    );
  }
}

/**
 * λ-balanced weights whose product is `m` exactly (up to rounding): `W2W1 = m`,
 * `W2ᵀW2 − W1W1ᵀ = λI`.
 *
 * @param m `No × Ni` network function, any rank (the exact solutions need full rank `Nm`)
 * @param lambda the balance `λ`
 * @param r `Nh × Nh` orthogonal (the hidden basis), e.g. `rng.orthonormal(nh, nh)`
 * @param extra for `Nh > Nm` and `λ ≠ 0`: `k × (Nh − Nm)` with orthonormal columns choosing the
 *   extra units' directions inside the complement of `m`'s singular vectors on the larger side
 *   (`k = No − Nm` for `λ > 0`, `Ni − Nm` for `λ < 0`); default its first columns
 * @throws {ShapeError} on an inadmissible shape (see {@link checkLambdaShape}) or a wrong `r`
 * @example
 * ```ts
 * const w = lambdaBalancedFromProduct(Matrix.from([[1, 0], [0, 2]]), 3, Matrix.identity(2));
 * ```
 */
export function lambdaBalancedFromProduct(
  m: Matrix,
  lambda: number,
  r: Matrix,
  extra?: Matrix,
): Weights {
  m.assertFinite("W2W1(0)");
  const no = m.rows, ni = m.cols, nh = r.rows, nm = Math.min(ni, no);
  if (r.cols !== nh) throw new ShapeError(`R is ${r.rows}×${r.cols}, expected square Nh×Nh`);
  checkLambdaShape({ ni, nh, no }, lambda);
  const { u, s, v } = svd(m);
  const split = Array.from(s, (sk) => lambdaSplit(sk, lambda));
  const s1 = new Float64Array(nh), s2 = new Float64Array(nh);
  split.forEach((p, k) => {
    s1[k] = p.s1;
    s2[k] = p.s2;
  });
  let uExt = u, vExt = v;
  const nx = nh - nm;
  if (nx > 0 && lambda !== 0) {
    const side = lambda > 0 ? u : v;
    let dirs = orthComplement(side);
    if (extra !== undefined) {
      if (extra.rows !== dirs.cols || extra.cols !== nx) {
        throw new ShapeError(
          `extra is ${extra.rows}×${extra.cols}, expected ${dirs.cols}×${nx}`,
        );
      }
      dirs = matmul(dirs, extra);
    } else dirs = dirs.slice(0, dirs.rows, 0, nx);
    const root = Math.sqrt(Math.abs(lambda));
    for (let k = nm; k < nh; k++) (lambda > 0 ? s2 : s1)[k] = root;
    if (lambda > 0) uExt = hstack([u, dirs]);
    else vExt = hstack([v, dirs]);
  }
  const pad = (a: Matrix) => a.cols === nh ? a : hstack([a, Matrix.zeros(a.rows, nh - a.cols)]);
  const col = (d: Float64Array) => new Matrix(nh, 1, d);
  return {
    w1: matmul(scaleCols(r, col(s1)), pad(vExt), { transB: true }),
    w2: matmul(scaleCols(pad(uExt), col(s2)), r, { transB: true }),
  };
}

/** Options of {@link lambdaBalancedInit}. */
export interface LambdaBalancedOptions extends LayerWidths {
  /** The balance `λ` (`W2ᵀW2 − W1W1ᵀ = λI`). */
  lambda: number;
  /** Standard deviation of the entries of the drawn network function `M = W2W1(0)`. */
  scale: number;
}

/**
 * Draws λ-balanced weights: `M = W2W1(0)` with independent `N(0, scale²)` entries, `R` Haar
 * orthogonal, and (for `Nh > Nm`, `λ ≠ 0`) Haar directions for the extra units inside the
 * complement (see {@link lambdaBalancedFromProduct}).
 *
 * @example
 * ```ts
 * const w = lambdaBalancedInit(new Random(1), { ni: 3, nh: 5, no: 6, lambda: 2, scale: 0.1 });
 * lambdaBalance(w).lambdaHat; // 2 (to rounding)
 * ```
 * @throws {ShapeError} on an inadmissible shape (see {@link checkLambdaShape})
 * @throws {InputError} on invalid widths, scale or λ
 */
export function lambdaBalancedInit(rng: Random, options: LambdaBalancedOptions): Weights {
  checkDims(options);
  checkScale(options.scale);
  const { ni, nh, no, lambda, scale } = options;
  checkLambdaShape(options, lambda);
  const nm = Math.min(ni, no), nx = nh - nm;
  const m = rng.gaussianMatrix(no, ni, scale);
  const r = rng.orthonormal(nh, nh);
  const k = lambda > 0 ? no - nm : ni - nm;
  const extra = nx > 0 && lambda !== 0 ? rng.orthonormal(k, nx) : undefined;
  return lambdaBalancedFromProduct(m, lambda, r, extra);
}

/** What {@link lambdaBalance} measures. */
export interface LambdaBalance {
  /** `λ̂ = tr(W2ᵀW2 − W1W1ᵀ) / Nh`, the best λ in the least-squares sense. */
  lambdaHat: number;
  /** `max|W2ᵀW2 − W1W1ᵀ − λ̂I| / scale`: 0 for exactly λ-balanced weights. */
  imbalance: number;
  /**
   * `max|W2ᵀW2 − W1W1ᵀ| / scale`: the imbalance with respect to λ = 0 (the zero-balanced check
   * of the paper's Assumption 2.3).
   */
  zeroImbalance: number;
  /** `max(max|W1W1ᵀ|, max|W2ᵀW2|)`, the weights' scale the imbalances are relative to (0 → 0). */
  scale: number;
}

/**
 * Measures how λ-balanced any pair of weights is. λ-balanced constructions give imbalance at the
 * rounding level (≈ Nh·ε); Gaussian weights give O(1).
 * @throws {ShapeError|NonFiniteError} when the weights do not chain or are not finite
 */
export function lambdaBalance(weights: Weights): LambdaBalance {
  checkWeights(weights);
  const { w1, w2 } = weights;
  const g1 = matmul(w1, w1, { transB: true }), g2 = matmul(w2, w2, { transA: true });
  const diff = sub(g2, g1);
  const nh = diff.rows;
  let trace = 0;
  for (let i = 0; i < nh; i++) trace += diff.get(i, i);
  const lambdaHat = trace / nh;
  const scale = Math.max(g1.maxAbs(), g2.maxAbs());
  const rel = (x: number) => (scale === 0 ? 0 : x / scale);
  let residual = 0;
  for (let i = 0; i < nh; i++) {
    for (let j = 0; j < nh; j++) {
      residual = Math.max(residual, Math.abs(diff.get(i, j) - (i === j ? lambdaHat : 0)));
    }
  }
  return {
    lambdaHat,
    imbalance: rel(residual),
    zeroImbalance: rel(diff.maxAbs()),
    scale,
  };
}

/**
 * The λ of weights that are λ-balanced within `tol`: 0 when they are zero-balanced
 * (`zeroImbalance ≤ tol`, so zero-balanced inputs keep every zero-balanced method), else `λ̂`
 * when `imbalance ≤ tol`. Both measures are relative to the weights' scale (see
 * {@link lambdaBalance}), so `tol` is an accuracy: the exact solutions' error is first order in
 * the imbalance.
 * @throws {AssumptionError} naming "λ-balanced", the measured imbalance and `tol`
 */
export function balancedLambda(weights: Weights, tol: number): number {
  const b = lambdaBalance(weights);
  if (b.zeroImbalance <= tol) return 0;
  if (!(b.imbalance <= tol)) {
    throw new AssumptionError(
      "λ-balanced init",
      b.imbalance,
      tol,
      `max|W2ᵀW2 − W1W1ᵀ − λ̂I| / max(max|W1W1ᵀ|, max|W2ᵀW2|) with λ̂ = ` +
        `tr(W2ᵀW2 − W1W1ᵀ)/Nh = ${b.lambdaHat.toPrecision(6)}`,
    );
  }
  return b.lambdaHat;
}
