/// <reference lib="dom" />
/**
 * Running the explorer in a real browser: finds Chromium, builds the site into a temporary
 * folder, serves it on 127.0.0.1 and drives headless Chromium through `puppeteer-core`.
 * Without Chromium the browser tests are registered as ignored and say so loudly.
 *
 * @module
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { buildSite } from "../../scripts/site.ts";
import { staticHandler } from "../../scripts/explore.ts";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

/** The Chromium executable: `$DLN_CHROMIUM`, else the first of the usual paths that exists. */
export function findChromium(): string | undefined {
  const env = Deno.env.get("DLN_CHROMIUM");
  for (const path of env ? [env] : CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** A served site and a browser. */
export interface BrowserSession {
  /** Base URL of the site (ends with `/`). */
  base: string;
  /** The browser. */
  browser: Browser;
  /** Stops the browser and the server and removes the temporary folders. */
  close(): Promise<void>;
}

/** Builds the site, serves it and launches headless Chromium at `executablePath`. */
export async function openSession(executablePath: string): Promise<BrowserSession> {
  const siteDir = await Deno.makeTempDir({ prefix: "dln-site-" });
  await buildSite(siteDir);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    staticHandler(new URL(`file://${siteDir}/`)),
  );
  const profile = await Deno.makeTempDir({ prefix: "dln-chromium-" });
  const root = Deno.uid?.() === 0;
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // A loaded shared machine can make one long in-page measurement exceed the 3-minute default.
    protocolTimeout: 600_000,
    args: [
      ...(root ? ["--no-sandbox"] : []),
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    base: `http://127.0.0.1:${server.addr.port}/`,
    browser,
    async close() {
      await browser.close();
      await server.shutdown();
      await Deno.remove(siteDir, { recursive: true });
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** Opens a page at `width × height` that records console errors and uncaught exceptions. */
export async function newPage(
  session: BrowserSession,
  width = 1280,
  height = 800,
): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`page error: ${(e as Error).message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console error: ${m.text()}`);
  });
  await page.setViewport({ width, height });
  return { page, errors };
}

/** The query string of the page's URL, without `?`. */
export function queryOf(page: Page): string {
  return new URL(page.url()).search.slice(1);
}

/**
 * Waits until the page has drawn the view of its current URL: `body[data-ready="1"]` and the
 * CSV link written for the current query string.
 */
export async function settled(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForSelector('body[data-ready="1"]', { timeout });
  await page.waitForFunction(
    () =>
      document.querySelector<HTMLAnchorElement>("a#download-csv")?.dataset.for ===
        location.search.slice(1),
    { timeout },
  );
}
