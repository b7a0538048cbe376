/**
 * Assumption checks at the boundary of the exact solutions (MATH.md; paper Assumptions 2.1–2.4
 * and 3.1). Each check measures a deviation and throws a typed error naming the assumption, the
 * measured value and the tolerance.
 *
 * Default tolerances ({@link DEFAULT_TOLERANCES}) and why:
 * - whitened `max|Σxx − I| ≤ 1e-9` and zero-balanced (relative) `≤ 1e-9`: the exact solutions'
 *   error is first order in either deviation (the flow's right-hand side changes by that much), so
 *   the tolerance is the accuracy the library promises against gradient flow (tests: ≤ 1e-9).
 *   Inputs prepared in f64 (whitening by a Cholesky factor, balanced init by an SVD) reach 1e-13.
 * - full rank: `σ_max/σ_min ≤ 1e13` for `Σyx` and for `W2W1(0)`. The formulas use `S⁻¹`; with
 *   condition κ the f64 result loses about `log10 κ` digits, which the error estimates report
 *   and `auto` makes up for in decimal arithmetic (`error_estimate.ts`); at 1e13 the f64
 *   measurement of `σ_min` (absolute error ≈ `ε·σ_max`) still has 2 correct digits, above it the
 *   matrix is treated as rank-deficient, where the theorem does not apply.
 * - `B` non-singular (Theorem 3.1 only): `2/σ_min(B) ≤ 1e8` ({@link bCondition}). The stable form multiplies by `B⁻¹`
 *   on both sides, so its relative error is about `cond(B)²·ε` (measured: `7e-17·cond(B)²`).
 *   Above 1e8 `B` counts as singular (Assumption 3.1 fails); below it a requested `stable` form
 *   is still refused when fewer than 4 digits are expected (cond(B) above about 1e6), and `auto`
 *   switches to the stable B-free form from 100 on.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Matrix } from "../matrix.ts";
import { AssumptionError, InputError, ShapeError } from "../errors.ts";

/** Tolerances of the assumption checks. */
export interface Tolerances {
  /** Largest accepted `max|Σxx − I|` (Assumption 2.2). */
  whitened: number;
  /** Largest accepted `max|W1W1ᵀ − W2ᵀW2| / max(max|W1W1ᵀ|, max|W2ᵀW2|)` (Assumption 2.3). */
  balanced: number;
  /** Largest accepted condition number `σ_max/σ_min` of `Σyx` and of `W2W1(0)` (2.4). */
  rankCondition: number;
  /** Largest `2/σ_min(B)` (see {@link bCondition}) Theorem 3.1 accepts (Assumption 3.1). */
  bCondition: number;
}

/** Default tolerances; see the module documentation for the reasoning. */
export const DEFAULT_TOLERANCES: Readonly<Tolerances> = Object.freeze({
  whitened: 1e-9,
  balanced: 1e-9,
  rankCondition: 1e13,
  bCondition: 1e8,
});

/** The inputs every exact solution starts from. */
export interface ExactInputs {
  /** `Σyx`, `No × Ni`. */
  sigmaYX: Matrix;
  /** `Σxx`, `Ni × Ni` (must be the identity within tolerance). */
  sigmaXX: Matrix;
  /** `W1(0)`, `Nh × Ni`. */
  w1: Matrix;
  /** `W2(0)`, `No × Nh`. */
  w2: Matrix;
}

/** Dimensions of a problem. */
export interface Dims {
  /** `Ni`, input dimension: columns of `W1` and of `Σyx`. */
  ni: number;
  /** `Nh`, hidden width: rows of `W1`, columns of `W2`. */
  nh: number;
  /** `No`, output dimension: rows of `W2` and of `Σyx`. */
  no: number;
  /** `Nm = min(Ni, No)`. */
  nm: number;
}

/**
 * Checks shapes (`Σyx` `No × Ni`, `Σxx` `Ni × Ni`, `W1` `Nh × Ni`, `W2` `No × Nh`, all
 * non-empty) and finiteness, and returns the dimensions.
 * @throws {ShapeError} naming expected and actual shapes
 * @throws {NonFiniteError} naming the first non-finite entry
 */
