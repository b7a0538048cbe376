/// <reference lib="dom" />
/**
 * The explorer's Web Worker: computes a view for problems too heavy for the page's thread
 * (`MAIN_THREAD_BUDGET` in main.ts) with the same library calls, posting progress as it goes.
 * The page sends the compiled WASM module once (`init`), then states (`compute`).
 *
 * @module
 */
import { useCoreModule } from "../../wasm/core.ts";
import type { ExplorerState } from "../../explorer/state.ts";
import { buildProblem } from "../../explorer/problem.ts";
import { computeView, type ExplorerView, viewCsv } from "../../explorer/view.ts";

/** Messages the page sends. */
export type WorkerRequest =
  | { kind: "init"; module: WebAssembly.Module }
  | { kind: "compute"; id: number; state: ExplorerState };

/** Messages the worker sends back, tagged with the request's id. */
export type WorkerReply =
  | { kind: "progress"; id: number; fraction: number; stage: string }
  | { kind: "view"; id: number; view: ExplorerView; csv: string }
  | { kind: "error"; id: number; message: string };

/** The worker's global scope, as far as it is used here. */
interface WorkerScope {
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
  addEventListener(type: "message", listener: (e: MessageEvent<WorkerRequest>) => void): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener("message", (e) => {
  const msg = e.data;
  if (msg.kind === "init") {
    useCoreModule(msg.module);
    return;
  }
  const { id } = msg;
  try {
    const view = computeView(
      buildProblem(msg.state),
      (fraction, stage) => scope.postMessage({ kind: "progress", id, fraction, stage }),
    );
    // The CSV is written here, not on the page's thread; the states' arrays are transferred,
    // not copied (a 48×48×48 view holds about 20 MB of them).
    const buffers = new Set<ArrayBuffer>();
    for (const states of [view.states.simulation, view.states.analytical ?? []]) {
      for (const s of states) {
        for (const m of [s.w1tw1, s.w2w1, s.w2w2t]) buffers.add(m.data.buffer as ArrayBuffer);
      }
    }
    scope.postMessage({ kind: "view", id, view, csv: viewCsv(view) }, [...buffers]);
  } catch (err) {
    const error = err as Error;
    scope.postMessage({ kind: "error", id, message: `${error.name}: ${error.message}` });
  }
});
