// Dense BLAS-like kernels on row-major f64 buffers: a cache-blocked SIMD gemm and level-1/2
// helpers (copies, axpy, scaling, transpose, Kronecker product, norms).
//
// gemm follows the Goto/BLIS scheme: op(B) is packed in KC×NC panels, op(A) in MC×KC blocks
// (both zero-padded to whole micro-tiles, into a static scratch area), and a MR×NR register
// micro-kernel (f64x2 accumulators) sweeps over the packed block. Packing reads op(A), op(B)
// through (row stride, column stride) pairs, so every transpose combination shares one code
// path.

import { madd } from "./simd";

/** Rows of the register micro-tile. */
const MR: i32 = 4;
/** Columns of the register micro-tile (two f64x2 vectors per row). */
const NR: i32 = 4;
/** Depth of a packed panel: a KC×NR micro-panel of op(B) (8 KiB) stays in L1. */
const KC: i32 = 256;
/** Rows of a packed op(A) block: MC×KC (256 KiB) stays in L2. */
const MC: i32 = 128;
/** Columns of a packed op(B) panel: KC×NC (512 KiB) lives in L2/L3. */
const NC: i32 = 256;

// Static scratch for the packed operands and one edge tile: no allocation per call.
const packA: usize = memory.data(MC * KC * 8, 16);
const packB: usize = memory.data(KC * NC * 8, 16);
const edgeTile: usize = memory.data(MR * NR * 8, 16);

/**
 * C = alpha·op(A)·op(B) + beta·C, row-major; op(A) is m×k, op(B) is k×n, C is m×n.
 * transA/transB != 0 read A (stored k×m) / B (stored n×k) transposed. With beta = 0, C is
 * overwritten (its old contents, even NaN, are ignored). C must not overlap A or B.
 */
