/**
 * The sweep spec (issue 14, DESIGN.md principle 9): a JSON object naming a problem generator, a
 * grid over any of its parameters, seeds, and the measures to record per point. This module
 * parses and validates it; every problem gets an `InputError` naming the field.
 *
 * ```
 * {
 *   "name": "scale-width",                   // names the default output folder
 *   "seed": 2022, "seeds": 3,                // base seed; seeds per grid cell (default 1)
 *   "problem": {
 *     "task": { "kind": "random", "ni": 4, "no": 4, "top": 3, "gap": 0.5 },
 *     "init": { "kind": "zero-balanced", "nh": 6, "scale": 0.01 },
 *     "method": "exact", "learningRate": 0.01, "tau": 1,
 *     "times": { "from": 0, "to": 20, "count": 81 }
 *   },
 *   "grid": { "init.scale": { "from": 1e-3, "to": 1, "count": 7, "spacing": "log" },
 *             "init.nh": [4, 8] },
 *   "measures": { "finalLoss": true, "timeToLoss": [0.1], "kernelDistance": [5] }
 * }
 * ```
 *
 * A problem field may also be a per-seed random draw, `{"uniformInt": [lo, hi]}` or
 * `{"logUniform": [lo, hi]}` (Fig. 2C's random architectures).
 *
 * @module
 */
import { InputError } from "../errors.ts";

/** Task generators. */
export const TASK_KINDS = ["random", "hierarchy"] as const;
/** Initialisation generators. */
export const INIT_KINDS = ["zero-balanced", "lambda-balanced", "gaussian"] as const;
/** Methods a sweep point may use: `exact` is the library's `auto`. */
export const SWEEP_METHODS = [
  "exact",
  "auto",
  "stable",
  "bfree-stable",
  "lambda",
  "simulate",
] as const;

/** A scalar problem field: a number, or a per-seed random draw. */
export type Draw = number | { uniformInt: [number, number] } | { logUniform: [number, number] };

/** A task generator after grid substitution. */
export interface TaskSpec {
  /** `"random"` (Haar singular vectors, whitened inputs) or `"hierarchy"` (Fig. 3's kingdom). */
  kind: (typeof TASK_KINDS)[number];
  /** Inputs (random only). */
  ni?: Draw;
  /** Outputs (random only). */
  no?: Draw;
  /** Samples `P ≥ Ni` (random only; default `Ni`). */
  p?: Draw;
  /** Entry scale of a Gaussian `Σyx` (random, when `top` is absent; default 1). */
  scale?: Draw;
  /** Largest singular value; with `gap`, singular values `top − k·gap` (per mode or level). */
  top?: Draw;
  /** Spectrum gap (default 0 with `top`). */
  gap?: Draw;
}

/** An initialisation generator after grid substitution. */
export interface InitSpec {
  /**
   * `"zero-balanced"` (MATH.md recipe, `cond(B) ≤ 100`), `"lambda-balanced"`
   * (`W2ᵀW2 − W1W1ᵀ = λI`, `sign det W2W1(0) = sign det Σyx` for square tasks) or `"gaussian"`
   * (independent entries in both layers).
   */
  kind: (typeof INIT_KINDS)[number];
  /** Hidden width. */
  nh: Draw;
  /** Balanced kinds: std of the entries of `W2W1(0)`; Gaussian: std of every weight. */
  scale: Draw;
  /** `"lambda-balanced"` only: the balance λ (any real; 0 is zero-balanced). */
  lambda?: Draw;
}

/** The problem generator (one point's problem once grid values and draws are substituted). */
export interface ProblemSpec {
  /** The task. */
  task: TaskSpec;
  /** The initialisation. */
  init: InitSpec;
  /** `"exact"` (= `auto`), an exact form by name, or `"simulate"` (GD). */
  method: (typeof SWEEP_METHODS)[number];
  /** GD learning rate `η` (`simulate`, and the GD side of `gdDeviation`). */
  learningRate?: number;
  /** Time constant `τ` (default 1). */
  tau: number;
  /** Recorded times `t`, ascending, starting at or after 0. */
  times: number[];
}

