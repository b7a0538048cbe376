// Elementwise kernels on f64 buffers of n entries (matrices are flat row-major buffers), and
// diagonal scalings. `out` may equal an input.

/** out = a + b. */
export function add(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(out + o, f64x2.add(v128.load(a + o), v128.load(b + o)));
  }
  if (i < n) {
    const o = <usize> i << 3;
    store<f64>(out + o, load<f64>(a + o) + load<f64>(b + o));
  }
}

/** out = a − b. */
export function sub(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(out + o, f64x2.sub(v128.load(a + o), v128.load(b + o)));
  }
  if (i < n) {
    const o = <usize> i << 3;
    store<f64>(out + o, load<f64>(a + o) - load<f64>(b + o));
  }
}

/** out = a ∘ b (Hadamard product). */
export function hadamard(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(out + o, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  if (i < n) {
    const o = <usize> i << 3;
    store<f64>(out + o, load<f64>(a + o) * load<f64>(b + o));
  }
}

/** out = a ⊘ b (elementwise quotient, IEEE semantics for zeros). */
export function divide(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize> i << 3;
    v128.store(out + o, f64x2.div(v128.load(a + o), v128.load(b + o)));
  }
  if (i < n) {
    const o = <usize> i << 3;
    store<f64>(out + o, load<f64>(a + o) / load<f64>(b + o));
  }
}

/** out_i = exp(c·a_i). */
export function expScaled(n: i32, c: f64, a: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize> i << 3;
    store<f64>(out + o, Math.exp(c * load<f64>(a + o)));
  }
}

/** out_i = exp(c·a_i) − 1, accurate when c·a_i is small. */
export function expm1Scaled(n: i32, c: f64, a: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const o = <usize> i << 3;
    store<f64>(out + o, Math.expm1(c * load<f64>(a + o)));
  }
}

/** out = diag(v)·a: row i of the m×n matrix a scaled by v_i. */
export function scaleRows(m: i32, n: i32, v: usize, a: usize, out: usize): void {
  for (let i = 0; i < m; i++) {
    const vi = f64x2.splat(load<f64>(v + (<usize> i << 3)));
    const row = <usize> (i * n) << 3;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = row + (<usize> j << 3);
      v128.store(out + o, f64x2.mul(vi, v128.load(a + o)));
    }
    if (j < n) {
      const o = row + (<usize> j << 3);
      store<f64>(out + o, f64x2.extract_lane(vi, 0) * load<f64>(a + o));
    }
  }
}

/** out = a·diag(v): column j of the m×n matrix a scaled by v_j. */
export function scaleCols(m: i32, n: i32, a: usize, v: usize, out: usize): void {
  for (let i = 0; i < m; i++) {
    const row = <usize> (i * n) << 3;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize> j << 3;
      v128.store(out + row + o, f64x2.mul(v128.load(v + o), v128.load(a + row + o)));
    }
    if (j < n) {
      const o = <usize> j << 3;
      store<f64>(out + row + o, load<f64>(v + o) * load<f64>(a + row + o));
    }
  }
}

/** out = diag(u)·a·diag(v): entry (i, j) of the m×n matrix a scaled by u_i, then by v_j. */
export function scaleRowsCols(m: i32, n: i32, u: usize, a: usize, v: usize, out: usize): void {
  for (let i = 0; i < m; i++) {
    const ui = f64x2.splat(load<f64>(u + (<usize> i << 3)));
    const row = <usize> (i * n) << 3;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize> j << 3;
      const x = f64x2.mul(ui, v128.load(a + row + o));
      v128.store(out + row + o, f64x2.mul(v128.load(v + o), x));
    }
    if (j < n) {
      const o = <usize> j << 3;
      store<f64>(
        out + row + o,
        load<f64>(v + o) * (f64x2.extract_lane(ui, 0) * load<f64>(a + row + o)),
      );
    }
  }
}
