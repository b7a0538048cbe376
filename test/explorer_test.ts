/**
 * The browser explorer's library side (src/explorer/), tested without a browser: the URL state
 * and its round trip, typed errors on bad links, the problem builder against the figure scripts'
 * own constructions, the `solve` config the page shows, the view's curves and CSV, and the
 * static site build and server. The page itself is tested in Chromium by
 * `deno task test:browser` (test/browser/).
 *
 * @module
 */
import { assertClose, assertEquals, assertOk, assertThrows } from "./assert.ts";
import { InputError, NonFiniteError, ShapeError } from "../src/errors.ts";
import { Matrix } from "../src/matrix.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { parseCsv } from "../src/io/csv.ts";
import { parseSolveConfig } from "../src/io/config.ts";
import { randomTask } from "../src/tasks/random_task.ts";
import { target2x2 } from "../src/tasks/targets2x2.ts";
import { livingKingdomTask } from "../src/tasks/hierarchy.ts";
import { zeroBalancedInit } from "../src/init/zero_balanced.ts";
import { taskAlignedInit } from "../src/init/aligned.ts";
import { matmul, scale } from "../src/linalg/blas.ts";
import {
  DEFAULT_STATE,
  type ExplorerState,
  parseState,
  stateQuery,
} from "../src/explorer/state.ts";
import { buildProblem, solveConfig, viewCost } from "../src/explorer/problem.ts";
import { computeView, heatmapsAt, reviveView, viewCsv } from "../src/explorer/view.ts";
import { PRESETS } from "../src/explorer/presets.ts";
import { buildSite } from "../scripts/site.ts";
import { main as exploreMain, staticHandler } from "../scripts/explore.ts";
import { core, loadCore } from "../src/wasm/core.ts";
import { svd } from "../src/linalg/svd.ts";

const STATES: Partial<ExplorerState>[] = [
  {},
  { task: "random", ni: 5, no: 3, p: 7, sv: [2.5, 1, 0.25], nh: 6, tau: 2, t: 3.3 },
  { task: "custom", syx: [[1.5, -0.25, 0.1], [0.3, 2, 1e-3]], nh: 2, init: "gaussian", scale: 0.1 },
  { task: "kingdom", nh: 16, scale: 1e-3, eta: 0.01, horizon: 12, points: 61 },
  { task: "equal", nh: 3, init: "aligned", scale: 0.3, seed: -12345 },
  { task: "random", ni: 3, no: 3, p: 3, sv: [3, 2, 1], nh: 3, init: "lambda", lambda: -2.5 },
  { task: "revised", nh: 8, init: "learned", noise: 1e-4 },
];

Deno.test("explorer state: query round trip in both directions", () => {
  for (const partial of STATES) {
    const s = parseState("", partial);
    const q = stateQuery(s);
    assertEquals(parseState(q), s, q);
    assertEquals(stateQuery(parseState(`?${q}`)), q);
  }
  // Numbers keep every bit through the URL.
  const odd = parseState("", { scale: 0.1 + 0.2, eta: 1 / 3, horizon: Math.PI });
  assertEquals(parseState(stateQuery(odd)), odd);
  assertEquals(parseState(""), { ...DEFAULT_STATE, sv: [3, 1.2], syx: [[2, 0.4], [0.3, 1]] });
});

Deno.test("explorer state: canonical form fixes what a task or init does not read", () => {
  const k = parseState("task=kingdom&ni=3&no=5&nh=8&lambda=4&t=99");
  assertEquals([k.ni, k.no, k.p, k.lambda, k.t], [8, 8, 8, 0, DEFAULT_STATE.horizon]);
  assertOk(!stateQuery(k).includes("ni="), "fixed sizes stay out of the URL");
  const c = parseState("task=custom&syx=1,2,3%3B4,5,6&nh=2");
  assertEquals([c.ni, c.no, c.p], [3, 2, 3]);
});

