/**
 * Dense f64 BLAS-level operations on WASM kernels (asm/blas.ts, asm/elementwise.ts):
 * products, sums, scalings, elementwise maps, transposes, Kronecker products, stacking and
 * norms.
 *
 * Each operation exists at two levels written over one kernel call: `…Ptr` functions take and
 * return {@link ArenaMatrix} operands (used by the f64 backend), and the `Matrix` functions
 * (`matmul`, `add`, …) copy in, call the pointer-level function and copy out. All of them check
 * shapes and throw {@link ShapeError} naming both shapes; the `Matrix` functions also reject
 * non-finite entries with {@link NonFiniteError}.
 *
 * @module
 */
import { ShapeError } from "../errors.ts";
import type { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";
import { arenaAlloc, type ArenaMatrix, arenaPut, onArena, shapeOf, withArena } from "./arena.ts";

/** Transpose flags of {@link matmul}. */
export interface MatmulOptions {
  /** Use `aᵀ` in place of `a`. */
  transA?: boolean;
  /** Use `bᵀ` in place of `b`. */
  transB?: boolean;
}

/** `[m, n, k]` of `op(a)·op(b)`. @throws {ShapeError} when the inner dimensions differ */
function productShape(
  a: ArenaMatrix,
  b: ArenaMatrix,
  transA: boolean,
  transB: boolean,
): [number, number, number] {
  const m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows, n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: op(A) is ${m}×${k} (A ${shapeOf(a)}${transA ? " transposed" : ""}) but op(B) is ` +
        `${kb}×${n} (B ${shapeOf(b)}${transB ? " transposed" : ""}); inner dimensions differ`,
    );
  }
  return [m, n, k];
}

/** `op(a)·op(b)` in the arena (pointer level of {@link matmul}). */
export function matmulPtr(a: ArenaMatrix, b: ArenaMatrix, opts: MatmulOptions = {}): ArenaMatrix {
  const { transA = false, transB = false } = opts;
  const [m, n, k] = productShape(a, b, transA, transB);
  const c = arenaAlloc(m, n);
  // aᵀa: the symmetric kernel (half the flops, exactly symmetric result)
  if (a === b && transA && !transB) core().k.syrkTransposed(n, k, 1, a.ptr, c.ptr);
  else core().k.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, 1, a.ptr, b.ptr, 0, c.ptr);
  return c;
}

/**
 * `c + op(a)·op(b)` in the arena: one gemm accumulating into a copy of `c`.
 * @throws {ShapeError} when the inner dimensions differ or `c` is not `m × n`
 */
export function addProductPtr(
  c: ArenaMatrix,
  a: ArenaMatrix,
  b: ArenaMatrix,
  opts: MatmulOptions = {},
): ArenaMatrix {
  const { transA = false, transB = false } = opts;
  const [m, n, k] = productShape(a, b, transA, transB);
  if (c.rows !== m || c.cols !== n) {
    throw new ShapeError(`addProduct: C is ${shapeOf(c)} but op(A)·op(B) is ${m}×${n}`);
  }
  const out = arenaAlloc(m, n);
  const kr = core().k;
  kr.copy(m * n, c.ptr, out.ptr);
  kr.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, 1, a.ptr, b.ptr, 1, out.ptr);
  return out;
}

/**
 * Matrix product `op(a)·op(b)`, `op` transposing when the option is set. `aᵀa` (the same
 * operand twice, the first transposed) runs the symmetric rank-k kernel: an exactly symmetric
 * result for about half the flops.
 * @throws {ShapeError} when the inner dimensions differ
 * @example
 * ```ts
 * matmul(Matrix.from([[1, 2]]), Matrix.from([[3], [4]])).get(0, 0); // 11
 * matmul(a, a, { transA: true }); // aᵀa
 * ```
 */
export function matmul(a: Matrix, b: Matrix, opts: MatmulOptions = {}): Matrix {
  return onArena(() => matmulPtr(arenaPut(a, "matmul: A"), arenaPut(b, "matmul: B"), opts));
}

function sameShape(op: string, a: ArenaMatrix, b: ArenaMatrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${op}: A is ${shapeOf(a)} but B is ${shapeOf(b)}; shapes must be equal`);
  }
}

