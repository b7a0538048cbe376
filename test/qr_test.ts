/**
 * Householder QR and orthonormal completion.
 *
 * The identities checked characterise the factorisation completely (A = QR with Q orthonormal
 * and R upper triangular with diag(R) ≥ 0 is unique for full column rank), so they need no
 * external reference. Tolerances: Householder QR is backward stable with
 * ‖A − QR‖_F ≤ γ·m·n·ε·‖A‖_F and ‖QᵀQ − I‖ ≤ γ·m·ε for a small constant γ (Higham, Accuracy
 * and Stability, Thm 19.4); we take γ = 4 (observed errors are ≤ 1 in these units), plus the
 * O(k·ε) rounding of the JavaScript products that measure them.
 */
import fc from "fast-check";
import { orthComplement, ORTHONORMAL_TOL, qr } from "../src/linalg/qr.ts";
import { AssumptionError, NonFiniteError, ShapeError } from "../src/errors.ts";
import { Matrix } from "../src/matrix.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import {
  crossDeviation,
  distance,
  EPS,
  gramDeviation,
  matrixArb,
  product,
} from "./linalg_checks.ts";

function isUpperTriangular(r: Matrix): boolean {
  for (let i = 0; i < r.rows; i++) {
    for (let j = 0; j < Math.min(i, r.cols); j++) {
      if (r.get(i, j) !== 0) return false;
    }
  }
  return true;
}

function checkQr(a: Matrix, full: boolean): void {
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const { q, r } = qr(a, { full });
  assertEquals(q.shape, [m, full ? m : k]);
  assertEquals(r.shape, [full ? m : k, n]);
  const scale = Math.max(m, n, 1);
  assertOk(gramDeviation(q) <= 4 * scale * EPS, `‖QᵀQ − I‖ = ${gramDeviation(q)}`);
  assertOk(isUpperTriangular(r), "R is not upper triangular");
  for (let i = 0; i < Math.min(r.rows, n); i++) assertOk(r.get(i, i) >= 0, `R[${i},${i}] < 0`);
  const res = distance(product(q, r), a);
  assertOk(res <= 4 * m * n * EPS * a.normFrobenius(), `‖A − QR‖_F = ${res}`);
}

Deno.test("qr: Q orthonormal, R upper triangular with diag ≥ 0, QR = A (thin and full)", () => {
  fc.assert(
    fc.property(matrixArb(0, 12, 0, 12), fc.boolean(), (a, full) => checkQr(a, full)),
    { numRuns: numRuns(120), seed },
  );
});

Deno.test("qr: rank-deficient and zero columns still give QR = A and orthonormal Q", () => {
  const x = Matrix.from([[1, 2, 0, 3], [2, 4, 0, 6], [3, 6, 0, 9], [1, 1, 0, 1], [0, 0, 0, 0]]);
  checkQr(x, false);
  checkQr(x, true);
  checkQr(Matrix.zeros(4, 3), true);
});

Deno.test("qr: known factorisation", () => {
  const { q, r } = qr(Matrix.from([[3, 1], [4, 2]]));
  // A = [[3,1],[4,2]]: first column norm 5, Q = [[.6,-.8],[.8,.6]], R = [[5, 2.2],[0, 0.4]].
  assertOk(distance(q, Matrix.from([[0.6, -0.8], [0.8, 0.6]])) < 4 * EPS);
  assertOk(distance(r, Matrix.from([[5, 2.2], [0, 0.4]])) < 16 * EPS);
});

Deno.test("qr: non-finite input → NonFiniteError", () => {
  assertThrows(() => qr(Matrix.from([[1, NaN]])), NonFiniteError, "(0, 1)");
});

Deno.test("orthComplement: orthonormal, orthogonal to Q, completes the basis", () => {
  const arb = matrixArb(1, 12, 0, 12).filter((a) => a.cols <= a.rows);
  fc.assert(
    fc.property(arb, (a) => {
      const q = qr(a).q; // orthonormal columns spanning a's column space (r = cols ≤ m)
      const c = orthComplement(q);
      const m = q.rows;
      assertEquals(c.shape, [m, m - q.cols]);
      // Completion = Householder columns, so the same backward-stability bound applies.
      assertOk(gramDeviation(c) <= 4 * m * EPS, `‖CᵀC − I‖ = ${gramDeviation(c)}`);
      assertOk(crossDeviation(q, c) <= 4 * m * EPS, `‖QᵀC‖ = ${crossDeviation(q, c)}`);
    }),
    { numRuns: numRuns(100), seed },
  );
});

Deno.test("orthComplement: r = 0 gives I, r = m gives m×0, e1 gives e2", () => {
  assertEquals(orthComplement(Matrix.zeros(3, 0)).toArray(), Matrix.identity(3).toArray());
  assertEquals(orthComplement(Matrix.identity(4)).shape, [4, 0]);
  assertEquals(orthComplement(Matrix.zeros(0, 0)).shape, [0, 0]);
  const c = orthComplement(Matrix.from([[1], [0]]));
  assertOk(distance(c, Matrix.from([[0], [1]])) === 0, `complement of e1: ${c.toArray()}`);
});

Deno.test("orthComplement: typed errors for too many columns, non-orthonormal, non-finite", () => {
  assertThrows(() => orthComplement(Matrix.zeros(2, 3)), ShapeError, "at most 2 columns");
  const e = assertThrows(
    () => orthComplement(Matrix.from([[1, 1], [0, 1], [0, 0]])),
    AssumptionError,
    "orthonormal",
  ) as AssumptionError;
  assertEquals(e.measured, 1);
  assertEquals(e.tolerance, ORTHONORMAL_TOL);
  assertThrows(() => orthComplement(Matrix.from([[Infinity]])), NonFiniteError);
});
