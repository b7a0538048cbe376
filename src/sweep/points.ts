/**
 * The points of a sweep and their shards. Point `i` is grid cell `⌊i / seeds⌋` (axes in spec
 * order, the last varying fastest) with seed index `i mod seeds`; its seed is
 * `deriveSeed(spec.seed, seedIndex)`, so every cell sees the same seeds (common random numbers:
 * cells whose parameters ask for the same draws get the same problems, e.g. along an axis of
 * learning rates, time constants or λ of one shape). Shard `k` of `N` holds the
 * points with `i mod N = k` (round-robin, so every shard gets a similar mix of cheap and costly
 * cells). A point's problem and result depend only on the spec and `i`, never on `N` or on
 * which engine runs it.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { deriveSeed, Random } from "../random.ts";
import {
  type Draw,
  getPath,
  pointCount,
  type ProblemSpec,
  setPath,
  type SweepSpec,
} from "./spec.ts";

/** A problem with every field a number. */
export type ResolvedProblem = Omit<ProblemSpec, "task" | "init"> & {
  task: {
    [K in keyof ProblemSpec["task"]]: K extends "kind" ? ProblemSpec["task"]["kind"] : number;
  };
  init: { kind: ProblemSpec["init"]["kind"]; nh: number; scale: number; lambda?: number };
};

/** One point of a sweep. */
export interface SweepPoint {
  /** Point index. */
  index: number;
  /** Seed index (`0 … seeds − 1`). */
  seedIndex: number;
  /** Seed of the point's random stream. */
  seed: number;
  /** Grid axis values of the cell, by path. */
  grid: Record<string, number | string>;
  /** Values drawn for the point's random fields, by path. */
  drawn: Record<string, number>;
  /** The problem with grid values and draws substituted. */
  problem: ResolvedProblem;
}

/** Paths that may hold a draw, in the fixed order in which draws are made. */
const DRAW_PATHS = [
  "task.ni",
  "task.no",
  "task.p",
  "task.scale",
  "task.top",
  "task.gap",
  "init.nh",
  "init.scale",
  "init.lambda",
];

/** Stream index (under the point's seed) of the draws of random fields. */
const DRAW_STREAM = 1;

function draw(rng: Random, d: Draw): number {
  if (typeof d === "number") return d;
  if ("uniformInt" in d) {
    const [lo, hi] = d.uniformInt;
    return lo + Math.floor(rng.uniform() * (hi - lo + 1));
  }
  const [lo, hi] = d.logUniform;
  return Math.exp(Math.log(lo) + rng.uniform() * Math.log(hi / lo));
}

/**
 * Point `index` of the sweep: its cell's grid values, its seed, its draws and its problem.
 * @throws {InputError} when `index` is not an integer in `[0, pointCount)`
 */
export function pointAt(spec: SweepSpec, index: number): SweepPoint {
  const total = pointCount(spec);
  if (!Number.isInteger(index) || index < 0 || index >= total) {
    throw new InputError(`point ${index} is outside 0..${total - 1}`);
  }
  const seedIndex = index % spec.seeds;
  let cell = Math.floor(index / spec.seeds);
  const grid: Record<string, number | string> = {};
  const problem = structuredClone(spec.problem);
  for (let a = spec.grid.length - 1; a >= 0; a--) {
    const axis = spec.grid[a];
    const value = axis.values[cell % axis.values.length];
    cell = Math.floor(cell / axis.values.length);
    grid[axis.path] = value;
    setPath(problem, axis.path, value);
  }
  const seed = deriveSeed(spec.seed, seedIndex);
  const rng = new Random(deriveSeed(seed, DRAW_STREAM));
  const drawn: Record<string, number> = {};
  for (const path of DRAW_PATHS) {
    const v = getPath(problem, path) as Draw | undefined;
    if (v === undefined || typeof v === "number") continue;
    drawn[path] = draw(rng, v);
    setPath(problem, path, drawn[path]);
  }
  const orderedGrid = Object.fromEntries(spec.grid.map((a) => [a.path, grid[a.path]]));
  return {
    index,
    seedIndex,
    seed,
    grid: orderedGrid,
    drawn,
    problem: problem as ResolvedProblem,
  };
}

/**
 * Parses `"i/N"` (0-based shard `i` of `N`).
 * @throws {InputError} unless `0 ≤ i < N`, both integers
 */
export function parseShard(text: string): { shard: number; shards: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new InputError(`--shard must be i/N (0-based shard i of N), got "${text}"`);
  const shard = Number(m[1]), shards = Number(m[2]);
  if (!(shards >= 1 && shard < shards)) {
    throw new InputError(`--shard ${text}: need 0 ≤ i < N (shards are numbered from 0)`);
  }
  return { shard, shards };
}

/** The point indices of shard `shard` of `shards`: `shard, shard + shards, …`. */
export function shardIndices(total: number, shard: number, shards: number): number[] {
  const out: number[] = [];
  for (let i = shard; i < total; i += shards) out.push(i);
  return out;
}
