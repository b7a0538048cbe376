// Helpers shared by the gradient-descent loops (asm/gd.ts, asm/gd_deep.ts). Not re-exported
// from asm/index.ts: they are internal to the core.
import { dot, gemm } from "./blas";

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

/**
 * `E = Σyx − A·(B·Σxx)` in correlation form (`sxx` = 0: `Σxx = I`; `B·Σxx` goes to `t`, `k × ni`),
 * `A` `no × k`, `B` `k × ni`; returns whether `‖E‖²_F` is finite (the loss is `½ tr(EΣxx⁻¹Eᵀ)`
 * plus a constant, so both turn non-finite together).
 */
export function correlationResidual(
  no: i32,
  ni: i32,
  k: i32,
  syx: usize,
  sxx: usize,
  a: usize,
  b: usize,
  t: usize,
  e: usize,
): bool {
  if (sxx != 0) {
    gemm(0, 0, k, ni, ni, 1, b, sxx, 0, t);
    residual(no, ni, k, syx, a, t, e);
  } else {
    residual(no, ni, k, syx, a, b, e);
  }
  return isFiniteF64(dot(no * ni, e, e));
}

/**
 * Loss `½ tr(W Σxx Wᵀ) − tr(W Σyxᵀ) + ½ tr Σyy` of the network function `W` (`no × ni`) on a
 * task in correlation form (`sxx` = 0 means `Σxx = I`). Workspace: `no·ni` f64.
 */
export function correlationLoss(
  no: i32,
  ni: i32,
  w: usize,
  syx: usize,
  sxx: usize,
  traceYY: f64,
  work: usize,
): f64 {
  const len = no * ni;
  let ws = w;
  if (sxx != 0) {
    gemm(0, 0, no, ni, ni, 1, w, sxx, 0, work);
    ws = work;
  }
  let quad = 0.0;
  let cross = 0.0;
  for (let e = 0; e < len; e++) {
    const o = <usize> e << 3;
    const we = load<f64>(w + o);
    quad += we * load<f64>(ws + o);
    cross += we * load<f64>(syx + o);
  }
  return 0.5 * quad - cross + 0.5 * traceYY;
}

/**
 * Writes the losses of the extra tasks (table rows `(Σyx, Σxx or 0, tr Σyy)`) of network function
 * `w` (`no × ni`) to `out`. Workspace: `no·ni` f64.
 */
export function extraCorrelationLosses(
  no: i32,
  ni: i32,
  w: usize,
  extra: usize,
  nExtra: i32,
  work: usize,
  out: usize,
): void {
  for (let t = 0; t < nExtra; t++) {
    const row = extra + (<usize> (3 * t) << 3);
    const syx = <usize> load<f64>(row);
    const sxx = <usize> load<f64>(row + 8);
    const tr = load<f64>(row + 16);
    store<f64>(out + (<usize> t << 3), correlationLoss(no, ni, w, syx, sxx, tr, work));
  }
}
