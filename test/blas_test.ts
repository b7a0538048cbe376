import fc from "fast-check";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import {
  absMatmul,
  matrixArb,
  naiveMatmul,
  seededMatrix,
  smallInt,
  U,
} from "./linalg_arbitraries.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, ShapeError } from "../src/errors.ts";
import { core } from "../src/wasm/core.ts";
import { arenaPut, arenaRead } from "../src/linalg/arena.ts";
import {
  add,
  divide,
  expm1Scaled,
  expScaled,
  hadamard,
  hstack,
  kron,
  matmul,
  matmulPtr,
  maxAbsPtr,
  norm1,
  norm1Ptr,
  normFrobeniusPtr,
  scale,
  scaleCols,
  scaleRows,
  sub,
  transpose,
  vstack,
} from "../src/linalg/blas.ts";

const flags = [[false, false], [true, false], [false, true], [true, true]] as const;

/** Stores `m` as op(m) would need it: the transpose when the flag is set. */
function stored(m: Matrix, trans: boolean): Matrix {
  return trans ? m.transpose() : m;
}

Deno.test("gemm: integer matrices give the exact product for every transpose combination", () => {
  // Entries in [−8, 8], k ≤ 300: every product and partial sum is an integer below 2⁵³,
  // so the blocked SIMD gemm must equal the definition exactly, whatever its summation order.
  const dims = fc.tuple(
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 40 }),
  );
  const arb = dims.chain(([m, n, k]) =>
    fc.tuple(matrixArb(m, k, smallInt), matrixArb(k, n, smallInt), fc.constantFrom(...flags))
  );
  fc.assert(
    fc.property(arb, ([a, b, [ta, tb]]) => {
      const c = matmul(stored(a, ta), stored(b, tb), { transA: ta, transB: tb });
      assertEquals(c.toArray(), naiveMatmul(a, b).toArray());
    }),
    { numRuns: numRuns(60), seed },
  );
});

Deno.test("gemm: every shape with m, n, k ∈ {0, 1, 2, 3, 5} and every transpose combination", () => {
  // Integer entries: exact products, so equality is the right test (see above).
  const sizes = [0, 1, 2, 3, 5];
  const int = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((x) => Math.round(8 * x)));
  for (const m of sizes) {
    for (const n of sizes) {
      for (const k of sizes) {
        const a = int(seededMatrix(m, k, 100 + m)), b = int(seededMatrix(k, n, 200 + n));
        const ref = naiveMatmul(a, b).toArray();
        for (const [ta, tb] of flags) {
          const c = matmul(stored(a, ta), stored(b, tb), { transA: ta, transB: tb });
          assertEquals(c.shape, [m, n]);
          assertEquals(c.toArray(), ref, `${m}×${k}·${k}×${n}, transA=${ta} transB=${tb}`);
        }
      }
    }
  }
});

Deno.test("gemm: exact across every cache-block edge (m=130>MC, n=260>NC, k=301>KC, odd tail)", () => {
  const int = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((x) => Math.round(8 * x)));
  const a = int(seededMatrix(130, 301, 1)), b = int(seededMatrix(301, 260, 2));
  const ref = naiveMatmul(a, b).toArray();
  for (const [ta, tb] of flags) {
    const c = matmul(stored(a, ta), stored(b, tb), { transA: ta, transB: tb });
    assertEquals(c.toArray(), ref, `transA=${ta} transB=${tb}`);
  }
});

Deno.test("gemm: exact on both sides of the small-product path and its long-k and wide-Bᵀ cases", () => {
  // Integer entries: exact products (see above). Shapes around the unpacked path's limit
  // m·n·k < 48³ (47³ unpacked, 48³ blocked), long k (k ≥ 64: row dot products for A·Bᵀ), and a
  // Bᵀ too wide for the transposition scratch (300·300 > 256·256: falls back to the blocked path).
  const int = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((x) => Math.round(8 * x)));
  const shapes = [[47, 47, 47], [48, 48, 48], [3, 5, 100], [1, 300, 300], [9, 7, 64], [2, 1, 63]];
  for (const [m, n, k] of shapes) {
    const a = int(seededMatrix(m, k, m + n)), b = int(seededMatrix(k, n, n + k));
    const ref = naiveMatmul(a, b).toArray();
    for (const [ta, tb] of flags) {
      const c = matmul(stored(a, ta), stored(b, tb), { transA: ta, transB: tb });
      assertEquals(c.toArray(), ref, `${m}×${k}·${k}×${n}, transA=${ta} transB=${tb}`);
    }
  }
});

