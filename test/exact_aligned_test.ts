/**
 * Theorem 5.1 (task-aligned init) against Theorem 3.1, the explicit 2×2 solution against the
 * general one, and the regimes of the paper's Eq. 15 and t_peak measured against the exact AᵀA(t).
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { AssumptionError } from "../src/errors.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import {
  aligned2x2,
  alignedSolution,
  type Ata2,
  eq15A1,
  tPeakExact,
  tPeakPaper,
} from "../src/exact/aligned.ts";
import { solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { assertClose, assertMatrixClose, assertOk, assertThrows } from "./assert.ts";
import { seed } from "./budget.ts";

function mul(a: Matrix, b: Matrix): Matrix {
  return Matrix.fromFunction(a.rows, b.cols, (i, j) => {
    let s = 0;
    for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
    return s;
  });
}

/** An aligned problem: Σyx = Ũ diag(st) Ṽᵀ, W1 = A0Ṽᵀ, W2 = ŨA0ᵀ. */
function alignedProblem(rng: Random, n: number, st: number[], a0: Matrix) {
  const ut = rng.orthonormal(n, n), vt = rng.orthonormal(n, n);
  const sigmaYX = mul(mul(ut, Matrix.diag(st)), vt.transpose());
  const w1 = mul(a0, vt.transpose()), w2 = mul(ut, a0.transpose());
  return { sigmaYX, sigmaXX: Matrix.identity(n), w1, w2 };
}

Deno.test("Theorem 5.1 equals Theorem 3.1 on aligned inits", () => {
  const rng = new Random(seed + 30);
  for (const [n, nh, scale] of [[2, 2, 0.01], [3, 5, 0.3], [5, 6, 1.5]]) {
    const st = Array.from({ length: n }, () => 0.5 + 2 * rng.uniform()).sort((a, b) => b - a);
    const inp = alignedProblem(rng, n, st, rng.gaussianMatrix(nh, n, scale));
    const times = [0, 0.5, 2, 10];
    const ref = solveExact(be, { sigmaYX: inp.sigmaYX, sigmaXX: inp.sigmaXX }, inp, times);
    const al = solveExact(be, { sigmaYX: inp.sigmaYX, sigmaXX: inp.sigmaXX }, inp, times, {
      method: "aligned",
    });
    times.forEach((t, i) =>
      assertMatrixClose(joinQQt(al.states[i]), joinQQt(ref.states[i]), 1e-10, `n=${n} t=${t}`)
    );
  }
});

Deno.test("Theorem 5.1 rejects a misaligned init", () => {
  const rng = new Random(seed + 31);
  const inp = alignedProblem(rng, 3, [2, 1, 0.5], rng.gaussianMatrix(3, 3, 0.5));
  const w2 = Matrix.fromFunction(3, 3, (i, j) => inp.w2.get(i, j) * (i === 0 ? -1 : 1));
  // Flipping a row of W2 keeps zero-balance (W2ᵀW2 unchanged) but breaks alignment.
  assertThrows(
    () => be.scoped(() => alignedSolution(be, { ...inp, w2 })),
    AssumptionError,
    "5.1 task-aligned init",
  );
});

Deno.test("the explicit 2×2 solution equals the general Theorem 5.1", () => {
  const rng = new Random(seed + 32);
  for (let run = 0; run < 5; run++) {
    const a0 = rng.gaussianMatrix(2, 2, 0.3);
    const st = [1 + rng.uniform(), 0.3 + 0.7 * rng.uniform()];
    // Σyx diagonal, Ũ = Ṽ = I: AᵀA is then directly the task-basis matrix.
    const inp = {
      sigmaYX: Matrix.diag(st),
      sigmaXX: Matrix.identity(2),
      w1: a0,
      w2: a0.transpose(),
    };
    const ata0 = mul(a0.transpose(), a0);
    const init: Ata2 = { a1: ata0.get(0, 0), a2: ata0.get(1, 1), b: ata0.get(0, 1) };
    be.scoped(() => {
      const sol = alignedSolution(be, inp);
      for (const t of [0, 0.3, 1, 4, 20]) {
        const g = be.scoped(() => be.toMatrix(sol.ata(t)));
        const e = aligned2x2(init, st[0], st[1], t);
        const scale = Math.max(Math.abs(g.get(0, 0)), Math.abs(g.get(1, 1)));
        // Ũ, Ṽ from the SVD may flip signs of a mode: compare b up to sign.
        assertClose(e.a1, g.get(0, 0), 1e-12 * scale, `a1(${t})`);
        assertClose(e.a2, g.get(1, 1), 1e-12 * scale, `a2(${t})`);
        assertClose(Math.abs(e.b), Math.abs(g.get(0, 1)), 1e-12 * scale, `b(${t})`);
      }
    });
  }
});

