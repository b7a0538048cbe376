/**
 * Eq. 5, Fukumizu's form, exactly as printed (the naive baseline; needs `Ni = No`):
 *
 *   QQᵀ(t) = e^{Ft/τ} Q0 [ I + ½ Q0ᵀ (e^{Ft/τ} F⁻¹ e^{Ft/τ} − F⁻¹) Q0 ]⁻¹ Q0ᵀ e^{Ft/τ},
 *
 * `F = [[0, Σyxᵀ], [Σyx, 0]]`, `Q0 = [W1(0)ᵀ; W2(0)]`. `F⁻¹` is formed once (LU), `e^{Ft/τ}` is a
 * general matrix exponential per time, and the bracket is solved by LU. It contains the growing
 * exponential `e^{s̃_max t/τ}`; in f64 it loses accuracy as `t` grows and eventually overflows
 * (measured in test/exact_fukumizu_test.ts). Use it to study that breakdown, or in high
 * precision.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Dims, ExactInputs } from "./assumptions.ts";
import type { ExactSolution } from "./solution.ts";
import { DlnError, InputError } from "../errors.ts";
import { fukumizuError, unitRoundoff } from "./error_estimate.ts";
import { eq5Conditioning, eq5DigitsLost } from "../precision.ts";

/**
 * Prepares Eq. 5 for checked inputs with `Ni = No` (see `checkSquare`).
 * @throws {SingularMatrixError} when `F` is singular (rank-deficient `Σyx`)
 */
export function fukumizuSolution<M>(
  be: Backend<M>,
  inp: ExactInputs,
  dims: Dims,
  reason = "Eq. 5 (Fukumizu's form, as printed)",
  warnings: string[] = [],
): ExactSolution<M> {
  const { ni, nh, no } = dims;
  const syx = be.from(inp.sigmaYX);
  const f = be.vstack([
    be.hstack([be.zeros(ni, ni), be.transpose(syx)]),
    be.hstack([syx, be.zeros(no, no)]),
  ]);
  const finv = be.inverse(f);
  const q0 = be.vstack([be.transpose(be.from(inp.w1)), be.from(inp.w2)]);
  const eye = be.identity(nh);
  const u = unitRoundoff(be), cond = eq5Conditioning(inp);
  return {
    method: "fukumizu",
    reason,
    warnings,
    dims,
    errorAt: (x) => fukumizuError(u, eq5DigitsLost(cond, x), cond.sMax, x),
    at(x: number): M {
      try {
        const ex = be.expm(be.scale(f, x));
        const mid = be.sub(be.matmul(ex, be.matmul(finv, ex)), finv);
        const bracket = be.add(
          eye,
          be.scale(be.matmul(q0, be.matmul(mid, q0), true, false), 0.5),
        );
        const left = be.matmul(ex, q0);
        return be.matmul(left, be.solve(bracket, be.transpose(left)));
      } catch (e) {
        if (!(e instanceof DlnError)) throw e;
        // Overflow (NaN entries) or a bracket singular at the working precision.
        const growth = (2 * cond.sMax * x) / Math.LN10;
        throw new InputError(
          `Eq. 5 cannot be evaluated at t/τ = ${x.toPrecision(4)} in ${be.name}: its growing ` +
            `exponentials reach e^{2 s̃_max t/τ} = 1e${growth.toFixed(0)}, beyond its range or ` +
            `precision; use method "auto" (no growing exponentials) or more "digits"`,
        );
      }
    },
  };
}
