import puppeteer from "puppeteer-core";
import { staticHandler } from "./scripts/explore.ts";
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, staticHandler(new URL("./site/", import.meta.url)));
const port = server.addr.port;
const dir = await Deno.makeTempDir();
const browser = await puppeteer.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${dir}`],
});
const page = await browser.newPage();
page.on("console", (m) => console.log("console:", m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e));
await page.setViewport({ width: 1280, height: 800 });
await page.goto(`http://127.0.0.1:${port}/`);
await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
await page.screenshot({ path: "/tmp/shot1.png", fullPage: true });
console.log(await page.evaluate(() => JSON.stringify((globalThis as any).explorer.updateTimes)));
await browser.close();
await server.shutdown();
