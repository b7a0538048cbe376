/**
 * The data path of the precision study (`deno task stability`, README "Precision study"):
 * square problems with a chosen task spectrum, the error of every method at one time point
 * against a high-precision reference, and the summary numbers drawn from all points.
 *
 * Every method runs the same formula code (`src/exact/`) on a different backend; errors are
 * relative Frobenius distances computed in Decimal at the reference's precision, so errors far
 * below f64's range are measured exactly.
 *
 * @module
 */
import { InputError } from "./errors.ts";
import { Decimal } from "./npm/decimal.ts";
import type { Backend } from "./linalg/backend.ts";
import { decimalBackend, type DecimalMatrix, GUARD_DIGITS } from "./linalg/decimal.ts";
import { f64Backend } from "./linalg/f64.ts";
import { matmul } from "./linalg/blas.ts";
import { det } from "./linalg/lu.ts";
import { Matrix } from "./matrix.ts";
import { Random } from "./random.ts";
import { checkShapes, type ExactInputs } from "./exact/assumptions.ts";
import { fukumizuSolution } from "./exact/fukumizu.ts";
import { type ExactMethod, prepareExact } from "./exact/solve.ts";
import { eq5Conditioning, eq5Digits, eq5DigitsLost } from "./precision.ts";

/** A study problem: its name, inputs and how it was drawn. */
export interface StudyProblem {
  /** e.g. `"4x4x4 small"`. */
  name: string;
  /** `Ni = No`. */
  n: number;
  /** `Nh`. */
  nh: number;
  /** Task singular values `s̃`, descending. */
  sigma: number[];
  /** Typical singular value of `W2W1(0)` (drawn in `scale · [0.5, 1.5)`). */
  scale: number;
  /** Seed of the orthonormal factors. */
  seed: number;
}

/**
 * The study's problems (square, zero-balanced inits with B regular, seeded): small and large init
 * scales, a few sizes, and an equal-spectrum control where Eq. 5 loses nothing. "4x4x4 small" is
 * also the problem of the decimal benchmark and of the study's test.
 */
export const STUDY_PROBLEMS: readonly StudyProblem[] = [
  { name: "2x2x2 small", n: 2, nh: 2, sigma: [2, 0.8], scale: 0.01, seed: 11 },
  { name: "4x4x4 small", n: 4, nh: 4, sigma: [2.5, 1.8, 1.2, 0.6], scale: 0.01, seed: 12 },
  { name: "4x4x4 large", n: 4, nh: 4, sigma: [2.5, 1.8, 1.2, 0.6], scale: 1, seed: 13 },
  { name: "4x6x4 small", n: 4, nh: 6, sigma: [2.5, 1.8, 1.2, 0.6], scale: 0.01, seed: 14 },
  {
    name: "6x6x6 small",
    n: 6,
    nh: 6,
    sigma: [2.5, 2.1, 1.7, 1.3, 0.9, 0.5],
    scale: 0.01,
    seed: 15,
  },
  { name: "4x4x4 equal s", n: 4, nh: 4, sigma: [1.5, 1.5, 1.5, 1.5], scale: 0.1, seed: 16 },
];

/** The study problem named `name`. @throws {InputError} for an unknown name */
export function studyProblem(name: string): StudyProblem {
  const p = STUDY_PROBLEMS.find((q) => q.name === name);
  if (!p) throw new InputError(`no study problem named "${name}"`);
  return p;
}

/** Plain-array inputs (they cross to workers by structured clone). */
export interface ProblemData {
  sigmaYX: number[][];
  w1: number[][];
  w2: number[][];
}

/** What the study evaluates at every point, besides the reference. */
export interface StudySettings {
  /** Correct digits the reference must have (its working digits follow from the rule). */
  referenceTarget: number;
  /** Extra digits of the reference beyond the rule; the cross-check carries `crossCheckExtra` more. */
  referenceMargin: number;
  /** Digits added for the self cross-check of the reference. */
  crossCheckExtra: number;
  /** Working digits of the Theorem 3.1 Decimal cross-check. */
  stableCheckDigits: number;
  /** Fixed working digits of the lower-precision Eq. 5 Decimal runs. */
  lowDigits: number[];
  /** Target digits of the Eq. 5 run at the precision chosen by the rule. */
  ruleTarget: number;
}

