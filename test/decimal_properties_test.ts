/**
 * Properties of the decimal backend on random matrices (fixed seed; `DLN_DEEP=1` for more
 * runs): identities that hold at the working precision, and agreement with the independent
 * f64 implementations within f64's own error bounds.
 */
import fc from "fast-check";
import { decimalBackend, type DecimalMatrix } from "../src/linalg/decimal.ts";
import { expm as f64Expm } from "../src/linalg/expm.ts";
import { solve as f64Solve } from "../src/linalg/lu.ts";
import { svd as f64Svd } from "../src/linalg/svd.ts";
import { assertOk, relativeError } from "./assert.ts";
import { numRuns, seed } from "./budget.ts";
import { matrixArb, normInf, squareArb, U } from "./linalg_arbitraries.ts";

const DIGITS = 30;
const be = decimalBackend(DIGITS);
const unit = 10 ** -DIGITS;

function residual(a: DecimalMatrix, b: DecimalMatrix): number {
  return be.maxAbs(be.sub(a, b)) / Math.max(be.maxAbs(b), 1e-300);
}

Deno.test("expm: e^A e^−A = I at the working precision, and the f64 expm agrees", () => {
  fc.assert(
    fc.property(squareArb(1, 5, 1.5), (a) => {
      const x = be.from(a);
      const e = be.expm(x), einv = be.expm(be.scale(x, -1));
      const n = a.rows, norm = normInf(a);
      // ‖e^A e^−A − I‖ ≤ (rounding of both, amplified by ‖e^A‖‖e^−A‖ ≤ e^{2‖A‖}): 10·n·10^−d·e^{2‖A‖}.
      const r = residual(be.matmul(e, einv), be.identity(n));
      assertOk(r <= 10 * n * unit * Math.exp(2 * norm), `e^A e^-A residual ${r}`);
      // f64 scaling and squaring (Padé): normwise relative error O(n·u·‖A‖·e^{2‖A‖}/‖e^A‖) at worst.
      const f = f64Expm(a);
      const err = relativeError(f, be.toMatrix(e));
      assertOk(err <= 100 * n * U * (1 + norm) * Math.exp(2 * norm), `f64 expm vs Decimal ${err}`);
    }),
    { numRuns: numRuns(25), seed },
  );
});

Deno.test("solve: residual at the working precision, f64 within κ·n·u", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(matrixArb(n, n), matrixArb(n, 2))),
      ([a, b]) => {
        const s = f64Svd(a).s;
        const kappa = s[0] / s[s.length - 1];
        fc.pre(s[s.length - 1] > 1e-8 && kappa < 1e8); // far from overflow and from singular
        const x = be.solve(be.from(a), be.from(b));
        const r = residual(be.matmul(be.from(a), x), be.from(b));
        // Backward stability: ‖Ax − b‖ ≤ c·n·u‖A‖‖x‖; relative to ‖b‖ that is ≤ c·n·u·κ.
        assertOk(r <= 10 * a.rows * unit * kappa, `Decimal residual ${r} (κ = ${kappa})`);
        const err = relativeError(f64Solve(a, b), be.toMatrix(x));
        assertOk(err <= 10 * a.rows * U * kappa, `f64 solve vs Decimal ${err} (κ = ${kappa})`);
      },
    ),
    { numRuns: numRuns(40), seed },
  );
});

Deno.test("svd: singular values agree with f64 within Weyl's bound n·u·σ_max", () => {
  fc.assert(
    fc.property(
      fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).chain(([m, n]) =>
        matrixArb(m, n)
      ),
      (a) => {
        const d = be.toMatrix(be.svd(be.from(a)).s).data;
        const f = f64Svd(a).s;
        const tol = 10 * Math.max(a.rows, a.cols) * U * Math.max(d[0], 1e-300);
        d.forEach((x, k) => assertOk(Math.abs(x - f[k]) <= tol, `σ_${k}: ${x} vs ${f[k]}`));
      },
    ),
    { numRuns: numRuns(40), seed },
  );
});
