/**
 * Reading a user's input file with a size limit: a path that is a device (`/dev/zero`,
 * `/dev/urandom`), a FIFO or a socket is refused before it is opened (opening a FIFO blocks until
 * a writer appears), and a regular file is read only up to the limit, so a huge or growing file
 * cannot exhaust memory.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { deniedByDeno } from "./permission.ts";

/** Options of {@link readTextBounded}. */
export interface BoundedReadOptions {
  /** Largest number of bytes accepted. */
  maxBytes: number;
  /** How a user raises the limit, quoted in the error, e.g. `"--max-config-bytes N"`. */
  raiseWith?: string;
}

/**
 * Reads `path` as UTF-8 text of at most `maxBytes` bytes.
 * @throws {InputError} `cannot read PATH: REASON` when the path is missing, a directory or not
 *   a regular file, is larger than the limit, cannot be read, or is not valid UTF-8
 * @example
 * ```ts
 * const text = await readTextBounded("examples/auto.json", { maxBytes: 1 << 20 });
 * ```
 */
export async function readTextBounded(path: string, options: BoundedReadOptions): Promise<string> {
  const { maxBytes } = options;
  const fail = (reason: string) => new InputError(`cannot read ${path}: ${reason}`);
  const tooLarge = (size: string) =>
    fail(
      `${size} larger than the limit of ${maxBytes} bytes` +
        (options.raiseWith ? ` (raise it with ${options.raiseWith})` : ""),
    );
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (e) {
    throw fail(readFailure(e));
  }
  if (info.isDirectory) throw fail("it is a directory");
  if (!info.isFile) throw fail("not a regular file (a device, FIFO or socket); give a file");
  if (info.size > maxBytes) throw tooLarge(`${info.size} bytes,`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw fail(readFailure(e));
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    // A file can grow after stat (or report size 0, as /proc does): stop past the limit.
    const buffer = new Uint8Array(1 << 16);
    for (;;) {
      const n = await file.read(buffer);
      if (n === null) break;
      total += n;
      if (total > maxBytes) throw tooLarge("it is");
      chunks.push(buffer.slice(0, n));
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fail(readFailure(e));
  } finally {
    file.close();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw fail("not UTF-8 text");
  }
}

function readFailure(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "no such file";
  if (e instanceof Deno.errors.NotCapable) return deniedByDeno(e);
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotADirectory) return "a component of the path is not a directory";
  return e instanceof Error ? e.message : String(e);
}