/** Defaults of the study (see README "Precision study"). */
export const DEFAULT_SETTINGS: StudySettings = {
  referenceTarget: 50,
  referenceMargin: 5,
  crossCheckExtra: 15,
  stableCheckDigits: 50,
  lowDigits: [20, 30, 50],
  ruleTarget: 12,
};

/** One measured point of the CSV. */
export interface StudyRow {
  problem: string;
  /**
   * `eq5_f64`, `thm31_f64`, `bfree_f64`, `bfree_stable_f64`, `eq5_decimal`, `eq5_rule`,
   * `eq5_check`, `thm31_decimal`, `eq5_reference`; on the λ axis (`stability_lambda.ts`)
   * `lambda_riccati_f64`, `lambda_f64`, `lambda_echelon_f64`, `lambda_riccati_decimal`,
   * `lambda_decimal`, `lambda_check`, `lambda_riccati_reference`.
   */
  method: string;
  /** Working significant digits (f64: 16). */
  digits: number;
  /** `t/τ`. */
  t: number;
  /** `‖X − ref‖_F / ‖ref‖_F` (NaN when the method failed). */
  rel_error: number;
  /** `ok`, or why the method produced no finite result (error name). */
  status: string;
  /** Predicted digits lost by Eq. 5 at this `t` (precision rule). */
  predicted_lost: number;
  /** Wall time of the evaluation in ms. */
  ms: number;
}

/** A point to evaluate: a problem and a time. */
export interface PointTask {
  problem: StudyProblem;
  data: ProblemData;
  t: number;
  settings: StudySettings;
}

function mul(a: Matrix, b: Matrix, transB = false): Matrix {
  return matmul(a, b, { transB });
}

function scaleCols(a: Matrix, d: number[]): Matrix {
  return Matrix.fromFunction(a.rows, a.cols, (i, j) => a.get(i, j) * d[j]);
}

/**
 * Draws a problem: `Σyx = Ũ diag(s̃) Ṽᵀ` with the given spectrum and Haar factors, and a
 * zero-balanced init `W1 = R S^{1/2} Vᵀ`, `W2 = U S^{1/2} Rᵀ` (MATH.md) with `B` non-singular
 * (`sign det W2W1(0) = sign det Σyx`, forced by flipping a column of `U`), as Eq. 5 and
 * Theorem 3.1 both require.
 */
export function buildProblem(p: StudyProblem): ProblemData {
  const rng = new Random(p.seed);
  const n = p.n;
  const ut = rng.orthonormal(n, n), vt = rng.orthonormal(n, n);
  let u = rng.orthonormal(n, n);
  const v = rng.orthonormal(n, n), r = rng.orthonormal(p.nh, n);
  const s = Array.from({ length: n }, () => p.scale * (0.5 + rng.uniform()));
  // B is singular exactly when sign det W2W1(0) ≠ sign det Σyx (MATH.md), i.e. when
  // det U · det V · det Ũ · det Ṽ < 0.
  if (det(u) * det(v) * det(ut) * det(vt) < 0) {
    u = scaleCols(u, Array.from({ length: n }, (_, j) => j === 0 ? -1 : 1));
  }
  const half = s.map(Math.sqrt);
  return {
    sigmaYX: mul(scaleCols(ut, p.sigma), vt, true).toArray(),
    w1: mul(scaleCols(r, half), v, true).toArray(),
    w2: mul(scaleCols(u, half), r, true).toArray(),
  };
}

/** The problem's inputs as matrices (whitened inputs: `Σxx = I`). */
export function problemInputs(d: ProblemData): ExactInputs {
  const sigmaYX = Matrix.from(d.sigmaYX, "Σyx");
  return {
    sigmaYX,
    sigmaXX: Matrix.identity(sigmaYX.cols),
    w1: Matrix.from(d.w1, "W1"),
    w2: Matrix.from(d.w2, "W2"),
  };
}

/**
 * `‖a − b‖_F / ‖b‖_F` in Decimal at the precision of `b`'s entries (`a` may come from another
 * precision: its digits are used exactly).
 */
