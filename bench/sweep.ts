/**
 * Sweep throughput (`deno task bench sweep`): points per second of a whole sweep (`runShard`:
 * worker start-up, problem draws, solving, measures, atomic part files) on 1 and 2 workers, for
 * an exact-solution sweep and a gradient-descent sweep over the random networks of paper Fig. 2C
 * (`Ni, No ∈ 2..6`, `Nh ∈ 6..8`, init scale log-uniform in [0.02, 1], `t ≤ 15τ`, 151 times).
 * Baseline: the same per-point work in numpy in one process (OpenBLAS 1 thread) on the same
 * architectures — for the exact sweep Theorem 3.1 with its time-independent part done once
 * (SVDs, `B⁻¹`) and `QQᵀ` and the loss at the 151 times; for the GD sweep 3,000 full-batch steps
 * at `η = 0.005` with the loss at the 151 times (numpy on the first 500 and 200 architectures:
 * its rate, not its total, is compared). The three sides run in turn for 3 rounds and each keeps
 * its best (the machine may be shared). Points per CPU second (user + system time of this
 * process, worker threads included) show the cost of parallelism apart from the machine's load.
 * Sweep folders go to `out/bench-sweep/`.
 *
 * @module
 */
import { join } from "node:path";
import process from "node:process";
import { pointAt } from "../src/sweep/points.ts";
import { runShard } from "../src/sweep/run.ts";
import { parseSweepSpec, pointCount } from "../src/sweep/spec.ts";
import { type BenchSection, printTable, runNumpy } from "./harness.ts";

const DIR = join("out", "bench-sweep");
/** Alternating rounds; each side keeps its best. */
const ROUNDS = 3;

/** The Fig. 2C networks as a sweep (`seeds` networks), exact or GD at η = 0.005. */
function spec(method: "exact" | "simulate", seeds: number) {
  return {
    name: `bench-${method}`,
    seed: 2022,
    seeds,
    problem: {
      task: { kind: "random", ni: { uniformInt: [2, 6] }, no: { uniformInt: [2, 6] } },
      init: { kind: "zero-balanced", nh: { uniformInt: [6, 8] }, scale: { logUniform: [0.02, 1] } },
      method,
      ...(method === "simulate" ? { learningRate: 0.005 } : {}),
      times: { from: 0, to: 15, count: 151 },
    },
    measures: { finalLoss: true },
  };
}

const NUMPY = (kind: "exact" | "simulate", shapes: number[][]) => `
import time, json, numpy as np
shapes = ${JSON.stringify(shapes)}
times = np.linspace(0, 15, 151)
rng = np.random.default_rng(1)
def orth(n, k):
    q, r = np.linalg.qr(rng.standard_normal((n, k)))
    return q * np.sign(np.diag(r))
def problem(ni, nh, no):
    nm = min(ni, no)
    syx = rng.standard_normal((no, ni))
    m = rng.standard_normal((no, ni)) * np.exp(rng.uniform(np.log(0.02), 0))
    u, s, vh = np.linalg.svd(m, full_matrices=False)
    if ni == no and np.sign(np.linalg.det(m)) != np.sign(np.linalg.det(syx)):
        u[:, 0] = -u[:, 0]  # B regular, as the library's zeroBalancedInit ensures
    r = orth(nh, nm)
    w1 = (r * np.sqrt(s)) @ vh; w2 = (u * np.sqrt(s)) @ r.T
    return syx, w1, w2
def exact(ni, nh, no, check=False):
    syx, w1, w2 = problem(ni, nh, no)
    nm = min(ni, no)
    Uf, st, Vfh = np.linalg.svd(syx); Vf = Vfh.T
    Ut, Up, Vt, Vp = Uf[:, :nm], Uf[:, nm:], Vf[:, :nm], Vf[:, nm:]
    U, s, Vh = np.linalg.svd(w2 @ w1, full_matrices=False); U, s, V = U[:, :nm], s[:nm], Vh[:nm].T
    B = U.T @ Ut + V.T @ Vt; C = U.T @ Ut - V.T @ Vt
    D = V.T @ Vp @ Vp.T @ V + U.T @ Up @ Up.T @ U
    Bi = np.linalg.inv(B)
    H1 = Bi @ np.diag(1 / s) @ Bi.T; K = Bi @ C; HD = Bi @ D @ Bi.T
    Pv = 2 * Vp @ Vp.T @ V @ Bi.T; Pu = 2 * Up @ Up.T @ U @ Bi.T
    loss = []
    for x in times:
        e = np.exp(-st * x); g = -np.expm1(-2 * st * x) / st
        center = e[:, None] * (4 * H1 + (K * g) @ K.T + 4 * x * HD) * e[None, :] + np.diag(g)
        EKE = e[:, None] * K.T * e[None, :]
        Z = np.vstack([Vt - Vt @ EKE + Pv * e[None, :], Ut + Ut @ EKE + Pu * e[None, :]])
        q = Z @ np.linalg.solve(center, Z.T)
        if check and x == 0:  # QQᵀ(0) from the weights: the transcription is right
            Q0 = np.vstack([w1.T, w2])
            assert np.allclose(q, Q0 @ Q0.T, rtol=1e-8, atol=1e-10), "Theorem 3.1 at t = 0"
        w = q[ni:, :ni]
        loss.append(0.5 * np.sum((w - syx) ** 2))
    return loss[-1]
def gd(ni, nh, no):
    syx, w1, w2 = problem(ni, nh, no)
    eta = 0.005; loss = []
    for k in range(3001):
        e = syx - w2 @ w1
        if k % 20 == 0: loss.append(0.5 * np.sum(e * e))
        w1, w2 = w1 + eta * (w2.T @ e), w2 + eta * (e @ w1.T)
    return loss[-1]
f = ${kind === "exact" ? "exact" : "gd"}
for sh in shapes[:20]: ${kind === "exact" ? "exact(*sh, check=True)" : "f(*sh)"}
t0 = time.perf_counter()
for sh in shapes: f(*sh)
print(json.dumps(len(shapes) / (time.perf_counter() - t0)))
`;

