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
import { gemm } from "./blas";
import { madd } from "./simd";

// Products with m·n·k at least this go to the blocked `gemm`; smaller ones to the kernels
// below, which avoid its call and packing overhead (set from bench/train.ts measurements).
const SMALL_PRODUCT: i32 = 48 * 48 * 48;

// ---------------------------------------------------------------------------------------------
// Small products. `rowAxpyProduct` covers C = αAB + βC (A read with strides, so also C = αAᵀB
// + βC); `rowDotProduct` covers C = αABᵀ + βC. SIMD over the contiguous dimension.

// C (m×n) = α·op(A)·B + β·C, B k×n row-major; op(A)[i,p] is at a + 8·(i·ai + p·ap).
// Register blocking: a 2×8 block of C lives in eight f64x2 accumulators while p runs over k,
// so each B row segment is loaded once per two rows of C and C is written once. Column tails
// (n mod 8) go in pairs, then one scalar column; an odd last row runs with the same code
// reading its row twice (the duplicate result is discarded).
function rowAxpyProduct(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  ai: i32,
  ap: i32,
  b: usize,
  beta: f64,
  c: usize,
): void {
  const rowBytes = <usize> n << 3;
  const aStep = <usize> ap << 3;
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const a0 = a + (<usize> (i * ai) << 3);
    const a1 = two ? a0 + (<usize> ai << 3) : a0;
    const c0 = c + <usize> i * rowBytes;
    const c1 = two ? c0 + rowBytes : c0;
    let j = 0;
    for (; j + 7 < n; j += 8) {
      const jo = <usize> j << 3;
      let x00 = f64x2.splat(0), x01 = f64x2.splat(0), x02 = f64x2.splat(0), x03 = f64x2.splat(0);
      let x10 = f64x2.splat(0), x11 = f64x2.splat(0), x12 = f64x2.splat(0), x13 = f64x2.splat(0);
      let bp = b + jo;
      let p0 = a0, p1 = a1;
      for (let p = 0; p < k; p++) {
        const s0 = f64x2.splat(load<f64>(p0));
        const s1 = f64x2.splat(load<f64>(p1));
        const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32);
        const b3 = v128.load(bp, 48);
        x00 = madd(s0, b0, x00);
        x01 = madd(s0, b1, x01);
        x02 = madd(s0, b2, x02);
        x03 = madd(s0, b3, x03);
        x10 = madd(s1, b0, x10);
        x11 = madd(s1, b1, x11);
        x12 = madd(s1, b2, x12);
        x13 = madd(s1, b3, x13);
        bp += rowBytes;
        p0 += aStep;
        p1 += aStep;
      }
      if (two) {
        storeScaled(c1 + jo, x10, alpha, beta);
        storeScaled(c1 + jo + 16, x11, alpha, beta);
        storeScaled(c1 + jo + 32, x12, alpha, beta);
        storeScaled(c1 + jo + 48, x13, alpha, beta);
      }
      storeScaled(c0 + jo, x00, alpha, beta);
      storeScaled(c0 + jo + 16, x01, alpha, beta);
      storeScaled(c0 + jo + 32, x02, alpha, beta);
      storeScaled(c0 + jo + 48, x03, alpha, beta);
    }
    for (; j + 1 < n; j += 2) {
      const jo = <usize> j << 3;
      let x0 = f64x2.splat(0), x1 = f64x2.splat(0);
      let bp = b + jo;
      let p0 = a0, p1 = a1;
      for (let p = 0; p < k; p++) {
        const bv = v128.load(bp);
        x0 = madd(f64x2.splat(load<f64>(p0)), bv, x0);
        x1 = madd(f64x2.splat(load<f64>(p1)), bv, x1);
        bp += rowBytes;
        p0 += aStep;
        p1 += aStep;
      }
      if (two) storeScaled(c1 + jo, x1, alpha, beta);
      storeScaled(c0 + jo, x0, alpha, beta);
    }
    if (j < n) {
      const jo = <usize> j << 3;
      let x0 = 0.0, x1 = 0.0;
      let bp = b + jo;
      let p0 = a0, p1 = a1;
      for (let p = 0; p < k; p++) {
        const bv = load<f64>(bp);
        x0 += load<f64>(p0) * bv;
        x1 += load<f64>(p1) * bv;
        bp += rowBytes;
        p0 += aStep;
        p1 += aStep;
      }
      if (two) store<f64>(c1 + jo, alpha * x1 + (beta == 0 ? 0 : beta * load<f64>(c1 + jo)));
      store<f64>(c0 + jo, alpha * x0 + (beta == 0 ? 0 : beta * load<f64>(c0 + jo)));
    }
  }
}

