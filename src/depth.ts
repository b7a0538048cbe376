/**
 * Depth-L linear networks `W = W_L ⋯ W_1` (MATH.md, "Deeper networks"): initialisations and the
 * balance checker, gradient descent in WASM, the exact aligned dynamics and the NTK. Re-exported
 * by mod.ts.
 *
 * @module
 */
export {
  alignedBalancedInit,
  assertDeepBalanced,
  balancedFromProduct,
  balancedInit,
  checkLayers,
  deepBalanceError,
  deepBlocks,
  gaussianDeepInit,
  layerProduct,
} from "./init/deep.ts";
export type { DeepWidths, Layers } from "./init/deep.ts";
export { simulateDeep } from "./train/simulate_deep.ts";
export type { DeepSimulateOptions, DeepTrajectory } from "./train/simulate_deep.ts";
export {
  decimalReal,
  f64Real,
  modeErrorEstimate,
  modeStrength,
  modeTime,
  timeToLearn,
  timeToLearnAsymptote,
} from "./exact/deep_modes.ts";
export type { Real } from "./exact/deep_modes.ts";
export {
  ALIGNMENT_TOL,
  deepAlignedProductDigits,
  deepAlignedSolution,
  solveDeepAligned,
} from "./exact/deep_aligned.ts";
export type { DeepAlignedOptions, DeepAlignedSolution } from "./exact/deep_aligned.ts";
export { deepNtk, hiddenRsm } from "./observables_deep.ts";
