/**
 * `manifest.json` beside every output (DESIGN.md, principle 5): what was run, with which
 * parameters and seeds, by which versions of Deno and the npm packages, and how long each stage
 * took.
 *
 * @module
 */

/** Wall-clock timings of named stages, in seconds. */
export class Timings {
  readonly #start = performance.now();
  readonly #stages: Record<string, number> = {};

  /** Runs `fn`, adding its duration to stage `name`. */
  measure<T>(name: string, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.#add(name, t0);
    }
  }

  /** Awaits `fn`, adding its duration to stage `name`. */
  async measureAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await fn();
    } finally {
      this.#add(name, t0);
    }
  }

  #add(name: string, t0: number): void {
    this.#stages[name] = (this.#stages[name] ?? 0) + (performance.now() - t0) / 1000;
  }

  /** Seconds since this object was created. */
  get totalSeconds(): number {
    return (performance.now() - this.#start) / 1000;
  }

  /** Stage durations and the total, in seconds (3 decimals). */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.#stages)) out[k] = round3(v);
    out.total = round3(this.totalSeconds);
    return out;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Versions of the runtime and of the pinned npm packages (from `deno.json` `imports`). */
export interface Versions {
  /** Deno, V8 and TypeScript versions. */
  deno: string;
  /** V8 version. */
  v8: string;
  /** TypeScript version. */
  typescript: string;
  /** Import name → pinned specifier, e.g. `"@observablehq/plot": "npm:@observablehq/plot@0.6.17"`. */
  packages: Record<string, string>;
}

const DENO_JSON = new URL("../../deno.json", import.meta.url);

/** The versions in force for this process. */
export function versions(): Versions {
  let packages: Record<string, string> = {};
  try {
    packages = JSON.parse(Deno.readTextFileSync(DENO_JSON)).imports ?? {};
  } catch {
    // deno.json unreadable (no read permission): record the runtime versions only.
  }
  return { ...Deno.version, packages };
}

/** What a figure script records about its run. */
export interface ManifestInput {
  /** Output name, e.g. `"fig2"`. */
  name: string;
  /** What it reproduces, e.g. the paper's figure and caption summary. */
  description: string;
  /** Every parameter the script used (sizes, learning rates, scales, times). */
  parameters: Record<string, unknown>;
  /** Seeds of every random stream. */
  seeds: Record<string, number>;
  /** Numbers the run measured that a caption or note quotes (e.g. a fitted order). */
  results?: Record<string, unknown>;
  /** Stage timings. */
  timings: Timings;
  /** Files written beside the manifest (relative names). */
  files: string[];
}

/** The manifest object (JSON-serialisable) for a run. */
export function buildManifest(input: ManifestInput): Record<string, unknown> {
  return {
    name: input.name,
    description: input.description,
    generated: new Date().toISOString(),
    command: ["deno", ...(globalThis.Deno ? [Deno.mainModule] : []), ...Deno.args],
    parameters: input.parameters,
    seeds: input.seeds,
    results: input.results ?? {},
    timingsSeconds: input.timings.toJSON(),
    versions: versions(),
    files: input.files,
  };
}