type Binary = "add" | "sub" | "hadamard" | "divide";

function binaryPtr(op: Binary, a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  sameShape(op, a, b);
  const out = arenaAlloc(a.rows, a.cols);
  core().k[op](a.rows * a.cols, a.ptr, b.ptr, out.ptr);
  return out;
}

function binary(op: Binary, a: Matrix, b: Matrix): Matrix {
  return onArena(() => binaryPtr(op, arenaPut(a, `${op}: A`), arenaPut(b, `${op}: B`)));
}

/** `a + b` in the arena. */
export function addPtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  return binaryPtr("add", a, b);
}
/** `a − b` in the arena. */
export function subPtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  return binaryPtr("sub", a, b);
}
/** Elementwise `a_ij · b_ij` in the arena. */
export function hadamardPtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  return binaryPtr("hadamard", a, b);
}
/** Elementwise `a_ij / b_ij` (IEEE: x/0 = ±∞) in the arena. */
export function dividePtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  return binaryPtr("divide", a, b);
}

/** `a + b`. @throws {ShapeError} when the shapes differ */
export function add(a: Matrix, b: Matrix): Matrix {
  return binary("add", a, b);
}
/** `a − b`. @throws {ShapeError} when the shapes differ */
export function sub(a: Matrix, b: Matrix): Matrix {
  return binary("sub", a, b);
}
/** Elementwise (Hadamard) product `a ∘ b`. @throws {ShapeError} when the shapes differ */
export function hadamard(a: Matrix, b: Matrix): Matrix {
  return binary("hadamard", a, b);
}
/** Elementwise quotient `a_ij / b_ij`. @throws {ShapeError} when the shapes differ */
export function divide(a: Matrix, b: Matrix): Matrix {
  return binary("divide", a, b);
}

type ScalarMap = "scale" | "expScaled" | "expm1Scaled";

function scalarMapPtr(op: ScalarMap, a: ArenaMatrix, c: number): ArenaMatrix {
  const out = arenaAlloc(a.rows, a.cols);
  core().k[op](a.rows * a.cols, c, a.ptr, out.ptr);
  return out;
}

/** `c·a` in the arena. */
export function scalePtr(a: ArenaMatrix, c: number): ArenaMatrix {
  return scalarMapPtr("scale", a, c);
}
/** Elementwise `exp(c·a_ij)` in the arena. */
export function expScaledPtr(a: ArenaMatrix, c: number): ArenaMatrix {
  return scalarMapPtr("expScaled", a, c);
}
/** Elementwise `exp(c·a_ij) − 1` in the arena (accurate for small arguments). */
export function expm1ScaledPtr(a: ArenaMatrix, c: number): ArenaMatrix {
  return scalarMapPtr("expm1Scaled", a, c);
}

/** `c·a`. */
export function scale(a: Matrix, c: number): Matrix {
  return onArena(() => scalePtr(arenaPut(a, "scale: A"), c));
}
/** Elementwise `exp(c·a_ij)`. */
export function expScaled(a: Matrix, c: number): Matrix {
  return onArena(() => expScaledPtr(arenaPut(a, "expScaled: A"), c));
}
/** Elementwise `exp(c·a_ij) − 1`, accurate when `c·a_ij` is small. */
export function expm1Scaled(a: Matrix, c: number): Matrix {
  return onArena(() => expm1ScaledPtr(arenaPut(a, "expm1Scaled: A"), c));
}

/** `aᵀ` in the arena. */
export function transposePtr(a: ArenaMatrix): ArenaMatrix {
  const out = arenaAlloc(a.cols, a.rows);
  core().k.transpose(a.rows, a.cols, a.ptr, out.ptr);
  return out;
}

/** `aᵀ`. */
export function transpose(a: Matrix): Matrix {
  return onArena(() => transposePtr(arenaPut(a, "transpose: A")));
}

/** Kronecker product `a ⊗ b` in the arena. */
export function kronPtr(a: ArenaMatrix, b: ArenaMatrix): ArenaMatrix {
  const out = arenaAlloc(a.rows * b.rows, a.cols * b.cols);
  core().k.kron(a.rows, a.cols, a.ptr, b.rows, b.cols, b.ptr, out.ptr);
  return out;
}

