/**
 * The sweep on real engines (`deno task test:engines`, run by `.ci/run`): one small spec (12
 * exact points, `sweep_specs.ts`) run
 * three ways — locally in one go, as 3 shards under GNU parallel, and as a 4-task Slurm job
 * array on a single-node Slurm started for the test — must give byte-identical merged CSVs.
 *
 * The Slurm set-up (nothing outside a temporary folder is touched, except reading the munge
 * key): `munged` runs as user munge with its socket, pid, seed and log files in the folder;
 * `slurm.conf` names the node after `hostname -s` at 127.0.0.1 with this machine's CPU count,
 * `ProctrackType=proctrack/linuxproc`, `TaskPlugin=task/none`, `SelectType=select/cons_tres`,
 * `AuthInfo=socket=<the folder's munge socket>`, ports chosen at random, state, spool, pid and
 * log files in the folder, `SlurmUser=root` and `SlurmdUser=root` (slurmd must run as root to
 * start jobs as their user; slurmctld may run as any user that owns the state folder: root here).
 * `slurmctld -D` and `slurmd -D` run in the foreground as children of the test and are stopped
 * after it. `sbatch --wait` polls slowly, so the test polls `squeue` instead.
 *
 * Without a tool (GNU parallel; munged, slurmctld, slurmd, sbatch; root for slurmd) the test
 * prints "skipped: <why>" and is reported as ignored.
 *
 * This file is not named `*_test.ts`, so `deno task test` does not run it.
 */
import { join } from "node:path";
import { assertEquals, assertOk } from "../assert.ts";
import { SMALL, SWEEP_RUN_ARGS } from "../sweep_specs.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const DENO = Deno.execPath();

const dec = new TextDecoder();