export function decimalRelativeError(a: DecimalMatrix, b: DecimalMatrix): number {
  const D = b.data[0].constructor as typeof Decimal;
  let num = new D(0), den = new D(0);
  for (let k = 0; k < b.data.length; k++) {
    const d = new D(a.data[k]).minus(b.data[k]);
    num = num.plus(d.times(d));
    den = den.plus(b.data[k].times(b.data[k]));
  }
  return num.div(den).sqrt().toNumber();
}

/**
 * `QQᵀ(t)` of `method` in `be` (handle in `be`'s storage; call inside `be.scoped`). Eq. 5 in
 * Decimal skips the assumption checks (`prepareExact` runs them in f64 on the same inputs at
 * every point; in Decimal at hundreds of digits they would cost more than the formula).
 */
function qqt<M>(be: Backend<M>, inp: ExactInputs, method: ExactMethod, t: number): M {
  if (method === "fukumizu" && be !== (f64Backend as unknown)) {
    return fukumizuSolution(be, inp, checkShapes(inp)).at(t);
  }
  return prepareExact(be, inp, { method }).at(t);
}

/** Runs `fn`, timing it; a thrown error or a non-finite result becomes a failed status. */
function attempt(
  fn: () => DecimalMatrix | Matrix,
  ref: DecimalMatrix,
  refBe: Backend<DecimalMatrix>,
) {
  const t0 = performance.now();
  try {
    const x = fn();
    const ms = performance.now() - t0;
    if (x instanceof Matrix && !x.isFinite()) return { rel: NaN, status: "overflow", ms };
    const dx = x instanceof Matrix ? refBe.from(x) : x;
    return { rel: decimalRelativeError(dx, ref), status: "ok", ms };
  } catch (e) {
    return { rel: NaN, status: (e as Error).name || "Error", ms: performance.now() - t0 };
  }
}

/** Working digits of the reference at `t` (the rule for `referenceTarget` plus the margin). */
export function referenceDigits(inp: ExactInputs, t: number, s: StudySettings): number {
  return eq5Digits(eq5Conditioning(inp), t, s.referenceTarget) + s.referenceMargin;
}

/**
 * Every method at one point against the reference (Eq. 5 in Decimal at
 * {@link referenceDigits}): f64 Eq. 5, Theorem 3.1, B-free and stable B-free; Eq. 5 in Decimal at each of
 * `lowDigits` and at the digits the rule asks for `ruleTarget`; and the reference's cross-checks
 * (itself with `crossCheckExtra` more digits, Theorem 3.1 in Decimal).
 */
export function evaluatePoint(task: PointTask): StudyRow[] {
  const { problem, t, settings: s } = task;
  const inp = problemInputs(task.data);
  const cond = eq5Conditioning(inp);
  const predicted = eq5DigitsLost(cond, t);
  const refDigits = referenceDigits(inp, t, s);
  const refBe = decimalBackend(refDigits);
  const t0 = performance.now();
  const ref = qqt(refBe, inp, "fukumizu", t);
  const refMs = performance.now() - t0;
  const rows: StudyRow[] = [{
    problem: problem.name,
    method: "eq5_reference",
    digits: refDigits,
    t,
    rel_error: 0,
    status: "ok",
    predicted_lost: predicted,
    ms: refMs,
  }];
  const add = (method: string, digits: number, fn: () => DecimalMatrix | Matrix) => {
    const r = attempt(fn, ref, refBe);
    rows.push({
      problem: problem.name,
      method,
      digits,
      t,
      rel_error: r.rel,
      status: r.status,
      predicted_lost: predicted,
      ms: r.ms,
    });
  };
  const f64 = (method: ExactMethod) => () =>
    f64Backend.scoped(() => f64Backend.toMatrix(qqt(f64Backend, inp, method, t)));
  const dec = (digits: number, method: ExactMethod) => () =>
    qqt(decimalBackend(digits), inp, method, t);
  add("eq5_f64", 16, f64("fukumizu"));
  add("thm31_f64", 16, f64("stable"));
  add("bfree_f64", 16, f64("bfree"));
  add("bfree_stable_f64", 16, f64("bfree-stable"));
  for (const d of s.lowDigits) add("eq5_decimal", d, dec(d, "fukumizu"));
  const ruleDigits = eq5Digits(cond, t, s.ruleTarget);
  add("eq5_rule", ruleDigits, dec(ruleDigits, "fukumizu"));
  add("eq5_check", refDigits + s.crossCheckExtra, dec(refDigits + s.crossCheckExtra, "fukumizu"));
  add("thm31_decimal", s.stableCheckDigits, dec(s.stableCheckDigits, "stable"));
  return rows;
}

