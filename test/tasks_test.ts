/** Tasks: whitened random tasks, whitening, hierarchies (Figs. 3, 6C), 2×2 targets, sequences. */
import { assertClose, assertEquals, assertMatrixClose, assertOk, assertThrows } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { InputError, ShapeError, SingularMatrixError } from "../src/errors.ts";
import { matmul, scale } from "../src/linalg/blas.ts";
import { svd } from "../src/linalg/svd.ts";
import { det } from "../src/linalg/lu.ts";
import { randomTask, randomTaskSequence } from "../src/tasks/random_task.ts";
import { taskFromCorrelation, taskFromData, whiten } from "../src/tasks/whiten.ts";
import {
  colourHierarchyTask,
  ITEMS,
  LEVEL_STRENGTHS,
  livingKingdomTask,
  revisedKingdomTask,
} from "../src/tasks/hierarchy.ts";
import { target2x2 } from "../src/tasks/targets2x2.ts";
import { overlapB } from "../src/init/zero_balanced.ts";
import { conditionNumber } from "../src/linalg/svd.ts";

const corr = (a: Matrix, b: Matrix) => scale(matmul(a, b, { transB: true }), 1 / a.cols);

// Whitened to 1e-12: the constructions are exact up to rounding (≈ P·ε ≈ 1e-15 per entry).
const WHITE_TOL = 1e-12;

Deno.test("randomTask: Σxx = I to 1e-12, YXᵀ/P = Σyx, given spectrum, noise ⟂ inputs", () => {
  const rng = new Random(1);
  for (const [ni, no, p] of [[5, 3, 5], [4, 6, 30], [1, 1, 1], [8, 8, 100]]) {
    const t = randomTask(rng, { ni, no, p });
    assertMatrixClose(corr(t.X!, t.X!), Matrix.identity(ni), WHITE_TOL, "XXᵀ/P");
    assertEquals(t.sigmaXX, Matrix.identity(ni));
    assertMatrixClose(corr(t.Y!, t.X!), t.sigmaYX, WHITE_TOL, "YXᵀ/P");
    assertClose(t.traceYY!, t.Y!.normFrobenius() ** 2 / p, 1e-12 * t.traceYY!, "tr Σyy");
  }
  const s = [3, 2, 0.5];
  const t = randomTask(rng, { ni: 3, no: 5, p: 40, singularValues: s, noise: 0.3 });
  svd(t.sigmaYX).s.forEach((v, i) => assertClose(v, s[i], 1e-13, `singular value ${i}`));
  assertMatrixClose(corr(t.Y!, t.X!), t.sigmaYX, WHITE_TOL, "YXᵀ/P with noise");
  assertOk(t.traceYY! > t.sigmaYX.normFrobenius() ** 2 + 0.1, "noise raises tr Σyy");
  assertThrows(() => randomTask(rng, { ni: 4, no: 2, p: 3 }), InputError, "P ≥ Ni");
  assertThrows(() => randomTask(rng, { ni: 2, no: 2, singularValues: [1] }), ShapeError, "2");
  assertThrows(() => randomTask(rng, { ni: 2, no: 2, noise: 1 }), InputError, "P > Ni");
});

Deno.test("randomTaskSequence: tasks share whitened inputs, differ in Σyx, are named", () => {
  const seq = randomTaskSequence(new Random(2), 3, { ni: 4, no: 4, p: 10 });
  assertEquals(seq.map((t) => t.name), ["T1", "T2", "T3"]);
  assertOk(seq[1].X === seq[0].X && seq[2].X === seq[0].X);
  assertOk(seq[0].sigmaYX.get(0, 0) !== seq[1].sigmaYX.get(0, 0));
  assertThrows(() => randomTaskSequence(new Random(2), 0, { ni: 1, no: 1 }), InputError, "count");
});

