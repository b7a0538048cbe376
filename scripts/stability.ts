/**
 * The precision study: how Eq. 5 (Fukumizu's form) loses accuracy with `t` in f64 and in
 * Decimal arithmetic, against Theorem 3.1 and the B-free form, and how many digits the
 * precision rule (`src/precision.ts`) asks for; and its λ axis (`src/stability_lambda.ts`): the
 * naive Riccati form against the bounded λ form for λ-balanced weights.
 *
 *   deno task stability [--out DIR] [--gallery DIR] [--quiet]
 *
 * Writes `<out>/stability/`: `stability.csv` (every point: problem, method, digits, t,
 * rel_error, status, predicted_lost, ms), `summary.txt`, `figure.svg`, `figure.png` and
 * `manifest.json`, the folder written as a whole (an interrupt leaves the previous one).
 * `--gallery docs/figures` also copies the SVG there (for the README; needs write permission on
 * that folder). Output folders are checked writable before the study starts.
 *
 * @module
 */
import { join } from "node:path";
import { type CommandSpec, runCommand } from "../src/cli/command.ts";
import { FIGURE_OPTIONS, figureRunOptions } from "../src/figures/runner.ts";
import { checkWritableDirectory, writeDirectoryAtomic, writeFileAtomic } from "../src/io/atomic.ts";
import { toCsv } from "../src/io/csv.ts";
import { buildManifest, Timings } from "../src/io/manifest.ts";
import { coreCount, runPool } from "../src/parallel/pool.ts";
import {
  composeFigure,
  type FigurePanel,
  linePanel,
  type LineSeries,
  svgToPng,
} from "../src/plot/mod.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { prepareExact } from "../src/exact/solve.ts";
import { eq5Conditioning, eq5Digits } from "../src/precision.ts";
import {
  buildProblem,
  DEFAULT_SETTINGS,
  type PointTask,
  problemInputs,
  type ProblemSummary,
  referenceDigits,
  STUDY_PROBLEMS,
  type StudyProblem,
  type StudyRow,
  summarise,
  timeGrid,
} from "../src/stability.ts";
import {
  buildLambdaCase,
  LAMBDA_SETTINGS,
  lambdaCases,
  type LambdaPointTask,
  type LambdaSummary,
  summariseLambda,
} from "../src/stability_lambda.ts";

/** Parameters of the study (recorded in the manifest). */
export const PARAMETERS = {
  problems: STUDY_PROBLEMS,
  settings: DEFAULT_SETTINGS,
  /** Time grid: `t0 · 2^{k/2}` up to the first overflow of Eq. 5 in f64, at most `tMax`. */
  t0: 0.25,
  tMax: 400,
  /** λ axis: cases (a study problem rebalanced to each λ) and their time grid. */
  lambda: {
    cases: lambdaCases(),
    settings: LAMBDA_SETTINGS,
    times: [0.5, 1, 2, 4, 8, 16, 32],
  },
  /** Benchmark: Eq. 5 in Decimal at `digits` on the 4×4×4 problem at these times. */
  bench: { problem: "4x4x4 small", digits: 50, times: [0.25, 0.5, 1, 2, 4, 8, 12, 16] },
};

const METHODS: { method: string; digits?: number; label: string; dash?: string }[] = [
  { method: "eq5_f64", label: "Eq. 5, f64" },
  { method: "bfree_f64", label: "B-free, f64" },
  { method: "thm31_f64", label: "Thm 3.1, f64" },
  { method: "bfree_stable_f64", label: "stable B-free, f64", dash: "1,3" },
  { method: "eq5_decimal", digits: 20, label: "Eq. 5, 20 digits", dash: "5,3" },
  { method: "eq5_decimal", digits: 30, label: "Eq. 5, 30 digits", dash: "5,3" },
  { method: "eq5_decimal", digits: 50, label: "Eq. 5, 50 digits", dash: "5,3" },
  { method: "eq5_rule", label: "Eq. 5, rule (12 digits)", dash: "2,2" },
];

const LAMBDA_METHODS: { method: string; label: string; dash?: string }[] = [
  { method: "lambda_riccati_f64", label: "naive Riccati, f64" },
  { method: "lambda_f64", label: "bounded λ form, f64" },
  { method: "lambda_echelon_f64", label: "echelon λ form, f64", dash: "1,3" },
  { method: "lambda_riccati_decimal", label: "naive Riccati, 30 digits", dash: "5,3" },
  { method: "lambda_decimal", label: "bounded λ form, 30 digits", dash: "5,3" },
  { method: "lambda_check", label: "bounded λ form, 50 digits", dash: "2,2" },
];

