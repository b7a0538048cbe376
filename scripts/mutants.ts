/**
 * The mutants of `deno task mutate` (scripts/mutate.ts): realistic one-line bugs, each an exact
 * snippet of a source file and its replacement, with why it is a bug someone could write and
 * the test files that should notice it. A mutant marked `equivalent` cannot change any result
 * on valid input; the note says why (the harness then expects it to survive).
 *
 * Keep every `original` unique in its file: the harness (and test/mutants_test.ts, part of the
 * default suite) fails loudly when a snippet is missing or ambiguous, so a refactoring that
 * moves the code must update this list.
 *
 * @module
 */

/** One mutant. */
export interface Mutant {
  /** Short unique name (`--only` selects by it). */
  id: string;
  /** Repository-relative path of the mutated file. */
  file: string;
  /** An exact snippet of one line of `file`, occurring exactly once in it. */
  original: string;
  /** What replaces it (one line; may be empty). */
  replacement: string;
  /** Why this is a realistic bug. */
  why: string;
  /** Test files (repository-relative) run against this mutant; `--full` runs all of test/. */
  tests: string[];
  /** When set, the mutant cannot change behaviour on valid input, and this says why. */
  equivalent?: string;
}

const TRAIN_TESTS = ["test/gd_test.ts", "test/sequence_test.ts", "test/time_scale_test.ts"];
const EXACT_TESTS = [
  "test/exact_stable_test.ts",
  "test/exact_bfree_test.ts",
  "test/exact_aligned_test.ts",
  "test/exact_applications_test.ts",
  "test/exact_fukumizu_test.ts",
  "test/exact_assumptions_test.ts",
  "test/time_scale_test.ts",
  "test/forgetting_test.ts",
  "test/exact_routing_test.ts",
];
const PROPERTIES = ["test/properties/properties_test.ts"];
const PRECISION_TESTS = [
  "test/precision_rule_test.ts",
  "test/exact_fukumizu_test.ts",
  "test/stability_test.ts",
];
const DECIMAL_TESTS = ["test/decimal_backend_test.ts", "test/decimal_properties_test.ts"];