export function gemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  b: usize,
  beta: f64,
  c: usize,
): void {
  gemmStrided(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
}

/**
 * gemm on submatrices: as {@link gemm}, with the row strides (leading dimensions, in elements)
 * of the stored A, B and C given explicitly: lda ≥ columns of the stored A, and so on.
 * Triangular solves use it for their off-diagonal block updates.
 */
export function gemmStrided(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (
    k > 0 && alpha != 0 && <i64> m * n * k < SMALL_PRODUCT && smallGemm(
      transA,
      transB,
      m,
      n,
      k,
      alpha,
      a,
      lda,
      b,
      ldb,
      beta,
      c,
      ldc,
    )
  ) return;
  if (beta != 1) {
    for (let i = 0; i < m; i++) {
      const row = c + ((<usize> (i * ldc)) << 3);
      if (beta == 0) memory.fill(row, 0, <usize> n << 3);
      else scale(n, beta, row, row);
    }
  }
  if (k <= 0 || alpha == 0) return;
  // op(A)[i, p] = a[i·rsA + p·csA], op(B)[p, j] = b[p·rsB + j·csB]
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  const rsB = transB ? 1 : ldb, csB = transB ? ldb : 1;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packStrips(packB, b + ((<usize> (pc * rsB + jc * csB)) << 3), csB, rsB, nc, kc);
      const kcp = (kc + 1) & ~1; // packed depth, even
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packStrips(packA, a + ((<usize> (ic * rsA + pc * csA)) << 3), rsA, csA, mc, kc);
        macroKernel(mc, nc, kcp, alpha, c + ((<usize> (ic * ldc + jc)) << 3), ldc);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Small products: no packing. Below SMALL_PRODUCT multiply-adds the packing and the edge tiles
// of the blocked path cost more than they save (the GD loops' products at n ≤ 32, the exact
// solutions' per-time products at n = 8). Set from bench/train.ts and bench/gemm.ts.

/** Products with m·n·k below this take the unpacked kernels. */
const SMALL_PRODUCT: i64 = 48 * 48 * 48;
/** Depth from which C = A·Bᵀ runs as row dot products instead of transposing B first. */
const DOT_MIN_K: i32 = 64;

/**
 * The unpacked path of gemmStrided; returns false (having done nothing) when op(B) would need
 * a transposed copy larger than the packB scratch, so the caller takes the blocked path.
 */
function smallGemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): bool {
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  if (!transB) {
    rowAxpyProduct(m, n, k, alpha, a, rsA, csA, b, ldb, beta, c, ldc);
  } else if (!transA && k >= DOT_MIN_K) {
    rowDotProduct(m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else if (k * n <= KC * NC) {
    transposeStrided(n, k, b, ldb, packB); // op(B) = Bᵀ as a k×n row-major copy
    rowAxpyProduct(m, n, k, alpha, a, rsA, csA, packB, n, beta, c, ldc);
  } else {
    return false;
  }
  return true;
}

/**
 * out (cols×rows, row-major) = aᵀ for a rows×cols matrix with row stride lda. 2×2 blocks by
 * lane shuffles; an odd last row or column by scalars.
 */
function transposeStrided(rows: i32, cols: i32, a: usize, lda: i32, out: usize): void {
  const ldo = <usize> rows << 3;
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    const a0 = a + ((<usize> (i * lda)) << 3), a1 = a0 + (<usize> lda << 3);
    let o = out + (<usize> i << 3);
    let j = 0;
    for (; j + 1 < cols; j += 2) {
      const r0 = v128.load(a0 + (<usize> j << 3)), r1 = v128.load(a1 + (<usize> j << 3));
      v128.store(o, v128.shuffle<f64>(r0, r1, 0, 2));
      v128.store(o + ldo, v128.shuffle<f64>(r0, r1, 1, 3));
      o += ldo << 1;
    }
    if (j < cols) {
      store<f64>(o, load<f64>(a0 + (<usize> j << 3)));
      store<f64>(o, load<f64>(a1 + (<usize> j << 3)), 8);
    }
  }
  if (i < rows) {
    const ai = a + ((<usize> (i * lda)) << 3);
    for (let j = 0; j < cols; j++) {
      store<f64>(out + ((<usize> (j * rows + i)) << 3), load<f64>(ai + (<usize> j << 3)));
    }
  }
}

/**
 * C (m×n, row stride ldc) = α·op(A)·B + β·C, B k×n with row stride ldb; op(A)[i, p] is at
 * a + 8·(i·rsA + p·csA). Register blocking: a 2×8 block of C lives in eight f64x2 accumulators
 * while p runs over k, so each B row segment is loaded once per two rows of C and C is written
 * once. Column tails (n mod 8) go in pairs, then one scalar column; an odd last row runs with
 * the same code reading its row twice (the duplicate result is discarded). β = 0 ignores C.
 */
function rowAxpyProduct(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  rsA: i32,
  csA: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): void {
  const bRow = <usize> ldb << 3;
  const cRow = <usize> ldc << 3;
  const aStep = <usize> csA << 3;
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const a0 = a + (<usize> (i * rsA) << 3);
    const a1 = two ? a0 + (<usize> rsA << 3) : a0;
    const c0 = c + <usize> i * cRow;
    const c1 = two ? c0 + cRow : c0;
    let j = 0;
    for (; j + 7 < n; j += 8) {
      const jo = <usize> j << 3;
      let x00 = f64x2.splat(0), x01 = f64x2.splat(0), x02 = f64x2.splat(0), x03 = f64x2.splat(0);
      let x10 = f64x2.splat(0), x11 = f64x2.splat(0), x12 = f64x2.splat(0), x13 = f64x2.splat(0);
      let bp = b + jo;
      let p0 = a0, p1 = a1;
      for (let p = 0; p < k; p++) {
        const s0 = v128.load64_splat(p0);
        const s1 = v128.load64_splat(p1);
        const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32);
        const b3 = v128.load(bp, 48);
        x00 = madd(s0, b0, x00);
        x01 = madd(s0, b1, x01);
        x02 = madd(s0, b2, x02);
        x03 = madd(s0, b3, x03);
        x10 = madd(s1, b0, x10);
        x11 = madd(s1, b1, x11);
        x12 = madd(s1, b2, x12);
        x13 = madd(s1, b3, x13);
        bp += bRow;
        p0 += aStep;
        p1 += aStep;
      }
      if (two) {
        storeScaled(c1 + jo, x10, alpha, beta);
        storeScaled(c1 + jo + 16, x11, alpha, beta);
        storeScaled(c1 + jo + 32, x12, alpha, beta);
        storeScaled(c1 + jo + 48, x13, alpha, beta);
      }
      storeScaled(c0 + jo, x00, alpha, beta);
      storeScaled(c0 + jo + 16, x01, alpha, beta);
      storeScaled(c0 + jo + 32, x02, alpha, beta);
      storeScaled(c0 + jo + 48, x03, alpha, beta);
    }
    for (; j + 1 < n; j += 2) {
      const jo = <usize> j << 3;
      let x0 = f64x2.splat(0), x1 = f64x2.splat(0);
      let bp = b + jo;
      let p0 = a0, p1 = a1;
      for (let p = 0; p < k; p++) {
        const bv = v128.load(bp);
        x0 = madd(v128.load64_splat(p0), bv, x0);
        x1 = madd(v128.load64_splat(p1), bv, x1);
        bp += bRow;
        p0 += aStep;
        p1 += aStep;
      }
      if (two) storeScaled(c1 + jo, x1, alpha, beta);
      storeScaled(c0 + jo, x0, alpha, beta);
    }
    if (j < n) {
      const jo = <usize> j << 3;
      let x0 = 0.0, x1 = 0.0;
      let bp = b + jo;
      let p0 = a0, p1 = a1;
      for (let p = 0; p < k; p++) {
        const bv = load<f64>(bp);
        x0 += load<f64>(p0) * bv;
        x1 += load<f64>(p1) * bv;
        bp += bRow;
        p0 += aStep;
        p1 += aStep;
      }
      if (two) store<f64>(c1 + jo, scaled(x1, alpha, beta, c1 + jo));
      store<f64>(c0 + jo, scaled(x0, alpha, beta, c0 + jo));
    }
  }
}

