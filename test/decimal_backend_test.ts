/**
 * The decimal.js backend: agreement with mpmath, closed forms of `expm`, residuals of
 * the factorisations and the SVD at the working precision, isolation of configurations, exact
 * conversions and typed errors.
 *
 * Margins: the backend promises its requested `d` digits (it computes with `d + 6` guard
 * digits), so results are checked to `c · 10^−d` with `c` a small constant that covers the
 * condition of the quantity checked (stated at each assertion).
 */
import { Decimal } from "decimal.js";
import { type DecimalBackend, decimalBackend, GUARD_DIGITS } from "../src/linalg/decimal.ts";
import {
  decimalContext,
  DecimalMatrix,
  exactDecimalString,
} from "../src/linalg/decimal_context.ts";
import { numpy } from "./linalg_checks.ts";
import type { Backend } from "../src/linalg/backend.ts";
import { Matrix } from "../src/matrix.ts";
import {
  AssumptionError,
  ConvergenceError,
  InputError,
  NonFiniteError,
  NotPositiveDefiniteError,
  ShapeError,
  SingularMatrixError,
} from "../src/errors.ts";
import {
  assertEquals,
  assertMatrixClose,
  assertOk,
  assertThrows,
  relativeError,
} from "./assert.ts";
import { svd as f64Svd } from "../src/linalg/svd.ts";
import { symmetricEigen as f64SymmetricEigen } from "../src/linalg/eigen.ts";
import { checkShapes, type ExactInputs } from "../src/exact/assumptions.ts";
import { fukumizuSolution } from "../src/exact/fukumizu.ts";
import { prepareExact } from "../src/exact/solve.ts";
import { f64Backend } from "../src/linalg/f64.ts";
import { eq5Conditioning, eq5DigitsLost } from "../src/precision.ts";

type B = Backend<DecimalMatrix>;

/** `max|a − b| / max|b|`, computed in `be`'s arithmetic (exact for mixed-precision inputs). */
function relDiff(be: B, a: DecimalMatrix, b: DecimalMatrix): number {
  return be.maxAbs(be.sub(a, b)) / be.maxAbs(b);
}

/** Digits of agreement `−log10(relDiff)` (Infinity for identical results). */
function agreement(be: B, a: DecimalMatrix, b: DecimalMatrix): number {
  return -Math.log10(relDiff(be, a, b));
}

/** A fixed, well-conditioned non-symmetric test matrix (entries of size ~1). */
function testMatrix(m: number, n: number, seed = 1): Matrix {
  return Matrix.fromFunction(
    m,
    n,
    (i, j) => Math.sin(seed + 1.7 * i + 0.9 * j * j) + (i === j ? 2 : 0),
  );
}

function spd(n: number): Matrix {
  const a = testMatrix(n, n, 3);
  return Matrix.fromFunction(n, n, (i, j) => {
    let s = i === j ? 0.5 : 0;
    for (let k = 0; k < n; k++) s += a.get(i, k) * a.get(j, k);
    return s;
  });
}

