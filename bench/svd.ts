/**
 * SVD and symmetric eigendecomposition time: the WASM one-sided Jacobi SVD and cyclic Jacobi
 * eigensolver (`asm/svd.ts`, `asm/eigen.ts`, called on arena pointers) against numpy's
 * `linalg.svd` (LAPACK gesdd) and `linalg.eigh` (syevd) on single-threaded OpenBLAS, for
 * n×n matrices with standard normal entries. Jacobi methods trade speed for accuracy (small
 * singular values to high relative accuracy), so expect ratios below 100%. The ratio column
 * is numpy time / WASM time (100% = as fast as numpy).
 *
 * @module
 */
import { symmetricEigenPtr } from "../src/linalg/eigen.ts";
import { singularValuesOfEach, singularValuesPtr, svdPtr } from "../src/linalg/svd.ts";
import { Matrix } from "../src/matrix.ts";
import { core } from "../src/wasm/core.ts";
import { type BenchSection, printTable, pythonBest, runNumpy, secondsPerCall } from "./harness.ts";

const SIZES = [16, 64, 128];

function wasmMs(n: number): { svd: number; eigh: number } {
  const c = core();
  return c.scoped(() => {
    const g = Matrix.fromFunction(n, n, () => Math.random() - 0.5);
    const sym = Matrix.fromFunction(n, n, (i, j) => g.get(i, j) + g.get(j, i));
    const a = { ptr: c.put(g), rows: n, cols: n };
    const s = { ptr: c.put(sym), rows: n, cols: n };
    return {
      svd: 1e3 * secondsPerCall(() => c.scoped(() => svdPtr(a))),
      eigh: 1e3 * secondsPerCall(() => c.scoped(() => symmetricEigenPtr(s))),
    };
  });
}

/** Sizes of the values-only rows, and the batch: as many 8×8 matrices as an explorer panel. */
const VALUE_SIZES = [8, 16, 64, 128];
const BATCH = { count: 121, n: 8 };

function wasmValuesMs(): {
  single: Record<number, { svd: number; values: number }>;
  batch: number;
} {
  const c = core();
  const single: Record<number, { svd: number; values: number }> = {};
  for (const n of VALUE_SIZES) {
    c.scoped(() => {
      const a = {
        ptr: c.put(Matrix.fromFunction(n, n, () => Math.random() - 0.5)),
        rows: n,
        cols: n,
      };
      single[n] = {
        svd: 1e3 * secondsPerCall(() => c.scoped(() => svdPtr(a))),
        values: 1e3 * secondsPerCall(() => c.scoped(() => singularValuesPtr(a))),
      };
    });
  }
  const ms = Array.from(
    { length: BATCH.count },
    () => Matrix.fromFunction(BATCH.n, BATCH.n, () => Math.random() - 0.5),
  );
  return { single, batch: 1e3 * secondsPerCall(() => singularValuesOfEach(ms)) };
}

const NUMPY_VALUES = `
import json, time, numpy as np
${pythonBest()}
out = {"single": {}}
for n in ${JSON.stringify(VALUE_SIZES)}:
    a = np.random.default_rng(n).standard_normal((n, n))
    out["single"][n] = 1e3 * best(lambda: np.linalg.svd(a, compute_uv=False))
stack = np.random.default_rng(1).standard_normal((${BATCH.count}, ${BATCH.n}, ${BATCH.n}))
out["batch"] = 1e3 * best(lambda: np.linalg.svd(stack, compute_uv=False))
print(json.dumps(out))
`;

const NUMPY = `
import json, time, numpy as np
${pythonBest()}
out = {}
for n in ${JSON.stringify(SIZES)}:
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, n))
    s = a + a.T
    out[n] = {"svd": 1e3 * best(lambda: np.linalg.svd(a, full_matrices=False)),
              "eigh": 1e3 * best(lambda: np.linalg.eigh(s))}
print(json.dumps(out))
`;

/** The svd section of `deno task bench`. */
export const svdSection: BenchSection = {
  name: "svd",
  description: "SVD (compact) and symmetric eigen of n×n, ms per call: WASM Jacobi vs numpy " +
    "(LAPACK gesdd / syevd, OpenBLAS 1 thread)",
  async run() {
    const numpy = await runNumpy<Record<string, { svd: number; eigh: number }>>(NUMPY);
    const ratio = (np: number | undefined, w: number) =>
      np === undefined ? "—" : `${(100 * np / w).toFixed(0)}%`;
    const rows = SIZES.map((n) => {
      const w = wasmMs(n);
      const np = numpy?.[n];
      return [
        String(n),
        w.svd.toFixed(3),
        np === undefined ? "—" : np.svd.toFixed(3),
        ratio(np?.svd, w.svd),
        w.eigh.toFixed(3),
        np === undefined ? "—" : np.eigh.toFixed(3),
        ratio(np?.eigh, w.eigh),
      ];
    });
    printTable(
      this.description,
      ["n", "svd WASM", "svd numpy", "numpy/WASM", "eigh WASM", "eigh numpy", "numpy/WASM"],
      rows,
    );
    const npValues = await runNumpy<{ single: Record<string, number>; batch: number }>(
      NUMPY_VALUES,
    );
    const w = wasmValuesMs();
    const fmt = (x: number | undefined) => x === undefined ? "—" : x.toFixed(4);
    printTable(
      "Singular values only, ms per call: WASM svdValues (the Jacobi sweeps without U, V) " +
        "vs its full SVD and numpy svd(compute_uv=False) (LAPACK gesdd); last row a batch of " +
        `${BATCH.count} ${BATCH.n}×${BATCH.n} matrices in one call (singularValuesOfEach; ` +
        "numpy on the stacked array), as the explorer's singular-value panel",
      ["n", "full svd WASM", "values WASM", "values numpy", "numpy/WASM"],
      [
        ...VALUE_SIZES.map((n) => [
          String(n),
          fmt(w.single[n].svd),
          fmt(w.single[n].values),
          fmt(npValues?.single[n]),
          ratio(npValues?.single[n], w.single[n].values),
        ]),
        [
          `${BATCH.count}×(${BATCH.n}×${BATCH.n})`,
          "—",
          fmt(w.batch),
          fmt(npValues?.batch),
          ratio(npValues?.batch, w.batch),
        ],
      ],
    );
  },
};