/** What to record per point. */
export interface MeasureSpec {
  /** Loss at the last time. */
  finalLoss: boolean;
  /** Fractions `f`: first time the excess loss falls to `f` times its initial value. */
  timeToLoss: number[];
  /** Times at which to record the NTK kernel distance from `t = 0`. */
  kernelDistance: number[];
  /** Task-specificity of `W1ᵀW1` at the last time. */
  taskSpecificity: boolean;
  /** Exact solution vs GD at `learningRate` (loss and `QQᵀ`), exact methods only. */
  gdDeviation: boolean;
  /** The form used (the `method_used` column; default on). */
  method: boolean;
  /** Exact methods: the solver's largest relative error estimate over the times. */
  errorEstimate: boolean;
  /** Wall time per point in milliseconds (differs from run to run: off by default). */
  wallTime: boolean;
}

/** A validated sweep spec. */
export interface SweepSpec {
  /** Name (default output folder `out/sweep/<name>`). */
  name: string;
  /** Base seed. */
  seed: number;
  /** Seeds per grid cell. */
  seeds: number;
  /** The problem generator with fixed values (grid fields hold their first value). */
  problem: ProblemSpec;
  /** Grid axes in spec order: dotted path into `problem` → values. */
  grid: GridAxis[];
  /** Measures. */
  measures: MeasureSpec;
}

/** One grid axis. */
export interface GridAxis {
  /** Dotted path into the problem, e.g. `"init.scale"` (or `"method"`, `"init.kind"`, …). */
  path: string;
  /** Its values: numbers, or names for the categorical fields. */
  values: (number | string)[];
}

/** Largest number of points a sweep may have (indices stay exact and part files readable). */
export const MAX_POINTS = 50_000_000;

const TOP_KEYS = ["name", "seed", "seeds", "problem", "grid", "measures"];
const PROBLEM_KEYS = ["task", "init", "method", "learningRate", "tau", "times"];
const TASK_KEYS = ["kind", "ni", "no", "p", "scale", "top", "gap"];
const INIT_KEYS = ["kind", "nh", "scale", "lambda"];
const MEASURE_KEYS = [
  "finalLoss",
  "timeToLoss",
  "kernelDistance",
  "taskSpecificity",
  "gdDeviation",
  "method",
  "errorEstimate",
  "wallTime",
];
/** Fields that may be grid axes or draws, with whether they must be integers. */
const NUMERIC_FIELDS: Record<string, boolean> = {
  "task.ni": true,
  "task.no": true,
  "task.p": true,
  "task.scale": false,
  "task.top": false,
  "task.gap": false,
  "init.nh": true,
  "init.scale": false,
  "init.lambda": false,
  "learningRate": false,
  "tau": false,
};

/** Problem fields a grid axis may list by name, with their allowed names. */
const CATEGORICAL_FIELDS: Record<string, readonly string[]> = {
  "method": SWEEP_METHODS,
  "task.kind": TASK_KINDS,
  "init.kind": INIT_KINDS,
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) {
      throw new InputError(`unknown field "${where}${k}" (known: ${known.join(", ")})`);
    }
  }
}

