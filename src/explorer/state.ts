/**
 * The browser explorer's state: every choice a user can make (task, architecture,
 * initialisation, learning rate, horizon, current time), validated, and its round trip through a
 * URL query string, so that a link reproduces a view exactly.
 *
 * Canonical form: {@link parseState} fills defaults and sets the fields a task does not use to
 * what the task fixes (a hierarchy is always 8×8 with 8 items), so
 * `parseState(stateQuery(s))` equals `s` for every state `parseState` returns, and
 * `stateQuery(parseState(q))` is `q` for every query `stateQuery` wrote.
 *
 * @module
 */
import { InputError, NonFiniteError, ShapeError } from "../errors.ts";

/** The tasks a user can pick (the 2×2 ones are the targets of paper Fig. 4C). */
export const TASK_KINDS = [
  "random",
  "kingdom",
  "revised",
  "colour",
  "dense",
  "unequal",
  "equal",
  "custom",
] as const;

/** One of {@link TASK_KINDS}. */
export type TaskKind = (typeof TASK_KINDS)[number];

/** The initialisations a user can pick. */
export const INIT_KINDS = ["zero", "gaussian", "aligned", "learned", "lambda"] as const;

/** One of {@link INIT_KINDS}. */
export type InitKind = (typeof INIT_KINDS)[number];

/** Everything the explorer shows is a function of this state. */
export interface ExplorerState {
  /** Which task. */
  task: TaskKind;
  /** Inputs `Ni` (random task; fixed by the other tasks). */
  ni: number;
  /** Outputs `No` (random task; fixed by the other tasks). */
  no: number;
  /** Samples `P ≥ Ni` of a random task (fixed to `Ni` one-hot items by the other tasks). */
  p: number;
  /** Singular values of a random task's `Σyx`, `min(Ni, No)` of them, descending. */
  sv: number[];
  /** The user's own `Σyx` (`No × Ni` rows), task `"custom"`. */
  syx: number[][];
  /** Hidden units `Nh`. */
  nh: number;
  /** Initialisation. */
  init: InitKind;
  /**
   * Init scale: std of `W2W1(0)` entries (zero- and λ-balanced), of every weight (Gaussian), of
   * `A0` (aligned).
   */
  scale: number;
  /** The balance `λ` of a λ-balanced init (`W2ᵀW2 − W1W1ᵀ = λI`); 0 for the other inits. */
  lambda: number;
  /** Seed of every random draw (task, init, GD perturbation), a 32-bit signed integer. */
  seed: number;
  /** Learning rate `η` of gradient descent. */
  eta: number;
  /** Time constant `τ`. */
  tau: number;
  /** Horizon: the last time shown, in the unit of `τ`'s time (`t`, not `t/τ`). */
  horizon: number;
  /** Number of evenly spaced times from 0 to the horizon. */
  points: number;
  /** Std of a Gaussian perturbation added to GD's initial weights (0: none). */
  noise: number;
  /** The current time (heatmaps, cursor), `0 ≤ t ≤ horizon`. */
  t: number;
}

/** Largest `Ni`, `No`, `P` and `Nh` the explorer accepts (the page stays responsive to here). */
export const MAX_WIDTH = 64;
/** Largest number of time points. */
export const MAX_POINTS = 1001;
/** Largest number of GD steps, `horizon / (η τ)`. */
export const MAX_EXPLORER_STEPS = 2_000_000;

/** The state a bare URL shows: the example network of paper Fig. 2A. */
export const DEFAULT_STATE: Readonly<ExplorerState> = {
  task: "random",
  ni: 3,
  no: 2,
  p: 3,
  sv: [3, 1.2],
  syx: [[2, 0.4], [0.3, 1]],
  nh: 3,
  init: "zero",
  scale: 0.005,
  lambda: 0,
  seed: 2022,
  eta: 0.005,
  tau: 1,
  horizon: 8,
  points: 121,
  noise: 0,
  t: 4,
};

