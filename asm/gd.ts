// Full-batch gradient descent loops. The whole loop runs here; the host is entered only
// between calls. Each loop writes the state at the requested steps into a caller-provided
// buffer of records, so a run of a million steps is one call.
//
// Conventions: row-major f64 matrices at byte pointers; the host passes every buffer
// (weights, updated in place; workspace; records); no allocation. Return value 0 = the run
// reached its last recorded step; k + 1 (> 0) = the loss (or the error it is built from) was
// not finite at step k, where step k is the state after k updates. Records written before
// that step are valid.
//
// Record schedule: `rec` points to `nRec` strictly increasing i32 steps, all ≥ `step0` (the
// step of the state passed in). The loop runs from `step0` up to `rec[nRec − 1]` and leaves
// the weights at that step, so a long schedule can be run in chunks.
//
// Extra tasks (losses evaluated at each record, e.g. the other tasks of a continual-learning
// sequence) are a table of f64 triples:
//   correlation form: (Σyx pointer, Σxx pointer or 0 for identity, tr Σyy)
//   data form:        (X pointer, Y pointer, P)
import { axpy, dot, gemm } from "./blas";
import {
  correlationLoss,
  correlationResidual,
  extraCorrelationLosses,
  isFiniteF64,
  residual,
} from "./gd_common";

export { correlationLoss };

// ---------------------------------------------------------------------------------------------
// Correlation form.

// Writes a record's head `[W1 (n1), W2 (n2), loss]` at `out` (n2 = 0: `[W, loss]`); returns
// the address of the record's extra losses.
function writeRecordHead(out: usize, w1: usize, n1: i32, w2: usize, n2: i32, loss: f64): usize {
  memory.copy(out, w1, <usize> n1 << 3);
  memory.copy(out + (<usize> n1 << 3), w2, <usize> n2 << 3);
  store<f64>(out + (<usize> (n1 + n2) << 3), loss);
  return out + (<usize> (n1 + n2 + 1) << 3);
}

/**
 * Two-layer linear network in correlation form, simultaneous update (MATH.md):
 * `E = Σyx − W2W1Σxx`, `W1 += η W2ᵀE`, `W2 += η E W1ᵀ`.
 *
 * `w1` (nh×ni) and `w2` (no×nh) are updated in place. `sxx` = 0 means `Σxx = I` (skips a
 * product). Workspace `work`: `3·no·ni + 2·nh·ni` f64. Each record is
 * `[W1 (nh·ni), W2 (no·nh), loss, extra losses (nExtra)]`.
 */
export function gdTwoLayerCorrelation(
  ni: i32,
  nh: i32,
  no: i32,
  w1: usize,
  w2: usize,
  syx: usize,
  sxx: usize,
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
  const e = work;
  const w = e + (<usize> (no * ni) << 3);
  const lossWork = w + (<usize> (no * ni) << 3);
  const g = lossWork + (<usize> (no * ni) << 3);
  const p = g + (<usize> (nh * ni) << 3);
  const n1 = nh * ni;
  const n2 = no * nh;
  const recBytes = <usize> (n1 + n2 + 1 + nExtra) << 3;
  let r = 0;
  let outp = out;
  for (let step = step0; r < nRec; step++) {
    // E = Σyx − W2 (W1 Σxx)
    if (!correlationResidual(no, ni, nh, syx, sxx, w2, w1, p, e)) return step + 1;
    if (step == load<i32>(rec + (<usize> r << 2))) {
      gemm(0, 0, no, ni, nh, 1, w2, w1, 0, w);
      const loss = correlationLoss(no, ni, w, syx, sxx, traceYY, lossWork);
      if (!isFiniteF64(loss)) return step + 1;
      const lossOut = writeRecordHead(outp, w1, n1, w2, n2, loss);
      extraCorrelationLosses(no, ni, w, extra, nExtra, lossWork, lossOut);
      outp += recBytes;
      r++;
      if (r == nRec) break;
    }
    // G = W2ᵀE (old W2), then W2 += η E W1ᵀ (old W1), then W1 += η G.
    gemm(1, 0, nh, ni, no, 1, w2, e, 0, g);
    gemm(0, 1, no, nh, ni, eta, e, w1, 1, w2);
    axpy(n1, eta, g, w1);
  }
  return 0;
}

/**
 * Single-layer (shallow) linear network in correlation form: `W += η (Σyx − W Σxx)`.
 *
 * `w` (no×ni) is updated in place; `sxx` = 0 means `Σxx = I`. Workspace: `2·no·ni` f64.
 * Each record is `[W (no·ni), loss, extra losses (nExtra)]`.
 */
