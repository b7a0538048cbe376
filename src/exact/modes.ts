/**
 * The time-independent quantities of Theorem 3.1 and the B-free form (MATH.md): compact SVDs
 * `W2W1(0) = U S Vᵀ`, `Σyx = Ũ S̃ Ṽᵀ`, and
 *
 *   B = UᵀŨ + VᵀṼ,   C = UᵀŨ − VᵀṼ,   D = VᵀṼ⊥Ṽ⊥ᵀV + UᵀŨ⊥Ũ⊥ᵀU,
 *
 * plus the stacked blocks the `Z` factors are built from. `Ṽ⊥Ṽ⊥ᵀ = I − ṼṼᵀ` and
 * `Ũ⊥Ũ⊥ᵀ = I − ŨŨᵀ` are used as projectors; the one that is structurally zero (`Ni = Nm` or
 * `No = Nm`) is left out, so `D = 0` and the `Ṽ⊥`/`Ũ⊥` terms vanish exactly when `Ni = No`.
 *
 * @module
 */
import type { Backend } from "../linalg/backend.ts";
import type { Dims, ExactInputs } from "./assumptions.ts";

/** Handles of the time-independent quantities (all in backend storage). */
export interface Modes<M> {
  dims: Dims;
  /** `S` of `W2W1(0)`, `Nm × 1`. */
  s: M;
  /** `S̃` of `Σyx`, `Nm × 1`, descending. */
  st: M;
  /** `Nm × Nm`. */
  b: M;
  /** `Nm × Nm`. */
  c: M;
  /** `Nm × Nm` symmetric, or `undefined` when `Ni = No` (then `D = 0`). */
  d: M | undefined;
  /** `[Ṽ; Ũ]`, `(Ni+No) × Nm`. */
  zSum: M;
  /** `[−Ṽ; Ũ]`, `(Ni+No) × Nm`. */
  zDiff: M;
  /** `[2 Ṽ⊥Ṽ⊥ᵀ V; 2 Ũ⊥Ũ⊥ᵀ U]`, `(Ni+No) × Nm`, or `undefined` when `Ni = No`. */
  zPerp: M | undefined;
}

/**
 * Computes {@link Modes} for checked inputs (see `checkAssumptions`). Handles are allocated in
 * the caller's scope.
 */
export function computeModes<M>(be: Backend<M>, inp: ExactInputs, dims: Dims): Modes<M> {
  const { ni, no, nm } = dims;
  const task = be.svd(be.from(inp.sigmaYX));
  const init = be.svd(be.matmul(be.from(inp.w2), be.from(inp.w1)));
  const utu = be.matmul(init.u, task.u, true, false);
  const vtv = be.matmul(init.v, task.v, true, false);
  const b = be.add(utu, vtv), c = be.sub(utu, vtv);
  // Ṽ⊥Ṽ⊥ᵀ V = (I − ṼṼᵀ) V when Ni > Nm; Ũ⊥Ũ⊥ᵀ U likewise when No > Nm.
  const perp = (basis: M, x: M) => be.sub(x, be.matmul(basis, be.matmul(basis, x, true, false)));
  const pv = ni > nm ? perp(task.v, init.v) : undefined;
  const pu = no > nm ? perp(task.u, init.u) : undefined;
  let d: M | undefined, zPerp: M | undefined;
  if (pv || pu) {
    // Ṽ⊥Ṽ⊥ᵀ is a projector, so VᵀṼ⊥Ṽ⊥ᵀV = (Ṽ⊥Ṽ⊥ᵀV)ᵀ(Ṽ⊥Ṽ⊥ᵀV): symmetric by construction.
    d = pv ? be.matmul(pv, pv, true, false) : be.matmul(pu!, pu!, true, false);
    zPerp = be.scale(
      be.vstack([pv ?? be.zeros(ni, nm), pu ?? be.zeros(no, nm)]),
      2,
    );
  }
  return {
    dims,
    s: init.s,
    st: task.s,
    b,
    c,
    d,
    zSum: be.vstack([task.v, task.u]),
    zDiff: be.vstack([be.scale(task.v, -1), task.u]),
    zPerp,
  };
}
