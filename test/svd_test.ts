/**
 * One-sided Jacobi SVD, rank and condition number.
 *
 * Tolerances (L = max(m, n), r = min(m, n)):
 * - Reconstruction ‖A − USVᵀ‖_F ≤ 8·L·ε·‖A‖_F: the pivoted QR is backward stable, each Jacobi
 *   rotation perturbs the two rows it mixes by O(ε·|sin θ|) (update form, see asm/svd.ts) and
 *   the accumulated factor stays orthogonal to O(√(rotations)·ε); observed ≤ 0.75·L·ε over
 *   3000 random shapes up to 14×14 (64×64: 1.7e-15 = 0.12·L·ε), so 8·L·ε is a margin that
 *   still catches a real mistake (those show up at 1e-3 and above).
 * - Orthogonality of U and V: the stopping rule makes normalised rows orthogonal to √r·ε, the
 *   accumulated rotations add O(√(rotations)·ε); checked at 8·L·ε (observed ≤ 1·L·ε).
 * - Against numpy (LAPACK gesdd, backward stable): both sides have absolute errors
 *   O(L·ε·σ_max), so |σ − σ_numpy| ≤ 8·L·ε·σ_max.
 * - Graded matrices A = B·D: see the test below.
 */
import fc from "fast-check";
import { Decimal } from "decimal.js";
import { conditionNumber, rank, svd } from "../src/linalg/svd.ts";
import { NonFiniteError, ShapeError } from "../src/errors.ts";
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
  reconstruct,
  seededMatrix,
} from "./linalg_checks.ts";

/** Checks every property of an SVD of `a`; returns the measured errors in units of L·ε. */
function checkSvd(a: Matrix, full: boolean): { recon: number; orthU: number; orthV: number } {
  const { rows: m, cols: n } = a;
  const r = Math.min(m, n), L = Math.max(m, n, 1);
  const { u, s, v } = svd(a, { full });
  assertEquals(u.shape, [m, full ? m : r]);
  assertEquals(v.shape, [n, full ? n : r]);
  assertEquals(s.length, r);
  for (let i = 0; i < r; i++) {
    assertOk(s[i] >= 0, `σ${i} = ${s[i]} < 0`);
    if (i > 0) assertOk(s[i] <= s[i - 1], `σ not descending at ${i}: ${s[i - 1]}, ${s[i]}`);
  }
  const unit = L * EPS;
  // Measured on A/α, α = max|a_ij| (a power-of-two-free rescaling is fine here: it only keeps
  // ‖·‖_F of matrices with entries near 1e±300 from overflowing or underflowing).
  const alpha = a.maxAbs() || 1;
  const scaled = (x: Matrix) => new Matrix(x.rows, x.cols, x.data.map((e) => e / alpha));
  const recon = distance(scaled(reconstruct(u, s, v)), scaled(a)) /
    (unit * Math.max(scaled(a).normFrobenius(), 1e-300));
  const orthU = gramDeviation(u) / unit, orthV = gramDeviation(v) / unit;
  assertOk(recon <= 8, `‖A − USVᵀ‖_F = ${recon}·L·ε·‖A‖_F`);
  assertOk(orthU <= 8, `‖UᵀU − I‖ = ${orthU}·L·ε`);
  assertOk(orthV <= 8, `‖VᵀV − I‖ = ${orthV}·L·ε`);
  assertOk(followsSignConvention(v), "a column of V has a negative largest entry");
  if (full) assertOk(followsSignConvention(u.slice(0, m, r, m)), "U completion sign convention");
  return { recon, orthU, orthV };
}

Deno.test("svd: reconstruction, orthogonality, ordering, sign convention (any shape)", () => {
  fc.assert(
    fc.property(matrixArb(0, 14, 0, 14), fc.boolean(), (a, full) => {
      checkSvd(a, full);
    }),
    { numRuns: numRuns(150), seed },
  );
});

Deno.test("svd: rank-deficient products X·Yᵀ (exact zero and rounding-level σ)", () => {
  fc.assert(
    fc.property(
      matrixArb(1, 10, 0, 4),
      fc.integer({ min: 1, max: 10 }),
      fc.nat(1000),
      fc.boolean(),
      (x, n, s, full) => {
        const k = x.cols;
        const a = product(x, seededMatrix(n, k, s), false, true); // rank ≤ k
        checkSvd(a, full);
        const sv = svd(a).s;
        // σ_i for i ≥ k are rounding noise of the product: ≤ 8·L·ε·σ_max.
        for (let i = k; i < sv.length; i++) {
          assertOk(sv[i] <= 8 * Math.max(a.rows, n) * EPS * sv[0], `σ${i} = ${sv[i]}`);
        }
      },
    ),
    { numRuns: numRuns(80), seed },
  );
});