Deno.test("explorer state: bad links get typed errors naming the field", () => {
  const cases: [string, new (...a: never[]) => Error, string][] = [
    ["colour=red", InputError, 'unknown parameter "colour"'],
    ["task=mnist", InputError, "task"],
    ["init=orthogonal", InputError, "init"],
    ["ni=0", InputError, "ni = 0"],
    ["ni=2.5", InputError, "ni"],
    ["ni=65", InputError, "ni = 65"],
    ["ni=4&no=4&p=4&sv=1,2", ShapeError, "sv has 2"],
    ["sv=3,-1", InputError, "sv[1]"],
    ["sv=3,abc", InputError, "sv[1]"],
    ["scale=1e999", NonFiniteError, "scale"],
    ["eta=0", InputError, "eta"],
    ["horizon=1000&eta=0.0001", InputError, "GD steps"],
    ["nh=1", ShapeError, "Nh = 1"],
    ["task=custom&syx=1,2%3B3", ShapeError, "row 2"],
    ["task=random&ni=3&no=2&p=2&sv=1,1", InputError, "p = 2"],
    ["init=aligned", ShapeError, "Ni = No"],
    ["points=1", InputError, "points"],
    ["seed=4294967295", InputError, "seed"],
    ["noise=-1", InputError, "noise"],
    ["lambda=", InputError, "lambda is empty"],
  ];
  for (const [q, type, text] of cases) assertThrows(() => parseState(q), type, text);
});

Deno.test("explorer presets reproduce the figure scripts' problems", () => {
  const byId = Object.fromEntries(
    PRESETS.map((p) => [p.id, buildProblem(parseState("", p.state))]),
  );
  // scripts/fig2.ts exampleRow: one generator, task then init.
  const rng2 = new Random(deriveSeed(2022, 0));
  const task2 = randomTask(rng2, { ni: 3, no: 2, p: 3, singularValues: [3, 1.2] });
  const init2 = zeroBalancedInit(rng2, { ni: 3, nh: 3, no: 2, scale: 0.005, task: task2 });
  assertEquals([...byId.fig2a.task.sigmaYX.data], [...task2.sigmaYX.data]);
  assertEquals([...byId.fig2a.init.w1.data], [...init2.w1.data]);
  assertEquals([...byId.fig2a.init.w2.data], [...init2.w2.data]);
  // scripts/fig3.ts: the small zero-balanced init is the first draw of deriveSeed(3, 0).
  const kingdom = livingKingdomTask();
  const init3 = zeroBalancedInit(new Random(deriveSeed(3, 0)), {
    ni: 8,
    nh: 16,
    no: 8,
    scale: 1e-3,
    task: kingdom,
  });
  assertEquals([...byId.fig3.init.w1.data], [...init3.w1.data]);
  // scripts/fig4.ts: A0 = σ·G with G the first 2×2 draw of deriveSeed(4, 0).
  const g = new Random(deriveSeed(4, 0)).gaussianMatrix(2, 2);
  const init4 = taskAlignedInit(target2x2("dense"), scale(g, 0.5));
  assertEquals([...byId.fig4.init.w2.data], [...init4.w2.data]);
  // Fig. 6E: the revised kingdom from the living kingdom's global minimum (W2W1 = Σyx).
  const w2w1 = matmul(byId.fig6.init.w2, byId.fig6.init.w1);
  w2w1.data.forEach((v, e) => assertClose(v, kingdom.sigmaYX.data[e], 1e-14, `W2W1[${e}]`));
});

Deno.test("explorer: the page's solve config is the problem, number for number", () => {
  for (const partial of STATES) {
    const p = buildProblem(parseState("", partial));
    const c = parseSolveConfig(solveConfig(p));
    assertEquals([...c.task.sigmaYX.data], [...p.task.sigmaYX.data]);
    assertEquals([...c.task.sigmaXX.data], [...p.task.sigmaXX.data]);
    assertEquals([...c.w1.data], [...p.init.w1.data]);
    assertEquals([...c.w2.data], [...p.init.w2.data]);
    assertEquals(c.times, p.times);
    assertEquals([c.tau, c.method], [p.state.tau, "auto"]);
  }
});

