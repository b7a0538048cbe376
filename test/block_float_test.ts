/**
 * Block floating point (BigInt mantissas, shared exponent): bit lengths, rounding to the kept
 * bits, products and combinations against exact rational arithmetic.
 */
import { Decimal } from "decimal.js";
import {
  bitLength,
  blockCombination,
  blockIdentity,
  blockMatmul,
  fromDecimals,
  normalise,
  reciprocal,
  toDecimals,
} from "../src/linalg/block_float.ts";
import { assertEquals, assertOk } from "./assert.ts";

const D = Decimal.clone({ defaults: true, precision: 80 });

Deno.test("bitLength counts the bits of |x|", () => {
  assertEquals([0n, 1n, 2n, 3n, 255n, 256n, -256n].map(bitLength), [0, 1, 2, 2, 8, 9, 9]);
  assertEquals(bitLength(1n << 1000n), 1001);
});

Deno.test("normalise rounds to nearest and keeps the value", () => {
  // 0b1011 = 11 kept to 3 bits: 11/2 = 5.5 rounds away from zero to 6, exponent +1 → 12.
  const r = normalise([11n, -11n, 1n], 0, 1, 3);
  assertEquals(r.mant, [6n, -6n, 1n]);
  assertEquals(r.exp, 1);
  assertEquals(normalise([5n], -2, 1, 8), { n: 1, mant: [5n], exp: -2 });
});

Deno.test("products and combinations are exact up to one rounding to the kept bits", () => {
  const bits = 200;
  const a = [1.5, -0.25, 3, 0.125].map((x) => new D(x));
  const b = [2, 1, -1, 0.5].map((x) => new D(x));
  const ab = toDecimals(blockMatmul(fromDecimals(a, 2, bits), fromDecimals(b, 2, bits), bits), D);
  assertEquals(ab.map((x) => x.toNumber()), [3.25, 1.375, 5.875, 3.0625]); // exact dyadics
  const third = reciprocal(3n, bits);
  const id = blockIdentity(2, bits);
  const c = toDecimals(blockCombination([{ m: id, ...third }, { m: id, cm: 1n, ce: 0 }], bits), D);
  // 1/3 + 1 = 4/3 with a 200-bit mantissa: relative error ≤ 2^-199 ≈ 1.2e-60.
  const err = c[0].minus(new D(4).div(3)).abs().div(new D(4).div(3)).toNumber();
  assertOk(err <= 2 ** -199, `4/3 to 200 bits: ${err}`);
  assertOk(c[1].isZero(), "off-diagonal stays exactly zero");
});