/** Plotted floor: errors below it (exact agreement) are drawn at it. */
const FLOOR = 1e-60;

/** Eq. 5 in Decimal per time point (ms, median) on the benchmark problem. */
function benchmark(): { msPerPoint: number; msAll: number[] } {
  const b = PARAMETERS.bench;
  const p = PARAMETERS.problems.find((q) => q.name === b.problem)!;
  const inp = problemInputs(buildProblem(p));
  const be = decimalBackend(b.digits);
  const sol = prepareExact(be, inp, { method: "fukumizu" });
  sol.at(1); // warm-up (JIT)
  const msAll = b.times.map((t) => {
    const t0 = performance.now();
    sol.at(t);
    return performance.now() - t0;
  });
  const sorted = [...msAll].sort((x, y) => x - y);
  return { msPerPoint: sorted[Math.floor(sorted.length / 2)], msAll };
}

/** One panel of errors against `t/τ`, one series per method. */
function errorPanel(
  letter: string,
  title: string,
  methods: { method: string; digits?: number; label: string; dash?: string }[],
  rows: StudyRow[],
  problem: string,
  legend: boolean,
): FigurePanel {
  const series: LineSeries[] = methods.map((m) => ({
    name: m.label,
    source: "simulation",
    dash: m.dash,
    points: rows
      .filter((r) =>
        r.problem === problem && r.method === m.method &&
        (m.digits === undefined || r.digits === m.digits) && r.status === "ok"
      )
      .sort((a, b) => a.t - b.t)
      .map((r) => ({ x: r.t, y: Math.max(r.rel_error, FLOOR) })),
  }));
  return {
    letter,
    title,
    body: linePanel({
      series,
      x: { label: "t/τ", type: "log" },
      y: { label: "relative error", type: "log", domain: [FLOOR, 10] },
      width: 330,
      height: 240,
      rules: [{ y: 1e-10, color: "#999", dash: "3,3", label: "1e-10" }],
      hideSeriesLegend: !legend,
    }),
  };
}

function figure(problems: readonly StudyProblem[], rows: StudyRow[]): string {
  const panels = problems.map((p, k) =>
    errorPanel(
      String.fromCharCode(65 + k),
      `${p.name}: s̃ = ${p.sigma.join(", ")}`,
      METHODS,
      rows,
      p.name,
      k === 0,
    )
  );
  const lambdaPanels = PARAMETERS.lambda.cases.map((c, k) =>
    errorPanel(
      String.fromCharCode(65 + problems.length + k),
      c.name,
      LAMBDA_METHODS,
      rows,
      c.name,
      k === 0,
    )
  );
  return composeFigure({
    title: `Precision study: error of QQᵀ(t) against Eq. 5 (A–${panels.at(-1)!.letter}) or the ` +
      `naive λ form (${lambdaPanels[0].letter}–${lambdaPanels.at(-1)!.letter}) in high-precision ` +
      "Decimal",
    rows: [panels.slice(0, 3), panels.slice(3), lambdaPanels],
  }).svg;
}

function fmt(x: number | null, digits = 3): string {
  return x === null ? "—" : Number.isFinite(x) ? x.toPrecision(digits) : String(x);
}

