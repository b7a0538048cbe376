/**
 * Exact learning dynamics of deep linear networks with prior knowledge (Braun, Dominé,
 * Fitzgerald & Saxe, NeurIPS 2022): the public face of the library.
 *
 * @module
 */
export * from "./errors.ts";
export { Matrix } from "./matrix.ts";
export type { Task } from "./task.ts";
export { taskLoss } from "./task.ts";
export type { QQtBlocks, Trajectory } from "./trajectory.ts";
export type { Backend, Svd } from "./linalg/backend.ts";
export {
  add,
  divide,
  expm1Scaled,
  expScaled,
  hadamard,
  hstack,
  kron,
  matmul,
  norm1,
  scale,
  scaleCols,
  scaleRows,
  sub,
  transpose,
  vstack,
} from "./linalg/blas.ts";
export type { MatmulOptions } from "./linalg/blas.ts";
export { det, inverse, rcond, solve } from "./linalg/lu.ts";
export { Cholesky, choleskySolve } from "./linalg/cholesky.ts";
export { expm } from "./linalg/expm.ts";
export { f64Backend, f64ToString } from "./linalg/f64.ts";
export type { F64Handle } from "./linalg/f64.ts";
export type { ArenaMatrix } from "./linalg/arena.ts";
export { orthComplement, qr } from "./linalg/qr.ts";
export type { Qr, QrOptions } from "./linalg/qr.ts";
export {
  conditionNumber,
  defaultRtol,
  rank,
  singularValues,
  singularValuesOfEach,
  svd,
} from "./linalg/svd.ts";
export type { SvdOptions, SvdResult } from "./linalg/svd.ts";
export { symmetricEigen } from "./linalg/eigen.ts";
export type { SymmetricEigen } from "./linalg/eigen.ts";
export { pinv } from "./linalg/pinv.ts";
export { writeAtomic, writeFileAtomic } from "./io/atomic.ts";
export type { AtomicSink } from "./io/atomic.ts";
export { csvField, parseCsv, toCsv } from "./io/csv.ts";
export type { CsvRow, CsvValue } from "./io/csv.ts";
export { decimalBackend, DecimalMatrix, GUARD_DIGITS } from "./linalg/decimal.ts";
export type { DecimalBackend, DecimalSymmetricEigen } from "./linalg/decimal.ts";
export type { DecimalNumber } from "./linalg/decimal_context.ts";
export { eq5Conditioning, eq5Digits, eq5DigitsLost } from "./precision.ts";
export type { Eq5Conditioning } from "./precision.ts";
export { Random } from "./random.ts";
export {
  type Activation,
  type ShallowTrajectory,
  simulate,
  simulateShallow,
} from "./train/simulate.ts";
export type { SimulateOptions } from "./train/simulate.ts";
export { simulateSequence } from "./train/sequence.ts";
export type { SequenceOptions, SequenceTrajectory } from "./train/sequence.ts";
export { checkSchedule, everyKSteps, logSpacedSteps, MAX_STEPS } from "./train/schedule.ts";
export { checkWeights, weightBlocks } from "./init/weights.ts";
export type { Weights } from "./init/weights.ts";
export { gaussianInit } from "./init/gaussian.ts";
export type { LayerWidths } from "./init/gaussian.ts";
export {
  MAX_CONDITION_B,
  overlapB,
  zeroBalancedFromProduct,
  zeroBalancedInit,
} from "./init/zero_balanced.ts";
export type { ZeroBalancedOptions } from "./init/zero_balanced.ts";
export { a0FromGram, taskAlignedInit } from "./init/aligned.ts";
export {
  balancedLambda,
  checkLambdaShape,
  lambdaBalance,
  lambdaBalancedFromProduct,
  lambdaBalancedInit,
  lambdaSplit,
} from "./init/lambda_balanced.ts";
export type { LambdaBalance, LambdaBalancedOptions } from "./init/lambda_balanced.ts";
export { assertZeroBalanced, BALANCE_TOL, balanceError } from "./init/balance.ts";
export { continueFrom } from "./init/continue.ts";
export { randomTask, randomTaskSequence, whitenedInputs } from "./tasks/random_task.ts";
export type { RandomTaskOptions } from "./tasks/random_task.ts";
export { taskFromCorrelation, taskFromData, whiten } from "./tasks/whiten.ts";
export {
  colourHierarchyTask,
  hierarchyTask,
  ITEMS,
  LEVEL_STRENGTHS,
  LIVING_FEATURES,
  livingKingdomTask,
  revisedKingdomTask,
} from "./tasks/hierarchy.ts";
export type { HierarchyTask } from "./tasks/hierarchy.ts";
export { target2x2 } from "./tasks/targets2x2.ts";
export type { Target2x2 } from "./tasks/targets2x2.ts";
export { classicalMds, inputRsm, networkFunction, ntk, outputRsm } from "./observables.ts";
export {
  cosineSimilarity,
  kernelDistance,
  kernelDistanceOverTime,
  layerSingularValues,
  ntkInner,
  taskInputRsm,
  taskSpecificity,
} from "./lazy_rich.ts";
export type { LayerSingularValues } from "./lazy_rich.ts";
export {
  alignedMode,
  lazyLimitApproximation,
  publishedAlignedMode,
} from "./exact/lambda_claims.ts";
export {
  bCondition,
  checkAssumptions,
  checkFullRank,
  checkWhitened,
  DEFAULT_TOLERANCES,
} from "./exact/assumptions.ts";
export type { Dims, ExactInputs, Tolerances } from "./exact/assumptions.ts";
export { bfreeDigitsLost, EXACT_METHODS, prepareExact, solveExact } from "./exact/solve.ts";
export type { ExactMethod, ExactOptions, ExactTrajectory } from "./exact/solve.ts";
export { AUTO_MAX_DIGITS, digitsForTolerance } from "./exact/solve.ts";
export { DEFAULT_TOLERANCE, ESTIMATE_SAFETY } from "./exact/error_estimate.ts";
export { evaluate, joinQQt, splitQQt } from "./exact/solution.ts";
export type { ExactSolution } from "./exact/solution.ts";
export { limitQQt } from "./exact/limit.ts";
export {
  checkLambdaAssumptions,
  lambdaCondition,
  lambdaError,
  lambdaLimitQQt,
  lambdaSolution,
  lambdaWeakMode,
} from "./exact/lambda.ts";
export { lambdaEchelonError, lambdaEchelonSolution } from "./exact/lambda_echelon.ts";
export { AUTO_LAMBDA_CONDITION, LAMBDA_METHODS } from "./exact/lambda_solve.ts";
export type { LambdaCondition } from "./exact/lambda.ts";
export { computeLambdaModes, fLambda } from "./exact/lambda_modes.ts";
export type { LambdaModes } from "./exact/lambda_modes.ts";
export { lambdaRiccatiSolution, riccatiDigitsLost } from "./exact/lambda_riccati.ts";
export { aligned2x2, alignedSolution, eq15A1, tPeakExact, tPeakPaper } from "./exact/aligned.ts";
export type { AlignedOptions, Ata2 } from "./exact/aligned.ts";
export { weightsFromQQt } from "./exact/weights.ts";
export { shallowSolution } from "./exact/shallow.ts";
export { continualLearning, forgettingTable } from "./exact/continual.ts";
export type { ContinualResult } from "./exact/continual.ts";
export { reverseModes } from "./exact/reversal.ts";
export type { Reversal } from "./exact/reversal.ts";
export { parseSolveConfig, SOLVE_METHODS } from "./io/config.ts";
export type { SolveConfig, SolveMethod } from "./io/config.ts";
export {
  axisValues,
  cellCount,
  INIT_KINDS,
  MAX_POINTS,
  parseSweepSpec,
  pointCount,
  SWEEP_METHODS,
  TASK_KINDS,
} from "./sweep/spec.ts";
export type {
  Draw,
  GridAxis,
  InitSpec,
  MeasureSpec,
  ProblemSpec,
  SweepSpec,
  TaskSpec,
} from "./sweep/spec.ts";
export { parseShard, pointAt, shardIndices } from "./sweep/points.ts";
export type { ResolvedProblem, SweepPoint } from "./sweep/points.ts";
export { evaluatePoint, measureColumns, sweepColumns } from "./sweep/evaluate.ts";
export { evaluateBatch, runShard } from "./sweep/run.ts";
export type { PointBatch, ShardOptions, ShardReport } from "./sweep/run.ts";
export { mergeSweep } from "./sweep/merge.ts";
export type { MergeReport } from "./sweep/merge.ts";
export { slurmScript } from "./sweep/slurm.ts";
export type { SlurmOptions } from "./sweep/slurm.ts";
export * from "./depth.ts";
