import { assertEquals } from "./assert.ts";
import { core } from "../src/wasm/core.ts";
import { Matrix } from "../src/matrix.ts";

Deno.test("WASM arena: put, read, scoped release", () => {
  const c = core();
  const before = c.mark();
  const a = Matrix.from([[1, 2], [3, 4]]);
  const back = c.scoped(() => c.read(c.put(a), 2, 2));
  assertEquals(back.toArray(), a.toArray());
  assertEquals(c.mark(), before);
});

Deno.test("WASM arena grows memory on demand", () => {
  const c = core();
  c.scoped(() => {
    const n = 3_000_000; // 24 MB, more than the initial memory
    const p = c.allocZeroed(n);
    c.f64[p / 8 + n - 1] = 7;
    assertEquals(c.f64[p / 8 + n - 1], 7);
  });
});
