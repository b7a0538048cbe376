/**
 * Interrupts leave nothing half-done: signals sent to real child processes (through
 * `Deno.execPath()`).
 *
 * - Deterministic: a fixture holds an atomic write open (a file, a figure folder) and the test
 *   sends SIGINT or SIGTERM while the temporary exists: the child exits 130 / 143, the temporary
 *   is gone and the target keeps its old content (or stays absent).
 * - Real commands: `fig1` and `solve --out` are interrupted at several points of their run
 *   (start-up, computing, rendering, writing, done): whatever the point, the output folder holds
 *   either nothing or a complete result (a figure folder with `manifest.json` and every file it
 *   lists; a parseable JSON result), and no hidden temporary file.
 */
import { join } from "node:path";
import { assertEquals, assertOk } from "./assert.ts";
import { tree } from "./cli_helpers.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SIGNAL_STATUS: Record<"SIGINT" | "SIGTERM", number> = { SIGINT: 130, SIGTERM: 143 };

async function readUntilReady(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  const dec = new TextDecoder();
  let text = "";
  while (!text.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`fixture ended before it was ready: ${text}`);
    text += dec.decode(value);
  }
  reader.releaseLock();
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  for (const mode of ["file", "dir"] as const) {
    Deno.test(`${signal} during an atomic ${mode} write removes the temporary`, async () => {
      const dir = await Deno.makeTempDir();
      try {
        const target = join(dir, mode === "file" ? "r.json" : "fig1");
        // An older result exists: it must survive the interrupted replacement.
        if (mode === "file") await Deno.writeTextFile(target, "old\n");
        else {
          await Deno.mkdir(target);
          await Deno.writeTextFile(join(target, "manifest.json"), "{}\n");
        }
        const child = new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "--allow-read",
            "--allow-write",
            "test/fixtures/interrupted_writer.ts",
            mode,
            target,
          ],
          cwd: ROOT,
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        await readUntilReady(child.stdout);
        const during = await tree(dir);
        assertOk(during.some((n) => n.startsWith(".")), `a temporary exists: ${during}`);
        child.kill(signal);
        const status = await child.status;
        await child.stderr.cancel();
        assertEquals(status.code, SIGNAL_STATUS[signal], "exit status");
        const after = await tree(dir);
        assertEquals(after, mode === "file" ? ["r.json"] : ["fig1", "fig1/manifest.json"]);
        if (mode === "file") assertEquals(await Deno.readTextFile(target), "old\n");
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}

/** Runs a command and interrupts it after `delayMs` (or lets it finish when it is faster). */
async function interruptAfter(
  args: string[],
  delayMs: number,
  signal: "SIGINT" | "SIGTERM",
): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill(signal);
    } catch {
      // Already exited.
    }
  }, delayMs);
  const status = await child.status;
  clearTimeout(timer);
  assertOk(
    status.code === 0 || status.code === SIGNAL_STATUS[signal],
    `${args.join(" ")} after ${delayMs} ms: exit status ${status.code}`,
  );
}

/** Delays that land in start-up, computing, rendering and writing, and after the end. */
const DELAYS_MS = [200, 600, 1000, 1300, 1600, 3000];

Deno.test("fig1 interrupted at several points: no partial folder, no temporary file", async () => {
  const out = await Deno.makeTempDir();
  try {
    for (const [i, delay] of DELAYS_MS.entries()) {
      await interruptAfter(
        ["run", "--allow-read", "--allow-write", "scripts/fig1.ts", "--out", out, "--quiet"],
        delay,
        i % 2 === 0 ? "SIGINT" : "SIGTERM",
      );
      const files = await tree(out);
      assertOk(!files.some((f) => f.split("/").some((p) => p.startsWith("."))), `${files}`);
      if (files.length > 0) {
        const manifest = JSON.parse(await Deno.readTextFile(join(out, "fig1", "manifest.json")));
        assertEquals(
          files,
          ["fig1", ...manifest.files.map((f: string) => `fig1/${f}`)].sort(),
          `after ${delay} ms: the folder is complete`,
        );
      }
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("solve --out interrupted at several points: the result whole or absent", async () => {
  const out = await Deno.makeTempDir();
  try {
    for (const [i, delay] of [20, 60, 100, 150, 250, 400].entries()) {
      await Deno.remove(join(out, "r.json")).catch(() => {});
      await interruptAfter(
        [
          "run",
          "--allow-read",
          "--allow-write",
          "scripts/solve.ts",
          "examples/simulate.json",
          "--out",
          join(out, "r.json"),
        ],
        delay,
        i % 2 === 0 ? "SIGINT" : "SIGTERM",
      );
      const files = await tree(out);
      assertOk(files.length === 0 || (files.length === 1 && files[0] === "r.json"), `${files}`);
      if (files.length === 1) {
        assertEquals(JSON.parse(await Deno.readTextFile(join(out, "r.json"))).method, "simulate");
      }
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