export function checkShapes(inp: ExactInputs): Dims {
  const { sigmaYX, sigmaXX, w1, w2 } = inp;
  const no = sigmaYX.rows, ni = sigmaYX.cols, nh = w1.rows;
  if (no === 0 || ni === 0) throw new ShapeError(`Σyx is ${no}×${ni}; it must be non-empty`);
  if (nh === 0) throw new ShapeError("W1 has no rows: the network needs Nh ≥ 1 hidden units");
  const expect = (m: Matrix, r: number, c: number, name: string) => {
    if (m.rows !== r || m.cols !== c) {
      throw new ShapeError(`${name} is ${m.rows}×${m.cols}, expected ${r}×${c}`);
    }
  };
  expect(sigmaXX, ni, ni, "Σxx");
  expect(w1, nh, ni, "W1");
  expect(w2, no, nh, "W2");
  sigmaYX.assertFinite("Σyx");
  sigmaXX.assertFinite("Σxx");
  w1.assertFinite("W1");
  w2.assertFinite("W2");
  checkMagnitudes(inp);
  return { ni, nh, no, nm: Math.min(ni, no) };
}

/**
 * The range of magnitudes the exact solutions accept: `max|Σyx|` and `max|W1|·max|W2|` (the
 * scale of `QQᵀ`) within `[1e-140, 1e140]`, so that `QQᵀ`, its squares in the loss
 * (`½‖W2W1 − Σyx‖²`) and every intermediate stay inside f64's range (`2.2e-308 … 1.8e308`).
 */
export const MAGNITUDE_RANGE = [1e-140, 1e140] as const;

/**
 * Checks {@link MAGNITUDE_RANGE}. Non-zero inputs outside it get one error naming the
 * magnitude and the rescaling that brings the problem back: gradient flow satisfies
 * `QQᵀ(t; cΣyx, √c W) = c·QQᵀ(ct; Σyx, W)`.
 * @throws {InputError} naming the input and its magnitude
 */
export function checkMagnitudes(inp: ExactInputs): void {
  const max = (m: Matrix) => m.data.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
  const [lo, hi] = MAGNITUDE_RANGE;
  const check = (log10: number, what: string) => {
    if (log10 !== -Infinity && !(log10 >= Math.log10(lo) && log10 <= Math.log10(hi))) {
      const value = 10 ** (log10 - Math.floor(log10));
      throw new InputError(
        `magnitude: ${what} = ${value.toFixed(2)}e${Math.floor(log10)} is outside ` +
          `[${lo.toExponential(0)}, ` +
          `${hi.toExponential(0)}], beyond which QQᵀ or the loss leave the f64 range; rescale ` +
          "(QQᵀ(t; c·Σyx, √c·W1, √c·W2) = c·QQᵀ(c·t; Σyx, W1, W2))",
      );
    }
  };
  // In log10, so that a product beyond f64's range is still reported by its size.
  check(Math.log10(max(inp.sigmaYX)), "max|Σyx|");
  check(Math.log10(max(inp.w1)) + Math.log10(max(inp.w2)), "max|W1|·max|W2| (the scale of QQᵀ)");
}

/**
 * Assumption 2.1 `Ni = No` (Eq. 5 and Theorem 5.1).
 * @throws {ShapeError} when `Ni ≠ No`
 */
export function checkSquare(d: Dims, what: string): void {
  if (d.ni !== d.no) {
    throw new ShapeError(
      `assumption 2.1 violated: ${what} needs Ni = No, got Ni = ${d.ni}, No = ${d.no}`,
    );
  }
}

/** `σ_max / σ_min` of `a` from its singular values (Infinity when `σ_min = 0`). */
export function conditionNumber<M>(be: Backend<M>, a: M): number {
  return be.scoped(() => {
    const s = be.toMatrix(be.singularValues(a)).data;
    const max = s[0], min = s[s.length - 1];
    return max === 0 ? Infinity : max / min;
  });
}

/**
 * The conditioning of `B = UᵀŨ + VᵀṼ` that matters to Theorem 3.1: `2 / σ_min(B)` (Infinity when
 * singular). `‖B‖₂ ≤ 2` always (a sum of two products of orthonormal bases; `B = 2I` when the
 * init is aligned with the task), so this is `cond(B)` measured against that bound; unlike
 * `σ_max/σ_min` it also sees a 1×1 `B` that is zero up to rounding.
 */
