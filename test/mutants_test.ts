/**
 * The mutant list of `deno task mutate` stays usable: every snippet is found exactly once in
 * its file (a refactoring that moves the code fails here, in the default suite, not only when
 * someone runs the mutation check), the list covers the required areas and names the issue's
 * survivors; and the harness's own pieces (applying a mutant, naming the failing test) work.
 */
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { type Mutant, MUTANTS } from "../scripts/mutants.ts";
import { applyMutant, copyRepository, firstFailure, validateMutants } from "../scripts/mutation.ts";

const ROOT = new URL("..", import.meta.url).pathname;

Deno.test("mutant list: every snippet found once, files and test files exist", () => {
  const problems = validateMutants(ROOT, MUTANTS);
  assertEquals(problems, []);
});

Deno.test("mutant list: ≥ 25 mutants over exact/, train/, asm/, decimal, precision, io", () => {
  assertOk(MUTANTS.length >= 25, `${MUTANTS.length} mutants`);
  const areas = {
    exact: /^src\/exact\//,
    train: /^src\/train\//,
    asm: /^asm\//,
    decimal: /^src\/linalg\/decimal/,
    precision: /^src\/precision\.ts$/,
    io: /^src\/io\//,
  };
  for (const [area, re] of Object.entries(areas)) {
    assertOk(MUTANTS.some((m) => re.test(m.file)), `no mutant in ${area}`);
  }
  // The survivors named by issue 10.
  for (
    const id of [
      "simulate-steps-ignore-tau",
      "forgetting-table-transposed",
      "precision-kappa-halved",
      "auto-threshold-1000",
      "bfree-horizon-ignore-tau",
    ]
  ) {
    const m = MUTANTS.find((x) => x.id === id);
    assertOk(m !== undefined && m.equivalent === undefined, `${id} listed, not as equivalent`);
  }
  for (const m of MUTANTS) assertOk(m.why.length > 10, `${m.id}: say why it is realistic`);
});

Deno.test("applyMutant replaces the one snippet and refuses a missing or repeated one", () => {
  const m: Mutant = {
    id: "x",
    file: "f.ts",
    original: "a * tau",
    replacement: "a",
    why: "test",
    tests: [],
  };
  assertEquals(applyMutant("const b = a * tau;\n", m), "const b = a;\n");
  assertThrows(() => applyMutant("const b = a;\n", m), Error, "found 0 times");
  assertThrows(() => applyMutant("a * tau; a * tau;", m), Error, "found 2 times");
  // `$&` and `$1` in a replacement are taken literally.
  assertEquals(applyMutant("a * tau", { ...m, replacement: "$&$1" }), "$&$1");
  const problems = validateMutants(ROOT, [
    { ...m, file: "src/task.ts", original: "no such snippet", tests: ["test/none_test.ts"] },
  ]);
  assertOk(problems.some((p) => p.includes("found 0 times")), problems.join("; "));
  assertOk(problems.some((p) => p.includes("test/none_test.ts not found")), problems.join("; "));
});

Deno.test("firstFailure names the first failing test of Deno's report", () => {
  const report = [
    "running 2 tests from ./test/gd_test.ts",
    "a ... FAILED (3ms)",
    "",
    " ERRORS ",
    "",
    "GD steps match => ./test/gd_test.ts:66:6",
    "error: AssertionError: W1 at step 1",
    "",
    " FAILURES ",
    "",
    "GD steps match => ./test/gd_test.ts:66:6",
  ].join("\n");
  assertEquals(firstFailure(report), "GD steps match (test/gd_test.ts:66:6)");
  assertEquals(
    firstFailure('error: Module not found "file:///x.ts"'),
    'Module not found "file:///x.ts"',
  );
});

Deno.test("copyRepository copies the tree without .git, out and node_modules", async () => {
  const src = await Deno.makeTempDir(), dst = await Deno.makeTempDir();
  try {
    for (const d of ["src/exact", ".git", "out", "node_modules", "build"]) {
      await Deno.mkdir(`${src}/${d}`, { recursive: true });
    }
    await Deno.writeTextFile(`${src}/src/exact/a.ts`, "x");
    await Deno.writeTextFile(`${src}/build/dln.wasm`, "w");
    await Deno.writeTextFile(`${src}/.git/HEAD`, "h");
    await Deno.writeTextFile(`${src}/out/r.json`, "{}");
    await copyRepository(src, `${dst}/copy`);
    assertEquals(await Deno.readTextFile(`${dst}/copy/src/exact/a.ts`), "x");
    assertEquals(await Deno.readTextFile(`${dst}/copy/build/dln.wasm`), "w");
    const top = [];
    for await (const e of Deno.readDir(`${dst}/copy`)) top.push(e.name);
    assertEquals(top.sort(), ["build", "src"]);
  } finally {
    await Deno.remove(src, { recursive: true });
    await Deno.remove(dst, { recursive: true });
  }
});
