/**
 * Householder QR factorisation and orthonormal completion of a basis (WASM kernels in
 * `asm/qr.ts`).
 *
 * `A = Q R` with `A` m×n. Thin: `Q` m×k with orthonormal columns, `R` k×n upper triangular,
 * `k = min(m, n)`. Full: `Q` m×m orthogonal, `R` m×n (zero rows below k). The diagonal of `R`
 * is non-negative, so for `A` of full column rank (m ≥ n) the thin factorisation is unique.
 *
 * @module
 */
import { AssumptionError, ShapeError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import {
  arenaAlloc,
  type ArenaMatrix,
  arenaPut,
  arenaRead,
  assertFinitePtr,
  withArena,
} from "./arena.ts";

/** A QR factorisation `A = Q R`. */
export interface Qr<M> {
  /** m×k (thin) or m×m (full), orthonormal columns. */
  q: M;
  /** k×n (thin) or m×n (full), upper triangular with non-negative diagonal. */
  r: M;
}

/** Options of {@link qr}. */
export interface QrOptions {
  /** Full `Q` (m×m) and `R` (m×n) instead of thin (default false). */
  full?: boolean;
}

/**
 * Householder QR of an arena matrix; the factors are allocated in the arena (workspace is
 * freed). Pointer-level form of {@link qr}.
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 */
export function qrPtr(a: ArenaMatrix, full = false): Qr<ArenaMatrix> {
  assertFinitePtr(a, "qr: A");
  const c = core();
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  const qCols = full ? m : k;
  const q = arenaAlloc(m, qCols);
  const r = arenaAlloc(full ? m : k, n);
  const mark = c.mark();
  try {
    const f = c.alloc(m * n);
    const tau = c.alloc(k);
    const work = c.alloc(Math.max(n, qCols, 1));
    c.f64.copyWithin(f / 8, a.ptr / 8, a.ptr / 8 + m * n);
    c.k.qrFactor(m, n, f, tau, work);
    c.k.qrFormQ(m, n, f, tau, 0, qCols, q.ptr, qCols, work);
    c.k.qrExtractR(m, n, f, r.rows, r.ptr);
  } finally {
    c.release(mark);
  }
  return { q, r };
}

/**
 * Householder QR `A = Q R` (see the module doc for shapes).
 *
 * @example
 * ```ts
 * const { q, r } = qr(Matrix.from([[3, 1], [4, 2]])); // r = [[5, 2.2], [0, 0.4]]
 * ```
 * @param a m×n, finite
 * @param options `{ full: true }` for the m×m `Q`
 * @throws {NonFiniteError} when `a` has a NaN or ±∞ entry
 */
export function qr(a: Matrix, options: QrOptions = {}): Qr<Matrix> {
  return withArena(() => {
    const f = qrPtr(arenaPut(a, "qr: A"), options.full ?? false);
    return { q: arenaRead(f.q), r: arenaRead(f.r) };
  });
}

/**
 * Orthonormal completion of an arena matrix `q` (m×r, r ≤ m, linearly independent columns —
 * orthonormal ones in every use here): m×(m−r) orthonormal columns `Q⊥` spanning the
 * orthogonal complement of span(Q), allocated in the arena. They are the last m−r columns of
 * the full Householder `Q` of `q`. No orthonormality check (see {@link orthComplement}).
 * @throws {ShapeError} when r > m
 */
export function orthComplementPtr(q: ArenaMatrix): ArenaMatrix {
  const { rows: m, cols: r } = q;
  if (r > m) {
    throw new ShapeError(
      `orthComplement: Q is ${m}×${r}; a basis of ℝ^${m} has at most ${m} columns`,
    );
  }
  const c = core();
  const out = arenaAlloc(m, m - r);
  const mark = c.mark();
  try {
    const work = c.alloc(Math.max(c.k.orthComplementWorkSize(m, r), 1));
    c.k.orthComplement(m, r, q.ptr, out.ptr, work);
  } finally {
    c.release(mark);
  }
  return out;
}

/** Largest `max |QᵀQ − I|` accepted by {@link orthComplement}: √ε ≈ 1.5e-8. */
export const ORTHONORMAL_TOL = Math.sqrt(Number.EPSILON);

/**
 * `max_ij |(QᵀQ − I)_ij|`, the departure of the columns of `q` from orthonormality.
 * @param q any m×r matrix
 */
export function orthonormalityError(q: Matrix): number {
  const { rows: m, cols: r } = q;
  let worst = 0;
  for (let i = 0; i < r; i++) {
    for (let j = i; j < r; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += q.data[k * r + i] * q.data[k * r + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/**
 * Orthonormal completion `Q⊥` (m×(m−r)) of `q` (m×r, orthonormal columns): `[Q Q⊥]` is
 * orthogonal, so `Q⊥ᵀQ = 0` and `Q⊥ᵀQ⊥ = I`. This is how `Ũ⊥`, `Ṽ⊥` of Theorem 3.1 are built.
 * r = m gives an m×0 matrix; r = 0 gives the identity.
 *
 * @example
 * ```ts
 * orthComplement(Matrix.from([[1], [0]])).toArray(); // [[0], [1]]
 * ```
 * @throws {ShapeError} when r > m
 * @throws {NonFiniteError} when `q` has a NaN or ±∞ entry
 * @throws {AssumptionError} when `max |QᵀQ − I|` exceeds {@link ORTHONORMAL_TOL}
 */
export function orthComplement(q: Matrix): Matrix {
  q.assertFinite("orthComplement: Q");
  if (q.cols <= q.rows) {
    const err = orthonormalityError(q);
    if (err > ORTHONORMAL_TOL) {
      throw new AssumptionError(
        "orthonormal columns",
        err,
        ORTHONORMAL_TOL,
        `orthComplement: max |QᵀQ − I| of the ${q.rows}×${q.cols} input`,
      );
    }
  }
  return withArena(() => arenaRead(orthComplementPtr(arenaPut(q, "orthComplement: Q"))));
}
