/** λ-balanced initialisations: the constructor, its admissible shapes, λ̂ and the imbalance. */
import { Decimal } from "decimal.js";
import { assertClose, assertEquals, assertOk, assertThrows, relativeError } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { AssumptionError, InputError, ShapeError } from "../src/errors.ts";
import { matmul } from "../src/linalg/blas.ts";
import { gaussianInit } from "../src/init/gaussian.ts";
import { zeroBalancedInit } from "../src/init/zero_balanced.ts";
import {
  balancedLambda,
  checkLambdaShape,
  lambdaBalance,
  lambdaBalancedFromProduct,
  lambdaBalancedInit,
  lambdaSplit,
} from "../src/init/lambda_balanced.ts";

/** `W2ᵀW2 − W1W1ᵀ − λI`, max-abs, relative to the Gram matrices' scale (plain loops). */
function residual(w1: Matrix, w2: Matrix, lambda: number): number {
  const nh = w1.rows;
  let worst = 0, scale = 0;
  for (let i = 0; i < nh; i++) {
    for (let j = 0; j < nh; j++) {
      let a = 0, b = 0;
      for (let k = 0; k < w1.cols; k++) a += w1.get(i, k) * w1.get(j, k);
      for (let k = 0; k < w2.rows; k++) b += w2.get(k, i) * w2.get(k, j);
      scale = Math.max(scale, Math.abs(a), Math.abs(b));
      worst = Math.max(worst, Math.abs(b - a - (i === j ? lambda : 0)));
    }
  }
  return worst / scale;
}

/** Every admissible (Ni, Nh, No, sign of λ) with Ni, No ≤ 4. */
function admissible(): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let ni = 1; ni <= 4; ni++) {
    for (let no = 1; no <= 4; no++) {
      const nm = Math.min(ni, no);
      for (let nh = nm; nh <= 6; nh++) {
        for (const sign of [-1, 0, 1]) {
          if (sign > 0 && nh > no) continue;
          if (sign < 0 && nh > ni) continue;
          out.push([ni, nh, no, sign]);
        }
      }
    }
  }
  return out;
}

Deno.test("lambdaBalancedInit: λ-balanced to rounding with W2W1 = M, for every admissible shape, λ and scale", () => {
  const rng = new Random(12);
  const shapes = admissible();
  let worst = 0;
  for (const [ni, nh, no, sign] of shapes) {
    for (const mag of [1e-3, 0.7, 50]) {
      for (const scale of [1e-3, 1, 3]) {
        const lambda = sign * mag;
        const m = rng.gaussianMatrix(no, ni, scale);
        const w = lambdaBalancedFromProduct(m, lambda, rng.orthonormal(nh, nh));
        assertEquals([w.w1.shape, w.w2.shape], [[nh, ni], [no, nh]]);
        // A construction from orthonormal factors: residual ≈ a few ε of the Gram scale.
        const res = residual(w.w1, w.w2, lambda);
        worst = Math.max(worst, res);
        assertOk(res < 1e-14, `${ni}x${nh}x${no} λ=${lambda} scale ${scale}: residual ${res}`);
        // W2W1 = U S2 S1 Vᵀ = M: s1·s2 = s to rounding, relative to ‖M‖.
        const e = relativeError(matmul(w.w2, w.w1), m);
        assertOk(e < 1e-14, `${ni}x${nh}x${no} λ=${lambda}: W2W1 ≠ M (${e})`);
      }
    }
  }
  console.log(`${shapes.length} admissible shapes × 9 (λ, scale): worst residual ${worst}`);
});

Deno.test("lambdaBalancedInit: draws, extra units carry √|λ| on the larger side, λ̂ recovers λ", () => {
  const rng = new Random(3);
  for (const [ni, nh, no, lambda] of [[2, 5, 6, 2], [6, 4, 2, -3], [3, 3, 3, 0.5], [4, 6, 2, 0]]) {
    const w = lambdaBalancedInit(rng, { ni, nh, no, lambda, scale: 0.2 });
    const b = lambdaBalance(w);
    assertClose(b.lambdaHat, lambda, 1e-14 * Math.max(1, b.scale), "λ̂");
    assertOk(b.imbalance < 1e-14, `imbalance ${b.imbalance}`);
    // QᵀQ = 2W1W1ᵀ + λI: its eigenvalues are √(λ² + 4s²) for the Nm modes and |λ| for extras,
    // so its trace is Σ√(λ² + 4sₖ²) + (Nh − Nm)|λ| (plain loops, no library decomposition).
    let trace = 0;
    for (const x of [...w.w1.data, ...w.w2.data]) trace += x * x;
    const nm = Math.min(ni, no);
    const s = svdValues(matmul(w.w2, w.w1)).slice(0, nm);
    const expect = s.reduce((acc, sk) => acc + Math.hypot(lambda, 2 * sk), 0) +
      (nh - nm) * Math.abs(lambda);
    assertClose(trace, expect, 1e-13 * expect, "tr QᵀQ");
  }
});