/** The operations of the cross-check below, each in mpmath (python3) at `inp.dps` digits. */
const MPMATH_OPS = `
import mpmath as mp
mp.mp.dps = inp["dps"]
M = {k: mp.matrix(v) for k, v in inp["m"].items()}
a, r, p, w, g = M["a"], M["r"], M["p"], M["w"], M["g"]
def ew(x, f):
    return mp.matrix([[f(x[i, j]) for j in range(x.cols)] for i in range(x.rows)])
u, v = r[:, 0], r[:, 1]
sv = sorted(mp.svd_r(w, compute_uv=False), reverse=True)
ev, evec = mp.eigsy(p)
order = sorted(range(p.rows), key=lambda k: ev[k])  # ascending, as symmetricEigen
def column(k):  # sign convention: the largest-magnitude entry positive
    c = [evec[i, k] for i in range(p.rows)]
    big = max(range(p.rows), key=lambda i: abs(c[i]))
    return [x if c[big] > 0 else -x for x in c]
cols = [column(k) for k in order]
res = {
    "solve": mp.inverse(a) * r,
    "inverse": mp.inverse(a),
    "choleskySolve": mp.inverse(p) * r,
    "choleskyWhiten": mp.inverse(mp.cholesky(p)) * r,
    "addProduct": p + a.T * a,
    "scaleRowsCols": mp.diag(u) * a * mp.diag(v),
    "svd.s": mp.matrix([[x] for x in sv]),
    "eigen.values": mp.matrix([[ev[k]] for k in order]),
    "eigen.vectors": mp.matrix([[cols[j][i] for j in range(p.rows)] for i in range(p.rows)]),
    "expm": mp.expm(6 * g),
    "expm1Scaled": ew(r, lambda x: mp.expm1(mp.mpf(1e-12) * x)),  # the f64 1e-12, exactly
    "expScaled": ew(r, lambda x: mp.exp(mp.mpf(-3.5) * x)),
}
out = {k: [[mp.nstr(x[i, j], inp["dps"]) for j in range(x.cols)] for i in range(x.rows)]
       for k, x in res.items()}
`;

Deno.test("40 digits agree with mpmath at 60 digits to at least 39 digits on every operation", async () => {
  // An independent implementation (mpmath: its own LU, Cholesky, SVD, expm and arithmetic) on
  // the same f64 inputs, converted exactly on both sides (replaces a comparison of the backend
  // with itself at 80 digits). The backend promises 40 digits; one is allowed for the condition
  // of the inverse and of expm of a norm-20 matrix. Measured: 44.0–46.0 (the guard digits).
  const a = testMatrix(5, 5), r = testMatrix(5, 2, 7), p = spd(5), w = testMatrix(3, 6, 2);
  const g = Matrix.fromFunction(4, 4, (i, j) => (i - j) * 0.8 + Math.cos(i + 2 * j));
  const ops: [string, (be: DecimalBackend) => DecimalMatrix][] = [
    ["solve", (be) => be.solve(be.from(a), be.from(r))],
    ["inverse", (be) => be.inverse(be.from(a))],
    ["choleskySolve", (be) => be.choleskySolve(be.from(p), be.from(r))],
    ["choleskyWhiten", (be) => be.choleskyWhiten(be.from(p), be.from(r))],
    ["addProduct", (be) => be.addProduct(be.from(p), be.from(a), be.from(a), true)],
    ["scaleRowsCols", (be) => {
      const [u, v] = [be.from(r.slice(0, 5, 0, 1)), be.from(r.slice(0, 5, 1, 2))];
      return be.scaleRowsCols(u, be.from(a), v);
    }],
    ["svd.s", (be) => be.svd(be.from(w)).s],
    ["eigen.values", (be) => be.symmetricEigen(be.from(p)).values],
    ["eigen.vectors", (be) => be.symmetricEigen(be.from(p)).vectors],
    ["expm", (be) => be.expm(be.scale(be.from(g), 6))],
    ["expm1Scaled", (be) => be.expm1Scaled(be.from(r), 1e-12)],
    ["expScaled", (be) => be.expScaled(be.from(r), -3.5)],
  ];
  let want: Record<string, string[][]>;
  try {
    const m = { a, r, p, w, g };
    want = await numpy(MPMATH_OPS, {
      dps: 60,
      m: Object.fromEntries(Object.entries(m).map(([k, x]) => [k, x.toArray()])),
    });
  } catch (e) {
    if (!String(e).includes("No module named 'mpmath'")) throw e;
    console.error("skipped: python3 has no mpmath (apt-get install python3-mpmath)");
    return;
  }
  const b40 = decimalBackend(40), ctx = decimalContext(60);
  const seen: string[] = [];
  for (const [what, op] of ops) {
    const rows = want[what];
    const ref = new DecimalMatrix(
      rows.length,
      rows[0].length,
      rows.flat().map((x) => new ctx.D(x)),
    );
    const digits = agreement(b40, op(b40), ref);
    seen.push(`${what} ${digits.toFixed(1)}`);
    assertOk(digits >= 39, `${what}: 40 digits agree with mpmath to ${digits.toFixed(1)} digits`);
  }
  console.log(`digits of agreement with mpmath: ${seen.join(", ")}`);
});

