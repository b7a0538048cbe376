/**
 * Weights of a depth-L linear network `W = W_L ⋯ W_1` (L ≥ 2; MATH.md, "Deeper networks"):
 * shape checks, the `QQᵀ`-style blocks the observables read, balanced, aligned balanced and
 * Gaussian initialisations, and the balance checker.
 *
 * @module
 */
import { AssumptionError, InputError, ShapeError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { matmul, scaleCols, sub } from "../linalg/blas.ts";
import { svd } from "../linalg/svd.ts";
import type { Random } from "../random.ts";
import type { Task } from "../task.ts";
import type { QQtBlocks } from "../trajectory.ts";
import { checkScale } from "./gaussian.ts";
import { BALANCE_TOL } from "./balance.ts";

/** The layers `[W_1, …, W_L]` of a depth-L network; `W_l` is `n_l × n_{l−1}`. */
export type Layers = readonly Matrix[];

/** Widths of a depth-L network: `Ni`, the `L − 1` hidden widths, `No`. */
export interface DeepWidths {
  /** Inputs `Ni = n_0`. */
  ni: number;
  /** Hidden widths `n_1 … n_{L−1}` (at least one). */
  hidden: readonly number[];
  /** Outputs `No = n_L`. */
  no: number;
}

/**
 * Checks that the layers chain (`W_{l+1}` has as many columns as `W_l` has rows), that there
 * are at least two, and that every entry is finite.
 * @returns the widths `[n_0, …, n_L]`
 * @throws {ShapeError} when fewer than two layers are given or they do not chain
 * @throws {NonFiniteError} on a NaN or infinite entry
 */
export function checkLayers(layers: Layers): number[] {
  if (layers.length < 2) {
    throw new ShapeError(`a deep network needs at least 2 layers, got ${layers.length}`);
  }
  layers.forEach((w, i) => {
    if (i > 0 && w.cols !== layers[i - 1].rows) {
      throw new ShapeError(
        `W${i + 1} is ${w.rows}×${w.cols} and W${i} is ${layers[i - 1].rows}×` +
          `${layers[i - 1].cols}: W${i + 1}'s columns must equal W${i}'s rows`,
      );
    }
    w.assertFinite(`W${i + 1}`);
  });
  return [layers[0].cols, ...layers.map((w) => w.rows)];
}

/** `W_to ⋯ W_from` (1-based, inclusive); the identity of size `n_{from−1}` when `to < from`. */
export function layerProduct(layers: Layers, from: number, to: number): Matrix {
  let p = Matrix.identity(layers[from - 1]?.cols ?? layers[to - 1].rows);
  for (let l = from; l <= to; l++) p = l === from ? layers[l - 1] : matmul(layers[l - 1], p);
  return p;
}

/**
 * The blocks the observables read, split at the last hidden layer: `w1tw1 = BᵀB` with
 * `B = W_{L−1} ⋯ W_1` (the last hidden representation's Gram, so `inputRsm` is the RSM of that
 * layer), `w2w1 = W_L ⋯ W_1` (the network function) and `w2w2t = W_L W_Lᵀ`. At `L = 2` these
 * are exactly the blocks of `QQᵀ`.
 * @param product `W_L ⋯ W_1` when already known (e.g. recorded by the GD loop)
 * @throws {ShapeError} when the layers do not chain
 */
export function deepBlocks(layers: Layers, product?: Matrix): QQtBlocks {
  checkLayers(layers);
  const depth = layers.length, last = layers[depth - 1];
  const b = layerProduct(layers, 1, depth - 1);
  return {
    w1tw1: matmul(b, b, { transA: true }),
    w2w1: product ?? matmul(last, b),
    w2w2t: matmul(last, last, { transB: true }),
  };
}

/**
 * Largest relative imbalance over the layers,
 * `max_l ‖W_{l+1}ᵀW_{l+1} − W_lW_lᵀ‖_F / max(‖W_{l+1}ᵀW_{l+1}‖_F, ‖W_lW_lᵀ‖_F)` (0 for zero
 * weights). Gradient flow conserves each `W_{l+1}ᵀW_{l+1} − W_lW_lᵀ`; balanced weights give
 * rounding level (≈1e-16), Gaussian weights O(1).
 * @throws {ShapeError} when the layers do not chain
 */
export function deepBalanceError(layers: Layers): number {
  checkLayers(layers);
  let worst = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const g1 = matmul(layers[l], layers[l], { transB: true });
    const g2 = matmul(layers[l + 1], layers[l + 1], { transA: true });
    const scale = Math.max(g1.normFrobenius(), g2.normFrobenius());
    if (scale > 0) worst = Math.max(worst, sub(g2, g1).normFrobenius() / scale);
  }
  return worst;
}

