/**
 * The shared shape of every command-line script (`solve`, `fig1` … `fig6`, `figs`,
 * `stability`, `bench`): `--help` prints usage on stdout and exits 0; a bad argument, bad input
 * or a refused permission exits 2 with one printable line on stderr (at most
 * {@link MAX_MESSAGE_LENGTH} characters) and nothing on stdout; anything else is an internal
 * error, exit 1, still one line.
 *
 * @module
 */
import { DlnError } from "../errors.ts";
import { MAX_MESSAGE_LENGTH, printableLine, quoteInput } from "./text.ts";

/** One `--name` option of a command. */
export interface OptionSpec {
  /** `"string"` takes a value (`--out FILE`), `"boolean"` is a switch (`--quiet`). */
  type: "string" | "boolean";
  /** One line for `--help`. */
  help: string;
  /** Placeholder of the value in `--help` (string options), e.g. `"FILE"`. */
  value?: string;
}

/** What a command accepts, and the text `--help` prints. */
export interface CommandSpec {
  /** Name used as the prefix of error lines, e.g. `"solve"`. */
  name: string;
  /** The synopsis, e.g. `"deno task solve CONFIG.json [--out FILE]"`. */
  usage: string;
  /** What the command does (a few lines). */
  summary: string;
  /** Options besides `--help`. */
  options: Record<string, OptionSpec>;
  /** Allowed number of positional arguments, `[min, max]` (default `[0, 0]`). */
  positionals?: readonly [number, number];
  /** Further text for `--help` (limits, examples), printed after the options. */
  notes?: string;
}

/** Parsed arguments: option values by name, and the positional arguments. */
export interface CommandArgs {
  /** `string` for string options given, `true` for switches given; absent otherwise. */
  values: Record<string, string | boolean | undefined>;
  /** Positional arguments, in order. */
  positionals: string[];
}

/** Where a command writes: the process's streams, or buffers in a test. */
export interface CommandIO {
  /** Writes text to standard output. */
  stdout(text: string): Promise<void>;
  /** Writes one line (a newline is appended) to standard error. */
  stderr(line: string): void;
}

const encoder = new TextEncoder();

/** The process's own standard output and error. */
export const PROCESS_IO: CommandIO = {
  async stdout(text) {
    const bytes = encoder.encode(text);
    for (let off = 0; off < bytes.length;) off += await Deno.stdout.write(bytes.subarray(off));
  },
  stderr(line) {
    const bytes = encoder.encode(line + "\n");
    for (let off = 0; off < bytes.length;) off += Deno.stderr.writeSync(bytes.subarray(off));
  },
};

/** The `--help` text of a command. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(([name, o]) => [
    `--${name}${o.type === "string" ? ` ${o.value ?? "VALUE"}` : ""}`,
    o.help,
  ]);
  rows.push(["--help, -h", "print this help and exit"]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return [
    `usage: ${spec.usage}`,
    "",
    wrap(spec.summary),
    "",
    "options:",
    ...rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    ...(spec.notes ? ["", wrap(spec.notes)] : []),
    "",
  ].join("\n");
}

/** `text` with every line longer than `width` broken at spaces. */
function wrap(text: string, width = 100): string {
  return text.split("\n").map((line) => {
    const out: string[] = [];
    let current = "";
    for (const word of line.split(" ")) {
      if (current && current.length + 1 + word.length > width) {
        out.push(current);
        current = word;
      } else current = current ? `${current} ${word}` : word;
    }
    out.push(current);
    return out.join("\n");
  }).join("\n");
}

/** A bad command line: exit status 2. */
class UsageError extends DlnError {}

/**
 * Strict parsing of `--name value`, `--name=value`, `--switch` and positional arguments
 * (everything after `--` is positional). Written here rather than with `node:util`'s
 * `parseArgs`, whose import starts Deno's Node compatibility layer (about 8 ms of start-up).
 */
function parse(spec: CommandSpec, args: string[]): CommandArgs {
  const values: CommandArgs["values"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq < 0 ? undefined : eq) : "";
    const option = Object.hasOwn(spec.options, name) ? spec.options[name] : undefined;
    if (!option) throw new UsageError(`unknown option ${quoteInput(arg, 40)} (see --help)`);
    if (option.type === "boolean") {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value (see --help)`);
      values[name] = true;
    } else if (eq >= 0) values[name] = arg.slice(eq + 1);
    else if (i + 1 < args.length) values[name] = args[++i];
    else throw new UsageError(`option --${name} needs a value (see --help)`);
  }
  const [min, max] = spec.positionals ?? [0, 0];
  const n = positionals.length;
  if (n < min || n > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new UsageError(`expected ${want} positional argument(s), got ${n}; usage: ${spec.usage}`);
  }
  return { values, positionals };
}

/** Whether an error is the user's to fix (exit 2) rather than an internal error (exit 1). */
function isUserError(e: unknown): boolean {
  return e instanceof DlnError || e instanceof Deno.errors.NotCapable;
}

/**
 * Runs a command: `--help`/`-h` (before any `--`) prints {@link helpText} on stdout and returns
 * 0; otherwise the arguments are parsed and `body` runs. Returns the exit status: `body`'s (0
 * when it returns nothing), 2 for a bad command line, a `DlnError` or a refused Deno permission,
 * 1 for anything else; an error is reported as one line `NAME: MESSAGE` on stderr.
 */
export async function runCommand(
  spec: CommandSpec,
  args: readonly string[],
  body: (args: CommandArgs, io: CommandIO) => Promise<number | void>,
  io: CommandIO = PROCESS_IO,
): Promise<number> {
  const end = args.indexOf("--");
  const head = end < 0 ? args : args.slice(0, end);
  if (head.includes("--help") || head.includes("-h")) {
    await io.stdout(helpText(spec));
    return 0;
  }
  try {
    return (await body(parse(spec, [...args]), io)) ?? 0;
  } catch (e) {
    const user = isUserError(e);
    const message = e instanceof Error ? e.message : String(e);
    io.stderr(
      printableLine(
        `${spec.name}: ${user ? "" : "internal error: "}${message}`,
        MAX_MESSAGE_LENGTH,
      ),
    );
    return user ? 2 : 1;
  }
}