Deno.test("svd: edge shapes 0×n, n×0, 1×n, n×1, the zero matrix, extreme scales", () => {
  for (const [m, n] of [[0, 3], [3, 0], [0, 0], [1, 5], [5, 1], [1, 1]]) {
    for (const full of [false, true]) checkSvd(seededMatrix(m, n, m + 10 * n), full);
  }
  const z = svd(Matrix.zeros(4, 3), { full: true });
  assertEquals(Array.from(z.s), [0, 0, 0]);
  assertOk(gramDeviation(z.u) <= 4 * EPS && gramDeviation(z.v) <= 4 * EPS, "zero matrix bases");
  // Power-of-two prescaling: no overflow of squared norms at 1e300, no underflow at 1e-300.
  for (const scale of [1e300, 1e-300]) {
    const a = Matrix.fromFunction(5, 4, (i, j) => scale * Math.cos(i + 3 * j));
    checkSvd(a, true);
  }
});

Deno.test("svd: known decompositions and the sign convention", () => {
  const { u, s, v } = svd(Matrix.from([[3, 0], [0, -4]]));
  assertEquals(Array.from(s), [4, 3]);
  assertEquals(v.toArray(), [[0, 1], [1, 0]]);
  assertEquals(u.toArray(), [[0, 1], [-1, 0]]);
  // Sign convention on a wide, a tall and a rank-deficient input (U's column follows V's).
  for (const a of [Matrix.from([[1, -1, 2]]), Matrix.from([[-1], [-3]]), Matrix.zeros(2, 2)]) {
    checkSvd(a, true);
  }
  assertEquals(svd(Matrix.from([[-1], [-3]])).u.get(1, 0) < 0, true); // v = [1], u = −(1,3)/√10
  // An orthogonal matrix: every σ is 1.
  const c = Math.cos(0.3), sn = Math.sin(0.3);
  const o = svd(Matrix.from([[c, -sn], [sn, c]])).s;
  assertOk(Math.abs(o[0] - 1) <= 2 * EPS && Math.abs(o[1] - 1) <= 2 * EPS, `σ = ${o}`);
});

Deno.test("svd: non-finite input → NonFiniteError", () => {
  assertThrows(() => svd(Matrix.from([[1, 2], [NaN, 4]])), NonFiniteError, "(1, 0)");
});

