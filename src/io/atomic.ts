/**
 * Atomic file output: every file the project writes goes through here (DESIGN.md, principle 5).
 * Content is written to a temporary file in the target's directory and renamed over the target,
 * so a reader sees either the old file or the complete new one, never half a file.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** Where a producer sends its chunks; each `write` appends to the temporary file. */
export interface AtomicSink {
  /** Appends `chunk` (a string is encoded as UTF-8). */
  write(chunk: string | Uint8Array): Promise<void>;
}

let counter = 0;

/** The temporary name used while `path` is being written: hidden, unique per process and call. */
export function temporaryPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.${Deno.pid}.${counter}.tmp`);
}

/**
 * Writes `path` atomically from a producer that streams chunks into a sink. Parent directories
 * are created. If `produce` throws (or a write fails), the temporary file is removed, `path` is
 * left as it was (absent or with its old content), and the error is rethrown.
 *
 * @param path the file to create or replace
 * @param produce writes the content through the sink
 * @example
 * ```ts
 * await writeAtomic("out/x.csv", async (sink) => {
 *   await sink.write("a,b\n");
 *   await sink.write("1,2\n");
 * });
 * ```
 */
export async function writeAtomic(
  path: string,
  produce: (sink: AtomicSink) => Promise<void> | void,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPathFor(path);
  const file = await Deno.open(tmp, { write: true, createNew: true });
  const encoder = new TextEncoder();
  let closed = false;
  try {
    const sink: AtomicSink = {
      async write(chunk) {
        const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
        let offset = 0;
        while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
      },
    };
    await produce(sink);
    await file.sync();
    file.close();
    closed = true;
    await Deno.rename(tmp, path);
  } catch (error) {
    if (!closed) file.close();
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Writes `content` (text as UTF-8, or bytes) to `path` atomically; see {@link writeAtomic}.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  return writeAtomic(path, (sink) => sink.write(content));
}
