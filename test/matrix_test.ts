import { assertEquals, assertThrows } from "./assert.ts";
import { Matrix } from "../src/matrix.ts";
import { NonFiniteError, ShapeError } from "../src/errors.ts";

Deno.test("Matrix.from keeps rows and rejects ragged input", () => {
  const a = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assertEquals(a.shape, [2, 3]);
  assertEquals(a.get(1, 2), 6);
  assertEquals(a.transpose().toArray(), [[1, 4], [2, 5], [3, 6]]);
  assertThrows(() => Matrix.from([[1, 2], [3]], "W1"), ShapeError, "W1: row 1 has 1 entries");
});

Deno.test("Matrix.assertFinite names the offending entry", () => {
  assertThrows(
    () => Matrix.from([[1, NaN]]).assertFinite("sigmaYX"),
    NonFiniteError,
    "sigmaYX: entry (0, 1) is NaN",
  );
});

Deno.test("Matrix.slice, diag, identity", () => {
  const a = Matrix.from([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assertEquals(a.slice(1, 3, 0, 2).toArray(), [[4, 5], [7, 8]]);
  assertEquals(Array.from(a.diagonal()), [1, 5, 9]);
  assertEquals(Matrix.diag([2, 3]).toArray(), [[2, 0], [0, 3]]);
  assertEquals(Matrix.identity(2).toArray(), [[1, 0], [0, 1]]);
  assertThrows(() => a.slice(0, 4, 0, 1), ShapeError);
  // Into a shared buffer: two blocks side by side, the rest of the buffer untouched.
  const buffer = new Float64Array(7).fill(-1);
  const top = a.slice(0, 1, 1, 3, buffer), corner = a.slice(1, 3, 1, 3, buffer.subarray(2));
  assertEquals([top.toArray(), corner.toArray()], [[[2, 3]], [[5, 6], [8, 9]]]);
  assertEquals(Array.from(buffer), [2, 3, 5, 6, 8, 9, -1]);
  assertEquals(corner.data.buffer, buffer.buffer);
  assertThrows(() => a.slice(0, 2, 0, 2, new Float64Array(3)), ShapeError, "do not fit into 3");
});
