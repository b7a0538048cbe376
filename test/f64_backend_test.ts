import { assertEquals, assertMatrixClose, assertOk, assertThrows } from "./assert.ts";
import { naiveMatmul, seededMatrix } from "./linalg_arbitraries.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, ShapeError, SingularMatrixError } from "../src/errors.ts";
import { f64Backend as b, f64ToString } from "../src/linalg/f64.ts";
import { core } from "../src/wasm/core.ts";
import { expm } from "../src/linalg/expm.ts";
import { inverse, solve } from "../src/linalg/lu.ts";
import { choleskySolve, choleskyWhiten } from "../src/linalg/cholesky.ts";

const A = seededMatrix(3, 4, 1), B = seededMatrix(3, 4, 2);
const V3 = Matrix.from([[2], [-1], [0.5]]), V4 = Matrix.from([[1], [2], [3], [4]]);
const map = (m: Matrix, f: (x: number, i: number) => number) =>
  new Matrix(m.rows, m.cols, m.data.map(f));

Deno.test("f64 backend: every elementwise/structural method equals its definition exactly", () => {
  b.scoped(() => {
    const a = b.from(A), bb = b.from(B);
    const m = (h: ReturnType<typeof b.from>) => b.toMatrix(h).toArray();
    assertEquals(b.shape(a), [3, 4]);
    assertEquals(m(b.add(a, bb)), map(A, (x, i) => x + B.data[i]).toArray());
    assertEquals(m(b.sub(a, bb)), map(A, (x, i) => x - B.data[i]).toArray());
    assertEquals(m(b.hadamard(a, bb)), map(A, (x, i) => x * B.data[i]).toArray());
    assertEquals(m(b.divide(a, bb)), map(A, (x, i) => x / B.data[i]).toArray());
    assertEquals(m(b.scale(a, 3)), map(A, (x) => 3 * x).toArray());
    assertEquals(m(b.transpose(a)), A.transpose().toArray());
    assertEquals(m(b.identity(3)), Matrix.identity(3).toArray());
    assertEquals(m(b.zeros(2, 5)), Matrix.zeros(2, 5).toArray());
    assertEquals(m(b.diag(b.from(V3))), Matrix.diag([2, -1, 0.5]).toArray());
    assertEquals(
      m(b.scaleRows(b.from(V3), a)),
      Matrix.fromFunction(3, 4, (i, j) => V3.get(i, 0) * A.get(i, j)).toArray(),
    );
    assertEquals(
      m(b.scaleCols(a, b.from(V4))),
      Matrix.fromFunction(3, 4, (i, j) => A.get(i, j) * V4.get(j, 0)).toArray(),
    );
    assertEquals(
      m(b.scaleRowsCols(b.from(V3), a, b.from(V4))),
      Matrix.fromFunction(3, 4, (i, j) => V4.get(j, 0) * (V3.get(i, 0) * A.get(i, j))).toArray(),
    );
    assertThrows(() => b.scaleRowsCols(b.from(V4), a, b.from(V4)), ShapeError, "4×1");
    // c + A·Bᵀ on entries rounded to multiples of 1/4 (|x| < 2⁸): every product and partial
    // sum is exact, so the result must equal the definition whatever the summation order.
    const q = (x: Matrix) => map(x, (y) => Math.round(4 * y) / 4);
    const c0 = q(Matrix.fromFunction(3, 3, (i, j) => i - 2 * j + 0.25));
    const ap = b.addProduct(b.from(c0), b.from(q(A)), b.from(q(B)), false, true);
    const ref = Matrix.fromFunction(3, 3, (i, j) => {
      let s = c0.get(i, j);
      for (let p = 0; p < 4; p++) s += q(A).get(i, p) * q(B).get(j, p);
      return s;
    });
    assertEquals(m(ap), ref.toArray());
    assertThrows(() => b.addProduct(b.from(c0), a, a, true), ShapeError, "C is 3×3 but");
    assertEquals(m(b.block(a, 1, 3, 1, 4)), A.slice(1, 3, 1, 4).toArray());
    assertEquals(m(b.block(a, 2, 2, 0, 4)), Matrix.zeros(0, 4).toArray());
    const h = b.toMatrix(b.hstack([a, b.from(V3)]));
    assertEquals(h.slice(0, 3, 0, 4).toArray(), A.toArray());
    assertEquals(h.slice(0, 3, 4, 5).toArray(), V3.toArray());
    const v = b.toMatrix(b.vstack([a, bb]));
    assertEquals(v.slice(3, 6, 0, 4).toArray(), B.toArray());
    assertEquals(b.maxAbs(a), A.maxAbs());
    // exp/expm1: AssemblyScript's musl ports vs V8's fdlibm, each < 1 ulp: ≤ 2 ulp apart.
    const e = b.toMatrix(b.expScaled(a, -2)), e1 = b.toMatrix(b.expm1Scaled(a, 1e-10));
    for (let i = 0; i < A.data.length; i++) {
      const w = Math.exp(-2 * A.data[i]), w1 = Math.expm1(1e-10 * A.data[i]);
      assertOk(Math.abs(e.data[i] - w) <= 2 * Number.EPSILON * w, "expScaled");
      assertOk(Math.abs(e1.data[i] - w1) <= 2 * Number.EPSILON * Math.abs(w1), "expm1Scaled");
    }
    assertThrows(() => b.block(a, 0, 4, 0, 1), ShapeError, "outside a 3×4 matrix");
    assertThrows(() => b.add(a, b.transpose(a)), ShapeError, "A is 3×4 but B is 4×3");
  });
});

