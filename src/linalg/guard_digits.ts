/**
 * The decimal backend's guard digits, in a module of their own so that the precision rule
 * (`src/precision.ts`) can use the number without loading decimal.js (start-up of `solve`).
 *
 * @module
 */

/**
 * Guard digits carried beyond the requested working precision. Rule: the dense kernels used by
 * the exact formulas (products, LU, Cholesky, Jacobi on matrices of order ≤ ~30) lose at most
 * `log10(n) + log10(growth)` ≈ 2–4 digits to rounding; 6 guard digits keep the requested digits
 * clean of that loss. Cancellation inherent to a formula (Eq. 5 at large `t`) is not covered by
 * guard digits: that is what the precision rule in `src/precision.ts` is for. `expm` adds its
 * own `s·log10 2` digits for the `s` squarings (see `decimal_expm.ts`).
 */
export const GUARD_DIGITS = 6;
