/**
 * Singular values without vectors: `singularValues`, `singularValuesOfEach` (WASM kernel
 * `svdValues`) and the backends' `singularValues` (f64 and decimal).
 *
 * The values-only path runs the same prescaling, pivoted QR and Jacobi rotations of `G` as the
 * full SVD and skips only the accumulation of `V` and the forming of `U`, `V`; the rotations of
 * `G` never read `V`. So the values must equal `svd(a).s` bit for bit (every accuracy property
 * proven for the full SVD in svd_test.ts, e.g. relative accuracy of graded matrices, carries
 * over), and they are checked that way on any shape, rank-deficient, repeated and zero
 * singular values. Independently they are checked against numpy (LAPACK gesdd): both have
 * absolute errors O(L·ε·σ_max), so |σ − σ_numpy| ≤ 8·L·ε·σ_max (L = max(m, n)), as in
 * svd_test.ts.
 */
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { singularValues, singularValuesOfEach, svd } from "../src/linalg/svd.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { decimalBackend } from "../src/linalg/decimal.ts";
import { NonFiniteError, ShapeError } from "../src/errors.ts";
import { core } from "../src/wasm/core.ts";
import { Matrix } from "../src/matrix.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { EPS, matrixArb, numpy, product, seededMatrix } from "./linalg_checks.ts";

/** Exactly the same doubles (`Object.is`: also tells +0 from −0). */
function assertSameValues(got: Float64Array, want: Float64Array, what: string): void {
  assertEquals(got.length, want.length, `${what}: ${got.length} values, expected ${want.length}`);
  got.forEach((g, i) => assertOk(Object.is(g, want[i]), `${what}: σ${i} = ${g}, svd ${want[i]}`));
}

/** Diagonal `d` (padded to m×n) rotated by two fixed orthogonal matrices: σ = |d| sorted. */
function withSpectrum(m: number, n: number, d: number[], s: number): Matrix {
  const q = (k: number, seed: number) => svd(seededMatrix(k, k, seed)).u; // orthogonal k×k
  const core = Matrix.fromFunction(m, n, (i, j) => (i === j && i < d.length ? d[i] : 0));
  return product(product(q(m, s), core, false, false), q(n, s + 1), false, true);
}

/** Rank-deficient, repeated, zero and rectangular cases used by several tests. */
const CASES: [string, Matrix][] = [
  ["8×8 random", seededMatrix(8, 8, 1)],
  ["5×3", seededMatrix(5, 3, 2)],
  ["3×7", seededMatrix(3, 7, 3)],
  ["1×6", seededMatrix(1, 6, 4)],
  ["6×1", seededMatrix(6, 1, 5)],
  ["6×4 rank 2", product(seededMatrix(6, 2, 6), seededMatrix(4, 2, 7), false, true)],
  ["4×7 rank 1", product(seededMatrix(4, 1, 8), seededMatrix(7, 1, 9), false, true)],
  ["5×5 repeated 2, 2, 2, 1, 0", withSpectrum(5, 5, [2, 2, 2, 1, 0], 10)],
  ["6×4 repeated 3, 3, 0.5, 0.5", withSpectrum(6, 4, [3, 3, 0.5, 0.5], 12)],
  ["4×4 identity", Matrix.fromFunction(4, 4, (i, j) => (i === j ? 1 : 0))],
  ["3×5 zero", Matrix.zeros(3, 5)],
];

Deno.test("singularValues = svd(a).s bit for bit (any shape, rank-deficient products)", () => {
  fc.assert(
    fc.property(matrixArb(0, 12, 0, 12), (a) => {
      assertSameValues(singularValues(a), svd(a).s, `${a.rows}×${a.cols}`);
    }),
    { numRuns: numRuns(150), seed },
  );
  fc.assert(
    fc.property(matrixArb(1, 9, 0, 3), fc.integer({ min: 1, max: 9 }), fc.nat(1000), (x, n, s) => {
      const a = product(x, seededMatrix(n, x.cols, s), false, true); // rank ≤ x.cols
      assertSameValues(singularValues(a), svd(a).s, `rank ≤ ${x.cols} ${a.rows}×${n}`);
    }),
    { numRuns: numRuns(60), seed },
  );
  for (const [name, a] of CASES) assertSameValues(singularValues(a), svd(a).s, name);
  for (const [m, n] of [[0, 3], [3, 0], [0, 0]]) {
    assertEquals(singularValues(Matrix.zeros(m, n)).length, 0);
  }
  // Power-of-two prescaling: no overflow at 1e300, no underflow at 1e-300.
  for (const scale of [1e300, 1e-300]) {
    const a = Matrix.fromFunction(5, 4, (i, j) => scale * Math.cos(i + 3 * j));
    assertSameValues(singularValues(a), svd(a).s, `scale ${scale}`);
  }
});