Deno.test("svd of random 64×64: reconstruction ≤ 1e-13 relative, σ match numpy", async () => {
  const n = 64, cases = [1, 2, 3].map((s) => seededMatrix(n, n, s));
  const ref = await numpy<number[][]>(
    "out = [np.linalg.svd(np.array(a), compute_uv=False).tolist() for a in inp]",
    cases.map((a) => a.toArray()),
  );
  cases.forEach((a, c) => {
    const { u, s, v } = svd(a);
    const rel = distance(reconstruct(u, s, v), a) / a.normFrobenius();
    assertOk(rel <= 1e-13, `case ${c}: ‖A − USVᵀ‖_F/‖A‖_F = ${rel}`);
    // Both computations have absolute errors O(n·ε·σ_max); 8·n·ε·σ_max ≈ 1.1e-13·σ_max.
    const worst = Math.max(...Array.from(s, (x, i) => Math.abs(x - ref[c][i])));
    assertOk(worst <= 8 * n * EPS * s[0], `case ${c}: max |σ − σ_numpy| = ${worst}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Graded matrices: relative accuracy of small singular values.
//
// Theory (Demmel & Veselić 1992, Thm 4.2; Mathias 1995): for A = B·D with D diagonal and B of
// full column rank with unit columns, one-sided Jacobi computes every σᵢ with
//   |σ̂ᵢ − σᵢ| / σᵢ ≤ c·L·ε·κ(B)
// however widely D is graded, where c covers the sweeps. A bidiagonalisation SVD only achieves
// |σ̂ᵢ − σᵢ| ≤ c·ε·σ_max, i.e. no correct digit for σᵢ < ε·σ_max. The reference values come
// from an independent algorithm in 80-digit decimal arithmetic: bisection on the eigenvalues of
// AᵀA (formed exactly: products of doubles need 106 bits), counting eigenvalues below x by the
// inertia of the LDLᵀ factorisation of AᵀA − xI (Sylvester's law). We check the bound with
// c = 8, κ(B) measured by our own SVD (B is not graded, so that value is accurate to O(ε·κ)).
// ---------------------------------------------------------------------------------------------

const D80 = Decimal.clone({ precision: 80 });

/** Eigenvalues (ascending) of the exact Gram matrix AᵀA, by inertia bisection in 80 digits. */
function gramEigenvaluesReference(a: Matrix): number[] {
  const { rows: m, cols: n } = a;
  const h: Decimal[][] = [];
  for (let i = 0; i < n; i++) {
    h.push([]);
    for (let j = 0; j < n; j++) {
      let s = new D80(0);
      for (let k = 0; k < m; k++) s = s.plus(new D80(a.get(k, i)).times(a.get(k, j)));
      h[i].push(s);
    }
  }
  // Number of eigenvalues of H below x = number of negative pivots of LDLᵀ(H − xI).
  const below = (x: Decimal): number => {
    const l: Decimal[][] = h.map((row) => row.map(() => new D80(0)));
    const d: Decimal[] = [];
    let count = 0;
    for (let k = 0; k < n; k++) {
      let dk = h[k][k].minus(x);
      for (let j = 0; j < k; j++) dk = dk.minus(l[k][j].times(l[k][j]).times(d[j]));
      d.push(dk);
      if (dk.isNegative()) count++;
      for (let i = k + 1; i < n; i++) {
        let s = h[i][k];
        for (let j = 0; j < k; j++) s = s.minus(l[i][j].times(l[k][j]).times(d[j]));
        l[i][k] = s.div(dk);
      }
    }
    return count;
  };
  let trace = new D80(0);
  for (let i = 0; i < n; i++) trace = trace.plus(h[i][i]);
  const values: number[] = [];
  for (let k = 0; k < n; k++) {
    // Geometric bisection: the eigenvalues span many orders of magnitude.
    let lo = trace.times("1e-60"), hi = trace.times(1.0000001);
    while (hi.div(lo).minus(1).greaterThan("1e-22")) {
      const mid = lo.times(hi).sqrt();
      if (below(mid) > k) hi = mid;
      else lo = mid;
    }
    values.push(lo.times(hi).sqrt().toNumber());
  }
  return values;
}

Deno.test("svd: graded A = B·D (σ from 1 to 1e-12) recovers every σ to relative c·L·ε·κ(B)", () => {
  let worstUnits = 0;
  const shapes: [number, number][] = [[6, 4], [5, 5], [7, 3], [3, 6]];
  shapes.forEach(([m, n], c) => {
    const r = Math.min(m, n);
    const b = seededMatrix(m, n, 100 + c);
    // Tall: grade the columns (A = B·D); wide: grade the rows (A = D·B), i.e. Aᵀ = Bᵀ·D.
    const grade = (i: number) => 10 ** (-12 * i / (r - 1));
    const a = m >= n
      ? Matrix.fromFunction(m, n, (i, j) => b.get(i, j) * grade(j))
      : Matrix.fromFunction(m, n, (i, j) => b.get(i, j) * grade(i));
    // κ of B with unit columns (rows when wide): the bound's condition number.
    const bt = m >= n ? b : b.transpose();
    const unitCols = Matrix.fromFunction(bt.rows, bt.cols, (i, j) => {
      let s = 0;
      for (let k = 0; k < bt.rows; k++) s += bt.get(k, j) ** 2;
      return bt.get(i, j) / Math.sqrt(s);
    });
    const kappa = conditionNumber(unitCols);
    const at = m >= n ? a : a.transpose();
    const ref = gramEigenvaluesReference(at).map(Math.sqrt).reverse();
    const s = svd(a).s;
    for (let i = 0; i < r; i++) {
      const relErr = Math.abs(s[i] - ref[i]) / ref[i];
      const units = relErr / (Math.max(m, n) * EPS * kappa);
      worstUnits = Math.max(worstUnits, units);
      assertOk(
        units <= 8,
        `${m}×${n}: σ${i} = ${s[i]} vs ${ref[i]}: relative error ${relErr} ` +
          `(κ(B) = ${kappa.toFixed(1)})`,
      );
    }
    assertOk(ref[r - 1] < 1e-10 * ref[0], "the test matrix is not graded");
  });
  assertOk(worstUnits > 0, "reference and SVD agree bit for bit: suspicious");
});

Deno.test("rank and conditionNumber", () => {
  assertEquals(rank(Matrix.from([[1, 0], [0, 1e-20]])), 1);
  assertEquals(rank(Matrix.from([[1, 0], [0, 1e-20]]), 1e-30), 2);
  assertEquals(rank(Matrix.zeros(3, 2)), 0);
  assertEquals(rank(Matrix.zeros(0, 2)), 0);
  const x = seededMatrix(7, 2, 5), y = seededMatrix(6, 2, 6);
  assertEquals(rank(product(x, y, false, true)), 2);
  assertEquals(conditionNumber(Matrix.from([[2, 0], [0, -0.5]])), 4);
  assertEquals(conditionNumber(Matrix.from([[1, 1], [1, 1]])), Infinity);
  assertThrows(() => conditionNumber(Matrix.zeros(0, 3)), ShapeError, "no singular values");
});
