/**
 * Depth-L gradient-descent throughput (part of the `train` section): the WASM loop
 * (`asm/gd_deep.ts`, depth 4, correlation form, whitened inputs, every width n) against numpy
 * running the same algorithm (prefix products forwards, `D_{l−1} = W_lᵀD_l` backwards,
 * preallocation-free, single-threaded OpenBLAS), in steps per second and as a ratio. Measured
 * as bench/train.ts: alternating rounds of short batches, best kept per side.
 *
 * @module
 */
import { core } from "../src/wasm/core.ts";
import { Random } from "../src/random.ts";
import { pythonBest, rateTable, secondsPerCall } from "./harness.ts";

const DEPTH = 4;
const SIZES = [4, 8, 32];
const STEPS: Record<number, number> = { 4: 4000, 8: 2000, 32: 100 };
const ETA = 1e-4;
const ROUNDS = 6;

function wasmStepsPerSecond(n: number): number {
  const c = core();
  const rng = new Random(100 + n);
  const syx = rng.gaussianMatrix(n, n);
  const layers = Array.from({ length: DEPTH }, () => rng.gaussianMatrix(n, n, 0.5));
  const steps = STEPS[n];
  return c.scoped(() => {
    const dims = c.alloc(4);
    new Int32Array(c.k.memory.buffer, dims, DEPTH + 1).fill(n);
    const w = c.alloc(DEPTH * n * n);
    const init = Float64Array.from(layers.flatMap((m) => Array.from(m.data)));
    c.f64.set(init, w / 8);
    const ps = c.put(syx);
    const rec = c.alloc(1);
    new Int32Array(c.k.memory.buffer, rec, 2).set([0, steps]);
    const out = c.alloc(2 * (DEPTH * n * n + n * n + 1));
    const work = c.alloc(c.k.gdDeepWorkSize(DEPTH, dims, 0, 0));
    const s = secondsPerCall(
      () => {
        const status = c.k.gdDeep(DEPTH, dims, w, 0, ps, 0, 0, ETA, 0, rec, 2, 0, 0, out, work);
        if (status !== 0) throw new Error(`diverged (status ${status})`);
        c.f64.set(init, w / 8);
      },
      2,
      20,
    );
    return steps / s;
  });
}

const NUMPY = `
import time, numpy as np
${pythonBest(2, 20)}
eta, L = ${ETA}, ${DEPTH}
def build(n, steps):
    rng = np.random.default_rng(100 + n)
    syx = rng.standard_normal((n, n))
    ws0 = [0.5 * rng.standard_normal((n, n)) for _ in range(L)]
    def run():
        ws = [w.copy() for w in ws0]
        for _ in range(steps):
            pres = [ws[0]]
            for l in range(1, L - 1):
                pres.append(ws[l] @ pres[-1])
            d = syx - ws[L - 1] @ pres[-1]
            for l in range(L - 1, 0, -1):
                dn = ws[l].T @ d
                ws[l] += eta * (d @ pres[l - 1].T)
                d = dn
            ws[0] += eta * d
    return lambda: steps / best(run)
runs = {n: build(n, steps) for n, steps in ${JSON.stringify(SIZES.map((n) => [n, STEPS[n]]))}}
def handle(n):
    return "ready" if n is None else runs[n]()
`;

/** Measures and prints the depth-4 table. */
export async function deepSection(): Promise<void> {
  await rateTable(
    `GD steps/s, depth-${DEPTH} linear net, correlation form, every width n: WASM vs numpy ` +
      "(1 thread)",
    SIZES,
    ROUNDS,
    wasmStepsPerSecond,
    NUMPY,
    { 4: "≥ 10", 8: "≥ 10" },
  );
}

if (import.meta.main) await deepSection();
