import fc from "fast-check";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { matrixArb, naiveMatmul, normInf, seededMatrix, U } from "./linalg_arbitraries.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, NotPositiveDefiniteError, ShapeError } from "../src/errors.ts";
import { Cholesky, choleskySolve, choleskyWhiten } from "../src/linalg/cholesky.ts";

/** A random SPD matrix `GᵀG + δI` of size n (δ keeps it safely away from singular). */
const spdArb = fc.integer({ min: 1, max: 20 }).chain((n) =>
  matrixArb(n, n).map((g) => {
    const a = naiveMatmul(g, g, true, false);
    for (let i = 0; i < n; i++) a.data[i * n + i] += 0.1;
    return a;
  })
);

Deno.test("Cholesky: L·Lᵀ reconstructs A within (n+1)·u·‖A‖ per entry", () => {
  // Higham Thm 10.3: L̂L̂ᵀ = A + ΔA, |ΔA| ≤ γ_{n+1}|L̂||L̂ᵀ|, and (|L||Lᵀ|)_ij ≤ √(a_ii a_jj)
  // (Cauchy–Schwarz on rows of L), so |ΔA_ij| ≤ γ_{n+1}·max_i a_ii; the reference product adds
  // γ_n more. 2.1·(n+1)·u·max a_ii covers both.
  fc.assert(
    fc.property(spdArb, (a) => {
      const n = a.rows;
      const l = Cholesky.factorize(a).lower;
      for (let i = 0; i < n; i++) {
        assertOk(l.get(i, i) > 0, "positive diagonal");
        for (let j = i + 1; j < n; j++) assertEquals(l.get(i, j), 0);
      }
      const r = naiveMatmul(l, l, false, true);
      const amax = Math.max(...a.diagonal());
      for (let i = 0; i < r.data.length; i++) {
        const err = Math.abs(r.data[i] - a.data[i]);
        assertOk(err <= 2.1 * (n + 1) * U * amax, `entry ${i}: error ${err}`);
      }
    }),
    { numRuns: numRuns(60), seed },
  );
});

Deno.test("choleskySolve: residual ‖Ax − b‖∞ ≤ (4n+1)·u·‖A‖∞‖x‖∞", () => {
  // Cholesky solves are backward stable: (A + ΔA)x̂ = b with |ΔA| ≤ γ_{3n+1}|L||Lᵀ| (Higham
  // Thm 10.4), and ‖|L||Lᵀ|‖∞ ≤ ‖A‖∞-ish for these well-scaled matrices; computing the
  // residual adds γ_n. Hence (3n+1)·u + n·u. (n = 1 needs the +1: x = b/l/l rounds twice.)
  fc.assert(
    fc.property(spdArb, fc.integer({ min: 1, max: 3 }), (a, r) => {
      const b = seededMatrix(a.rows, r, 11 * a.rows + r);
      const x = choleskySolve(a, b);
      const ax = naiveMatmul(a, x);
      const res = normInf(new Matrix(b.rows, r, ax.data.map((v, i) => v - b.data[i])));
      const eta = res / (normInf(a) * normInf(x));
      assertOk(eta <= (4 * a.rows + 1) * U, `backward error ${eta} for n=${a.rows}`);
      // the kept factorisation solves the same system
      const x2 = Cholesky.factorize(a).solve(b);
      assertEquals(x2.toArray(), x.toArray());
    }),
    { numRuns: numRuns(60), seed },
  );
});

Deno.test("choleskySolve: blocked triangular solves (n = 70, 97: several 16-row blocks)", () => {
  // As above, at sizes where the forward and transposed substitutions use gemm updates.
  for (const [n, r] of [[70, 37], [97, 1], [64, 128]]) {
    const g = seededMatrix(n, n, 7 * n);
    const a = naiveMatmul(g, g, true, false);
    for (let i = 0; i < n; i++) a.data[i * n + i] += 1;
    const b = seededMatrix(n, r, 9 * n);
    const x = choleskySolve(a, b);
    const ax = naiveMatmul(a, x);
    const res = normInf(new Matrix(n, r, ax.data.map((v, i) => v - b.data[i])));
    const eta = res / (normInf(a) * normInf(x));
    assertOk(eta <= (4 * n + 1) * U, `n=${n}, r=${r}: backward error ${eta}`);
  }
});

