/**
 * Decimal SVD by one-sided (Hestenes) Jacobi and orthonormal completion of a basis, at the
 * working precision of a `DecimalContext`.
 *
 * @module
 */
import type { Decimal } from "../npm/decimal.ts";
import { AssumptionError, ConvergenceError, ShapeError } from "../errors.ts";
import type { Svd } from "./backend.ts";
import { type DecimalContext, DecimalMatrix } from "./decimal_context.ts";

/** Sweeps allowed before `svd` gives up (Jacobi converges quadratically: ~10 suffice). */
export const MAX_JACOBI_SWEEPS = 60;

type Column = Decimal[];

function dot(ctx: DecimalContext, x: Column, y: Column): Decimal {
  let s = new ctx.D(0);
  for (let i = 0; i < x.length; i++) s = s.plus(x[i].times(y[i]));
  return s;
}

function columnsOf(a: DecimalMatrix): Column[] {
  const cols: Column[] = [];
  for (let j = 0; j < a.cols; j++) {
    const c: Column = [];
    for (let i = 0; i < a.rows; i++) c.push(a.get(i, j));
    cols.push(c);
  }
  return cols;
}

function matrixOf(rows: number, cols: Column[]): DecimalMatrix {
  const data: Decimal[] = [];
  for (let i = 0; i < rows; i++) for (const c of cols) data.push(c[i]);
  return new DecimalMatrix(rows, cols.length, data);
}

/**
 * Extends the orthonormal columns `basis` (each of length `m`) by `count` more orthonormal
 * columns: at each step the unit vector `e_k` with the largest component outside the current
 * span is orthogonalised against it by Gram–Schmidt, twice ("twice is enough"), and normalised.
 */
function complete(ctx: DecimalContext, m: number, basis: Column[], count: number): Column[] {
  const all = basis.slice();
  const added: Column[] = [];
  for (let c = 0; c < count; c++) {
    let best = -1;
    let bestResidual = new ctx.D(-1);
    for (let k = 0; k < m; k++) { // ‖(I − QQᵀ) e_k‖² = 1 − Σ_j q_jk²
      let r = new ctx.D(1);
      for (const q of all) r = r.minus(q[k].times(q[k]));
      if (r.gt(bestResidual)) [best, bestResidual] = [k, r];
    }
    let v: Column = Array.from({ length: m }, (_, i) => new ctx.D(i === best ? 1 : 0));
    for (let pass = 0; pass < 2; pass++) {
      for (const q of all) {
        const h = dot(ctx, q, v);
        v = v.map((x, i) => x.minus(h.times(q[i])));
      }
    }
    const norm = dot(ctx, v, v).sqrt();
    v = v.map((x) => x.div(norm));
    all.push(v);
    added.push(v);
  }
  return added;
}

/**
 * For `q` (`m × r`) with orthonormal columns: an `m × (m − r)` matrix whose columns complete
 * them to an orthonormal basis of `R^m` (a basis of the orthogonal complement of `range q`).
 * The completion is not unique when `m − r ≥ 2`; formulas use it only through `q⊥ q⊥ᵀ` and
 * products that are invariant under the choice.
 */
export function orthComplement(ctx: DecimalContext, q: DecimalMatrix): DecimalMatrix {
  return matrixOf(q.rows, complete(ctx, q.rows, columnsOf(q), q.rows - q.cols));
}

/**
 * Sign convention shared with the f64 SVD (`asm/svd.ts`) and symmetric eigensolver: in every
 * column `v_j` the entry of largest magnitude is positive (the lowest index on ties); the paired
 * columns in `followers` (the SVD's `u_j`) are flipped with it, which leaves `U diag(s) Vᵀ`
 * unchanged. Works in place.
 */
function normaliseSigns(v: Column[], ...followers: Column[][]): void {
  for (let j = 0; j < v.length; j++) {
    let k = 0;
    for (let i = 1; i < v[j].length; i++) if (v[j][i].abs().gt(v[j][k].abs())) k = i;
    if (v[j][k].isNegative()) {
      for (const cols of [v, ...followers]) cols[j] = cols[j].map((x) => x.neg());
    }
  }
}

/**
 * One-sided Jacobi on the columns of a tall (`m ≥ n`) matrix: rotates column pairs until every
 * pair is orthogonal to working precision, `|a_pᵀ a_q| ≤ 10·m·10^−precision · ‖a_p‖ ‖a_q‖`.
 * Columns with `‖a_j‖ ≤ 10·m·10^−precision · ‖A‖_F` are negligible and not rotated.
 * Returns the orthogonalised columns `A V` and the accumulated rotations `V` (none when
 * `vectors` is false: the rotations of `A V` do not depend on them).
 * @throws {ConvergenceError} after `MAX_JACOBI_SWEEPS` sweeps
 */