/** α·x + β·*ptr (β = 0 ignores the old contents, even NaN). */
function scaled(x: f64, alpha: f64, beta: f64, ptr: usize): f64 {
  return beta == 0 ? alpha * x : alpha * x + beta * load<f64>(ptr);
}

/** *ptr = α·x + β·*ptr on two lanes (β = 0 ignores the old contents, even NaN). */
function storeScaled(ptr: usize, x: v128, alpha: f64, beta: f64): void {
  let v = f64x2.mul(f64x2.splat(alpha), x);
  if (beta != 0) v = madd(f64x2.splat(beta), v128.load(ptr), v);
  v128.store(ptr, v);
}

/**
 * C (m×n, row stride ldc) = α·A·Bᵀ + β·C with A m×k (row stride lda) and B n×k (row stride
 * ldb): dot products of contiguous rows, for long k.
 */
function rowDotProduct(
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  lda: i32,
  b: usize,
  ldb: i32,
  beta: f64,
  c: usize,
  ldc: i32,
): void {
  for (let i = 0; i < m; i++) {
    const arow = a + ((<usize> (i * lda)) << 3);
    const crow = c + ((<usize> (i * ldc)) << 3);
    for (let j = 0; j < n; j++) {
      const brow = b + ((<usize> (j * ldb)) << 3);
      let acc0 = f64x2.splat(0);
      let acc1 = f64x2.splat(0);
      let p = 0;
      for (; p + 3 < k; p += 4) {
        const o = <usize> p << 3;
        acc0 = madd(v128.load(arow + o), v128.load(brow + o), acc0);
        acc1 = madd(v128.load(arow + o + 16), v128.load(brow + o + 16), acc1);
      }
      acc0 = f64x2.add(acc0, acc1);
      let s = f64x2.extract_lane(acc0, 0) + f64x2.extract_lane(acc0, 1);
      for (; p < k; p++) {
        s += load<f64>(arow + (<usize> p << 3)) * load<f64>(brow + (<usize> p << 3));
      }
      const cp = crow + (<usize> j << 3);
      store<f64>(cp, scaled(s, alpha, beta, cp));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Blocked path.

/**
 * Packs `count` lines of a depth-`kc` operand as strips of `W` lines (MR = NR = 4), each strip
 * stored p-major (`W` values per step p), the last strip zero-filled past `count`, and every
 * strip padded with a zero step to an even depth. Line l at step p is
 * `src[l·ls + p·ps]` (strides in elements): op(A)'s rows (ls, ps = its row, column strides)
 * and op(B)'s columns (ls, ps = its column, row strides) are packed alike.
 */
function packStrips(dst: usize, src: usize, ls: i32, ps: i32, count: i32, kc: i32): void {
  const W = MR; // = NR: the micro-tile is square
  const lsb = <usize> ls << 3, psb = <usize> ps << 3;
  for (let l0 = 0; l0 < count; l0 += W) {
    const lines = min(W, count - l0);
    const base = src + ((<usize> (l0 * ls)) << 3);
    if (lines == W && ls == 1) {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize> p * psb;
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        dst += W << 3;
      }
    } else if (lines == W) {
      for (let p = 0; p < kc; p++) {
        const s = base + <usize> p * psb;
        store<f64>(dst, load<f64>(s));
        store<f64>(dst, load<f64>(s + lsb), 8);
        store<f64>(dst, load<f64>(s + 2 * lsb), 16);
        store<f64>(dst, load<f64>(s + 3 * lsb), 24);
        dst += W << 3;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < W; r++) {
          store<f64>(
            dst + (<usize> r << 3),
            r < lines ? load<f64>(base + ((<usize> (r * ls + p * ps)) << 3)) : 0.0,
          );
        }
        dst += W << 3;
      }
    }
    if (kc & 1) {
      memory.fill(dst, 0, W << 3); // zero step: the micro-kernel takes steps in pairs
      dst += W << 3;
    }
  }
}

/** C[0..mc, 0..nc] += alpha · (packed A block) · (packed B panel); C has row stride ldc. */
function macroKernel(mc: i32, nc: i32, kc: i32, alpha: f64, c: usize, ldc: i32): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const bp = packB + ((<usize> (jr * kc)) << 3);
    const cols = min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      const ap = packA + ((<usize> (ir * kc)) << 3);
      const rows = min(MR, mc - ir);
      const ct = c + ((<usize> (ir * ldc + jr)) << 3);
      if (rows == MR && cols == NR) {
        microKernel(kc, alpha, ap, bp, ct, ldc);
      } else {
        memory.fill(edgeTile, 0, MR * NR * 8);
        microKernel(kc, alpha, ap, bp, edgeTile, NR);
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            const cp = ct + ((<usize> (i * ldc + j)) << 3);
            store<f64>(cp, load<f64>(cp) + load<f64>(edgeTile + ((<usize> (i * NR + j)) << 3)));
          }
        }
      }
    }
  }
}

