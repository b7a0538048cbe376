/**
 * Record schedules of a gradient-descent run: which steps are written to the trajectory.
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** Largest step count a run accepts (the WASM loop counts steps in i32). */
export const MAX_STEPS = 2 ** 31 - 2;

/**
 * Steps `0, k, 2k, …` up to `steps`, always ending with `steps`.
 *
 * @example
 * ```ts
 * everyKSteps(10, 4); // [0, 4, 8, 10]
 * ```
 * @throws {InputError} when `steps` or `k` is not a positive integer (`steps` may be 0)
 */
export function everyKSteps(steps: number, k: number): number[] {
  checkSteps(steps);
  if (!Number.isInteger(k) || k < 1) {
    throw new InputError(`record interval must be a positive integer, got ${k}`);
  }
  const out: number[] = [];
  for (let s = 0; s < steps; s += k) out.push(s);
  out.push(steps);
  return out;
}

/**
 * About `count` steps spaced evenly in `log(1 + step)` from 0 to `steps` (both included),
 * rounded to integers and deduplicated: dense early, sparse late, as learning curves need.
 *
 * @example
 * ```ts
 * logSpacedSteps(1000, 5); // [0, 5, 31, 177, 1000]
 * ```
 * @throws {InputError} when `steps` is invalid or `count < 2`
 */
export function logSpacedSteps(steps: number, count: number): number[] {
  checkSteps(steps);
  if (!Number.isInteger(count) || count < 2) {
    throw new InputError(`a log-spaced schedule needs count ≥ 2, got ${count}`);
  }
  const top = Math.log1p(steps);
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round(Math.expm1((top * i) / (count - 1))));
  out.add(steps);
  return [...out].sort((a, b) => a - b);
}

/**
 * Validates an explicit schedule: integers in `[0, MAX_STEPS]`, strictly increasing.
 * @throws {InputError} naming the first offending entry
 */
export function checkSchedule(steps: readonly number[]): void {
  if (steps.length === 0) throw new InputError("the record schedule is empty");
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!Number.isInteger(s) || s < 0 || s > MAX_STEPS) {
      throw new InputError(`record step ${i} is ${s}, expected an integer in [0, ${MAX_STEPS}]`);
    }
    if (i > 0 && s <= steps[i - 1]) {
      throw new InputError(
        `record steps must increase strictly: step ${i} is ${s} after ${steps[i - 1]}`,
      );
    }
  }
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 0 || steps > MAX_STEPS) {
    throw new InputError(`steps must be an integer in [0, ${MAX_STEPS}], got ${steps}`);
  }
}