// *ptr = α·x + β·*ptr on two lanes (β = 0 ignores the old contents, even NaN).
function storeScaled(ptr: usize, x: v128, alpha: f64, beta: f64): void {
  let v = f64x2.mul(f64x2.splat(alpha), x);
  if (beta != 0) v = f64x2.add(v, f64x2.mul(f64x2.splat(beta), v128.load(ptr)));
  v128.store(ptr, v);
}

// C (m×n) = α·A·Bᵀ + β·C with A m×k, B n×k row-major: dot products of rows.
function rowDotProduct(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  b: usize,
  beta: f64,
  c: usize,
): void {
  const kBytes = <usize> k << 3;
  for (let i = 0; i < m; i++) {
    const arow = a + <usize> i * kBytes;
    const crow = c + (<usize> (i * n) << 3);
    for (let j = 0; j < n; j++) {
      const brow = b + <usize> j * kBytes;
      let acc0 = f64x2.splat(0);
      let acc1 = f64x2.splat(0);
      let p = 0;
      for (; p + 3 < k; p += 4) {
        const o = <usize> p << 3;
        acc0 = madd(v128.load(arow + o), v128.load(brow + o), acc0);
        acc1 = madd(v128.load(arow + o + 16), v128.load(brow + o + 16), acc1);
      }
      acc0 = f64x2.add(acc0, acc1);
      let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
      for (; p < k; p++) {
        s += load<f64>(arow + (<usize> p << 3)) * load<f64>(brow + (<usize> p << 3));
      }
      const cp = crow + (<usize> j << 3);
      store<f64>(cp, alpha * s + (beta == 0 ? 0 : beta * load<f64>(cp)));
    }
  }
}

// C = α·A·B + β·C (A m×k, B k×n).
function mulNN(m: i32, n: i32, k: i32, alpha: f64, a: usize, b: usize, beta: f64, c: usize): void {
  if (m * n * k >= SMALL_PRODUCT) gemm(0, 0, m, n, k, alpha, a, b, beta, c);
  else rowAxpyProduct(m, n, k, alpha, a, k, 1, b, beta, c);
}

// C = α·Aᵀ·B + β·C (A k×m, B k×n).
function mulTN(m: i32, n: i32, k: i32, alpha: f64, a: usize, b: usize, beta: f64, c: usize): void {
  if (m * n * k >= SMALL_PRODUCT) gemm(1, 0, m, n, k, alpha, a, b, beta, c);
  else rowAxpyProduct(m, n, k, alpha, a, 1, m, b, beta, c);
}

// C = α·A·Bᵀ + β·C (A m×k, B n×k). Small products: with scratch `bt` (k·n f64) B is
// transposed there and the register-blocked row kernel runs; with `bt` = 0 (long k, e.g.
// samples) the dot-product kernel runs.
function mulNT(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  b: usize,
  beta: f64,
  c: usize,
  bt: usize,
): void {
  if (m * n * k >= SMALL_PRODUCT) {
    gemm(0, 1, m, n, k, alpha, a, b, beta, c);
  } else if (bt != 0) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) {
        store<f64>(bt + (<usize> (p * n + j) << 3), load<f64>(b + (<usize> (j * k + p) << 3)));
      }
    }
    rowAxpyProduct(m, n, k, alpha, a, k, 1, bt, beta, c);
  } else {
    rowDotProduct(m, n, k, alpha, a, b, beta, c);
  }
}

