/**
 * An independent high-accuracy reference for the gradient-flow ODE of a two-layer linear network
 * (MATH.md):
 *
 *   τ dW1/dt = W2ᵀ E,   τ dW2/dt = E W1ᵀ,   E = Σyx − W2 W1 Σxx.
 *
 * It shares no code with the library: plain `Float64Array`s and loops only. The integrator is an
 * adaptive Taylor-series method of high order (default 24), chosen over a Runge–Kutta pair
 * because the right-hand side is a polynomial, so the Taylor coefficients follow from an exact
 * recurrence (Cauchy products) and need no coefficient tables; at order 24 a step reaches about
 * a third of the radius of convergence while its truncation error stays at the rounding level.
 *
 * Recurrence, with `W1(t0 + h) = Σ a_k h^k`, `W2(t0 + h) = Σ b_k h^k`:
 *   p_k = Σ_j b_j a_{k−j}  (coefficients of W2W1),  e_k = δ_{k0} Σyx − p_k Σxx,
 *   a_{k+1} = Σ_j b_jᵀ e_{k−j} / ((k+1) τ),   b_{k+1} = Σ_j e_j a_{k−j}ᵀ / ((k+1) τ).
 * Step size (Jorba & Zou 2005): `h = min_k∈{K−1,K} (tol·max(1,‖x‖) / ‖c_k‖)^{1/k}` times a
 * safety factor, so the two last terms of the series are below `tol` relative to the state.
 *
 * @module
 */

/** Rows as arrays. */
export type Rows = number[][];

/** A gradient-flow problem in plain arrays. */
export interface FlowProblem {
  /** `Σyx`, `No × Ni`. */
  sigmaYX: Rows;
  /** `Σxx`, `Ni × Ni`; identity when omitted. */
  sigmaXX?: Rows;
  /** `W1(0)`, `Nh × Ni`. */
  w1: Rows;
  /** `W2(0)`, `No × Nh`. */
  w2: Rows;
  /** Time constant τ (default 1). */
  tau?: number;
}

/** Options of {@link integrateGradientFlow}. */
export interface FlowOptions {
  /** Taylor order `K` (default 24). */
  order?: number;
  /** Per-step truncation tolerance relative to `max(1, max|state|)` (default 1e-16). */
  tol?: number;
  /** Step budget; exceeding it throws (default 1e6). */
  maxSteps?: number;
}

/** The weights and their products at one time. */
export interface FlowState {
  w1: Rows;
  w2: Rows;
  /** `QQᵀ = [[W1ᵀW1, W1ᵀW2ᵀ], [W2W1, W2W2ᵀ]]`, `(Ni+No) × (Ni+No)`. */
  qqt: Rows;
  /** Number of Taylor steps taken since the previous record. */
  steps: number;
}

interface Dense {
  r: number;
  c: number;
  d: Float64Array;
}

function dense(rows: Rows): Dense {
  const r = rows.length, c = r ? rows[0].length : 0;
  const d = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) d[i * c + j] = rows[i][j];
  return { r, c, d };
}

function toRows(m: Dense): Rows {
  const out: Rows = [];
  for (let i = 0; i < m.r; i++) out.push(Array.from(m.d.subarray(i * m.c, (i + 1) * m.c)));
  return out;
}

/** `out += op(a) op(b)` on raw buffers; `ta`/`tb` transpose. */
function gemmAcc(
  out: Float64Array,
  a: Float64Array,
  ar: number,
  ac: number,
  ta: boolean,
  b: Float64Array,
  br: number,
  bc: number,
  tb: boolean,
): void {
  const m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc;
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = ta ? a[p * ac + i] : a[i * ac + p];
      if (aip === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aip * (tb ? b[j * bc + p] : b[p * bc + j]);
    }
  }
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return m;
}

/**
 * Integrates gradient flow from `problem.w1`, `problem.w2` at `t = 0` and records the state at
 * each of `times` (non-negative, any order).
 * @throws {Error} on a negative or non-finite time, or when the step budget is exhausted
 */
