/**
 * The shallow (one-layer) linear network `ŷ = W x` under gradient flow,
 * `τ dW/dt = Σyx − W Σxx`; with whitened inputs (`Σxx = I`):
 *
 *   W(t) = Σyx + e^{−t/τ} (W(0) − Σyx).
 *
 * No saddle: from any start, including a reversed task, it converges to `Σyx` (paper Fig. 6B).
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import { AssumptionError, ShapeError } from "../errors.ts";
import { DEFAULT_TOLERANCES } from "./assumptions.ts";
import { type Task, taskLoss } from "../task.ts";
import type { ShallowTrajectory } from "../train/simulate.ts";
import { checkTimes } from "./solution.ts";

/**
 * `W(t)` of a shallow linear network on a whitened task, as the trajectory type GD's
 * `simulateShallow` returns (`method: "shallow"`).
 * @throws {ShapeError} when `w0` is not `No × Ni`
 * @throws {AssumptionError} when `max|Σxx − I|` exceeds the default whitening tolerance
 * @throws {InputError} on a negative or non-finite time or bad `tau`
 */
export function shallowSolution(
  task: Task,
  w0: Matrix,
  times: readonly number[],
  tau = 1,
): ShallowTrajectory {
  const syx = task.sigmaYX;
  if (w0.rows !== syx.rows || w0.cols !== syx.cols) {
    throw new ShapeError(`W(0) is ${w0.rows}×${w0.cols}, expected ${syx.rows}×${syx.cols}`);
  }
  w0.assertFinite("W(0)");
  const sxx = task.sigmaXX;
  const dev = sxx.data.reduce(
    (m, x, k) => Math.max(m, Math.abs(x - (k % (sxx.cols + 1) === 0 ? 1 : 0))),
    0,
  );
  if (!(dev <= DEFAULT_TOLERANCES.whitened)) {
    throw new AssumptionError(
      "2.2 whitened inputs",
      dev,
      DEFAULT_TOLERANCES.whitened,
      "max|Σxx − I|",
    );
  }
  checkTimes(times, tau);
  const w = times.map((t) => {
    const f = Math.exp(-t / tau);
    return new Matrix(syx.rows, syx.cols, syx.data.map((y, i) => y + f * (w0.data[i] - y)));
  });
  return { method: "shallow", tau, times: [...times], w, loss: w.map((x) => taskLoss(task, x)) };
}