/** Which fields each task reads from the state (the others it fixes). */
function taskFields(task: TaskKind): (keyof ExplorerState)[] {
  if (task === "random") return ["ni", "no", "p", "sv"];
  if (task === "custom") return ["syx"];
  return [];
}

/** `Ni`, `No`, `P` a task fixes. */
function fixedShape(state: ExplorerState): { ni: number; no: number; p: number } {
  switch (state.task) {
    case "random":
      return state;
    case "custom":
      return { ni: state.syx[0].length, no: state.syx.length, p: state.syx[0].length };
    case "dense":
    case "unequal":
    case "equal":
      return { ni: 2, no: 2, p: 2 };
    default:
      return { ni: 8, no: 8, p: 8 };
  }
}

/** The fields in query order. */
const ORDER: (keyof ExplorerState)[] = [
  "task",
  "ni",
  "no",
  "p",
  "sv",
  "syx",
  "nh",
  "init",
  "scale",
  "lambda",
  "seed",
  "eta",
  "tau",
  "horizon",
  "points",
  "noise",
  "t",
];

/**
 * The query string (without `?`) of a state: the fields its task uses, in a fixed order, numbers
 * in their shortest round-trip form (`String(x)`), vectors comma-separated, matrix rows
 * separated by `;`.
 */
export function stateQuery(state: ExplorerState): string {
  const skip = new Set<keyof ExplorerState>(["ni", "no", "p", "sv", "syx", "lambda"]);
  for (const f of taskFields(state.task)) skip.delete(f);
  if (state.init === "lambda") skip.delete("lambda");
  const params = new URLSearchParams();
  for (const key of ORDER) {
    if (skip.has(key)) continue;
    const v = state[key];
    params.set(
      key,
      Array.isArray(v)
        ? (v as (number | number[])[]).map((r) => Array.isArray(r) ? r.join(",") : r).join(
          Array.isArray(v[0]) ? ";" : ",",
        )
        : String(v),
    );
  }
  return params.toString();
}

/**
 * Parses and validates a query string (with or without `?`); missing fields take
 * {@link DEFAULT_STATE}'s values and `overrides` (e.g. a preset) apply before validation.
 * @throws {InputError|ShapeError|NonFiniteError} naming the field and the problem
 */
export function parseState(query: string, overrides: Partial<ExplorerState> = {}): ExplorerState {
  const params = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query);
  const known = new Set<string>(ORDER);
  for (const key of params.keys()) {
    if (!known.has(key)) {
      throw new InputError(`unknown parameter "${key}" (known: ${ORDER.join(", ")})`);
    }
  }
  const s: ExplorerState = structuredClone({ ...DEFAULT_STATE, ...overrides }) as ExplorerState;
  const get = (k: string) => params.get(k);
  const task = get("task");
  if (task !== null) s.task = oneOf(task, TASK_KINDS, "task");
  const init = get("init");
  if (init !== null) s.init = oneOf(init, INIT_KINDS, "init");
  for (const k of ["ni", "no", "p", "nh", "seed", "points"] as const) {
    const v = get(k);
    if (v !== null) s[k] = integer(v, k);
  }
  for (const k of ["scale", "lambda", "eta", "tau", "horizon", "noise", "t"] as const) {
    const v = get(k);
    if (v !== null) s[k] = number(v, k);
  }
  const sv = get("sv");
  if (sv !== null) s.sv = sv.split(",").map((x, i) => number(x, `sv[${i}]`));
  const syx = get("syx");
  if (syx !== null) {
    s.syx = syx.split(";").map((row, i) =>
      row.split(",").map((x, j) => number(x, `syx[${i}][${j}]`))
    );
  }
  return validate(s);
}