/**
 * Throws unless every layer pair is balanced to `tol` ({@link deepBalanceError}).
 * @throws {AssumptionError} naming the balance assumption, the measured value and `tol`
 */
export function assertDeepBalanced(layers: Layers, tol = BALANCE_TOL): void {
  const e = deepBalanceError(layers);
  if (!(e <= tol)) {
    throw new AssumptionError(
      "balanced (depth L)",
      e,
      tol,
      "max_l ‖W_{l+1}ᵀW_{l+1} − W_lW_lᵀ‖_F / max(‖W_{l+1}ᵀW_{l+1}‖_F, ‖W_lW_lᵀ‖_F)",
    );
  }
}

/** @throws {InputError} unless every width is a positive integer and there is a hidden layer */
function checkWidths({ ni, hidden, no }: DeepWidths): number[] {
  if (hidden.length < 1) throw new InputError("a deep network needs at least one hidden layer");
  const all = [ni, ...hidden, no];
  all.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 1) {
      throw new InputError(`width n_${i} must be a positive integer, got ${v}`);
    }
  });
  return all;
}

/**
 * Balanced weights whose product is `m` exactly: compact SVD `m = U S Vᵀ` and `r[l]`
 * (`n_l × Nm`, orthonormal columns) for each hidden layer give `W_1 = R_1 S^{1/L} Vᵀ`,
 * `W_l = R_l S^{1/L} R_{l−1}ᵀ`, `W_L = U S^{1/L} R_{L−1}ᵀ`, so every
 * `W_{l+1}ᵀW_{l+1} = R_l S^{2/L} R_lᵀ = W_lW_lᵀ` and `W_L ⋯ W_1 = m`.
 * @param m `No × Ni`
 * @param r one `n_l × Nm` matrix with orthonormal columns per hidden layer (`Nm = min(Ni, No)`)
 * @throws {ShapeError} when a rotation is not `n_l × Nm` with `n_l ≥ Nm`
 */
export function balancedFromProduct(m: Matrix, r: readonly Matrix[]): Matrix[] {
  const nm = Math.min(m.rows, m.cols);
  if (r.length < 1) throw new ShapeError("a deep network needs at least one hidden layer");
  r.forEach((q, i) => {
    if (q.cols !== nm || q.rows < nm) {
      throw new ShapeError(
        `R_${i + 1} is ${q.rows}×${q.cols}, expected n_${i + 1}×${nm} with n_${i + 1} ≥ ${nm}`,
      );
    }
  });
  const { u, s, v } = svd(m);
  return layersFromFactors(u, s, v, r);
}

/** `W_1 = R_1 S^{1/L} Vᵀ`, `W_l = R_l S^{1/L} R_{l−1}ᵀ`, `W_L = U S^{1/L} R_{L−1}ᵀ`. */
function layersFromFactors(
  u: Matrix,
  s: ArrayLike<number>,
  v: Matrix,
  r: readonly Matrix[],
): Matrix[] {
  const depth = r.length + 1;
  const root = new Matrix(s.length, 1, Float64Array.from(s, (x) => Math.pow(x, 1 / depth)));
  const out: Matrix[] = [matmul(scaleCols(r[0], root), v, { transB: true })];
  for (let l = 1; l < depth - 1; l++) {
    out.push(matmul(scaleCols(r[l], root), r[l - 1], { transB: true }));
  }
  out.push(matmul(scaleCols(u, root), r[depth - 2], { transB: true }));
  return out;
}