/** Singular values by numpy (an SVD independent of the WASM Jacobi one). */
async function numpySingularValues(m: Matrix): Promise<number[]> {
  const script = "import sys, json, numpy as np\n" +
    "a = np.array(json.loads(sys.stdin.read()))\n" +
    "print(json.dumps(np.linalg.svd(a, compute_uv=False).tolist()))";
  const p = new Deno.Command("python3", { args: ["-c", script], stdin: "piped", stdout: "piped" })
    .spawn();
  const w = p.stdin.getWriter();
  await w.write(new TextEncoder().encode(JSON.stringify(m.toArray())));
  await w.close();
  const out = await p.output();
  assertOk(out.success, "numpy failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("explorer view: curves, heatmaps and CSV of GD and the exact solution", async () => {
  const s = parseState("", STATES[1]); // 5→6→3, P = 7, τ = 2
  const p = buildProblem(s);
  const v = computeView(p);
  assertOk(v.exact.ok);
  assertEquals(v.exact.method, "stable");
  const panel = (id: string) => v.panels.find((x) => x.id === id)!;
  assertEquals(v.panels.map((x) => x.id), ["loss", "w2w1", "sv", "ntk"]);
  assertEquals(panel("w2w1").curves.length, 2 * 15);
  // The time axis is t/τ on both sources; GD reports the times it reached.
  const loss = panel("loss").curves;
  assertEquals(loss[1].x, p.times.map((t) => t / s.tau));
  assertEquals(v.times.analytical, p.times);
  // Singular values at the last time: the view's (WASM Jacobi SVD) against numpy's, to the
  // rounding of two backward-stable SVDs of an O(1) matrix (≤ 1e-13 relative to s₁).
  const last = p.times.length - 1;
  const want = await numpySingularValues(v.states.analytical![last].w2w1);
  const sv = panel("sv").curves.filter((c) => c.source === "theory");
  assertEquals(sv.length, 3);
  sv.forEach((c, k) => assertClose(c.y[last], want[k], 1e-13 * want[0], `s${k + 1}`));
  // Kernel distance starts at 0 (K(0) against itself), to rounding.
  for (const c of panel("ntk").curves) assertClose(c.y[0], 0, 1e-14, "kernel distance at t = 0");
  // Heatmaps: P × P RSMs of the exact solution at the chosen time.
  const h = heatmapsAt(p, v, 10);
  assertEquals(h.source, "analytical");
  assertEquals(h.maps.map((m) => [m.id, m.matrix.rows]), [
    ["w1tw1", 5],
    ["w2w2t", 3],
    ["rsmIn", 7],
    ["rsmOut", 7],
  ]);
  // The CSV: tidy, sources named simulation/analytical, t the time each source reached.
  const [header, ...rows] = parseCsv(viewCsv(v));
  assertEquals(header, ["panel", "series", "source", "t", "t_over_tau", "value"]);
  assertEquals(new Set(rows.map((r) => r[2])), new Set(["simulation", "analytical"]));
  const gdLoss = rows.filter((r) => r[0] === "loss" && r[2] === "simulation");
  assertEquals(gdLoss.map((r) => Number(r[3])), v.times.simulation);
  assertEquals(gdLoss.map((r) => Number(r[5])), loss[0].y);
  // A view survives structured cloning (the worker's postMessage) with its matrices.
  const back = reviveView(structuredClone(v));
  assertEquals([...heatmapsAt(p, back, 10).maps[2].matrix.data], [...h.maps[2].matrix.data]);
});

Deno.test("explorer view: no exact form for Gaussian weights; reversal sits at the saddle", () => {
  const gauss = computeView(buildProblem(parseState("", STATES[2])));
  assertOk(!gauss.exact.ok && gauss.exact.error.includes("AssumptionError"));
  assertOk(gauss.panels.every((x) => x.curves.every((c) => c.source === "simulation")));
  // Revised kingdom from the living kingdom's minimum: B singular, the stable B-free form, and
  // the exact flow goes to the saddle where the swapped fish's mode is unlearned, loss ½ s² of
  // that item-level mode, s = 1 (LEVEL_STRENGTHS): 0.5, approached from above exponentially
  // (5.6e-8 above it at t = 20τ) and never passed.
  const rev = computeView(buildProblem(parseState("", { ...STATES[6], noise: 0 })));
  assertOk(rev.exact.ok);
  assertEquals(rev.exact.method, "bfree-stable");
  const exactLoss = rev.panels[0].curves.find((c) => c.source === "theory")!.y;
  const gap = exactLoss[exactLoss.length - 1] - 0.5;
  assertOk(gap >= 0 && gap < 1e-6, `loss ${gap} above the saddle at t = 20τ`);
  assertOk(exactLoss.every((l) => l >= 0.5 - 1e-12), "the exact flow never goes below the saddle");
});

