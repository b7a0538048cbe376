/**
 * The end of every command's error path: one line on stderr and the exit status (2 for bad
 * input — a typed library error or a command-line parsing error —, 1 for an internal error).
 *
 * @module
 */
import { DlnError } from "../src/errors.ts";

/**
 * Prints `command: message` (one line; `internal error:` before unexpected errors) and returns
 * the exit status: 2 for a `DlnError` or a `node:util` `parseArgs` error, 1 otherwise.
 */
export function reportFailure(command: string, e: unknown): number {
  const code = (e as { code?: unknown }).code;
  const bad = e instanceof DlnError ||
    (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"));
  const message = String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, " ");
  console.error(`${command}: ${bad ? "" : "internal error: "}${message}`);
  return bad ? 2 : 1;
}