function hestenes(
  ctx: DecimalContext,
  a: DecimalMatrix,
  vectors = true,
): { w: Column[]; v: Column[] } {
  const n = a.cols;
  const w = columnsOf(a);
  const v: Column[] = vectors
    ? Array.from(
      { length: n },
      (_, j) => Array.from({ length: n }, (_, i) => new ctx.D(i === j ? 1 : 0)),
    )
    : [];
  // Rounding in a length-m dot product is up to m·u·‖x‖‖y‖ (u = 10^−precision): a tighter test
  // could fail forever on noise. 10·m·u still leaves the requested digits 5 − log10(m) to spare.
  const tol = new ctx.D(10).pow(-ctx.precision).times(10 * a.rows);
  // A column whose norm is at rounding level of ‖A‖_F (a null direction of a rank-deficient A)
  // has no direction to orthogonalise: rotations would only stir its noise, so it is left alone.
  let frob2 = new ctx.D(0);
  for (const c of w) frob2 = frob2.plus(dot(ctx, c, c));
  const negligible = frob2.times(tol).times(tol);
  const one = new ctx.D(1);
  for (let sweep = 0; sweep < MAX_JACOBI_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const alpha = dot(ctx, w[p], w[p]);
        const beta = dot(ctx, w[q], w[q]);
        const gamma = dot(ctx, w[p], w[q]);
        if (gamma.isZero() || alpha.lte(negligible) || beta.lte(negligible)) continue;
        if (gamma.abs().lte(tol.times(alpha.times(beta).sqrt()))) continue;
        rotated = true;
        // Rutishauser's rotation: ζ = (β − α)/(2γ), t = sign ζ / (|ζ| + √(1 + ζ²)).
        const zeta = beta.minus(alpha).div(gamma.times(2));
        const t = one.div(zeta.abs().plus(one.plus(zeta.times(zeta)).sqrt()));
        const tan = zeta.isNegative() ? t.neg() : t;
        const c = one.div(one.plus(tan.times(tan)).sqrt());
        const s = c.times(tan);
        for (const m of vectors ? [w, v] : [w]) {
          const x = m[p], y = m[q];
          for (let i = 0; i < x.length; i++) {
            const xi = x[i], yi = y[i];
            x[i] = c.times(xi).minus(s.times(yi));
            y[i] = s.times(xi).plus(c.times(yi));
          }
        }
      }
    }
    if (!rotated) return { w, v };
  }
  throw new ConvergenceError(
    `decimal SVD: one-sided Jacobi did not converge in ${MAX_JACOBI_SWEEPS} sweeps ` +
      `at ${ctx.precision} digits`,
  );
}

/**
 * Compact SVD `a = U diag(s) Vᵀ` of an `m × n` matrix by one-sided Jacobi (on `aᵀ` when
 * `m < n`): `r = min(m, n)` singular values, descending; `U` (`m × r`) and `V` (`n × r`) with
 * orthonormal columns. Left vectors of singular values at most `r · 10^−digits · s_max` are
 * completed to an orthonormal set instead of normalising noise. Signs: see `normaliseSigns`.
 * @throws {ConvergenceError} if Jacobi does not converge
 */
export function svd(ctx: DecimalContext, a: DecimalMatrix): Svd<DecimalMatrix> {
  const wide = a.rows < a.cols;
  const tall = wide ? transposeOf(a) : a;
  const { w, v } = hestenes(ctx, tall);
  const m = tall.rows;
  const r = tall.cols;
  const { s, order } = sortedNorms(ctx, w);
  const vs = order.map((j) => v[j]);
  const floor = s.length === 0 ? new ctx.D(0) : ctx.eps.times(r).times(s[0]);
  const us: Column[] = [];
  for (let k = 0; k < r; k++) {
    if (s[k].gt(floor)) us.push(w[order[k]].map((x) => x.div(s[k])));
    else us.push(...complete(ctx, m, us, 1));
  }
  const [uCols, vCols] = wide ? [vs, us] : [us, vs];
  normaliseSigns(vCols, uCols);
  return {
    u: matrixOf(a.rows, uCols),
    s: new DecimalMatrix(r, 1, s),
    v: matrixOf(a.cols, vCols),
  };
}

/** The column norms of `w`, descending (ties in column order), and that order. */
function sortedNorms(ctx: DecimalContext, w: Column[]): { s: Decimal[]; order: number[] } {
  const sigma = w.map((c) => dot(ctx, c, c).sqrt());
  const order = sigma.map((_, j) => j).sort((i, j) => sigma[j].cmp(sigma[i]) || i - j);
  return { s: order.map((j) => sigma[j]), order };
}

/**
 * The singular values of `a` (`r × 1`, descending): the `s` of {@link svd}, the same numbers,
 * from the Jacobi sweeps alone (no rotations accumulated, no vectors formed).
 * @throws {ConvergenceError} if Jacobi does not converge
 */