Deno.test("explorer: viewCost grows with the problem", () => {
  const small = viewCost(parseState("", STATES[0]));
  const big = viewCost(parseState("ni=32&no=32&p=32&nh=32&sv=" + Array(32).fill(1).join(",")));
  assertOk(big > 1000 * small, `${big} vs ${small}`);
});

Deno.test("deno task site and explore: static files, wasm MIME type, no path escapes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dln-site-test-" });
  try {
    const files = await buildSite(dir);
    assertEquals(Object.keys(files).sort(), [
      "app.js",
      "dln.wasm",
      "index.html",
      "style.css",
      "worker.js",
    ]);
    const html = await Deno.readTextFile(`${dir}/index.html`);
    for (const id of ['id="config"', 'id="download-csv"', 'src="app.js"']) {
      assertOk(html.includes(id), id);
    }
    assertOk(!/src="https?:|href="https?:[^"]*\.(css|js|woff2?)"/.test(html), "nothing from a CDN");
    const serve = staticHandler(new URL(`file://${dir}/`));
    const get = (path: string, method = "GET") =>
      serve(new Request(`http://127.0.0.1${path}`, { method }));
    const wasm = await get("/dln.wasm");
    assertEquals(wasm.headers.get("content-type"), "application/wasm");
    assertOk(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
    assertEquals((await get("/")).headers.get("content-type"), "text/html; charset=utf-8");
    for (const bad of ["/../deno.json", "/%2e%2e/deno.json", "/missing.js", "//etc/passwd"]) {
      const r = await get(bad);
      await r.body?.cancel();
      assertEquals(r.status, 404, bad);
    }
    assertEquals((await get("/", "POST")).status, 405);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  assertEquals(await exploreMain(["--port", "http"]), 2);
  assertEquals(await exploreMain(["--port", "70000"]), 2);
});

Deno.test("the browser's loader: loadCore fetches, compiles and installs the core", async () => {
  // A data: URL stands in for the page's fetch of dln.wasm (no network permission needed) and
  // carries the application/wasm type that compileStreaming requires.
  const bytes = await Deno.readFile(new URL("../build/dln.wasm", import.meta.url));
  let b64 = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    b64 += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const before = core();
  const module = await loadCore(`data:application/wasm;base64,${btoa(b64)}`);
  assertOk(module instanceof WebAssembly.Module);
  assertOk(core() !== before, "the loaded module is the process-wide core now");
  // The library runs on it: singular values of diag(3, −4).
  assertEquals([...svd(Matrix.from([[3, 0], [0, -4]])).s], [4, 3]);
  const bad = await loadCore("data:application/wasm;base64,AAAA").catch((e: Error) => e);
  assertOk(bad instanceof Error, "invalid bytes are refused");
});

Deno.test("explorer view: GD in pieces with progress gives the same trajectory, bit for bit", () => {
  // η = 0.02 over a grid step of 1/120: neighbouring times round to the same GD step, so the
  // pieces also start on repeated steps; τ = 1.5 and a rectangular network.
  const p = buildProblem(parseState("", {
    task: "random",
    ni: 4,
    no: 3,
    p: 4,
    sv: [2, 1, 0.5],
    nh: 5,
    scale: 0.3,
    eta: 0.02,
    tau: 1.5,
    horizon: 1.5,
    points: 121,
  }));
  const fractions: number[] = [];
  const pieces = computeView(p, (f) => fractions.push(f));
  const whole = computeView(p);
  assertEquals(pieces.times, whole.times);
  assertEquals(pieces.panels, whole.panels);
  assertEquals(
    pieces.states.simulation.map((s) => [...s.w2w1.data, ...s.w1tw1.data, ...s.w2w2t.data]),
    whole.states.simulation.map((s) => [...s.w2w1.data, ...s.w1tw1.data, ...s.w2w2t.data]),
  );
  assertOk(fractions.length >= 12, `${fractions.length} progress reports`);
  assertOk(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]), "progress never goes back");
  assertEquals(fractions[fractions.length - 1], 1);
});
