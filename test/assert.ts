/**
 * Assertions for the tests: Node's built-in `node:assert/strict` (JSR's std is unreachable),
 * plus numeric helpers used across the suite. The one place this choice is made.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Matrix } from "../src/matrix.ts";

/** Deep strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Truthiness. */
export function assertOk(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}

/**
 * Asserts that `fn` throws an instance of `type` whose message contains `includes`.
 */
export function assertThrows(
  fn: () => unknown,
  type: abstract new (...args: never[]) => Error,
  includes?: string,
): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `expected ${type.name} to be thrown`);
  assert.ok(
    caught instanceof type,
    `expected ${type.name}, got ${(caught as Error)?.constructor?.name}: ${caught}`,
  );
  if (includes !== undefined) {
    assert.ok(
      (caught as Error).message.includes(includes),
      `message "${(caught as Error).message}" does not contain "${includes}"`,
    );
  }
  return caught as Error;
}

/** `|actual − expected| ≤ tol`. */
export function assertClose(actual: number, expected: number, tol: number, what = "value"): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: ${actual} differs from ${expected} by ${Math.abs(actual - expected)} > ${tol}`,
  );
}

/** Relative Frobenius distance `‖a − b‖_F / max(‖b‖_F, floor)`. */
export function relativeError(a: Matrix, b: Matrix, floor = 1e-300): number {
  assert.deepStrictEqual(a.shape, b.shape, "shape mismatch");
  let d = 0, n = 0;
  for (let i = 0; i < a.data.length; i++) {
    d += (a.data[i] - b.data[i]) ** 2;
    n += b.data[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), floor);
}

/**
 * `max|a − b| / max|b|`: the measure the exact forms' error estimates are stated in (relative
 * to `max|QQᵀ|`).
 */
export function maxRelative(a: Matrix, b: Matrix): number {
  let d = 0, m = 0;
  for (let i = 0; i < a.data.length; i++) {
    d = Math.max(d, Math.abs(a.data[i] - b.data[i]));
    m = Math.max(m, Math.abs(b.data[i]));
  }
  return d / m;
}

/** Asserts `‖a − b‖_F ≤ tol · max(‖b‖_F, floor)`. */
export function assertMatrixClose(
  a: Matrix,
  b: Matrix,
  tol: number,
  what = "matrix",
  floor = 1e-300,
): void {
  const e = relativeError(a, b, floor);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(3)} > ${tol.toExponential(1)}`);
}
