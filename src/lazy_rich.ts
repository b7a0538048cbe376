/**
 * Measures of the lazy/rich question (MATH.md, "λ-balanced initialisations"), computed from the
 * `QQᵀ` blocks of any trajectory state, so gradient descent and every exact solver are measured
 * the same way:
 *
 * - **NTK kernel distance** from a reference state, `1 − ⟨K0, Kt⟩_F / (‖K0‖_F ‖Kt‖_F)`, with
 *   `K = I_No ⊗ XᵀMX + N ⊗ XᵀX` the paper's Eq. 9 NTK (`M = W1ᵀW1`, `N = W2W2ᵀ`). It never forms
 *   the `(No·P) × (No·P)` Kronecker matrix: with `⟨A ⊗ B, C ⊗ D⟩_F = ⟨A, C⟩_F ⟨B, D⟩_F` and
 *   `Σ = XXᵀ` (`Ni × Ni`),
 *
 *     ⟨K, K'⟩_F = No tr(MΣM'Σ) + tr(N') tr(MΣ²) + tr(N) tr(M'Σ²) + ⟨N, N'⟩_F tr(Σ²),
 *
 *   because `⟨XᵀMX, XᵀM'X⟩_F = tr(MΣM'Σ)`, `⟨XᵀMX, XᵀX⟩_F = tr(MΣ²)` and `‖XᵀX‖²_F = tr(Σ²)`.
 *   Cost `O(Ni³ + No²)` instead of `O(No² P²)` memory. The distance is unchanged when `Σ` is
 *   scaled, so whitened inputs (`Σ = P·I`) need no `X`: `Σ = I` is used when it is omitted.
 *   0 means the kernel has not moved (lazy), values near 1 a kernel orthogonal to the start.
 * - **Task-specificity** of the hidden representation: the Frobenius cosine similarity of
 *   `W1ᵀW1` to the task's input RSM `ṼS̃Ṽᵀ = (ΣyxᵀΣyx)^½`. 1 at λ = 0's limit (Theorem 3.2);
 *   `W1ᵀW1 → Ṽ diag(μ − λ/2) Ṽᵀ` at λ ≠ 0, which drifts from the task as `|λ|` grows.
 * - **Singular values of each layer** from `QQᵀ` blocks alone: the eigenvalues of `W1ᵀW1`
 *   (`Ni × Ni`) and `W2W2ᵀ` (`No × No`) are the squared singular values of `W1` and `W2`, padded
 *   with zeros. A singular value `σ` comes out with an absolute error of about `ε‖W‖²/σ`
 *   (the square root of an eigenvalue accurate to `ε‖W‖²`): fine for the spectrum's large
 *   values, only `√ε‖W‖` for values near zero.
 *
 * @module
 */
import { ShapeError } from "./errors.ts";
import { Matrix } from "./matrix.ts";
import { matmul, matmulPtr } from "./linalg/blas.ts";
import { arenaMapEach, arenaPut } from "./linalg/arena.ts";
import { symmetricEigen } from "./linalg/eigen.ts";
import { svd } from "./linalg/svd.ts";
import type { QQtBlocks, Trajectory } from "./trajectory.ts";

/** `tr(AB)` of two square matrices of the same size (`Σ_ij A_ij B_ji`). */
function traceOfProduct(a: Matrix, b: Matrix): number {
  const n = a.rows;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) s += a.data[i * n + j] * b.data[j * n + i];
  }
  return s;
}

function trace(a: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + i];
  return s;
}

/** Frobenius inner product `⟨a, b⟩_F`. */
function frobenius(a: Matrix, b: Matrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += a.data[i] * b.data[i];
  return s;
}

/** `Σ = XXᵀ` of the data, or the identity (whitened inputs) when `x` is omitted. */
function inputGram(ni: number, x?: Matrix): Matrix {
  if (x === undefined) return Matrix.identity(ni);
  if (x.rows !== ni) throw new ShapeError(`X has ${x.rows} rows, expected ${ni} (Ni)`);
  return matmul(x, x, { transB: true });
}