Deno.test("addProduct and scaleRowsCols equal their compositions digit for digit", () => {
  // Same operations in the same order (c + (a·b), then v_j·(u_i·a_ij)): identical roundings.
  const be = decimalBackend(30);
  const a = be.from(testMatrix(4, 3)), bm = be.from(testMatrix(4, 3, 3));
  const c = be.from(testMatrix(3, 3, 5));
  const u = be.from(testMatrix(4, 1, 7)), v = be.from(testMatrix(3, 1, 9));
  assertEquals(
    be.toStrings(be.addProduct(c, a, bm, true)),
    be.toStrings(be.add(c, be.matmul(a, bm, true))),
  );
  assertEquals(
    be.toStrings(be.scaleRowsCols(u, a, v)),
    be.toStrings(be.scaleCols(be.scaleRows(u, a), v)),
  );
});

Deno.test("expm of a diagonal matrix is the elementwise exp, to the working precision", () => {
  for (const digits of [30, 60]) {
    const be = decimalBackend(digits);
    const D = Decimal.clone({ precision: digits + 20 });
    const lambda = [-3, 0.5, 2, 7.25, 30];
    const e = be.expm(be.from(Matrix.diag(lambda)));
    const exact = be.diag(be.expScaled(be.from(new Matrix(5, 1, Float64Array.from(lambda))), 1));
    // Margin 10: the exponentials are perfectly conditioned (relative error of e^λ is |λ|·δλ with
    // δλ = 0 for exact inputs), so the only loss is rounding, absorbed by the guard digits.
    const err = relDiff(be, e, exact);
    assertOk(err <= 10 * 10 ** -digits, `diag expm at ${digits} digits: ${err}`);
    // Independent check of one entry against a wider Decimal.
    const e30 = new D(e.get(4, 4)).div(new D(30).exp()).minus(1).abs().toNumber();
    assertOk(e30 <= 10 ** -digits, `e^30 at ${digits} digits: relative error ${e30}`);
  }
});

Deno.test("expm of a nilpotent matrix is its finite series", () => {
  const digits = 50;
  const be = decimalBackend(digits);
  // Strictly upper triangular N (4×4, N⁴ = 0): e^N = I + N + N²/2 + N³/6, evaluated in Decimal.
  const nm = Matrix.fromFunction(4, 4, (i, j) => j > i ? 1.5 * (i + 1) - 0.75 * j : 0);
  const n = be.from(nm);
  const n2 = be.matmul(n, n), n3 = be.matmul(n2, n);
  const series = be.add(be.add(be.identity(4), n), be.add(be.scale(n2, 0.5), be.scale(n3, 1 / 6)));
  const sixth = be.scale(n3, 1 / 6);
  // 1/6 is not an f64: replace the f64 1/6 by the exact sixth computed in Decimal.
  const exactSixth = be.divide(n3, be.from(Matrix.fromFunction(4, 4, () => 6)));
  const exact = be.add(be.sub(series, sixth), exactSixth);
  const err = relDiff(be, be.expm(n), exact);
  // Margin 10: the series has 4 terms of size ≤ ‖N‖³/6 ≈ 4, rounding only.
  assertOk(err <= 10 * 10 ** -digits, `nilpotent expm: relative error ${err}`);
});

