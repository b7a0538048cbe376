/**
 * `deno task solve CONFIG.json [--out FILE]`: solves one problem from a JSON configuration
 * (contract: DESIGN.md, "The `solve` command") and writes
 * `{ method, reason, times, qqt, product, loss, warnings }` to stdout or, atomically, to FILE
 * (`"weights"` with more than two layers: no `qqt`, see src/io/solve_deep.ts).
 *
 * Bad input (unreadable file, invalid JSON, missing fields, wrong shapes, non-finite numbers,
 * violated assumptions): exit status 2, one line on stderr, nothing on stdout.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DlnError, InputError } from "../src/errors.ts";
import { parseSolveConfig, type SolveConfig } from "../src/io/config.ts";
import { writeFileAtomic } from "../src/io/atomic.ts";
import type { Backend } from "../src/linalg/backend.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { simulate } from "../src/train/simulate.ts";
import { lambdaBalance } from "../src/init/lambda_balanced.ts";
import { DEFAULT_TOLERANCES } from "../src/exact/assumptions.ts";
import type { Matrix } from "../src/matrix.ts";
import { solveDeepConfig } from "../src/io/solve_deep.ts";

/** The JSON the command writes. */
interface SolveOutput {
  method: string;
  reason: string;
  /**
   * The weights' balance λ (`W2ᵀW2 − W1W1ᵀ = λI`), 0 for zero-balanced; for `simulate`, whose
   * weights need not be balanced, `λ̂ = tr(W2ᵀW2 − W1W1ᵀ)/Nh` of the initial weights.
   */
  lambda: number;
  times: number[];
  /** One `(Ni+No) × (Ni+No)` matrix per time; decimal strings when `digits` is given. */
  qqt: (number | string)[][][];
  /** The network function `W_L ⋯ W_1` (`No × Ni`) per time, at every depth. */
  product: number[][][];
  loss: number[];
  warnings: string[];
  /** Exact methods: the arithmetic used, the tolerance, the error estimate (max, per time). */
  arithmetic?: string;
  tolerance?: number;
  errorEstimate?: number;
  errorEstimates?: number[];
}

function runExact<M>(be: Backend<M>, c: SolveConfig, strings: boolean): SolveOutput {
  const r = solveExact(be, c.task, { w1: c.w1, w2: c.w2 }, c.times, {
    method: c.method as "auto",
    tau: c.tau,
    tolerance: c.tolerance,
    strings,
  });
  return {
    method: r.method,
    reason: r.reason,
    lambda: r.lambda,
    times: r.times,
    qqt: r.digitStrings ?? r.states.map((q) => joinQQt(q).toArray()),
    product: r.states.map((q) => q.w2w1.toArray()),
    loss: r.loss,
    warnings: r.warnings,
    arithmetic: r.arithmetic,
    tolerance: r.tolerance,
    errorEstimate: r.errorEstimate,
    errorEstimates: r.errorEstimates,
  };
}

function runSimulate(c: SolveConfig): SolveOutput {
  const eta = c.learningRate!;
  const traj = simulate(c.task, { w1: c.w1, w2: c.w2 }, {
    learningRate: eta,
    times: c.times,
    tau: c.tau,
  });
  return {
    method: "simulate",
    reason: `full-batch gradient descent at η = ${eta}: k = round(t/(ητ)) steps per requested t`,
    lambda: measuredLambda({ w1: c.w1, w2: c.w2 }),
    times: traj.times,
    qqt: traj.states.map((q) => joinQQt(q).toArray()),
    product: traj.states.map((q) => q.w2w1.toArray()),
    loss: traj.loss,
    warnings: [],
  };
}

/** λ of the initial weights: 0 when zero-balanced (as the exact methods), else `λ̂`. */
function measuredLambda(w: { w1: Matrix; w2: Matrix }): number {
  const b = lambdaBalance(w);
  return b.zeroImbalance <= DEFAULT_TOLERANCES.balanced ? 0 : b.lambdaHat;
}

/** Runs the command on `args`; returns the exit status. */
export async function main(args: string[]): Promise<number> {
  try {
    const parsed = parseArgs({
      args,
      options: { out: { type: "string" } },
      allowPositionals: true,
    });
    if (parsed.positionals.length !== 1) {
      throw new InputError(
        `usage: deno task solve CONFIG.json [--out FILE] (got ${parsed.positionals.length} ` +
          "positional arguments)",
      );
    }
    const configPath = parsed.positionals[0], out = parsed.values.out;
    let text: string;
    try {
      text = await Deno.readTextFile(configPath);
    } catch (e) {
      throw new InputError(`cannot read ${configPath}: ${(e as Error).message}`);
    }
    const config = parseSolveConfig(text);
    const result = (config.layers?.length ?? 2) > 2
      ? solveDeepConfig(config)
      : config.method === "simulate"
      ? runSimulate(config)
      : config.digits !== undefined
      ? runExact(decimalBackend(config.digits), config, true)
      : runExact(f64Backend, config, false);
    const json = JSON.stringify(result) + "\n";
    if (out !== undefined) await writeFileAtomic(out, json);
    else await Deno.stdout.write(new TextEncoder().encode(json));
    return 0;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const bad = e instanceof DlnError ||
      (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
    const message = (e as Error).message.replace(/\s*\n\s*/g, " ");
    console.error(`solve: ${bad ? "" : "internal error: "}${message}`);
    return bad ? 2 : 1;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
