import fc from "fast-check";
import { assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { matrixArb, naiveMatmul, seededMatrix } from "./linalg_arbitraries.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, ShapeError } from "../src/errors.ts";
import { expm } from "../src/linalg/expm.ts";
import { relativeError } from "./assert.ts";

function neg(a: Matrix): Matrix {
  return new Matrix(a.rows, a.cols, a.data.map((x) => -x));
}

/** max |a_ij − b_ij|. */
function maxDiff(a: Matrix, b: Matrix): number {
  return a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);
}

Deno.test("expm(A)·expm(−A) = I to 1e-13 for ‖A‖₁ up to ~4 (all Padé degrees)", () => {
  // Each factor has relative error ~ c·n·u·‖A‖ (backward error ≤ u after at most 0 or 1
  // squaring, amplified by the condition of e^A, ≤ ‖A‖ for these norms); the product's error is
  // then ≲ 2·‖e^A‖‖e^{−A}‖·c·n·u ≤ 2·e⁸·… in the worst case but ~1e-15 in practice since the
  // norms here stay small. 1e-13 = 450u is the acceptance bound of issue 2 and leaves a
  // 50× margin over the largest error seen (2e-15).
  const arb = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.005, max: 4 }))
    .chain(([n, target]) =>
      matrixArb(n, n).map((a) => {
        const s = Math.max(...Array.from({ length: n }, (_, j) => {
          let c = 0;
          for (let i = 0; i < n; i++) c += Math.abs(a.get(i, j));
          return c;
        }));
        return s === 0 ? a : new Matrix(n, n, a.data.map((x) => (x * target) / s));
      })
    );
  fc.assert(
    fc.property(arb, (a) => {
      const p = naiveMatmul(expm(a), expm(neg(a)));
      const err = maxDiff(p, Matrix.identity(a.rows));
      assertOk(err <= 1e-13, `‖e^A e^−A − I‖max = ${err}`);
    }),
    { numRuns: numRuns(100), seed },
  );
});

Deno.test("expm of a diagonal matrix is exp of the diagonal (1e-13 relative, up to |d| = 50)", () => {
  // For diagonal A every Padé step and squaring acts entrywise: r_m(d/2ˢ)^(2ˢ) with relative
  // error ≤ (2ˢ + m)·u·small; |d| ≤ 50 gives s ≤ 4, so ~20u ≈ 4e-15 ≪ 1e-13.
  for (const d of [[0.001, -0.002], [1, -1, 0.5], [10, -10, 3, 0], [50, -50, 25, -7.5, 1e-8]]) {
    const e = expm(Matrix.diag(d));
    const want = Matrix.diag(d.map(Math.exp));
    for (let i = 0; i < d.length; i++) {
      const rel = Math.abs(e.get(i, i) - want.get(i, i)) / want.get(i, i);
      assertOk(rel <= 1e-13, `d=${d[i]}: relative error ${rel}`);
    }
    assertOk(maxDiff(e, want) <= 1e-13 * want.maxAbs(), "off-diagonal zeros");
  }
});

Deno.test("expm of a nilpotent (strictly upper triangular) matrix is its finite series", () => {
  // N^n = 0, so e^N = Σ_{k<n} N^k/k! exactly; the series is summed in f64 with relative error
  // ~n·u. Both it and expm (≤ 1 squaring for ‖N‖₁ ≤ 7) are within a few dozen u: 1e-13.
  for (const n of [2, 3, 5, 8]) {
    const nil = Matrix.fromFunction(
      n,
      n,
      (i, j) => (j > i ? seededMatrix(1, 1, 97 * i + j).get(0, 0) : 0),
    );
    let term = Matrix.identity(n), sum = Matrix.identity(n);
    for (let k = 1; k < n; k++) {
      term = naiveMatmul(term, nil);
      term = new Matrix(n, n, term.data.map((x) => x / k));
      sum = new Matrix(n, n, sum.data.map((x, i) => x + term.data[i]));
    }
    const rel = relativeError(expm(nil), sum);
    assertOk(rel <= 1e-13, `n=${n}: relative error ${rel}`);
  }
  // Jordan block a·I + N: e^a·[[1, b], [0, 1]]
  const j = expm(Matrix.from([[0.3, 2], [0, 0.3]]));
  const want = Matrix.from([[Math.exp(0.3), 2 * Math.exp(0.3)], [0, Math.exp(0.3)]]);
  assertOk(relativeError(j, want) <= 1e-13, `Jordan: ${relativeError(j, want)}`);
});