Deno.test("expm of a rotation generator is the rotation, by Decimal's own sin and cos", () => {
  for (const digits of [25, 50, 100]) {
    const be = decimalBackend(digits);
    const D = Decimal.clone({ precision: digits + 10 });
    // θ = 1e8 needs s = 28 squarings: their 2^28 ≈ 10^8.4 amplification exceeds the 6 guard
    // digits, so only expm's extra digits keep the result at the working precision.
    for (const theta of [0.7, 3, 20, 250, 1e8]) {
      const e = be.expm(be.from(Matrix.from([[0, theta], [-theta, 0]])));
      const th = new D(exactDecimalString(theta)); // the f64 θ exactly, as `from` converts it
      const c = th.cos(), s = th.sin();
      const expected = [[c, s], [s.neg(), c]];
      let err = 0;
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          err = Math.max(err, new D(e.get(i, j)).minus(expected[i][j]).abs().toNumber());
        }
      }
      // Margin 10: e^A is orthogonal (‖e^A‖ = 1), so absolute = relative error; the s squarings
      // amplify rounding by 2^s, covered by expm's extra ⌈s·log10 2⌉ + 1 digits.
      assertOk(err <= 10 * 10 ** -digits, `rotation θ=${theta} at ${digits} digits: ${err}`);
    }
  }
});

Deno.test("LU solve, inverse and Cholesky residuals are at the working precision", () => {
  const digits = 45;
  const be = decimalBackend(digits);
  const a = be.from(testMatrix(6, 6)), r = be.from(testMatrix(6, 3, 5)), p = be.from(spd(6));
  const frob = (x: DecimalMatrix) => be.maxAbs(x);
  const x = be.solve(a, r);
  // Backward error of LU with partial pivoting: ‖r − a x‖ ≤ c·n·u·‖a‖‖x‖ (u = 10^−(d+6));
  // checking against 10^−d leaves the 10^6 guard factor for n and the growth factor.
  const res1 = frob(be.sub(be.matmul(a, x), r)) / (frob(a) * frob(x));
  assertOk(res1 <= 10 ** -digits, `LU residual ${res1}`);
  const inv = be.inverse(a);
  const res2 = frob(be.sub(be.matmul(a, inv), be.identity(6))) / (frob(a) * frob(inv));
  assertOk(res2 <= 10 ** -digits, `inverse residual ${res2}`);
  const y = be.choleskySolve(p, r);
  const res3 = frob(be.sub(be.matmul(p, y), r)) / (frob(p) * frob(y));
  assertOk(res3 <= 10 ** -digits, `Cholesky residual ${res3}`);
  // w = L⁻¹r: wᵀw = rᵀ p⁻¹ r = rᵀy, both backward stable at u = 10^−(d+6) (as above, 10^−d
  // leaves the guard factor for n and the conditioning of p).
  const w = be.choleskyWhiten(p, r);
  const q = be.matmul(r, y, true);
  const res4 = frob(be.sub(be.matmul(w, w, true), q)) / frob(q);
  assertOk(res4 <= 10 ** -digits, `Cholesky whitening ${res4}`);
});

