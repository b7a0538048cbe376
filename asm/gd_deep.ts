// Full-batch gradient descent on a depth-L linear network `W = W_L ⋯ W_1` (L ≥ 2), the whole
// loop in WASM (conventions, status and record schedule as asm/gd.ts).
//
// Layer widths are `dims[0..L]` (i32): `n_0 = Ni`, hidden `n_1 … n_{L−1}`, `n_L = No`; layer `l`
// (`W_l`, `n_l × n_{l−1}`) lies in the weight buffer `w` right after layer `l − 1`.
//
// Gradient (MATH.md, "Deeper networks"): with `W = A_l W_l B_l`, `A_l = W_L ⋯ W_{l+1}`,
// `B_l = W_{l−1} ⋯ W_1`, the loss's negative gradient is `A_lᵀ E B_lᵀ`, `E = Σyx − W Σxx`
// (correlation form) or `(1/P) A_lᵀ R (B_l X)ᵀ`, `R = Y − W X` (data form). One step computes
// the prefixes `P_l = W_l ⋯ W_1 P_0` (`P_0 = I` or `X`) forwards, then walks backwards with
// `D_L = E`, `D_{l−1} = W_lᵀ D_l` (old `W_l`), `W_l += α D_l P_{l−1}ᵀ`: every update uses the old
// weights (simultaneous update). At `L = 2` these are the very operations of the two-layer
// loops in asm/gd.ts, in the same order, so both give bitwise equal weights.
import { axpy, dot, gemm } from "./blas";
import {
  correlationLoss,
  correlationResidual,
  extraCorrelationLosses,
  isFiniteF64,
  residual,
} from "./gd_common";

function dim(dims: usize, l: i32): i32 {
  return load<i32>(dims + (<usize> l << 2));
}

function maxDim(depth: i32, dims: usize): i32 {
  let n = 0;
  for (let l = 0; l <= depth; l++) n = max(n, dim(dims, l));
  return n;
}

/** Number of f64 entries of all layers, `Σ_l n_l n_{l−1}`. */
function weightCount(depth: i32, dims: usize): i32 {
  let n = 0;
  for (let l = 1; l <= depth; l++) n += dim(dims, l) * dim(dims, l - 1);
  return n;
}

/** Address of layer `l` (1-based) in the weight buffer. */
function layerAt(w: usize, dims: usize, l: i32): usize {
  let off = 0;
  for (let k = 1; k < l; k++) off += dim(dims, k) * dim(dims, k - 1);
  return w + (<usize> off << 3);
}

/**
 * f64 workspace of {@link gdDeep}: prefixes `P_1 … P_{L−1}` (`n_l × m`, `m = P` on data,
 * `Ni` in correlation form), `P_{L−1}Σxx` (`nmax × Ni`), `E` (`No × m`), two `D` buffers
 * (`nmax × m`), two product buffers (`nmax × Ni`) and the loss scratch (`No × max(Ni, Pe)`,
 * `Pe` the largest extra data task's sample count, 0 without).
 */
export function gdDeepWorkSize(depth: i32, dims: usize, np: i32, pe: i32): i32 {
  const ni = dim(dims, 0), no = dim(dims, depth), nmax = maxDim(depth, dims);
  const m = np > 0 ? np : ni;
  let prefixes = 0;
  for (let l = 1; l < depth; l++) prefixes += dim(dims, l) * m;
  return prefixes + nmax * ni + no * m + 2 * nmax * m + 2 * nmax * ni + no * max(ni, pe);
}

// Writes the extra data tasks' losses `½‖Y − WX‖²_F / P` (table rows `(X, Y, P)`) of the
// product `w` (no×ni) to `out`. Workspace: `no·P` of the largest task.
function extraDataLosses(
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
    const pe = <i32> load<f64>(row + 16);
    residual(no, pe, ni, <usize> load<f64>(row + 8), w, <usize> load<f64>(row), work);
    store<f64>(out + (<usize> t << 3), 0.5 * dot(no * pe, work, work) / <f64> pe);
  }
}

/**
 * Depth-L linear network, full batch, simultaneous update (see the module comment).
 *
 * Correlation form (`np` = 0): `target` is `Σyx` (`No × Ni`), `x` is `Σxx` or 0 for the
 * identity, loss `½ tr(WΣxxWᵀ) − tr(WΣyxᵀ) + ½ tr Σyy`, step `W_l += η A_lᵀ E B_lᵀ`.
 * Data form (`np` = P > 0): `target` is `Y` (`No × P`), `x` is `X` (`Ni × P`), loss
 * `½‖Y − WX‖²_F / P`, step `W_l += (η/P) A_lᵀ R (B_l X)ᵀ`.
 *
 * `w` holds every layer (updated in place); workspace {@link gdDeepWorkSize}. Extra tasks (their
 * losses recorded, as asm/gd.ts) are a table of triples `(Σyx, Σxx or 0, tr Σyy)` in
 * correlation form, `(X, Y, P)` on data. Each record is
 * `[W_1, …, W_L, W (No·Ni), loss, extra losses (nExtra)]`. Returns 0, or `k + 1` when the loss
 * (through `‖E‖²`) is not finite at step `k`.
 */