Deno.test("whiten: Σxx = I to 1e-12 for correlated data; typed errors for P < Ni, singular", () => {
  const rng = new Random(3);
  const mix = Matrix.from([[1, 0, 0], [0.9, 0.3, 0], [2, -1, 0.5]]);
  const x = matmul(mix, rng.gaussianMatrix(3, 50));
  const { x: xw, l } = whiten(x);
  assertMatrixClose(corr(xw, xw), Matrix.identity(3), WHITE_TOL, "whitened Σxx");
  assertMatrixClose(matmul(l, xw), x, 1e-13, "L · whitened = X");
  const y = rng.gaussianMatrix(2, 50);
  const t = taskFromData(x, y, { whitened: true, name: "d" });
  assertMatrixClose(t.sigmaXX, Matrix.identity(3), WHITE_TOL, "task Σxx");
  assertMatrixClose(t.sigmaYX, corr(y, xw), 1e-14, "task Σyx");
  assertClose(t.traceYY!, y.normFrobenius() ** 2 / 50, 1e-12, "tr Σyy");
  assertThrows(() => whiten(rng.gaussianMatrix(4, 3)), InputError, "P = 3 < Ni = 4");
  // Two identical rows: Σxx is exactly singular, but its floating-point Cholesky can end in a
  // tiny positive pivot (about ε·Σxx_11) instead of failing; every draw must be refused.
  for (let k = 0; k < 20; k++) {
    const dup = rng.gaussianMatrix(1, 10);
    const singular = new Matrix(2, 10, Float64Array.from([...dup.data, ...dup.data]));
    assertThrows(() => whiten(singular), SingularMatrixError, "singular");
  }
  // The criterion is relative to each row's own scale: rescaling a row of X does not change
  // whether it can be whitened.
  const tiny = new Matrix(3, 50, x.data.map((v, i) => (i >= 100 ? v * 1e-100 : v)));
  assertMatrixClose(
    corr(whiten(tiny).x, whiten(tiny).x),
    Matrix.identity(3),
    WHITE_TOL,
    "rescaled",
  );
  assertThrows(() => taskFromData(x, rng.gaussianMatrix(2, 49)), ShapeError, "samples");
});

Deno.test("taskFromCorrelation: one-hot √Ni-scaled inputs reproduce Σyx and Σxx = I", () => {
  const s = Matrix.from([[1, 2], [3, 4], [5, 6]]);
  const t = taskFromCorrelation(s, "x");
  assertMatrixClose(corr(t.X!, t.X!), Matrix.identity(2), 1e-15, "Σxx");
  assertMatrixClose(corr(t.Y!, t.X!), s, 1e-15, "Σyx");
  assertClose(t.traceYY!, 91, 1e-12, "tr Σyy = ‖Σyx‖²");
});

/** Singular values of the living-kingdom-shaped trees: strengths with multiplicities 1,1,2,4. */
function expectedSpectrum(strengths: readonly number[]): number[] {
  return [0, 1, 2, 2, 3, 3, 3, 3].map((l) => strengths[l]).sort((a, b) => b - a);
}

Deno.test("living kingdom: 8×8, whitened, SVD is the tree, item similarity as in Fig. 3B", () => {
  const t = livingKingdomTask();
  assertEquals(t.sigmaYX.shape, [8, 8]);
  assertMatrixClose(corr(t.X!, t.X!), Matrix.identity(8), 1e-15, "Σxx");
  const s = svd(t.sigmaYX).s;
  expectedSpectrum(LEVEL_STRENGTHS).forEach((v, i) => assertClose(s[i], v, 1e-14, `s${i}`));
  // Input similarity ṼS̃Ṽᵀ = (ΣyxᵀΣyx)^½; its ordering equals that of ΣyxᵀΣyx's entries.
  const g = matmul(t.sigmaYX, t.sigmaYX, { transA: true });
  const [salmon, sunfish, canary, daisy] = ["salmon", "sunfish", "canary", "daisy"].map((n) =>
    ITEMS.indexOf(n as (typeof ITEMS)[number])
  );
  assertOk(g.get(salmon, sunfish) > g.get(salmon, canary), "fish–fish > fish–bird");
  assertOk(g.get(salmon, canary) > g.get(salmon, daisy), "fish–bird > fish–plant");
});

