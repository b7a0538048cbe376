/**
 * Reversal learning (paper Section 6, Fig. 6A): a network that has learned `Σ = Σ_k s_k u_k v_kᵀ`
 * is trained on the task with some modes reversed, `Σ' = Σ − 2 Σ_{k∈R} s_k u_k v_kᵀ`. From the
 * learned state `W2W1 = Σ` the matrix `B` of the new problem is singular (a reversed mode has
 * `u_kᵀũ_k = −1`, `v_kᵀṽ_k = +1`), so Theorem 3.1 does not apply; the B-free form does, and shows
 * gradient flow converging to the saddle `Σ − Σ_{k∈R} s_k u_k v_kᵀ` (reversed modes unlearned,
 * never relearned). A shallow network (`shallowSolution`) succeeds.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import { Matrix } from "../matrix.ts";
import { InputError } from "../errors.ts";
import type { Task } from "../task.ts";

/** `Σ' = Σ − 2 Σ_{k∈R} s_k u_k v_kᵀ` and the saddle `Σ − Σ_{k∈R} s_k u_k v_kᵀ`. */
export interface Reversal {
  /** The reversed task (same `Σxx` and `tr Σyy`: reversing modes keeps `‖Σyx‖_F`). */
  task: Task;
  /** Network function at the saddle gradient flow converges to from `W2W1 = Σ`. */
  saddle: Matrix;
}

/**
 * Reverses modes `modes` (zero-based, in descending singular value order) of `task.sigmaYX`.
 * @throws {InputError} when a mode index is out of range or repeated
 */
export function reverseModes<M>(be: Backend<M>, task: Task, modes: readonly number[]): Reversal {
  const nm = Math.min(task.sigmaYX.rows, task.sigmaYX.cols);
  if (new Set(modes).size !== modes.length || modes.some((k) => !(k >= 0 && k < nm))) {
    throw new InputError(`modes ${JSON.stringify(modes)} must be distinct integers in [0, ${nm})`);
  }
  const removed = be.scoped(() => {
    const { u, s, v } = be.svd(be.from(task.sigmaYX));
    const mask = be.from(
      new Matrix(
        nm,
        1,
        Float64Array.from({ length: nm }, (_, k) => {
          return modes.includes(k) ? 1 : 0;
        }),
      ),
    );
    return be.toMatrix(be.matmul(be.scaleCols(u, be.hadamard(s, mask)), v, false, true));
  });
  const sub = (c: number) =>
    new Matrix(
      removed.rows,
      removed.cols,
      task.sigmaYX.data.map((x, i) => x - c * removed.data[i]),
    );
  return {
    task: {
      ...task,
      sigmaYX: sub(2),
      name: `${task.name ?? "task"} (reversed ${modes.join(",")})`,
    },
    saddle: sub(1),
  };
}
