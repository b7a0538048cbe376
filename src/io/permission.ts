/**
 * One wording for Deno's permission refusals in error lines.
 *
 * @module
 */

/**
 * Why Deno refused a file operation, without the path (the caller's message names it), e.g.
 * `Deno permission denied: requires write access to it, run again with the --allow-write flag`
 * (paths under `/dev` and `/proc` need `--allow-all`, which no task grants).
 */
export function deniedByDeno(e: Deno.errors.NotCapable): string {
  const detail = e.message.replace(/"[^"]*"/, "it").replace(/^Requires/, "requires");
  return `Deno permission denied: ${detail}`;
}