Deno.test("gemmStrided: submatrix operands with leading dimensions, C = αAB + βC", () => {
  // A, B, C are windows of wider buffers (row strides 11, 13, 17); entries outside the windows
  // must stay untouched. Small integers and α = 2, β ∈ {0, 1, −3}: exact.
  const c = core();
  const int = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((x) => Math.round(8 * x)));
  for (const [m, n, k] of [[5, 9, 4], [50, 40, 60]]) {
    for (const beta of [0, 1, -3]) {
      for (const [ta, tb] of flags) {
        c.scoped(() => {
          const a = int(seededMatrix(m, k, 3)), b = int(seededMatrix(k, n, 4));
          const c0 = int(seededMatrix(m, n, 5));
          const sa = stored(a, ta), sb = stored(b, tb);
          const lda = sa.cols + 11, ldb = sb.cols + 13, ldc = n + 17;
          const wide = (x: Matrix, ld: number) =>
            Matrix.fromFunction(x.rows, ld, (i, j) => (j < x.cols ? x.get(i, j) : 99));
          const pa = c.put(wide(sa, lda)), pb = c.put(wide(sb, ldb)), pc = c.put(wide(c0, ldc));
          c.k.gemmStrided(ta ? 1 : 0, tb ? 1 : 0, m, n, k, 2, pa, lda, pb, ldb, beta, pc, ldc);
          const got = c.read(pc, m, ldc);
          const ab = naiveMatmul(a, b);
          const expect = Matrix.fromFunction(
            m,
            ldc,
            (i, j) => (j < n ? 2 * ab.get(i, j) + beta * c0.get(i, j) : 99),
          );
          assertEquals(got.toArray(), expect.toArray(), `${m}×${n}×${k} β=${beta} ${ta} ${tb}`);
        });
      }
    }
  }
});

Deno.test("syrk: aᵀa through matmulPtr(a, a, transA) is exact on integers and exactly symmetric", () => {
  // Integer entries: exact (see above); sizes across the 32-column blocks and the small path.
  const c = core();
  const int = (m: Matrix) => new Matrix(m.rows, m.cols, m.data.map((x) => Math.round(8 * x)));
  for (const [k, n] of [[3, 1], [1, 5], [64, 31], [7, 33], [64, 128], [70, 65]]) {
    c.scoped(() => {
      const a = int(seededMatrix(k, n, k + 2 * n));
      const pa = arenaPut(a, "A");
      const g = arenaRead(matmulPtr(pa, pa, { transA: true }));
      assertEquals(g.toArray(), naiveMatmul(a, a, true, false).toArray(), `${k}×${n}`);
    });
  }
  // real entries: exactly symmetric, within the gemm rounding bound of the reference
  c.scoped(() => {
    const a = seededMatrix(64, 100, 9);
    const pa = arenaPut(a, "A");
    const g = arenaRead(matmulPtr(pa, pa, { transA: true }));
    assertEquals(g.data, g.transpose().data);
    const ref = naiveMatmul(a, a, true, false), bound = absMatmul(a.transpose(), a);
    for (let i = 0; i < g.data.length; i++) {
      assertOk(Math.abs(g.data[i] - ref.data[i]) <= 2 * 1.01 * 64 * U * bound.data[i], `${i}`);
    }
  });
});

