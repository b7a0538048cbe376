/**
 * Fuzz test of the `solve` command: seeded hostile configs and argument lists, each of which
 * must end with exit status 2, exactly one printable stderr line of at most 300 characters,
 * nothing on stdout and no file or temporary file left behind.
 *
 * Most cases run in-process through `main()` with stdout and stderr captured (fast: the suite
 * budget); a seeded sample also runs as real subprocesses through `Deno.execPath()`, under a
 * V8 heap cap (the memory bound: a run that grows past it crashes instead of exiting 2) and a
 * kill timer (a hang guard, far above any case's cost, not a performance assertion). The
 * in-process run is also held to a resident-memory bound.
 *
 * `DLN_DEEP=1` multiplies the case count; `DLN_SEED` changes the draw.
 */
import { join } from "node:path";
import { solveInProcess, tree } from "./cli_helpers.ts";
import { Random } from "../src/random.ts";
import { numRuns, seed } from "./budget.ts";
import { assertEquals, assertOk } from "./assert.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** A valid 2×3 problem (Ni = 3, Nh = 2, No = 2, zero-balanced: W1W1ᵀ = W2ᵀW2 = 0.01 I). */
const GOOD = {
  sigmaYX: [[2, 0.5, 0], [0, 1, 0.3]],
  W1: [[0.1, 0, 0], [0, 0.1, 0]],
  W2: [[0.1, 0], [0, 0.1]],
  times: [0, 1, 2],
};

/** One hostile case: the files it needs (in a fresh folder) and the arguments. */
interface Case {
  /** The class of hostility (the counts per class are printed). */
  kind: string;
  /** File name → content; `"@fifo"` makes a FIFO. */
  files: Record<string, string | Uint8Array>;
  /** Arguments; `$D/` is replaced by the case's folder. */
  args: string[];
}

const ESC = "\u001b[31m";

function pick<T>(rng: Random, xs: readonly T[]): T {
  return xs[Math.floor(rng.uniform() * xs.length)];
}

function int(rng: Random, lo: number, hi: number): number {
  return lo + Math.floor(rng.uniform() * (hi - lo + 1));
}