/**
 * Kronecker product `a ⊗ b`: the `(ma·mb) × (na·nb)` block matrix whose block `(i, j)` is
 * `a_ij·b`.
 */
export function kron(a: Matrix, b: Matrix): Matrix {
  return onArena(() => kronPtr(arenaPut(a, "kron: A"), arenaPut(b, "kron: B")));
}

function vectorLength(op: string, v: ArenaMatrix, n: number, side: string): void {
  if (v.cols !== 1 || v.rows !== n) {
    throw new ShapeError(
      `${op}: v is ${shapeOf(v)} but must be a ${n}×1 vector (the ${side} of A)`,
    );
  }
}

/** `diag(v)·a` in the arena. */
export function scaleRowsPtr(v: ArenaMatrix, a: ArenaMatrix): ArenaMatrix {
  vectorLength("scaleRows", v, a.rows, `rows (A is ${shapeOf(a)})`);
  const out = arenaAlloc(a.rows, a.cols);
  core().k.scaleRows(a.rows, a.cols, v.ptr, a.ptr, out.ptr);
  return out;
}

/** `a·diag(v)` in the arena. */
export function scaleColsPtr(a: ArenaMatrix, v: ArenaMatrix): ArenaMatrix {
  vectorLength("scaleCols", v, a.cols, `columns (A is ${shapeOf(a)})`);
  const out = arenaAlloc(a.rows, a.cols);
  core().k.scaleCols(a.rows, a.cols, a.ptr, v.ptr, out.ptr);
  return out;
}

/** `diag(u)·a·diag(v)` in the arena. */
export function scaleRowsColsPtr(u: ArenaMatrix, a: ArenaMatrix, v: ArenaMatrix): ArenaMatrix {
  vectorLength("scaleRowsCols", u, a.rows, `rows (A is ${shapeOf(a)})`);
  vectorLength("scaleRowsCols", v, a.cols, `columns (A is ${shapeOf(a)})`);
  const out = arenaAlloc(a.rows, a.cols);
  core().k.scaleRowsCols(a.rows, a.cols, u.ptr, a.ptr, v.ptr, out.ptr);
  return out;
}

/** `diag(v)·a`: row `i` of `a` scaled by `v_i`; `v` is `rows × 1`. @throws {ShapeError} */
export function scaleRows(v: Matrix, a: Matrix): Matrix {
  return onArena(() => scaleRowsPtr(arenaPut(v, "scaleRows: v"), arenaPut(a, "scaleRows: A")));
}

/** `a·diag(v)`: column `j` of `a` scaled by `v_j`; `v` is `cols × 1`. @throws {ShapeError} */
export function scaleCols(a: Matrix, v: Matrix): Matrix {
  return onArena(() => scaleColsPtr(arenaPut(a, "scaleCols: A"), arenaPut(v, "scaleCols: v")));
}

/** `n × n` identity in the arena. */
export function identityPtr(n: number): ArenaMatrix {
  const out = arenaAlloc(n, n);
  core().k.setIdentity(n, out.ptr);
  return out;
}

/** `rows × cols` zeros in the arena. */
export function zerosPtr(rows: number, cols: number): ArenaMatrix {
  return { ptr: core().allocZeroed(rows * cols), rows, cols };
}

/** The square matrix with the `n × 1` vector `v` on its diagonal, in the arena. */
export function diagPtr(v: ArenaMatrix): ArenaMatrix {
  if (v.cols !== 1) throw new ShapeError(`diag: v is ${shapeOf(v)} but must be an n×1 vector`);
  const out = arenaAlloc(v.rows, v.rows);
  core().k.setDiag(v.rows, v.ptr, out.ptr);
  return out;
}

/** Copies the block `src[r0..r0+rows, c0..c0+cols]` to `dst` at `(dr, dc)`. */
function copyBlock(
  src: ArenaMatrix,
  r0: number,
  c0: number,
  rows: number,
  cols: number,
  dst: ArenaMatrix,
  dr: number,
  dc: number,
): void {
  core().k.copy2d(
    rows,
    cols,
    src.ptr + (r0 * src.cols + c0) * 8,
    src.cols,
    dst.ptr + (dr * dst.cols + dc) * 8,
    dst.cols,
  );
}