/** The list `deno task mutate` runs. */
export const MUTANTS: Mutant[] = [
  // ---- src/train/ ----
  {
    id: "simulate-steps-ignore-tau",
    file: "src/train/simulate.ts",
    original: "const k = Math.round(t / (eta * tau));",
    replacement: "const k = Math.round(t / eta);",
    why: "step count from the time axis without τ (t/τ = kη): right whenever τ = 1",
    tests: TRAIN_TESTS,
  },
  {
    id: "simulate-times-ignore-tau",
    file: "src/train/simulate.ts",
    original: "const timeOf = (k: number) => (start + k) * eta * tau;",
    replacement: "const timeOf = (k: number) => (start + k) * eta;",
    why: "reported time of step k forgets τ",
    tests: TRAIN_TESTS,
  },
  {
    id: "sequence-clock-restarts",
    file: "src/train/sequence.ts",
    original: "startStep: j * options.steps,",
    replacement: "startStep: 0,",
    why: "each task's run restarts the clock instead of continuing it",
    tests: TRAIN_TESTS,
  },
  {
    id: "sequence-skip-inverted",
    file: "src/train/sequence.ts",
    original: "const skip = j === 0 ? 0 : 1;",
    replacement: "const skip = j === 0 ? 1 : 0;",
    why: "inverted condition: drops the initial state, repeats each task's start",
    tests: TRAIN_TESTS,
  },
  {
    id: "schedule-every-k-inclusive",
    file: "src/train/schedule.ts",
    original: "for (let s = 0; s < steps; s += k) out.push(s);",
    replacement: "for (let s = 0; s <= steps; s += k) out.push(s);",
    why: "off-by-one: the last step is recorded twice when k divides steps",
    tests: ["test/schedule_test.ts", "test/gd_test.ts"],
  },
  // ---- src/exact/ ----
  {
    id: "bfree-horizon-ignore-tau",
    file: "src/exact/solve.ts",
    original: "const prepOptions = { horizon: Math.max(0, largest(times)) / tau, ...options };",
    replacement: "const prepOptions = { horizon: Math.max(0, largest(times)), ...options };",
    why: "the B-free accuracy estimate uses t instead of t/τ (refuses or warns wrongly)",
    tests: EXACT_TESTS,
  },
  {
    id: "auto-threshold-1000",
    file: "src/exact/solve.ts",
    original: "export const AUTO_STABLE_CONDITION = 100;",
    replacement: "export const AUTO_STABLE_CONDITION = 1000;",
    why: "auto keeps Theorem 3.1 up to cond(B) = 1000, where it loses ~6 digits (7e-17·cond²)",
    tests: EXACT_TESTS,
  },
  {
    id: "forgetting-table-transposed",
    file: "src/exact/continual.ts",
    original: "tasks.map((ti) => tasks.map((tj) => taskLoss(ti, tj.sigmaYX)))",
    replacement: "tasks.map((ti) => tasks.map((tj) => taskLoss(tj, ti.sigmaYX)))",
    why: "index order swapped: Lj(Ti) instead of Li(Tj) (invisible without target noise)",
    tests: [...EXACT_TESTS, "test/sequence_test.ts"],
  },
  {
    id: "modes-c-sign",
    file: "src/exact/modes.ts",
    original: "c = be.sub(utu, vtv);",
    replacement: "c = be.sub(vtv, utu);",
    why: "C = VᵀṼ − UᵀŨ: the sign convention of C flipped",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "stable-d-term-no-time",
    file: "src/exact/stable.ts",
    original: "if (h2) inner = be.add(inner, be.scale(h2, 4 * x));",
    replacement: "if (h2) inner = be.add(inner, be.scale(h2, 4));",
    why: "drops the t/τ of Theorem 3.1's 4(t/τ) E B⁻¹DB⁻ᵀ E term (rectangular problems only)",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "bfree-d-term-factor",
    file: "src/exact/bfree.ts",
    original: "if (d) mbar = be.add(mbar, be.scale(d, 4 * x));",
    replacement: "if (d) mbar = be.add(mbar, be.scale(d, 2 * x));",
    why: "wrong constant in M̄'s 4(t/τ)D term (rectangular problems only)",
    tests: EXACT_TESTS,
  },
  {
    id: "bfree-stable-d-term-twice-scaled",
    file: "src/exact/bfree_stable.ts",
    original: "if (h2) inner = be.add(inner, be.scale(h2, x));",
    replacement: "if (h2) inner = be.add(inner, be.scale(h2, 4 * x));",
    why: "the factor 4 applied again although h2 already carries it",
    tests: EXACT_TESTS,
  },
  {
    id: "fukumizu-missing-half",
    file: "src/exact/fukumizu.ts",
    original: "be.scale(be.matmul(q0, be.matmul(mid, q0), true, false), 0.5)",
    replacement: "be.scale(be.matmul(q0, be.matmul(mid, q0), true, false), 1)",
    why: "Eq. 5's ½ in the bracket dropped",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "evaluate-ignores-tau",
    file: "src/exact/solution.ts",
    original: "const xs = times.map((t) => Math.min(t / tau, T_OVER_TAU_MAX));",
    replacement: "const xs = times.map((t) => Math.min(t, T_OVER_TAU_MAX));",
    why: "every exact form evaluated at t instead of t/τ",
    tests: EXACT_TESTS,
  },
  {
    id: "shallow-ignores-tau",
    file: "src/exact/shallow.ts",
    original: "const f = Math.exp(-t / tau);",
    replacement: "const f = Math.exp(-t);",
    why: "the shallow closed form's decay e^{−t/τ} without τ",
    tests: [...EXACT_TESTS, "test/gd_test.ts"],
  },
  {
    id: "aligned2x2-ignores-tau",
    file: "src/exact/aligned.ts",
    original: "const e1 = Math.exp(-s1 * t / tau), e2 = Math.exp(-s2 * t / tau);",
    replacement: "const e1 = Math.exp(-s1 * t), e2 = Math.exp(-s2 * t);",
    why: "the explicit 2×2 form's decays without τ (the g terms keep it)",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "eq15-ignores-tau",
    file: "src/exact/aligned.ts",
    original: "return (s * init.a1) / (Math.exp(-2 * s * t / tau) * (s - sum) + sum);",
    replacement: "return (s * init.a1) / (Math.exp(-2 * s * t) * (s - sum) + sum);",
    why: "the paper's Eq. 15 evaluated at t instead of t/τ",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "tpeak-paper-ignores-tau",
    file: "src/exact/aligned.ts",
    original: "return arg > 0 ? (tau / (4 * s)) * Math.log(arg) : NaN;",
    replacement: "return arg > 0 ? (1 / (4 * s)) * Math.log(arg) : NaN;",
    why: "the paper's t_peak in units of τ, returned as a time",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "tpeak-exact-ignores-tau",
    file: "src/exact/aligned.ts",
    original: "return arg > 1 ? (tau / (4 * s)) * Math.log(arg) : 0;",
    replacement: "return arg > 1 ? (1 / (4 * s)) * Math.log(arg) : 0;",
    why: "the exact t_peak in units of τ, returned as a time",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "tpeak-exact-drops-delta",
    file: "src/exact/aligned.ts",
    original: "const arg = (s * (s - a1 - a2) + det) / det;",
    replacement: "const arg = (s * (s - a1 - a2)) / det;",
    why: "the exact t_peak replaced by the paper's small-init approximation",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "limit-wrong-basis",
    file: "src/exact/limit.ts",
    original: "be.matmul(be.scaleCols(m.zSum, m.st), m.zSum, false, true)",
    replacement: "be.matmul(be.scaleCols(m.zDiff, m.st), m.zSum, false, true)",
    why: "[−Ṽ; Ũ] taken for [Ṽ; Ũ]: the limit's W2W1 comes out as −Σyx",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "weights-no-sqrt",
    file: "src/exact/weights.ts",
    original: "s.data[j] > floor ? Math.sqrt(s.data[j]) : 0",
    replacement: "s.data[j] > floor ? s.data[j] : 0",
    why: "the factor Q of QQᵀ scaled by the eigenvalues instead of their square roots",
    tests: [...EXACT_TESTS, ...PROPERTIES],
  },
  {
    id: "reversal-saddle-is-task",
    file: "src/exact/reversal.ts",
    original: "saddle: sub(1),",
    replacement: "saddle: sub(0),",
    why: "the predicted saddle is the learned task instead of the task with the modes removed",
    tests: EXACT_TESTS,
  },
  {
    id: "lambda-mu-without-half",
    file: "src/exact/lambda_modes.ts",
    original: "be.scale(be.identity(nm), Math.abs(lambda) / 2)]),",
    replacement: "be.scale(be.identity(nm), Math.abs(lambda))]),",
    why: "μ = √(s̃² + λ²) instead of √(s̃² + λ²/4) for the λ-balanced rates",
    tests: ["test/exact_lambda_test.ts", ...PROPERTIES],
  },
  {
    id: "lambda-perp-rate-sign",
    file: "src/exact/lambda_modes.ts",
    original: "nu: no > ni ? lambda / 2 : ni > no ? -lambda / 2 : 0,",
    replacement: "nu: no > ni ? -lambda / 2 : ni > no ? lambda / 2 : 0,",
    why: "the ⊥ group's rate ±λ/2 attached to the wrong side (Ũ⊥ grows for λ > 0)",
    tests: ["test/exact_lambda_test.ts", ...PROPERTIES],
  },
  {
    id: "deep-aligned-ignores-tau",
    file: "src/exact/deep_aligned.ts",
    original: "const states = times.map((t) => sol.at(t / tau));",
    replacement: "const states = times.map((t) => sol.at(t));",
    why: "the depth-L aligned solution evaluated at t instead of t/τ",
    tests: ["test/exact_deep_test.ts", "test/time_scale_test.ts", ...PROPERTIES],
  },
  // ---- src/task.ts (the loss every figure and table uses) ----
  {
    id: "task-loss-constant-no-half",
    file: "src/task.ts",
    original: "return 0.5 * quad - cross + 0.5 * (task.traceYY ?? syy);",
    replacement: "return 0.5 * quad - cross + (task.traceYY ?? syy);",
    why: "the constant ½ tr Σyy without its ½",
    tests: [...TRAIN_TESTS, ...EXACT_TESTS],
  },
  // ---- the constructors tests build problems with (a bug here is shared by solver and check) ----
  {
    id: "init-root-dropped",
    file: "src/init/zero_balanced.ts",
    original: "const root = new Matrix(s.length, 1, s.map(Math.sqrt));",
    replacement: "const root = new Matrix(s.length, 1, s.map((x) => x));",
    why: "S instead of S^½ in both layers: still balanced, but W2W1(0) = US²Vᵀ ≠ M",
    tests: ["test/init_test.ts", ...PROPERTIES],
  },
  {
    id: "whiten-unbiased-covariance",
    file: "src/tasks/whiten.ts",
    original: "const sigma = scale(matmul(x, x, { transB: true }), 1 / p);",
    replacement: "const sigma = scale(matmul(x, x, { transB: true }), 1 / (p - 1));",
    why: "the unbiased-estimator habit: whitening to XXᵀ/(P−1) = I leaves Σxx = (P−1)/P·I",
    tests: ["test/tasks_test.ts", ...PROPERTIES],
  },
  {
    id: "task-trace-yy-unbiased",
    file: "src/tasks/whiten.ts",
    original: "traceYY: y.normFrobenius() ** 2 / p,",
    replacement: "traceYY: y.normFrobenius() ** 2 / (p - 1),",
    why: "tr Σyy with 1/(P−1): every loss's constant term off",
    tests: ["test/tasks_test.ts", "test/gd_test.ts", ...PROPERTIES],
  },
  // ---- src/precision.ts ----
  {
    id: "precision-kappa-halved",
    file: "src/precision.ts",
    original: "const late = 2 * Math.log10(c.condA) + 2 * Math.log10(c.q0Ratio) +",
    replacement: "const late = Math.log10(c.condA) + 2 * Math.log10(c.q0Ratio) +",
    why: "κ(A) counted once instead of squared in the digits Eq. 5 loses",
    tests: PRECISION_TESTS,
  },
  {
    id: "precision-spread-factor",
    file: "src/precision.ts",
    original: "(2 * (c.sMax - c.sMin) * x) / Math.LN10;",
    replacement: "((c.sMax - c.sMin) * x) / Math.LN10;",
    why: "the growth e^{2(s̃max − s̃min)t/τ} counted without its 2",
    tests: PRECISION_TESTS,
  },
  // ---- asm/ (the WASM core is rebuilt for each) ----
  {
    id: "gd-loss-constant-no-half",
    file: "asm/gd_common.ts",
    original: "return 0.5 * quad - cross + 0.5 * traceYY;",
    replacement: "return 0.5 * quad - cross + traceYY;",
    why: "the WASM loss constant without its ½ (the recorded losses of every GD run)",
    tests: TRAIN_TESTS,
  },
  {
    id: "gd-w2-update-overwrites",
    file: "asm/gd.ts",
    original: "gemm(0, 1, no, nh, ni, eta, e, w1, 1, w2);",
    replacement: "gemm(0, 1, no, nh, ni, eta, e, w1, 0, w2);",
    why: "gemm β = 0 instead of 1: W2 ← ηEW1ᵀ instead of W2 += ηEW1ᵀ",
    tests: TRAIN_TESTS,
  },
  {
    id: "gd-sigma-xx-transposed",
    file: "asm/gd_common.ts",
    original: "gemm(0, 0, k, ni, ni, 1, b, sxx, 0, t);",
    replacement: "gemm(0, 1, k, ni, ni, 1, b, sxx, 0, t);",
    why: "W1Σxxᵀ instead of W1Σxx (a transpose flag; shared by the two-layer and depth-L loops)",
    tests: [...TRAIN_TESTS, "test/deep_gd_test.ts"],
    equivalent: "Σxx = XXᵀ/P is symmetric, so W1Σxxᵀ = W1Σxx for every valid task",
  },
  {
    id: "gd-divergence-step-off-by-one",
    file: "asm/gd.ts",
    original: "if (!correlationResidual(no, ni, nh, syx, sxx, w2, w1, p, e)) return step + 1;",
    replacement: "if (!correlationResidual(no, ni, nh, syx, sxx, w2, w1, p, e)) return step;",
    why: "status 0-based: the divergence is reported one step early (or as success at step 0)",
    tests: TRAIN_TESTS,
  },
  {
    id: "expm-one-squaring-short",
    file: "asm/expm.ts",
    original: "for (let k = 0; k < s; k++) {",
    replacement: "for (let k = 1; k < s; k++) {",
    why: "off-by-one in the squaring loop of scaling and squaring",
    tests: ["test/expm_test.ts", "test/exact_fukumizu_test.ts"],
  },
  {
    id: "lu-pivot-without-abs",
    file: "asm/lu.ts",
    original: "const v = abs(load<f64>(a + ((<usize> (i * n + k)) << 3)));",
    replacement: "const v = load<f64>(a + ((<usize> (i * n + k)) << 3));",
    why: "partial pivoting by value instead of magnitude",
    tests: ["test/lu_test.ts", "test/f64_backend_test.ts"],
  },
  {
    id: "svd-threshold-unscaled",
    file: "asm/svd.ts",
    original: "if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) return 0;",
    replacement: "if (Math.abs(gamma) <= tol * alpha * beta) return 0;",
    why: "Jacobi convergence test not scaled by the column norms (‖a_p‖‖a_q‖ vs ‖a_p‖²‖a_q‖²)",
    tests: ["test/svd_test.ts", "test/f64_backend_test.ts"],
  },
  {
    id: "svd-sign-convention-flipped",
    file: "asm/svd.ts",
    original: "if (load<f64>(ptrAt(col, signPivot(col, n, ldv) * ldv)) < 0) {",
    replacement: "if (load<f64>(ptrAt(col, signPivot(col, n, ldv) * ldv)) > 0) {",
    why: "the documented sign convention of V's columns inverted (the decimal SVD follows it)",
    tests: ["test/svd_test.ts", "test/decimal_backend_test.ts"],
  },
  {
    id: "cholesky-accepts-zero-pivot",
    file: "asm/cholesky.ts",
    original: "if (!(d > 0)) return i + 1;",
    replacement: "if (d < 0) return i + 1;",
    why: "a zero (or NaN) pivot accepted as positive definite",
    tests: ["test/cholesky_test.ts", "test/f64_backend_test.ts"],
  },
  // ---- the decimal backend ----
  {
    id: "decimal-expm-one-squaring-short",
    file: "src/linalg/decimal_expm.ts",
    original: "for (let j = 0; j < s; j++) e = blockMatmul(e, e, bits);",
    replacement: "for (let j = 1; j < s; j++) e = blockMatmul(e, e, bits);",
    why: "off-by-one in the decimal squaring loop",
    tests: DECIMAL_TESTS,
  },
  {
    id: "decimal-expm-no-squaring-digits",
    file: "src/linalg/decimal_expm.ts",
    original: "const w = ctx.wider(Math.ceil(s * Math.LOG10E * Math.LN2) + 1);",
    replacement: "const w = ctx.wider(0);",
    why: "no extra digits for the s squarings, which amplify the Taylor error by 2^s",
    tests: DECIMAL_TESTS,
  },
  {
    id: "decimal-lu-pivot-without-abs",
    file: "src/linalg/decimal_factor.ts",
    original: "if (lu[r * n + c].abs().gt(lu[p * n + c].abs())) p = r;",
    replacement: "if (lu[r * n + c].gt(lu[p * n + c])) p = r;",
    why: "decimal partial pivoting by value instead of magnitude",
    tests: DECIMAL_TESTS,
  },
  {
    id: "decimal-no-guard-digits",
    file: "src/linalg/guard_digits.ts",
    original: "export const GUARD_DIGITS = 6;",
    replacement: "export const GUARD_DIGITS = 0;",
    why: "no guard digits: the requested digits absorb the kernels' rounding loss",
    tests: [...DECIMAL_TESTS, ...PRECISION_TESTS],
  },
  {
    id: "balance-scale-one-sided",
    file: "src/exact/assumptions.ts",
    original: "const scale = Math.max(be.maxAbs(g1), be.maxAbs(g2));",
    replacement: "const scale = be.maxAbs(g1);",
    why: "imbalance relative to W1W1ᵀ only: W1 = 0 with W2 ≠ 0 passes as balanced",
    tests: ["test/exact_assumptions_test.ts", ...EXACT_TESTS],
  },
  // ---- src/io/ and the solve command ----
  {
    id: "csv-crlf-as-two-lines",
    file: "src/io/csv.ts",
    original: 'i += c === "\\r" && text[i + 1] === "\\n" ? 2 : 1;',
    replacement: "i += 1;",
    why: "CRLF line ends read as two line breaks (an empty record after each row)",
    tests: ["test/output_test.ts"],
  },
  {
    id: "csv-quotes-not-doubled",
    file: "src/io/csv.ts",
    original: '? `"${s.replaceAll(\'"\', \'""\')}"` : s;',
    replacement: '? `"${s}"` : s;',
    why: "RFC 4180: quotes inside a quoted field must be doubled",
    tests: ["test/output_test.ts"],
  },
  {
    id: "atomic-keeps-temp-on-error",
    file: "src/io/atomic.ts",
    original: "return Deno.remove(tmp, { recursive: true }).catch(() => {});",
    replacement: "return Promise.resolve();",
    why: "a failed atomic write leaves its temporary file behind",
    tests: ["test/output_test.ts"],
  },
  {
    id: "config-tau-default-zero",
    file: "src/io/config.ts",
    original: 'const tau = o.tau === undefined ? 1 : positive(o.tau, "tau");',
    replacement: 'const tau = o.tau === undefined ? 0 : positive(o.tau, "tau");',
    why: "wrong default for the optional τ",
    tests: ["test/solve_test.ts"],
  },
  {
    id: "solve-cli-times-scaled-twice",
    file: "scripts/solve.ts",
    original: "const r = solveExact(be, c.task, { w1: c.w1, w2: c.w2 }, c.times, {",
    replacement:
      "const r = solveExact(be, c.task, { w1: c.w1, w2: c.w2 }, c.times.map((t) => t / c.tau), {",
    why: "the CLI converts t to t/τ before the library does it again",
    tests: ["test/solve_test.ts", "test/time_scale_test.ts"],
  },
];
