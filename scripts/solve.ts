/**
 * `deno task solve CONFIG.json [--out FILE] [limits]`: solves one problem from a JSON
 * configuration (contract: DESIGN.md, "The `solve` command") and writes
 * `{ method, reason, times, qqt, product, loss, warnings }` to stdout or, atomically, to FILE
 * (`"weights"` with more than two layers: no `qqt`, see src/io/solve_deep.ts).
 *
 * Bad input (unreadable or oversized file, invalid JSON, missing fields, wrong shapes,
 * non-finite numbers, violated assumptions, a request beyond a limit, an unwritable `--out`,
 * a diverging simulation): exit status 2, one line on stderr, nothing on stdout. Everything is
 * checked before the work starts; a run longer than a few seconds reports progress on stderr.
 *
 * `deno task solve` starts it through scripts/launch.ts (the WASM build check, then this module
 * from its bundle); a bare `deno run scripts/solve.ts` uses the existing build.
 *
 * @module
 */
import { type CommandIO, type CommandSpec, runCommand } from "../src/cli/command.ts";
import { parseSolveConfig, SOLVE_METHODS, type SolveConfig } from "../src/io/config.ts";
import { checkWritableFile, writeFileAtomic } from "../src/io/atomic.ts";
import { readTextBounded } from "../src/io/bounded_read.ts";
import { resolveFrom } from "../src/io/paths.ts";
import {
  checkSolveLimits,
  DEFAULT_SOLVE_LIMITS,
  LIMIT_FLAGS,
  limitsFromFlags,
  type SolveLimits,
} from "../src/io/limits.ts";
import type { Backend } from "../src/linalg/backend.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { simulate } from "../src/train/simulate.ts";
import { checkLossGrowth, collapsedTimesWarning } from "../src/train/divergence.ts";
import { Progress } from "../src/parallel/progress.ts";
import { taskLoss } from "../src/task.ts";
import { matmul } from "../src/linalg/blas.ts";
import { lambdaBalance } from "../src/init/lambda_balanced.ts";
import { DEFAULT_TOLERANCES } from "../src/exact/assumptions.ts";
import type { Matrix } from "../src/matrix.ts";
import type { SolveOutputFields } from "../src/io/solve_output.ts";

/** The JSON the command writes for two layers: the fields of every depth, λ and `QQᵀ`. */
interface SolveOutput extends SolveOutputFields {
  /**
   * The weights' balance λ (`W2ᵀW2 − W1W1ᵀ = λI`), 0 for zero-balanced; for `simulate`, whose
   * weights need not be balanced, `λ̂ = tr(W2ᵀW2 − W1W1ᵀ)/Nh` of the initial weights.
   */
  lambda: number;
  /** One `(Ni+No) × (Ni+No)` matrix per time; decimal strings when `digits` is given. */
  qqt: (number | string)[][][];
}

/** Seconds a run goes before it starts reporting progress. */
const PROGRESS_DELAY_SECONDS = 2;

const LIMIT_HELP: Record<keyof SolveLimits, string> = {
  maxConfigBytes: "largest config file, bytes",
  maxDimension: "largest Ni, Nh, No (f64)",
  maxDecimalDimension: 'largest Ni, Nh, No with "digits"',
  maxTimes: "most time points",
  maxSteps: "most GD steps (simulate: round(t_max/(η τ)))",
  maxGdWork: "most GD multiply-adds (steps × 3·Ni·Nh·No)",
  maxOutputBytes: "largest estimated output, bytes",
};

/** Usage, options and limits of the command (`--help`). */
export const SOLVE_COMMAND: CommandSpec = {
  name: "solve",
  usage: "deno task solve CONFIG.json [--out FILE] [--max-… N]",
  summary: "Solves one problem from a JSON config and prints " +
    "{ method, reason, lambda, times, qqt, loss, warnings, … } as JSON (or writes it atomically " +
    "to FILE). Config fields: sigmaYX (or X and Y), sigmaXX, W1, W2 (or weights: [W1, …, WL]), " +
    "tau, times, method, learningRate (simulate), digits, tolerance. Relative paths resolve " +
    "against the directory the command was run from. Bad input: exit 2, one line on stderr.\n" +
    `Methods: ${SOLVE_METHODS.join(", ")}.`,
  options: {
    out: { type: "string", value: "FILE", help: "write the JSON to FILE (its folder must exist)" },
    ...Object.fromEntries(
      (Object.keys(LIMIT_FLAGS) as (keyof SolveLimits)[]).map((k) => [
        LIMIT_FLAGS[k],
        {
          type: "string" as const,
          value: "N",
          help: `${LIMIT_HELP[k]} (default ${DEFAULT_SOLVE_LIMITS[k]})`,
        },
      ]),
    ),
  },
  positionals: [1, 1],
  notes: 'See README.md, "Exact solutions and solve", for the config and output in full.',
};

function progressFor(label: string, total: number): Progress {
  return new Progress(label, total, false, PROGRESS_DELAY_SECONDS);
}

/**
 * Largest network width whose exact precomputation (SVDs, eigendecompositions, inverses) stays
 * under about 2 s, in f64 and in decimal arithmetic (measured: f64 n = 256 in 1.8 s with ten
 * time points, 512 in 5 s; 50-digit decimal n = 16 in 2 s with two): wider problems say on
 * stderr that the precomputation has started, since it reports no progress of its own.
 */
const QUIET_PREPARE_WIDTH = { f64: 256, decimal: 16 };

