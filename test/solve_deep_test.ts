/**
 * `solve` with `"weights": [W1, …, WL]` (DESIGN.md, growth of the contract): the depth-3
 * examples through the command's `main` (output `"product"`, no `"qqt"`), L = 2 given as
 * `"weights"` equal to `W1`/`W2`, and every bad depth-L input as a typed error (exit status 2).
 */
import { main } from "../scripts/solve.ts";
import { parseSolveConfig } from "../src/io/config.ts";
import { InputError, ShapeError } from "../src/errors.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { Decimal } from "decimal.js";

const ROOT = new URL("..", import.meta.url).pathname;

async function run(config: unknown): Promise<{ code: number; out?: Record<string, unknown> }> {
  const dir = await Deno.makeTempDir();
  try {
    const input = `${dir}/config.json`, output = `${dir}/out.json`;
    await Deno.writeTextFile(input, JSON.stringify(config));
    const code = await main([input, "--out", output]);
    if (code !== 0) return { code };
    return { code, out: JSON.parse(await Deno.readTextFile(output)) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const example = async (name: string) =>
  JSON.parse(await Deno.readTextFile(`${ROOT}examples/${name}.json`));

Deno.test("solve: depth-3 examples give the product per time; aligned and GD agree to O(η)", async () => {
  const aligned = await run(await example("deep-aligned"));
  const sim = await run(await example("deep-simulate"));
  assertEquals([aligned.code, sim.code], [0, 0]);
  const a = aligned.out!, s = sim.out!;
  assertEquals(a.method, "aligned");
  assertEquals(s.method, "simulate");
  assertOk(!("qqt" in a) && !("qqt" in s), "no qqt at depth 3");
  // The aligned method reports its arithmetic and error estimate; a few f64 ulps at t = 0, more
  // across the transitions (conditioning of u in t), never above 1e-12 here.
  assertEquals(a.arithmetic, "f64");
  const est = a.errorEstimates as number[];
  assertEquals(est.length, 6);
  assertOk(est.every((e) => e > 0 && e <= 1e-12) && a.errorEstimate === Math.max(...est), `${est}`);
  const pa = a.product as number[][][], ps = s.product as number[][][];
  assertEquals(pa.length, 6);
  pa.forEach((p) => assertEquals([p.length, p[0].length], [2, 3]));
  // GD at η = 0.005 lags gradient flow by O(η) in time: the products differ by at most a few
  // percent of s̃ during the transition (measured 0.8 % of s̃ = 2 at t = 10).
  let gap = 0;
  pa.forEach((p, k) =>
    p.forEach((row, i) =>
      row.forEach((v, j) => {
        gap = Math.max(gap, Math.abs(v - ps[k][i][j]));
      })
    )
  );
  assertOk(gap <= 0.05, `aligned vs GD gap ${gap}`);
});

Deno.test("solve: L = 2 given as weights equals W1/W2 and reports the product", async () => {
  const base = await example("aligned");
  const viaWeights = { ...base, weights: [base.W1, base.W2] };
  delete viaWeights.W1;
  delete viaWeights.W2;
  const a = await run(base), b = await run(viaWeights);
  assertEquals(a.out!.qqt, b.out!.qqt);
  assertEquals(a.out!.product, b.out!.product);
  const q = (a.out!.qqt as number[][][])[2];
  assertEquals((a.out!.product as number[][][])[2], q.slice(2, 4).map((row) => row.slice(0, 2)));
});

Deno.test("solve: digits at depth 3 gives the aligned product as decimal strings", async () => {
  // Two times (decimal transcendental functions cost ~50 ms per mode and time at 40 digits).
  const deep = { ...(await example("deep-aligned")), times: [5, 10] };
  const f64 = (await run(deep)).out!.product as number[][][];
  const d30 = (await run({ ...deep, digits: 30 })).out!.product as string[][][];
  const d45 = (await run({ ...deep, digits: 45 })).out!.product as string[][][];
  d30.forEach((p, k) =>
    p.forEach((row, i) =>
      row.forEach((x, j) => {
        assertEquals(typeof x, "string");
        const a = Number(x), b = f64[k][i][j];
        // f64 keeps a few ulps of the mode strength (exact_deep_test.ts): 1e-14 relative.
        assertOk(Math.abs(a - b) <= 1e-14 * Math.max(Math.abs(b), 1e-300), `f64 ${b} vs ${x}`);
        // 30 and 45 digits agree to the 30th (each carries 6 guard digits): |Δ| ≤ 1e-29·|x|.
        const hi = new Decimal(d45[k][i][j]), lo = new Decimal(x);
        assertOk(
          hi.sub(lo).abs().lte(hi.abs().mul("1e-29")),
          `30 vs 45 digits at ${k},${i},${j}: ${x} vs ${d45[k][i][j]}`,
        );
      })
    )
  );
  const est = (await run({ ...deep, digits: 30 })).out!;
  assertEquals(est.arithmetic, "decimal(30)");
  assertOk((est.errorEstimate as number) <= 1e-28, `decimal estimate ${est.errorEstimate}`);
  assertOk(d30[1][0][0].replace(/[-.]|e.*$/g, "").replace(/^0+/, "").length >= 28, d30[1][0][0]);
});

Deno.test("solve: a tolerance beyond f64 moves the depth-3 aligned solution to decimal", async () => {
  const deep = { ...(await example("deep-aligned")), times: [5, 10] };
  const fine = (await run({ ...deep, tolerance: 1e-20 })).out!;
  assertOk(String(fine.arithmetic).startsWith("decimal("), `arithmetic ${fine.arithmetic}`);
  assertOk((fine.errorEstimate as number) <= 1e-20, `estimate ${fine.errorEstimate}`);
  assertEquals(typeof (fine.product as unknown[][][])[0][0][0], "string");
  assertOk(String(fine.reason).includes("> tolerance"), String(fine.reason));
  const loose = (await run({ ...deep, tolerance: 1e-8 })).out!;
  assertEquals([loose.arithmetic, loose.tolerance, loose.warnings], ["f64", 1e-8, []]);
});

Deno.test("solve: bad depth-L configs are typed errors with exit status 2", async () => {
  const deep = await example("deep-aligned");
  const text = (o: unknown) => JSON.stringify(o);
  assertThrows(() => parseSolveConfig(text({ ...deep, W1: [[1, 0, 0]] })), InputError, "not both");
  assertThrows(
    () => parseSolveConfig(text({ ...deep, method: "stable" })),
    InputError,
    "two layers",
  );
  assertThrows(() => parseSolveConfig(text({ ...deep, weights: [deep.weights[0]] })), InputError);
  assertThrows(
    () =>
      parseSolveConfig(text({ ...deep, weights: [deep.weights[0], [[1, 2, 3]], deep.weights[2]] })),
    ShapeError,
    "columns",
  );
  assertThrows(
    () => parseSolveConfig(text({ ...deep, weights: [[[1, 0]], [[1]]] })),
    ShapeError,
    "Ni",
  );
  // Unbalanced and unaligned weights reach the aligned solution and are refused there.
  const unbalanced = { ...deep, weights: [deep.weights[0], [[0.3, 0], [0, 0.2]], deep.weights[2]] };
  const rotated = {
    ...deep,
    weights: [
      [[0.1, 0, 0], [0, 0, 0.1]],
      [[0.1, 0], [0, 0.1]],
      [[0.1, 0], [0, 0.1]],
    ],
  };
  assertEquals((await run(unbalanced)).code, 2);
  assertEquals((await run(rotated)).code, 2);
  assertEquals((await run({ ...deep, method: "simulate" })).code, 2); // no learningRate
});