/** Blocks side by side in the arena (equal row counts). */
export function hstackPtr(blocks: readonly ArenaMatrix[]): ArenaMatrix {
  if (blocks.length === 0) throw new ShapeError("hstack: no blocks given");
  const rows = blocks[0].rows;
  const bad = blocks.findIndex((b) => b.rows !== rows);
  if (bad >= 0) {
    throw new ShapeError(
      `hstack: block 0 is ${shapeOf(blocks[0])} but block ${bad} is ${
        shapeOf(blocks[bad])
      }; row counts must be equal`,
    );
  }
  const out = arenaAlloc(rows, blocks.reduce((s, b) => s + b.cols, 0));
  let c = 0;
  for (const b of blocks) {
    copyBlock(b, 0, 0, b.rows, b.cols, out, 0, c);
    c += b.cols;
  }
  return out;
}

/** Blocks stacked vertically in the arena (equal column counts). */
export function vstackPtr(blocks: readonly ArenaMatrix[]): ArenaMatrix {
  if (blocks.length === 0) throw new ShapeError("vstack: no blocks given");
  const cols = blocks[0].cols;
  const bad = blocks.findIndex((b) => b.cols !== cols);
  if (bad >= 0) {
    throw new ShapeError(
      `vstack: block 0 is ${shapeOf(blocks[0])} but block ${bad} is ${
        shapeOf(blocks[bad])
      }; column counts must be equal`,
    );
  }
  const out = arenaAlloc(blocks.reduce((s, b) => s + b.rows, 0), cols);
  let r = 0;
  for (const b of blocks) {
    copyBlock(b, 0, 0, b.rows, b.cols, out, r, 0);
    r += b.rows;
  }
  return out;
}

/** Rows `r0 ≤ i < r1`, columns `c0 ≤ j < c1` of `a`, in the arena. */
export function blockPtr(a: ArenaMatrix, r0: number, r1: number, c0: number, c1: number) {
  if (
    !(Number.isInteger(r0) && Number.isInteger(r1) && Number.isInteger(c0) &&
      Number.isInteger(c1)) ||
    r0 < 0 || r1 > a.rows || c0 < 0 || c1 > a.cols || r0 > r1 ||
    c0 > c1
  ) {
    throw new ShapeError(`block [${r0}, ${r1}) × [${c0}, ${c1}) is outside a ${shapeOf(a)} matrix`);
  }
  const out = arenaAlloc(r1 - r0, c1 - c0);
  copyBlock(a, r0, c0, out.rows, out.cols, out, 0, 0);
  return out;
}

/** Blocks side by side. @throws {ShapeError} when row counts differ */
export function hstack(blocks: readonly Matrix[]): Matrix {
  return onArena(() => hstackPtr(blocks.map((b, i) => arenaPut(b, `hstack: block ${i}`))));
}

/** Blocks stacked vertically. @throws {ShapeError} when column counts differ */
export function vstack(blocks: readonly Matrix[]): Matrix {
  return onArena(() => vstackPtr(blocks.map((b, i) => arenaPut(b, `vstack: block ${i}`))));
}

/** `max |a_ij|` (0 for an empty matrix, NaN when an entry is NaN). */
export function maxAbsPtr(a: ArenaMatrix): number {
  return core().k.maxAbs(a.rows * a.cols, a.ptr);
}

/** Frobenius norm `‖a‖_F`, scaled against overflow. */
export function normFrobeniusPtr(a: ArenaMatrix): number {
  return core().k.normFrobenius(a.rows * a.cols, a.ptr);
}

/** 1-norm `‖a‖₁ = max_j Σ_i |a_ij|`. */
export function norm1Ptr(a: ArenaMatrix): number {
  return core().k.norm1(a.rows, a.cols, a.ptr);
}

/** 1-norm `‖a‖₁ = max_j Σ_i |a_ij|` (largest absolute column sum). */
export function norm1(a: Matrix): number {
  return withArena(() => norm1Ptr(arenaPut(a, "norm1: A")));
}
