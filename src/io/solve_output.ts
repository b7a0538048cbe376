/**
 * The fields `solve` writes at every depth (DESIGN.md, "The `solve` command"): two-layer output
 * (scripts/solve.ts) adds `lambda` and `qqt`; depth-L output (src/io/solve_deep.ts) has these
 * alone.
 *
 * @module
 */

/** What `solve` writes for any network. */
export interface SolveOutputFields {
  /** The method used, e.g. `"stable"`, `"factored"`, `"simulate"`, `"aligned"`. */
  method: string;
  /** What was computed and how (for `auto`, why this method and arithmetic). */
  reason: string;
  /** Times reached (simulation: `k η τ`). */
  times: number[];
  /** The network function `W_L ⋯ W_1` (`No × Ni`) at each time; decimal strings when `digits`
   * is given at depth L > 2. */
  product: (number | string)[][][];
  /** Loss at each time (`taskLoss` semantics). */
  loss: number[];
  /** Warnings: assumptions near failure, saddles, an error estimate above the tolerance. */
  warnings: string[];
  /** Exact methods: the arithmetic used, e.g. `"f64"` or `"decimal(40)"`. */
  arithmetic?: string;
  /** Exact methods: the relative accuracy asked for. */
  tolerance?: number;
  /** Exact methods: the largest of {@link errorEstimates}. */
  errorEstimate?: number;
  /** Exact methods: the estimated relative error at each time. */
  errorEstimates?: number[];
}
