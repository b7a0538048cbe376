import { join } from "node:path";
import { InputError } from "../src/errors.ts";
import { writeAtomic, writeFileAtomic } from "../src/io/atomic.ts";
import { csvField, parseCsv, toCsv } from "../src/io/csv.ts";
import { Timings } from "../src/io/manifest.ts";
import { writeFigureOutputs } from "../src/io/output.ts";
import { runPool } from "../src/parallel/pool.ts";
import { assertEquals, assertOk, assertThrows } from "./assert.ts";

const awkward = [
  { panel: "A", series: 'quote " inside', t: 0, value: 1.5 },
  { panel: "B", series: "comma, inside", t: 1e-300, value: -0 },
  { panel: "C", series: "line\nbreak\r\nCRLF", t: 0.1, value: NaN },
  { panel: "D", series: " padded ", t: Infinity, value: -Infinity },
  { panel: "E", series: "", t: 123456789.123456789, value: null },
];

Deno.test("csvField: quoting only when needed, numbers round-trip", () => {
  assertEquals(csvField("plain"), "plain");
  assertEquals(csvField('a"b'), '"a""b"');
  assertEquals(csvField("a,b"), '"a,b"');
  assertEquals(csvField(" a"), '" a"');
  assertEquals(csvField(0.1 + 0.2), "0.30000000000000004");
  assertEquals(csvField(NaN), "NaN");
  assertEquals(csvField(-Infinity), "-inf");
  assertEquals(csvField(undefined), "");
});

Deno.test("toCsv → parseCsv round trip keeps every field", () => {
  const text = toCsv(awkward);
  const rows = parseCsv(text);
  assertEquals(rows[0], ["panel", "series", "t", "value"]);
  assertEquals(rows.length, awkward.length + 1);
  awkward.forEach((r, k) => {
    assertEquals(rows[k + 1], [r.panel, r.series, csvField(r.t), csvField(r.value)]);
  });
  assertThrows(() => parseCsv('"open'), InputError, "unterminated");
  assertThrows(() => toCsv([], ["a", "a"]), InputError, "repeat");
});

Deno.test("parseCsv: CRLF, CR and LF line ends each end one record (RFC 4180)", () => {
  const want = [["a", "b"], ["1", "x,y"], ["2", ""]];
  for (const eol of ["\r\n", "\r", "\n"]) {
    assertEquals(parseCsv(["a,b", '1,"x,y"', "2,"].join(eol) + eol), want, JSON.stringify(eol));
  }
});

Deno.test("toCsv output reads back identically with Python's csv module", async () => {
  const text = toCsv(awkward);
  const script = `
import sys, csv, json, io
print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))
`;
  const p = new Deno.Command("python3", { args: ["-c", script], stdin: "piped", stdout: "piped" })
    .spawn();
  const w = p.stdin.getWriter();
  await w.write(new TextEncoder().encode(text));
  await w.close();
  const out = await p.output();
  assertOk(out.success);
  assertEquals(JSON.parse(new TextDecoder().decode(out.stdout)), parseCsv(text));
});

Deno.test("writeAtomic: a producer that throws leaves no temp file and no half file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = join(dir, "data.csv");
    let threw = false;
    try {
      await writeAtomic(target, async (sink) => {
        await sink.write("a,b\n1,");
        throw new Error("producer failed");
      });
    } catch (e) {
      threw = (e as Error).message === "producer failed";
    }
    assertOk(threw, "the producer's error is rethrown");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), []);
    // An existing file keeps its old content when a replacement fails.
    await writeFileAtomic(target, "old\n");
    await writeAtomic(target, async (sink) => {
      await sink.write("new partial");
      throw new Error("again");
    }).catch(() => {});
    assertEquals(Deno.readTextFileSync(target), "old\n");
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["data.csv"]);
    await writeFileAtomic(join(dir, "sub", "x.bin"), new Uint8Array([1, 2, 3]));
    assertEquals([...Deno.readFileSync(join(dir, "sub", "x.bin"))], [1, 2, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFigureOutputs: CSVs, SVG, PNG and a manifest with versions and timings", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const timings = new Timings();
    timings.measure("compute", () => 1 + 1);
    const files = await writeFigureOutputs(dir, {
      svg: "<svg/>",
      png: new Uint8Array([137, 80]),
      tables: [{ panel: "A", rows: [{ t: 0, value: 1 }] }, { panel: "B_top", rows: [] }],
      manifest: {
        name: "figX",
        description: "test",
        parameters: { eta: 0.01 },
        seeds: { data: 7 },
        timings,
      },
    });
    assertEquals(files, [
      "panel_A.csv",
      "panel_B_top.csv",
      "figure.svg",
      "figure.png",
      "manifest.json",
    ]);
    assertEquals(Deno.readTextFileSync(join(dir, "panel_A.csv")), "t,value\n0,1\n");
    const m = JSON.parse(Deno.readTextFileSync(join(dir, "manifest.json")));
    assertEquals(m.parameters, { eta: 0.01 });
    assertEquals(m.seeds, { data: 7 });
    assertOk(m.versions.deno.length > 0);
    assertEquals(m.versions.packages["@observablehq/plot"], "npm:@observablehq/plot@0.6.17");
    assertOk(typeof m.timingsSeconds.compute === "number" && m.timingsSeconds.total >= 0);
    await writeFigureOutputs(dir, {
      svg: "",
      png: new Uint8Array(),
      tables: [{ panel: "A", rows: [] }, { panel: "A", rows: [] }],
      manifest: { name: "x", description: "", parameters: {}, seeds: {}, timings },
    }).then(() => assertOk(false, "expected a repeated panel to be refused"), (e) => {
      assertOk(e instanceof InputError && e.message.includes("repeat"));
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const squareWorker = new URL("./fixtures/square_worker.ts", import.meta.url);

Deno.test("runPool: results in task order across workers", async () => {
  const tasks = Array.from({ length: 9 }, (_, i) => i);
  const out = await runPool<number, number>(squareWorker, tasks, { concurrency: 2, quiet: true });
  assertEquals(out, tasks.map((x) => x * x));
  assertEquals(await runPool<number, number>(squareWorker, [], { quiet: true }), []);
});

Deno.test("runPool: a failing task rejects with its index and message", async () => {
  let message = "";
  await runPool<number, number>(squareWorker, [1, -2, 3], { concurrency: 2, quiet: true })
    .catch((e) => message = (e as Error).message);
  assertOk(message.includes("task 1") && message.includes("negative input -2"), message);
});