function runExact<M>(
  be: Backend<M>,
  c: SolveConfig,
  strings: boolean,
  io: CommandIO,
  limits: SolveLimits,
): SolveOutput {
  const width = Math.max(c.w1.rows, c.w1.cols, c.w2.rows);
  // auto may switch to decimal arithmetic to reach the tolerance: only within the decimal limit.
  const decimalFallback = width <= limits.maxDecimalDimension;
  if (width > QUIET_PREPARE_WIDTH[strings ? "decimal" : "f64"]) {
    io.stderr(
      `solve: preparing the exact solution (width ${width}, ${be.name}); this takes a while`,
    );
  }
  const progress = progressFor("solve: time points", c.times.length);
  const r = solveExact(be, c.task, { w1: c.w1, w2: c.w2 }, c.times, {
    method: c.method as "auto",
    tau: c.tau,
    tolerance: c.tolerance,
    strings,
    onEvaluated: () => progress.tick(),
    decimalFallback,
  });
  const warnings = [...r.warnings];
  if (!decimalFallback && r.errorEstimate > r.tolerance) {
    warnings.push(
      `auto did not switch to decimal arithmetic to reach the tolerance: width ${width} is over ` +
        `the decimal limit ${limits.maxDecimalDimension} (raise it with ` +
        `--${LIMIT_FLAGS.maxDecimalDimension} N)`,
    );
  }
  return {
    method: r.method,
    reason: r.reason,
    lambda: r.lambda,
    times: r.times,
    qqt: r.digitStrings ?? r.states.map((q) => joinQQt(q).toArray()),
    product: r.states.map((q) => q.w2w1.toArray()),
    loss: r.loss,
    warnings,
    arithmetic: r.arithmetic,
    tolerance: r.tolerance,
    errorEstimate: r.errorEstimate,
    errorEstimates: r.errorEstimates,
  };
}

function runSimulate(c: SolveConfig): SolveOutput {
  const eta = c.learningRate!;
  let progress: Progress | undefined;
  const traj = simulate(c.task, { w1: c.w1, w2: c.w2 }, {
    learningRate: eta,
    times: c.times,
    tau: c.tau,
    onProgress: (done, total) => {
      progress ??= progressFor("solve: GD steps", total);
      progress.tick(done - progress.done);
    },
  });
  const initialLoss = taskLoss(c.task, matmul(c.w2, c.w1));
  const floor = 1e-6 * 0.5 * c.task.sigmaYX.normFrobenius() ** 2;
  checkLossGrowth(traj.times, traj.loss, initialLoss, floor, eta, c.tau);
  const collapsed = collapsedTimesWarning(c.times, traj.times, eta, c.tau);
  return {
    method: "simulate",
    reason: `full-batch gradient descent at η = ${eta}: k = round(t/(ητ)) steps per requested t`,
    lambda: measuredLambda({ w1: c.w1, w2: c.w2 }),
    times: traj.times,
    qqt: traj.states.map((q) => joinQQt(q).toArray()),
    product: traj.states.map((q) => q.w2w1.toArray()),
    loss: traj.loss,
    warnings: collapsed ? [collapsed] : [],
  };
}

/** λ of the initial weights: 0 when zero-balanced (as the exact methods), else `λ̂`. */
function measuredLambda(w: { w1: Matrix; w2: Matrix }): number {
  const b = lambdaBalance(w);
  return b.zeroImbalance <= DEFAULT_TOLERANCES.balanced ? 0 : b.lambdaHat;
}

/** The directory relative paths are resolved against: where the user ran `deno task`. */
function userDirectory(): string {
  const granted = Deno.permissions.querySync({ name: "env", variable: "INIT_CWD" }).state ===
    "granted";
  return (granted ? Deno.env.get("INIT_CWD") : undefined) ?? Deno.cwd();
}

/** Runs the command on `args` (writing through `io`); returns the exit status. */
export function main(args: readonly string[], io?: Parameters<typeof runCommand>[3]) {
  return runCommand(SOLVE_COMMAND, args, async ({ values, positionals }, io) => {
    const limits = limitsFromFlags(values);
    const base = userDirectory();
    const at = (p: string) => resolveFrom(base, p);
    const text = await readTextBounded(at(positionals[0]), {
      maxBytes: limits.maxConfigBytes,
      raiseWith: `--${LIMIT_FLAGS.maxConfigBytes} N`,
    });
    const config = parseSolveConfig(text, { maxDimension: limits.maxDimension });
    checkSolveLimits(config, limits);
    const out = typeof values.out === "string" ? at(values.out) : undefined;
    if (out !== undefined) await checkWritableFile(out);
    let result: SolveOutputFields;
    if ((config.layers?.length ?? 2) > 2) {
      // The depth-L modules are loaded only for a depth-L config (start-up of every other run).
      const { solveDeepConfig } = await import("../src/io/solve_deep.ts");
      result = solveDeepConfig(config);
    } else if (config.method === "simulate") result = runSimulate(config);
    else if (config.digits === undefined) result = runExact(f64Backend, config, false, io, limits);
    else {
      // decimal.js is loaded only when asked for (start-up of every other run).
      const { decimalBackend } = await import("../src/linalg/decimal.ts");
      result = runExact(decimalBackend(config.digits), config, true, io, limits);
    }
    const json = JSON.stringify(result) + "\n";
    if (out !== undefined) await writeFileAtomic(out, json, { createParents: false });
    else await io.stdout(json);
  }, io);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
