/**
 * Symmetric eigendecomposition by cyclic Jacobi.
 *
 * Tolerances (n = order): Jacobi is backward stable, each rotation perturbing A by O(ε·‖A‖),
 * so the residual ‖AV − VΛ‖_F ≤ c·n·ε·‖A‖_F and ‖VᵀV − I‖ ≤ c·n·ε (V is a product of
 * rotations); eigenvalues agree with numpy's `eigvalsh` (also backward stable) to
 * |λ − λ_numpy| ≤ c·n·ε·‖A‖_F by Weyl's inequality. We take c = 8; observed values are ≤ 1.
 */
import fc from "fast-check";
import { symmetricEigen, SYMMETRY_RTOL } from "../src/linalg/eigen.ts";
import { AssumptionError, NonFiniteError, ShapeError } from "../src/errors.ts";
import { Matrix } from "../src/matrix.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import {
  distance,
  EPS,
  followsSignConvention,
  gramDeviation,
  matrixArb,
  numpy,
  product,
  seededMatrix,
} from "./linalg_checks.ts";

/** (M + Mᵀ)/2, exactly symmetric. */
function symmetrise(m: Matrix): Matrix {
  return Matrix.fromFunction(m.rows, m.cols, (i, j) => (m.get(i, j) + m.get(j, i)) / 2);
}

function checkEigen(a: Matrix): void {
  const n = a.rows;
  const { values, vectors } = symmetricEigen(a);
  assertEquals(values.length, n);
  assertEquals(vectors.shape, [n, n]);
  for (let i = 1; i < n; i++) assertOk(values[i - 1] <= values[i], `not ascending at ${i}`);
  const av = product(a, vectors);
  const vl = Matrix.fromFunction(n, n, (i, j) => vectors.get(i, j) * values[j]);
  const unit = Math.max(n, 1) * EPS;
  const res = distance(av, vl) / (unit * Math.max(a.normFrobenius(), 1e-300));
  assertOk(res <= 8, `‖AV − VΛ‖_F = ${res}·n·ε·‖A‖_F`);
  assertOk(gramDeviation(vectors) <= 8 * unit, `‖VᵀV − I‖ = ${gramDeviation(vectors)}`);
  assertOk(followsSignConvention(vectors), "an eigenvector has a negative largest entry");
}

Deno.test("symmetricEigen: residual, orthogonality, ascending order, sign convention", () => {
  const arb = matrixArb(0, 14, 0, 0).chain((m) =>
    matrixArb(m.rows, m.rows, m.rows, m.rows).map(symmetrise)
  );
  fc.assert(fc.property(arb, checkEigen), { numRuns: numRuns(120), seed });
});

Deno.test("symmetricEigen: repeated, zero and negative eigenvalues; rank-deficient", () => {
  checkEigen(Matrix.identity(5));
  checkEigen(Matrix.zeros(4, 4));
  checkEigen(Matrix.zeros(0, 0));
  checkEigen(Matrix.diag([3, -1, 3, 0, -1]));
  const x = seededMatrix(6, 2, 9);
  checkEigen(product(x, x, false, true)); // rank 2, four zero eigenvalues
  const { values } = symmetricEigen(Matrix.diag([3, -1, 2]));
  assertEquals(Array.from(values), [-1, 2, 3]);
  for (const scale of [1e300, 1e-300]) checkEigen(Matrix.diag([scale, -scale / 3, 0]));
});

Deno.test("symmetricEigen: known 2×2 and the tie rule of the sign convention", () => {
  const { values, vectors } = symmetricEigen(Matrix.from([[2, 1], [1, 2]]));
  assertOk(Math.abs(values[0] - 1) <= 2 * EPS && Math.abs(values[1] - 3) <= 4 * EPS, `${values}`);
  const h = Math.SQRT1_2;
  assertOk(distance(vectors, Matrix.from([[h, h], [-h, h]])) <= 4 * EPS, `${vectors.toArray()}`);
});

Deno.test("symmetricEigen: eigenvalues match numpy eigvalsh (n = 1 … 40)", async () => {
  const cases = [1, 2, 5, 17, 40].map((n) => symmetrise(seededMatrix(n, n, 31 + n)));
  const ref = await numpy<number[][]>(
    "out = [np.linalg.eigvalsh(np.array(a)).tolist() for a in inp]",
    cases.map((a) => a.toArray()),
  );
  cases.forEach((a, c) => {
    const { values } = symmetricEigen(a);
    const worst = Math.max(...Array.from(values, (x, i) => Math.abs(x - ref[c][i])));
    const tol = 8 * a.rows * EPS * a.normFrobenius();
    assertOk(worst <= tol, `${a.rows}×${a.rows}: max |λ − λ_numpy| = ${worst} > ${tol}`);
  });
});

Deno.test("symmetricEigen: typed errors (not square, asymmetric, non-finite)", () => {
  assertThrows(() => symmetricEigen(Matrix.zeros(2, 3)), ShapeError, "2×3");
  const e = assertThrows(
    () => symmetricEigen(Matrix.from([[1, 2], [2.001, 1]])),
    AssumptionError,
    "symmetric",
  ) as AssumptionError;
  assertOk(Math.abs(e.measured - 0.001 / 2.001) < 1e-12, `measured ${e.measured}`);
  assertEquals(e.tolerance, SYMMETRY_RTOL);
  // Asymmetry at the rounding level is accepted (the symmetric part is decomposed).
  checkEigen(Matrix.from([[1, 2], [2 * (1 + 4 * EPS), 1]]));
  assertThrows(() => symmetricEigen(Matrix.from([[1, NaN], [NaN, 1]])), NonFiniteError);
});
