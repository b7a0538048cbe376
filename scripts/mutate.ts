/**
 * `deno task mutate [--only ID,ID] [--workers N] [--full] [--timeout S]`: the mutation check.
 * Applies each mutant of scripts/mutants.ts, one at a time, to a scratch copy of the repository
 * (never to the working tree: an interrupt leaves the repository as it was), rebuilds the WASM
 * core for `asm/` mutants, runs the mutant's test files (or all of `test/` with `--full`) and
 * reports it killed (a test failed, or the run timed out) or survived.
 *
 * Before any mutant, the union of the test files to be run must pass on an unmutated copy.
 * Mutants are spread over `--workers` scratch copies (default 2, one per core). Tests run with
 * `--no-check --fail-fast`: a mutant is killed by a test, not by the type checker, and the run
 * stops at the first failure.
 *
 * Writes out/mutate/report.json and out/mutate/summary.txt (atomically). Exit status 0 when
 * every mutant not marked equivalent is killed and every equivalent one survives; 1 otherwise;
 * 2 when the list does not match the sources (a snippet missing or ambiguous) or the unmutated
 * tests fail.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { writeFileAtomic } from "../src/io/atomic.ts";
import { type Mutant, MUTANTS } from "./mutants.ts";
import {
  applyMutant,
  copyRepository,
  firstFailure,
  isAsmMutant,
  validateMutants,
} from "./mutation.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** The outcome of one mutant. */
interface Outcome {
  id: string;
  file: string;
  status: "killed" | "survived";
  /** First failing test, "timeout", or the build error. */
  by: string;
  equivalent: boolean;
  seconds: number;
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    only: { type: "string" },
    workers: { type: "string", default: "2" },
    full: { type: "boolean", default: false },
    timeout: { type: "string", default: "600" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(
    "deno task mutate [--only ID,ID] [--workers N] [--full] [--timeout SECONDS]\n" +
      "Applies each mutant of scripts/mutants.ts to a scratch copy and runs its tests.",
  );
  Deno.exit(0);
}
const workers = Number(values.workers), timeoutMs = Number(values.timeout) * 1000;
if (!(Number.isInteger(workers) && workers >= 1) || !(timeoutMs > 0)) {
  console.error("mutate: --workers must be a positive integer, --timeout a positive number");
  Deno.exit(2);
}

const problems = validateMutants(ROOT, MUTANTS);
if (problems.length > 0) {
  for (const p of problems) console.error(`mutate: ${p}`);
  console.error("mutate: the mutant list does not match the sources (scripts/mutants.ts)");
  Deno.exit(2);
}
const wanted = values.only?.split(",").map((s) => s.trim()).filter(Boolean);
const unknown = (wanted ?? []).filter((id) => !MUTANTS.some((m) => m.id === id));
if (unknown.length > 0) {
  console.error(`mutate: unknown mutant id(s): ${unknown.join(", ")}`);
  Deno.exit(2);
}
const selected = wanted ? MUTANTS.filter((m) => wanted.includes(m.id)) : MUTANTS;
const testsOf = (m: Mutant) => (values.full ? ["test/"] : m.tests);

const children = new Set<Deno.ChildProcess>();
const scratch: string[] = [];

async function run(
  cwd: string,
  args: string[],
): Promise<{ code: number; output: string; timedOut: boolean }> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  children.add(child);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, timeoutMs);
  const out = await child.output();
  clearTimeout(timer);
  children.delete(child);
  const dec = new TextDecoder();
  return { code: out.code, output: dec.decode(out.stdout) + dec.decode(out.stderr), timedOut };
}

// test/mutants_test.ts checks this list against the sources: in a mutated copy it fails by
// construction (the snippet is gone), so it never judges a mutant.
const testArgs = (files: string[]) => [
  "test",
  "--no-check",
  "--fail-fast",
  "--ignore=test/mutants_test.ts",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  // Children run Deno.execPath() (the npm package's binary), which the "deno" on PATH may only
  // launch: the task asks for --allow-run for that reason, and the tests get that exact path.
  `--allow-run=python3,deno,${Deno.execPath()}`,
  ...files,
];

