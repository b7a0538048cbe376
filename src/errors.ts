/**
 * Typed errors of the library. Every error names the problem, the measured value and, where one
 * applies, the tolerance it was measured against, so that a user can tell which assumption failed.
 *
 * @module
 */

/** Base class of every error the library throws on purpose. */
export class DlnError extends Error {
  /**
   * Sets `name` to the concrete subclass (`"ShapeError"`, `"AssumptionError"`, …), so a printed
   * error says which kind it is.
   * @param message one line naming the problem, with measured and expected values
   */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Matrix shapes do not fit together (e.g. `gemm` of 2×3 by 2×3). */
export class ShapeError extends DlnError {}

/** An input contains NaN or ±Infinity. */
export class NonFiniteError extends DlnError {}

/** A matrix that must be invertible is (numerically) singular. */
export class SingularMatrixError extends DlnError {
  /**
   * Records where elimination broke down, so a caller can tell which row/column is dependent.
   * @param message what was being factorised and where it broke down
   * @param pivot zero-based index of the first zero (or negligible) pivot
   */
  constructor(message: string, readonly pivot: number) {
    super(message);
  }
}

/** A matrix that must be symmetric positive definite is not. */
export class NotPositiveDefiniteError extends DlnError {
  /**
   * Records the order of the first failing leading minor: the matrix restricted to rows and
   * columns `0..index` is not positive definite (in the arithmetic used).
   * @param message what was being factorised
   * @param index zero-based index of the leading minor that is not positive
   */
  constructor(message: string, readonly index: number) {
    super(message);
  }
}

/** An iterative algorithm (Jacobi sweeps, …) did not converge within its budget. */
export class ConvergenceError extends DlnError {}

/**
 * An assumption of an exact solution is violated, e.g. inputs not whitened (Assumption 2.2).
 * Carries the measured deviation and the tolerance it exceeded.
 */
export class AssumptionError extends DlnError {
  /**
   * Builds the message `assumption <name> violated: <detail> = <measured> exceeds tolerance
   * <tolerance>` and keeps the three values as fields for programmatic checks.
   * @param assumption short name, e.g. `"2.3 zero-balanced"`
   * @param measured the measured deviation
   * @param tolerance the largest deviation accepted
   * @param detail what was measured, in words
   */
  constructor(
    readonly assumption: string,
    readonly measured: number,
    readonly tolerance: number,
    detail: string,
  ) {
    super(
      `assumption ${assumption} violated: ${detail} = ${measured.toExponential(3)} ` +
        `exceeds tolerance ${tolerance.toExponential(3)}`,
    );
  }
}

/** Gradient descent diverged: a non-finite loss, or one growing far above its start. */
export class DivergenceError extends DlnError {
  /**
   * Builds a message naming the step and the learning rate `η` and advising a smaller `η`.
   * @param step the first step found diverged
   * @param learningRate the learning rate of the run
   * @param symptom what was seen at that step (default `"loss is not finite"`)
   */
  constructor(
    readonly step: number,
    readonly learningRate: number,
    symptom = "loss is not finite",
  ) {
    super(
      `gradient descent diverged: ${symptom} at step ${step} ` +
        `(learning rate ${learningRate}); use a smaller learning rate`,
    );
  }
}

/** A user-supplied configuration (JSON file, CLI flag) is invalid. */
export class InputError extends DlnError {}