Deno.test("singular and indefinite matrices get typed errors naming the pivot", () => {
  const be = decimalBackend(30);
  const sing = be.from(Matrix.from([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
  const e = assertThrows(() => be.solve(sing, be.identity(3)), SingularMatrixError, "pivot 2");
  assertEquals((e as SingularMatrixError).pivot, 2);
  assertThrows(() => be.inverse(be.zeros(2, 2)), SingularMatrixError, "pivot 0");
  // Singular only at low precision: the pivot 1e-28 exceeds the tolerance n·10^-precision·max|a_ij|
  // at 30 digits (2e-36, precision 36) but not at 20 digits (2e-26, precision 26).
  const near = Matrix.diag([1, 1e-28]);
  be.solve(be.from(near), be.identity(2));
  const be20 = decimalBackend(20);
  assertThrows(
    () => be20.solve(be20.from(near), be20.identity(2)),
    SingularMatrixError,
    "20 digits",
  );
  const indef = be.from(Matrix.from([[1, 2], [2, 1]]));
  const f = assertThrows(() => be.choleskySolve(indef, be.identity(2)), NotPositiveDefiniteError);
  assertEquals((f as NotPositiveDefiniteError).index, 1);
  assertThrows(() => be.choleskyWhiten(indef, be.identity(2)), NotPositiveDefiniteError, "pivot 1");
  assertThrows(() => be.choleskyWhiten(be.identity(2), be.zeros(3, 1)), ShapeError, "2 rows");
  assertThrows(
    () => be.addProduct(be.zeros(2, 2), be.zeros(2, 3), be.zeros(3, 3)),
    ShapeError,
    "C is",
  );
  assertThrows(
    () => be.scaleRowsCols(be.zeros(2, 1), be.zeros(2, 3), be.zeros(2, 1)),
    ShapeError,
    "3×1 vector",
  );
  assertThrows(() => be.solve(be.zeros(2, 3), be.zeros(2, 1)), ShapeError, "2×3");
  assertThrows(() => be.solve(be.identity(2), be.zeros(3, 1)), ShapeError, "expected 2 rows");
  assertThrows(() => be.matmul(be.zeros(2, 3), be.zeros(2, 3)), ShapeError, "inner dimensions");
  assertThrows(() => be.add(be.zeros(2, 3), be.zeros(3, 2)), ShapeError, "differ");
  assertThrows(() => be.expm(be.zeros(2, 3)), ShapeError, "not square");
  assertThrows(() => be.hstack([be.zeros(2, 1), be.zeros(3, 1)]), ShapeError, "rows");
  assertThrows(() => be.block(be.zeros(2, 2), 0, 3, 0, 1), ShapeError, "outside");
});

Deno.test("Jacobi SVD reconstructs, is orthonormal, descending, with the f64 sign convention", () => {
  const digits = 50;
  const be = decimalBackend(digits);
  const cases = [
    testMatrix(5, 3),
    testMatrix(3, 6, 2),
    Matrix.from([[1, 2], [2, 4], [3, 6]]), // rank 1: the second left vector is a completion
    Matrix.from([[3, 0], [0, -5]]),
  ];
  for (const m of cases) {
    const a = be.from(m);
    const { u, s, v } = be.svd(a);
    const r = Math.min(m.rows, m.cols);
    assertEquals(be.shape(u), [m.rows, r]);
    assertEquals(be.shape(v), [m.cols, r]);
    const rec = be.matmul(be.scaleCols(u, s), v, false, true);
    // Jacobi is backward stable: ‖U S Vᵀ − A‖ ≤ c·n·u·‖A‖ with u = 10^−(d+6).
    const err = relDiff(be, rec, a);
    assertOk(err <= 10 ** -digits, `${m.rows}×${m.cols} reconstruction ${err}`);
    for (const q of [u, v]) {
      const orth = be.maxAbs(be.sub(be.matmul(q, q, true, false), be.identity(r)));
      assertOk(orth <= 10 ** -digits, `orthonormality ${orth}`);
    }
    const sv = be.toMatrix(s).data;
    for (let k = 1; k < r; k++) assertOk(sv[k - 1] >= sv[k], `descending: ${sv}`);
    const vm = be.toMatrix(v);
    for (let j = 0; j < r; j++) {
      let big = 0;
      for (let i = 1; i < vm.rows; i++) {
        if (Math.abs(vm.get(i, j)) > Math.abs(vm.get(big, j))) big = i;
      }
      assertOk(vm.get(big, j) > 0, `sign convention: column ${j} of V`);
    }
  }
  // Singular values of [[3,0],[0,-5]] are exactly 5 and 3, and V's pivot entries positive.
  const { s, u } = be.svd(be.from(Matrix.from([[3, 0], [0, -5]])));
  assertEquals(be.toStrings(s), [["5"], ["3"]]);
  assertEquals(be.toMatrix(u).toArray(), [[0, 1], [-1, 0]]);
});

Deno.test("symmetric eigen by Jacobi: reconstruction, orthonormality, ascending, signs", () => {
  const digits = 50;
  const be = decimalBackend(digits);
  const a = be.from(spd(5));
  const sym = be.add(a, be.scale(be.from(Matrix.diag([0, 0, -9, 0, 0])), 1)); // indefinite
  for (const m of [a, sym]) {
    const { values, vectors } = be.symmetricEigen(m);
    const rec = be.matmul(be.scaleCols(vectors, values), vectors, false, true);
    // Jacobi is backward stable: ‖V Λ Vᵀ − A‖ ≤ c·n·u·‖A‖, u = 10^−(d+6).
    const err = relDiff(be, rec, m);
    assertOk(err <= 10 ** -digits, `eigen reconstruction ${err}`);
    const orth = be.maxAbs(be.sub(be.matmul(vectors, vectors, true, false), be.identity(5)));
    assertOk(orth <= 10 ** -digits, `eigenvectors orthonormal to ${orth}`);
    const lam = be.toMatrix(values).data;
    for (let k = 1; k < 5; k++) assertOk(lam[k - 1] <= lam[k], `ascending: ${lam}`);
    const vm = be.toMatrix(vectors);
    for (let j = 0; j < 5; j++) {
      let big = 0;
      for (let i = 1; i < 5; i++) if (Math.abs(vm.get(i, j)) > Math.abs(vm.get(big, j))) big = i;
      assertOk(vm.get(big, j) > 0, `sign convention: eigenvector ${j}`);
    }
  }
  // For SPD input the eigenvalues are the singular values (reversed).
  const lam = be.symmetricEigen(a).values, s = be.svd(a).s;
  assertOk(
    relDiff(be, lam, be.vstack([4, 3, 2, 1, 0].map((k) => be.block(s, k, k + 1, 0, 1)))) <= 1e-49,
    "λ = σ",
  );
  // Eigenvalues and eigenvectors against mpmath: the test "40 digits agree with mpmath …".
  assertThrows(
    () => be.symmetricEigen(be.from(Matrix.from([[1, 2], [3, 4]]))),
    AssumptionError,
    "symmetric",
  );
  assertThrows(() => be.symmetricEigen(be.zeros(2, 3)), ShapeError, "not square");
});

Deno.test("orthComplement completes an orthonormal basis", () => {
  const be = decimalBackend(40);
  const q = be.svd(be.from(testMatrix(5, 2))).u;
  const c = be.orthComplement(q);
  assertEquals(be.shape(c), [5, 3]);
  const full = be.hstack([q, c]);
  const orth = be.maxAbs(be.sub(be.matmul(full, full, true, false), be.identity(5)));
  assertOk(orth <= 1e-40, `[q, q⊥] orthonormal to ${orth}`);
});

Deno.test("configurations are isolated: no global state, mixed precisions round to their own", () => {
  const before = Decimal.precision;
  const b20 = decimalBackend(20), b60 = decimalBackend(60);
  const third = Matrix.from([[1], [3]]);
  const one = Matrix.from([[1], [1]]);
  const q20 = b20.divide(b20.from(one), b20.from(third));
  const q60 = b60.divide(b60.from(one), b60.from(third));
  assertEquals(b20.toStrings(q20)[1][0], "0." + "3".repeat(20));
  assertEquals(b60.toStrings(q60)[1][0], "0." + "3".repeat(60));
  // A 20-digit result taken over by the 60-digit backend keeps its value exactly.
  const mixed = b60.sub(q60, q20);
  const gap = b60.maxAbs(mixed);
  assertOk(gap > 1e-27 && gap < 1e-25, `1/3 at 60 minus 1/3 at 26 digits: ${gap}`);
  assertEquals(Decimal.precision, before);
  // Changing the global Decimal configuration does not reach the backends.
  Decimal.set({ precision: 5 });
  try {
    const again = b60.divide(b60.from(one), b60.from(third));
    assertEquals(b60.toStrings(again)[1][0], "0." + "3".repeat(60));
  } finally {
    Decimal.set({ precision: before });
  }
});

Deno.test("conversions: f64 in exactly, f64 out to nearest, strings with every digit", () => {
  const exact01 = "0.1000000000000000055511151231257827021181583404541015625";
  assertOk(new Decimal(exactDecimalString(0.1)).eq(exact01), "exact value of the f64 0.1");
  assertEquals(exactDecimalString(-3), "-3");
  assertEquals(exactDecimalString(2 ** 70), "1180591620717411303424");
  assertEquals(new Decimal(exactDecimalString(5e-324)).toNumber(), 5e-324);
  assertThrows(() => exactDecimalString(NaN), NonFiniteError, "NaN");
  const be = decimalBackend(30);
  const m = Matrix.from([[0.1, -1 / 3], [1e-300, 12345.678]]);
  assertEquals(be.toMatrix(be.from(m)).toArray(), m.toArray());
  assertEquals(
    be.toStrings(be.from(Matrix.from([[0.1]])))[0][0],
    "0.100000000000000005551115123126",
  );
  const third = be.divide(be.identity(1), be.scale(be.identity(1), 3));
  assertEquals(be.toMatrix(third).get(0, 0), 1 / 3);
  assertThrows(() => be.from(Matrix.from([[Infinity]])), NonFiniteError, "Infinity");
  assertThrows(() => decimalBackend(0), InputError, "digits");
  assertThrows(() => decimalBackend(2.5), InputError, "2.5");
  assertEquals(be.name, "decimal(30)");
  assertEquals(GUARD_DIGITS, 6);
});

Deno.test("expm1Scaled keeps every digit for tiny arguments", () => {
  const be = decimalBackend(40);
  const x = be.from(Matrix.from([[1e-20], [-3e-7], [2]]));
  const got = be.expm1Scaled(x, 1);
  const D = Decimal.clone({ precision: 80 });
  const series = (v: number) => {
    const z = new D(exactDecimalString(v));
    let term = z, sum = z; // z + z²/2! + … to 80 digits
    for (let k = 2; k < 60; k++) {
      term = term.times(z).div(k);
      sum = sum.plus(term);
    }
    return sum;
  };
  [1e-20, -3e-7, 2].forEach((v, i) => {
    const rel = new D(got.get(i, 0)).div(series(v)).minus(1).abs().toNumber();
    assertOk(rel <= 1e-40, `expm1(${v}): relative error ${rel}`);
  });
});

Deno.test("Jacobi reports non-convergence with a ConvergenceError (NaN input)", () => {
  // Decimal NaN entries never satisfy the orthogonality test: the sweep budget is exhausted.
  const be = decimalBackend(20);
  const bad = be.divide(be.zeros(2, 2), be.zeros(2, 2));
  assertThrows(() => be.svd(bad), ConvergenceError, "did not converge");
});

/**
 * A square problem whose f64 inputs are exactly zero-balanced: `W1 = R S^{1/2} Vᵀ`,
 * `W2 = U S^{1/2} Rᵀ` with dyadic orthogonal factors (`H/2`, `H` the 4×4 Hadamard matrix, and
 * signed permutations) and dyadic `S^{1/2}`, so every product is exact and
 * `W1W1ᵀ = R S Rᵀ = W2ᵀW2` holds exactly. Eq. 5 and Theorem 3.1 are then the same function
 * and must agree to the arithmetic's precision.
 */
function exactlyBalancedProblem(): ExactInputs {
  const h = Matrix.from([[1, 1, 1, 1], [1, -1, 1, -1], [1, 1, -1, -1], [1, -1, -1, 1]]);
  const half = Matrix.fromFunction(4, 4, (i, j) => h.get(i, j) / 2);
  const perm = (p: number[], signs: number[]) =>
    Matrix.fromFunction(4, 4, (i, j) => (p[i] === j ? signs[i] : 0));
  const mul = (a: Matrix, b: Matrix) =>
    Matrix.fromFunction(a.rows, b.cols, (i, j) => {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.get(i, k) * b.get(k, j);
      return s;
    });
  const r = half, u = mul(perm([2, 0, 3, 1], [1, -1, 1, 1]), half);
  const v = perm([1, 3, 0, 2], [1, 1, -1, 1]);
  const sqrtS = Matrix.diag([0.375, 0.25, 0.1875, 0.125]);
  const w1 = mul(mul(r, sqrtS), v.transpose());
  const w2 = mul(mul(u, sqrtS), r.transpose());
  const sigmaYX = Matrix.from([
    [2.1, 0.3, -0.2, 0.1],
    [0.4, 1.7, 0.2, -0.3],
    [-0.1, 0.5, 1.2, 0.2],
    [0.2, -0.1, 0.3, 0.8],
  ]);
  return { sigmaYX, sigmaXX: Matrix.identity(4), w1, w2 };
}

Deno.test("Decimal Eq. 5 and Decimal Theorem 3.1 agree to the working precision minus the rule's loss", () => {
  const inp = exactlyBalancedProblem();
  const digits = 60;
  const be = decimalBackend(digits);
  const dims = checkShapes(inp);
  const c = eq5Conditioning(inp);
  const eq5 = fukumizuSolution(be, inp, dims);
  const stable = prepareExact(be, inp, { method: "stable" });
  for (const t of [0, 0.5, 2, 6]) {
    const got = agreement(be, eq5.at(t), stable.at(t));
    // Eq. 5 keeps `digits − lost(t)` digits (src/precision.ts); Theorem 3.1 loses about
    // 2·log10 cond(B) ≤ 2 here; margin 3 digits for both plus the guard digits not counted.
    const want = digits - eq5DigitsLost(c, t) - 3;
    assertOk(got >= want, `t/τ = ${t}: agreement ${got.toFixed(1)} < ${want.toFixed(1)} digits`);
  }
  // In f64 the same comparison shows Eq. 5's loss: at t/τ = 6 it keeps far fewer digits.
  const f64Gap = relativeErrorOf(inp, 6);
  assertOk(f64Gap > 1e-14, `f64 Eq. 5 vs Theorem 3.1 at t/τ = 6: ${f64Gap}`);
});

/** Relative difference of f64 Eq. 5 and f64 Theorem 3.1 at `t/τ`. */
function relativeErrorOf(inp: ExactInputs, t: number): number {
  const run = (method: "fukumizu" | "stable") =>
    f64Backend.scoped(() => f64Backend.toMatrix(prepareExact(f64Backend, inp, { method }).at(t)));
  return relativeError(run("fukumizu"), run("stable"));
}

Deno.test("Decimal SVD and eigen match the f64 ones, signs included", () => {
  const be = decimalBackend(40);
  for (const m of [testMatrix(5, 3), testMatrix(3, 6, 2), testMatrix(4, 4, 9)]) {
    const d = be.svd(be.from(m));
    const f = f64Svd(m);
    // Well-separated singular values: f64 vectors are accurate to ~1e-15·σ_max/gap.
    assertMatrixClose(be.toMatrix(d.u), f.u, 1e-12, "U");
    assertMatrixClose(be.toMatrix(d.v), f.v, 1e-12, "V");
    assertMatrixClose(be.toMatrix(d.s), new Matrix(f.s.length, 1, f.s), 1e-14, "s");
  }
  const p = spd(5);
  const d = be.symmetricEigen(be.from(p));
  const f = f64SymmetricEigen(p);
  assertMatrixClose(be.toMatrix(d.vectors), f.vectors, 1e-12, "eigenvectors");
});
