/**
 * Zero-balanced initialisation (Assumption 2.3) of any scale and width, with control over the
 * non-singularity of `B` (Assumption 3.1) for the task it will be trained on.
 *
 * @module
 */
import { AssumptionError, InputError, ShapeError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { add, matmul, scaleCols } from "../linalg/blas.ts";
import { det } from "../linalg/lu.ts";
import { conditionNumber, svd } from "../linalg/svd.ts";
import type { Random } from "../random.ts";
import type { Task } from "../task.ts";
import { checkDims, checkScale, type LayerWidths } from "./gaussian.ts";
import type { Weights } from "./weights.ts";

/** Options of {@link zeroBalancedInit}. */
export interface ZeroBalancedOptions extends LayerWidths {
  /** Standard deviation of the entries of the drawn network function `M = W2W1(0)`. */
  scale: number;
  /** The task the network will be trained on; needed for the `B` check. */
  task?: Task;
  /**
   * Draw only initialisations whose `B = UᵀŨ + VᵀṼ` is well conditioned
   * (`cond(B) ≤ maxConditionB`). Default: `true` when `task` is given. Why: with `B` singular
   * gradient flow stalls at a saddle and Theorem 3.1 does not apply (MATH.md, "When B is
   * singular"); for square tasks that happens for about half of all random draws, so a random
   * init meant to be generic should not land there by accident. Reversal learning, where `B`
   * is singular on purpose, is built by continuing from a trained state, not by this draw.
   */
  regularB?: boolean;
  /** Largest accepted `cond(B)`; default {@link MAX_CONDITION_B}. */
  maxConditionB?: number;
  /** Draws tried before giving up; default 100. */
  maxAttempts?: number;
}

/**
 * Default bound on `cond(B)`: `B⁻¹` enters Theorem 3.1 on both sides, so its f64 error grows like
 * `cond(B)²·ε`; `cond(B) ≤ 100` costs at most four digits there (and keeps `auto` on Theorem
 * 3.1), while rejecting only a few percent of sign-corrected random draws.
 */
export const MAX_CONDITION_B = 100;

/**
 * Zero-balanced weights whose network function is `m` exactly (MATH.md recipe): compact SVD
 * `m = U S Vᵀ`, `R` (`Nh × Nm`) with orthonormal columns, `W1 = R S^½ Vᵀ`, `W2 = U S^½ Rᵀ`;
 * then `W1W1ᵀ = R S Rᵀ = W2ᵀW2` and `W2W1 = m`.
 *
 * @param m `No × Ni` network function
 * @param r `Nh × Nm` with orthonormal columns (`Nm = min(Ni, No)`), e.g. `rng.orthonormal(nh, nm)`
 * @throws {ShapeError} when `r` is not `Nh × Nm` with `Nh ≥ Nm`
 */
export function zeroBalancedFromProduct(m: Matrix, r: Matrix): Weights {
  const nm = Math.min(m.rows, m.cols);
  if (r.cols !== nm || r.rows < nm) {
    throw new ShapeError(
      `R is ${r.rows}×${r.cols}, expected Nh×${nm} with Nh ≥ ${nm} (Nm = min(Ni, No))`,
    );
  }
  const { u, s, v } = svd(m);
  return halves(u, s, v, r);
}

/** `W1 = R S^½ Vᵀ`, `W2 = U S^½ Rᵀ`. */
function halves(u: Matrix, s: Float64Array, v: Matrix, r: Matrix): Weights {
  const root = new Matrix(s.length, 1, s.map(Math.sqrt));
  const rs = scaleCols(r, root);
  return {
    w1: matmul(rs, v, { transB: true }),
    w2: matmul(scaleCols(u, root), r, { transB: true }),
  };
}

/**
 * `B = UᵀŨ + VᵀṼ` (Theorem 3.1) from compact SVDs `W2W1(0) = U S Vᵀ` and `Σyx = Ũ S̃ Ṽᵀ`.
 * Its singularity does not depend on the sign choices of either SVD.
 * @throws {ShapeError} when the network function and `Σyx` differ in shape
 */
export function overlapB(networkFunction: Matrix, sigmaYX: Matrix): Matrix {
  if (networkFunction.rows !== sigmaYX.rows || networkFunction.cols !== sigmaYX.cols) {
    throw new ShapeError(
      `W2W1 is ${networkFunction.rows}×${networkFunction.cols}, Σyx is ` +
        `${sigmaYX.rows}×${sigmaYX.cols}`,
    );
  }
  const a = svd(networkFunction), t = svd(sigmaYX);
  return add(matmul(a.u, t.u, { transA: true }), matmul(a.v, t.v, { transA: true }));
}

/**
 * Draws zero-balanced weights (`W1W1ᵀ = W2ᵀW2` to rounding) for any `Nh ≥ Nm`: `M = W2W1(0)`
 * has independent `N(0, scale²)` entries and `R` is Haar (see {@link zeroBalancedFromProduct}).
 *
 * With `regularB` (default when `task` is given): for a square task the sign condition is
 * enforced first (MATH.md: `B` is singular exactly when `sign det M ≠ sign det Σyx`; if they
 * differ, the first singular direction of `M` is reversed, `u₁ → −u₁`, which flips `det M` and
 * keeps `S` and the scale); then `cond(B)` is measured and the draw repeated until it is at
 * most `maxConditionB`.
 *
 * @example
 * ```ts
 * const rng = new Random(7);
 * const task = randomTask(rng, { ni: 4, no: 4 });
 * const init = zeroBalancedInit(rng, { ni: 4, nh: 6, no: 4, scale: 0.5, task });
 * ```
 * @throws {ShapeError} when `Nh < Nm` or the task does not match the widths
 * @throws {InputError} on invalid widths/scale, or `regularB` without a task or with scale 0
 * @throws {AssumptionError} when no draw within `maxAttempts` has `cond(B) ≤ maxConditionB`
 */
export function zeroBalancedInit(rng: Random, options: ZeroBalancedOptions): Weights {
  checkDims(options);
  checkScale(options.scale);
  const { ni, nh, no, scale, task } = options;
  const nm = Math.min(ni, no);
  if (nh < nm) {
    throw new ShapeError(
      `a zero-balanced init of full rank needs Nh ≥ Nm = min(Ni, No) = ${nm}, got Nh = ${nh}`,
    );
  }
  const regularB = options.regularB ?? task !== undefined;
  if (!regularB) {
    return zeroBalancedFromProduct(rng.gaussianMatrix(no, ni, scale), rng.orthonormal(nh, nm));
  }
  if (task === undefined) throw new InputError("regularB needs the task the init is meant for");
  if (scale === 0) throw new InputError("regularB needs scale > 0 (B is undefined for W2W1 = 0)");
  const syx = task.sigmaYX;
  if (syx.rows !== no || syx.cols !== ni) {
    throw new ShapeError(`task Σyx is ${syx.rows}×${syx.cols}, the network is ${no}×${ni}`);
  }
  const maxCond = options.maxConditionB ?? MAX_CONDITION_B;
  const attempts = options.maxAttempts ?? 100;
  const targetSign = ni === no ? Math.sign(det(syx)) : 0;
  let best = Infinity;
  for (let k = 0; k < attempts; k++) {
    const m = rng.gaussianMatrix(no, ni, scale);
    const { u, s, v } = svd(m);
    if (targetSign !== 0 && Math.sign(det(m)) !== targetSign) {
      for (let i = 0; i < no; i++) u.data[i * nm] = -u.data[i * nm];
    }
    const w = halves(u, s, v, rng.orthonormal(nh, nm));
    const cond = conditionNumber(overlapB(matmul(w.w2, w.w1), syx));
    if (cond <= maxCond) return w;
    best = Math.min(best, cond);
  }
  throw new AssumptionError(
    "3.1 B non-singular",
    best,
    maxCond,
    `smallest cond(B) in ${attempts} zero-balanced draws`,
  );
}
