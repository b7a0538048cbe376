/**
 * Shared helpers of the factorisation tests (qr, eigen, svd, pinv): random matrices for
 * fast-check, residual measures written in plain JavaScript (independent of the WASM kernels
 * under test), and a bridge to numpy through `python3` for independent reference values.
 *
 * @module
 */
import fc from "fast-check";
import { Matrix } from "../src/matrix.ts";
import { naiveMatmul } from "./linalg_arbitraries.ts";

/** Machine epsilon of f64, 2^−52. */
export const EPS = Number.EPSILON;

/**
 * fast-check arbitrary of m×n matrices, m ∈ [minRows, maxRows], n ∈ [minCols, maxCols], with
 * entries uniform in [−1, 1] times a per-matrix scale 10^k, k ∈ [−3, 3] (so tolerances are
 * checked to be scale-invariant).
 */
export function matrixArb(
  minRows: number,
  maxRows: number,
  minCols: number,
  maxCols: number,
): fc.Arbitrary<Matrix> {
  return fc
    .tuple(
      fc.integer({ min: minRows, max: maxRows }),
      fc.integer({ min: minCols, max: maxCols }),
      fc.integer({ min: -3, max: 3 }),
    )
    .chain(([m, n, k]) =>
      fc
        .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: m * n, maxLength: m * n })
        .map((xs) => new Matrix(m, n, Float64Array.from(xs, (x) => x * 10 ** k)))
    );
}

/**
 * `op(a)·op(b)` by the textbook triple loop (no WASM), `op` transposing when flagged: the
 * gemm tests' `naiveMatmul`, under the name the factorisation tests use.
 */
export const product: typeof naiveMatmul = naiveMatmul;

/** `U·diag(s)·Vᵀ` using the first `s.length` columns of `u` and `v`. */
export function reconstruct(u: Matrix, s: ArrayLike<number>, v: Matrix): Matrix {
  const r = s.length;
  return Matrix.fromFunction(u.rows, v.rows, (i, j) => {
    let x = 0;
    for (let k = 0; k < r; k++) x += u.get(i, k) * s[k] * v.get(j, k);
    return x;
  });
}

/** `‖a − b‖_F`. */
export function distance(a: Matrix, b: Matrix): number {
  let d = 0;
  for (let i = 0; i < a.data.length; i++) d += (a.data[i] - b.data[i]) ** 2;
  return Math.sqrt(d);
}

/** `max_ij |(QᵀQ − I)_ij|`: departure of the columns of `q` from orthonormality. */
export function gramDeviation(q: Matrix): number {
  const g = product(q, q, true, false);
  let worst = 0;
  for (let i = 0; i < g.rows; i++) {
    for (let j = 0; j < g.cols; j++) worst = Math.max(worst, Math.abs(g.get(i, j) - +(i === j)));
  }
  return worst;
}

/** `max |entry|` of `QᵀP` (mutual orthogonality of two column sets). */
export function crossDeviation(q: Matrix, p: Matrix): number {
  return product(q, p, true, false).maxAbs();
}

/**
 * True when in every column of `v` the first entry of largest magnitude is positive: the sign
 * convention of the SVD and of the symmetric eigensolver.
 */
export function followsSignConvention(v: Matrix): boolean {
  for (let j = 0; j < v.cols; j++) {
    let best = 0;
    for (let i = 1; i < v.rows; i++) if (Math.abs(v.get(i, j)) > Math.abs(v.get(best, j))) best = i;
    if (v.rows > 0 && !(v.get(best, j) > 0)) return false;
  }
  return true;
}

/** Deterministic pseudo-random matrix with entries in [−1, 1) (xorshift, no library code). */
export function seededMatrix(rows: number, cols: number, seed: number): Matrix {
  let x = (seed * 2654435761) >>> 0 || 1;
  return Matrix.fromFunction(rows, cols, () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 31 - 1;
  });
}

/**
 * Runs a Python/numpy snippet: `data` is JSON on stdin (bound to `inp`), the snippet assigns
 * its JSON-serialisable answer to `out`.
 * @example `await numpy("out = [float(x) for x in np.linalg.svd(np.array(inp), compute_uv=False)]", rows)`
 */
export async function numpy<T>(snippet: string, data: unknown): Promise<T> {
  const script = [
    "import json, sys",
    "import numpy as np",
    "inp = json.load(sys.stdin)",
    snippet,
    "json.dump(out, sys.stdout)",
  ].join("\n");
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { OPENBLAS_NUM_THREADS: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(data)));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`python3 failed: ${new TextDecoder().decode(stderr)}`);
  return JSON.parse(new TextDecoder().decode(stdout)) as T;
}

/**
 * True when `python3` with numpy runs here. A test that needs it prints a loud
 * `skipped: <why>` line and returns when it does not (CI installs numpy in .ci/run).
 */
export async function numpyAvailable(): Promise<boolean> {
  try {
    const { code } = await new Deno.Command("python3", {
      args: ["-c", "import numpy"],
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}
