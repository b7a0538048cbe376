/**
 * The `"weights": [W1, …, WL]` field of a `solve` configuration (DESIGN.md, growth of the
 * contract): a depth-L network given layer by layer, and which methods accept which depth.
 *
 * @module
 */
import { InputError, ShapeError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { checkLayers } from "../init/deep.ts";

/** Methods that accept a network of depth `L > 2`. */
export const DEEP_METHODS = ["aligned", "simulate"] as const;

/**
 * Parses `"weights"` with `parseMatrix` (the config's matrix reader) and checks that the layers
 * chain from `ni` inputs to `no` outputs.
 * @throws {InputError} when it is not an array of at least two matrices
 * @throws {ShapeError} when the layers do not chain or do not fit the task
 */
export function parseLayersField(
  value: unknown,
  parseMatrix: (v: unknown, name: string) => Matrix,
  ni: number,
  no: number,
): Matrix[] {
  if (!Array.isArray(value) || value.length < 2) {
    throw new InputError(`"weights" must be an array of at least two matrices [W1, …, WL]`);
  }
  const layers = value.map((v, l) => parseMatrix(v, `weights[${l}]`));
  checkLayers(layers);
  const first = layers[0], last = layers[layers.length - 1];
  if (first.cols !== ni) {
    throw new ShapeError(
      `weights[0] is ${first.rows}×${first.cols}, expected n_1×${ni} (Ni columns)`,
    );
  }
  if (last.rows !== no) {
    throw new ShapeError(
      `weights[${layers.length - 1}] is ${last.rows}×${last.cols}, expected ${no} rows (No)`,
    );
  }
  return layers;
}

/**
 * Checks that `method` can serve a network of `depth` layers (`"digits"` is checked with the
 * method: it applies to the exact methods, here `"aligned"`).
 * @throws {InputError} naming the methods that can
 */
export function checkDepthMethod(depth: number, method: string): void {
  if (depth <= 2) return;
  if (!(DEEP_METHODS as readonly string[]).includes(method)) {
    throw new InputError(
      `method "${method}" needs two layers; a depth-${depth} network takes method ` +
        `${DEEP_METHODS.map((m) => `"${m}"`).join(" or ")}`,
    );
  }
}
