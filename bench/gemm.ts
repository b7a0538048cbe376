/**
 * gemm throughput: the WASM kernel (`asm/blas.ts`, called on arena pointers, no copies) against
 * numpy's `matmul` on single-threaded OpenBLAS, for square n×n·n×n products, in GFLOP/s
 * (2n³ flops per product) and as a ratio. The two sides are measured alternately, size by
 * size, for several rounds, each timing many short (2 ms) batches and keeping the fastest: on a
 * shared machine a short batch is often undisturbed, so the best times are stable (±1% between
 * runs here) where 30 ms batches varied by ±25% under load.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import { core } from "../src/wasm/core.ts";
import {
  type BenchSection,
  printTable,
  pythonBest,
  secondsPerCall,
  startNumpy,
} from "./harness.ts";

const SIZES = [8, 32, 128, 256];
const ROUNDS = 8;

function wasmGflops(n: number): number {
  const c = core();
  return c.scoped(() => {
    const rnd = () => Matrix.fromFunction(n, n, () => Math.random() - 0.5);
    const a = c.put(rnd()), b = c.put(rnd()), out = c.alloc(n * n);
    const s = secondsPerCall(() => c.k.gemm(0, 0, n, n, n, 1, a, b, 0, out), 2, 20);
    return (2 * n ** 3) / s / 1e9;
  });
}

const NUMPY = `
import time, numpy as np
${pythonBest(2, 20)}
def handle(n):
    if n is None: return "ready"
    rng = np.random.default_rng(n)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = np.empty((n, n))
    return 2 * n**3 / best(lambda: np.matmul(a, b, out=c)) / 1e9
`;

/** The gemm section of `deno task bench`. */
export const gemmSection: BenchSection = {
  name: "gemm",
  description: "C = A·B, n×n, GFLOP/s: WASM (f64x2 SIMD, blocked) vs numpy/OpenBLAS 1 thread",
  async run() {
    const numpy = await startNumpy(NUMPY);
    const wasm = SIZES.map(() => 0), np = SIZES.map(() => 0);
    try {
      for (let r = 0; r < ROUNDS; r++) {
        for (const [i, n] of SIZES.entries()) {
          wasm[i] = Math.max(wasm[i], wasmGflops(n));
          if (numpy) np[i] = Math.max(np[i], await numpy.call<number>(n));
        }
      }
    } finally {
      await numpy?.close();
    }
    const rows = SIZES.map((n, i) => [
      String(n),
      wasm[i].toFixed(2),
      numpy ? np[i].toFixed(2) : "—",
      numpy ? `${(100 * wasm[i] / np[i]).toFixed(0)}%` : "—",
    ]);
    printTable(
      `${this.description} (best of ${ROUNDS} interleaved rounds)`,
      ["n", "WASM", "numpy", "WASM/numpy"],
      rows,
    );
  },
};