Deno.test("f64 backend: matmul with all transpose flags equals the reference", () => {
  // Same kernel as matmul (blas_test checks its rounding); here the flag plumbing: exact on
  // integer-valued entries.
  const x = map(seededMatrix(3, 4, 5), (v) => Math.round(9 * v));
  const y = map(seededMatrix(4, 2, 6), (v) => Math.round(9 * v));
  const want = naiveMatmul(x, y).toArray();
  b.scoped(() => {
    const m = (h: ReturnType<typeof b.from>) => b.toMatrix(h).toArray();
    assertEquals(m(b.matmul(b.from(x), b.from(y))), want);
    assertEquals(m(b.matmul(b.from(x.transpose()), b.from(y), true)), want);
    assertEquals(m(b.matmul(b.from(x), b.from(y.transpose()), false, true)), want);
    assertEquals(m(b.matmul(b.from(x.transpose()), b.from(y.transpose()), true, true)), want);
    assertThrows(() => b.matmul(b.from(x), b.from(x)), ShapeError, "inner dimensions differ");
  });
});

Deno.test("f64 backend: factorisations agree bit for bit with the Matrix-level API", () => {
  // Both levels call the same pointer-level function, so the results are identical.
  const s = seededMatrix(4, 4, 7);
  const spd = naiveMatmul(s, s, true, false);
  for (let i = 0; i < 4; i++) spd.data[i * 5] += 1;
  const rhs = seededMatrix(4, 2, 8);
  b.scoped(() => {
    assertEquals(b.toMatrix(b.solve(b.from(s), b.from(rhs))).data, solve(s, rhs).data);
    assertEquals(b.toMatrix(b.inverse(b.from(s))).data, inverse(s).data);
    assertEquals(
      b.toMatrix(b.choleskySolve(b.from(spd), b.from(rhs))).data,
      choleskySolve(spd, rhs).data,
    );
    const w = b.choleskyWhiten(b.from(spd), b.from(rhs));
    assertEquals(b.toMatrix(w).data, choleskyWhiten(spd, rhs).data);
    // wᵀw is exactly symmetric: entries (i, j) and (j, i) sum the same products in one order
    const g = b.toMatrix(b.matmul(w, w, true));
    assertEquals(g.data, g.transpose().data);
    assertEquals(b.toMatrix(b.expm(b.from(s))).data, expm(s).data);
    assertThrows(
      () => b.solve(b.from(Matrix.from([[1, 2], [2, 4]])), b.from(Matrix.zeros(2, 1))),
      SingularMatrixError,
    );
  });
});

Deno.test("f64 backend: svd and orthComplement reconstruct and complete", () => {
  // SVD reconstruction and orthogonality to a few dozen u·‖A‖ (one-sided Jacobi is
  // backward stable; H2's svd_test bounds it). 1e-14 relative leaves a margin for 5×3.
  const a = seededMatrix(5, 3, 9);
  b.scoped(() => {
    const { u, s, v } = b.svd(b.from(a));
    assertEquals(b.shape(u), [5, 3]);
    assertEquals(b.shape(s), [3, 1]);
    const us = b.scaleCols(u, s);
    assertMatrixClose(b.toMatrix(b.matmul(us, v, false, true)), a, 1e-14, "U S Vᵀ");
    const q = b.orthComplement(u);
    assertEquals(b.shape(q), [5, 2]);
    const full = b.hstack([u, q]);
    assertMatrixClose(
      b.toMatrix(b.matmul(full, full, true, false)),
      Matrix.identity(5),
      1e-14,
      "[U Q⊥]ᵀ[U Q⊥]",
    );
  });
});

Deno.test("f64 backend: scoped frees everything; from rejects non-finite input", () => {
  const mark = core().mark();
  b.scoped(() => b.toMatrix(b.expm(b.matmul(b.from(A), b.from(B), false, true))));
  assertEquals(core().mark(), mark);
  assertThrows(() => b.from(Matrix.from([[NaN]])), NonFiniteError, "f64Backend.from");
});

Deno.test("f64 backend: toStrings is the shortest decimal that round-trips", () => {
  const xs = [0.1, 1 / 3, -2.5e-300, 1e21, 123456789012345680, 5e-324, -0, 2 ** 53 + 2];
  const m = new Matrix(2, 4, Float64Array.from(xs));
  const s = b.scoped(() => b.toStrings(b.from(m)));
  assertEquals(s, [["0.1", "0.3333333333333333", "-2.5e-300", "1e+21"], [
    "123456789012345680",
    "5e-324",
    "-0",
    "9007199254740994",
  ]]);
  s.flat().forEach((t, i) => assertOk(Object.is(Number(t), xs[i]), `round trip of ${t}`));
  assertEquals(f64ToString(1.5), "1.5");
  assertOk(Math.abs(b.digits - 15.95) < 0.01);
});