Deno.test("gemm: real entries within the rounding bound 2·k·u·(|A||B|)_ij", () => {
  // Both gemm and the reference are sums of k products, each within γ_k·(|A||B|)_ij of the
  // exact value (Higham, Accuracy and Stability, eq. 3.13), so they differ by ≤ 2γ_k·(|A||B|)_ij
  // with γ_k = k·u/(1 − k·u) < 1.01·k·u here.
  const arb = fc.tuple(
    fc.integer({ min: 1, max: 33 }),
    fc.integer({ min: 1, max: 33 }),
    fc.integer({ min: 1, max: 70 }),
  ).chain(([m, n, k]) => fc.tuple(matrixArb(m, k), matrixArb(k, n), fc.constantFrom(...flags)));
  fc.assert(
    fc.property(arb, ([a, b, [ta, tb]]) => {
      const c = matmul(stored(a, ta), stored(b, tb), { transA: ta, transB: tb });
      const ref = naiveMatmul(a, b), bound = absMatmul(a, b);
      const k = a.cols;
      for (let i = 0; i < c.data.length; i++) {
        const tol = 2 * 1.01 * k * U * bound.data[i];
        assertOk(
          Math.abs(c.data[i] - ref.data[i]) <= tol,
          `entry ${i}: ${c.data[i]} vs ${ref.data[i]}, tolerance ${tol}`,
        );
      }
    }),
    { numRuns: numRuns(60), seed },
  );
});

Deno.test("gemm kernel: C = alpha·AB + beta·C, and beta = 0 ignores NaN in C", () => {
  const c = core();
  c.scoped(() => {
    const a = Matrix.from([[1, 2], [3, 4], [5, 6]]), b = Matrix.from([[1, 0, 2], [0, 1, 3]]);
    const ab = naiveMatmul(a, b);
    const c0 = Matrix.from([[1, 1, 1], [2, 2, 2], [3, 3, 3]]);
    const pa = c.put(a), pb = c.put(b), pc = c.put(c0);
    c.k.gemm(0, 0, 3, 3, 2, 2, pa, pb, -1, pc);
    const expect = ab.data.map((x, i) => 2 * x - c0.data[i]);
    assertEquals(Array.from(c.read(pc, 3, 3).data), Array.from(expect));
    const pn = c.put(Matrix.fromFunction(3, 3, () => NaN));
    c.k.gemm(0, 0, 3, 3, 2, 1, pa, pb, 0, pn);
    assertEquals(c.read(pn, 3, 3).toArray(), ab.toArray());
    // k = 0: C = beta·C
    c.f64.set(c0.data, pc / 8);
    c.k.gemm(0, 0, 3, 3, 0, 1, pa, pb, 0.5, pc);
    assertEquals(Array.from(c.read(pc, 3, 3).data), Array.from(c0.data.map((x) => x / 2)));
  });
});

Deno.test("matmul: shape errors name both shapes", () => {
  const a = Matrix.zeros(2, 3);
  assertThrows(() => matmul(a, a), ShapeError, "op(A) is 2×3 (A 2×3) but op(B) is 2×3 (B 2×3)");
  assertThrows(
    () => matmul(a, Matrix.zeros(3, 3), { transA: true }),
    ShapeError,
    "op(A) is 3×2 (A 2×3 transposed)",
  );
  assertEquals(matmul(a, a, { transB: true }).shape, [2, 2]);
  assertThrows(
    () => matmul(Matrix.from([[NaN]]), Matrix.from([[1]])),
    NonFiniteError,
    "matmul: A: entry (0, 0) is NaN",
  );
});

Deno.test("elementwise kernels match their definitions exactly (odd lengths hit the scalar tail)", () => {
  const a = seededMatrix(3, 5, 3), b = seededMatrix(3, 5, 4);
  const map = (f: (x: number, i: number) => number) =>
    new Matrix(3, 5, a.data.map((x, i) => f(x, i)));
  assertEquals(add(a, b).data, map((x, i) => x + b.data[i]).data);
  assertEquals(sub(a, b).data, map((x, i) => x - b.data[i]).data);
  assertEquals(hadamard(a, b).data, map((x, i) => x * b.data[i]).data);
  assertEquals(divide(a, b).data, map((x, i) => x / b.data[i]).data);
  assertEquals(scale(a, -2.5).data, map((x) => -2.5 * x).data);
  // AssemblyScript's exp/expm1 are ports of musl's (< 1 ulp, like V8's fdlibm): 2 ulp apart at
  // most, i.e. relative 2·2u = 4.4e-16 of the value.
  const close = (got: Float64Array, want: Float64Array) =>
    got.every((g, i) => Math.abs(g - want[i]) <= 4 * U * Math.abs(want[i]));
  assertOk(close(expScaled(a, 3).data, map((x) => Math.exp(3 * x)).data), "expScaled");
  assertOk(close(expm1Scaled(a, 1e-9).data, map((x) => Math.expm1(1e-9 * x)).data), "expm1");
  assertThrows(() => add(a, Matrix.zeros(5, 3)), ShapeError, "A is 3×5 but B is 5×3");
});

