/**
 * The precision study's λ axis (`deno task stability`, README "Precision study"): for
 * λ-balanced weights, the naive Riccati form (`lambda-riccati`, growing exponentials, the λ
 * analogue of Eq. 5) against the bounded λ form (`lambda`) in f64 and in Decimal.
 *
 * Each case takes a study problem's task and the network function `W2W1(0)` of its zero-balanced
 * init, and rebalances the same product to `W2ᵀW2 − W1W1ᵀ = λI` (same hidden rotation); so the
 * λ = 0 case is the zero-balanced study problem itself. The reference is the naive form in
 * Decimal at `referenceTarget` plus the digits it is predicted to lose (its own error estimate,
 * `log10(errorAt(t)/u)`) plus a margin; the bounded form in Decimal cross-checks it (an
 * independent formula, so agreement to the inputs' balance level validates both).
 *
 * Predicted loss of the naive form: `2(μ_max − ω_min)t/τ / ln 10` digits, `μ = √(s̃² + λ²/4)`
 * (`lambda_riccati.ts`). At λ ≠ 0 the spread `μ_max − μ_min` is smaller than Eq. 5's
 * `s̃_max − s̃_min` (`μ` compresses the spectrum towards `|λ|/2`), so large `|λ|` loses digits
 * more slowly.
 *
 * @module
 */
import { decimalBackend, type DecimalMatrix } from "./linalg/decimal.ts";
import { f64Backend } from "./linalg/f64.ts";
import { Matrix } from "./matrix.ts";
import { lambdaBalancedFromProduct } from "./init/lambda_balanced.ts";
import type { ExactInputs } from "./exact/assumptions.ts";
import { type ExactMethod, prepareExact } from "./exact/solve.ts";
import { svd } from "./linalg/svd.ts";
import { matmul } from "./linalg/blas.ts";
import {
  type Breakdown,
  breakdownOf,
  buildProblem,
  decimalRelativeError,
  digitsOf,
  maxError,
  measurable,
  measuredRate,
  type ProblemData,
  problemInputs,
  type StudyProblem,
  studyProblem,
  type StudyRow,
} from "./stability.ts";

/** One case of the λ axis: a study problem and a balance λ. */
export interface LambdaCase {
  /** Name in the CSV, e.g. `"4x4x4 small, λ = 2"`. */
  name: string;
  /** The zero-balanced study problem it is built from. */
  base: StudyProblem;
  lambda: number;
}

/** Settings of the λ axis. */
export interface LambdaSettings {
  /** Correct digits the reference must have. */
  referenceTarget: number;
  /** Extra digits of the reference beyond its predicted loss. */
  referenceMargin: number;
  /** Working digits of the Decimal runs of both forms (the naive one at fixed precision). */
  decimalDigits: number;
  /** Working digits of the bounded form's Decimal cross-check of the reference. */
  checkDigits: number;
}

/** Defaults of the λ axis. */
export const LAMBDA_SETTINGS: LambdaSettings = {
  referenceTarget: 40,
  referenceMargin: 5,
  decimalDigits: 30,
  checkDigits: 50,
};

/** The λ values of the study's λ axis, each on the "4x4x4 small" problem. */
export const STUDY_LAMBDAS: readonly number[] = [-2, 0.5, 2, 8];

/** The cases of the λ axis (`base` × `lambdas`). */
export function lambdaCases(
  base = "4x4x4 small",
  lambdas: readonly number[] = STUDY_LAMBDAS,
): LambdaCase[] {
  const p = studyProblem(base);
  return lambdas.map((lambda) => ({ name: `${p.name}, λ = ${lambda}`, base: p, lambda }));
}

/**
 * The case's inputs: the base problem's task, and its `W2W1(0)` rebalanced to λ with the hidden
 * rotation `R` read off the zero-balanced `W1 = R S^½ Vᵀ` (`R = W1 V S^{−½}`).
 */
export function buildLambdaCase(c: LambdaCase): ProblemData {
  const zero = problemInputs(buildProblem(c.base));
  const m = matmul(zero.w2, zero.w1);
  const { s, v } = svd(m);
  const w1v = matmul(zero.w1, v);
  const r = Matrix.fromFunction(w1v.rows, w1v.cols, (i, j) => w1v.get(i, j) / Math.sqrt(s[j]));
  const w = lambdaBalancedFromProduct(m, c.lambda, r);
  return { sigmaYX: zero.sigmaYX.toArray(), w1: w.w1.toArray(), w2: w.w2.toArray() };
}

/** Digits the naive form is predicted to lose at `t/τ` (its own error estimate over `u`). */
export function riccatiPredictedLoss(inp: ExactInputs, t: number): number {
  return f64Backend.scoped(() => {
    const sol = prepareExact(f64Backend, inp, { method: "lambda-riccati" });
    return Math.max(0, Math.log10(sol.errorAt(t) / 2 ** -53));
  });
}

/** A point of the λ axis. */
export interface LambdaPointTask {
  kase: LambdaCase;
  data: ProblemData;
  t: number;
  settings: LambdaSettings;
}

/** Working digits of the reference at `t`. */
export function lambdaReferenceDigits(inp: ExactInputs, t: number, s: LambdaSettings): number {
  return Math.ceil(s.referenceTarget + riccatiPredictedLoss(inp, t) + s.referenceMargin);
}