export function gdDeep(
  depth: i32,
  dims: usize,
  w: usize,
  np: i32,
  target: usize,
  x: usize,
  traceYY: f64,
  eta: f64,
  step0: i32,
  rec: usize,
  nRec: i32,
  extra: usize,
  nExtra: i32,
  out: usize,
  work: usize,
): i32 {
  const onData = np > 0;
  const ni = dim(dims, 0), no = dim(dims, depth), nmax = maxDim(depth, dims);
  const m = onData ? np : ni;
  const nLast = dim(dims, depth - 1);
  const wLast = layerAt(w, dims, depth);
  const nw = weightCount(depth, dims);
  // workspace
  const prefixes = work;
  let prefixLen = 0;
  for (let l = 1; l < depth; l++) prefixLen += dim(dims, l) * m;
  const t = prefixes + (<usize> prefixLen << 3);
  const e = t + (<usize> (nmax * ni) << 3);
  const d0 = e + (<usize> (no * m) << 3);
  const d1 = d0 + (<usize> (nmax * m) << 3);
  const prod0 = d1 + (<usize> (nmax * m) << 3);
  const prod1 = prod0 + (<usize> (nmax * ni) << 3);
  const lossWork = prod1 + (<usize> (nmax * ni) << 3);
  const alpha = onData ? eta / <f64> np : eta;
  const recBytes = <usize> (nw + no * ni + 1 + nExtra) << 3;
  let r = 0;
  let outp = out;
  for (let step = step0; r < nRec; step++) {
    // Forward: P_l = W_l P_{l−1}; in correlation form P_1 is W_1 itself.
    let prev = onData ? x : w;
    let slot = prefixes;
    for (let l = 1; l < depth; l++) {
      const nl = dim(dims, l);
      if (onData || l > 1) {
        gemm(0, 0, nl, m, dim(dims, l - 1), 1, layerAt(w, dims, l), prev, 0, slot);
        prev = slot;
      }
      slot += <usize> (nl * m) << 3;
    }
    const last = prev; // P_{L−1}
    let loss = 0.0;
    if (onData) {
      residual(no, np, nLast, target, wLast, last, e);
      loss = 0.5 * dot(no * np, e, e) / <f64> np;
      if (!isFiniteF64(loss)) return step + 1;
    } else {
      if (!correlationResidual(no, ni, nLast, target, x, wLast, last, t, e)) return step + 1;
    }
    if (step == load<i32>(rec + (<usize> r << 2))) {
      memory.copy(outp, w, <usize> nw << 3);
      const prod = outp + (<usize> nw << 3);
      if (onData) {
        // W = W_L ⋯ W_1, ping-ponging between the product buffers, the last into the record.
        let cur = w;
        for (let l = 2; l <= depth; l++) {
          const dst = l == depth ? prod : (l % 2 == 0 ? prod0 : prod1);
          gemm(0, 0, dim(dims, l), ni, dim(dims, l - 1), 1, layerAt(w, dims, l), cur, 0, dst);
          cur = dst;
        }
      } else {
        gemm(0, 0, no, ni, nLast, 1, wLast, last, 0, prod);
        loss = correlationLoss(no, ni, prod, target, x, traceYY, lossWork);
        if (!isFiniteF64(loss)) return step + 1;
      }
      store<f64>(prod + (<usize> (no * ni) << 3), loss);
      const extraOut = prod + (<usize> (no * ni + 1) << 3);
      if (onData) extraDataLosses(no, ni, prod, extra, nExtra, lossWork, extraOut);
      else extraCorrelationLosses(no, ni, prod, extra, nExtra, lossWork, extraOut);
      outp += recBytes;
      r++;
      if (r == nRec) break;
    }
    // Backward: D_L = E; D_{l−1} = W_lᵀ D_l before W_l += α D_l P_{l−1}ᵀ.
    let dcur = e;
    let pEnd = slot; // end of the prefix slots: P_{l−1} starts n_{l−1}·m entries before
    for (let l = depth; l >= 1; l--) {
      const nl = dim(dims, l), nl1 = dim(dims, l - 1);
      const wl = layerAt(w, dims, l);
      const dnext = dcur == d0 ? d1 : d0;
      if (l > 1) gemm(1, 0, nl1, m, nl, 1, wl, dcur, 0, dnext);
      if (l == 1) {
        if (onData) gemm(0, 1, nl, nl1, m, alpha, dcur, x, 1, wl);
        else axpy(nl * nl1, alpha, dcur, wl);
      } else {
        pEnd -= <usize> (nl1 * m) << 3;
        const pPrev = !onData && l == 2 ? w : pEnd;
        gemm(0, 1, nl, nl1, m, alpha, dcur, pPrev, 1, wl);
      }
      dcur = dnext;
    }
  }
  return 0;
}
