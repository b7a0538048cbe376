/**
 * Fig. 2C–D data for one random network: the deviation of the analytical loss (Theorem 3.1)
 * from the loss of gradient descent across learning rates, and its learning curves at one rate.
 * Pure computation (no plotting), so it runs in a worker.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { solveExact } from "../exact/solve.ts";
import { zeroBalancedInit } from "../init/zero_balanced.ts";
import { f64Backend } from "../linalg/f64.ts";
import { Random } from "../random.ts";
import { randomTask } from "../tasks/random_task.ts";
import { simulate } from "../train/simulate.ts";

/** What defines the random networks of Fig. 2C (the paper's Appendix H is not in our copy). */
export interface RandomNetworkSpec {
  /** Inclusive range of `Ni` and of `No`. */
  widths: [number, number];
  /** Largest hidden width (`Nh` is uniform in `[min(Ni, No), maxHidden]`). */
  maxHidden: number;
  /** Extra samples beyond `Ni` (`P = Ni + uniform{0..extraSamples}`). */
  extraSamples: number;
  /** Log-uniform range of the init scale (std of the entries of `W2W1(0)`). */
  initScale: [number, number];
  /** Training horizon `T` in units of `τ`. */
  horizon: number;
  /** Spacing of the compared time grid, in units of `τ` (a multiple of every `η`). */
  gridStep: number;
  /** Learning rates compared. */
  learningRates: number[];
  /** Learning rate whose learning curves are kept (Fig. 2D). */
  curveRate: number;
}

/** One network's job: the spec and its own seed. */
export interface NetworkJob {
  /** Network index. */
  index: number;
  /** Seed of this network's random stream. */
  seed: number;
  /** The spec. */
  spec: RandomNetworkSpec;
}

/** One network's result. */
export interface NetworkResult {
  /** Network index. */
  index: number;
  /** Architecture. */
  ni: number;
  /** Hidden width. */
  nh: number;
  /** Outputs. */
  no: number;
  /** Samples. */
  p: number;
  /** Init scale drawn. */
  scale: number;
  /** Exact form used (and why). */
  method: string;
  /** Per learning rate: mean over the grid of `|L̂(t) − L(t)|`. */
  deviation: number[];
  /** Grid `t/τ` of the learning curves. */
  t: number[];
  /** GD loss at `curveRate`. */
  lossSimulation: number[];
  /** Analytical loss. */
  lossTheory: number[];
}

/** Draws integers uniformly in `[lo, hi]`. */
function uniformInt(rng: Random, lo: number, hi: number): number {
  return lo + Math.floor(rng.uniform() * (hi - lo + 1));
}

/**
 * Draws network `job.index` (architecture, data, zero-balanced init with a well-conditioned
 * `B`) and compares Theorem 3.1 with gradient descent at every learning rate.
 *
 * @throws {InputError} when the grid step is not a whole number of steps at some learning rate
 */
export function runNetwork(job: NetworkJob): NetworkResult {
  const { spec } = job;
  const rng = new Random(job.seed);
  const [wLo, wHi] = spec.widths;
  const ni = uniformInt(rng, wLo, wHi), no = uniformInt(rng, wLo, wHi);
  const nh = uniformInt(rng, Math.min(ni, no), spec.maxHidden);
  const p = ni + uniformInt(rng, 0, spec.extraSamples);
  const [sLo, sHi] = spec.initScale;
  const scale = Math.exp(Math.log(sLo) + rng.uniform() * Math.log(sHi / sLo));
  const task = randomTask(rng, { ni, no, p });
  const init = zeroBalancedInit(rng, { ni, nh, no, scale, task });
  const count = Math.round(spec.horizon / spec.gridStep);
  const t = Array.from({ length: count + 1 }, (_, i) => i * spec.gridStep);
  const theory = solveExact(f64Backend, task, init, t);
  const deviation: number[] = [];
  let lossSimulation: number[] = [];
  for (const eta of spec.learningRates) {
    const stepsPerCell = spec.gridStep / eta;
    if (Math.abs(stepsPerCell - Math.round(stepsPerCell)) > 1e-9) {
      throw new InputError(
        `grid step ${spec.gridStep} is not a whole number of steps at η = ${eta}`,
      );
    }
    const sim = simulate(task, init, { learningRate: eta, times: t });
    let sum = 0;
    for (let i = 0; i < t.length; i++) sum += Math.abs(theory.loss[i] - sim.loss[i]);
    deviation.push(sum / t.length);
    if (eta === spec.curveRate) lossSimulation = sim.loss;
  }
  return {
    index: job.index,
    ni,
    nh,
    no,
    p,
    scale,
    method: theory.method,
    deviation,
    t,
    lossSimulation,
    lossTheory: theory.loss,
  };
}

/**
 * Least-squares slope of `log y` against `log x`: the order `q` in `y ≈ c·xᵠ`.
 * @throws {InputError} with fewer than two points or a non-positive value
 */
export function fittedOrder(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length || x.length < 2) {
    throw new InputError(`a fit needs ≥ 2 paired points, got ${x.length} and ${y.length}`);
  }
  if (![...x, ...y].every((v) => v > 0 && Number.isFinite(v))) {
    throw new InputError("a log-log fit needs positive finite values");
  }
  const lx = x.map(Math.log), ly = y.map(Math.log);
  const mx = lx.reduce((a, b) => a + b) / lx.length, my = ly.reduce((a, b) => a + b) / ly.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) ** 2;
  }
  return sxy / sxx;
}