Deno.test("hierarchy modes: an exact SVD of Σyx, one tree node per mode, descending", () => {
  const unordered = [1, 3, 0.5, 2]; // strengths not in level order: modes must still descend
  const tasks = [
    livingKingdomTask(),
    revisedKingdomTask(),
    colourHierarchyTask(),
    livingKingdomTask(unordered),
  ];
  for (const t of tasks) {
    const { u, s, v } = t.modes;
    // Built from ±1/√k patterns and 0/1 axes: products are exact up to a few roundings of
    // entries ≤ 3, so 1e-15 relative is several ε.
    const usvt = matmul(matmul(u, Matrix.diag(s)), v, { transB: true });
    assertMatrixClose(usvt, t.sigmaYX, 1e-15, `${t.name}: Ũ S̃ Ṽᵀ = Σyx`);
    assertMatrixClose(matmul(u, u, { transA: true }), Matrix.identity(8), 1e-15, "ŨᵀŨ = I");
    assertMatrixClose(matmul(v, v, { transA: true }), Matrix.identity(8), 1e-15, "ṼᵀṼ = I");
    assertOk(s.every((x, i) => i === 0 || s[i - 1] >= x), `${t.name}: descending`);
    const numeric = svd(t.sigmaYX).s;
    s.forEach((x, i) => assertClose(x, numeric[i], 1e-14, `${t.name}: s${i}`));
  }
  // The item-level mode of the two fish is the contrast salmon − sunfish (up to sign).
  const { v } = livingKingdomTask().modes;
  const fish = Array.from({ length: 8 }, (_, k) => k).find((k) =>
    Math.abs(v.get(2, k) - Math.SQRT1_2) < 1e-15 && Math.abs(v.get(3, k) + Math.SQRT1_2) < 1e-15
  );
  assertOk(fish !== undefined, "a mode is (e_salmon − e_sunfish)/√2");
});

Deno.test("revised kingdom reverses one mode: B is singular for the trained network", () => {
  const t = livingKingdomTask(), r = revisedKingdomTask();
  // Swapping the two fish permutes two input columns.
  const [a, b] = [2, 3];
  const swapped = Matrix.fromFunction(
    8,
    8,
    (i, j) => t.sigmaYX.get(i, j === a ? b : j === b ? a : j),
  );
  assertMatrixClose(r.sigmaYX, swapped, 0, "Σyx with fish swapped");
  assertOk(Math.sign(det(r.sigmaYX)) !== Math.sign(det(t.sigmaYX)), "determinant sign flips");
  // A network that learned the kingdom has W2W1 = Σyx: its B for the revised task is singular.
  assertOk(conditionNumber(overlapB(t.sigmaYX, r.sigmaYX)) > 1e12, "B singular");
  assertThrows(() => revisedKingdomTask([1, 1]), InputError, "two different");
});

Deno.test("colour hierarchy: same spectrum as the kingdom, different singular vectors", () => {
  const t = livingKingdomTask(), c = colourHierarchyTask();
  const s = svd(c.sigmaYX).s;
  expectedSpectrum(LEVEL_STRENGTHS).forEach((v, i) => assertClose(s[i], v, 1e-14, `s${i}`));
  const gt = matmul(t.sigmaYX, t.sigmaYX, { transA: true });
  const gc = matmul(c.sigmaYX, c.sigmaYX, { transA: true });
  // robin (1) and rose (5) are siblings in the colour tree only.
  assertOk(gc.get(1, 5) > gc.get(1, 0) && gt.get(1, 5) < gt.get(1, 0), "regrouped items");
});

Deno.test("Fig. 4C targets: dense, unequal and equal diagonal", () => {
  const d = target2x2("dense").sigmaYX, u = target2x2("unequal diagonal").sigmaYX;
  const e = target2x2("equal diagonal");
  assertOk(d.data.every((v) => v !== 0), "dense");
  assertOk(u.get(0, 1) === 0 && u.get(1, 0) === 0 && u.get(0, 0) !== u.get(1, 1), "unequal");
  const es = e.sigmaYX;
  assertOk(es.get(0, 1) === 0 && es.get(0, 0) === es.get(1, 1), "equal");
  assertMatrixClose(corr(e.Y!, e.X!), es, 1e-15, "data reproduce Σyx");
});
