/**
 * Section 6 applications and helpers: weights from QQᵀ, continual learning (exact stages against
 * gradient flow, forgetting table before training), reversal learning (singular B, saddle), the
 * shallow network's closed form.
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { weightsFromQQt } from "../src/exact/weights.ts";
import { continualLearning, forgettingTable } from "../src/exact/continual.ts";
import { reverseModes } from "../src/exact/reversal.ts";
import { shallowSolution } from "../src/exact/shallow.ts";
import { solveExact } from "../src/exact/solve.ts";
import { svd } from "../src/linalg/svd.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { integrateGradientFlow } from "./reference/gradient_flow.ts";
import { randomProblem } from "./exact_problems.ts";
import { assertClose, assertEquals, assertMatrixClose, assertOk } from "./assert.ts";
import { seed } from "./budget.ts";
import { naiveMatmul } from "./linalg_arbitraries.ts";

Deno.test("weights from QQᵀ reproduce QQᵀ and are zero-balanced", () => {
  const rng = new Random(seed + 50);
  for (const [ni, nh, no] of [[3, 4, 2], [2, 2, 5], [4, 9, 4]]) {
    const p = randomProblem(rng, { ni, nh, no, scale: 0.7, regularB: ni === no });
    const q = joinQQt(solveExact(be, p.task, p.inputs, [2]).states[0]);
    const { w1, w2 } = weightsFromQQt(be, q, ni, nh);
    assertEquals([w1.shape, w2.shape], [[nh, ni], [no, nh]]);
    const qf = Matrix.fromFunction(
      ni + no,
      nh,
      (i, j) => i < ni ? w1.get(j, i) : w2.get(i - ni, j),
    );
    assertMatrixClose(naiveMatmul(qf, qf, false, true), q, 1e-13, "QQᵀ from the weights");
    assertMatrixClose(
      naiveMatmul(w1, w1, false, true),
      naiveMatmul(w2, w2, true),
      1e-12,
      "W1W1ᵀ = W2ᵀW2",
    );
  }
});

Deno.test("continual learning: exact stages match gradient flow; forgetting table predicted", () => {
  const rng = new Random(seed + 51);
  // Rectangular: for square tasks half of all stage starts have singular B (sign det flips),
  // which f64 refuses at 15τ; the B-free form is tested on its own elsewhere.
  const [ni, nh, no] = [3, 4, 2];
  const p = randomProblem(rng, { ni, nh, no, scale: 0.05 });
  const tasks = [0, 1, 2].map((k) => ({
    ...randomProblem(rng, { ni, nh, no, scale: 1 }).task,
    name: `T${k + 1}`,
  }));
  const durations = [15, 15, 15];
  const res = continualLearning(be, tasks, p.inputs, durations, 4);
  assertEquals(res.trajectory.times.length, 12);
  // Reference: integrate each stage from the reference's own end state.
  let state = { w1: p.flow.w1, w2: p.flow.w2 };
  let worst = 0;
  tasks.forEach((task, j) => {
    if (res.stages[j].method !== "stable") return; // random stage starts can have singular B
    const times = [0, 5, 10, 15];
    const ref = integrateGradientFlow({ sigmaYX: task.sigmaYX.toArray(), ...state }, times);
    times.forEach((_, k) => {
      const got = joinQQt(res.trajectory.states[j * 4 + k]);
      const e = Math.sqrt(
        got.data.reduce((s, x, i) => s + (x - ref[k].qqt.flat()[i]) ** 2, 0),
      ) / Matrix.from(ref[k].qqt).normFrobenius();
      worst = Math.max(worst, e);
    });
    state = { w1: ref[3].w1, w2: ref[3].w2 };
  });
  console.log(
    `continual learning vs reference: max rel. error ${worst.toExponential(2)}; stages ${
      res.stages.map((s) => s.method)
    }`,
  );
  assertOk(worst < 1e-9, `${worst}`);
  // The table is a statement about convergence (t → ∞), so it is checked after a training time
  // long enough for convergence, not after 15τ. Near the global minimum W2W1 − Σj decays
  // mode by mode at rate (s̃a + s̃b)/τ, except, for Ni > No, its part along Ṽ⊥: W1ᵀW1 → ṼS̃Ṽᵀ
  // vanishes there, leaving rate s̃a/τ alone. So the slowest rate is s̃_min/τ ≥ 0.5/τ here (task
  // singular values are ≥ 0.5), and Li(W2W1(t)) − Li(Tj) = ⟨Δ, Σj − Σi⟩ + ½‖Δ‖² is linear in
  // the residual Δ. At 15τ that is e^{−7.5} ≈ 6e-4 of the slow mode's amplitude (measured: up
  // to 8e-6 in the loss, with s̃_min = 0.66, rate confirmed from the decay of ‖Δ‖); at 80τ it is
  // e^{−40} ≈ 4e-18, far below rounding. What remains is rounding: W2W1 from the stable form is
  // correct to ~1e-14 relative here, which moves Li by ~‖δW2W1‖·‖Σj − Σi‖ ≲ 1e-13 (measured:
  // 9e-16 relative), hence 1e-12 relative.
  const converged = continualLearning(be, tasks, p.inputs, [80, 80, 80], 2);
  const table = forgettingTable(tasks);
  tasks.forEach((ti, i) =>
    tasks.forEach((_, j) => {
      if (converged.stages[j].method !== "stable") return;
      const atEnd = converged.trajectory.extraLosses![ti.name!][j * 2 + 1];
      assertClose(atEnd, table[i][j], 1e-12 * Math.max(1, table[i][j]), `L${i + 1}(T${j + 1})`);
    })
  );
  // Without tr Σyy (noise-free tasks) the constant ci is 0: a network converged on Ti has loss
  // 0 on it (the table with target noise is checked against the data in forgetting_test.ts).
  tasks.forEach((t, i) =>
    assertClose(table[i][i], 0, 1e-14 * t.sigmaYX.normFrobenius() ** 2, `L${i + 1}(T${i + 1})`)
  );
});

Deno.test("reversal learning: singular B, the B-free form goes to the saddle; shallow succeeds", () => {
  const rng = new Random(seed + 52);
  const n = 3;
  // regularB: the base task must actually be learned. A random square init has singular B for
  // about half of all draws (sign det W2W1(0) ≠ sign det Σyx); gradient flow then stops at a
  // saddle with one mode zero, and the "learned" state would be rank-deficient (Assumption 2.4).
  const base = randomProblem(rng, { ni: n, nh: n, no: n, scale: 1, regularB: true });
  // The learned state of the base task: a balanced factorisation of Σyx itself.
  const learned = weightsFromQQt(
    be,
    joinQQt(solveExact(be, base.task, base.inputs, [1e3]).states[0]),
    n,
    n,
  );
  const rev = reverseModes(be, base.task, [1]);
  const times = [2, 10, 30];
  // 120 digits: the B-free form's growth e^{2 s̃_max t/τ} costs up to ~65 of them at 30τ.
  const dec = solveExact(decimalBackend(120), rev.task, learned, times, { method: "bfree" });
  assertEquals(dec.method, "bfree");
  // auto in f64 (the stable B-free form) gives the same answer, at every time.
  const f64 = solveExact(be, rev.task, learned, [...times, 1e3]);
  assertEquals(f64.method, "bfree-stable");
  // The f64 error grows with t: it is f64 rounding of the inputs' SVDs (~1e-15) amplified by the
  // problem's own sensitivity near the saddle. The saddle has the reversed mode k empty while
  // the weaker modes j (s̃j < s̃k) are learned; rotating a hidden unit from mode j to mode k
  // lowers the loss, an unstable direction with rate (s̃k − s̃j)/τ, so perturbations grow like
  // e^{(s̃k − s̃_min)t/τ}. Measured here (s̃ = 1.73, 1.17, 1.07, k = 2): 1e-15 at 2τ, 3.5e-15 at
  // 10τ, 3.3e-14 at 30τ, growth rate 0.11 ≈ s̃₂ − s̃₃ = 0.10; a draw with s̃₂ − s̃₃ = 0.48 gave
  // 2e-15, 1e-13, 1.5e-9 (rate 0.48). Tolerance: 100ε·e^{(s̃k − s̃_min)t/τ}, 10× above both.
  // The same formula in 120 digits equals the 120-digit B-free form exactly.
  const st = svd(base.task.sigmaYX).s;
  const rate = st[1] - st[n - 1];
  times.forEach((t, i) =>
    assertMatrixClose(
      joinQQt(f64.states[i]),
      joinQQt(dec.states[i]),
      100 * Number.EPSILON * Math.exp(rate * t),
      `f64 t=${t}`,
    )
  );
  assertMatrixClose(f64.states[3].w2w1, rev.saddle, 1e-12, "W2W1(1000τ) = saddle");
  const ref = integrateGradientFlow({
    sigmaYX: rev.task.sigmaYX.toArray(),
    w1: learned.w1.toArray(),
    w2: learned.w2.toArray(),
  }, times);
  // The f64 reference is trusted only while the state is far from the saddle: near it W2W1 is
  // nearly singular and rounding can push det W2W1 through zero, letting it escape (as GD does).
  [0, 1].forEach((i) =>
    assertMatrixClose(joinQQt(dec.states[i]), Matrix.from(ref[i].qqt), 1e-9, `t=${times[i]}`)
  );
  // The network function converges to the saddle: the reversed mode unlearned, not relearned.
  assertMatrixClose(dec.states[2].w2w1, rev.saddle, 1e-6, "W2W1(30τ) vs saddle");
  assertOk(dec.loss[2] > 0.1, `loss stays at the saddle: ${dec.loss[2]}`);
  // A shallow network from the same function converges to the reversed task.
  const sh = shallowSolution(rev.task, base.task.sigmaYX, [0, 30]);
  assertMatrixClose(sh.w[1], rev.task.sigmaYX, 1e-12, "shallow W(30τ)");
  assertClose(sh.loss[1], 0, 1e-12, "shallow loss");
});

Deno.test("shallow network closed form: W(t) = Σyx + e^{−t/τ}(W(0) − Σyx)", () => {
  const task = { sigmaYX: Matrix.from([[1, 2]]), sigmaXX: Matrix.identity(2) };
  const r = shallowSolution(task, Matrix.from([[0, 0]]), [Math.LN2], 1);
  assertMatrixClose(r.w[0], Matrix.from([[0.5, 1]]), 1e-15, "half-way at t = τ ln 2");
});