function summaryText(
  sums: ProblemSummary[],
  lambdaSums: LambdaSummary[],
  needs: { t: number; digits: string[] }[],
  bench: { msPerPoint: number },
  seconds: number,
): string {
  const lines = [
    "Precision study of Eq. 5 (Fukumizu's form) against Theorem 3.1 and the B-free form",
    "(— : not reached on the grid)",
    `Reference: Eq. 5 in Decimal at the rule's digits for ${DEFAULT_SETTINGS.referenceTarget} ` +
    `correct digits + ${DEFAULT_SETTINGS.referenceMargin}; errors are relative Frobenius.`,
    "",
  ];
  for (const s of sums) {
    const e = s.eq5F64, b = s.bfreeF64;
    lines.push(
      `${s.problem} (s̃ = ${s.sigma.join(", ")}, init scale ${s.scale}):`,
      `  Eq. 5 f64: loses half its digits (err ≥ 1e-8) at t/τ = ${fmt(e.halfDigitsT)}, ` +
        `fails (err ≥ 0.1, no correct digit) at ${fmt(e.failT)}, no finite result from ` +
        `${fmt(e.noResultT)}; largest error of a finite answer ${fmt(e.maxFinite)}`,
      `  B-free f64: loses half its digits at t/τ = ${fmt(b.halfDigitsT)}, fails at ` +
        `${fmt(b.failT)}, no finite result from ${fmt(b.noResultT)}`,
      `  Theorem 3.1 f64: max error ${fmt(s.maxThm31F64)} over t/τ ≤ ${fmt(s.tMax)}; ` +
        `stable B-free f64: ${fmt(s.maxBfreeStableF64)}`,
      `  Eq. 5 digits lost per unit t/τ: predicted 2(s̃max−s̃min)/ln10 = ${fmt(s.predictedRate)}, ` +
        `measured f64 ${fmt(s.measuredRateF64)}, Decimal(50) ${fmt(s.measuredRateDecimal)}`,
      `  precision rule: Eq. 5 at the rule's digits for 1e-12 has max error ${fmt(s.maxRule)}; ` +
        `measured loss minus predicted loss ≤ ${fmt(s.ruleExcess, 2)} digits ` +
        `(negative: the rule is conservative)`,
      `  reference (Eq. 5 Decimal, ${s.referenceDigitsAtTMax} digits at t/τ = ${fmt(s.tMax)}): ` +
        `agrees with itself at +${DEFAULT_SETTINGS.crossCheckExtra} digits to ` +
        `${fmt(s.agreementSelf)} digits, with Theorem 3.1 in Decimal(` +
        `${DEFAULT_SETTINGS.stableCheckDigits}) to ${fmt(s.agreementThm31)} digits (the inputs ` +
        `are zero-balanced to ${fmt(s.balanceDefect)} only: both forms assume exact balance)`,
      "",
    );
  }
  lines.push(
    "λ axis: the naive Riccati form (growing exponentials) vs the bounded λ form; reference: the",
    `naive form in Decimal at ${LAMBDA_SETTINGS.referenceTarget} digits + its predicted loss + ` +
      `${LAMBDA_SETTINGS.referenceMargin}`,
    "",
  );
  for (const l of lambdaSums) {
    const e = l.riccatiF64;
    lines.push(
      `${l.problem}:`,
      `  naive Riccati f64: loses half its digits at t/τ = ${fmt(e.halfDigitsT)}, fails at ` +
        `${fmt(e.failT)}, no finite result from ${fmt(e.noResultT)}; largest error of a finite ` +
        `answer ${fmt(e.maxFinite)}`,
      `  bounded λ form: max error ${fmt(l.maxLambdaF64)} in f64, ${fmt(l.maxLambdaDecimal)} at ` +
        `${LAMBDA_SETTINGS.decimalDigits} digits, over t/τ ≤ ${fmt(l.tMax)}; echelon λ form f64 ` +
        `${fmt(l.maxEchelonF64)}`,
      `  naive form's digits lost per unit t/τ: predicted 2(μmax−ωmin)/ln10 = ` +
        `${fmt(l.predictedRate)}, measured f64 ${fmt(l.measuredRateF64)}, Decimal(` +
        `${LAMBDA_SETTINGS.decimalDigits}) ${fmt(l.measuredRateDecimal)}`,
      `  reference (${l.referenceDigitsAtTMax} digits at t/τ = ${fmt(l.tMax)}) agrees with the ` +
        `bounded form in Decimal(${LAMBDA_SETTINGS.checkDigits}) to ${
          fmt(l.agreementCheck)
        } digits`,
      "",
    );
  }
  lines.push("Digits Eq. 5 needs for 16 / 30 correct digits (precision rule), per problem:");
  for (const n of needs) lines.push(`  t/τ = ${n.t}: ${n.digits.join(" | ")}`);
  lines.push(
    `  (columns: ${sums.map((s) => s.problem).join(" | ")})`,
    "",
    `Eq. 5 in Decimal at ${PARAMETERS.bench.digits} digits on ${PARAMETERS.bench.problem}: ` +
      `${bench.msPerPoint.toFixed(1)} ms per time point (median)`,
    `Run time: ${seconds.toFixed(1)} s`,
  );
  return lines.join("\n") + "\n";
}