/**
 * The time grid of a problem: `t = t0 · 2^{k/2}` up to the first point where Eq. 5 in f64
 * overflows (non-finite entries or a failed solve), that point included, capped at `tMax`.
 */
export function timeGrid(inp: ExactInputs, t0: number, tMax: number): number[] {
  const grid: number[] = [];
  for (let k = 0;; k++) {
    const t = t0 * 2 ** (k / 2);
    if (t > tMax) break;
    grid.push(t);
    let finite: boolean;
    try {
      finite = f64Backend.scoped(() =>
        f64Backend.toMatrix(qqt(f64Backend, inp, "fukumizu", t)).isFinite()
      );
    } catch {
      finite = false;
    }
    if (!finite) break;
  }
  return grid;
}

/** `−log10` of an error, Infinity for an exact match. */
export function digitsOf(err: number): number {
  return err > 0 ? -Math.log10(err) : Infinity;
}

/** Least-squares slope of `y` against `x`. */
function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p[0], 0) / n;
  const my = points.reduce((a, p) => a + p[1], 0) / n;
  let sxy = 0, sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
  }
  return sxy / sxx;
}

/** When a method loses half of f64's digits and when it fails, on the grid. */
export interface Breakdown {
  /** First `t` with `err ≥ 1e-8` (or no result). */
  halfDigitsT: number | null;
  /** First `t` with `err ≥ 0.1` (no correct digit) or no finite result. */
  failT: number | null;
  /** First `t` without a finite result (overflow, singular solve). */
  noResultT: number | null;
  /** Largest error over the grid points before `failT`. */
  maxBeforeFail: number;
  /** Largest finite error over the grid (a wrong answer returned without complaint). */
  maxFinite: number;
}

/** Summary of one problem (numbers quoted in the summary text and the README). */
export interface ProblemSummary {
  problem: string;
  sigma: number[];
  scale: number;
  /** Predicted digits lost per unit `t/τ`: `2 (s̃_max − s̃_min) / ln 10`. */
  predictedRate: number;
  /** Measured digits lost per unit `t/τ` by Eq. 5 in f64 (fit over measurable points). */
  measuredRateF64: number | null;
  /** Same for Eq. 5 in Decimal at the highest of the low precisions. */
  measuredRateDecimal: number | null;
  eq5F64: Breakdown;
  bfreeF64: Breakdown;
  /** Largest error of Theorem 3.1 in f64 over the grid (Infinity if it ever failed). */
  maxThm31F64: number;
  /** Same for the stable B-free form in f64. */
  maxBfreeStableF64: number;
  /** Largest error of Eq. 5 at the rule's precision (target `ruleTarget` digits). */
  maxRule: number;
  /**
   * Largest excess of the measured loss over the rule's `lost(t)`, in digits, over every
   * measurable Eq. 5 point (f64 and Decimal). Measured loss = `log10(err / u)`, `u` the unit
   * roundoff (`2^−53`, or `10^−(digits + guard)`); negative = the rule is conservative.
   */
  ruleExcess: number;
  /** Fewest digits of agreement of the reference with its cross-checks. */
  agreementSelf: number;
  agreementThm31: number;
  /** {@link balanceDefect} of the inputs (what limits `agreementThm31`). */
  balanceDefect: number;
  /** Largest `t` of the grid and the reference digits used there. */
  tMax: number;
  referenceDigitsAtTMax: number;
}

/**
 * Zero-balance defect of the (f64) inputs, `max|W1W1ᵀ − W2ᵀW2| / max|W1W1ᵀ|`, computed exactly
 * (in Decimal): Eq. 5 and Theorem 3.1 are exact solutions only for balanced inputs, so on
 * inputs balanced to this level they can agree only to about this level.
 */
export function balanceDefect(d: ProblemData): number {
  const be = decimalBackend(60);
  const inp = problemInputs(d);
  const w1 = be.from(inp.w1), w2 = be.from(inp.w2);
  const a = be.matmul(w1, w1, false, true), b = be.matmul(w2, w2, true, false);
  return be.maxAbs(be.sub(a, b)) / be.maxAbs(a);
}

