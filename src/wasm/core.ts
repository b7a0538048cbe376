/**
 * Loads the WASM core once and manages its linear memory as a stack arena.
 *
 * Matrices are copied into the arena (`put`), kernels run on pointers, and results are copied
 * out (`read`). `scoped` releases everything a computation allocated, so long-lived callers
 * (the exact solvers' per-time loop, GD recordings) never leak.
 *
 * @module
 */
import { Matrix } from "../matrix.ts";
import type { Kernels } from "./kernels.ts";

const WASM_URL = new URL("../../build/dln.wasm", import.meta.url);
const PAGE = 65536;
const ALIGN = 16; // v128 loads want 16-byte alignment

/** The instantiated core: its kernels and an arena over its memory. */
export class WasmCore {
  /** The module's exports. */
  readonly k: Kernels;
  #top: number;
  #f64: Float64Array;

  /** Instantiates `module`; normally obtained through {@link core}. */
  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort(_msg: number, _file: number, line: number, col: number) {
          throw new Error(`WASM core aborted at ${line}:${col}`);
        },
      },
    });
    this.k = instance.exports as unknown as Kernels;
    this.#top = align(this.k.heapBase());
    this.#f64 = new Float64Array(this.k.memory.buffer);
  }

  /** A Float64Array over all of linear memory (renewed when memory grows). */
  get f64(): Float64Array {
    // Growing memory detaches the old buffer, and a view of a detached buffer has length 0;
    // checking that is much cheaper than reading `memory.buffer` (an API getter) on every call.
    if (this.#f64.length === 0) this.#f64 = new Float64Array(this.k.memory.buffer);
    return this.#f64;
  }

  /** Allocates `count` f64 slots (16-byte aligned) and returns the byte pointer. Not zeroed. */
  alloc(count: number): number {
    const ptr = this.#top;
    const end = align(ptr + count * 8);
    if (end > this.f64.length * 8) {
      const have = this.k.memory.buffer.byteLength;
      if (end > have) this.k.memory.grow(Math.ceil((end - have) / PAGE));
    }
    this.#top = end;
    return ptr;
  }

  /** Allocates `count` zeroed f64 slots. */
  allocZeroed(count: number): number {
    const ptr = this.alloc(count);
    this.f64.fill(0, ptr / 8, ptr / 8 + count);
    return ptr;
  }

  /** The current top of the arena, to hand back to {@link release}. */
  mark(): number {
    return this.#top;
  }

  /** Frees everything allocated since `mark` was taken. */
  release(mark: number): void {
    this.#top = mark;
  }

  /** Runs `fn` and frees whatever it allocated in the arena; `fn` must not return pointers. */
  scoped<T>(fn: () => T): T {
    const m = this.#top;
    try {
      return fn();
    } finally {
      this.#top = m;
    }
  }

  /** Copies `m` into the arena and returns its pointer. */
  put(m: Matrix): number {
    const ptr = this.alloc(m.data.length);
    this.f64.set(m.data, ptr / 8);
    return ptr;
  }

  /** Copies a `rows × cols` matrix out of the arena. */
  read(ptr: number, rows: number, cols: number): Matrix {
    return new Matrix(rows, cols, this.f64.slice(ptr / 8, ptr / 8 + rows * cols));
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

let instance: WasmCore | undefined;

/**
 * The process-wide WASM core. Under Deno it is instantiated on first use from `build/dln.wasm`
 * (a file read); in a browser or Web Worker, where there is no file system, load it first with
 * {@link loadCore} (or hand a compiled module to {@link useCoreModule}).
 * @throws {Error} when the module has not been built (`deno task build`), or, outside Deno,
 *   when it has not been loaded yet
 */
export function core(): WasmCore {
  if (instance) return instance;
  if (typeof Deno === "undefined") {
    throw new Error("the WASM core is not loaded: await loadCore(url) before using the library");
  }
  let bytes: Uint8Array;
  try {
    bytes = Deno.readFileSync(WASM_URL);
  } catch (e) {
    throw new Error(
      `cannot read ${WASM_URL.pathname} (${(e as Error).message}); run \`deno task build\` first`,
    );
  }
  return useCoreModule(new WebAssembly.Module(bytes as BufferSource));
}

/**
 * Makes `module` (a compiled `build/dln.wasm`) the process-wide core and returns it. A page can
 * compile the module once and pass it to its Web Workers (modules are structured-cloneable).
 */
export function useCoreModule(module: WebAssembly.Module): WasmCore {
  instance = new WasmCore(module);
  return instance;
}

/**
 * Fetches and compiles `build/dln.wasm` from `url` (the browser's loader: no file system there)
 * and makes it the process-wide core. The server must send it as `application/wasm`.
 * @throws {Error} when the fetch fails or the bytes are not a valid module
 */
export async function loadCore(url: string | URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  const module = await WebAssembly.compileStreaming(response);
  useCoreModule(module);
  return module;
}