/**
 * Both forms at one point against the reference (the naive form in Decimal at
 * {@link lambdaReferenceDigits}): `lambda_riccati_f64`, `lambda_f64`, the echelon λ form
 * `lambda_echelon_f64` (bounded too, valid at the saddle analogue), both forms in Decimal at
 * `decimalDigits` (`lambda_riccati_decimal`, `lambda_decimal`), and the bounded form at
 * `checkDigits` (`lambda_check`). Rows as the study's CSV (`predicted_lost` is the naive form's).
 */
export function evaluateLambdaPoint(task: LambdaPointTask): StudyRow[] {
  const { kase, t, settings: s } = task;
  const inp = problemInputs(task.data);
  const predicted = riccatiPredictedLoss(inp, t);
  const refDigits = lambdaReferenceDigits(inp, t, s);
  const refBe = decimalBackend(refDigits);
  const row = (method: string, digits: number, rel: number, status: string, ms: number) => ({
    problem: kase.name,
    method,
    digits,
    t,
    rel_error: rel,
    status,
    predicted_lost: predicted,
    ms,
  });
  const t0 = performance.now();
  const ref = refBe.scoped(() => prepareExact(refBe, inp, { method: "lambda-riccati" }).at(t));
  const rows: StudyRow[] = [
    row("lambda_riccati_reference", refDigits, 0, "ok", performance.now() - t0),
  ];
  const add = (name: string, digits: number, method: ExactMethod) => {
    const start = performance.now();
    try {
      const x: DecimalMatrix | Matrix = digits === 16
        ? f64Backend.scoped(() =>
          f64Backend.toMatrix(prepareExact(f64Backend, inp, { method, minDigits: 0 }).at(t))
        )
        : prepareExact(decimalBackend(digits), inp, { method, minDigits: 0 }).at(t);
      const ms = performance.now() - start;
      if (x instanceof Matrix && !x.isFinite()) {
        rows.push(row(name, digits, NaN, "overflow", ms));
        return;
      }
      const dx = x instanceof Matrix ? refBe.from(x) : x;
      rows.push(row(name, digits, decimalRelativeError(dx, ref), "ok", ms));
    } catch (e) {
      rows.push(row(name, digits, NaN, (e as Error).name || "Error", performance.now() - start));
    }
  };
  add("lambda_riccati_f64", 16, "lambda-riccati");
  add("lambda_f64", 16, "lambda");
  add("lambda_echelon_f64", 16, "lambda-echelon");
  add("lambda_riccati_decimal", s.decimalDigits, "lambda-riccati");
  add("lambda_decimal", s.decimalDigits, "lambda");
  add("lambda_check", s.checkDigits, "lambda");
  return rows;
}

/** Summary of one λ case (quoted in the summary text and the README). */
export interface LambdaSummary {
  problem: string;
  lambda: number;
  /** Predicted digits lost per unit `t/τ` by the naive form, `2(μ_max − ω_min)/ln 10`. */
  predictedRate: number;
  /** Measured (fit over measurable points) in f64 and in Decimal at `decimalDigits`. */
  measuredRateF64: number | null;
  measuredRateDecimal: number | null;
  /** When the naive form in f64 loses half its digits and fails. */
  riccatiF64: Breakdown;
  /** Largest error of the bounded form in f64 and in Decimal over the grid. */
  maxLambdaF64: number;
  /** Largest error of the echelon λ form in f64 over the grid. */
  maxEchelonF64: number;
  maxLambdaDecimal: number;
  /** Fewest digits of agreement of the reference with the bounded form in Decimal. */
  agreementCheck: number;
  /** Largest `t` and the reference digits there. */
  tMax: number;
  referenceDigitsAtTMax: number;
}

/** Summarises the rows of one λ case. */
export function summariseLambda(kase: LambdaCase, rows: readonly StudyRow[]): LambdaSummary {
  const of = (method: string) =>
    rows.filter((r) => r.problem === kase.name && r.method === method).sort((a, b) => a.t - b.t);
  const refErr = new Map(of("lambda_check").map((r) => [r.t, r.rel_error]));
  const rate = (method: string) =>
    measuredRate(of(method).filter((r) => measurable(r, refErr.get(r.t) ?? 0)));
  const refs = of("lambda_riccati_reference"), last = refs[refs.length - 1];
  // The predicted loss is affine in t: its slope is the predicted rate.
  const first = refs[0];
  return {
    problem: kase.name,
    lambda: kase.lambda,
    predictedRate: (last.predicted_lost - first.predicted_lost) / (last.t - first.t),
    measuredRateF64: rate("lambda_riccati_f64"),
    measuredRateDecimal: rate("lambda_riccati_decimal"),
    riccatiF64: breakdownOf(of("lambda_riccati_f64")),
    maxLambdaF64: maxError(of("lambda_f64")),
    maxEchelonF64: maxError(of("lambda_echelon_f64")),
    maxLambdaDecimal: maxError(of("lambda_decimal")),
    agreementCheck: Math.min(...of("lambda_check").map((r) => digitsOf(r.rel_error))),
    tMax: last.t,
    referenceDigitsAtTMax: last.digits,
  };
}
