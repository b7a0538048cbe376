/**
 * Type of the WASM core's exports (`asm/index.ts`). Pointers are byte offsets into linear
 * memory; matrices are row-major f64. Keep in step with `asm/`.
 *
 * @module
 */

/** The exports of `build/dln.wasm`. */
export interface Kernels {
  /** Linear memory shared with the host. */
  memory: WebAssembly.Memory;
  /** First free byte after static data: where the host arena begins. */
  heapBase(): number;
  /** `C = alpha·op(A)·op(B) + beta·C`, op(A) m×k, op(B) k×n, row-major. */
  gemm(
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: number,
    b: number,
    beta: number,
    c: number,
  ): void;
  /**
   * Loss `½ tr(W Σxx Wᵀ) − tr(W Σyxᵀ) + ½ tr Σyy` of `W` (no×ni); `sxx` = 0 means `Σxx = I`.
   * Workspace `no·ni` f64 (asm/gd.ts).
   */
  correlationLoss(
    no: number,
    ni: number,
    w: number,
    syx: number,
    sxx: number,
    traceYY: number,
    work: number,
  ): number;
  /**
   * GD on a two-layer linear network in correlation form (asm/gd.ts). Returns 0, or `k + 1`
   * when the loss is not finite at step `k`.
   */
  gdTwoLayerCorrelation(
    ni: number,
    nh: number,
    no: number,
    w1: number,
    w2: number,
    syx: number,
    sxx: number,
    traceYY: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
  /** GD on a shallow linear network `W += η(Σyx − WΣxx)` (asm/gd.ts); status as above. */
  gdShallowCorrelation(
    ni: number,
    no: number,
    w: number,
    syx: number,
    sxx: number,
    traceYY: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
  /**
   * GD on a two-layer network on data with hidden activation `act` (0 linear, 1 tanh,
   * 2 ReLU) (asm/gd.ts); status as above.
   */
  gdTwoLayerData(
    ni: number,
    nh: number,
    no: number,
    np: number,
    act: number,
    w1: number,
    w2: number,
    x: number,
    y: number,
    eta: number,
    step0: number,
    rec: number,
    nRec: number,
    extra: number,
    nExtra: number,
    out: number,
    work: number,
  ): number;
}
