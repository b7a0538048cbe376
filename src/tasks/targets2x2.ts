/**
 * The three 2×2 targets of paper Fig. 4C (dense, unequal diagonal, equal diagonal). The paper
 * shows them as pictures; the values below are our choice with the structure each name states,
 * singular values of order 1 so that learning takes a few τ.
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import type { Task } from "../task.ts";
import { taskFromCorrelation } from "./whiten.ts";

/** Names of the Fig. 4C targets, top to bottom (panels D, E, F). */
export type Target2x2 = "dense" | "unequal diagonal" | "equal diagonal";

const TARGETS: Record<Target2x2, number[][]> = {
  // All four entries non-zero; singular values ≈ 2.07 and 0.84, singular vectors not aligned
  // with the axes.
  "dense": [[1.5, 0.75], [0.5, 1.25]],
  // Diagonal with distinct singular values s1 = 2, s2 = 1.
  "unequal diagonal": [[2, 0], [0, 1]],
  // Diagonal with s1 = s2 = s = 1.5 (the setting of Eq. 15 and t_peak).
  "equal diagonal": [[1.5, 0], [0, 1.5]],
};

/**
 * One of the Fig. 4C targets as a whitened task (`Σxx = I`, one-hot inputs scaled by `√2`).
 * @example
 * ```ts
 * target2x2("equal diagonal").sigmaYX.toArray(); // [[1.5, 0], [0, 1.5]]
 * ```
 */
export function target2x2(kind: Target2x2): Task {
  return taskFromCorrelation(Matrix.from(TARGETS[kind]), kind);
}
