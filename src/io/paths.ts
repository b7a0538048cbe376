/**
 * The few path operations the command line needs at start-up, without `node:path` (whose first
 * import starts Deno's Node compatibility layer: about 8 ms of `solve`'s start-up, measured).
 * Paths use `/`, and also `\` on Windows.
 *
 * @module
 */

const WINDOWS = Deno.build.os === "windows";
const SEPARATOR = WINDOWS ? /[\\/]/ : /\//;

/** The folder part of `path` (`"."` for a bare name), like `node:path`'s `dirname`. */
export function dirname(path: string): string {
  const trimmed = path.replace(WINDOWS ? /[\\/]+$/ : /\/+$/, "");
  if (trimmed === "") return path.length > 0 ? path[0] : ".";
  const cut = Math.max(trimmed.lastIndexOf("/"), WINDOWS ? trimmed.lastIndexOf("\\") : -1);
  if (cut < 0) return ".";
  return cut === 0 ? trimmed[0] : trimmed.slice(0, cut);
}

/** The last component of `path`, like `node:path`'s `basename`. */
export function basename(path: string): string {
  const parts = path.split(SEPARATOR).filter((p) => p !== "");
  return parts.length > 0 ? parts[parts.length - 1] : "";
}

/** `dir` and `name` joined with one separator. */
export function join(dir: string, name: string): string {
  return SEPARATOR.test(dir.slice(-1)) ? dir + name : `${dir}/${name}`;
}

/** True for an absolute path (`/…`; on Windows also `C:\…` and `\\server\…`). */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/") || (WINDOWS && /^([A-Za-z]:)?[\\/]/.test(path));
}

/** `path` as an absolute path: itself when absolute, else joined to `base`. */
export function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? path : join(base, path);
}