export function gdShallowCorrelation(
  ni: i32,
  no: i32,
  w: usize,
  syx: usize,
  sxx: usize,
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
  const len = no * ni;
  const e = work;
  const lossWork = e + (<usize> len << 3);
  const recBytes = <usize> (len + 1 + nExtra) << 3;
  let r = 0;
  let outp = out;
  for (let step = step0; r < nRec; step++) {
    if (sxx != 0) {
      residual(no, ni, ni, syx, w, sxx, e);
    } else {
      memory.copy(e, syx, <usize> len << 3);
      axpy(len, -1, w, e);
    }
    if (!isFiniteF64(dot(len, e, e))) return step + 1;
    if (step == load<i32>(rec + (<usize> r << 2))) {
      const loss = correlationLoss(no, ni, w, syx, sxx, traceYY, lossWork);
      if (!isFiniteF64(loss)) return step + 1;
      const lossOut = writeRecordHead(outp, w, len, 0, 0, loss);
      extraCorrelationLosses(no, ni, w, extra, nExtra, lossWork, lossOut);
      outp += recBytes;
      r++;
      if (r == nRec) break;
    }
    axpy(len, eta, e, w);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Data form with a hidden nonlinearity f: ŷ = W2 f(W1 x), loss ½⟨‖ŷ − y‖²⟩ over P samples.

// Hidden activation codes of the data-form loop (the host passes them as `act`; 0 = linear).
const ACTIVATION_TANH: i32 = 1;
const ACTIVATION_RELU: i32 = 2;

// H = f(W1 X) (nh×P) in place; R = Y − W2 H (no×P); returns ½ ‖R‖² / P.
function forward(
  ni: i32,
  nh: i32,
  no: i32,
  np: i32,
  act: i32,
  w1: usize,
  w2: usize,
  x: usize,
  y: usize,
  h: usize,
  res: usize,
): f64 {
  gemm(0, 0, nh, np, ni, 1, w1, x, 0, h);
  const hl = nh * np;
  if (act == ACTIVATION_TANH) {
    for (let e = 0; e < hl; e++) {
      const o = <usize> e << 3;
      store<f64>(h + o, Math.tanh(load<f64>(h + o)));
    }
  } else if (act == ACTIVATION_RELU) {
    for (let e = 0; e < hl; e++) {
      const o = <usize> e << 3;
      store<f64>(h + o, max(load<f64>(h + o), 0));
    }
  }
  residual(no, np, nh, y, w2, h, res);
  return 0.5 * dot(no * np, res, res) / <f64> np;
}

/**
 * Two-layer network on data, full batch: `H = f(W1X)`, `R = Y − W2H`, loss `½‖R‖²_F / P`;
 * gradient steps `W2 += (η/P) R Hᵀ`, `W1 += (η/P) ((W2ᵀR) ∘ f'(W1X)) Xᵀ` (both with the old
 * weights). `f'` is read off `H`: 1 (linear), `1 − H²` (tanh), `[H > 0]` (ReLU).
 *
 * `x` is ni×P, `y` no×P. Workspace `work`: `2·nh·P + no·P` f64, plus `nh·Pe + no·Pe` for the
 * largest extra task's `Pe`. Each record is `[W1, W2, loss, extra losses]`.
 */
export function gdTwoLayerData(
  ni: i32,
  nh: i32,
  no: i32,
  np: i32,
  act: i32,
  w1: usize,
  w2: usize,
  x: usize,
  y: usize,
  eta: f64,
  step0: i32,
  rec: usize,
  nRec: i32,
  extra: usize,
  nExtra: i32,
  out: usize,
  work: usize,
): i32 {
  const h = work;
  const d = h + (<usize> (nh * np) << 3);
  const res = d + (<usize> (nh * np) << 3);
  const extraWork = res + (<usize> (no * np) << 3);
  const n1 = nh * ni;
  const n2 = no * nh;
  const hl = nh * np;
  const recBytes = <usize> (n1 + n2 + 1 + nExtra) << 3;
  const scale = eta / <f64> np;
  let r = 0;
  let outp = out;
  for (let step = step0; r < nRec; step++) {
    const loss = forward(ni, nh, no, np, act, w1, w2, x, y, h, res);
    if (!isFiniteF64(loss)) return step + 1;
    if (step == load<i32>(rec + (<usize> r << 2))) {
      const lossOut = writeRecordHead(outp, w1, n1, w2, n2, loss);
      for (let t = 0; t < nExtra; t++) {
        const row = extra + (<usize> (3 * t) << 3);
        const pe = <i32> load<f64>(row + 16);
        const he = extraWork;
        const re = he + (<usize> (nh * pe) << 3);
        const xe = <usize> load<f64>(row);
        const ye = <usize> load<f64>(row + 8);
        store<f64>(
          lossOut + (<usize> t << 3),
          forward(ni, nh, no, pe, act, w1, w2, xe, ye, he, re),
        );
      }
      outp += recBytes;
      r++;
      if (r == nRec) break;
    }
    // D = (W2ᵀ R) ∘ f'(A), with the old W2.
    gemm(1, 0, nh, np, no, 1, w2, res, 0, d);
    if (act == ACTIVATION_TANH) {
      for (let e = 0; e < hl; e++) {
        const o = <usize> e << 3;
        const he = load<f64>(h + o);
        store<f64>(d + o, load<f64>(d + o) * (1 - he * he));
      }
    } else if (act == ACTIVATION_RELU) {
      for (let e = 0; e < hl; e++) {
        const o = <usize> e << 3;
        if (!(load<f64>(h + o) > 0)) store<f64>(d + o, 0);
      }
    }
    gemm(0, 1, no, nh, np, scale, res, h, 1, w2);
    gemm(0, 1, nh, ni, np, scale, d, x, 1, w1);
  }
  return 0;
}
