/**
 * Matrices that live in the WASM arena, and the boundary between them and `Matrix`.
 *
 * Every linear-algebra operation of the f64 stack is written once as a pointer-level function
 * over {@link ArenaMatrix} operands (named `…Ptr`, e.g. `matmulPtr`): it checks shapes,
 * allocates its result in the arena and calls the kernel. The `Matrix`-level API
 * (`matmul`, `solve`, …) wraps such a function in {@link onArena}; the f64 backend
 * (`f64.ts`) uses the pointer-level functions directly, so a formula evaluation never copies
 * between operations.
 *
 * @module
 */
import { NonFiniteError, ShapeError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import { core } from "../wasm/core.ts";

/** A dense row-major `rows × cols` f64 matrix in WASM linear memory at byte offset `ptr`. */
export interface ArenaMatrix {
  /** Byte offset of entry (0, 0), 16-byte aligned. */
  readonly ptr: number;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
}

/** `"r×c"`, for error messages. */
export function shapeOf(a: { rows: number; cols: number }): string {
  return `${a.rows}×${a.cols}`;
}

/** Allocates an uninitialised `rows × cols` matrix in the arena. */
export function arenaAlloc(rows: number, cols: number): ArenaMatrix {
  return { ptr: core().alloc(rows * cols), rows, cols };
}

/** Allocates scratch for `count` i32 values (pivot vectors); returns the byte pointer. */
export function arenaAllocI32(count: number): number {
  return core().alloc(Math.ceil(count / 2));
}

/**
 * Copies `m` into the arena.
 * @param name how to call the matrix in an error message
 * @throws {NonFiniteError} when an entry is NaN or ±∞, naming the first one
 */
export function arenaPut(m: Matrix, name: string): ArenaMatrix {
  m.assertFinite(name);
  return { ptr: core().put(m), rows: m.rows, cols: m.cols };
}

/** Copies an arena matrix out into a `Matrix`. */
export function arenaRead(a: ArenaMatrix): Matrix {
  return core().read(a.ptr, a.rows, a.cols);
}

/**
 * Copies several arena matrices out with one allocation: the results are views of one new
 * buffer (allocating a typed array costs far more than copying a small matrix, and a
 * trajectory's observables read one or more per time).
 */
export function arenaReadEach(as: readonly ArenaMatrix[]): Matrix[] {
  const f64 = core().f64;
  const all = new Float64Array(as.reduce((n, a) => n + a.rows * a.cols, 0));
  let at = 0;
  return as.map((a) => {
    const n = a.rows * a.cols;
    all.set(f64.subarray(a.ptr / 8, a.ptr / 8 + n), at);
    return new Matrix(a.rows, a.cols, all.subarray(at, at += n));
  });
}

/**
 * For each item, the arena matrices `f` computes from it, read back with
 * {@link arenaReadEach}: one allocation per `chunk` items, each chunk in its own arena scope
 * (the arena's use stays bounded however many items there are).
 */
export function arenaMapEach<T>(
  items: readonly T[],
  f: (item: T) => ArenaMatrix[],
  chunk = 256,
): Matrix[][] {
  const out: Matrix[][] = [];
  for (let k = 0; k < items.length; k += chunk) {
    withArena(() => {
      const per = items.slice(k, k + chunk).map(f);
      const flat = arenaReadEach(per.flat());
      let at = 0;
      for (const ms of per) out.push(flat.slice(at, at += ms.length));
    });
  }
  return out;
}

/**
 * Throws unless every entry of the arena matrix `a` is finite (checked in WASM).
 * @param what the operation and operand, e.g. `"solve: A"`
 * @throws {NonFiniteError} naming the first non-finite entry
 */
export function assertFinitePtr(a: ArenaMatrix, what: string): void {
  const c = core();
  const k = c.k.firstNonFinite(a.rows * a.cols, a.ptr) - 1;
  if (k >= 0) {
    const value = c.f64[a.ptr / 8 + k];
    throw new NonFiniteError(
      `${what}: entry (${Math.floor(k / a.cols)}, ${k % a.cols}) is ${value}, expected finite`,
    );
  }
}

/**
 * Throws unless `a` is square.
 * @param op the operation, e.g. `"solve"`
 * @throws {ShapeError} naming the shape
 */
export function assertSquarePtr(op: string, a: { rows: number; cols: number }): void {
  if (a.rows !== a.cols) throw new ShapeError(`${op}: A is ${shapeOf(a)}, expected square`);
}

/** Runs `fn` and frees every arena allocation it made; `fn` must not return arena pointers. */
export function withArena<T>(fn: () => T): T {
  return core().scoped(fn);
}

/**
 * Runs a pointer-level computation on `Matrix` inputs and returns its result as a `Matrix`,
 * freeing all arena storage: `onArena(() => matmulPtr(arenaPut(a, "A"), arenaPut(b, "B")))`.
 */
export function onArena(fn: () => ArenaMatrix): Matrix {
  return withArena(() => arenaRead(fn()));
}