// y += α·x over `len` entries.
function axpy(len: i32, alpha: f64, x: usize, y: usize): void {
  const s = f64x2.splat(alpha);
  let j = 0;
  for (; j + 1 < len; j += 2) {
    const o = <usize> j << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(s, v128.load(x + o))));
  }
  if (j < len) {
    const o = <usize> j << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

// Σ x² over `len` entries (non-finite when any entry is, or when it overflows).
function sumSquares(len: i32, x: usize): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  for (; j + 1 < len; j += 2) {
    const v = v128.load(x + (<usize> j << 3));
    acc = madd(v, v, acc);
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (j < len) {
    const v = load<f64>(x + (<usize> j << 3));
    s += v * v;
  }
  return s;
}

function isFiniteF64(x: f64): bool {
  return x - x == 0;
}

// ---------------------------------------------------------------------------------------------
// Correlation form.

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
    mulNN(no, ni, ni, 1, w, sxx, 0, work);
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

// E = Σyx − W·Σxx for a network function or a weight product already in `wsxx` form:
// E ← Σyx; E ← E − A·B.
function residual(no: i32, ni: i32, k: i32, syx: usize, a: usize, b: usize, e: usize): void {
  memory.copy(e, syx, <usize> (no * ni) << 3);
  mulNN(no, ni, k, -1, a, b, 1, e);
}

// Writes the extra tasks' losses of network function `w` (no×ni) to `out`.
function extraCorrelationLosses(
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

/**
 * Two-layer linear network in correlation form, simultaneous update (MATH.md):
 * `E = Σyx − W2W1Σxx`, `W1 += η W2ᵀE`, `W2 += η E W1ᵀ`.
 *
 * `w1` (nh×ni) and `w2` (no×nh) are updated in place. `sxx` = 0 means `Σxx = I` (skips a
 * product). Workspace `work`: `3·no·ni + 3·nh·ni` f64. Each record is
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
  const w1t = p + (<usize> (nh * ni) << 3);
  const n1 = nh * ni;
  const n2 = no * nh;
  const recBytes = <usize> (n1 + n2 + 1 + nExtra) << 3;
  let r = 0;
  let outp = out;
  for (let step = step0; r < nRec; step++) {
    // E = Σyx − W2 (W1 Σxx)
    if (sxx != 0) {
      mulNN(nh, ni, ni, 1, w1, sxx, 0, p);
      residual(no, ni, nh, syx, w2, p, e);
    } else {
      residual(no, ni, nh, syx, w2, w1, e);
    }
    if (!isFiniteF64(sumSquares(no * ni, e))) return step + 1;
    if (step == load<i32>(rec + (<usize> r << 2))) {
      mulNN(no, ni, nh, 1, w2, w1, 0, w);
      const loss = correlationLoss(no, ni, w, syx, sxx, traceYY, lossWork);
      if (!isFiniteF64(loss)) return step + 1;
      memory.copy(outp, w1, <usize> n1 << 3);
      memory.copy(outp + (<usize> n1 << 3), w2, <usize> n2 << 3);
      store<f64>(outp + (<usize> (n1 + n2) << 3), loss);
      extraCorrelationLosses(
        no,
        ni,
        w,
        extra,
        nExtra,
        lossWork,
        outp + (<usize> (n1 + n2 + 1) << 3),
      );
      outp += recBytes;
      r++;
      if (r == nRec) break;
    }
    // G = W2ᵀE (old W2), then W2 += η E W1ᵀ (old W1), then W1 += η G.
    mulTN(nh, ni, no, 1, w2, e, 0, g);
    mulNT(no, nh, ni, eta, e, w1, 1, w2, w1t);
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
    if (!isFiniteF64(sumSquares(len, e))) return step + 1;
    if (step == load<i32>(rec + (<usize> r << 2))) {
      const loss = correlationLoss(no, ni, w, syx, sxx, traceYY, lossWork);
      if (!isFiniteF64(loss)) return step + 1;
      memory.copy(outp, w, <usize> len << 3);
      store<f64>(outp + (<usize> len << 3), loss);
      extraCorrelationLosses(no, ni, w, extra, nExtra, lossWork, outp + (<usize> (len + 1) << 3));
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
  mulNN(nh, np, ni, 1, w1, x, 0, h);
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
  return 0.5 * sumSquares(no * np, res) / <f64> np;
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
      memory.copy(outp, w1, <usize> n1 << 3);
      memory.copy(outp + (<usize> n1 << 3), w2, <usize> n2 << 3);
      store<f64>(outp + (<usize> (n1 + n2) << 3), loss);
      const lossOut = outp + (<usize> (n1 + n2 + 1) << 3);
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
    mulTN(nh, np, no, 1, w2, res, 0, d);
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
    mulNT(no, nh, np, scale, res, h, 1, w2, 0);
    mulNT(nh, ni, np, scale, d, x, 1, w1, 0);
  }
  return 0;
}
