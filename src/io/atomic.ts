/**
 * Atomic file output: every file the project writes goes through here (DESIGN.md, principle 5).
 * Content is written to a temporary file in the target's directory and renamed over the target,
 * so a reader sees either the old file or the complete new one, never half a file. A figure's
 * folder is written the same way as a whole ({@link writeDirectoryAtomic}).
 *
 * Interrupts: while a temporary file or folder exists, SIGINT and SIGTERM remove it before the
 * process exits (status 130 / 143). The listeners are installed only while something is being
 * written, so a long computation before the writing is interrupted as usual (a listener runs
 * only when the event loop turns, which a synchronous computation does not let it do).
 *
 * @module
 */
import { basename, dirname, join } from "./paths.ts";
import { DlnError, InputError } from "../errors.ts";
import { deniedByDeno } from "./permission.ts";

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

const pending = new Set<string>();
const SIGNALS: readonly [Deno.Signal, number][] = Deno.build.os === "windows"
  ? [["SIGINT", 130]]
  : [["SIGINT", 130], ["SIGTERM", 143]];
const handlers = SIGNALS.map(([signal, status]) =>
  [signal, () => {
    for (const path of pending) {
      try {
        Deno.removeSync(path, { recursive: true });
      } catch {
        // Already gone (renamed into place a moment ago): nothing to clean.
      }
    }
    Deno.exit(status);
  }] as const
);

/** Removes a temporary file or folder after a failure; one that was never created is fine. */
function discard(tmp: string): Promise<void> {
  return Deno.remove(tmp, { recursive: true }).catch(() => {});
}

/**
 * Registers a temporary file or folder for removal if the process receives SIGINT or SIGTERM
 * before it is finished; returns the function that unregisters it (call it once the path is
 * renamed into place or removed).
 */
export function removeOnInterrupt(path: string): () => void {
  if (pending.size === 0) { for (const [s, h] of handlers) Deno.addSignalListener(s, h); }
  pending.add(path);
  return () => {
    if (!pending.delete(path)) return;
    if (pending.size === 0) { for (const [s, h] of handlers) Deno.removeSignalListener(s, h); }
  };
}

/**
 * Writes `path` atomically from a producer that streams chunks into a sink. Parent directories
 * are created unless `createParents` is false. If `produce` throws (or a write fails), the
 * temporary file is removed, `path` is left as it was (absent or with its old content), and the
 * error is rethrown; an OS error (a full disk, a vanished folder) becomes an {@link InputError}
 * `cannot write PATH: REASON`.
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
  { createParents = true }: { createParents?: boolean } = {},
): Promise<void> {
  if (createParents) await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPathFor(path);
  // Registered before it exists: with no listener installed, a signal ends the process at once.
  const untrack = removeOnInterrupt(tmp);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true });
  } catch (error) {
    untrack();
    throw asWriteError(error, path);
  }
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
    await discard(tmp);
    throw asWriteError(error, path);
  } finally {
    untrack();
  }
}

/**
 * Writes `content` (text as UTF-8, or bytes) to `path` atomically; see {@link writeAtomic}.
 */
export function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: { createParents?: boolean } = {},
): Promise<void> {
  return writeAtomic(path, (sink) => sink.write(content), options);
}

/**
 * Writes the folder `dir` as a whole: `produce` fills a hidden temporary folder beside it, which
 * then replaces `dir` (an older `dir` is moved aside and removed). The replacement is
 * synchronous, so no interrupt handler runs between its steps: `dir` is either the old folder
 * or the complete new one. On error the temporary folder is removed and the error rethrown (an
 * OS error as an {@link InputError} `cannot write DIR: REASON`).
 *
 * @param dir the folder to create or replace (its parent is created)
 * @param produce writes the folder's files into the temporary folder it is given
 */
