/**
 * The λ-balanced theory's published claims (src/exact/lambda_claims.ts) against the independent
 * gradient-flow integrator (test/reference/gradient_flow.ts) on λ-balanced weights built here
 * from known factors: where each claim holds and where it fails, for both signs of λ and every
 * admissible shape pattern.
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { InputError } from "../src/errors.ts";
import {
  alignedMode,
  lazyLimitApproximation,
  publishedAlignedMode,
} from "../src/exact/lambda_claims.ts";
import { integrateGradientFlow } from "./reference/gradient_flow.ts";
import { assertClose, assertOk, assertThrows, relativeError } from "./assert.ts";
import { seed } from "./budget.ts";
import { type LambdaProblem, randomLambdaProblem } from "./lambda_problems.ts";

/** The modes' strengths `ũₖᵀ W ṽₖ` of a network function in the task's basis. */
function modeStrengths(p: LambdaProblem, w: number[][]): number[] {
  return p.st.map((_, k) => {
    let s = 0;
    for (let a = 0; a < p.no; a++) {
      for (let i = 0; i < p.ni; i++) s += p.factors.ut.get(a, k) * w[a][i] * p.factors.vt.get(i, k);
    }
    return s;
  });
}

function w2w1Of(qqt: number[][], ni: number): Matrix {
  return Matrix.from(qqt.slice(ni).map((row) => row.slice(0, ni)));
}

/** Reference a(t) of each mode of an aligned problem (optionally with mode 0 reversed). */
function referenceModes(p: LambdaProblem, times: number[], tau: number, reverse = false) {
  const problem = { ...p.flow, tau };
  if (reverse) {
    // Flip the task's first mode: Σyx − 2s̃₀ũ₀ṽ₀ᵀ; that mode now starts at a₀ = −s₀.
    problem.sigmaYX = problem.sigmaYX.map((row, a) =>
      row.map((v, i) => v - 2 * p.st[0] * p.factors.ut.get(a, 0) * p.factors.vt.get(i, 0))
    );
  }
  const ref = integrateGradientFlow(problem, times);
  const sign = (k: number) => (reverse && k === 0 ? -1 : 1);
  return ref.map((r) => modeStrengths(p, w2w1Of(r.qqt, p.ni).toArray()).map((a, k) => sign(k) * a));
}

// Aligned shapes covering Ni = No, Ni < No, Ni > No, Nh = Nm and Nh > Nm (extra units on the
// larger side, with the λ sign that side admits).
const ALIGNED_CASES: [number, number, number, number][] = [
  [3, 3, 3, 0],
  [3, 3, 3, 2],
  [3, 3, 3, -2],
  [2, 3, 4, 8],
  [2, 2, 4, -0.3],
  [4, 4, 2, -50],
  [4, 2, 2, 0.3],
  [1, 1, 1, 50],
  [1, 1, 1, -8],
];

Deno.test("aligned single mode: the corrected closed form equals gradient flow for every λ", () => {
  const rng = new Random(seed + 140);
  const tau = 2, times = [0, 0.1, 0.6, 2, 10, 40, 100];
  let worst = 0;
  for (const [ni, nh, no, lambda] of ALIGNED_CASES) {
    for (const scale of [1e-3, 0.5, 3]) {
      for (const reverse of lambda === 0 ? [false] : [false, true]) {
        const p = randomLambdaProblem(rng, { ni, nh, no, lambda, scale, aligned: true });
        const ref = referenceModes(p, times, tau, reverse);
        times.forEach((t, i) =>
          p.st.forEach((st, k) => {
            const a0 = reverse && k === 0 ? -p.s[0] : p.s[k];
            const got = alignedMode(a0, st, lambda, t, tau), want = ref[i][k];
            // Reference and formula are both accurate to ~1e-13 relative; a reversed mode
            // crosses zero, where only an absolute error ~1e-13·s̃ is meaningful.
            const err = Math.abs(got - want) / Math.max(Math.abs(want), 0.01 * st);
            worst = Math.max(worst, err);
            assertOk(
              err <= 1e-10,
              `${ni}-${nh}-${no} λ=${lambda} a0=${a0} t=${t}: ${got} vs ${want} (${err})`,
            );
          })
        );
      }
    }
  }
  // The limit t → ∞ is the task's singular value.
  assertClose(alignedMode(0.01, 1.5, -3, Infinity), 1.5, 1e-15, "t = ∞");
  assertClose(alignedMode(-0.5, 1.5, 0, Infinity), 0, 1e-15, "λ = 0, reversed: the saddle");
  assertOk(worst < 1e-10, `worst ${worst}`);
});

