/**
 * Checks on a finished gradient-descent run that the loss alone does not catch: a loss that
 * grows far above its start while staying finite (a learning rate beyond the stable range gave
 * loss 2.5e42 with no error), and requested times that fall on the same step (a large learning
 * rate rounds `t = 0.1, 0.2, …` onto one step).
 *
 * @module
 */
import { DivergenceError } from "../errors.ts";

/**
 * A recorded loss above this multiple of the initial loss counts as divergence. Gradient flow
 * never raises the loss, and GD at a stable learning rate raises it at most transiently and by
 * far less; a diverging run grows geometrically and passes any fixed factor within a few steps.
 */
export const DIVERGENCE_FACTOR = 1e3;

/**
 * Throws at the earliest recorded time whose loss is not finite or exceeds
 * {@link DIVERGENCE_FACTOR} × `max(initialLoss, floor)`.
 *
 * @param times the times reached (`t = k η τ`), any order
 * @param loss the loss at each of them
 * @param initialLoss the loss at `t = 0`
 * @param floor a loss scale below which growth is not counted (e.g. `1e-6 · ½‖Σyx‖²`), so a
 *   run that starts at the minimum is not flagged for rounding-level changes
 * @param learningRate `η`
 * @param tau `τ`
 * @throws {DivergenceError} naming the step and the loss there
 */
export function checkLossGrowth(
  times: readonly number[],
  loss: readonly number[],
  initialLoss: number,
  floor: number,
  learningRate: number,
  tau: number,
): void {
  const bound = DIVERGENCE_FACTOR * Math.max(initialLoss, floor);
  let first = -1;
  for (let i = 0; i < times.length; i++) {
    const bad = !(loss[i] <= bound);
    if (bad && (first < 0 || times[i] < times[first])) first = i;
  }
  if (first < 0) return;
  const step = Math.round(times[first] / (learningRate * tau));
  const symptom = Number.isFinite(loss[first])
    ? `loss ${loss[first].toExponential(2)} is more than ${DIVERGENCE_FACTOR}× the initial ` +
      `loss ${initialLoss.toExponential(2)}`
    : "loss is not finite";
  throw new DivergenceError(step, learningRate, symptom);
}

/**
 * A warning when distinct requested times were reached at the same step (`reached[i]` is where
 * `requested[i]` landed), or `undefined` when every distinct time has its own step.
 */
export function collapsedTimesWarning(
  requested: readonly number[],
  reached: readonly number[],
  learningRate: number,
  tau: number,
): string | undefined {
  const byStep = new Map<number, Set<number>>();
  for (let i = 0; i < requested.length; i++) {
    const set = byStep.get(reached[i]) ?? new Set<number>();
    set.add(requested[i]);
    byStep.set(reached[i], set);
  }
  const shared = [...byStep.entries()].filter(([, s]) => s.size > 1);
  if (shared.length === 0) return undefined;
  const lost = shared.reduce((n, [, s]) => n + s.size - 1, 0);
  const [at, example] = shared[0];
  return `${lost} requested time(s) fell on the same GD step as another (η τ = ` +
    `${(learningRate * tau).toPrecision(3)}; e.g. t = ${[...example].slice(0, 3).join(", ")} ` +
    `all reached t = ${at}); use a smaller learningRate to resolve them`;
}