/**
 * Checks `w = L⁻¹b` for the Cholesky factor `L` of `a` elementwise: forward substitution is
 * backward stable row by row, `(L + ΔL)ŵ = b` with `|ΔL| ≤ γ_n|L|` (Higham Thm 8.5; the blocked
 * kernel's gemm updates keep the same form, each entry still being one sum of n products), and
 * the residual computed here adds another γ_n: `|b − Lŵ| ≤ 2.1·n·u·|L||ŵ|`.
 */
function checkWhiten(a: Matrix, b: Matrix): void {
  const n = a.rows;
  const w = choleskyWhiten(a, b);
  const l = Cholesky.factorize(a).lower;
  const lw = naiveMatmul(l, w);
  const abs = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map(Math.abs));
  const bound = naiveMatmul(abs(l), abs(w));
  for (let i = 0; i < b.data.length; i++) {
    const err = Math.abs(lw.data[i] - b.data[i]);
    assertOk(err <= 2.1 * n * U * bound.data[i], `n=${n}, entry ${i}: residual ${err}`);
  }
}

Deno.test("choleskyWhiten: L·w = b to the forward-substitution backward error", () => {
  fc.assert(
    fc.property(spdArb, fc.integer({ min: 1, max: 3 }), (a, r) => {
      checkWhiten(a, seededMatrix(a.rows, r, 13 * a.rows + r));
    }),
    { numRuns: numRuns(60), seed },
  );
  // blocked sizes (gemm updates between 16-row blocks), including Theorem 3.1's 64×128
  for (const [n, r] of [[70, 37], [64, 128]]) {
    const g = seededMatrix(n, n, 5 * n);
    const a = naiveMatmul(g, g, true, false);
    for (let i = 0; i < n; i++) a.data[i * n + i] += 1;
    checkWhiten(a, seededMatrix(n, r, 3 * n));
  }
  assertThrows(
    () => choleskyWhiten(Matrix.from([[1, 2], [2, 1]]), Matrix.identity(2)),
    NotPositiveDefiniteError,
    "choleskyWhiten: the 2×2 matrix A is not positive definite",
  );
  assertThrows(
    () => choleskyWhiten(Matrix.identity(2), Matrix.zeros(3, 1)),
    ShapeError,
    "choleskyWhiten: A is 2×2 but B is 3×1; B needs 2 rows",
  );
});

Deno.test("Cholesky: known factor and determinant", () => {
  const c = Cholesky.factorize(Matrix.from([[4, 2], [2, 3]]));
  assertEquals(c.lower.toArray(), [[2, 0], [1, Math.SQRT2]]);
  // det = (2·√2)² = 8 up to the rounding of √2² (one ulp).
  assertOk(Math.abs(c.det() - 8) <= 8 * 2 * U * 2, `det ${c.det()}`);
  // only the lower triangle is read
  const x = choleskySolve(Matrix.from([[4, 999], [2, 3]]), Matrix.from([[6], [5]]));
  assertEquals(
    x.toArray(),
    choleskySolve(Matrix.from([[4, 2], [2, 3]]), Matrix.from([[6], [5]])).toArray(),
  );
});

Deno.test("Cholesky: indefinite and semidefinite matrices are rejected with the minor's index", () => {
  let e = assertThrows(
    () => Cholesky.factorize(Matrix.from([[1, 2], [2, 1]])),
    NotPositiveDefiniteError,
    "leading 2×2 minor",
  ) as NotPositiveDefiniteError;
  assertEquals(e.index, 1);
  e = assertThrows(
    () => choleskySolve(Matrix.from([[-1, 0], [0, 1]]), Matrix.from([[1], [1]])),
    NotPositiveDefiniteError,
    "choleskySolve: the 2×2 matrix A is not positive definite",
  ) as NotPositiveDefiniteError;
  assertEquals(e.index, 0);
  // positive semidefinite (rank 2 of 3), exact in f64: the third pivot is exactly 0
  const g = Matrix.from([[1, 0, 1], [0, 2, 2]]);
  e = assertThrows(
    () => Cholesky.factorize(naiveMatmul(g, g, true, false)),
    NotPositiveDefiniteError,
  ) as NotPositiveDefiniteError;
  assertEquals(e.index, 2);
  assertThrows(
    () => Cholesky.factorize(Matrix.zeros(2, 3)),
    ShapeError,
    "A is 2×3, expected square",
  );
  assertThrows(
    () => choleskySolve(Matrix.identity(2), Matrix.zeros(3, 1)),
    ShapeError,
    "B is 3×1; B needs 2 rows",
  );
  assertThrows(
    () => Cholesky.factorize(Matrix.from([[1, 0], [NaN, 1]])),
    NonFiniteError,
    "entry (1, 0) is NaN",
  );
});