function nested(depth: number): unknown {
  let v: unknown = [1];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function configCase(kind: string, text: string, extra: string[] = []): Case {
  return { kind, files: { "c.json": text }, args: ["$D/c.json", ...extra] };
}

function withField(o: Record<string, unknown>, key: string, value: unknown): string {
  return JSON.stringify({ ...o, [key]: value });
}

/** Values that no matrix field accepts. */
function badMatrix(rng: Random): unknown {
  return pick(rng, [
    true,
    3,
    "x",
    {},
    [],
    [[]],
    [1, 2],
    [[1, "a"]],
    [[1], [1, 2]],
    [[null]],
    [[[1]]],
    nested(int(rng, 50, 3000)),
    "m" + ESC.repeat(int(rng, 1, 1000)),
    [[1, 2], {}],
  ]);
}

const MATRIX_FIELDS = ["sigmaYX", "W1", "W2", "sigmaXX"];

/** Each generator draws one case of its class. */
const GENERATORS: Record<string, [number, (rng: Random) => Case]> = {
  "json syntax": [30, (rng) => {
    const good = JSON.stringify(GOOD, null, rng.uniform() < 0.5 ? 2 : 0);
    for (;;) {
      const r = rng.uniform();
      let text: string;
      if (r < 0.4) text = good.slice(0, int(rng, 0, good.length - 2));
      else if (r < 0.8) {
        const at = int(rng, 0, good.length);
        text = good.slice(0, at) + pick(rng, ["{", "}", "[", ",", ":", '"', "@", "\u0000", "'"]) +
          good.slice(at);
      } else text = pick(rng, ["", "   ", "\ufeff", "{'a': 1}", "NaN", "{,}", "[1,]"]);
      try {
        JSON.parse(text);
      } catch {
        return configCase("json syntax", text);
      }
    }
  }],
  "not an object": [12, (rng) => {
    const v = pick(rng, [[], 1, "s", null, true, [{}], [GOOD], nested(int(rng, 10, 100000))]);
    return configCase("not an object", JSON.stringify(v));
  }],
  "bytes": [10, (rng) => {
    const bytes = new Uint8Array(int(rng, 1, 4000));
    for (let i = 0; i < bytes.length; i++) bytes[i] = int(rng, 128, 255);
    return { kind: "bytes", files: { "c.json": bytes }, args: ["$D/c.json"] };
  }],
  "field type": [60, (rng) => {
    const key = pick(rng, [
      ...MATRIX_FIELDS,
      "tau",
      "times",
      "method",
      "digits",
      "learningRate",
      "tolerance",
    ]);
    let value: unknown;
    if (MATRIX_FIELDS.includes(key)) value = badMatrix(rng);
    else if (key === "tau" || key === "learningRate") {
      value = pick(rng, [null, 0, -1, -0.5, "1", [], {}, true, [1]]);
    } else if (key === "times") {
      value = pick(rng, [null, [], 5, "0", [-1], [0, "a"], [[0]], {}, [null], [0, true]]);
    } else if (key === "method") {
      value = pick(rng, [null, "", "magic", 5, [], {}, ESC + "auto", "x".repeat(1e6), "AUTO"]);
    } else if (key === "tolerance") value = pick(rng, [null, 0, -1e-6, 1, 2, "1e-6", [], {}]);
    else value = pick(rng, [null, 5, 15.5, 2001, "50", -1, [], 1e9]);
    const base: Record<string, unknown> = key === "learningRate"
      ? { ...GOOD, method: "simulate" }
      : { ...GOOD };
    return configCase("field type", withField(base, key, value));
  }],
  "unknown field": [15, (rng) => {
    const key = pick(rng, [
      ESC + "key",
      "k".repeat(int(rng, 100, 100000)),
      "",
      "__proto__",
      "métodø",
      "\u2028line",
      "tau ",
      "Times",
    ]);
    return configCase("unknown field", withField(GOOD, key, 1));
  }],
  "shape": [30, (rng) => {
    for (;;) {
      const ni = int(rng, 1, 4), no = int(rng, 1, 4), nh = int(rng, 1, 4);
      const dims = [[no, ni], [nh, int(rng, 1, 4)], [int(rng, 1, 4), int(rng, 1, 4)]];
      if (dims[1][1] === ni && dims[2][0] === no && dims[2][1] === nh) continue;
      const m = ([r, c]: number[]) =>
        Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
      const o = { sigmaYX: m(dims[0]), W1: m(dims[1]), W2: m(dims[2]), times: [0, 1] };
      return configCase("shape", JSON.stringify(o));
    }
  }],
  "non-finite": [20, (rng) => {
    const text = JSON.stringify({ ...GOOD, tau: 1, method: "simulate", learningRate: 0.01 });
    const numbers = [...text.matchAll(/-?\d+(\.\d+)?/g)];
    const n = pick(rng, numbers);
    const bad = pick(rng, ["1e999", "-1e999"]);
    return configCase(
      "non-finite",
      text.slice(0, n.index) + bad + text.slice(n.index! + n[0].length),
    );
  }],
  "assumption": [25, (rng) => {
    const s = 1 + rng.uniform();
    const variants: Record<string, unknown>[] = [
      { ...GOOD, W2: [[0.1 * s * 2, 0], [0, 0.1]] }, // not zero-balanced
      { ...GOOD, sigmaXX: [[2 * s, 0, 0], [0, 1, 0], [0, 0, 1]] }, // not whitened (exact)
      { ...GOOD, sigmaYX: [[1, 0, 0], [2 * s, 0, 0]] }, // rank-deficient
      { ...GOOD, method: "fukumizu" }, // Eq. 5 needs Ni = No
      { ...GOOD, method: "aligned" }, // init not task-aligned
      {
        ...GOOD,
        method: "simulate",
        learningRate: 0.01,
        sigmaXX: [[1, 2, 0], [2, 1, 0], [0, 0, 1]],
      },
      {
        ...GOOD,
        method: "simulate",
        learningRate: 0.01,
        sigmaXX: [[1, 0, 0], [0, 1, 0], [0, 0, 0]],
      },
      {
        ...GOOD,
        method: "simulate",
        learningRate: 0.01,
        sigmaXX: [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
      },
      {
        ...GOOD,
        method: "simulate",
        learningRate: 0.01,
        sigmaXX: [[1, 0.5, 0], [0, 1, 0], [0, 0, 1]],
      },
      { ...GOOD, method: "bfree", times: [0, 40 + 100 * s] }, // growth beyond f64's digits
      { ...GOOD, method: "lambda", W2: [[0.1 * s * 2, 0], [0, 0.1]] }, // not λ-balanced
      { ...GOOD, method: "lambda-riccati", W2: [[0.3 * s, 0], [0, 0.1]] },
    ];
    return configCase("assumption", JSON.stringify(pick(rng, variants)));
  }],
  "limit": [30, (rng) => {
    const r = int(rng, 0, 8);
    const sim = { ...GOOD, method: "simulate", learningRate: 0.01 };
    switch (r) {
      case 0:
        return configCase("limit", JSON.stringify(GOOD), ["--max-dimension", `${int(rng, 1, 2)}`]);
      case 1:
        return configCase("limit", JSON.stringify(GOOD), ["--max-times", `${int(rng, 1, 2)}`]);
      case 2:
        return configCase("limit", JSON.stringify(sim), [
          pick(rng, ["--max-steps", "--max-gd-work"]),
          `${int(rng, 1, 150)}`,
        ]);
      case 3:
        return configCase("limit", JSON.stringify(GOOD), ["--max-output-bytes", "100"]);
      case 4:
        return configCase("limit", JSON.stringify(GOOD), ["--max-config-bytes", "10"]);
      case 5:
        return configCase("limit", JSON.stringify({ ...GOOD, digits: 30 }), [
          "--max-decimal-dimension",
          "2",
        ]);
      case 6: // the default limit on time points (a 130 000-point list overflowed a spread)
        return configCase("limit", JSON.stringify({ ...GOOD, times: new Array(100_001).fill(1) }));
      case 7: // 2e9 GD steps
        return configCase("limit", JSON.stringify({ ...sim, learningRate: 1e-9, times: [0, 2] }));
      default: // a 1 × 100 000 task: Σxx would be 100 000 × 100 000
        return configCase(
          "limit",
          JSON.stringify({
            sigmaYX: [new Array(100_000).fill(0.5)],
            W1: [new Array(100_000).fill(0)],
            W2: [[0]],
            times: [0],
          }),
        );
    }
  }],
  "numbers": [20, (rng) => {
    const r = int(rng, 0, 4);
    if (r === 0) return configCase("numbers", withField(GOOD, "learningRate", 0.01)); // exact + η
    if (r === 1) return configCase("numbers", JSON.stringify({ ...GOOD, method: "simulate" }));
    if (r === 2) {
      const o = { ...GOOD, method: "simulate", learningRate: 0.01, digits: 50 };
      return configCase("numbers", JSON.stringify(o));
    }
    if (r === 3) return configCase("numbers", withField(GOOD, "tau", -rng.uniform()));
    return configCase("numbers", withField(GOOD, "times", [0, -1e-300 - rng.uniform()]));
  }],
  "divergence": [10, (rng) => {
    const o = {
      ...GOOD,
      method: "simulate",
      learningRate: 1.5 + 3 * rng.uniform(),
      times: [0, 30],
    };
    return configCase("divergence", JSON.stringify(o));
  }],
  "arguments": [40, (rng) => {
    const good = JSON.stringify(GOOD);
    const r = int(rng, 0, 13);
    const files = { "c.json": good, "plain.txt": "x" };
    const args = (a: string[]): Case => ({ kind: "arguments", files, args: a });
    switch (r) {
      case 0:
        return args([]);
      case 1:
        return args(["$D/c.json", "$D/c.json"]);
      case 2:
        return args(["$D/c.json", pick(rng, ["--bogus", "-x", "--out=", "--Out", "--quiet"])]);
      case 3:
        return args(["$D/c.json", "--out"]);
      case 4:
        return args(["$D/c.json", "--out", pick(rng, ["$D", "$D/", "$D/missing/r.json"])]);
      case 5:
        return args(["$D/c.json", "--out", "$D/plain.txt/r.json"]);
      case 6:
        return args(["$D/c.json", "--out", pick(rng, ["/dev/full", "/proc/r.json", "/dev/null"])]);
      case 7: {
        const flag = pick(rng, [
          "--max-steps",
          "--max-times",
          "--max-dimension",
          "--max-output-bytes",
        ]);
        return args(["$D/c.json", flag, pick(rng, ["0", "-5", "abc", "1.5", "1e400", "", ESC])]);
      }
      case 8:
        return args([pick(rng, ["/dev/zero", "/dev/urandom", "/dev/null", "/proc/self/environ"])]);
      case 9:
        return { kind: "arguments", files: { "fifo": "@fifo" }, args: ["$D/fifo"] };
      case 10:
        return args([pick(rng, ["$D", "$D/absent.json", "", "$D/plain.txt/c.json"])]);
      case 11:
        return args(["$D/plain.txt"]); // "x": invalid JSON
      case 12:
        return args([ESC + "x".repeat(int(rng, 1, 5000))]);
      default:
        return args(["$D/c.json", "--out", "$D/r.json", "--max-times", "1"]);
    }
  }],
};

function drawCases(count: number, rng: Random): Case[] {
  const entries = Object.entries(GENERATORS);
  const weight = entries.reduce((a, [, [w]]) => a + w, 0);
  const cases: Case[] = [];
  // Every class at least in proportion to its weight, then the rest drawn by weight.
  for (const [, [w, gen]] of entries) {
    for (let i = 0; i < Math.floor((w * count) / weight); i++) cases.push(gen(rng));
  }
  while (cases.length < count) {
    let u = rng.uniform() * weight;
    const [, [, gen]] = entries.find(([, [w]]) => (u -= w) < 0) ?? entries[0];
    cases.push(gen(rng));
  }
  return cases;
}

async function prepare(c: Case): Promise<{ dir: string; args: string[] }> {
  const dir = await Deno.makeTempDir({ prefix: "dln_fuzz_" });
  for (const [name, content] of Object.entries(c.files)) {
    if (content === "@fifo") {
      const r = await new Deno.Command("mkfifo", { args: [join(dir, name)] }).output();
      assertOk(r.success, "mkfifo failed");
    } else if (typeof content === "string") await Deno.writeTextFile(join(dir, name), content);
    else await Deno.writeFile(join(dir, name), content);
  }
  return { dir, args: c.args.map((a) => a.replaceAll("$D", dir)) };
}

// deno-lint-ignore no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]/;

function checkOutcome(
  what: string,
  code: number,
  stdout: string,
  stderr: string,
): void {
  assertEquals(code, 2, `${what}: exit status (stderr: ${stderr.slice(0, 500)})`);
  assertEquals(stdout, "", `${what}: stdout`);
  assertOk(stderr.endsWith("\n"), `${what}: stderr ends with a newline: ${stderr.slice(0, 300)}`);
  const line = stderr.slice(0, -1);
  assertOk(!line.includes("\n"), `${what}: more than one stderr line: ${stderr.slice(0, 500)}`);
  assertOk(line.length <= 300, `${what}: stderr line of ${line.length} characters`);
  assertOk(!UNPRINTABLE.test(line), `${what}: control character in ${JSON.stringify(line)}`);
  assertOk(line.startsWith("solve: "), `${what}: ${line}`);
}

async function checkNothingLeft(what: string, c: Case, dir: string): Promise<void> {
  const left = await tree(dir);
  assertEquals(left, Object.keys(c.files).sort(), `${what}: files left behind`);
  await Deno.remove(dir, { recursive: true });
}

const COUNT = numRuns(320, 3000);
const SUBPROCESS_SAMPLE = numRuns(14, 100);
/** Heap cap of each subprocess, MB: ample for these inputs (a 100 000-wide row is ~2 MB). */
const SUBPROCESS_HEAP_MB = 384;
/** Kill timer of a subprocess (a hang guard; every case is refused before any work). */
const SUBPROCESS_KILL_MS = 60_000;
/** Resident memory the in-process run may add, bytes (the 5 MB strings, 1e5-wide rows). */
const IN_PROCESS_RSS_GROWTH = 1.5e9;

Deno.test(`solve fuzz: ${COUNT} hostile configs and argument lists, in-process`, async () => {
  const rng = new Random(seed);
  const cases = drawCases(COUNT, rng);
  const counts: Record<string, number> = {};
  const rss0 = Deno.memoryUsage().rss;
  let peak = rss0, slowest = 0;
  for (const [i, c] of cases.entries()) {
    counts[c.kind] = (counts[c.kind] ?? 0) + 1;
    const { dir, args } = await prepare(c);
    const t0 = performance.now();
    const { code, stdout, stderr } = await solveInProcess(args);
    slowest = Math.max(slowest, performance.now() - t0); // reported, not asserted
    const what = `case ${i} (${c.kind}, args ${JSON.stringify(args).slice(0, 200)})`;
    checkOutcome(what, code, stdout, stderr);
    await checkNothingLeft(what, c, dir);
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }
  assertOk(peak - rss0 < IN_PROCESS_RSS_GROWTH, `resident memory grew by ${peak - rss0} bytes`);
  console.log(
    `fuzz classes (seed ${seed}): ${JSON.stringify(counts)}; slowest case ` +
      `${slowest.toFixed(0)} ms, resident memory +${((peak - rss0) / 2 ** 20).toFixed(0)} MiB`,
  );
  assertEquals(Object.keys(counts).length, Object.keys(GENERATORS).length, "every class drawn");
});

Deno.test(`solve fuzz: a seeded sample of ${SUBPROCESS_SAMPLE} as real subprocesses`, async () => {
  const rng = new Random(seed + 1);
  const cases = drawCases(SUBPROCESS_SAMPLE, rng);
  for (const [i, c] of cases.entries()) {
    const { dir, args } = await prepare(c);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        `--v8-flags=--max-old-space-size=${SUBPROCESS_HEAP_MB}`,
        "--allow-read",
        "--allow-write",
        "--allow-env=INIT_CWD,CI",
        "scripts/solve.ts",
        ...args,
      ],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(SUBPROCESS_KILL_MS),
    });
    const r = await child.output();
    const dec = new TextDecoder();
    const what = `subprocess case ${i} (${c.kind}, args ${JSON.stringify(args).slice(0, 200)})`;
    checkOutcome(what, r.code, dec.decode(r.stdout), dec.decode(r.stderr));
    await checkNothingLeft(what, c, dir);
  }
});