/**
 * The MR×NR register tile: C[0..4, 0..4] += alpha · Ap(4×kc) · Bp(kc×4), kc even. Unrolled
 * twice: measured 14% faster than one step per iteration (four steps were slower: spills).
 */
function microKernel(kc: i32, alpha: f64, ap: usize, bp: usize, c: usize, ldc: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  // kc is even (the packed panels are zero-padded): two steps per iteration
  for (let p = 0; p < kc; p += 2) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load64_splat(ap);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load64_splat(ap, 8);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load64_splat(ap, 16);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load64_splat(ap, 24);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    const b2 = v128.load(bp, 32);
    const b3 = v128.load(bp, 48);
    const a4 = v128.load64_splat(ap, 32);
    c00 = madd(a4, b2, c00);
    c01 = madd(a4, b3, c01);
    const a5 = v128.load64_splat(ap, 40);
    c10 = madd(a5, b2, c10);
    c11 = madd(a5, b3, c11);
    const a6 = v128.load64_splat(ap, 48);
    c20 = madd(a6, b2, c20);
    c21 = madd(a6, b3, c21);
    const a7 = v128.load64_splat(ap, 56);
    c30 = madd(a7, b2, c30);
    c31 = madd(a7, b3, c31);
    ap += 2 * MR << 3;
    bp += 2 * NR << 3;
  }
  const al = f64x2.splat(alpha);
  const ld = <usize> ldc << 3;
  v128.store(c, madd(al, c00, v128.load(c)));
  v128.store(c, madd(al, c01, v128.load(c, 16)), 16);
  c += ld;
  v128.store(c, madd(al, c10, v128.load(c)));
  v128.store(c, madd(al, c11, v128.load(c, 16)), 16);
  c += ld;
  v128.store(c, madd(al, c20, v128.load(c)));
  v128.store(c, madd(al, c21, v128.load(c, 16)), 16);
  c += ld;
  v128.store(c, madd(al, c30, v128.load(c)));
  v128.store(c, madd(al, c31, v128.load(c, 16)), 16);
}