/** Runs the study and writes its outputs. */
export async function runStudy(outRoot: string, gallery: string | undefined, quiet: boolean) {
  const timings = new Timings();
  const bench = timings.measure("benchmark", benchmark);
  const problems = PARAMETERS.problems;
  const names = [...problems, ...PARAMETERS.lambda.cases].map((p) => p.name);
  const { tasks, grids } = timings.measure("grid", () => {
    const tasks: PointTask[] = [];
    const grids: Record<string, number[]> = {};
    for (const p of problems) {
      const data = buildProblem(p);
      const grid = timeGrid(problemInputs(data), PARAMETERS.t0, PARAMETERS.tMax);
      grids[p.name] = grid;
      for (const t of grid) tasks.push({ problem: p, data, t, settings: DEFAULT_SETTINGS });
    }
    // Longest first (cost grows with the reference digits and the size): better load balance.
    const cost = (k: PointTask) =>
      referenceDigits(problemInputs(k.data), k.t, k.settings) ** 2 * k.problem.n ** 3;
    tasks.sort((a, b) => cost(b) - cost(a));
    const lambdaTasks: LambdaPointTask[] = PARAMETERS.lambda.cases.flatMap((kase) => {
      const data = buildLambdaCase(kase);
      grids[kase.name] = PARAMETERS.lambda.times;
      return PARAMETERS.lambda.times.map((t) => ({ kase, data, t, settings: LAMBDA_SETTINGS }));
    });
    return { tasks: [...tasks, ...lambdaTasks], grids };
  });
  const rows = (await timings.measureAsync(
    "points",
    () =>
      runPool<PointTask | LambdaPointTask, StudyRow[]>(
        new URL("./stability_worker.ts", import.meta.url),
        tasks,
        {
          label: "stability",
          quiet,
        },
      ),
  )).flat().sort((a, b) =>
    names.indexOf(a.problem) - names.indexOf(b.problem) ||
    a.t - b.t || a.method.localeCompare(b.method) || a.digits - b.digits
  );
  const sums = problems.map((p) =>
    summarise(p, rows.filter((r) => r.problem === p.name), DEFAULT_SETTINGS)
  );
  const lambdaSums = PARAMETERS.lambda.cases.map((c) => summariseLambda(c, rows));
  const needs = [1, 10, 30, 100].map((t) => ({
    t,
    digits: problems.map((p) => {
      const c = eq5Conditioning(problemInputs(buildProblem(p)));
      return `${eq5Digits(c, t, 16)} / ${eq5Digits(c, t, 30)}`;
    }),
  }));
  const svg = timings.measure("figure", () => figure(problems, rows));
  const png = await timings.measureAsync("png", () => svgToPng(svg));
  const dir = join(outRoot, "stability");
  const text = summaryText(sums, lambdaSums, needs, bench, timings.totalSeconds);
  const files = ["stability.csv", "summary.txt", "figure.svg", "figure.png", "manifest.json"];
  const manifest = () =>
    buildManifest({
      name: "stability",
      description: "Precision study: Eq. 5 in f64 and Decimal vs Theorem 3.1 and the B-free " +
        "form; λ axis: the naive Riccati form vs the bounded λ form",
      parameters: { ...PARAMETERS, grids, workers: Math.min(coreCount(), tasks.length) },
      seeds: Object.fromEntries(problems.map((p) => [p.name, p.seed])),
      results: { summaries: sums, lambdaSummaries: lambdaSums, benchmark: bench },
      timings,
      files,
    });
  await timings.measureAsync("write", () =>
    writeDirectoryAtomic(dir, async (tmp) => {
      await Deno.writeTextFile(
        join(tmp, "stability.csv"),
        toCsv(rows as unknown as Record<string, number | string>[], [
          "problem",
          "method",
          "digits",
          "t",
          "rel_error",
          "status",
          "predicted_lost",
          "ms",
        ]),
      );
      await Deno.writeTextFile(join(tmp, "summary.txt"), text);
      await Deno.writeTextFile(join(tmp, "figure.svg"), svg);
      await Deno.writeFile(join(tmp, "figure.png"), png);
      // The manifest last, so its "write" timing covers the files above.
      await Deno.writeTextFile(
        join(tmp, "manifest.json"),
        JSON.stringify(manifest(), null, 2) + "\n",
      );
    }));
  if (gallery) await writeFileAtomic(join(gallery, "stability.svg"), svg);
  if (!quiet) console.log(text);
  return { dir, rows, sums, bench };
}

const SPEC: CommandSpec = {
  name: "stability",
  usage: "deno task stability [--out DIR] [--gallery DIR] [--quiet]",
  summary: "Precision study of Eq. 5 vs Theorem 3.1 in f64 and Decimal → DIR/stability/ " +
    "(stability.csv, summary.txt,\nfigure.svg, figure.png, manifest.json); about 25–45 s on 2 cores.",
  options: FIGURE_OPTIONS,
};

if (import.meta.main) {
  Deno.exit(
    await runCommand(SPEC, Deno.args, async ({ values }) => {
      const { outRoot, gallery, quiet } = figureRunOptions(values);
      await checkWritableDirectory(outRoot!);
      if (gallery) await checkWritableDirectory(gallery);
      await runStudy(outRoot!, gallery, quiet ?? false);
    }),
  );
}