Deno.test("aligned single mode as published: holds for λ > 0, fails for λ < 0, |λ| repairs it", () => {
  const s = 1.5, times = [0, 0.1, 0.5, 2, 10];
  const ref = (a0: number, lambda: number) =>
    integrateGradientFlow(
      { sigmaYX: [[s]], ...oneModeWeights(a0, lambda) },
      times,
    ).map((r) => r.qqt[1][0]);
  for (const lambda of [0.5, 2, 50]) {
    for (const a0 of [1e-3, 0.1, 1, 3]) {
      const want = ref(a0, lambda);
      times.forEach((t, i) => {
        const err = Math.abs(publishedAlignedMode(a0, s, lambda, t) - want[i]) / want[i];
        // Measured ≤ 1.6e-11 (the corrected form: 5.5e-16): exact, but 1/(1 − y²) amplifies
        // rounding.
        assertOk(err < 1e-9, `λ=${lambda} a0=${a0} t=${t}: error ${err}`);
      });
    }
  }
  for (const lambda of [-50, -2, -0.5]) {
    for (const a0 of [1e-3, 1]) {
      const want = ref(a0, lambda);
      // As stated, it starts at −a₀ (to 8e-11 relative: 1/(1 − y²) amplifies rounding) and stays
      // wrong by O(1) (measured 2.5 to 109 relative).
      assertClose(publishedAlignedMode(a0, s, lambda, 0), -a0, 1e-6 * a0, "a(0) = −a₀");
      const errs = times.map((t, i) =>
        Math.abs(publishedAlignedMode(a0, s, lambda, t) - want[i]) / want[i]
      );
      assertOk(Math.max(...errs) > 0.5, `λ=${lambda} a0=${a0}: error only ${Math.max(...errs)}`);
      // The ODE depends on |λ| only, and the formula with |λ| is exact.
      times.forEach((t, i) =>
        assertClose(publishedAlignedMode(a0, s, -lambda, t), want[i], 1e-9 * want[i])
      );
    }
  }
  // Near λ = 0, the formula's cancellation costs ε/λ: measured relative error
  // 2e-10 at λ = 1e-6 and 2e-8 at λ = 1e-8 against the corrected form (exact there).
  // At λ = 0, sgn(λ) = 0 makes q = 0, C₀ = 1 and y = 0: it returns 0 at every t.
  assertClose(publishedAlignedMode(0.1, s, 0, 1), 0, 0, "λ = 0 gives 0");
  for (const [lambda, bound] of [[1e-6, 1e-8], [1e-8, 1e-6]]) {
    const err =
      Math.abs(publishedAlignedMode(0.01, s, lambda, 2) - alignedMode(0.01, s, lambda, 2)) /
      alignedMode(0.01, s, lambda, 2);
    assertOk(err < bound, `λ=${lambda}: ${err}`);
  }
});

/** A 1-1-1 λ-balanced network with product a₀ (σ1² = (r − λ)/2, σ2² = (r + λ)/2). */
function oneModeWeights(a0: number, lambda: number) {
  const r = Math.hypot(lambda, 2 * a0);
  const s1 = Math.sqrt(lambda >= 0 ? (2 * a0 * a0) / (r + lambda) : (r - lambda) / 2);
  return { w1: [[s1]], w2: [[a0 / s1]] };
}

Deno.test("aligned-mode formulas refuse bad arguments", () => {
  assertThrows(() => alignedMode(0.1, 0, 1, 1), InputError, "s̃");
  assertThrows(() => alignedMode(0.1, 1, NaN, 1), InputError, "finite");
  assertThrows(() => publishedAlignedMode(0.1, 1, 1, -1), InputError, "≥ 0");
  assertThrows(
    () => lazyLimitApproximation(Matrix.identity(2), Matrix.identity(3), 1, 1),
    InputError,
    "Σyx is 2×2",
  );
});