function checkSameShape(a: QQtBlocks, b: QQtBlocks): void {
  if (a.w2w1.rows !== b.w2w1.rows || a.w2w1.cols !== b.w2w1.cols) {
    throw new ShapeError(
      `states of networks ${a.w2w1.cols}→${a.w2w1.rows} and ${b.w2w1.cols}→${b.w2w1.rows} ` +
        "cannot be compared (Ni, No differ)",
    );
  }
}

/**
 * NTK Frobenius inner product `⟨K_a, K_b⟩_F` of two states on the inputs `X` (`Ni × P`; whitened
 * inputs, `XXᵀ ∝ I`, when omitted), by the trace identity of the module documentation; never
 * forms the Kronecker NTK.
 * @throws {ShapeError} when the states' shapes differ or `X` does not have `Ni` rows
 */
export function ntkInner(a: QQtBlocks, b: QQtBlocks, x?: Matrix): number {
  checkSameShape(a, b);
  return ntkInnerWithGram(a, b, inputGram(a.w1tw1.rows, x));
}

/** What the trace identity needs of one state: `MΣ`, `tr(MΣ²)`, `N`, `tr N` (and `tr Σ²`). */
interface NtkTerms {
  ms: Matrix;
  trMS2: number;
  n: Matrix;
  trN: number;
  trS2: number;
}

/** The terms of state `s`, given `ms = W1ᵀW1·Σ`. */
function ntkTerms(s: QQtBlocks, ms: Matrix, sigma2: Matrix): NtkTerms {
  return {
    ms,
    trMS2: traceOfProduct(s.w1tw1, sigma2),
    n: s.w2w2t,
    trN: trace(s.w2w2t),
    trS2: trace(sigma2),
  };
}

/** `⟨K_a, K_b⟩_F` by the trace identity of the module documentation. */
function ntkInnerOfTerms(a: NtkTerms, b: NtkTerms): number {
  return a.n.rows * traceOfProduct(a.ms, b.ms) + b.trN * a.trMS2 + a.trN * b.trMS2 +
    frobenius(a.n, b.n) * a.trS2;
}

function ntkInnerWithGram(a: QQtBlocks, b: QQtBlocks, sigma: Matrix): number {
  const sigma2 = matmul(sigma, sigma);
  const terms = (s: QQtBlocks) => ntkTerms(s, matmul(s.w1tw1, sigma), sigma2);
  return ntkInnerOfTerms(terms(a), terms(b));
}

/**
 * NTK kernel distance `1 − ⟨K0, Kt⟩_F / (‖K0‖_F ‖Kt‖_F)` between a reference state (usually
 * `t = 0`) and another, on the inputs `X` (whitened when omitted). In `[0, 1]` (both kernels are
 * PSD, so their inner product is non-negative); 0 when one kernel is a positive multiple of the
 * other. Returns `NaN` when either kernel is zero (a network with all weights zero).
 * @throws {ShapeError} when the states' shapes differ or `X` does not have `Ni` rows
 */
export function kernelDistance(reference: QQtBlocks, state: QQtBlocks, x?: Matrix): number {
  checkSameShape(reference, state);
  const sigma = inputGram(reference.w1tw1.rows, x);
  const cross = ntkInnerWithGram(reference, state, sigma);
  const n0 = ntkInnerWithGram(reference, reference, sigma);
  const nt = ntkInnerWithGram(state, state, sigma);
  return 1 - cross / Math.sqrt(n0 * nt);
}

/**
 * Kernel distance of every state of a trajectory from its first state (see
 * {@link kernelDistance}); `X` as there.
 * @throws {ShapeError} when the trajectory is empty or `X` does not have `Ni` rows
 */