/** Block size of syrk's lower block triangle (32: 62.5% of the gemm flops at n = 128). */
const SYRK_BLOCK: i32 = 32;

/**
 * C (n×n) = α·AᵀA for A k×n row-major (BLAS syrk, transposed form): the lower block triangle
 * by gemm calls (about half the flops of the full product for large n), then the strict upper
 * triangle mirrored from the lower one, so C is exactly symmetric. C must not overlap A.
 */
export function syrkTransposed(n: i32, k: i32, alpha: f64, a: usize, c: usize): void {
  for (let i0 = 0; i0 < n; i0 += SYRK_BLOCK) {
    const i1 = min(n, i0 + SYRK_BLOCK);
    // C[i0:i1, 0:i1] = α·A[:, i0:i1]ᵀ·A[:, 0:i1]
    gemmStrided(
      1,
      0,
      i1 - i0,
      i1,
      k,
      alpha,
      a + (<usize> i0 << 3),
      n,
      a,
      n,
      0.0,
      c + ((<usize> (i0 * n)) << 3),
      n,
    );
  }
  // upper = lowerᵀ, by 16×16 tiles (cache-friendly for both the reads and the writes)
  for (let j0 = 0; j0 < n; j0 += 16) {
    for (let i0 = 0; i0 <= j0; i0 += 16) {
      const i1 = min(n, i0 + 16), j1 = min(n, j0 + 16);
      for (let i = i0; i < i1; i++) {
        for (let j = max(i + 1, j0); j < j1; j++) {
          store<f64>(
            c + ((<usize> (i * n + j)) << 3),
            load<f64>(c + ((<usize> (j * n + i)) << 3)),
          );
        }
      }
    }
  }
}

/** dst[0..n) = src[0..n) (any overlap). */
export function copy(n: i32, src: usize, dst: usize): void {
  if (n > 0) memory.copy(dst, src, <usize> n << 3);
}

/**
 * Copies a rows×cols block: dst[i·dstStride + j] = src[i·srcStride + j]. Strides are in
 * elements. Serves submatrix extraction and horizontal/vertical stacking.
 */
export function copy2d(
  rows: i32,
  cols: i32,
  src: usize,
  srcStride: i32,
  dst: usize,
  dstStride: i32,
): void {
  if (cols <= 0) return;
  const bytes = <usize> cols << 3;
  for (let i = 0; i < rows; i++) {
    memory.copy(
      dst + ((<usize> (i * dstStride)) << 3),
      src + ((<usize> (i * srcStride)) << 3),
      bytes,
    );
  }
}

/** out[0..n) = alpha·x[0..n) (out may equal x). */
export function scale(n: i32, alpha: f64, x: usize, out: usize): void {
  const al = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(out + o, f64x2.mul(al, v128.load(x + o)));
  }
  if (i < n) store<f64>(out + (<usize> i << 3), alpha * load<f64>(x + (<usize> i << 3)));
}

/**
 * out[0..n) = x[0..n) / d (out may equal x). Divides rather than multiplying by 1/d: exact
 * whenever the quotient is representable (x = d gives 1), which triangular solves rely on.
 */
export function divideBy(n: i32, d: f64, x: usize, out: usize): void {
  const dv = f64x2.splat(d);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(out + o, f64x2.div(v128.load(x + o), dv));
  }
  if (i < n) store<f64>(out + (<usize> i << 3), load<f64>(x + (<usize> i << 3)) / d);
}