/** Points per wall second and per CPU second (this process, worker threads included). */
async function pointsPerSecond(
  text: string,
  workers: number,
): Promise<{ wall: number; cpu: number }> {
  const dir = join(DIR, `w${workers}`);
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = await runShard(text, { dir, workers, quiet: true });
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  await Deno.remove(dir, { recursive: true });
  return { wall: r.computed / seconds, cpu: r.computed / ((c.user + c.system) / 1e6) };
}

/** The sweep section of `deno task bench`. */
export const sweepSection: BenchSection = {
  name: "sweep",
  description: "Sweep points per second on 1 and 2 workers (Fig. 2C networks), vs numpy in one " +
    "process",
  async run() {
    const rows: string[][] = [];
    for (
      const [method, seeds, numpyPoints] of [["exact", 6000, 500], ["simulate", 1500, 200]] as const
    ) {
      const text = JSON.stringify(spec(method, seeds));
      const parsed = parseSweepSpec(text);
      const shapes = Array.from({ length: pointCount(parsed) }, (_, i) => {
        const t = pointAt(parsed, i).problem;
        return [t.task.ni!, t.init.nh, t.task.no!];
      });
      // The sides alternate, best of ROUNDS each: load from other processes hits all alike.
      let one = 0, two = 0, cpu1 = 0, cpu2 = 0, numpy: number | undefined = 0;
      for (let r = 0; r < ROUNDS; r++) {
        const a = await pointsPerSecond(text, 1), b = await pointsPerSecond(text, 2);
        [one, cpu1] = [Math.max(one, a.wall), Math.max(cpu1, a.cpu)];
        [two, cpu2] = [Math.max(two, b.wall), Math.max(cpu2, b.cpu)];
        const np = await runNumpy<number>(NUMPY(method, shapes.slice(0, numpyPoints)));
        numpy = np === undefined || numpy === undefined ? undefined : Math.max(numpy, np);
      }
      const f = (x: number) => x.toFixed(0);
      rows.push([
        method === "exact" ? "exact (Theorem 3.1, 151 times)" : "GD (3,000 steps, η = 0.005)",
        String(seeds),
        f(one),
        f(two),
        (two / one).toFixed(2),
        `${f(cpu1)} / ${f(cpu2)}`,
        numpy === undefined ? "—" : f(numpy),
        numpy === undefined ? "—" : `${(one / numpy).toFixed(1)}×`,
      ]);
    }
    printTable(
      "Sweep throughput, points/s (Fig. 2C networks; whole sweep incl. worker start-up and part files)",
      [
        "sweep",
        "points",
        "1 worker",
        "2 workers",
        "2w / 1w",
        "per CPU s (1w / 2w)",
        "numpy 1 proc",
        "1 worker / numpy",
      ],
      rows,
    );
  },
};
