/**
 * Gaussian initialisation: independent `N(0, scale²)` entries in both layers.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { Random } from "../random.ts";
import type { Weights } from "./weights.ts";

/** Layer widths of a two-layer network. */
export interface LayerWidths {
  /** Inputs `Ni`. */
  ni: number;
  /** Hidden units `Nh`. */
  nh: number;
  /** Outputs `No`. */
  no: number;
}

/**
 * `W1` (`Nh × Ni`) and `W2` (`No × Nh`) with independent `N(0, scale²)` entries. Such weights
 * are not zero-balanced (`W1W1ᵀ ≠ W2ᵀW2`), so the exact solutions do not apply to them; they
 * are the "random small/large weights" of paper Fig. 3C-D.
 *
 * @example
 * ```ts
 * const init = gaussianInit(new Random(1), { ni: 8, nh: 16, no: 8 }, 0.01);
 * ```
 * @throws {InputError} on a non-positive width or a negative or non-finite scale
 */
export function gaussianInit(rng: Random, dims: LayerWidths, scale: number): Weights {
  checkDims(dims);
  checkScale(scale);
  return {
    w1: rng.gaussianMatrix(dims.nh, dims.ni, scale),
    w2: rng.gaussianMatrix(dims.no, dims.nh, scale),
  };
}

/** @throws {InputError} unless every width is a positive integer */
export function checkDims({ ni, nh, no }: LayerWidths): void {
  for (const [name, v] of [["Ni", ni], ["Nh", nh], ["No", no]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new InputError(`${name} must be a positive integer, got ${v}`);
    }
  }
}

/** @throws {InputError} unless `scale` is finite and ≥ 0 */
export function checkScale(scale: number): void {
  if (!(Number.isFinite(scale) && scale >= 0)) {
    throw new InputError(`initialisation scale must be finite and ≥ 0, got ${scale}`);
  }
}
