/**
 * Shared pieces of the benchmark runner (`bench/run.ts`): the section interface, a timer, the
 * numpy side-by-side runner and a table printer. A benchmark is a {@link BenchSection} that
 * prints its own table; add one by writing `bench/<name>.ts` and listing it in `bench/run.ts`.
 *
 * @module
 */

/** One benchmark section of `deno task bench`. */
export interface BenchSection {
  /** Short name, used to select sections: `deno task bench gemm`. */
  readonly name: string;
  /** One line saying what is measured. */
  readonly description: string;
  /** Runs the benchmark and prints its table (and notes) to stdout. */
  run(): Promise<void>;
}

/**
 * Seconds per call of `fn`: calls are batched until a batch lasts ≥ `minBatchMs`, and the best
 * of `batches` batches is kept (the least disturbed by other processes on a shared machine).
 */
export function secondsPerCall(fn: () => void, minBatchMs = 100, batches = 5): number {
  fn(); // warm-up (JIT, caches)
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    if (performance.now() - t0 >= minBatchMs) break;
    reps *= 2;
  }
  let best = Infinity;
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best / 1000;
}

/**
 * Python source of `best(f, min_batch, batches)`: {@link secondsPerCall} for the numpy side
 * (same batching, same best-of rule), with its defaults set to `minBatchMs` and `batches`.
 * Needs `time` imported by the script it is pasted into.
 */
export function pythonBest(minBatchMs = 100, batches = 5): string {
  return `def best(f, min_batch=${minBatchMs / 1000}, batches=${batches}):
    f()
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): f()
        if time.perf_counter() - t0 >= min_batch: break
        reps *= 2
    b = float("inf")
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(reps): f()
        b = min(b, (time.perf_counter() - t0) / reps)
    return b`;
}

/** The environment of the numpy subprocess: single-threaded OpenBLAS, its own CPU detection. */
function numpyEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  env.OPENBLAS_NUM_THREADS = "1";
  env.OMP_NUM_THREADS = "1";
  return env;
}

/**
 * Runs a Python script with numpy (single-threaded BLAS) and parses the JSON it prints on its
 * last stdout line. Returns `undefined` (and says why on stderr) when python3 or numpy is
 * missing, so the WASM side of a table still prints.
 */
export async function runNumpy<T>(script: string): Promise<T | undefined> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("python3", {
      args: ["-c", script],
      env: numpyEnv(),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    console.error(`numpy baseline skipped: cannot run python3 (${(e as Error).message})`);
    return undefined;
  }
  if (!out.success) {
    console.error(`numpy baseline skipped: ${new TextDecoder().decode(out.stderr).trim()}`);
    return undefined;
  }
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** A running python3 process answering JSON requests with a handler the section defines. */
export interface NumpySession {
  /** Sends `request` to the script's `handle(request)` and returns its JSON answer. */
  call<T>(request: unknown): Promise<T>;
  /** Ends the process. */
  close(): Promise<void>;
}

/**
 * Starts python3 (single-threaded BLAS, as {@link runNumpy}) on `setup`, a script that
 * defines `handle(request) -> JSON-serialisable`. Lets a section interleave its WASM and
 * numpy measurements, so that load from other processes hits both sides alike. Returns
 * `undefined` (and says why on stderr) when python3 or numpy is missing.
 */
export async function startNumpy(setup: string): Promise<NumpySession | undefined> {
  const loop = `${setup}
import sys, json
for line in sys.stdin:
    print(json.dumps(handle(json.loads(line))), flush=True)
`;
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("python3", {
      args: ["-c", loop],
      env: numpyEnv(),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    console.error(`numpy baseline skipped: cannot run python3 (${(e as Error).message})`);
    return undefined;
  }
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines())
    .getReader();
  const enc = new TextEncoder();
  const session: NumpySession = {
    async call<T>(request: unknown): Promise<T> {
      await writer.write(enc.encode(JSON.stringify(request) + "\n"));
      const { value, done } = await lines.read();
      if (done) throw new Error("numpy session ended");
      return JSON.parse(value) as T;
    },
    async close() {
      await writer.close();
      await lines.cancel();
      const status = await child.status;
      await child.stderr.cancel();
      if (!status.success) console.error(`numpy session exited with ${status.code}`);
    },
  };
  try {
    await session.call(null); // the handler must answer a null ping: checks numpy imports
  } catch {
    const err = await new Response(child.stderr).text().catch(() => "");
    console.error(`numpy baseline skipped: ${err.trim() || "python3 failed"}`);
    return undefined;
  }
  return session;
}

function splitLines(): TransformStream<string, string> {
  let buf = "";
  return new TransformStream({
    transform(chunk, ctl) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        ctl.enqueue(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    },
    flush(ctl) {
      if (buf) ctl.enqueue(buf);
    },
  });
}

/** Prints a titled table with right-aligned columns. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j])).join("  ");
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

/**
 * Measures steps per second (or any rate, larger is better) of a WASM function and of a numpy
 * session (`setup` as {@link startNumpy}, whose `handle(n)` returns the rate at size `n`) in
 * alternating rounds, size by size, keeping the best of each side, and prints
 * `n, WASM, numpy, WASM/numpy, target`. The machine may be shared: alternating lets load from
 * other processes hit both sides alike.
 */
export async function rateTable(
  title: string,
  sizes: readonly number[],
  rounds: number,
  wasm: (n: number) => number,
  numpySetup: string,
  target: Record<number, string>,
): Promise<void> {
  const best = { wasm: new Map<number, number>(), numpy: new Map<number, number>() };
  const numpy = await startNumpy(numpySetup);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const n of sizes) {
        best.wasm.set(n, Math.max(best.wasm.get(n) ?? 0, wasm(n)));
        if (numpy) best.numpy.set(n, Math.max(best.numpy.get(n) ?? 0, await numpy.call<number>(n)));
      }
    }
  } finally {
    await numpy?.close();
  }
  printTable(
    `${title} (best of ${rounds} interleaved rounds of short batches)`,
    ["n", "WASM", "numpy", "WASM/numpy", "target"],
    sizes.map((n) => {
      const w = best.wasm.get(n)!, np = best.numpy.get(n);
      return [
        String(n),
        w.toExponential(2),
        np === undefined ? "—" : np.toExponential(2),
        np === undefined ? "—" : (w / np).toFixed(2),
        target[n] ?? "—",
      ];
    }),
  );
}