/** Max over times of ‖W2W1(t) − lazy(t)‖_F / ‖Σyx‖_F along the reference flow. */
function lazyError(p: LambdaProblem, tau: number): number {
  const l = Math.abs(p.lambda);
  const times = [0.25, 0.5, 1, 2, 4].map((k) => (k / l) * tau).concat(
    [0.5, 2, 10].map((k) => k * tau),
  );
  const ref = integrateGradientFlow({ ...p.flow, tau }, times);
  const w0 = Matrix.fromFunction(p.no, p.ni, (a, i) => {
    let s = 0;
    for (let h = 0; h < p.nh; h++) s += p.inputs.w2.get(a, h) * p.inputs.w1.get(h, i);
    return s;
  });
  return Math.max(
    ...ref.map((r, i) =>
      relativeError(
        w2w1Of(r.qqt, p.ni),
        lazyLimitApproximation(p.task.sigmaYX, w0, p.lambda, times[i], tau),
      ) *
      1 // relative to ‖lazy‖ ≈ ‖Σyx‖ at these times
    ),
  );
}

Deno.test("lazy limit: holds (error ∝ 1/λ²) iff the |λ| layer spans its end; O(1) otherwise", () => {
  const tau = 0.5;
  // [Ni, Nh, No, sign]: holds when λ > 0 and Nh = No, or λ < 0 and Nh = Ni.
  const holds: [number, number, number, number][] = [
    [3, 3, 3, 1],
    [3, 3, 3, -1],
    [2, 4, 4, 1],
    [
      4,
      4,
      2,
      -1,
    ],
    [4, 2, 2, 1],
    [2, 2, 4, -1],
  ];
  const fails: [number, number, number, number][] = [[2, 2, 4, 1], [2, 3, 4, 1], [4, 2, 2, -1]];
  for (const [ni, nh, no, sign] of holds) {
    const errs = [10, 40].map((l) =>
      lazyError(
        randomLambdaProblem(new Random(seed + 141), { ni, nh, no, lambda: sign * l, scale: 0.5 }),
        tau,
      )
    );
    // Measured: 7.5e-3–1.1e-2 at |λ| = 10, 4.8e-4–7.2e-4 at 40, 3.0e-5–4.5e-5 at 160: 16× per
    // 4× in |λ|, the (‖W‖/λ)² law.
    assertOk(errs[0] / errs[1] > 10, `${ni}-${nh}-${no} ±: ${errs}`);
    assertOk(errs[1] < 0.01, `${ni}-${nh}-${no}: ${errs}`);
  }
  for (const [ni, nh, no, sign] of fails) {
    const errs = [10, 40].map((l) =>
      lazyError(
        randomLambdaProblem(new Random(seed + 142), { ni, nh, no, lambda: sign * l, scale: 0.5 }),
        tau,
      )
    );
    // The part of the error outside the |λ| layer's range decays at rate O(s̃²/|λ|): it does not
    // shrink with |λ| (measured 0.33–0.80 at |λ| = 2, 0.35–0.89 at 40 and 160).
    assertOk(errs[1] > 0.1 && errs[1] > 0.5 * errs[0], `${ni}-${nh}-${no}: ${errs}`);
  }
});

Deno.test("sign of λ: W2W1(t) depends on |λ| only for Ni = No, or the task's subspace", () => {
  const times = [0.5, 2, 8];
  const gap = (ni: number, nh: number, no: number, lambda: number, sameSubspace = false) => {
    const [plus, minus] = [lambda, -lambda].map((l) => {
      const p = randomLambdaProblem(new Random(seed + 143), {
        ni,
        nh,
        no,
        lambda: l,
        scale: 0.3,
        sameSubspace,
      });
      return integrateGradientFlow(p.flow, times).map((r) => w2w1Of(r.qqt, ni));
    });
    return Math.max(...plus.map((w, i) => relativeError(w, minus[i])));
  };
  for (const lambda of [0.5, 3]) {
    // Square: the λ-odd part of the flow vanishes identically (measured ≤ 6.1e-16).
    assertOk(gap(3, 3, 3, lambda) < 1e-11, `3-3-3 λ=${lambda}: ${gap(3, 3, 3, lambda)}`);
    for (const [ni, nh, no] of [[2, 2, 4], [4, 2, 2], [1, 1, 3]]) {
      // Rectangular, generic init: −(λ/2)(I − P)Σyx drives the two flows apart (measured
      // 0.26–0.77).
      const generic = gap(ni, nh, no, lambda);
      assertOk(generic > 0.02, `${ni}-${nh}-${no} λ=${lambda}: only ${generic}`);
      // Rectangular, init in the task's column/row space: (I − P)Σyx = 0, the claim holds
      // (measured ≤ 2.9e-16).
      const same = gap(ni, nh, no, lambda, true);
      assertOk(same < 1e-11, `${ni}-${nh}-${no} same subspace λ=${lambda}: ${same}`);
    }
  }
});
