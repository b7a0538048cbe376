import fc from "fast-check";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { matrixArb, naiveMatmul, seededMatrix, U } from "./linalg_arbitraries.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, ShapeError } from "../src/errors.ts";
import { expm } from "../src/linalg/expm.ts";
import { norm1 } from "../src/linalg/blas.ts";
import { relativeError } from "./assert.ts";

function neg(a: Matrix): Matrix {
  return new Matrix(a.rows, a.cols, a.data.map((x) => -x));
}

/** max |a_ij − b_ij|. */
function maxDiff(a: Matrix, b: Matrix): number {
  return a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);
}

/** Random n×n matrices (n = 1..8) rescaled to ‖A‖₁ = target, target drawn from [lo, hi]. */
function normedArb(lo: number, hi: number): fc.Arbitrary<Matrix> {
  return fc.tuple(fc.integer({ min: 1, max: 8 }), fc.double({ min: lo, max: hi, noNaN: true }))
    .chain(([n, target]) =>
      matrixArb(n, n).map((a) => {
        const s = norm1(a);
        return s === 0 ? a : new Matrix(n, n, a.data.map((x) => (x * target) / s));
      })
    );
}

Deno.test("expm(A)·expm(−A) = I to 1e-13 for ‖A‖₁ ≤ 2 (Padé degrees 3–13, s ≤ 0)", () => {
  // Each factor has relative error ≲ n·u·‖A‖ (Padé backward error ≤ u, no squaring here), so
  // the product is within ≈ 2·n·u·‖A‖₁·‖e^A‖₁‖e^{−A}‖₁ ≤ 2·8·u·2·e⁴ ≈ 2e-13 in the worst
  // case; the acceptance bound is 1e-13, and the largest error measured over 800
  // seeded draws was 1.3e-15.
  fc.assert(
    fc.property(normedArb(0.005, 2), (a) => {
      const p = naiveMatmul(expm(a), expm(neg(a)));
      const err = maxDiff(p, Matrix.identity(a.rows));
      assertOk(err <= 1e-13, `‖e^A e^−A − I‖max = ${err}`);
    }),
    { numRuns: numRuns(100), seed },
  );
});

Deno.test("expm(A)·expm(−A) = I for ‖A‖₁ up to 100 (scaling and squaring)", () => {
  // Error of the product ≈ n·u·‖e^A‖₁‖e^{−A}‖₁ times the error growth of the squaring phase,
  // ~2ˢ for s squarings (Higham 2005, §2). With s the reference count ⌈log₂(‖A‖₁/θ₁₃)⌉, θ₁₃ =
  // 5.37, the measured ratio err / (n·(1 + 2ˢ)·u·‖e^A‖₁‖e^{−A}‖₁) was at most 1.7 over 300
  // draws each at ‖A‖₁ = 4, 10, 30, 100 (Higham's 2005 rule, used before: 2.0): the
  // factor 4 keeps a margin ≥ 2.4.
  fc.assert(
    fc.property(normedArb(2, 100), (a) => {
      const n = a.rows;
      const e = expm(a), f = expm(neg(a));
      const s = Math.max(0, Math.ceil(Math.log2(norm1(a) / 5.371920351148152)));
      const tol = 4 * n * (1 + 2 ** s) * U * norm1(e) * norm1(f);
      const err = maxDiff(naiveMatmul(e, f), Matrix.identity(n));
      assertOk(err <= tol, `‖A‖₁=${norm1(a)}: error ${err} > ${tol}`);
    }),
    { numRuns: numRuns(60), seed },
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
  // A = P·diag(λ)·P⁻¹ with λ = (−30, −40, −55): ‖A‖₁ ≈ 120, so s = 5 squarings; e^A is
  // P·diag(e^λ)·P⁻¹ with P = [[1,1,0],[0,1,1],[0,0,1]] (exact inverse [[1,−1,1],[0,1,−1],[0,0,1]]).
  // Expected relative error ≲ (1 + 2ˢ)·n·u·κ₁(P) = 33·3·u·6 ≈ 7e-14 (measured 6.5e-15): 1e-13.
  const lam = [-30, -40, -55];
  const p = Matrix.from([[1, 1, 0], [0, 1, 1], [0, 0, 1]]);
  const pinv = Matrix.from([[1, -1, 1], [0, 1, -1], [0, 0, 1]]);
  const a = naiveMatmul(naiveMatmul(p, Matrix.diag(lam)), pinv);
  const want = naiveMatmul(naiveMatmul(p, Matrix.diag(lam.map(Math.exp))), pinv);
  const rel = maxDiff(expm(a), want) / want.maxAbs();
  assertOk(rel <= 1e-13, `relative error ${rel}`);
  // Semigroup property e^{2B} = (e^B)² for a random 6×6 B with entries in [−4, 4]
  // (‖2B‖₁ ≈ 25, s = 3): each side is within ≈ (1 + 2ˢ)·n·u ≈ 9·6·u ≈ 6e-15 relative,
  // the squaring doubles one side's: ≲ 2e-14 (measured 5e-17): 1e-13.
  const b = seededMatrix(6, 6, 42, 4);
  const eb = expm(b);
  const e2b = expm(new Matrix(6, 6, b.data.map((x) => 2 * x)));
  const r2 = relativeError(naiveMatmul(eb, eb), e2b);
  assertOk(r2 <= 1e-13, `semigroup relative error ${r2}`);
});

Deno.test("expm does not overscale non-normal matrices: [[1, b], [0, −1]] up to b = 1e8", () => {
  // e^A = [[e, b·sinh 1], [0, 1/e]] (A² = I). ‖A‖₁ ≈ b would make the 2005 rule square
  // ⌈log₂(b/5.37)⌉ = 25 times (relative error 4e-9 at b = 1e8); the 2009 rule sees
  // ‖A^k‖^{1/k} = 1 and squares at most once. Each entry is then a few roundings from the
  // truth: 1e-14 relative (measured ≤ 1.5e-16).
  for (const b of [1, 1e2, 1e4, 1e6, 1e8]) {
    const e = expm(Matrix.from([[1, b], [0, -1]]));
    const want = [Math.E, b * Math.sinh(1), 0, Math.exp(-1)];
    e.data.forEach((x, i) => {
      const err = want[i] === 0 ? Math.abs(x) : Math.abs(x - want[i]) / want[i];
      assertOk(err <= 1e-14, `b=${b}, entry ${i}: ${x} vs ${want[i]} (error ${err})`);
    });
  }
});

Deno.test("expm: when powers of A overflow (‖A‖₁ = 1e60) the ‖A‖₁ rule still scales", () => {
  // ‖A⁶‖ = 1e360 overflows, so the degree selection falls back on s = ⌈log₂(‖A‖₁/5.37)⌉ = 197:
  // e^{−1e60} underflows to exactly 0 and e^0 = 1 stays exact through every squaring.
  assertEquals(expm(Matrix.diag([-1e60, 0])).toArray(), [[0, 0], [0, 1]]);
});

Deno.test("expm: shapes and non-finite input are rejected; 0×0 and 1×1", () => {
  assertThrows(() => expm(Matrix.zeros(2, 3)), ShapeError, "expm: A is 2×3, expected square");
  assertThrows(() => expm(Matrix.from([[Infinity]])), NonFiniteError, "expm: A: entry (0, 0)");
  assertOk(expm(Matrix.zeros(0, 0)).rows === 0);
  assertOk(
    Math.abs(expm(Matrix.from([[2]])).get(0, 0) - Math.exp(2)) <= 4 * 2 ** -53 * Math.exp(2),
  );
});
