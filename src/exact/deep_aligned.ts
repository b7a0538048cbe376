/**
 * Exact dynamics of a depth-L linear network from an aligned balanced initialisation (Saxe,
 * McClelland & Ganguli 2014; MATH.md, "Deeper networks"): with `Σxx = I`, balanced layers and a
 * product `W(0) = Ũ diag(u₀) Ṽᵀ` along the task's singular vectors (`Σyx = Ũ S̃ Ṽᵀ`, compact),
 * gradient flow keeps `W(t) = Ũ diag(u(t)) Ṽᵀ` and each mode follows
 * `τ du/dt = L u^{2−2/L}(s̃ − u)` on its own ({@link modeStrength}). Balance makes every layer
 * carry `a = u^{1/L}` per mode, so the blocks the observables read are closed forms too:
 * `BᵀB = Ṽ diag(u^{2−2/L}) Ṽᵀ` (`B = W_{L−1} ⋯ W_1`) and `W_LW_Lᵀ = Ũ diag(u^{2/L}) Ũᵀ`.
 * At L = 2 this is Theorem 5.1 with a diagonal `A0ᵀA0`.
 *
 * @module
 */
import { AssumptionError, ShapeError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { matmul, scaleCols, sub } from "../linalg/blas.ts";
import { svd } from "../linalg/svd.ts";
import { assertDeepBalanced, checkLayers, layerProduct, type Layers } from "../init/deep.ts";
import { type Task, taskLoss } from "../task.ts";
import type { QQtBlocks, Trajectory } from "../trajectory.ts";
import { DEFAULT_TOLERANCES } from "./assumptions.ts";
import { checkTimes } from "./solution.ts";
import { decimalReal, f64Real, modeErrorEstimate, modeStrength } from "./deep_modes.ts";
import { decimalBackend, GUARD_DIGITS } from "../linalg/decimal.ts";

/** Default largest `‖W(0) − Ũ diag(ŨᵀW(0)Ṽ) Ṽᵀ‖_F / ‖W(0)‖_F` accepted as aligned. */
export const ALIGNMENT_TOL = 1e-9;

/** Options of {@link deepAlignedSolution}. */
export interface DeepAlignedOptions {
  /** Largest accepted `max|Σxx − I|` (default as the two-layer solutions, 1e-9). */
  whitened?: number;
  /** Largest accepted balance error ({@link deepBalanceError}; default 1e-9). */
  balanced?: number;
  /** Largest accepted relative misalignment of the product (default {@link ALIGNMENT_TOL}). */
  alignment?: number;
}

/** A prepared aligned solution: the task modes and the state at any `t/τ`. */
export interface DeepAlignedSolution {
  /** Depth `L`. */
  depth: number;
  /** Task singular values `s̃ₖ`. */
  s: number[];
  /** Initial mode strengths `uₖ(0)`. */
  u0: number[];
  /** Mode strengths at `x = t/τ` (`Infinity` allowed). */
  strengths(x: number): number[];
  /** The blocks at `x = t/τ`: product `w2w1`, `w1tw1 = BᵀB`, `w2w2t = W_LW_Lᵀ`. */
  at(x: number): QQtBlocks;
  /**
   * The layers at `x = t/τ`: `W_l = Σₖ aₖ r_{l,k} r_{l−1,k}ᵀ` with `aₖ = uₖ^{1/L}` and the mode
   * directions `r_{0,k} = ṽₖ`, `r_{l,k} = W_l(0) r_{l−1,k} / aₖ(0)` (fixed by balance and
   * alignment; `r_{L,k} = ũₖ`).
   */
  layersAt(x: number): Matrix[];
  /**
   * Estimated relative error of the product at `x = t/τ` in an arithmetic of rounding unit
   * `eps` (default f64): the largest {@link modeErrorEstimate} over the modes (the product's
   * Frobenius error is at most that fraction of its norm).
   */
  errorEstimate(x: number, eps?: number): number;
}

/**
 * Checks the assumptions and prepares the aligned solution.
 * @throws {ShapeError} when the layers do not chain or do not fit the task
 * @throws {AssumptionError} when inputs are not whitened, the layers not balanced, the product
 *   not aligned with the task's singular vectors, or a mode starts at negative strength
 */
export function deepAlignedSolution(
  task: Task,
  layers: Layers,
  options: DeepAlignedOptions = {},
): DeepAlignedSolution {
  const dims = checkLayers(layers);
  const depth = layers.length, ni = dims[0], no = dims[depth];
  const [tno, tni] = task.sigmaYX.shape;
  if (tno !== no || tni !== ni) {
    throw new ShapeError(`Σyx is ${tno}×${tni}, the network maps ${ni} inputs to ${no} outputs`);
  }
  const whitened = options.whitened ?? DEFAULT_TOLERANCES.whitened;
  const dev = sub(task.sigmaXX, Matrix.identity(ni)).maxAbs();
  if (!(dev <= whitened)) {
    throw new AssumptionError("2.2 whitened inputs", dev, whitened, "max|Σxx − I|");
  }
  assertDeepBalanced(layers, options.balanced ?? DEFAULT_TOLERANCES.balanced);
  const t = svd(task.sigmaYX);
  const w = layerProduct(layers, 1, depth);
  const nm = Math.min(ni, no);
  const core = matmul(t.u, matmul(w, t.v), { transA: true });
  const u0 = Array.from({ length: nm }, (_, k) => core.get(k, k));
  const aligned = matmul(scaleCols(t.u, new Matrix(nm, 1, Float64Array.from(u0))), t.v, {
    transB: true,
  });
  const norm = w.normFrobenius();
  const mis = norm === 0 ? 0 : sub(w, aligned).normFrobenius() / norm;
  const alignTol = options.alignment ?? ALIGNMENT_TOL;
  if (!(mis <= alignTol)) {
    throw new AssumptionError(
      "aligned init (depth L)",
      mis,
      alignTol,
      "‖W(0) − Ũ diag(ŨᵀW(0)Ṽ) Ṽᵀ‖_F / ‖W(0)‖_F (the product must share the task's singular vectors)",
    );
  }
  const floor = alignTol * Math.max(norm, 1e-300);
  u0.forEach((v, k) => {
    if (v < -floor) {
      throw new AssumptionError(
        "aligned init (depth L)",
        -v,
        floor,
        `−u_${k + 1}(0): mode ${k + 1} starts against the task (negative strength)`,
      );
    }
  });
  const start = u0.map((v) => Math.max(v, 0));
  const s = Array.from(t.s);
  const strengths = (x: number) => start.map((v, k) => modeStrength(f64Real, depth, s[k], v, x));
  const a0 = start.map((v) => Math.pow(v, 1 / depth));
  const inverse = new Matrix(nm, 1, Float64Array.from(a0, (a) => (a > 0 ? 1 / a : 0)));
  const directions: Matrix[] = [t.v];
  layers.forEach((wl, l) => directions.push(scaleCols(matmul(wl, directions[l]), inverse)));
  const along = (q: Matrix, d: number[]) =>
    matmul(scaleCols(q, new Matrix(nm, 1, Float64Array.from(d))), q, { transB: true });
  return {
    depth,
    s,
    u0: start,
    strengths,
    errorEstimate: (x, eps) =>
      Math.max(...start.map((v, k) => modeErrorEstimate(depth, s[k], v, x, eps))),
    layersAt(x) {
      const a = new Matrix(nm, 1, Float64Array.from(strengths(x), (v) => Math.pow(v, 1 / depth)));
      return layers.map((_, l) =>
        matmul(scaleCols(directions[l + 1], a), directions[l], { transB: true })
      );
    },
    at(x) {
      const u = strengths(x);
      return {
        w2w1: matmul(scaleCols(t.u, new Matrix(nm, 1, Float64Array.from(u))), t.v, {
          transB: true,
        }),
        w1tw1: along(t.v, u.map((v) => Math.pow(v, 2 - 2 / depth))),
        w2w2t: along(t.u, u.map((v) => Math.pow(v, 2 / depth))),
      };
    },
  };
}

/**
 * The exact aligned trajectory at `times` (units of `τ`, any order): blocks, loss (`taskLoss`),
 * every layer (`layers`, as `simulateDeep` records them) and the estimated relative error of the product at each time (in an arithmetic of rounding
 * unit `eps`, default f64); method `"aligned"`.
 * @throws as {@link deepAlignedSolution}; `InputError` on invalid times or τ
 */
export function solveDeepAligned(
  task: Task,
  layers: Layers,
  times: readonly number[],
  options: DeepAlignedOptions & { tau?: number; eps?: number } = {},
): Trajectory & { layers: Matrix[][]; errorEstimates: number[] } {
  const tau = options.tau ?? 1;
  checkTimes(times, tau);
  const sol = deepAlignedSolution(task, layers, options);
  const states = times.map((t) => sol.at(t / tau));
  return {
    method: "aligned",
    tau,
    times: [...times],
    states,
    loss: states.map((q) => taskLoss(task, q.w2w1)),
    layers: times.map((t) => sol.layersAt(t / tau)),
    errorEstimates: times.map((t) => sol.errorEstimate(t / tau, options.eps)),
  };
}

/**
 * The product `W(t) = Ũ diag(u(t)) Ṽᵀ` at each of `times` as decimal strings of `digits`
 * significant digits: the task's SVD, the initial strengths `diag(ŨᵀW(0)Ṽ)` (from the layers'
 * product formed in decimal) and each mode `u(t)` ({@link modeStrength}, `t/τ` formed exactly)
 * are all computed in decimal.js with {@link GUARD_DIGITS} extra digits. The assumptions are
 * checked as in {@link deepAlignedSolution}.
 * @throws as {@link deepAlignedSolution}; `InputError` on invalid times, τ or digits
 */
export function deepAlignedProductDigits(
  task: Task,
  layers: Layers,
  times: readonly number[],
  digits: number,
  options: DeepAlignedOptions & { tau?: number } = {},
): string[][][] {
  const tau = options.tau ?? 1;
  checkTimes(times, tau);
  const sol = deepAlignedSolution(task, layers, options);
  const work = digits + GUARD_DIGITS;
  const be = decimalBackend(work), r = decimalReal(work);
  const { u, v, s, u0 } = be.scoped(() => {
    const t = be.svd(be.from(task.sigmaYX));
    let w = be.from(layers[0]);
    for (let l = 1; l < layers.length; l++) w = be.matmul(be.from(layers[l]), w);
    const core = be.toStrings(be.matmul(t.u, be.matmul(w, t.v), true, false));
    return {
      u: be.toStrings(t.u),
      v: be.toStrings(t.v),
      s: be.toStrings(t.s).map((row) => row[0]),
      u0: core.map((row, k) => row[k]),
    };
  });
  const U = u.map((row) => row.map(r.parse)), V = v.map((row) => row.map(r.parse));
  // A mode clamped to 0 by the alignment check (rounding below zero) starts at 0 here too.
  const S = s.map(r.parse), U0 = u0.map((x, k) => (sol.u0[k] === 0 ? r.of(0) : r.parse(x)));
  const [no, ni] = task.sigmaYX.shape;
  return times.map((t) => {
    const x = r.div(r.of(t), r.of(tau));
    const modes = S.map((sk, k) => modeStrength(r, sol.depth, sk, U0[k], x));
    return Array.from({ length: no }, (_, i) =>
      Array.from({ length: ni }, (_, j) => {
        let acc = r.of(0);
        modes.forEach((m, k) => acc = r.add(acc, r.mul(r.mul(U[i][k], m), V[j][k])));
        return r.str(acc, digits);
      }));
  });
}
