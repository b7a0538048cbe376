/**
 * gemm throughput: the WASM kernel (`asm/blas.ts`, called on arena pointers, no copies) against
 * numpy's `a @ b` on single-threaded OpenBLAS, for square n×n·n×n products, in GFLOP/s
 * (2n³ flops per product) and as a ratio.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import { core } from "../src/wasm/core.ts";
import { type BenchSection, printTable, runNumpy, secondsPerCall } from "./harness.ts";

const SIZES = [8, 32, 128, 256];

function wasmGflops(n: number): number {
  const c = core();
  return c.scoped(() => {
    const rnd = () => Matrix.fromFunction(n, n, () => Math.random() - 0.5);
    const a = c.put(rnd()), b = c.put(rnd()), out = c.alloc(n * n);
    const s = secondsPerCall(() => c.k.gemm(0, 0, n, n, n, 1, a, b, 0, out));
    return (2 * n ** 3) / s / 1e9;
  });
}

const NUMPY = `
import json, time, numpy as np
def best(f, min_batch=0.1, batches=5):
    f()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): f()
        if time.perf_counter() - t0 >= min_batch: break
        reps *= 2
    b = float("inf")
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(reps): f()
        b = min(b, (time.perf_counter() - t0) / reps)
    return b
out = {}
for n in ${JSON.stringify(SIZES)}:
    rng = np.random.default_rng(n)
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    c = np.empty((n, n))
    out[n] = 2 * n**3 / best(lambda: np.matmul(a, b, out=c)) / 1e9
print(json.dumps(out))
`;

/** The gemm section of `deno task bench`. */
export const gemmSection: BenchSection = {
  name: "gemm",
  description: "C = A·B, n×n, GFLOP/s: WASM (f64x2 SIMD, blocked) vs numpy/OpenBLAS 1 thread",
  async run() {
    const numpy = await runNumpy<Record<string, number>>(NUMPY);
    const rows = SIZES.map((n) => {
      const w = wasmGflops(n);
      const np = numpy?.[n];
      return [
        String(n),
        w.toFixed(2),
        np === undefined ? "—" : np.toFixed(2),
        np === undefined ? "—" : `${(100 * w / np).toFixed(0)}%`,
      ];
    });
    printTable(this.description, ["n", "WASM", "numpy", "WASM/numpy"], rows);
  },
};