export function singularValues(ctx: DecimalContext, a: DecimalMatrix): DecimalMatrix {
  const tall = a.rows < a.cols ? transposeOf(a) : a;
  const { s } = sortedNorms(ctx, hestenes(ctx, tall, false).w);
  return new DecimalMatrix(s.length, 1, s);
}

function transposeOf(a: DecimalMatrix): DecimalMatrix {
  const data: Decimal[] = [];
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) data.push(a.get(i, j));
  return new DecimalMatrix(a.cols, a.rows, data);
}

/** An eigendecomposition `A = V diag(values) Vᵀ` in Decimal. */
export interface DecimalSymmetricEigen {
  /** `n × 1` eigenvalues, ascending. */
  values: DecimalMatrix;
  /** `n × n` orthonormal eigenvectors as columns (column `j` belongs to `values[j]`). */
  vectors: DecimalMatrix;
}

/**
 * Symmetric eigendecomposition `a = V diag(λ) Vᵀ` by the cyclic Jacobi method to working
 * precision: sweeps of rotations (Rutishauser's formulas, as the f64 kernel `asm/eigen.ts`) until
 * every `|a_pq| ≤ 10·n·10^−precision · ‖A‖_F`. `λ` ascending; sign convention of the f64
 * `symmetricEigen`: the entry of largest magnitude of each eigenvector is positive (lowest index
 * on ties).
 * @throws {ShapeError} unless `a` is square
 * @throws {AssumptionError} when `max|a_ij − a_ji| > n · 10^−digits · max|a_ij|`
 * @throws {ConvergenceError} after `MAX_JACOBI_SWEEPS` sweeps
 */
export function symmetricEigen(ctx: DecimalContext, a: DecimalMatrix): DecimalSymmetricEigen {
  const n = a.rows;
  if (a.cols !== n) {
    throw new ShapeError(`symmetric eigen: matrix is ${a.rows}×${a.cols}, not square`);
  }
  let big = new ctx.D(0), asym = new ctx.D(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (a.get(i, j).abs().gt(big)) big = a.get(i, j).abs();
      const d = a.get(i, j).minus(a.get(j, i)).abs();
      if (d.gt(asym)) asym = d;
    }
  }
  const symTol = ctx.eps.times(n).times(big);
  if (asym.gt(symTol)) {
    throw new AssumptionError(
      "symmetric input",
      asym.toNumber(),
      symTol.toNumber(),
      "max|a_ij − a_ji| of the matrix given to the symmetric eigensolver",
    );
  }
  const m: Decimal[][] = Array.from(
    { length: n },
    (_, i) => Array.from({ length: n }, (_, j) => a.get(i, j)),
  );
  const v: Decimal[][] = Array.from(
    { length: n },
    (_, i) => Array.from({ length: n }, (_, j) => new ctx.D(i === j ? 1 : 0)),
  );
  let frob2 = new ctx.D(0);
  for (const row of m) for (const x of row) frob2 = frob2.plus(x.times(x));
  const tol = new ctx.D(10).pow(-ctx.precision).times(10 * n).times(frob2.sqrt());
  const one = new ctx.D(1);
  let converged = false;
  for (let sweep = 0; sweep < MAX_JACOBI_SWEEPS && !converged; sweep++) {
    converged = true;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p][q];
        if (apq.abs().lte(tol)) continue;
        converged = false;
        const tau = m[q][q].minus(m[p][p]).div(apq.times(2));
        const t0 = one.div(tau.abs().plus(one.plus(tau.times(tau)).sqrt()));
        const t = tau.isNegative() ? t0.neg() : t0;
        const c = one.div(one.plus(t.times(t)).sqrt()), s = c.times(t);
        const rotate = (x: Decimal, y: Decimal): [Decimal, Decimal] => [
          c.times(x).minus(s.times(y)),
          s.times(x).plus(c.times(y)),
        ];
        for (let k = 0; k < n; k++) [m[k][p], m[k][q]] = rotate(m[k][p], m[k][q]);
        for (let k = 0; k < n; k++) [m[p][k], m[q][k]] = rotate(m[p][k], m[q][k]);
        for (let k = 0; k < n; k++) [v[k][p], v[k][q]] = rotate(v[k][p], v[k][q]);
      }
    }
  }
  if (!converged) {
    throw new ConvergenceError(
      `decimal symmetric eigen: Jacobi did not converge in ${MAX_JACOBI_SWEEPS} sweeps ` +
        `at ${ctx.precision} digits`,
    );
  }
  const order = m.map((_, j) => j).sort((i, j) => m[i][i].cmp(m[j][j]) || i - j);
  const cols: Column[] = order.map((j) => v.map((row) => row[j]));
  normaliseSigns(cols);
  return {
    values: new DecimalMatrix(n, 1, order.map((j) => m[j][j])),
    vectors: matrixOf(n, cols),
  };
}