/** y[0..n) += alpha·x[0..n). */
export function axpy(n: i32, alpha: f64, x: usize, y: usize): void {
  const al = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(y + o, madd(al, v128.load(x + o), v128.load(y + o)));
  }
  if (i < n) {
    const o = <usize> i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** Dot product Σ x_i·y_i over [0, n). */
export function dot(n: i32, x: usize, y: usize): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    acc = madd(v128.load(x + o), v128.load(y + o), acc);
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < n) s += load<f64>(x + (<usize> i << 3)) * load<f64>(y + (<usize> i << 3));
  return s;
}

/** out = aᵀ, a is m×n, out is n×m (must not overlap a). Blocked for cache. */
export function transpose(m: i32, n: i32, a: usize, out: usize): void {
  const T = 16;
  for (let i0 = 0; i0 < m; i0 += T) {
    const i1 = min(m, i0 + T);
    for (let j0 = 0; j0 < n; j0 += T) {
      const j1 = min(n, j0 + T);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f64>(
            out + ((<usize> (j * m + i)) << 3),
            load<f64>(a + ((<usize> (i * n + j)) << 3)),
          );
        }
      }
    }
  }
}

/** out = a ⊗ b: a is ma×na, b is mb×nb, out is (ma·mb)×(na·nb). */
export function kron(ma: i32, na: i32, a: usize, mb: i32, nb: i32, b: usize, out: usize): void {
  const ldo = na * nb;
  for (let i = 0; i < ma; i++) {
    for (let j = 0; j < na; j++) {
      const aij = load<f64>(a + ((<usize> (i * na + j)) << 3));
      for (let r = 0; r < mb; r++) {
        scale(
          nb,
          aij,
          b + ((<usize> (r * nb)) << 3),
          out + ((<usize> ((i * mb + r) * ldo + j * nb)) << 3),
        );
      }
    }
  }
}

/** Writes the n×n identity into out. */
export function setIdentity(n: i32, out: usize): void {
  memory.fill(out, 0, <usize> (n * n) << 3);
  for (let i = 0; i < n; i++) store<f64>(out + ((<usize> (i * n + i)) << 3), 1.0);
}

/** Writes diag(v) (n×n, v of length n) into out. */
export function setDiag(n: i32, v: usize, out: usize): void {
  memory.fill(out, 0, <usize> (n * n) << 3);
  for (let i = 0; i < n; i++) {
    store<f64>(out + ((<usize> (i * n + i)) << 3), load<f64>(v + (<usize> i << 3)));
  }
}

/** max |x_i| over [0, n) (0 when n = 0; NaN when some x_i is NaN). */
export function maxAbs(n: i32, x: usize): f64 {
  let mx = 0.0;
  for (let i = 0; i < n; i++) {
    const v = abs(load<f64>(x + (<usize> i << 3)));
    if (isNaN(v)) return v;
    if (v > mx) mx = v;
  }
  return mx;
}

/** Frobenius norm sqrt(Σ x_i²) of n entries, scaled so it neither overflows nor underflows. */
export function normFrobenius(n: i32, x: usize): f64 {
  const s = maxAbs(n, x);
  if (s == 0 || !isFinite(s)) return s;
  const inv = 1.0 / s;
  let acc = 0.0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize> i << 3)) * inv;
    acc += v * v;
  }
  return s * Math.sqrt(acc);
}

/** 1-norm of an m×n matrix: the largest column sum max_j Σ_i |a_ij| (NaN if an entry is). */
export function norm1(m: i32, n: i32, a: usize): f64 {
  let best = 0.0;
  for (let j = 0; j < n; j++) {
    let s = 0.0;
    for (let i = 0; i < m; i++) s += abs(load<f64>(a + ((<usize> (i * n + j)) << 3)));
    if (isNaN(s)) return s;
    if (s > best) best = s;
  }
  return best;
}

/** 1-based index of the first non-finite entry of x[0..n), 0 when all are finite. */
export function firstNonFinite(n: i32, x: usize): i32 {
  for (let i = 0; i < n; i++) if (!isFinite(load<f64>(x + (<usize> i << 3)))) return i + 1;
  return 0;
}
