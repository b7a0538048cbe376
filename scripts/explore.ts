/**
 * `deno task explore [--port N]`: serves the browser explorer on 127.0.0.1 (port 8000 by
 * default; 0 picks a free one), building `site/` first when it is missing or older than its
 * sources, and prints the URL. Static files only: everything is computed in the browser.
 *
 * @module
 */
import { InputError } from "../src/errors.ts";
import { type CommandSpec, runCommand } from "../src/cli/command.ts";
import { buildSite, siteIsFresh } from "./site.ts";

const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  wasm: "application/wasm",
  json: "application/json",
};

/**
 * A request handler serving the files of `dir` (GET and HEAD only; `/` is `index.html`; no
 * path may leave `dir`).
 */
export function staticHandler(dir: URL): (req: Request) => Promise<Response> {
  return async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return new Response("method not allowed", { status: 405 });
    }
    const path = decodeURIComponent(new URL(req.url).pathname);
    const name = path === "/" ? "index.html" : path.slice(1);
    if (name.split("/").some((part) => part === ".." || part === "") || name.includes("\\")) {
      return new Response("not found", { status: 404 });
    }
    try {
      const body = await Deno.readFile(new URL(name, dir));
      const ext = name.split(".").pop() ?? "";
      return new Response(req.method === "HEAD" ? null : body, {
        headers: {
          "content-type": CONTENT_TYPES[ext] ?? "application/octet-stream",
          "cache-control": "no-cache",
        },
      });
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}

/** The command's options and `--help` text. */
const SPEC: CommandSpec = {
  name: "explore",
  usage: "deno task explore [--port N]",
  summary:
    "Serves the browser explorer on 127.0.0.1 (building site/ first when it is missing or\n" +
    "older than its sources) and prints the URL. Stop it with Ctrl-C.",
  options: {
    port: { type: "string", value: "N", help: "port (default 8000; 0 picks a free one)" },
  },
};

/** Runs the command; resolves when the server stops. Returns the exit status. */
export function main(args: readonly string[]): Promise<number> {
  return runCommand(SPEC, args, async ({ values }, io) => {
    const text = (values.port as string | undefined) ?? "8000";
    const port = Number(text);
    if (text.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InputError(`--port must be an integer in [0, 65535], got "${text}"`);
    }
    if (!siteIsFresh()) {
      io.stderr("explore: building site/ …");
      await buildSite();
    }
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: ({ port }) => console.log(`explorer: http://127.0.0.1:${port}/`),
    }, staticHandler(new URL("../site/", import.meta.url)));
    await server.finished;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