Deno.test("expm([[0, θ], [−θ, 0]]) is the rotation by θ, also for large θ via scaling", () => {
  // The rotation's entries are cos θ, sin θ (Math.cos/sin: < 1 ulp). expm needs
  // s = ⌈log₂(θ/5.37)⌉ squarings; each squaring of an orthogonal matrix adds ~u to the relative
  // error, and the angle's error is amplified by θ·u-level backward error: ~(θ + 2ˢ)·u. The
  // bounds below are 10·(θ + 2ˢ)·u, floor 1e-14, so θ ≤ 2 stays at 1e-14.
  for (const theta of [0.1, 1, 2, 10, 100, 1000]) {
    const r = expm(Matrix.from([[0, theta], [-theta, 0]]));
    const c = Math.cos(theta), s = Math.sin(theta);
    const want = Matrix.from([[c, s], [-s, c]]);
    const squarings = Math.max(0, Math.ceil(Math.log2(theta / 5.371920351148152)));
    const tol = Math.max(1e-14, 10 * (theta + 2 ** squarings) * 2 ** -53);
    const err = maxDiff(r, want);
    assertOk(err <= tol, `θ=${theta}: max error ${err} > ${tol}`);
    // orthogonality of the computed rotation
    const rrt = naiveMatmul(r, r, false, true);
    assertOk(maxDiff(rrt, Matrix.identity(2)) <= tol, `θ=${theta}: RRᵀ ≠ I`);
  }
});

Deno.test("expm: large-norm matrices are scaled and squared without overflow", () => {
  // A = P·diag(λ)·P⁻¹ with λ = (−30, −40, −55): ‖A‖₁ ≈ 120 (s = 5); e^A = P·diag(e^λ)·P⁻¹
  // with P = [[1,1,0],[0,1,1],[0,0,1]] (exact inverse [[1,−1,1],[0,1,−1],[0,0,1]]).
  // Relative error ~ 2ˢ·κ(P)·u·‖A‖ ≈ 32·4·120·u ≈ 3e-12: bound 1e-11 relative to ‖e^A‖.
  const lam = [-30, -40, -55];
  const p = Matrix.from([[1, 1, 0], [0, 1, 1], [0, 0, 1]]);
  const pinv = Matrix.from([[1, -1, 1], [0, 1, -1], [0, 0, 1]]);
  const a = naiveMatmul(naiveMatmul(p, Matrix.diag(lam)), pinv);
  const want = naiveMatmul(naiveMatmul(p, Matrix.diag(lam.map(Math.exp))), pinv);
  const rel = maxDiff(expm(a), want) / want.maxAbs();
  assertOk(rel <= 1e-11, `relative error ${rel}`);
  // e^{A}e^{−A} for a random 6×6 with ‖A‖₁ ≈ 20: the product of norms is large, so test the
  // semigroup property e^{2A} = (e^A)² instead: relative ~ 2ˢ·u·κ ≈ 1e-13 at this size.
  const b = seededMatrix(6, 6, 42, 4);
  const eb = expm(b);
  const e2b = expm(new Matrix(6, 6, b.data.map((x) => 2 * x)));
  const r2 = relativeError(naiveMatmul(eb, eb), e2b);
  assertOk(r2 <= 1e-12, `semigroup relative error ${r2}`);
});

Deno.test("expm: shapes and non-finite input are rejected; 0×0 and 1×1", () => {
  assertThrows(() => expm(Matrix.zeros(2, 3)), ShapeError, "expm: A is 2×3, expected square");
  assertThrows(() => expm(Matrix.from([[Infinity]])), NonFiniteError, "expm: A: entry (0, 0)");
  assertOk(expm(Matrix.zeros(0, 0)).rows === 0);
  assertOk(
    Math.abs(expm(Matrix.from([[2]])).get(0, 0) - Math.exp(2)) <= 4 * 2 ** -53 * Math.exp(2),
  );
});
