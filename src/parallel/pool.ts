/**
 * A pool of Deno workers for long sweeps (independent tasks, e.g. one random network each): all
 * cores busy, results in task order, progress on stderr.
 *
 * The worker module calls {@link serveTasks} with the function to run; the main thread calls
 * {@link runPool} with that module's URL and the tasks. Tasks and results cross threads by
 * structured clone: plain objects, arrays and typed arrays (not class instances such as
 * `Matrix`).
 *
 * @module
 */
import { Progress } from "./progress.ts";

/** Message to a worker. */
interface TaskMessage<T> {
  index: number;
  task: T;
}

/** Message from a worker. */
type ResultMessage<R> = { index: number; result: R } | { index: number; error: string };

/** Options of {@link runPool}. */
export interface PoolOptions<R = unknown> {
  /** Number of workers (default: the number of cores, at most the number of tasks). */
  concurrency?: number;
  /** Progress label on stderr (default: the worker module's file name). */
  label?: string;
  /** Report no progress. */
  quiet?: boolean;
  /**
   * Called with each result as it arrives, in completion order (e.g. to save finished work
   * before the whole run ends).
   */
  onResult?: (index: number, result: R) => void;
}

/** The number of logical cores (at least 1). */
export function coreCount(): number {
  return Math.max(1, navigator.hardwareConcurrency || 1);
}

/**
 * Runs `tasks` on workers loaded from `workerUrl` and returns the results in task order.
 * Each worker takes the next task as soon as it finishes one.
 *
 * @throws {Error} naming the task index and the worker's message when a task fails (the other
 *   workers are stopped)
 * @example
 * ```ts
 * const squares = await runPool<number, number>(
 *   new URL("./square_worker.ts", import.meta.url), [1, 2, 3],
 * );
 * ```
 */
export async function runPool<T, R>(
  workerUrl: URL,
  tasks: readonly T[],
  options: PoolOptions<R> = {},
): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  if (tasks.length === 0) return results;
  const size = Math.max(1, Math.min(options.concurrency ?? coreCount(), tasks.length));
  const progress = new Progress(
    options.label ?? workerUrl.pathname.split("/").pop() ?? "pool",
    tasks.length,
    options.quiet,
  );
  const workers: Worker[] = [];
  let next = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0, failed = false;
      const feed = (w: Worker) => {
        if (next < tasks.length) {
          const message: TaskMessage<T> = { index: next, task: tasks[next] };
          next += 1;
          w.postMessage(message);
        }
      };
      for (let k = 0; k < size; k++) {
        const w = new Worker(workerUrl, { type: "module" });
        workers.push(w);
        w.onmessage = (e: MessageEvent<ResultMessage<R>>) => {
          if (failed) return;
          const m = e.data;
          if ("error" in m) {
            failed = true;
            reject(new Error(`task ${m.index} failed in worker: ${m.error}`));
            return;
          }
          results[m.index] = m.result;
          options.onResult?.(m.index, m.result);
          finished += 1;
          progress.tick();
          if (finished === tasks.length) resolve();
          else feed(w);
        };
        w.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          if (failed) return;
          failed = true;
          reject(new Error(`worker ${workerUrl.href} crashed: ${e.message}`));
        };
        feed(w);
      }
    });
  } finally {
    for (const w of workers) w.terminate();
  }
  return results;
}

/**
 * The worker side: answers every task message with `fn(task)` (awaited), or with the error's
 * message. Call once at the top level of the worker module.
 */
export function serveTasks<T, R>(fn: (task: T) => R | Promise<R>): void {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<TaskMessage<T>>) => void) | null;
    postMessage(m: ResultMessage<R>): void;
  };
  scope.onmessage = async (e) => {
    const { index, task } = e.data;
    try {
      scope.postMessage({ index, result: await fn(task) });
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      scope.postMessage({ index, error: text });
    }
  };
}
