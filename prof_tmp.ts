import { findChromium, newPage, openSession, settled } from "./test_browser/harness.ts";
const s = await openSession(findChromium()!);
const { page, errors } = await newPage(s);
for (const q of ["task=random&ni=8&no=8&p=8&sv=8,7,6,5,4,3,2,1&nh=8&scale=0.01&eta=0.01&horizon=10&points=121", "task=dense&nh=2&init=aligned&scale=0.5&eta=0.01&horizon=6&points=121"]) {
await page.goto(s.base + "?" + q);
await settled(page);
await page.tracing.start({ categories: ["devtools.timeline"] });
const r = await page.evaluate(async () => {
  const d = (globalThis as any).explorer;
  const slider = document.getElementById("scale-range") as HTMLInputElement;
  const b = d.updateTimes.length;
  for (let k = 0; k < 60; k++) {
    slider.value = String(-2.5 + 0.02 * k);
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  }
  const med = (x: number[]) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
  return { update: med(d.updateTimes.slice(b)), compute: med(d.computeTimes.slice(b)) };
});
const tr = JSON.parse(new TextDecoder().decode(await page.tracing.stop()));
const fr = tr.traceEvents.filter((e: any) => e.name === "FireAnimationFrame" && e.ph === "X").map((e: any) => e.tdur / 1000).sort((a: number, b: number) => b - a).slice(0, 60);
console.log(q.slice(0, 30), r, "cpu median", fr[30]);
}
console.log(errors);
await s.close();
