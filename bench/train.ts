/**
 * Gradient-descent throughput: the WASM loop (`asm/gd.ts`, two-layer linear network in
 * correlation form, whitened inputs, Ni = Nh = No = n) against the same loop in numpy on
 * single-threaded OpenBLAS, in steps per second and as a ratio; plus the wall time of a
 * 1,000,000-step `simulate` run at n = 8 with 100 records (everything included: records,
 * `QQᵀ` blocks).
 *
 * Both sides time many short batches (≥ 2 ms) and keep the best, in rounds that alternate
 * between them size by size (as bench/gemm.ts), so load from other processes hits both alike.
 * numpy runs two versions of the loop, the plain one a researcher writes and one with
 * preallocated outputs (`out=`), and the faster of the two is the baseline.
 *
 * @module
 */
import { Matrix } from "../src/matrix.ts";
import { core } from "../src/wasm/core.ts";
import { Random } from "../src/random.ts";
import { simulate, twoLayerCorrelationWorkspace } from "../src/train/simulate.ts";
import { deepSection } from "./train_deep.ts";
import { type BenchSection, pythonBest, rateTable, secondsPerCall } from "./harness.ts";

const SIZES = [8, 32, 128];
/** Steps per timed call: one call lasts a few milliseconds (short batches, see `run`). */
const STEPS: Record<number, number> = { 8: 2000, 32: 200, 128: 5 };
const ETA = 1e-4;
/** Alternating measurement rounds (best kept per side). */
const ROUNDS = 6;

function inputs(n: number) {
  const rng = new Random(n);
  return {
    syx: rng.gaussianMatrix(n, n),
    w1: rng.gaussianMatrix(n, n, 0.1),
    w2: rng.gaussianMatrix(n, n, 0.1),
  };
}

/** WASM steps per second (the loop kernel called on arena pointers, two records). */
function wasmStepsPerSecond(n: number): number {
  const c = core();
  const { syx, w1, w2 } = inputs(n);
  const steps = STEPS[n];
  return c.scoped(() => {
    const p1 = c.put(w1), p2 = c.put(w2), ps = c.put(syx);
    const rec = c.alloc(1);
    new Int32Array(c.k.memory.buffer, rec, 2).set([0, steps]);
    const out = c.alloc(2 * (2 * n * n + 1));
    const work = c.alloc(twoLayerCorrelationWorkspace(n, n, n));
    // best of 20 batches of ≥ 2 ms
    const s = secondsPerCall(
      () => {
        const status = c.k.gdTwoLayerCorrelation(
          n,
          n,
          n,
          p1,
          p2,
          ps,
          0,
          0,
          ETA,
          0,
          rec,
          2,
          0,
          0,
          out,
          work,
        );
        if (status !== 0) throw new Error(`diverged (status ${status})`);
        c.f64.set(w1.data, p1 / 8); // restart from the same state: same work every call
        c.f64.set(w2.data, p2 / 8);
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
eta = ${ETA}
def build(n, steps):  # one function per size: its closures keep their own variables
    rng = np.random.default_rng(n)
    syx = rng.standard_normal((n, n))
    w10, w20 = 0.1 * rng.standard_normal((n, n)), 0.1 * rng.standard_normal((n, n))
    def plain():
        w1, w2 = w10.copy(), w20.copy()
        for _ in range(steps):
            e = syx - w2 @ w1
            w1, w2 = w1 + eta * (w2.T @ e), w2 + eta * (e @ w1.T)
    def preallocated():
        w1, w2 = w10.copy(), w20.copy()
        e, g, d = np.empty((n, n)), np.empty((n, n)), np.empty((n, n))
        for _ in range(steps):
            np.matmul(w2, w1, out=e); np.subtract(syx, e, out=e)
            np.matmul(w2.T, e, out=g); np.matmul(e, w1.T, out=d)
            g *= eta; d *= eta; w1 += g; w2 += d
    return lambda: steps / min(best(plain), best(preallocated))
runs = {n: build(n, steps) for n, steps in ${JSON.stringify(SIZES.map((n) => [n, STEPS[n]]))}}
def handle(n):
    return "ready" if n is None else runs[n]()
`;

/** Seconds of `simulate` for 1,000,000 steps at n = 8 with 100 records (best of 3). */
function millionSteps(): number {
  const { syx, w1, w2 } = inputs(8);
  const task = { sigmaYX: syx, sigmaXX: Matrix.identity(8) };
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    simulate(task, { w1, w2 }, { learningRate: ETA, steps: 1_000_000, record: 10_000 });
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** The train section of `deno task bench`. */
export const trainSection: BenchSection = {
  name: "train",
  description:
    "GD steps/s, two-layer linear net, correlation form, Ni = Nh = No = n: WASM vs numpy (1 thread)",
  async run() {
    await rateTable(this.description, SIZES, ROUNDS, wasmStepsPerSecond, NUMPY, {
      8: "≥ 10",
      32: "≥ 1",
      128: "≥ 0.4",
    });
    console.log(
      `simulate: 1,000,000 steps at n = 8 with 100 records: ${millionSteps().toFixed(3)} s ` +
        "(best of 3)",
    );
    await deepSection();
  },
};

if (import.meta.main) await trainSection.run();
