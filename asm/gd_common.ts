// Helpers shared by the gradient-descent loops (asm/gd.ts, asm/gd_deep.ts). Not re-exported
// from asm/index.ts: they are internal to the core.
import { gemm } from "./blas";

/** True when `x` is neither NaN nor ±Infinity. */
export function isFiniteF64(x: f64): bool {
  return x - x == 0;
}

/**
 * `E = T − A·B` (`no × ni`, `A` `no × k`, `B` `k × ni`): the residual `Σyx − W·Σxx` of a network
 * function (or `Y − W_L H` on data) with the product already split in two factors.
 */
export function residual(no: i32, ni: i32, k: i32, syx: usize, a: usize, b: usize, e: usize): void {
  memory.copy(e, syx, <usize> (no * ni) << 3);
  gemm(0, 0, no, ni, k, -1, a, b, 1, e);
}