/** Singular values from the eigenvalues of MᵀM by Jacobi rotations (plain loops). */
function svdValues(m: Matrix): number[] {
  const n = m.cols;
  const a = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let s = 0;
      for (let k = 0; k < m.rows; k++) s += m.get(k, i) * m.get(k, j);
      return s;
    }));
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        off += a[p][q] ** 2;
        if (a[p][q] === 0) continue;
        const th = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(th || 1) / (Math.abs(th) + Math.sqrt(th * th + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
    if (off < 1e-40) break;
  }
  return a.map((r, i) => Math.sqrt(Math.max(r[i], 0))).sort((x, y) => y - x);
}

Deno.test("lambdaSplit: s1·s2 = s and s2² − s1² = λ without cancellation (40-digit reference)", () => {
  const D = Decimal.clone({ defaults: true, precision: 40 });
  for (const [s, lambda] of [[1, 1e8], [1, -1e8], [1e-6, 3], [2, 3], [5, 0], [0, 4], [1e-300, 1]]) {
    const { s1, s2 } = lambdaSplit(s, lambda);
    const r = new D(lambda).pow(2).plus(new D(s).times(2).pow(2)).sqrt();
    const e1 = r.minus(lambda).div(2).sqrt(), e2 = r.plus(lambda).div(2).sqrt();
    // Each is a handful of correctly rounded operations: a few ulps.
    for (const [got, want] of [[s1, e1], [s2, e2]] as const) {
      const err = want.isZero() ? Math.abs(got) : Math.abs(got / want.toNumber() - 1);
      assertOk(err < 1e-15, `s = ${s}, λ = ${lambda}: ${got} vs ${want} (${err})`);
    }
  }
  assertEquals(lambdaSplit(2, 3), { s1: 1, s2: 2 });
});

Deno.test("λ-balanced constructor: inadmissible shapes are refused naming the rule", () => {
  const rng = new Random(1);
  const m = rng.gaussianMatrix(3, 2);
  assertThrows(() => checkLambdaShape({ ni: 2, nh: 4, no: 3 }, 1), ShapeError, "Nh ≤ No");
  assertThrows(() => checkLambdaShape({ ni: 2, nh: 3, no: 3 }, -1), ShapeError, "Nh ≤ Ni");
  assertThrows(() => checkLambdaShape({ ni: 2, nh: 1, no: 3 }, 0), ShapeError, "Nh ≥ Nm");
  assertThrows(() => checkLambdaShape({ ni: 2, nh: 2, no: 3 }, NaN), InputError, "finite");
  assertThrows(
    () => lambdaBalancedInit(rng, { ni: 2, nh: 3, no: 3, lambda: -0.5, scale: 1 }),
    ShapeError,
    "λ = -0.5 < 0 needs Nh ≤ Ni",
  );
  assertThrows(() => lambdaBalancedFromProduct(m, 1, rng.orthonormal(3, 2)), ShapeError, "Nh×Nh");
  assertThrows(
    () => lambdaBalancedFromProduct(m, 1, rng.orthonormal(3, 3), Matrix.identity(2)),
    ShapeError,
    "extra",
  );
});

Deno.test("lambdaBalance / balancedLambda: zero-balanced → 0, λ-balanced → λ̂, Gaussian → refused", () => {
  const rng = new Random(9);
  const zb = zeroBalancedInit(rng, { ni: 3, nh: 5, no: 2, scale: 0.5 });
  assertEquals(balancedLambda(zb, 1e-9), 0);
  const lb = lambdaBalancedInit(rng, { ni: 3, nh: 3, no: 2, lambda: -0.25, scale: 0.5 });
  assertClose(balancedLambda(lb, 1e-9), -0.25, 1e-15, "λ");
  const g = gaussianInit(rng, { ni: 3, nh: 4, no: 3 }, 0.5);
  const b = lambdaBalance(g);
  assertOk(b.imbalance > 0.01, `Gaussian imbalance ${b.imbalance}`);
  assertThrows(() => balancedLambda(g, 1e-9), AssumptionError, "λ-balanced");
  const zero = { w1: Matrix.zeros(2, 2), w2: Matrix.zeros(2, 2) };
  assertEquals(lambdaBalance(zero), { lambdaHat: 0, imbalance: 0, zeroImbalance: 0, scale: 0 });
});