export async function writeDirectoryAtomic(
  dir: string,
  produce: (tmp: string) => Promise<void>,
): Promise<void> {
  await Deno.mkdir(dirname(dir), { recursive: true });
  const tmp = temporaryPathFor(dir);
  const untrack = removeOnInterrupt(tmp); // before it exists, as in writeAtomic
  try {
    await Deno.mkdir(tmp);
    await produce(tmp);
    const old = temporaryPathFor(dir);
    let moved = false;
    try {
      Deno.renameSync(dir, old);
      moved = true;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    Deno.renameSync(tmp, dir);
    if (moved) Deno.removeSync(old, { recursive: true });
    // A few milliseconds of event loop with the listener still installed: a signal that came
    // during the synchronous replacement is handled now (the process exits, the new folder
    // complete) instead of being dropped with the listener (measured: a 0 ms timer runs before
    // the signal is polled and the signal is lost; 1 ms and 5 ms deliver it).
    await new Promise((resolve) => setTimeout(resolve, 5));
  } catch (error) {
    await discard(tmp);
    throw asWriteError(error, dir);
  } finally {
    untrack();
  }
}

/** Why a write to `path` fails, in a few words (the OS error without its file names). */
function writeFailure(e: unknown, path: string): string {
  if (e instanceof Deno.errors.NotCapable) return deniedByDeno(e);
  if (e instanceof Deno.errors.NotFound) return "its directory does not exist";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "a component of the path is not a directory";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  if ((e as { code?: unknown }).code === "ENOSPC") return "no space left on the device";
  const message = e instanceof Error ? e.message : String(e);
  // Deno's OS errors end with the call and the path, e.g. ": writefile '/x/.r.json.1.tmp'".
  return message.replaceAll(path, "…").replace(/: [a-z_]+ '.*'$/, "");
}

/**
 * An error of the operating system, not the program's own: a `Deno.errors` class, or a plain
 * `Error` with an errno `code` (a full disk is `Error` with `code: "ENOSPC"`).
 */
function isOsError(e: unknown): e is Error {
  if (!(e instanceof Error) || e instanceof DlnError) return false;
  const code = (e as { code?: unknown }).code;
  return Object.values(Deno.errors).some((c) => e instanceof c) ||
    (typeof code === "string" && /^E[A-Z]+$/.test(code));
}

/** `e` as the error a write to `path` reports: OS errors become one {@link InputError} line. */
function asWriteError(e: unknown, path: string): unknown {
  return isOsError(e) ? new InputError(`cannot write ${path}: ${writeFailure(e, path)}`) : e;
}

/**
 * Checks, before any work, that `path` can be written atomically: its directory exists and a
 * file can be created in it, and `path` is not a directory or a device. Creates and removes a
 * hidden probe file. `Deno.errors` of the probe become one {@link InputError} line.
 *
 * @throws {InputError} `cannot write PATH: REASON`
 */
export async function checkWritableFile(path: string): Promise<void> {
  const fail = (reason: string) => new InputError(`cannot write ${path}: ${reason}`);
  if (path === "" || path.endsWith("/")) throw fail("it names a directory, not a file");
  try {
    const info = await Deno.stat(path);
    if (info.isDirectory) throw fail("it is a directory");
    if (!info.isFile) throw fail("it exists and is not a regular file (a device, FIFO, socket?)");
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (!(e instanceof Deno.errors.NotFound)) throw fail(writeFailure(e, path));
  }
  await probe(path, fail);
}

/**
 * Checks, before any work, that files can be written into the folder `dir` (created if
 * missing, with its parents).
 * @throws {InputError} `cannot write into DIR: REASON`
 */
export async function checkWritableDirectory(dir: string): Promise<void> {
  const fail = (reason: string) => new InputError(`cannot write into ${dir}: ${reason}`);
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (e) {
    throw fail(
      e instanceof Deno.errors.AlreadyExists
        ? "it exists and is not a directory"
        : writeFailure(e, dir),
    );
  }
  await probe(join(dir, "probe"), fail);
}

async function probe(path: string, fail: (reason: string) => InputError): Promise<void> {
  const tmp = temporaryPathFor(path);
  const untrack = removeOnInterrupt(tmp);
  try {
    (await Deno.open(tmp, { write: true, createNew: true })).close();
    await Deno.remove(tmp);
  } catch (e) {
    await discard(tmp);
    throw fail(writeFailure(e, tmp));
  } finally {
    untrack();
  }
}
