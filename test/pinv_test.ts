/**
 * Moore–Penrose pseudoinverse.
 *
 * The four Penrose conditions characterise A⁺ uniquely, so they need no reference; numpy's
 * `pinv` (same default cut-off max(m,n)·ε·σ_max) is a second, independent check. Tolerances:
 * with κ = σ_max/σ_min over the kept singular values, A⁺ carries a relative error
 * O(L·ε·κ) (the SVD's backward error amplified by the inversion), so each condition is checked
 * at 16·L·ε·κ relative to the norms of its terms; the random matrices below have κ ≤ 1e4.
 */
import fc from "fast-check";
import { pinv } from "../src/linalg/pinv.ts";
import { svd } from "../src/linalg/svd.ts";
import { NonFiniteError } from "../src/errors.ts";
import { Matrix } from "../src/matrix.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { distance, EPS, matrixArb, numpy, product, seededMatrix } from "./linalg_checks.ts";

/** Largest relative violation of the four Penrose conditions, in units of L·ε·κ. */
function penroseViolation(a: Matrix, p: Matrix): number {
  const s = svd(a).s;
  const kept = s.filter((x) => x > Math.max(a.rows, a.cols) * EPS * s[0]);
  const kappa = kept.length > 0 ? kept[0] / kept[kept.length - 1] : 1;
  const unit = Math.max(a.rows, a.cols, 1) * EPS * kappa;
  const ap = product(a, p), pa = product(p, a);
  // Relative distance, measured after dividing by max|y| so that norms of entries near
  // 1e±300 neither overflow nor underflow.
  const rel = (x: Matrix, y: Matrix) => {
    const alpha = y.maxAbs() || 1;
    const sc = (z: Matrix) => new Matrix(z.rows, z.cols, z.data.map((e) => e / alpha));
    return distance(sc(x), sc(y)) / Math.max(sc(y).normFrobenius(), 1e-300);
  };
  return Math.max(
    rel(product(ap, a), a), // A A⁺ A = A
    rel(product(pa, p), p), // A⁺ A A⁺ = A⁺
    rel(ap, ap.transpose()), // (A A⁺)ᵀ = A A⁺
    rel(pa, pa.transpose()), // (A⁺ A)ᵀ = A⁺ A
  ) / unit;
}

Deno.test("pinv: the four Penrose conditions, full rank and rank-deficient", () => {
  const wellConditioned = matrixArb(1, 9, 1, 9).filter((a) => {
    const s = svd(a).s;
    return s[s.length - 1] > 1e-4 * s[0] && s[s.length - 1] > 1e-290; // A⁺ representable
  });
  fc.assert(
    fc.property(wellConditioned, (a) => {
      const p = pinv(a);
      assertEquals(p.shape, [a.cols, a.rows]);
      const v = penroseViolation(a, p);
      assertOk(v <= 16, `Penrose violation ${v}·L·ε·κ`);
    }),
    { numRuns: numRuns(80), seed },
  );
  // Rank 2 products: the rounding-level singular values must be cut, not inverted.
  for (const [m, n] of [[6, 5], [4, 7], [5, 5]]) {
    const a = product(seededMatrix(m, 2, m), seededMatrix(n, 2, n), false, true);
    const v = penroseViolation(a, pinv(a));
    assertOk(v <= 16, `${m}×${n} rank 2: Penrose violation ${v}·L·ε·κ`);
  }
});

Deno.test("pinv: agrees with numpy.linalg.pinv", async () => {
  const cases = [
    seededMatrix(5, 3, 1),
    seededMatrix(3, 6, 2),
    product(seededMatrix(6, 2, 3), seededMatrix(4, 2, 4), false, true),
  ];
  const ref = await numpy<number[][][]>(
    "out = [np.linalg.pinv(np.array(a)).tolist() for a in inp]",
    cases.map((a) => a.toArray()),
  );
  cases.forEach((a, c) => {
    const d = distance(pinv(a), Matrix.from(ref[c])) / Matrix.from(ref[c]).normFrobenius();
    // Both sides err by O(L·ε·κ) relative; these cases have κ < 100, so 1e-12 is generous.
    assertOk(d <= 1e-12, `case ${c}: relative difference ${d}`);
  });
});

Deno.test("pinv: known values, the tolerance, empty and zero matrices", () => {
  assertEquals(pinv(Matrix.from([[1, 0], [0, 0]])).toArray(), [[1, 0], [0, 0]]);
  assertEquals(pinv(Matrix.from([[2], [0]])).toArray(), [[0.5, 0]]);
  // σ = 1e-3 is kept by default, dropped with rtol = 1e-2.
  assertEquals(pinv(Matrix.diag([1, 1e-3])).get(1, 1), 1000);
  assertEquals(pinv(Matrix.diag([1, 1e-3]), 1e-2).get(1, 1), 0);
  // The default cut-off max(m,n)·ε·σ_max drops rounding-level singular values.
  assertEquals(pinv(Matrix.diag([1, 1e-17])).get(1, 1), 0);
  assertEquals(pinv(Matrix.zeros(2, 3)).toArray(), Matrix.zeros(3, 2).toArray());
  assertEquals(pinv(Matrix.zeros(0, 3)).shape, [3, 0]);
});

Deno.test("pinv: non-finite input or overflowing A⁺ → NonFiniteError", () => {
  assertThrows(() => pinv(Matrix.from([[Infinity]])), NonFiniteError);
  assertThrows(() => pinv(Matrix.from([[-5e-323]])), NonFiniteError, "overflows");
});
