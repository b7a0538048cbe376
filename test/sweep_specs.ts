/**
 * What the sweep tests (`sweep_test.ts`) and the engine tests (`engines/sweep_engines.ts`) share:
 * a small spec and the `deno` arguments that run the sweep command as `deno task sweep` does.
 *
 * @module
 */

/** A small spec: 3 scales × 2 gaps × 2 seeds = 12 exact points on a 3-input, 2-output task. */
export const SMALL = {
  name: "test-small",
  seed: 5,
  seeds: 2,
  problem: {
    task: { kind: "random", ni: 3, no: 2, top: 2, gap: 1 },
    init: { kind: "zero-balanced", nh: 3, scale: 0.01 },
    method: "exact",
    learningRate: 0.02,
    times: { from: 0, to: 12, count: 25 },
  },
  grid: {
    "init.scale": { from: 0.001, to: 0.1, count: 3, spacing: "log" },
    "task.gap": [0, 1],
  },
  measures: { timeToLoss: [0.5], kernelDistance: [4], taskSpecificity: true, gdDeviation: true },
};

/** `deno run` arguments of the sweep command (the permissions of `deno task sweep`). */
export const SWEEP_RUN_ARGS = [
  "run",
  "--allow-read",
  "--allow-write",
  "--allow-env=INIT_CWD,DLN_DENO",
  "--allow-sys=hostname",
  "scripts/sweep.ts",
];