async function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string }> {
  try {
    const r = await new Deno.Command(cmd, {
      args,
      cwd: ROOT,
      env,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
  } catch (e) {
    return { code: 127, out: (e as Error).message };
  }
}

async function missing(tools: string[]): Promise<string[]> {
  const absent: string[] = [];
  for (const t of tools) {
    if ((await run("sh", ["-c", `command -v ${t}`])).code !== 0) absent.push(t);
  }
  return absent;
}

/** Reason to skip, or undefined. Printed loudly. */
function skipReason(why: string | undefined, name: string): boolean {
  if (why !== undefined) console.error(`skipped: ${name}: ${why}`);
  return why !== undefined;
}

const parallelMissing = await missing(["parallel"]);
const slurmMissing = await missing([
  "munged",
  "slurmctld",
  "slurmd",
  "sbatch",
  "squeue",
  "runuser",
]);
const isRoot = Deno.uid() === 0;
const parallelWhy = parallelMissing.length > 0
  ? "GNU parallel not installed (apt-get install -y parallel)"
  : undefined;
const slurmWhy = slurmMissing.length > 0
  ? `${
    slurmMissing.join(", ")
  } not installed (apt-get install -y slurmctld slurmd slurm-client munge)`
  : !isRoot
  ? "slurmd must run as root to start jobs"
  : undefined;

async function withSpec(fn: (dir: string, spec: string, reference: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "dln-engines-" });
  try {
    await Deno.chmod(dir, 0o755);
    const spec = join(dir, "spec.json");
    await Deno.writeTextFile(spec, JSON.stringify(SMALL));
    const local = join(dir, "local");
    const r = await run(DENO, [...SWEEP_RUN_ARGS, spec, "--out", local, "--quiet"]);
    assertEquals(r.code, 0, r.out);
    const m = await run(DENO, [...SWEEP_RUN_ARGS, "merge", local]);
    assertEquals(m.code, 0, m.out);
    await fn(dir, spec, await Deno.readTextFile(join(local, "results.csv")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "engines: 3 shards under GNU parallel = one local run",
  ignore: skipReason(parallelWhy, "GNU parallel"),
  fn: () =>
    withSpec(async (dir, spec, reference) => {
      const out = join(dir, "parallel");
      // The README's one-liner.
      const r = await run("parallel", [
        "-j",
        "3",
        "--halt",
        "now,fail=1",
        DENO,
        ...SWEEP_RUN_ARGS,
        spec,
        "--out",
        out,
        "--shard",
        "{}/3",
        "--workers",
        "1",
        "--quiet",
        ":::",
        "0",
        "1",
        "2",
      ]);
      assertEquals(r.code, 0, r.out);
      const m = await run(DENO, [...SWEEP_RUN_ARGS, "merge", out]);
      assertEquals(m.code, 0, m.out);
      assertEquals(await Deno.readTextFile(join(out, "results.csv")), reference);
    }),
});

/** Starts munged, slurmctld and slurmd for a single-node cluster in `dir`; returns a stopper. */
async function startSlurm(dir: string): Promise<{ conf: string; stop: () => Promise<void> }> {
  const host = (await run("hostname", ["-s"])).out.trim();
  const cpus = navigator.hardwareConcurrency;
  const mungeDir = join(dir, "munge");
  await Deno.mkdir(mungeDir);
  const uid = Number((await run("id", ["-u", "munge"])).out.trim());
  const gid = Number((await run("id", ["-g", "munge"])).out.trim());
  await Deno.chown(mungeDir, uid, gid);
  await Deno.chmod(mungeDir, 0o711); // munged insists that every client can reach its socket
  const socket = join(mungeDir, "munge.sock");
  const children: Deno.ChildProcess[] = [];
  const spawn = (cmd: string, args: string[], log: string) => {
    const c = new Deno.Command(cmd, {
      args,
      stdout: "null",
      stderr: "null",
      env: { SLURM_CONF: join(dir, "slurm.conf") },
    }).spawn();
    children.push(c);
    return log;
  };
  spawn("runuser", [
    "-u",
    "munge",
    "--",
    "munged",
    "-F",
    `--socket=${socket}`,
    `--pid-file=${join(mungeDir, "munged.pid")}`,
    `--seed-file=${join(mungeDir, "munged.seed")}`,
    `--log-file=${join(mungeDir, "munged.log")}`,
  ], "munged");
  const port = 20000 + Math.floor(Math.random() * 20000);
  const conf = [
    "ClusterName=dlntest",
    `SlurmctldHost=${host}(127.0.0.1)`,
    `SlurmctldPort=${port}`,
    `SlurmdPort=${port + 1}`,
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${socket}`,
    "SlurmUser=root",
    "SlurmdUser=root",
    `StateSaveLocation=${join(dir, "state")}`,
    `SlurmdSpoolDir=${join(dir, "spool")}`,
    `SlurmctldPidFile=${join(dir, "slurmctld.pid")}`,
    `SlurmdPidFile=${join(dir, "slurmd.pid")}`,
    `SlurmctldLogFile=${join(dir, "slurmctld.log")}`,
    `SlurmdLogFile=${join(dir, "slurmd.log")}`,
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_Core",
    "SchedulerType=sched/builtin",
    "JobCompType=jobcomp/none",
    "AccountingStorageType=accounting_storage/none",
    "MpiDefault=none",
    "ReturnToService=2",
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} State=UNKNOWN`,
    `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n");
  const confPath = join(dir, "slurm.conf");
  await Deno.writeTextFile(confPath, conf);
  for (const d of ["state", "spool"]) await Deno.mkdir(join(dir, d));
  const stop = async () => {
    for (const c of children.reverse()) {
      try {
        c.kill("SIGTERM");
      } catch { /* already gone */ }
      await c.status;
    }
    // runuser may leave munged behind: stop it by its own pid file.
    const pid = await Deno.readTextFile(join(mungeDir, "munged.pid")).catch(() => "");
    if (/^\d+\s*$/.test(pid)) {
      try {
        Deno.kill(Number(pid), "SIGTERM");
      } catch { /* already gone */ }
    }
  };
  try {
    for (let k = 0; k < 50 && !(await Deno.stat(socket).then(() => true, () => false)); k++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    spawn("slurmctld", ["-D", "-f", confPath], "slurmctld");
    spawn("slurmd", ["-D", "-f", confPath], "slurmd");
    // Wait until the node is idle.
    for (let k = 0;; k++) {
      const s = await run("sinfo", ["-h", "-o", "%t"], { SLURM_CONF: confPath });
      if (s.code === 0 && s.out.trim() === "idle") break;
      if (k > 150) throw new Error(`Slurm node not idle after 30 s: ${s.out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { conf: confPath, stop };
}

Deno.test({
  name: "engines: a 4-task Slurm job array = one local run",
  ignore: skipReason(slurmWhy, "Slurm"),
  fn: () =>
    withSpec(async (dir, spec, reference) => {
      const slurm = await startSlurm(dir);
      try {
        const out = join(dir, "slurm-run");
        const env = { SLURM_CONF: slurm.conf, DLN_DENO: DENO, DLN_PROJECT: ROOT };
        const g = await run(DENO, [
          ...SWEEP_RUN_ARGS,
          spec,
          "--out",
          out,
          "--slurm",
          "--shards",
          "4",
          "--time",
          "00:10:00",
        ], env);
        assertEquals(g.code, 0, g.out);
        assertOk(g.out.includes(`sbatch ${join(out, "sweep.sbatch")}`), g.out);
        const sub = await run("sbatch", ["--parsable", join(out, "sweep.sbatch")], env);
        assertEquals(sub.code, 0, sub.out);
        const job = sub.out.trim().split(";")[0];
        for (let k = 0;; k++) {
          const q = await run("squeue", ["-h", "-j", job], env);
          if (q.code === 0 && q.out.trim() === "") break;
          if (k > 600) throw new Error(`job ${job} still queued after 120 s: ${q.out}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const m = await run(DENO, [...SWEEP_RUN_ARGS, "merge", out]);
        const logs: string[] = [];
        for await (const e of Deno.readDir(join(out, "slurm"))) {
          logs.push(`${e.name}: ${await Deno.readTextFile(join(out, "slurm", e.name))}`);
        }
        assertEquals(m.code, 0, `${m.out}\n${logs.join("\n")}`);
        assertEquals(logs.length, 4, "one output file per array task");
        assertEquals(await Deno.readTextFile(join(out, "results.csv")), reference);
        const manifest = JSON.parse(await Deno.readTextFile(join(out, "manifest.json")));
        assertEquals(manifest.results.shards.length, 4, "four shards' timings");
      } finally {
        await slurm.stop();
      }
    }),
});
