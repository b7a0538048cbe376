/** The seeded generator: reproducibility, moments of the normal draw, Haar orthonormal draws. */
import { assertClose, assertEquals, assertOk, assertThrows } from "./assert.ts";
import { deriveSeed, Random } from "../src/random.ts";
import { InputError } from "../src/errors.ts";
import { Matrix } from "../src/matrix.ts";

Deno.test("one seed reproduces every draw; different seeds differ", () => {
  const draw = (seed: number) => {
    const r = new Random(seed);
    return [r.uniform(), r.normal(), ...r.gaussianMatrix(2, 3).data, ...r.orthonormal(3, 2).data];
  };
  assertEquals(draw(5), draw(5));
  assertOk(draw(5)[0] !== draw(6)[0]);
  assertThrows(() => new Random(1.5), InputError, "integer");
});

Deno.test("uniform in [0, 1) and normal with mean 0, variance 1", () => {
  const r = new Random(1);
  const n = 40000;
  let s = 0, s2 = 0, umin = 1, umax = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    umin = Math.min(umin, u);
    umax = Math.max(umax, u);
    const z = r.normal();
    s += z;
    s2 += z * z;
  }
  assertOk(umin >= 0 && umax < 1);
  // Standard errors: mean 1/√n = 0.005, variance √(2/n) = 0.007; 5 standard errors.
  assertClose(s / n, 0, 0.025, "normal mean");
  assertClose(s2 / n, 1, 0.035, "normal variance");
});

Deno.test("orthonormal: QᵀQ = I to rounding, Haar moments E[q11²] = 1/n", () => {
  const r = new Random(2);
  const q = r.orthonormal(7, 4);
  const qtq = Matrix.fromFunction(4, 4, (i, j) => {
    let s = 0;
    for (let k = 0; k < 7; k++) s += q.get(k, i) * q.get(k, j);
    return s;
  });
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) assertClose(qtq.get(i, j), i === j ? 1 : 0, 1e-14, "QᵀQ");
  }
  // For Haar Q (n = 4), q11² ~ Beta(½, 3/2): mean 1/4, variance 1/16, so with 3000 draws the
  // standard error is 0.0046 (q11: mean 0, SE 0.009); tolerances are ~4.4 standard errors.
  let m = 0, mq = 0;
  const n = 3000;
  for (let i = 0; i < n; i++) {
    const o = r.orthonormal(4, 4);
    m += o.get(0, 0) ** 2;
    mq += o.get(0, 0);
  }
  assertClose(m / n, 0.25, 0.02, "E[q11²]");
  assertClose(mq / n, 0, 0.04, "E[q11]");
  assertThrows(() => r.orthonormal(2, 3), InputError, "rows");
});

Deno.test("neighbouring seeds give independent first draws; derived seeds are distinct", () => {
  // First uniform draw of seeds 0..n−1: for independent U(0,1) draws the mean has standard error
  // 0.289/√n and the lag-1 correlation 1/√n; both are checked at 5 standard errors. Seeding
  // xoroshiro128+ with the raw seed fails both (its first draws of neighbouring seeds are nearly
  // equal).
  const n = 2000;
  const u = Array.from({ length: n }, (_, seed) => new Random(seed).uniform());
  const mean = u.reduce((a, b) => a + b, 0) / n;
  let cov = 0, variance = 0;
  for (let i = 0; i < n; i++) {
    variance += (u[i] - mean) ** 2;
    if (i + 1 < n) cov += (u[i] - mean) * (u[i + 1] - mean);
  }
  assertClose(mean, 0.5, 5 * 0.289 / Math.sqrt(n), "mean of first draws");
  assertClose(cov / variance, 0, 5 / Math.sqrt(n), "lag-1 correlation of first draws");
  const seeds = Array.from({ length: 1000 }, (_, i) => deriveSeed(7, i));
  assertEquals(new Set(seeds).size, 1000);
});
