/**
 * A learning task in correlation form and the loss of a network function on it (MATH.md).
 *
 * @module
 */
import { Matrix } from "./matrix.ts";
import { ShapeError } from "./errors.ts";

/**
 * A regression task in correlation form: `Σyx` (`No × Ni`), `Σxx` (`Ni × Ni`) and, when known,
 * `tr Σyy`. Data sets (`X`, `Y`) are kept when the task was built from data (observables need
 * them).
 */
export interface Task {
  /** Input-output correlation `Σyx = Y Xᵀ / P`, `No × Ni`. */
  sigmaYX: Matrix;
  /** Input correlation `Σxx = X Xᵀ / P`, `Ni × Ni` (identity when whitened). */
  sigmaXX: Matrix;
  /**
   * `tr Σyy = ‖Y‖²_F / P`. When unknown it is taken as `‖Σyx‖²_F`, which makes the loss at the
   * global minimum of a whitened task zero (the loss is then the excess over that minimum).
   */
  traceYY?: number;
  /** Inputs, `Ni × P`, when the task came from data. */
  X?: Matrix;
  /** Targets, `No × P`, when the task came from data. */
  Y?: Matrix;
  /** A short label for outputs and legends. */
  name?: string;
}

/**
 * Loss `L = ½ tr(W Σxx Wᵀ) − tr(W Σyxᵀ) + ½ tr Σyy` of the network function `W = W2W1`.
 *
 * @example
 * ```ts
 * const task = { sigmaYX: Matrix.from([[2]]), sigmaXX: Matrix.identity(1), traceYY: 4 };
 * taskLoss(task, Matrix.from([[1]])); // ½·1 − 2 + 2 = 0.5
 * ```
 */
export function taskLoss(task: Task, w: Matrix): number {
  const { sigmaYX: syx, sigmaXX: sxx } = task;
  if (w.rows !== syx.rows || w.cols !== syx.cols) {
    throw new ShapeError(
      `network function is ${w.rows}×${w.cols}, task Σyx is ${syx.rows}×${syx.cols}`,
    );
  }
  const no = w.rows, ni = w.cols;
  let quad = 0, cross = 0, syy = 0;
  for (let a = 0; a < no; a++) {
    for (let i = 0; i < ni; i++) {
      const wai = w.data[a * ni + i];
      cross += wai * syx.data[a * ni + i];
      syy += syx.data[a * ni + i] ** 2;
      let row = 0;
      for (let j = 0; j < ni; j++) row += sxx.data[i * ni + j] * w.data[a * ni + j];
      quad += wai * row;
    }
  }
  return 0.5 * quad - cross + 0.5 * (task.traceYY ?? syy);
}
