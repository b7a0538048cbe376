/**
 * The `solve` command's resource limits, checked before any work starts: a request beyond one
 * is refused with one line naming the limit, the requested amount and the flag that raises it.
 * The defaults keep a run within seconds and about a gigabyte of memory on a laptop
 * (measured on the 2-core development machine; see README, "Limits"):
 *
 * | limit | default | what it bounds |
 * | --- | --- | --- |
 * | `maxConfigBytes` | 32 MiB | the config file read (a 512-wide problem is about 16 MB) |
 * | `maxDimension` | 512 | each of `Ni`, `Nh`, `No` (f64; one time point at 512 takes ~5 s) |
 * | `maxDecimalDimension` | 32 | each of them with `digits` (decimal at 32, 50 digits: ~8 s per time) |
 * | `maxTimes` | 100 000 | requested time points |
 * | `maxSteps` | 10 000 000 | gradient-descent steps of `simulate` (`round(t_max/(ητ))`) |
 * | `maxGdWork` | 1e11 | GD multiply-adds, steps × `3·Ni·Nh·No` (1.2e11: 24 s of CPU, n = 16) |
 * | `maxOutputBytes` | 100 MB | the estimated JSON output |
 *
 * @module
 */
import { InputError } from "../errors.ts";
import type { SolveConfig } from "./config.ts";

/** Upper bounds on what one `solve` run may ask for. */
export interface SolveLimits {
  /** Largest config file, bytes. */
  maxConfigBytes: number;
  /** Largest `Ni`, `Nh`, `No` in f64 arithmetic. */
  maxDimension: number;
  /** Largest `Ni`, `Nh`, `No` in decimal arithmetic (`digits`). */
  maxDecimalDimension: number;
  /** Most requested time points. */
  maxTimes: number;
  /** Most gradient-descent steps (`simulate`). */
  maxSteps: number;
  /** Most gradient-descent multiply-adds: steps × `3·Ni·Nh·No` (`simulate`). */
  maxGdWork: number;
  /** Largest estimated output, bytes. */
  maxOutputBytes: number;
}

/** The defaults (see the module documentation for what each costs). */
export const DEFAULT_SOLVE_LIMITS: Readonly<SolveLimits> = {
  maxConfigBytes: 32 * 2 ** 20,
  maxDimension: 512,
  maxDecimalDimension: 32,
  maxTimes: 100_000,
  maxSteps: 10_000_000,
  maxGdWork: 1e11,
  maxOutputBytes: 100_000_000,
};

/** The command-line flag that sets each limit. */
export const LIMIT_FLAGS: Readonly<Record<keyof SolveLimits, string>> = {
  maxConfigBytes: "max-config-bytes",
  maxDimension: "max-dimension",
  maxDecimalDimension: "max-decimal-dimension",
  maxTimes: "max-times",
  maxSteps: "max-steps",
  maxGdWork: "max-gd-work",
  maxOutputBytes: "max-output-bytes",
};

/** Largest value a limit flag accepts (beyond it the arithmetic of the estimates is inexact). */
const LIMIT_CEILING = Number.MAX_SAFE_INTEGER;

/**
 * The limits with the flags given on the command line (values by flag name, as strings)
 * replacing the defaults.
 * @throws {InputError} when a value is not a positive integer
 */
export function limitsFromFlags(values: Record<string, unknown>): SolveLimits {
  const limits = { ...DEFAULT_SOLVE_LIMITS };
  for (const [key, flag] of Object.entries(LIMIT_FLAGS) as [keyof SolveLimits, string][]) {
    const v = values[flag];
    if (v === undefined) continue;
    const n = typeof v === "string" && /^\s*\d+(\.\d*)?(e\+?\d+)?\s*$/i.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > LIMIT_CEILING) {
      throw new InputError(`--${flag} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    limits[key] = n;
  }
  return limits;
}

/** Estimated bytes of `solve`'s JSON output for `config`. */
export function estimatedOutputBytes(config: SolveConfig): number {
  const [no, ni] = config.task.sigmaYX.shape;
  // An f64 printed by JSON.stringify takes at most 24 characters with its comma; a decimal
  // string its digits plus sign, point, exponent, quotes and comma.
  const perValue = config.digits !== undefined ? config.digits + 12 : 24;
  return config.times.length * ((ni + no) ** 2 * perValue + 2 * 24) + 4096;
}

/**
 * Checks a validated configuration against the limits, before any work.
 * @throws {InputError} naming the limit, the requested amount and the flag that raises it
 */
export function checkSolveLimits(config: SolveConfig, limits: SolveLimits): void {
  const over = (key: keyof SolveLimits, what: string, amount: number) => {
    if (amount > limits[key]) {
      throw new InputError(
        `${what} is ${amount}, more than the limit of ${limits[key]} ` +
          `(raise it with --${LIMIT_FLAGS[key]} N)`,
      );
    }
  };
  const [nh, ni] = config.w1.shape;
  const no = config.w2.rows;
  const decimal = config.digits !== undefined;
  const dimKey = decimal ? "maxDecimalDimension" : "maxDimension";
  const arithmetic = decimal ? " (decimal arithmetic)" : "";
  over(dimKey, `Ni${arithmetic}`, ni);
  over(dimKey, `Nh${arithmetic}`, nh);
  over(dimKey, `No${arithmetic}`, no);
  over("maxTimes", "the number of time points", config.times.length);
  if (config.learningRate !== undefined) {
    let tMax = 0;
    for (const t of config.times) tMax = Math.max(tMax, t);
    const steps = Math.round(tMax / (config.learningRate * config.tau));
    over("maxSteps", "the number of GD steps", steps);
    over("maxGdWork", "the GD work (steps × 3·Ni·Nh·No multiply-adds)", steps * 3 * ni * nh * no);
  }
  over("maxOutputBytes", "the estimated output in bytes", estimatedOutputBytes(config));
}
