/**
 * Text that reaches a terminal from user input: messages quote what the user gave, so they are
 * bounded in length and carry no control characters (an ESC in a JSON key must not reach the
 * terminal raw, and a 5 MB string must not become a 5 MB error line).
 *
 * @module
 */

/** Longest stderr line a command prints for one error (characters). */
export const MAX_MESSAGE_LENGTH = 300;

/** C0 controls, DEL and C1 controls, plus the Unicode line and paragraph separators. */
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * `text` as one printable line: runs of whitespace that include a line break become one space,
 * other control characters become `\uXXXX` escapes, and a text longer than `max` characters is
 * cut to `max` with `…` at the end.
 *
 * @example
 * ```ts
 * printableLine("bad key \u001b[31m\nsecond line"); // "bad key \\u001b[31m second line"
 * ```
 */
export function printableLine(text: string, max = MAX_MESSAGE_LENGTH): string {
  const line = text
    .replace(/\s*[\n\r\u2028\u2029]\s*/g, " ")
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return truncate(line, max);
}

/**
 * A user-supplied value quoted for a message: JSON (so strings are quoted and control
 * characters escaped), at most `max` characters.
 *
 * @example
 * ```ts
 * quoteInput("x".repeat(1000), 12); // "\"xxxxxxxxxx…"
 * ```
 */
export function quoteInput(value: unknown, max = 60): string {
  let text: string;
  if (typeof value === "string") {
    // Quote only a prefix: a 5 MB string is not serialised whole to show 60 characters.
    text = JSON.stringify(value.slice(0, max + 1));
  } else if (Array.isArray(value)) {
    // Not serialised: a deeply nested array would overflow the stack of JSON.stringify.
    text = `an array of ${value.length} item${value.length === 1 ? "" : "s"}`;
  } else if (typeof value === "object" && value !== null) {
    text = "an object";
  } else {
    text = String(value);
  }
  return truncate(printableLine(text, Infinity), max);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  // Never end on half a surrogate pair.
  return (/[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut) + "…";
}