export function kernelDistanceOverTime(traj: Trajectory, x?: Matrix): number[] {
  if (traj.states.length === 0) throw new ShapeError("kernel distance of an empty trajectory");
  const sigma = inputGram(traj.states[0].w1tw1.rows, x);
  const sigma2 = matmul(sigma, sigma);
  // Each state's terms once; the products W1ᵀW1·Σ computed in the arena and read back together
  // (the explorer redraws this per frame).
  const products = arenaMapEach(traj.states, (s) => [
    matmulPtr(arenaPut(s.w1tw1, "W1ᵀW1"), arenaPut(sigma, "kernel distance: Σ")),
  ]).map(([p]) => p);
  const terms = traj.states.map((s, i) => ntkTerms(s, products[i], sigma2));
  const n0 = ntkInnerOfTerms(terms[0], terms[0]);
  return terms.map((t) => 1 - ntkInnerOfTerms(terms[0], t) / Math.sqrt(n0 * ntkInnerOfTerms(t, t)));
}

/** Frobenius cosine similarity `⟨a, b⟩_F / (‖a‖_F ‖b‖_F)`; `NaN` when either is zero. */
export function cosineSimilarity(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`cosine similarity of ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
  }
  return frobenius(a, b) / (a.normFrobenius() * b.normFrobenius());
}

/**
 * The task's input RSM `ṼS̃Ṽᵀ = (ΣyxᵀΣyx)^½` (`Ni × Ni`), the target of `W1ᵀW1` at λ = 0
 * (Theorem 3.2).
 */
export function taskInputRsm(sigmaYX: Matrix): Matrix {
  const { s, v } = svd(sigmaYX);
  return Matrix.fromFunction(v.rows, v.rows, (i, j) => {
    let sum = 0;
    for (let k = 0; k < s.length; k++) sum += v.get(i, k) * s[k] * v.get(j, k);
    return sum;
  });
}

/**
 * Task-specificity of the hidden representation: cosine similarity of `W1ᵀW1` to the task's
 * input RSM `ṼS̃Ṽᵀ` ({@link taskInputRsm}). 1 when the representation is the task's (up to
 * scale); for a representation that ignores the task, `W1ᵀW1 ∝ I`, it is
 * `Σs̃ / (√Ni ‖s̃‖)`. `NaN` when `W1 = 0`.
 * @throws {ShapeError} when `Σyx` is not `No × Ni` of the state
 */
export function taskSpecificity(state: QQtBlocks, sigmaYX: Matrix): number {
  if (sigmaYX.rows !== state.w2w1.rows || sigmaYX.cols !== state.w2w1.cols) {
    throw new ShapeError(
      `Σyx is ${sigmaYX.rows}×${sigmaYX.cols}, the network is ${state.w2w1.rows}×` +
        `${state.w2w1.cols} (No×Ni)`,
    );
  }
  return cosineSimilarity(state.w1tw1, taskInputRsm(sigmaYX));
}

/** Singular values of the two layers, descending. */
export interface LayerSingularValues {
  /** `Ni` values: those of `W1` (`min(Nh, Ni)` of them), then zeros. */
  w1: Float64Array;
  /** `No` values: those of `W2` (`min(Nh, No)` of them), then zeros. */
  w2: Float64Array;
}

/** `√` of the eigenvalues of a symmetric PSD matrix, descending, negatives (rounding) → 0. */
function rootsOfEigenvalues(gram: Matrix): Float64Array {
  const n = gram.rows;
  // Symmetrise the rounding of a product before the eigensolver's symmetry check.
  const sym = Matrix.fromFunction(n, n, (i, j) => 0.5 * (gram.get(i, j) + gram.get(j, i)));
  const { values } = symmetricEigen(sym);
  return Float64Array.from(values, (v) => Math.sqrt(Math.max(v, 0))).sort().reverse();
}

/**
 * Singular values of `W1` and `W2` from the `QQᵀ` blocks `W1ᵀW1` and `W2W2ᵀ` (see the module
 * documentation for their accuracy). On λ-balanced weights `σ2ₖ² − σ1ₖ² = λ` for the shared
 * hidden modes.
 */
export function layerSingularValues(state: QQtBlocks): LayerSingularValues {
  return { w1: rootsOfEigenvalues(state.w1tw1), w2: rootsOfEigenvalues(state.w2w2t) };
}
