/**
 * `deno task explore [--port N]`: serves the browser explorer on 127.0.0.1 (port 8000 by
 * default; 0 picks a free one), building `site/` first when it is missing or older than its
 * sources, and prints the URL. Static files only: everything is computed in the browser.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { InputError } from "../src/errors.ts";
import { reportFailure } from "./cli_failure.ts";
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

/** Runs the command; resolves when the server stops. Returns the exit status. */
export async function main(args: string[]): Promise<number> {
  let port: number;
  try {
    const { values } = parseArgs({ args, options: { port: { type: "string", default: "8000" } } });
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new InputError(`--port must be an integer in [0, 65535], got "${values.port}"`);
    }
    if (!siteIsFresh()) {
      console.error("explore: building site/ …");
      await buildSite();
    }
  } catch (e) {
    return reportFailure("explore", e);
  }
  const dir = new URL("../site/", import.meta.url);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: ({ port }) => console.log(`explorer: http://127.0.0.1:${port}/`),
  }, staticHandler(dir));
  await server.finished;
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