/** Checks a state and puts it in canonical form (see the module doc). */
export function validate(input: ExplorerState): ExplorerState {
  const s = structuredClone(input);
  if (s.task === "custom") {
    if (s.syx.length === 0 || s.syx[0].length === 0) throw new ShapeError("Σyx is empty");
    const cols = s.syx[0].length;
    s.syx.forEach((r, i) => {
      if (r.length !== cols) {
        throw new ShapeError(`Σyx row ${i + 1} has ${r.length} entries, row 1 has ${cols}`);
      }
    });
  } else s.syx = structuredClone(DEFAULT_STATE.syx) as number[][];
  const shape = fixedShape(s);
  s.ni = shape.ni;
  s.no = shape.no;
  s.p = shape.p;
  for (const k of ["ni", "no", "p", "nh"] as const) inRange(s[k], 1, MAX_WIDTH, k);
  if (s.p < s.ni) throw new InputError(`p = ${s.p} samples cannot whiten Ni = ${s.ni} inputs`);
  const nm = Math.min(s.ni, s.no);
  if (s.task === "random") {
    if (s.sv.length !== nm) {
      throw new ShapeError(
        `sv has ${s.sv.length} singular values, a ${s.no}×${s.ni} Σyx has ${nm}`,
      );
    }
    s.sv.forEach((v, i) => {
      if (!(v > 0)) throw new InputError(`sv[${i}] = ${v} must be positive`);
    });
  } else s.sv = structuredClone(DEFAULT_STATE.sv) as number[];
  if (s.nh < nm) {
    throw new ShapeError(`Nh = ${s.nh} hidden units; a full-rank network needs Nh ≥ ${nm}`);
  }
  if (s.init !== "lambda") s.lambda = 0;
  if (s.init === "aligned" && s.ni !== s.no) {
    throw new ShapeError(`the aligned init (Theorem 5.1) needs Ni = No, got ${s.ni}×${s.no}`);
  }
  inRange(s.points, 2, MAX_POINTS, "points");
  inRange(s.seed, -(2 ** 31), 2 ** 31 - 1, "seed");
  if (!(s.scale >= 0)) throw new InputError(`scale = ${s.scale} must be ≥ 0`);
  if (s.init !== "learned" && !(s.scale > 0)) {
    throw new InputError(`scale must be positive for the ${s.init} init`);
  }
  if (!(s.noise >= 0)) throw new InputError(`noise = ${s.noise} must be ≥ 0`);
  for (const k of ["eta", "tau", "horizon"] as const) {
    if (!(s[k] > 0)) throw new InputError(`${k} = ${s[k]} must be positive`);
  }
  const steps = s.horizon / (s.eta * s.tau);
  if (steps > MAX_EXPLORER_STEPS) {
    throw new InputError(
      `horizon/(η·τ) = ${steps.toExponential(2)} GD steps, at most ${MAX_EXPLORER_STEPS} ` +
        "(raise η or shorten the horizon)",
    );
  }
  s.t = Math.min(Math.max(s.t, 0), s.horizon);
  return s;
}

function oneOf<T extends string>(v: string, options: readonly T[], key: string): T {
  if (!(options as readonly string[]).includes(v)) {
    throw new InputError(`${key} = "${v}" is not one of ${options.join(", ")}`);
  }
  return v as T;
}

function number(text: string, key: string): number {
  if (text.trim() === "") throw new InputError(`${key} is empty`);
  const v = Number(text);
  if (Number.isNaN(v)) throw new InputError(`${key} = "${text}" is not a number`);
  if (!Number.isFinite(v)) throw new NonFiniteError(`${key} = ${text}, expected finite`);
  return v;
}

function integer(text: string, key: string): number {
  const v = number(text, key);
  if (!Number.isInteger(v)) throw new InputError(`${key} = ${text} must be an integer`);
  return v;
}

function inRange(v: number, lo: number, hi: number, key: string): void {
  if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
    throw new InputError(`${key} = ${v} must be an integer in [${lo}, ${hi}]`);
  }
}
