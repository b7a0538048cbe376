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
}
