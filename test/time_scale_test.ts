/**
 * Every time-dependent path with `τ ≠ 1` (DESIGN.md: exact solutions depend on `t/τ`; GD step
 * `k` at learning rate `η` sits at `t = kητ`): GD (`simulate`, `simulateSequence`,
 * `simulateShallow`), every exact form, the shallow closed form, the explicit 2×2 form,
 * continual learning, the B-free accuracy estimate and the `solve` command. Each is checked
 * against a computation that handles τ on its own: a plain-JS GD loop, the Taylor-series
 * gradient-flow reference (test/reference/gradient_flow.ts, which takes τ as a parameter), or
 * values known by hand. With τ = 1 all of these would pass even if τ were ignored.
 */
import { assertClose, assertEquals, assertOk, assertThrows, relativeError } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import type { Task } from "../src/task.ts";
import type { Weights } from "../src/init/weights.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import { AssumptionError } from "../src/errors.ts";
import { type ExactMethod, solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { shallowSolution } from "../src/exact/shallow.ts";
import { aligned2x2, eq15A1, tPeakExact, tPeakPaper } from "../src/exact/aligned.ts";
import { continualLearning } from "../src/exact/continual.ts";
import { simulate, simulateShallow } from "../src/train/simulate.ts";
import { simulateSequence } from "../src/train/sequence.ts";
import { integrateGradientFlow } from "./reference/gradient_flow.ts";
import { randomProblem } from "./exact_problems.ts";
import { naiveMatmul } from "./linalg_arbitraries.ts";

/** One plain-JS GD step in correlation form (`Σxx = I`), simultaneous update (MATH.md). */
function gdStep({ w1, w2 }: Weights, syx: Matrix, eta: number): Weights {
  const p = naiveMatmul(w2, w1);
  const e = new Matrix(p.rows, p.cols, syx.data.map((y, i) => y - p.data[i]));
  const g1 = naiveMatmul(w2, e, true), g2 = naiveMatmul(e, w1, false, true);
  return {
    w1: new Matrix(w1.rows, w1.cols, w1.data.map((x, i) => x + eta * g1.data[i])),
    w2: new Matrix(w2.rows, w2.cols, w2.data.map((x, i) => x + eta * g2.data[i])),
  };
}

const flowOf = (task: Task, w: Weights, tau: number) => ({
  sigmaYX: task.sigmaYX.toArray(),
  w1: w.w1.toArray(),
  w2: w.w2.toArray(),
  tau,
});

Deno.test("simulate with τ ≠ 1: step round(t/(ητ)), reported t = kητ, follows the flow of τ", () => {
  const rng = new Random(401);
  const p = randomProblem(rng, { ni: 3, nh: 4, no: 2, scale: 0.3 });
  const eta = 2e-3;
  for (const tau of [2.5, 0.4]) {
    const times = [0, 0.5, 2, 4].map((x) => x * tau); // t/τ = 0, 0.5, 2, 4
    const gd = simulate(p.task, p.inputs, { learningRate: eta, times, tau });
    const steps = times.map((t) => Math.round(t / (eta * tau)));
    assertEquals(steps, [0, 250, 1000, 2000]);
    gd.times.forEach((t, i) => assertClose(t, steps[i] * eta * tau, 1e-12, `time ${i}`));
    // Independent: the same number of plain-JS steps. Summation orders differ (a few ulps per
    // step; 2000 contracting steps stay below 1e-12 relative, measured ~1e-14).
    let w: Weights = p.inputs, k = 0;
    steps.forEach((target, i) => {
      for (; k < target; k++) w = gdStep(w, p.task.sigmaYX, eta);
      const e = relativeError(gd.states[i].w2w1, naiveMatmul(w.w2, w.w1));
      assertOk(e < 1e-12, `τ=${tau}, t=${times[i]}: WASM vs plain-JS GD ${e}`);
    });
    // The flow with the same τ: GD at t/τ = kη deviates by O(η) (first order; relative
    // deviation measured ≤ 1.7e-3 = 0.82η here, for both τ), so 5η tells "same time" from
    // "t/τ off by a factor τ", which moves QQᵀ by O(1) while learning is under way.
    const ref = integrateGradientFlow(flowOf(p.task, p.inputs, tau), times);
    gd.states.forEach((s, i) => {
      const e = relativeError(joinQQt(s), Matrix.from(ref[i].qqt));
      assertOk(e < 5 * eta, `τ=${tau}, t=${times[i]}: GD vs flow ${e.toExponential(2)}`);
    });
  }
});

Deno.test("simulateSequence with τ ≠ 1: the clock runs on across tasks at t = kητ", () => {
  const rng = new Random(402);
  const [a, b] = [0, 1].map(() => randomProblem(rng, { ni: 2, nh: 3, no: 2, scale: 0.2 }));
  const tau = 3, eta = 0.01, steps = 40;
  const seq = simulateSequence([a.task, b.task], a.inputs, {
    learningRate: eta,
    steps,
    record: 20,
    tau,
  });
  assertEquals(seq.taskStarts, [0, 2]);
  const want = [0, 20, 40, 60, 80].map((k) => k * eta * tau);
  seq.times.forEach((t, i) => assertClose(t, want[i], 1e-12, `time ${i}`));
  let w: Weights = a.inputs;
  for (let k = 0; k < 2 * steps; k++) w = gdStep(w, (k < steps ? a : b).task.sigmaYX, eta);
  const e = relativeError(seq.weights!.at(-1)!.w2, w.w2);
  assertOk(e < 1e-12, `end of the sequence vs plain-JS GD: ${e}`);
});

Deno.test("shallow network with τ ≠ 1: closed form e^{−t/τ} by hand, GD at t = kητ", () => {
  const task: Task = { sigmaYX: Matrix.from([[1, 2], [-1, 0.5]]), sigmaXX: Matrix.identity(2) };
  const w0 = Matrix.from([[0, 0], [3, -1]]);
  const tau = 2.5;
  // At t = τ ln 2 the distance to Σyx has halved, at t = τ ln 4 it is a quarter.
  const r = shallowSolution(task, w0, [tau * Math.LN2, tau * Math.log(4)], tau);
  const mix = (f: number) =>
    new Matrix(2, 2, task.sigmaYX.data.map((y, i) => y + f * (w0.data[i] - y)));
  assertOk(relativeError(r.w[0], mix(0.5)) < 1e-15, "half-way at t = τ ln 2");
  assertOk(relativeError(r.w[1], mix(0.25)) < 1e-15, "a quarter left at t = τ ln 4");
  // GD with the same τ: W_k = Σ + (1 − η)^k (W0 − Σ) at k = round(t/(ητ)).
  const eta = 1e-3, t = tau * Math.LN2;
  const gd = simulateShallow(task, w0, { learningRate: eta, times: [t], tau });
  const k = Math.round(t / (eta * tau));
  assertClose(gd.times[0], k * eta * tau, 1e-12, "reported time");
  assertOk(relativeError(gd.w[0], mix((1 - eta) ** k)) < 1e-12, "GD steps");
});

Deno.test("every exact form with τ ≠ 1 follows the gradient-flow reference of that τ", () => {
  const rng = new Random(403);
  const cases: { shape: [number, number, number]; methods: ExactMethod[]; regular?: boolean }[] = [
    // Rectangular: Theorem 3.1's and the B-free forms' 4(t/τ)D terms are non-zero.
    { shape: [3, 4, 2], methods: ["auto", "stable", "bfree", "bfree-stable"] },
    { shape: [2, 3, 4], methods: ["stable", "bfree", "bfree-stable"] },
    // Square: Eq. 5 too (regular B).
    { shape: [3, 3, 3], methods: ["stable", "fukumizu", "bfree"], regular: true },
  ];
  for (const tau of [3, 0.25]) {
    for (const { shape: [ni, nh, no], methods, regular } of cases) {
      const p = randomProblem(rng, { ni, nh, no, scale: 0.5, regularB: regular });
      const times = [0, 0.7, 2.5].map((x) => x * tau);
      const ref = integrateGradientFlow({ ...p.flow, tau }, times);
      for (const method of methods) {
        const r = solveExact(be, p.task, p.inputs, times, { method, tau });
        // All forms are accurate to ~1e-13 here (t/τ ≤ 2.5, well-conditioned B); the reference
        // to ~1e-14. A form evaluated at t instead of t/τ is off by O(1).
        r.states.forEach((s, i) => {
          const e = relativeError(joinQQt(s), Matrix.from(ref[i].qqt));
          assertOk(e < 1e-10, `${method} ${ni}-${nh}-${no} τ=${tau} t=${times[i]}: ${e}`);
        });
      }
    }
  }
});

Deno.test("Theorem 5.1 and the explicit 2×2 form with τ ≠ 1 follow the flow of that τ", () => {
  // Task diag(s1, s2) (Ũ = Ṽ = I), W1 = A0, W2 = A0ᵀ: W2W1(t) = AᵀA(t) under gradient flow.
  const [s1, s2] = [2, 0.75];
  const a0 = Matrix.from([[0.3, 0.1], [0, 0.2]]);
  const gram = naiveMatmul(a0, a0, true);
  const task: Task = { sigmaYX: Matrix.diag([s1, s2]), sigmaXX: Matrix.identity(2) };
  const init = { w1: a0, w2: a0.transpose() };
  const tau = 4;
  const times = [0.5, 2, 6].map((x) => x * tau);
  const ref = integrateGradientFlow(flowOf(task, init, tau), times);
  const exact = solveExact(be, task, init, times, { method: "aligned", tau });
  times.forEach((t, i) => {
    const want = Matrix.from(ref[i].qqt).slice(2, 4, 0, 2);
    const x = aligned2x2(
      { a1: gram.get(0, 0), a2: gram.get(1, 1), b: gram.get(0, 1) },
      s1,
      s2,
      t,
      tau,
    );
    const e2 = relativeError(Matrix.from([[x.a1, x.b], [x.b, x.a2]]), want);
    assertOk(e2 < 1e-12, `aligned2x2 at t=${t}, τ=${tau}: ${e2}`);
    const e = relativeError(exact.states[i].w2w1, want);
    assertOk(e < 1e-12, `Theorem 5.1 at t=${t}, τ=${tau}: ${e}`);
  });
});

Deno.test("Eq. 15 and t_peak with τ ≠ 1: against the flow of that τ", () => {
  // s1 = s2 = s, task diag(s, s), W1 = A0, W2 = A0ᵀ: W2W1(t) = AᵀA(t) under the flow.
  const s = 1.5, tau = 2.5;
  // Rank-one A0ᵀA0 (δ = a1a2 − b² = 0): Eq. 15 is exact (applications.ts derives it).
  const a0 = Matrix.from([[0.03, 0.04]]);
  const task: Task = { sigmaYX: Matrix.diag([s, s]), sigmaXX: Matrix.identity(2) };
  const g0 = naiveMatmul(a0, a0, true);
  const ata = { a1: g0.get(0, 0), a2: g0.get(1, 1), b: g0.get(0, 1) };
  const times = [1, 3, 6].map((x) => x * tau);
  const ref = integrateGradientFlow(flowOf(task, { w1: a0, w2: a0.transpose() }, tau), times);
  times.forEach((t, i) => {
    const a1 = ref[i].qqt[2][0]; // (W2W1)₁₁
    const e = Math.abs(eq15A1(ata, s, t, tau) - a1) / a1;
    assertOk(e < 1e-12, `Eq. 15 at t = ${t}, τ = ${tau}: ${e}`);
  });
  // Full-rank A0 at small scale: |b(t)| of the flow peaks at tPeakExact (τ/4s scaling), and the
  // paper's t_peak is within (τ/4s)·δ/(s(s − a1 − a2)) before it (applications.ts).
  const a = Matrix.from([[0.02, 0.01], [0, 0.015]]);
  const g = naiveMatmul(a, a, true);
  const init = { a1: g.get(0, 0), a2: g.get(1, 1), b: g.get(0, 1) };
  const peak = tPeakExact(init, s, tau);
  const flow = integrateGradientFlow(
    flowOf(task, { w1: a, w2: a.transpose() }, tau),
    [0.97, 1, 1.03].map((x) => x * peak),
  );
  const b = flow.map((r) => Math.abs(r.qqt[2][1]));
  assertOk(b[1] > b[0] && b[1] > b[2], `|b| around tPeakExact = ${peak}: ${b}`);
  const delta = init.a1 * init.a2 - init.b ** 2;
  const gap = peak - tPeakPaper(init, s, tau);
  const bound = (tau / (4 * s)) * delta / (s * (s - init.a1 - init.a2));
  // The gap (~1.7e-8) is a difference of two logarithms of size ~peak: rounding ~8ε·peak.
  const round = 8 * Number.EPSILON * peak;
  assertOk(gap >= -round && gap <= bound + round, `paper t_peak gap ${gap} > ${bound}`);
});

Deno.test("continual learning with τ ≠ 1: each stage follows the flow of that τ", () => {
  const rng = new Random(404);
  const [ni, nh, no] = [3, 3, 2];
  const p = randomProblem(rng, { ni, nh, no, scale: 0.3 });
  const tasks = [0, 1].map((k) => ({
    ...randomProblem(rng, { ni, nh, no, scale: 1 }).task,
    name: `T${k + 1}`,
  }));
  const tau = 2, duration = 3 * tau;
  const res = continualLearning(be, tasks, p.inputs, [duration, duration], 3, { tau });
  assertEquals(res.trajectory.times, [0, 3, 6, 6, 9, 12].map((x) => x * tau / 2));
  let w: Weights = { w1: p.inputs.w1, w2: p.inputs.w2 };
  tasks.forEach((task, j) => {
    const ref = integrateGradientFlow(flowOf(task, w, tau), [0, duration / 2, duration]);
    ref.forEach((r, k) => {
      const e = relativeError(joinQQt(res.trajectory.states[3 * j + k]), Matrix.from(r.qqt));
      // Stage 2 starts from the reference's own end state; both agree to ~1e-13 there.
      assertOk(e < 1e-9, `stage ${j + 1}, point ${k}: ${e}`);
    });
    w = { w1: Matrix.from(ref[2].w1), w2: Matrix.from(ref[2].w2) };
  });
});

Deno.test("the B-free form's accuracy estimate is in t/τ: large τ stretches its horizon", () => {
  const rng = new Random(405);
  const p = randomProblem(rng, { ni: 3, nh: 3, no: 3, scale: 1, singularB: true });
  // t/τ = 1 is harmless (e^{2 s̃_max} loses < 3 digits) whatever t is; t/τ = 30 is refused.
  const tau = 60;
  const ok = solveExact(be, p.task, p.inputs, [0, tau], { method: "bfree", tau });
  assertEquals(ok.warnings, []);
  const ref = integrateGradientFlow({ ...p.flow, tau }, [tau]);
  const e = relativeError(joinQQt(ok.states[1]), Matrix.from(ref[0].qqt));
  assertOk(e < 1e-10, `B-free at t/τ = 1 vs flow: ${e}`);
  assertThrows(
    () => solveExact(be, p.task, p.inputs, [30 * tau], { method: "bfree", tau }),
    AssumptionError,
    "precision",
  );
});

Deno.test("solve with τ ≠ 1: the B-free horizon and the GD clock are in t/τ", async () => {
  const rng = new Random(406);
  const p = randomProblem(rng, { ni: 2, nh: 2, no: 2, scale: 1, singularB: true });
  const tau = 50;
  const config = {
    sigmaYX: p.task.sigmaYX.toArray(),
    W1: p.inputs.w1.toArray(),
    W2: p.inputs.w2.toArray(),
    tau,
    times: [0, tau],
  };
  const dir = await Deno.makeTempDir();
  try {
    const solve = async (extra: Record<string, unknown>) => {
      const file = `${dir}/c.json`;
      await Deno.writeTextFile(file, JSON.stringify({ ...config, ...extra }));
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", "scripts/solve.ts", file],
        cwd: new URL("..", import.meta.url).pathname,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.code === 0 ? out.stdout : out.stderr);
      assertEquals(out.code, 0, text);
      return JSON.parse(text);
    };
    const ref = integrateGradientFlow({ ...p.flow, tau }, [tau]);
    const bfree = await solve({ method: "bfree" });
    assertEquals(bfree.warnings, []);
    const e = relativeError(Matrix.from(bfree.qqt[1]), Matrix.from(ref[0].qqt));
    assertOk(e < 1e-10, `solve bfree at t/τ = 1 vs flow: ${e}`);
    const gd = await solve({ method: "simulate", learningRate: 0.01 });
    assertClose(gd.times[1], 100 * 0.01 * tau, 1e-12, "simulate: t = kητ with k = 100");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
