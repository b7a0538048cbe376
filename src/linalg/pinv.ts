/**
 * Moore–Penrose pseudoinverse through the SVD: `A⁺ = V diag(σᵢ⁺) Uᵀ` with `σᵢ⁺ = 1/σᵢ` for
 * `σᵢ > rtol·σ_max` and 0 otherwise. Used for `RSM_O = Yᵀ (W2W2ᵀ)⁺ Y` (paper Eq. 8).
 *
 * Tolerance: default `rtol = max(m, n)·ε` (numpy's `pinv`/`matrix_rank`, LAPACK's convention,
 * see {@link defaultRtol}): singular values at or below it are indistinguishable from rounding
 * errors of the input, and inverting them would amplify noise by up to 1/ε.
 *
 * @module
 */
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import { arenaAlloc, type ArenaMatrix, arenaPut, assertFinitePtr, onArena } from "./arena.ts";
import { matmulPtr, scaleColsPtr } from "./blas.ts";
import { defaultRtol, svdPtr } from "./svd.ts";

/**
 * Pseudoinverse (n×m) of the arena matrix `a` (m×n), allocated in the arena together with the
 * SVD factors it was computed from (released with the enclosing scope).
 * @param rtol relative cut-off, default {@link defaultRtol}`(m, n)`
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry, or when A⁺ overflows f64
 * @throws {ConvergenceError} when the SVD does not converge
 */
export function pinvPtr(a: ArenaMatrix, rtol: number = defaultRtol(a.rows, a.cols)): ArenaMatrix {
  const { u, s, v } = svdPtr(a);
  const c = core();
  const r = s.rows;
  const inv = arenaAlloc(r, 1);
  const f64 = c.f64;
  const cut = r > 0 ? rtol * f64[s.ptr / 8] : 0;
  for (let i = 0; i < r; i++) {
    const si = f64[s.ptr / 8 + i];
    f64[inv.ptr / 8 + i] = si > cut ? 1 / si : 0;
  }
  const result = matmulPtr(scaleColsPtr(v, inv), u, { transB: true });
  assertFinitePtr(
    result,
    `pinv: A⁺ overflows f64 (smallest kept singular value ${
      r > 0 ? f64[s.ptr / 8 + Math.max(0, countKept(f64, s, cut) - 1)] : 0
    })`,
  );
  return result;
}

/** Number of singular values (descending, r×1 at `s`) above `cut`. */
function countKept(f64: Float64Array, s: ArenaMatrix, cut: number): number {
  let k = 0;
  while (k < s.rows && f64[s.ptr / 8 + k] > cut) k++;
  return k;
}

/**
 * Moore–Penrose pseudoinverse `A⁺` (n×m) of `a` (m×n): the unique matrix with `A A⁺ A = A`,
 * `A⁺ A A⁺ = A⁺` and `A A⁺`, `A⁺ A` symmetric, computed with singular values at or below
 * `rtol·σ_max` treated as zero.
 *
 * @example
 * ```ts
 * pinv(Matrix.from([[1, 0], [0, 0]])).toArray(); // [[1, 0], [0, 0]]
 * pinv(Matrix.from([[2], [0]])).toArray(); // [[0.5, 0]]
 * ```
 * @param a m×n, finite
 * @param rtol relative cut-off, default `max(m, n)·ε`
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry, or when A⁺ overflows f64 (a kept
 *   singular value below about 1e-308)
 * @throws {ConvergenceError} when the SVD does not converge
 */
export function pinv(a: Matrix, rtol?: number): Matrix {
  return onArena(() => pinvPtr(arenaPut(a, "pinv: A"), rtol));
}