export function bCondition<M>(be: Backend<M>, b: M): number {
  return be.scoped(() => {
    const s = be.toMatrix(be.singularValues(b)).data;
    const min = s[s.length - 1];
    return min === 0 ? Infinity : 2 / min;
  });
}

/**
 * Checks Assumption 2.2, whitened inputs (`max|Σxx − I| ≤ tol.whitened`), which every exact
 * form shares whatever balance it assumes.
 * @throws {AssumptionError} naming the assumption, measured value and tolerance
 */
export function checkWhitened<M>(be: Backend<M>, inp: ExactInputs, tol: Tolerances): void {
  be.scoped(() => {
    const dev = be.maxAbs(be.sub(be.from(inp.sigmaXX), be.identity(inp.sigmaXX.rows)));
    if (!(dev <= tol.whitened)) {
      throw new AssumptionError("2.2 whitened inputs", dev, tol.whitened, "max|Σxx − I|");
    }
  });
}

/**
 * Checks Assumption 2.4's full rank: `σ_max/σ_min ≤ tol.rankCondition` for `Σyx` and `W2W1(0)`.
 * @throws {AssumptionError} naming the assumption, measured value and tolerance
 */
export function checkFullRank<M>(be: Backend<M>, inp: ExactInputs, tol: Tolerances): void {
  be.scoped(() => {
    const cy = conditionNumber(be, be.from(inp.sigmaYX));
    if (!(cy <= tol.rankCondition)) {
      throw new AssumptionError("2.4 full rank", cy, tol.rankCondition, "σ_max/σ_min of Σyx");
    }
    const cw = conditionNumber(be, be.matmul(be.from(inp.w2), be.from(inp.w1)));
    if (!(cw <= tol.rankCondition)) {
      throw new AssumptionError("2.4 full rank", cw, tol.rankCondition, "σ_max/σ_min of W2W1(0)");
    }
  });
}

/**
 * Relative imbalance `max|W1W1ᵀ − W2ᵀW2| / max(max|W1W1ᵀ|, max|W2ᵀW2|)` (0 for zero weights),
 * computed in the backend's arithmetic.
 */
export function measureImbalance<M>(be: Backend<M>, w1: Matrix, w2: Matrix): number {
  return be.scoped(() => {
    const a = be.from(w1), b = be.from(w2);
    const g1 = be.matmul(a, a, false, true), g2 = be.matmul(b, b, true, false);
    const scale = Math.max(be.maxAbs(g1), be.maxAbs(g2));
    return scale === 0 ? 0 : be.maxAbs(be.sub(g1, g2)) / scale;
  });
}

/**
 * Checks Assumptions 2.2 (whitened), 2.3 (zero-balanced), 2.4 (`Nh ≥ Nm`, full rank of `Σyx`
 * and `W2W1(0)`) plus shapes and finiteness, and returns the dimensions.
 * @throws {ShapeError} on inconsistent shapes or a bottlenecked network (`Nh < Nm`)
 * @throws {NonFiniteError} on NaN or ±Infinity in any input
 * @throws {AssumptionError} naming the violated assumption, measured value and tolerance
 */
export function checkAssumptions<M>(
  be: Backend<M>,
  inp: ExactInputs,
  tol: Tolerances = DEFAULT_TOLERANCES,
): Dims {
  const d = checkShapes(inp);
  if (d.nh < d.nm) {
    throw new ShapeError(
      `assumption 2.4 violated: Nh = ${d.nh} hidden units < Nm = min(Ni, No) = ${d.nm} ` +
        "(bottlenecked network)",
    );
  }
  checkWhitened(be, inp, tol);
  const imbalance = measureImbalance(be, inp.w1, inp.w2);
  if (!(imbalance <= tol.balanced)) {
    throw new AssumptionError(
      "2.3 zero-balanced init",
      imbalance,
      tol.balanced,
      "max|W1W1ᵀ − W2ᵀW2| / max(max|W1W1ᵀ|, max|W2ᵀW2|)",
    );
  }
  checkFullRank(be, inp, tol);
  return d;
}
