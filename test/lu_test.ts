import fc from "fast-check";
import { assertClose, assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { matrixArb, naiveMatmul, normInf, seededMatrix, U } from "./linalg_arbitraries.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, ShapeError, SingularMatrixError } from "../src/errors.ts";
import { det, inverse, rcond, solve } from "../src/linalg/lu.ts";

/** ‖a·x − b‖∞ / (‖a‖∞·‖x‖∞): the normwise backward error of a computed solution. */
function backwardError(a: Matrix, x: Matrix, b: Matrix): number {
  const r = naiveMatmul(a, x);
  const res = new Matrix(b.rows, b.cols, r.data.map((v, i) => v - b.data[i]));
  return normInf(res) / (normInf(a) * normInf(x));
}

Deno.test("solve: residual ‖Ax − b‖∞ ≤ (4n+1)·u·‖A‖∞‖x‖∞ for random systems", () => {
  // GEPP is backward stable: (A + ΔA)x̂ = b with |ΔA| ≤ γ_{3n}|L||U| (Higham Thm 9.4); with
  // partial pivoting |L| ≤ 1 and, for random matrices, ‖|L||U|‖∞ stays within a small factor
  // of ‖A‖∞ (growth factor O(1)); computing the residual adds γ_n. Hence (3n + n + 1)·u;
  // measured: at most 2.7u up to n = 200.
  // Entries on a 2⁻²⁰ grid in [−1, 1]: no subnormal pivots whose reciprocal overflows.
  const grid = fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k / 2 ** 20);
  const arb = fc.integer({ min: 1, max: 24 }).chain((n) => matrixArb(n, n, grid)).chain((a) =>
    fc.tuple(fc.constant(a), fc.integer({ min: 1, max: 3 }))
  );
  let worst = 0;
  fc.assert(
    fc.property(arb, ([a, r]) => {
      const b = seededMatrix(a.rows, r, a.rows * 7 + r);
      let x: Matrix;
      try {
        x = solve(a, b);
      } catch (e) {
        // fast-check can draw exactly singular matrices (e.g. a zero row): must be reported so.
        assertOk(e instanceof SingularMatrixError, String(e));
        return;
      }
      const eta = backwardError(a, x, b);
      worst = Math.max(worst, eta);
      assertOk(eta <= (4 * a.rows + 1) * U, `backward error ${eta} for n=${a.rows}`);
    }),
    { numRuns: numRuns(80), seed },
  );
  assertOk(worst < 1e-14, `worst backward error ${worst}`);
});

Deno.test("solve: blocked triangular solves (n = 70, 97: several 16-row blocks), many right-hand sides", () => {
  // Same backward-error bound as above; sizes cross the 16-row blocks of the substitutions,
  // whose off-diagonal updates go through gemm.
  for (const [n, r] of [[70, 37], [97, 1], [64, 128]]) {
    const a = seededMatrix(n, n, 3 * n), b = seededMatrix(n, r, 5 * n);
    const x = solve(a, b);
    const eta = backwardError(a, x, b);
    assertOk(eta <= (4 * n + 1) * U, `n=${n}, r=${r}: backward error ${eta}`);
  }
});

Deno.test("inverse: A·A⁻¹ = I within n·ε·κ∞(A)", () => {
  // ‖A·X − I‖ ≤ c·n·u·|A||X| for the LU inverse (Higham §14.3): bounded by n·ε·‖A‖∞‖X‖∞.
  for (const n of [1, 2, 7, 33]) {
    const a = seededMatrix(n, n, n);
    const x = inverse(a);
    const r = naiveMatmul(a, x);
    const err = normInf(new Matrix(n, n, r.data.map((v, i) => v - (i % (n + 1) === 0 ? 1 : 0))));
    assertOk(err <= n * 2 * U * normInf(a) * normInf(x), `n=${n}: ‖AX − I‖∞ = ${err}`);
  }
  assertEquals(inverse(Matrix.from([[2, 0], [0, 4]])).toArray(), [[0.5, 0], [0, 0.25]]);
});

