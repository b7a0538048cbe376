/**
 * The `solve` command for a network of depth `L > 2` (`"weights"` with more than two layers):
 * `"simulate"` (depth-L GD in WASM) or `"aligned"` (the exact aligned dynamics). The output has
 * `"product"` (`W_L ⋯ W_1`, `No × Ni`, per time) and no `"qqt"` (DESIGN.md, growth of the
 * contract).
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { GUARD_DIGITS } from "../linalg/decimal.ts";
import { deepAlignedProductDigits, solveDeepAligned } from "../exact/deep_aligned.ts";
import { simulateDeep } from "../train/simulate_deep.ts";
import type { Matrix } from "../matrix.ts";
import { DEFAULT_TOLERANCE } from "../exact/error_estimate.ts";
import { DIGITS_RANGE, type SolveConfig } from "./config.ts";
import type { SolveOutputFields } from "./solve_output.ts";

/** What `solve` writes for a depth-L network (`method`: `"simulate"` or `"aligned"`). */
export type DeepSolveOutput = SolveOutputFields;

/**
 * Solves a configuration whose `layers` has depth > 2.
 * @throws {InputError} when the config has no layers or the method does not serve them;
 *   `AssumptionError` from the aligned solution (not whitened, not balanced, not aligned)
 */
export function solveDeepConfig(c: SolveConfig): DeepSolveOutput {
  const layers = c.layers;
  if (layers === undefined) throw new InputError(`a depth-L solve needs "weights"`);
  const depth = layers.length;
  if (c.method === "aligned") return solveAlignedConfig(c, layers);
  if (c.method !== "simulate") {
    throw new InputError(`method "${c.method}" needs two layers (depth ${depth} given)`);
  }
  const traj = simulateDeep(c.task, layers, {
    learningRate: c.learningRate!,
    times: c.times,
    tau: c.tau,
  });
  return {
    method: traj.method,
    reason: `full-batch gradient descent on the depth-${depth} network at η = ${c.learningRate}: ` +
      "k = round(t/(ητ)) steps per requested t",
    times: traj.times,
    product: traj.states.map((q) => q.w2w1.toArray()),
    loss: traj.loss,
    warnings: [],
  };
}

/**
 * The aligned method: in f64, or in decimal.js at `digits` (given, or chosen when the f64 error
 * estimate exceeds `tolerance`, default {@link DEFAULT_TOLERANCE}). In decimal the modes carry
 * `digits + GUARD_DIGITS` and the strings keep `digits` (half a unit in the last one), so the
 * estimate is the conditioning bound at that precision plus `5·10^{−digits}`.
 */
function solveAlignedConfig(c: SolveConfig, layers: Matrix[]): DeepSolveOutput {
  const depth = layers.length, tolerance = c.tolerance ?? DEFAULT_TOLERANCE;
  const f64 = solveDeepAligned(c.task, layers, c.times, { tau: c.tau });
  const f64Error = Math.max(...f64.errorEstimates);
  let digits = c.digits, why = "";
  if (digits === undefined && !(f64Error <= tolerance)) {
    // Conditioning C = f64Error / ε_f64; need C·10^{1−d−GUARD} + 5·10^{−d} ≤ tolerance.
    const cond = f64Error / 2 ** -52;
    const need = Math.ceil(Math.log10((cond * 10 ** (1 - GUARD_DIGITS) + 5) / tolerance));
    digits = Math.min(DIGITS_RANGE[1], Math.max(DIGITS_RANGE[0], need));
    why = ` (f64 estimate ${f64Error.toExponential(1)} > tolerance ${tolerance.toExponential(1)})`;
  }
  const estimates = digits === undefined ? f64.errorEstimates : solveDeepAligned(
    c.task,
    layers,
    c.times,
    { tau: c.tau, eps: 10 ** (1 - digits - GUARD_DIGITS) },
  ).errorEstimates.map((e) => e + 5 * 10 ** -digits!);
  const errorEstimate = Math.max(...estimates);
  const warnings = errorEstimate <= tolerance ? [] : [
    `estimated relative error ${errorEstimate.toExponential(1)} exceeds the tolerance ` +
    `${tolerance.toExponential(1)} (aligned, depth ${depth})`,
  ];
  return {
    method: "aligned",
    reason: `aligned balanced init at depth ${depth}: each task mode from ` +
      `τ du/dt = ${depth} u^{2−2/${depth}}(s̃ − u), closed-form t(u) inverted in ` +
      (digits === undefined ? "f64" : `decimal arithmetic at ${digits} digits${why}`),
    times: f64.times,
    product: digits === undefined
      ? f64.states.map((q) => q.w2w1.toArray())
      : deepAlignedProductDigits(c.task, layers, c.times, digits, { tau: c.tau }),
    loss: f64.loss,
    warnings,
    arithmetic: digits === undefined ? "f64" : `decimal(${digits})`,
    tolerance,
    errorEstimate,
    errorEstimates: estimates,
  };
}