Deno.test("singularValues: known spectra, repeated and zero values", () => {
  assertEquals([...singularValues(Matrix.from([[3, 0], [0, -4]]))], [4, 3]);
  assertEquals([...singularValues(Matrix.zeros(3, 5))], [0, 0, 0]);
  // Rotated diagonals: σ = |d| sorted, to the O(L·ε·σ_max) of the rotations applied in f64.
  for (const [m, n, d] of [[5, 5, [2, 2, 2, 1, 0]], [6, 4, [3, 3, 0.5, 0.5]]] as const) {
    const got = singularValues(withSpectrum(m, n, [...d], 20));
    d.forEach((v, i) => {
      assertOk(
        Math.abs(got[i] - v) <= 8 * Math.max(m, n) * EPS * d[0],
        `${m}×${n}: σ${i} = ${got[i]}, expected ${v}`,
      );
    });
  }
});

Deno.test("singularValues against numpy (rectangular, rank-deficient, repeated, zero)", async () => {
  const ref = await numpy<number[][]>(
    "out = [np.linalg.svd(np.array(a).reshape(m, n), compute_uv=False).tolist() " +
      "if m * n > 0 else [] for (m, n, a) in inp]",
    CASES.map(([, a]) => [a.rows, a.cols, [...a.data]]),
  );
  CASES.forEach(([name, a], c) => {
    const s = singularValues(a);
    assertEquals(s.length, ref[c].length, name);
    const bound = 8 * Math.max(a.rows, a.cols) * EPS * Math.max(s[0], 1e-300);
    s.forEach((x, i) => {
      assertOk(Math.abs(x - ref[c][i]) <= bound, `${name}: σ${i} = ${x}, numpy ${ref[c][i]}`);
    });
  });
});

Deno.test("singularValuesOfEach: one call, the values of each matrix; errors name the matrix", () => {
  const ms = Array.from({ length: 30 }, (_, k) => seededMatrix(4, 6, 100 + k));
  ms[7] = Matrix.zeros(4, 6);
  ms[11] = withSpectrum(4, 6, [1, 1, 1, 0], 40);
  const all = singularValuesOfEach(ms);
  assertEquals(all.length, ms.length);
  ms.forEach((a, k) => assertSameValues(all[k], svd(a).s, `matrix ${k}`));
  assertEquals(singularValuesOfEach([]), []);
  assertThrows(
    () => singularValuesOfEach([Matrix.zeros(2, 3), Matrix.zeros(3, 2)]),
    ShapeError,
    "matrix 1 is 3×2",
  );
  const bad = [seededMatrix(3, 3, 1), Matrix.from([[1, 2, 3], [4, 5, 6], [7, Infinity, 9]])];
  assertThrows(() => singularValuesOfEach(bad), NonFiniteError, "matrix 1: entry (2, 1)");
  assertThrows(() => singularValues(Matrix.from([[NaN, 1]])), NonFiniteError, "(0, 0)");
  // The kernel's status: k + 1 for the first matrix that did not converge (here with a budget
  // of 1 sweep: a diagonal matrix converges in it, a full one needs a rotation and a second sweep) or that has a non-finite entry.
  const c = core();
  c.scoped(() => {
    const diag = Matrix.from([[2, 0], [0, 1]]), full = Matrix.from([[1, 2], [3, 4]]);
    const a = c.alloc(12);
    [diag, full, Matrix.from([[NaN, 0], [0, 1]])].forEach((m, k) =>
      c.f64.set(m.data, a / 8 + 4 * k)
    );
    const s = c.alloc(6), work = c.alloc(c.k.svdWorkSize(2, 2));
    assertEquals(c.k.svdValues(3, 2, 2, a, s, work, 1), 2, "first not converged: matrix 1");
    assertEquals(c.k.svdValues(3, 2, 2, a, s, work, 60), 3, "first non-finite: matrix 2");
    assertEquals([...c.f64.slice(s / 8, s / 8 + 6)].map(String), [
      "2",
      "1",
      String(singularValues(full)[0]),
      String(singularValues(full)[1]),
      "NaN",
      "NaN",
    ]);
  });
});

Deno.test("backends: singularValues = svd(a).s (f64 bit for bit, decimal digit for digit)", () => {
  for (const [name, a] of CASES) {
    const f = f64Backend.scoped(() =>
      f64Backend.toMatrix(f64Backend.singularValues(f64Backend.from(a)))
    );
    assertSameValues(f.data, svd(a).s, `f64 backend ${name}`);
  }
  const be = decimalBackend(30);
  for (const [name, a] of CASES.filter(([, a]) => a.rows * a.cols <= 30)) {
    const values = be.singularValues(be.from(a));
    const full = be.svd(be.from(a)).s;
    assertEquals(values.rows, full.rows, name);
    values.data.forEach((x: Decimal, i: number) => {
      assertOk(x.eq(full.data[i]), `decimal ${name}: σ${i} = ${x}, svd ${full.data[i]}`);
    });
    // and they are the singular values: within f64's bound of the f64 ones.
    const s = svd(a).s;
    values.data.forEach((x: Decimal, i: number) => {
      const bound = 8 * Math.max(a.rows, a.cols) * EPS * Math.max(s[0], 1e-300);
      assertOk(Math.abs(x.toNumber() - s[i]) <= bound, `decimal ${name}: σ${i} = ${x} vs ${s[i]}`);
    });
  }
});