const S = 1; // s1 = s2 = s for Eq. 15 and t_peak

/** max over t ∈ [0, tmax] of |Eq. 15 − exact| / max_t |a1(t)| on a grid of 4000 steps. */
function eq15Error(init: Ata2, tmax: number): number {
  let err = 0, top = 0;
  for (let k = 0; k <= 4000; k++) {
    const t = (tmax * k) / 4000, exact = aligned2x2(init, S, S, t).a1;
    err = Math.max(err, Math.abs(eq15A1(init, S, t) - exact));
    top = Math.max(top, Math.abs(exact));
  }
  return err / top;
}

Deno.test("Eq. 15 holds for nearly rank-one A0ᵀA0 up to the first transition, at any scale", () => {
  // ρ = 1 − b²/(a1a2) = δ/(a1a2) measures how far A0ᵀA0 is from rank one. Measured: through the
  // half-learning time t1 = (τ/2s) ln((s − a1 − a2)/(a1 + a2)) the error is ≈ 0.2ρ whatever the
  // scale; later the second direction is learned (at ≈ (τ/4s) ln(s²/δ)) and Eq. 15, whose limit
  // is s·a1/(a1 + a2) instead of s, fails. Small init alone is not the condition.
  const rows: string[] = [];
  for (const scale of [1e-6, 1e-3, 0.1]) {
    for (const rho of [1e-8, 1e-4, 1e-2, 1]) {
      const a1 = 0.7 * scale,
        a2 = 0.3 * scale,
        init = { a1, a2, b: Math.sqrt(a1 * a2 * (1 - rho)) };
      const t1 = Math.log((S - a1 - a2) / (a1 + a2)) / (2 * S);
      const early = eq15Error(init, t1), late = eq15Error(init, 60);
      rows.push(
        `scale ${scale} ρ ${rho}: ${early.toExponential(1)} (t ≤ t1), ${
          late.toExponential(1)
        } (t ≤ 60τ)`,
      );
      assertOk(early <= 0.25 * rho + 1e-12, `scale ${scale}, ρ ${rho}: ${early}`);
      if (rho >= 1e-4) assertOk(late > 0.2, `Eq. 15 should fail late for ρ = ${rho}: ${late}`);
    }
  }
  console.log(
    `Eq. 15 max rel. error (s = 1, a1 = 0.7·scale, a2 = 0.3·scale):\n  ${rows.join("\n  ")}`,
  );
  // Exact for a rank-one init (δ = 0), at any scale and time.
  assertOk(eq15Error({ a1: 0.8, a2: 0.2, b: 0.4 }, 60) < 1e-14, "Eq. 15 is exact when a1a2 = b²");
});

function randomInit(rng: Random, scale: number): Ata2 {
  const a0 = rng.gaussianMatrix(2, 2, scale);
  const m = mul(a0.transpose(), a0);
  return { a1: m.get(0, 0), a2: m.get(1, 1), b: m.get(0, 1) };
}

Deno.test("t_peak: the exact extremum of |b(t)| and the paper's approximation of it", () => {
  const rng = new Random(seed + 34);
  const rows: string[] = [];
  for (const scale of [1e-3, 1e-2, 0.1, 0.3]) {
    let worstPaper = 0;
    for (let k = 0; k < 10; k++) {
      const init = randomInit(rng, scale);
      if (init.a1 + init.a2 >= S) continue;
      const exact = tPeakExact(init, S);
      // Golden-section search of |b(t)| around the formula's answer.
      const f = (t: number) => Math.abs(aligned2x2(init, S, S, t).b);
      let lo = 0, hi = exact * 2 + 1;
      for (let i = 0; i < 200; i++) {
        const m1 = lo + (hi - lo) * 0.382, m2 = lo + (hi - lo) * 0.618;
        if (f(m1) < f(m2)) lo = m1;
        else hi = m2;
      }
      assertClose((lo + hi) / 2, exact, 1e-5 * Math.max(1, exact), `argmax |b| (scale ${scale})`);
      worstPaper = Math.max(worstPaper, Math.abs(tPeakPaper(init, S) - exact));
    }
    rows.push(`scale ${scale}: |paper − exact| ≤ ${worstPaper.toExponential(1)}τ`);
    if (scale <= 1e-2) assertOk(worstPaper < 1e-3, `scale ${scale}: ${worstPaper}`);
  }
  console.log(`t_peak (s = 1): ${rows.join("; ")}`);
  // No interior peak when a1 + a2 ≥ s: |b| is largest at t = 0.
  assertClose(tPeakExact({ a1: 0.7, a2: 0.6, b: 0.1 }, S), 0, 0, "no peak");
});