function finite(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new InputError(`${what} must be a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

/**
 * Checks a value of numeric field `path` (a fixed value, a grid value or a draw's bound):
 * positive integers where sizes are meant, positive otherwise, except `gap ≥ 0` and any `λ`.
 */
function checkValue(path: string, v: unknown, what: string): number {
  const x = finite(v, what);
  if (NUMERIC_FIELDS[path] && (!Number.isInteger(x) || x < 1)) {
    throw new InputError(`${what} must be a positive integer, got ${x}`);
  }
  if (path === "init.lambda") return x;
  if (path === "task.gap" ? !(x >= 0) : !(x > 0)) {
    throw new InputError(`${what} must be ${path === "task.gap" ? "≥ 0" : "positive"}, got ${x}`);
  }
  return x;
}

function parseDraw(path: string, v: unknown): Draw {
  if (!isObject(v)) return checkValue(path, v, path);
  const keys = Object.keys(v);
  const kind = keys[0];
  if (keys.length !== 1 || (kind !== "uniformInt" && kind !== "logUniform")) {
    throw new InputError(
      `${path} must be a number, {"uniformInt": [lo, hi]} or {"logUniform": [lo, hi]}`,
    );
  }
  const range = v[kind];
  if (!Array.isArray(range) || range.length !== 2) {
    throw new InputError(`${path}.${kind} must be [lo, hi]`);
  }
  const [lo, hi] = range.map((b, i) => checkValue(path, b, `${path}.${kind}[${i}]`));
  if (!(lo <= hi)) throw new InputError(`${path}.${kind}: lo = ${lo} exceeds hi = ${hi}`);
  if (kind === "uniformInt") {
    if (!NUMERIC_FIELDS[path]) throw new InputError(`${path} is not an integer field`);
    return { uniformInt: [lo, hi] };
  }
  if (!(lo > 0)) throw new InputError(`${path}.logUniform needs lo > 0, got ${lo}`);
  return { logUniform: [lo, hi] };
}

/**
 * The values of a grid axis: a non-empty list, or `{"from", "to", "count", "spacing"}` with
 * `spacing` `"linear"` (default) or `"log"` (both ends positive). Ends are exact.
 */
export function axisValues(path: string, v: unknown, check = true): number[] {
  let values: number[];
  if (Array.isArray(v)) {
    if (v.length === 0) throw new InputError(`grid "${path}" has no values`);
    values = v.map((x, i) => finite(x, `grid "${path}"[${i}]`));
  } else if (isObject(v)) {
    checkKeys(v, ["from", "to", "count", "spacing"], `grid.${path}.`);
    const from = finite(v.from, `grid "${path}".from`), to = finite(v.to, `grid "${path}".to`);
    const count = v.count;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 1) {
      throw new InputError(`grid "${path}".count must be a positive integer`);
    }
    const spacing = v.spacing ?? "linear";
    if (spacing !== "linear" && spacing !== "log") {
      throw new InputError(`grid "${path}".spacing must be "linear" or "log"`);
    }
    if (count === 1 && from !== to) {
      throw new InputError(`grid "${path}" with count 1 needs from = to`);
    }
    if (spacing === "log" && !(from > 0 && to > 0)) {
      throw new InputError(`grid "${path}" log spacing needs positive ends`);
    }
    values = Array.from({ length: count }, (_, k) => {
      if (k === 0) return from;
      if (k === count - 1) return to;
      const u = k / (count - 1);
      return spacing === "log"
        ? Math.exp(Math.log(from) + u * (Math.log(to) - Math.log(from)))
        : from + u * (to - from);
    });
  } else {
    throw new InputError(`grid "${path}" must be a list or {"from", "to", "count", "spacing"}`);
  }
  if (check) values.forEach((x, i) => checkValue(path, x, `grid "${path}"[${i}]`));
  return values;
}

function parseTimes(v: unknown): number[] {
  const times = Array.isArray(v) ? v.map((t, i) => finite(t, `times[${i}]`)) : axisTimes(v);
  if (times.length === 0) throw new InputError(`"times" must not be empty`);
  times.forEach((t, i) => {
    if (t < 0) throw new InputError(`times[${i}] = ${t} is negative`);
    if (i > 0 && !(t > times[i - 1])) throw new InputError(`"times" must be strictly increasing`);
  });
  return times;
}

function axisTimes(v: unknown): number[] {
  if (!isObject(v)) {
    throw new InputError(`"times" must be a list or {"from", "to", "count", "spacing"}`);
  }
  return axisValues("times", v, false);
}

function parseMeasures(v: unknown): MeasureSpec {
  const m: MeasureSpec = {
    finalLoss: true,
    timeToLoss: [],
    kernelDistance: [],
    taskSpecificity: false,
    gdDeviation: false,
    method: true,
    errorEstimate: false,
    wallTime: false,
  };
  if (v === undefined) return m;
  if (!isObject(v)) throw new InputError(`"measures" must be an object`);
  checkKeys(v, MEASURE_KEYS, "measures.");
  const flags = [
    "finalLoss",
    "taskSpecificity",
    "gdDeviation",
    "method",
    "errorEstimate",
    "wallTime",
  ] as const;
  for (const k of flags) {
    if (v[k] === undefined) continue;
    if (typeof v[k] !== "boolean") throw new InputError(`measures.${k} must be true or false`);
    m[k] = v[k] as boolean;
  }
  for (const k of ["timeToLoss", "kernelDistance"] as const) {
    if (v[k] === undefined) continue;
    const list = v[k];
    if (!Array.isArray(list)) throw new InputError(`measures.${k} must be a list of numbers`);
    m[k] = list.map((x, i) => finite(x, `measures.${k}[${i}]`));
  }
  m.timeToLoss.forEach((f) => {
    if (!(f > 0 && f < 1)) throw new InputError(`measures.timeToLoss fractions must be in (0, 1)`);
  });
  m.kernelDistance.forEach((t) => {
    if (!(t >= 0)) throw new InputError(`measures.kernelDistance times must be ≥ 0`);
  });
  return m;
}

function parseTask(v: unknown): TaskSpec {
  if (!isObject(v)) throw new InputError(`"problem.task" must be an object`);
  checkKeys(v, TASK_KEYS, "problem.task.");
  const kind = v.kind;
  if (!(TASK_KINDS as readonly unknown[]).includes(kind)) {
    throw new InputError(`problem.task.kind must be one of ${TASK_KINDS.join(", ")}`);
  }
  const t: TaskSpec = { kind: kind as TaskSpec["kind"] };
  for (const k of ["ni", "no", "p", "scale", "top", "gap"] as const) {
    if (v[k] !== undefined) t[k] = parseDraw(`task.${k}`, v[k]);
  }
  if (t.kind === "random" && (t.ni === undefined || t.no === undefined)) {
    throw new InputError(`a random task needs "ni" and "no"`);
  }
  if (t.kind === "hierarchy" && ["ni", "no", "p", "scale"].some((k) => k in v)) {
    throw new InputError(`the hierarchy task is 8×8: give only "top" and "gap"`);
  }
  if (t.gap !== undefined && t.top === undefined) {
    throw new InputError(`problem.task.gap needs "top"`);
  }
  if (t.scale !== undefined && t.top !== undefined) {
    throw new InputError(`give problem.task "scale" (Gaussian Σyx) or "top"/"gap", not both`);
  }
  return t;
}

function parseInit(v: unknown): InitSpec {
  if (!isObject(v)) throw new InputError(`"problem.init" must be an object`);
  checkKeys(v, INIT_KEYS, "problem.init.");
  if (!(INIT_KINDS as readonly unknown[]).includes(v.kind)) {
    throw new InputError(`problem.init.kind must be one of ${INIT_KINDS.join(", ")}`);
  }
  for (const k of ["nh", "scale"]) {
    if (v[k] === undefined) throw new InputError(`problem.init needs "${k}"`);
  }
  const init: InitSpec = {
    kind: v.kind as InitSpec["kind"],
    nh: parseDraw("init.nh", v.nh),
    scale: parseDraw("init.scale", v.scale),
  };
  if ((v.lambda !== undefined) !== (init.kind === "lambda-balanced")) {
    throw new InputError(`problem.init "lambda" goes with (and only with) kind "lambda-balanced"`);
  }
  if (v.lambda !== undefined) init.lambda = parseDraw("init.lambda", v.lambda);
  return init;
}

function parseProblem(v: unknown): ProblemSpec {
  if (!isObject(v)) throw new InputError(`"problem" must be an object`);
  checkKeys(v, PROBLEM_KEYS, "problem.");
  const method = v.method ?? "exact";
  if (!(SWEEP_METHODS as readonly unknown[]).includes(method)) {
    throw new InputError(`problem.method must be one of ${SWEEP_METHODS.join(", ")}`);
  }
  if (v.times === undefined) throw new InputError(`problem needs "times"`);
  const p: ProblemSpec = {
    task: parseTask(v.task),
    init: parseInit(v.init),
    method: method as ProblemSpec["method"],
    tau: v.tau === undefined ? 1 : checkValue("tau", v.tau, "problem.tau"),
    times: parseTimes(v.times),
  };
  if (v.learningRate !== undefined) {
    p.learningRate = checkValue("learningRate", v.learningRate, "problem.learningRate");
  }
  return p;
}

/**
 * Cross-field checks of a parsed problem against the measures.
 * @throws {InputError} naming the conflict
 */
function checkProblem(problem: ProblemSpec, measures: MeasureSpec): ProblemSpec {
  if (problem.method === "simulate") {
    if (problem.learningRate === undefined) {
      throw new InputError(`method "simulate" needs problem.learningRate (the GD step size η)`);
    }
    for (const k of ["gdDeviation", "errorEstimate"] as const) {
      if (measures[k]) throw new InputError(`measures.${k} applies to the exact methods only`);
    }
  }
  if (measures.gdDeviation && problem.learningRate === undefined) {
    throw new InputError(`measures.gdDeviation needs problem.learningRate`);
  }
  if (problem.init.kind === "gaussian" && problem.method !== "simulate") {
    throw new InputError(
      `Gaussian weights are not zero-balanced: the exact solutions do not apply; use "simulate"`,
    );
  }
  return problem;
}

/** Reads `path` (dotted) of a problem. */
export function getPath(problem: ProblemSpec, path: string): unknown {
  return path.split(".").reduce<unknown>(
    (o, k) => (isObject(o) ? o[k] : undefined),
    problem as unknown,
  );
}

/** Sets `path` (dotted) of a problem (the parent object must exist). */
export function setPath(problem: ProblemSpec, path: string, value: unknown): void {
  const keys = path.split(".");
  const parent = keys.slice(0, -1).reduce<Record<string, unknown>>(
    (o, k) => o[k] as Record<string, unknown>,
    problem as unknown as Record<string, unknown>,
  );
  parent[keys[keys.length - 1]] = value;
}

/**
 * Parses and validates a sweep spec from JSON text.
 * @throws {InputError} naming the field and the problem
 * @example
 * ```ts
 * const spec = parseSweepSpec(await Deno.readTextFile("examples/sweep_scale.json"));
 * pointCount(spec);
 * ```
 */
export function parseSweepSpec(text: string): SweepSpec {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(raw)) throw new InputError("the sweep spec must be a JSON object");
  checkKeys(raw, TOP_KEYS, "");
  const name = raw.name ?? "sweep";
  if (typeof name !== "string" || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new InputError(`"name" must be letters, digits, "_", "-" or "."`);
  }
  const seed = raw.seed ?? 0;
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new InputError(`"seed" must be an integer`);
  }
  const seeds = raw.seeds ?? 1;
  if (typeof seeds !== "number" || !Number.isInteger(seeds) || seeds < 1) {
    throw new InputError(`"seeds" must be a positive integer`);
  }
  // Grid axes may replace required problem fields: fill them with their first value first.
  const gridRaw = raw.grid ?? {};
  if (!isObject(gridRaw)) throw new InputError(`"grid" must be an object of axes`);
  const grid: GridAxis[] = Object.entries(gridRaw).map(([path, v]) => {
    const names = CATEGORICAL_FIELDS[path];
    if (names !== undefined) {
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => names.includes(x))) {
        throw new InputError(`grid "${path}" must be a non-empty list of ${names.join(", ")}`);
      }
      return { path, values: v as string[] };
    }
    if (!(path in NUMERIC_FIELDS)) {
      throw new InputError(
        `grid axis "${path}" is not a problem field a grid can vary (known: ${
          [...Object.keys(NUMERIC_FIELDS), ...Object.keys(CATEGORICAL_FIELDS)].join(", ")
        })`,
      );
    }
    return { path, values: axisValues(path, v) };
  });
  if (!isObject(raw.problem)) throw new InputError(`"problem" must be an object`);
  const measures = parseMeasures(raw.measures);
  const fill = (choice: Record<string, number | string>) => {
    const filled = structuredClone(raw.problem) as Record<string, unknown>;
    for (const axis of grid) {
      const keys = axis.path.split(".");
      let o = filled;
      for (const k of keys.slice(0, -1)) {
        if (!isObject(o[k])) throw new InputError(`grid axis "${axis.path}": problem.${k} missing`);
        o = o[k] as Record<string, unknown>;
      }
      o[keys[keys.length - 1]] = choice[axis.path] ?? axis.values[0];
    }
    return filled;
  };
  // Every combination of the categorical axes must give a valid problem (numeric grid values
  // were checked one by one above).
  let combos: Record<string, string>[] = [{}];
  for (const axis of grid.filter((a) => a.path in CATEGORICAL_FIELDS)) {
    combos = combos.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.path]: v as string })));
  }
  const problems = combos.map((combo) => {
    try {
      return checkProblem(parseProblem(fill(combo)), measures);
    } catch (e) {
      const where = Object.entries(combo).map(([k, v]) => `${k} = "${v}"`).join(", ");
      if (e instanceof InputError && where !== "") {
        throw new InputError(`${e.message} (grid point with ${where})`);
      }
      throw e;
    }
  });
  const problem = problems[0];
  const spec: SweepSpec = { name, seed, seeds, problem, grid, measures };
  const count = pointCount(spec);
  if (count > MAX_POINTS) {
    throw new InputError(`the sweep has ${count} points, more than ${MAX_POINTS}`);
  }
  return spec;
}

/** Number of grid cells (product of the axis lengths). */
export function cellCount(spec: SweepSpec): number {
  return spec.grid.reduce((n, a) => n * a.values.length, 1);
}

/** Number of points: cells × seeds. */
export function pointCount(spec: SweepSpec): number {
  return cellCount(spec) * spec.seeds;
}