Deno.test("det: triangular products, permutation signs, 2×2 formula", () => {
  // Upper triangular: no row swaps, U = A, det is the diagonal product in the same order.
  const up = Matrix.fromFunction(6, 6, (i, j) => (j >= i ? 1 + i + 0.5 * j : 0));
  assertEquals(det(up), up.diagonal().reduce((p, x) => p * x, 1));
  // Lower triangular with a dominant diagonal: partial pivoting keeps the rows in place, and
  // eliminating below the diagonal subtracts multiples of rows that are zero right of their
  // diagonal, so U's diagonal is A's diagonal exactly and det is again the same product.
  const lo = Matrix.fromFunction(6, 6, (i, j) => (j < i ? 1 : j === i ? 10 + i : 0));
  assertEquals(det(lo), lo.diagonal().reduce((p, x) => p * x, 1));
  // Permutation matrices: det = sign of the permutation, exactly.
  const perm = (p: number[]) =>
    Matrix.fromFunction(p.length, p.length, (i, j) => (p[i] === j ? 1 : 0));
  assertEquals(det(perm([1, 0, 2, 3])), -1);
  assertEquals(det(perm([1, 2, 0, 3])), 1);
  assertEquals(det(perm([3, 2, 1, 0])), 1);
  assertEquals(det(perm([4, 0, 1, 2, 3])), 1);
  assertEquals(det(perm([1, 0, 3, 2, 4, 6, 5])), -1);
  // 2×2: ad − bc; a few ulps (two rounded products and one subtraction, plus the LU divide).
  assertClose(det(Matrix.from([[3, 8], [4, 6]])), -14, 1e-14);
  assertEquals(det(Matrix.from([[1, 2], [2, 4]])), 0);
  assertEquals(det(Matrix.zeros(0, 0)), 1);
});

Deno.test("singular input is rejected with the zero pivot's index", () => {
  // Rows 0 and 1 proportional: after the first elimination step row 1 is exactly zero.
  let e = assertThrows(
    () => solve(Matrix.from([[1, 2], [2, 4]]), Matrix.from([[1], [1]])),
    SingularMatrixError,
    "zero pivot at step 1",
  ) as SingularMatrixError;
  assertEquals(e.pivot, 1);
  // A zero first column: the very first pivot is zero.
  e = assertThrows(
    () => inverse(Matrix.from([[0, 1, 2], [0, 3, 4], [0, 5, 7]])),
    SingularMatrixError,
    "3×3 matrix A is singular",
  ) as SingularMatrixError;
  assertEquals(e.pivot, 0);
  // Third column = first + second, with power-of-two multipliers (0.5, 0.25, 0.25) so every
  // elimination step is exact, also when fused: the last pivot is exactly 0.
  e = assertThrows(
    () => inverse(Matrix.from([[8, 2, 10], [4, 5, 9], [2, 1.5, 3.5]])),
    SingularMatrixError,
  ) as SingularMatrixError;
  assertEquals(e.pivot, 2);
  assertEquals(rcond(Matrix.from([[1, 2], [2, 4]])), 0);
  // Non-zero pivots whose solution overflows: singular to working precision.
  e = assertThrows(
    () => solve(Matrix.from([[1, 0], [0, 1e-300]]), Matrix.from([[1], [1e10]])),
    SingularMatrixError,
    "singular to working precision",
  ) as SingularMatrixError;
  assertEquals(e.pivot, 1);
});

Deno.test("rcond: exact for diagonal matrices, tiny for nearly singular ones", () => {
  // For diag(d): ‖A‖₁ = max|d|, ‖A⁻¹‖₁ = 1/min|d|; the estimator finds the unit vector that
  // attains ‖A⁻¹‖₁ exactly, so rcond = min|d|/max|d| up to one rounding.
  assertClose(rcond(Matrix.diag([4, -0.5, 2])), 0.125, 1e-16);
  assertClose(rcond(Matrix.identity(5)), 1, 0);
  const nearly = Matrix.from([[1, 1], [1, 1 + 1e-12]]);
  assertOk(rcond(nearly) < 1e-11, `rcond ${rcond(nearly)}`);
  // Hilbert 8×8: κ₁ ≈ 3.4e10; the estimate is a lower bound on ‖A⁻¹‖₁, within a factor 3.
  const hilbert = Matrix.fromFunction(8, 8, (i, j) => 1 / (i + j + 1));
  const r = rcond(hilbert);
  assertOk(r > 1 / 3.4e10 / 1.1 && r < 3 / 3.4e10, `Hilbert rcond ${r}`);
});

Deno.test("LU: bad shapes and non-finite input are rejected", () => {
  assertThrows(
    () => solve(Matrix.zeros(2, 3), Matrix.zeros(2, 1)),
    ShapeError,
    "A is 2×3, expected square",
  );
  assertThrows(
    () => solve(Matrix.identity(2), Matrix.zeros(3, 1)),
    ShapeError,
    "B is 3×1; B needs 2 rows",
  );
  assertThrows(() => det(Matrix.zeros(1, 2)), ShapeError, "det: A is 1×2");
  assertThrows(
    () => inverse(Matrix.from([[1, Infinity], [0, 1]])),
    NonFiniteError,
    "entry (0, 1) is Infinity",
  );
  assertEquals(solve(Matrix.zeros(0, 0), Matrix.zeros(0, 2)).shape, [0, 2]);
});
