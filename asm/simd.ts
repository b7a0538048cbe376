// SIMD helpers shared by the kernels. Not re-exported from index.ts: building blocks, not WASM
// exports (small enough that binaryen -O3 inlines them; `deno fmt` drops `@inline` decorators).

/**
 * `a·b + c` on f64x2 lanes: fused (one rounding) where relaxed SIMD is enabled at build time
 * (scripts/build.ts) and the CPU has FMA, otherwise a multiply and an add. The last bit of a
 * result may therefore differ between machines, never between runs on one machine.
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(f64x2.mul(a, b), c);
}