async function mutateOne(dir: string, m: Mutant): Promise<Outcome> {
  const t0 = performance.now();
  const path = join(dir, m.file);
  const pristine = await Deno.readTextFile(path);
  const wasm = join(dir, "build/dln.wasm");
  const pristineWasm = isAsmMutant(m) ? await Deno.readFile(wasm) : undefined;
  let status: Outcome["status"], by: string;
  try {
    await Deno.writeTextFile(path, applyMutant(pristine, m));
    let built = true;
    if (pristineWasm) {
      await Deno.remove(wasm);
      const b = await run(dir, [
        "run",
        "--allow-read",
        "--allow-write=build",
        "--allow-env",
        "scripts/build.ts",
      ]);
      built = b.code === 0;
      by = built ? "" : `build failed: ${b.output.trim().split("\n").at(-1)}`;
    }
    if (!built) {
      status = "killed";
    } else {
      const r = await run(dir, testArgs(testsOf(m)));
      status = r.code === 0 && !r.timedOut ? "survived" : "killed";
      by = r.timedOut ? "timeout" : r.code === 0 ? "" : firstFailure(r.output);
    }
  } finally {
    await Deno.writeTextFile(path, pristine);
    if (pristineWasm) await Deno.writeFile(wasm, pristineWasm);
  }
  return {
    id: m.id,
    file: m.file,
    status,
    by: by!,
    equivalent: m.equivalent !== undefined,
    seconds: (performance.now() - t0) / 1000,
  };
}

function cleanUp(): void {
  for (const c of children) {
    try {
      c.kill("SIGKILL");
    } catch { /* already gone */ }
  }
  for (const d of scratch) {
    try {
      Deno.removeSync(d, { recursive: true });
    } catch { /* already gone */ }
  }
}

Deno.addSignalListener("SIGINT", () => {
  cleanUp();
  console.error("mutate: interrupted; scratch copies removed, the repository was not touched");
  Deno.exit(130);
});

const t0 = performance.now();
const outcomes: Outcome[] = [];
try {
  const n = Math.min(workers, selected.length);
  for (let w = 0; w < n; w++) {
    const d = await Deno.makeTempDir({ prefix: "dln-mutate-" });
    scratch.push(d);
    await copyRepository(ROOT, d);
  }
  const union = values.full ? ["test/"] : [...new Set(selected.flatMap(testsOf))].sort();
  console.error(
    `mutate: ${selected.length} mutants, ${n} worker(s); baseline on ${union.length} test file(s)`,
  );
  const base = await run(scratch[0], testArgs(union));
  if (base.code !== 0 || base.timedOut) {
    console.error(
      `mutate: the unmutated tests fail (${
        base.timedOut ? "timeout" : firstFailure(base.output)
      }); ` +
        "fix them before judging mutants",
    );
    Deno.exit(2);
  }
  const queue = [...selected];
  await Promise.all(scratch.map(async (dir) => {
    for (let m = queue.shift(); m; m = queue.shift()) {
      const o = await mutateOne(dir, m);
      outcomes.push(o);
      const note = o.equivalent ? " (marked equivalent)" : "";
      console.error(
        `${o.status.padEnd(8)} ${o.id}${note} ${o.seconds.toFixed(1)} s${o.by ? `: ${o.by}` : ""}`,
      );
    }
  }));
} finally {
  cleanUp();
}

const order = new Map(selected.map((m, i) => [m.id, i]));
outcomes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
const judged = outcomes.filter((o) => !o.equivalent);
const killed = judged.filter((o) => o.status === "killed").length;
const survivors = judged.filter((o) => o.status === "survived");
const wronglyEquivalent = outcomes.filter((o) => o.equivalent && o.status === "killed");
const seconds = (performance.now() - t0) / 1000;
const score = `${killed}/${judged.length}`;
const lines = [
  `mutation score ${score} killed (${outcomes.length - judged.length} marked equivalent, ` +
  `${outcomes.length} mutants, ${seconds.toFixed(0)} s on ${scratch.length} worker(s)` +
  `${values.full ? ", full suite per mutant" : ""})`,
  ...outcomes.map((o) =>
    `${o.equivalent ? "equivalent" : o.status.padEnd(10)} ${o.id.padEnd(34)} ${o.file}` +
    (o.by ? `  ← ${o.by}` : "")
  ),
  ...survivors.map((o) => `SURVIVED: ${o.id}: add a test that kills it, or mark it equivalent`),
  ...wronglyEquivalent.map((o) =>
    `KILLED but marked equivalent: ${o.id}: the equivalence note is wrong, remove it`
  ),
];
const summary = lines.join("\n") + "\n";
console.log(summary);
await writeFileAtomic(join(ROOT, "out/mutate/summary.txt"), summary);
await writeFileAtomic(
  join(ROOT, "out/mutate/report.json"),
  JSON.stringify(
    {
      score: { killed, judged: judged.length, equivalent: outcomes.length - judged.length },
      only: wanted ?? null,
      full: values.full,
      workers: scratch.length,
      seconds,
      deno: Deno.version.deno,
      date: new Date().toISOString(),
      mutants: outcomes,
    },
    null,
    2,
  ) + "\n",
);
Deno.exit(survivors.length === 0 && wronglyEquivalent.length === 0 ? 0 : 1);