export function integrateGradientFlow(
  problem: FlowProblem,
  times: readonly number[],
  options: FlowOptions = {},
): FlowState[] {
  const K = options.order ?? 24, tol = options.tol ?? 1e-16, maxSteps = options.maxSteps ?? 1e6;
  const tau = problem.tau ?? 1;
  const syx = dense(problem.sigmaYX);
  const no = syx.r, ni = syx.c;
  const sxx = problem.sigmaXX ? dense(problem.sigmaXX) : identity(ni);
  const w1 = dense(problem.w1), w2 = dense(problem.w2);
  const nh = w1.r;
  if (w1.c !== ni || w2.r !== no || w2.c !== nh || sxx.r !== ni || sxx.c !== ni) {
    throw new Error("reference: inconsistent shapes");
  }
  const n1 = nh * ni, n2 = no * nh, np = no * ni;
  // Taylor coefficient buffers for orders 0..K.
  const a = Array.from({ length: K + 1 }, () => new Float64Array(n1));
  const b = Array.from({ length: K + 1 }, () => new Float64Array(n2));
  const e = Array.from({ length: K + 1 }, () => new Float64Array(np));
  const p = new Float64Array(np);

  const order = times.map((t, i) => [t, i] as const).sort((x, y) => x[0] - y[0]);
  const out: FlowState[] = new Array(times.length);
  let t = 0, steps = 0, total = 0;
  const x1 = w1.d.slice(), x2 = w2.d.slice();
  for (const [target, idx] of order) {
    if (!(target >= 0) || !Number.isFinite(target)) {
      throw new Error(`reference: bad time ${target}`);
    }
    while (t < target) {
      if (++total > maxSteps) throw new Error(`reference: step budget ${maxSteps} exhausted`);
      a[0].set(x1);
      b[0].set(x2);
      for (let k = 0; k < K; k++) {
        // p_k = Σ_j b_j a_{k−j}; e_k = δ_{k0} Σyx − p_k Σxx
        p.fill(0);
        for (let j = 0; j <= k; j++) gemmAcc(p, b[j], no, nh, false, a[k - j], nh, ni, false);
        e[k].fill(0);
        gemmAcc(e[k], p, no, ni, false, sxx.d, ni, ni, false);
        for (let q = 0; q < np; q++) e[k][q] = (k === 0 ? syx.d[q] : 0) - e[k][q];
        const ak = a[k + 1], bk = b[k + 1];
        ak.fill(0);
        bk.fill(0);
        for (let j = 0; j <= k; j++) {
          gemmAcc(ak, b[j], no, nh, true, e[k - j], no, ni, false);
          gemmAcc(bk, e[j], no, ni, false, a[k - j], nh, ni, true);
        }
        const f = 1 / ((k + 1) * tau);
        for (let q = 0; q < n1; q++) ak[q] *= f;
        for (let q = 0; q < n2; q++) bk[q] *= f;
      }
      const scale = Math.max(1, maxAbs(x1), maxAbs(x2));
      let h = Infinity;
      for (const k of [K - 1, K]) {
        const c = Math.max(maxAbs(a[k]), maxAbs(b[k]));
        if (c > 0) h = Math.min(h, Math.pow((tol * scale) / c, 1 / k));
      }
      h = Math.min(h * Math.exp(-0.7 / (K - 1)), target - t);
      if (!(h > 0)) throw new Error("reference: step size underflow");
      horner(a, h, x1);
      horner(b, h, x2);
      t = h === target - t ? target : t + h;
      steps++;
    }
    out[idx] = state(x1, x2, nh, ni, no, steps);
    steps = 0;
  }
  return out;
}

function horner(c: Float64Array[], h: number, out: Float64Array): void {
  const K = c.length - 1;
  out.set(c[K]);
  for (let k = K - 1; k >= 0; k--) {
    const ck = c[k];
    for (let q = 0; q < out.length; q++) out[q] = out[q] * h + ck[q];
  }
}

function identity(n: number): Dense {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) d[i * n + i] = 1;
  return { r: n, c: n, d };
}

function state(
  x1: Float64Array,
  x2: Float64Array,
  nh: number,
  ni: number,
  no: number,
  steps: number,
): FlowState {
  const q = new Float64Array(nh * (ni + no)); // Q = [W1ᵀ; W2], (Ni+No) × Nh
  for (let i = 0; i < ni; i++) for (let h = 0; h < nh; h++) q[i * nh + h] = x1[h * ni + i];
  q.set(x2, ni * nh);
  const n = ni + no;
  const qqt = new Float64Array(n * n);
  gemmAcc(qqt, q, n, nh, false, q, n, nh, true);
  return {
    w1: toRows({ r: nh, c: ni, d: x1.slice() }),
    w2: toRows({ r: no, c: nh, d: x2.slice() }),
    qqt: toRows({ r: n, c: n, d: qqt }),
    steps,
  };
}
