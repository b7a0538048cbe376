/**
 * The independent per-network jobs of a figure (Fig. 2C, Fig. 5B–C): on a worker pool, or in
 * this thread when no workers are asked for (tests, single-core runs), with the same progress
 * line either way.
 *
 * @module
 */
import { runPool } from "../parallel/pool.ts";
import { Progress } from "../parallel/progress.ts";

/** Options of {@link runJobs}. */
export interface JobOptions {
  /** Progress label, e.g. `"fig2C networks"`. */
  label: string;
  /** Number of workers; 0 or absent runs the jobs in this thread. */
  workers?: number;
  /** Report no progress. */
  quiet?: boolean;
}

/**
 * Results of `run(job)` for every job, in job order: on `options.workers` workers loaded from
 * `workerUrl` (a module that serves `run` through `serveTasks`), or in this thread.
 * @throws whatever `run` throws (in this thread), or `runPool`'s error naming the failed job
 */
export async function runJobs<T, R>(
  workerUrl: URL,
  run: (job: T) => R,
  jobs: readonly T[],
  options: JobOptions,
): Promise<R[]> {
  const { label, workers = 0, quiet } = options;
  if (workers > 0) {
    return await runPool<T, R>(workerUrl, jobs, { concurrency: workers, label, quiet });
  }
  const progress = new Progress(label, jobs.length, quiet);
  return jobs.map((job) => {
    const result = run(job);
    progress.tick();
    return result;
  });
}