/** `log10` of the unit roundoff of a study row's arithmetic. */
function log10Unit(r: StudyRow): number {
  return r.method.endsWith("_f64") ? -53 * Math.log10(2) : -(r.digits + GUARD_DIGITS);
}

/**
 * Whether a row's error measures the method and not the reference: above 100 times the
 * reference's own error (estimated by its cross-check with more digits) and above 100 units of
 * the method's precision, and below total failure (`1e-2`).
 */
export function measurable(r: StudyRow, refErr: number): boolean {
  return r.status === "ok" && r.rel_error > 100 * refErr &&
    Math.log10(r.rel_error) > 2 + log10Unit(r) && r.rel_error < 1e-2;
}

/** When a method (its rows, sorted by `t`) loses half of f64's digits and when it fails. */
export function breakdownOf(rs: readonly StudyRow[]): Breakdown {
  const failed = (r: StudyRow) => r.status !== "ok" || !(r.rel_error < 0.1);
  const failT = rs.find(failed)?.t ?? null;
  return {
    halfDigitsT: rs.find((r) => failed(r) || r.rel_error >= 1e-8)?.t ?? null,
    failT,
    noResultT: rs.find((r) => r.status !== "ok")?.t ?? null,
    maxBeforeFail: rs.filter((r) => failT === null || r.t < failT)
      .reduce((m, r) => Math.max(m, r.rel_error), 0),
    maxFinite: rs.filter((r) => r.status === "ok").reduce((m, r) => Math.max(m, r.rel_error), 0),
  };
}

/**
 * Digits lost per unit `t/τ`: the least-squares slope of `log10(error)` against `t` over
 * measurable rows (see {@link measurable}); `null` with fewer than two.
 */
export function measuredRate(rs: readonly StudyRow[]): number | null {
  const pts = rs.map((r): [number, number] => [r.t, Math.log10(r.rel_error)]);
  return pts.length >= 2 ? slope(pts) : null;
}

/** Largest error over rows, `Infinity` if any row failed. */
export function maxError(rs: readonly StudyRow[]): number {
  return rs.reduce((m, r) => Math.max(m, r.status === "ok" ? r.rel_error : Infinity), 0);
}

/** Summarises the rows of one problem. */
export function summarise(
  problem: StudyProblem,
  rows: StudyRow[],
  s: StudySettings,
): ProblemSummary {
  const of = (method: string, digits?: number) =>
    rows.filter((r) => r.method === method && (digits === undefined || r.digits === digits))
      .sort((a, b) => a.t - b.t);
  const refErr = new Map(of("eq5_check").map((r) => [r.t, r.rel_error]));
  const ok = (r: StudyRow) => measurable(r, refErr.get(r.t) ?? 0);
  const rate = (rs: StudyRow[]) => measuredRate(rs.filter(ok));
  let excess = -Infinity;
  for (const r of rows) {
    if (["eq5_f64", "eq5_decimal", "eq5_rule"].includes(r.method) && ok(r)) {
      excess = Math.max(excess, Math.log10(r.rel_error) - log10Unit(r) - r.predicted_lost);
    }
  }
  const refRows = of("eq5_reference");
  const last = refRows[refRows.length - 1];
  const sigma = problem.sigma;
  return {
    problem: problem.name,
    sigma,
    scale: problem.scale,
    predictedRate: (2 * (sigma[0] - sigma[sigma.length - 1])) / Math.LN10,
    measuredRateF64: rate(of("eq5_f64")),
    measuredRateDecimal: rate(of("eq5_decimal", Math.max(...s.lowDigits))),
    eq5F64: breakdownOf(of("eq5_f64")),
    bfreeF64: breakdownOf(of("bfree_f64")),
    maxThm31F64: maxError(of("thm31_f64")),
    maxBfreeStableF64: maxError(of("bfree_stable_f64")),
    maxRule: maxError(of("eq5_rule")),
    ruleExcess: excess,
    agreementSelf: Math.min(...of("eq5_check").map((r) => digitsOf(r.rel_error))),
    agreementThm31: Math.min(...of("thm31_decimal").map((r) => digitsOf(r.rel_error))),
    balanceDefect: balanceDefect(buildProblem(problem)),
    tMax: last.t,
    referenceDigitsAtTMax: last.digits,
  };
}