/** Haar rotations `R_l` (`n_l × Nm`) for the hidden layers. */
function rotations(rng: Random, hidden: readonly number[], nm: number): Matrix[] {
  return hidden.map((n, i) => {
    if (n < nm) {
      throw new ShapeError(`a balanced init of full rank needs n_${i + 1} ≥ Nm = ${nm}, got ${n}`);
    }
    return rng.orthonormal(n, nm);
  });
}

/**
 * Balanced weights at any depth: the product `M = W_L ⋯ W_1` has independent `N(0, scale²)`
 * entries and the hidden rotations are Haar (see {@link balancedFromProduct}).
 * @example
 * ```ts
 * const layers = balancedInit(new Random(1), { ni: 3, hidden: [4, 4], no: 3 }, 0.1);
 * deepBalanceError(layers); // ≈ 1e-16
 * ```
 * @throws {InputError} on invalid widths or scale
 * @throws {ShapeError} when a hidden width is below `Nm = min(Ni, No)`
 */
export function balancedInit(rng: Random, widths: DeepWidths, scale: number): Matrix[] {
  checkWidths(widths);
  checkScale(scale);
  const nm = Math.min(widths.ni, widths.no);
  const m = rng.gaussianMatrix(widths.no, widths.ni, scale);
  return balancedFromProduct(m, rotations(rng, widths.hidden, nm));
}

/**
 * Aligned balanced weights (Saxe, McClelland & Ganguli 2014): the product is
 * `Ũ diag(u0) Ṽᵀ` with `Σyx = Ũ S̃ Ṽᵀ` (compact SVD), so each task mode `k` starts at strength
 * `u0[k]` and evolves alone. Hidden rotations are Haar when `rng` is given, else the first
 * `Nm` columns of the identity.
 * @param u0 initial mode strengths (one per mode, or one for all), each ≥ 0
 * @throws {InputError} on a negative or non-finite strength or a wrong count
 * @throws {ShapeError} when the task does not match the widths
 */
export function alignedBalancedInit(
  task: Task,
  hidden: readonly number[],
  u0: number | readonly number[],
  rng?: Random,
): Matrix[] {
  const [no, ni] = task.sigmaYX.shape;
  checkWidths({ ni, hidden, no });
  const nm = Math.min(ni, no);
  const strengths = typeof u0 === "number" ? Array(nm).fill(u0) : [...u0];
  if (strengths.length !== nm) {
    throw new InputError(`aligned init: ${strengths.length} mode strengths given, expected ${nm}`);
  }
  strengths.forEach((v, k) => {
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new InputError(`aligned init: mode ${k} strength must be finite and ≥ 0, got ${v}`);
    }
  });
  const t = svd(task.sigmaYX);
  const r = rng ? rotations(rng, hidden, nm) : hidden.map((n, i) => {
    if (n < nm) throw new ShapeError(`n_${i + 1} = ${n} is below Nm = ${nm}`);
    return Matrix.fromFunction(n, nm, (a, b) => (a === b ? 1 : 0));
  });
  // The task's own singular vectors, not a re-SVD of the product (whose vectors are defined
  // only up to rotations inside repeated strengths).
  return layersFromFactors(t.u, strengths, t.v, r);
}

/**
 * Independent `N(0, scale²)` entries in every layer: not balanced (the exact aligned dynamics do
 * not apply); the "random small/large weights" of a deep network.
 * @throws {InputError} on invalid widths or scale
 */
export function gaussianDeepInit(rng: Random, widths: DeepWidths, scale: number): Matrix[] {
  const n = checkWidths(widths);
  checkScale(scale);
  return n.slice(1).map((rows, l) => rng.gaussianMatrix(rows, n[l], scale));
}
