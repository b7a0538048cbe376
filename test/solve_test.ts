/**
 * The `solve` command as users run it: a subprocess on each example config (one per method),
 * `--out` writing a file, and every bad-input class giving exit status 2, one stderr line and
 * nothing on stdout. Also the config parser directly.
 */
import { parseSolveConfig } from "../src/io/config.ts";
import { InputError, NonFiniteError, ShapeError } from "../src/errors.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { type CommandResult, runDeno } from "./cli_helpers.ts";

const ROOT = new URL("..", import.meta.url).pathname;

function solve(args: string[]): Promise<CommandResult> {
  return runDeno(["run", "--allow-read", "--allow-write", "scripts/solve.ts", ...args]);
}

const EXPECTED_METHOD: Record<string, string> = {
  auto: "stable",
  stable: "stable",
  fukumizu: "fukumizu",
  bfree: "bfree",
  aligned: "aligned",
  simulate: "simulate",
  "bfree-stable": "bfree-stable",
  digits: "bfree-stable",
  "weak-mode": "factored",
  lambda: "lambda",
  "lambda-echelon": "lambda-echelon",
  "lambda-riccati": "lambda-riccati",
};

Deno.test("solve runs every example config", async () => {
  for (const [name, method] of Object.entries(EXPECTED_METHOD)) {
    const r = await solve([`examples/${name}.json`]);
    assertEquals(r.code, 0, `${name}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    const config = JSON.parse(await Deno.readTextFile(`${ROOT}examples/${name}.json`));
    assertEquals(out.method, method, name);
    assertOk(typeof out.reason === "string" && out.reason.length > 0, `${name}: reason`);
    assertEquals(out.times.length, config.times.length, `${name}: times`);
    const n = config.sigmaYX.length + config.sigmaYX[0].length;
    assertEquals(out.qqt.length, config.times.length);
    for (const q of out.qqt) {
      assertEquals(q.length, n, `${name}: qqt rows`);
      for (const row of q) assertEquals(row.length, n, `${name}: qqt cols`);
    }
    assertOk(out.loss.every(Number.isFinite), `${name}: loss`);
    assertOk(Array.isArray(out.warnings), `${name}: warnings`);
    if (name === "digits") assertEquals(typeof out.qqt[0][0][0], "string");
    // The examples' weights are zero-balanced, or λ-balanced with λ = 0.5 (the lambda* ones).
    const lambda = name.startsWith("lambda") ? 0.5 : 0;
    assertOk(Math.abs(out.lambda - lambda) < 1e-12, `${name}: lambda ${out.lambda}`);
  }
});

Deno.test("solve --out writes the result atomically to a file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/result.json`;
    const r = await solve(["examples/auto.json", "--out", file]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout, "");
    assertEquals(JSON.parse(await Deno.readTextFile(file)).method, "stable");
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    assertEquals(left, ["result.json"], "no temporary file left behind");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const GOOD = {
  sigmaYX: [[2, 0.5, 0], [0, 1, 0.3]],
  W1: [[0.1, 0, 0], [0, 0.1, 0]],
  W2: [[0.1, 0], [0, 0.1]],
  times: [0, 1],
};

const BAD: [string, string, string][] = [
  ["invalid JSON", "{ not json", "invalid JSON"],
  ["missing field", JSON.stringify({ ...GOOD, W1: undefined }), 'missing field "W1"'],
  ["wrong shape", JSON.stringify({ ...GOOD, W2: [[0.1, 0, 0], [0, 0.1, 0]] }), "W2 is 2×3"],
  ["ragged rows", JSON.stringify({ ...GOOD, W1: [[0.1, 0], [0, 0.1, 0]] }), "row 1"],
  ["non-finite", JSON.stringify(GOOD).replace("0.3", "1e999"), "Infinity"],
  ["not whitened", JSON.stringify({ ...GOOD, sigmaXX: [[2, 0, 0], [0, 1, 0], [0, 0, 1]] }), "2.2"],
  ["not balanced", JSON.stringify({ ...GOOD, W2: [[0.2, 0], [0, 0.1]] }), "2.3 zero-balanced"],
  ["rank-deficient task", JSON.stringify({ ...GOOD, sigmaYX: [[1, 0, 0], [2, 0, 0]] }), "2.4"],
  ["Eq. 5 on Ni ≠ No", JSON.stringify({ ...GOOD, method: "fukumizu" }), "2.1"],
  ["unknown method", JSON.stringify({ ...GOOD, method: "magic" }), '"method" must be one of'],
  ["negative time", JSON.stringify({ ...GOOD, times: [1, -1] }), "negative"],
  ["simulate without η", JSON.stringify({ ...GOOD, method: "simulate" }), "learningRate"],
  [
    "λ method, unbalanced",
    JSON.stringify({ ...GOOD, method: "lambda", W2: [[0.2, 0], [0, 0.1]] }),
    "λ-balanced",
  ],
  [
    "zero-balanced form, λ = 0.03",
    JSON.stringify({ ...GOOD, method: "stable", W2: [[0.2, 0], [0, Math.sqrt(0.04)]] }),
    "needs λ = 0",
  ],
];

Deno.test("solve rejects each bad-input class: exit 2, one stderr line, empty stdout", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const [what, text, part] of BAD) {
      const file = `${dir}/bad.json`;
      await Deno.writeTextFile(file, text);
      const r = await solve([file]);
      assertEquals(r.code, 2, `${what}: exit status (stderr: ${r.stderr})`);
      assertEquals(r.stdout, "", `${what}: stdout`);
      const lines = r.stderr.trimEnd().split("\n");
      assertEquals(lines.length, 1, `${what}: stderr has ${lines.length} lines: ${r.stderr}`);
      assertOk(lines[0].includes(part), `${what}: "${lines[0]}" lacks "${part}"`);
    }
    const missing = await solve([`${dir}/absent.json`]);
    assertEquals(missing.code, 2);
    assertOk(missing.stderr.includes("cannot read"), missing.stderr);
    const usage = await solve([]);
    assertEquals(usage.code, 2);
    assertOk(usage.stderr.includes("usage"), usage.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseSolveConfig: data form, defaults and typed errors", () => {
  const c = parseSolveConfig(JSON.stringify({
    X: [[1, -1, 1, -1], [1, 1, -1, -1]],
    Y: [[2, 0, 1, 1]],
    W1: [[0.1, 0]],
    W2: [[0.1]],
    times: [0],
  }));
  assertEquals(c.method, "auto");
  assertEquals(c.tau, 1);
  assertEquals(c.task.sigmaXX.toArray(), [[1, 0], [0, 1]]);
  assertEquals(c.task.sigmaYX.toArray(), [[0.5, 0]]);
  assertEquals(c.task.traceYY, 1.5);
  assertThrows(() => parseSolveConfig("[1]"), InputError, "JSON object");
  assertThrows(() => parseSolveConfig(JSON.stringify({ ...GOOD, extra: 1 })), InputError, "extra");
  assertThrows(
    () => parseSolveConfig(JSON.stringify({ ...GOOD, tau: 0 })),
    InputError,
    "tau",
  );
  assertThrows(
    () => parseSolveConfig(JSON.stringify({ ...GOOD, digits: 5 })),
    InputError,
    "digits",
  );
  assertThrows(
    () => parseSolveConfig(JSON.stringify({ ...GOOD, W1: [[0.1, 0]] })),
    ShapeError,
    "W1 is 1×2",
  );
  assertThrows(
    () => parseSolveConfig(JSON.stringify(GOOD).replace("0.5", "-1e999")),
    NonFiniteError,
    "sigmaYX",
  );
});

Deno.test("solve reports arithmetic, tolerance and error estimates; extremes exit cleanly", async () => {
  const dir = await Deno.makeTempDir();
  const run = async (config: unknown) => {
    await Deno.writeTextFile(`${dir}/c.json`, JSON.stringify(config));
    return await solve([`${dir}/c.json`]);
  };
  try {
    const ok = await run({ ...GOOD, tolerance: 1e-12 });
    assertEquals(ok.code, 0, ok.stderr);
    const out = JSON.parse(ok.stdout);
    assertEquals(out.arithmetic, "f64");
    assertEquals(out.tolerance, 1e-12);
    assertEquals(out.errorEstimates.length, GOOD.times.length);
    assertEquals(out.errorEstimate, Math.max(...out.errorEstimates));
    assertOk(out.errorEstimate > 0 && out.errorEstimate <= 1e-12, `${out.errorEstimate}`);
    assertOk(out.reason.includes("arithmetic: f64 estimate"), out.reason);
    // t/τ = 1e308/5e-324 overflows f64: the t → ∞ limit, W2W1 = Σyx, loss 0 (not null, not < 0).
    const inf = await run({ ...GOOD, times: [1e308], tau: 5e-324 });
    assertEquals(inf.code, 0, inf.stderr);
    const lim = JSON.parse(inf.stdout);
    assertOk(lim.loss[0] >= 0 && lim.loss[0] < 1e-28, `loss ${lim.loss[0]}`);
    assertOk(Math.abs(lim.qqt[0][3][0] - 2) < 1e-14, `W2W1(∞)₀₀ = ${lim.qqt[0][3][0]}`);
    const scaled = (m: number[][], c: number) => m.map((r) => r.map((x) => x * c));
    for (
      const [what, config, part] of [
        [
          "weights 1e300",
          { ...GOOD, W1: scaled(GOOD.W1, 1e300), W2: scaled(GOOD.W2, 1e300) },
          "magnitude",
        ],
        ["Σyx 1e300", { ...GOOD, sigmaYX: scaled(GOOD.sigmaYX, 1e300) }, "magnitude: max|Σyx|"],
        ["tolerance 0", { ...GOOD, tolerance: 0 }, "tolerance"],
        ["tolerance 2", { ...GOOD, tolerance: 2 }, "below 1"],
        ["tolerance for simulate", {
          ...GOOD,
          method: "simulate",
          learningRate: 0.1,
          tolerance: 1e-9,
        }, "exact methods"],
      ] as const
    ) {
      const r = await run(config);
      assertEquals(r.code, 2, `${what}: ${r.stderr}`);
      assertEquals(r.stderr.trimEnd().split("\n").length, 1, `${what}: ${r.stderr}`);
      assertOk(r.stderr.includes(part), `${what}: ${r.stderr}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
