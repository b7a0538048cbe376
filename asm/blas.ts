/**
 * C = alpha * op(A) * op(B) + beta * C, row-major; op(A) is m×k, op(B) is k×n.
 * transA/transB != 0 read A (k×m) / B (n×k) transposed.
 */
export function gemm(
  transA: i32,
  transB: i32,
  m: i32,
  n: i32,
  k: i32,
  alpha: f64,
  a: usize,
  b: usize,
  beta: f64,
  c: usize,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0.0;
      for (let p = 0; p < k; p++) {
        const aip = load<f64>(a + ((transA ? <usize> (p * m + i) : <usize> (i * k + p)) << 3));
        const bpj = load<f64>(b + ((transB ? <usize> (j * k + p) : <usize> (p * n + j)) << 3));
        s += aip * bpj;
      }
      const cp = c + (<usize> (i * n + j) << 3);
      store<f64>(cp, alpha * s + (beta == 0 ? 0 : beta * load<f64>(cp)));
    }
  }
}