Deno.test("scaleRows, scaleCols, transpose, kron, stacking", () => {
  const a = seededMatrix(3, 5, 5);
  const v3 = Matrix.from([[2], [-1], [0.5]]), v5 = Matrix.from([[1], [2], [3], [4], [5]]);
  assertEquals(
    scaleRows(v3, a).toArray(),
    Matrix.fromFunction(3, 5, (i, j) => v3.get(i, 0) * a.get(i, j)).toArray(),
  );
  assertEquals(
    scaleCols(a, v5).toArray(),
    Matrix.fromFunction(3, 5, (i, j) => a.get(i, j) * v5.get(j, 0)).toArray(),
  );
  assertThrows(() => scaleRows(v5, a), ShapeError, "v is 5×1 but must be a 3×1 vector");
  assertThrows(() => scaleCols(a, v3), ShapeError, "v is 3×1 but must be a 5×1 vector");
  const big = seededMatrix(37, 21, 6);
  assertEquals(transpose(big).toArray(), big.transpose().toArray());
  const b = Matrix.from([[0, 1], [1, 0], [2, 2]]);
  const k = kron(a, b);
  assertEquals(k.shape, [9, 10]);
  assertEquals(
    k.toArray(),
    Matrix.fromFunction(
      9,
      10,
      (i, j) => a.get(Math.floor(i / 3), Math.floor(j / 2)) * b.get(i % 3, j % 2),
    ).toArray(),
  );
  const h = hstack([a, v3, a]);
  assertEquals(h.slice(0, 3, 5, 6).toArray(), v3.toArray());
  assertEquals(h.slice(0, 3, 6, 11).toArray(), a.toArray());
  const v = vstack([a, a.slice(0, 1, 0, 5)]);
  assertEquals(v.shape, [4, 5]);
  assertEquals(v.slice(3, 4, 0, 5).toArray(), a.slice(0, 1, 0, 5).toArray());
  assertThrows(() => hstack([a, v5]), ShapeError, "block 0 is 3×5 but block 1 is 5×1");
  assertThrows(() => vstack([a, v5]), ShapeError, "block 0 is 3×5 but block 1 is 5×1");
  assertEquals(norm1(Matrix.from([[1, -2], [-3, 1]])), 4);
});

Deno.test("norms: Frobenius without overflow, max |a_ij| propagates NaN, 1-norm", () => {
  const c = core();
  c.scoped(() => {
    // √(2·(1e200)²) = √2·1e200: the naive Σx² would overflow to ∞; the scaled sum is within
    // two roundings (√ and the final product) of the exact value.
    const big = c.put(Matrix.from([[1e200, -1e200]]));
    const f = normFrobeniusPtr({ ptr: big, rows: 1, cols: 2 });
    assertOk(Math.abs(f - Math.SQRT2 * 1e200) <= 4 * U * Math.SQRT2 * 1e200, `‖·‖F = ${f}`);
    const a = seededMatrix(4, 3, 9);
    const pa = { ptr: c.put(a), rows: 4, cols: 3 };
    assertOk(Math.abs(normFrobeniusPtr(pa) - a.normFrobenius()) <= 12 * U * a.normFrobenius());
    assertEquals(maxAbsPtr(pa), a.maxAbs());
    const nan = { ptr: c.put(Matrix.from([[1, NaN, 2]])), rows: 1, cols: 3 };
    assertOk(Number.isNaN(maxAbsPtr(nan)), "NaN propagates");
    assertOk(Number.isNaN(norm1Ptr(nan)), "NaN propagates through the 1-norm");
    assertEquals(norm1Ptr(pa), norm1(a));
    assertEquals(maxAbsPtr({ ptr: pa.ptr, rows: 0, cols: 0 }), 0);
  });
});
