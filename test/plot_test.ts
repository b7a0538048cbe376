import { InputError } from "../src/errors.ts";
import { composeFigure } from "../src/plot/layout.ts";
import { heatmapPanel, linePanel, scatterPanel } from "../src/plot/panels.ts";
import { svgToPng } from "../src/plot/png.ts";
import { formatLogTick, linearTicks, logTicks, powerOfTen } from "../src/plot/ticks.ts";
import { assertClose, assertEquals, assertOk, assertThrows } from "./assert.ts";

const t = Array.from({ length: 50 }, (_, i) => i / 10);
const curve = (f: (x: number) => number) => t.map((x) => ({ x, y: f(x) }));

function sampleFigure() {
  const a = linePanel({
    series: [
      { name: "small", source: "simulation", points: curve((x) => 1 - Math.exp(-x)) },
      { name: "small", source: "theory", points: curve((x) => 1 - Math.exp(-x)) },
    ],
    x: { label: "t/τ" },
    y: { label: "Loss", type: "log" },
  });
  const b = heatmapPanel({ matrix: [[1, -0.5], [-0.5, 2]], splits: [0], label: "QQᵀ" });
  const c = scatterPanel({
    points: [{ x: 0, y: 0.1, group: "linear" }, { x: 1, y: 0.9, group: "tanh" }],
    x: { label: "predicted" },
    y: { label: "numerical" },
    identity: true,
  });
  return composeFigure({
    title: "Sample <&>",
    rows: [[{ letter: "A", title: "Loss", body: a }, { letter: "B", title: "QQᵀ", body: b }], [
      { letter: "C", title: "Forgetting", body: c },
    ]],
  });
}

/** Parses XML strictly with Python's expat (independent of the DOM library that wrote it). */
async function xmlSummary(svg: string): Promise<{ root: string; letters: string[] }> {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
ns = "{http://www.w3.org/2000/svg}"
letters = [e.text for e in root.iter(ns + "text") if e.get("class") == "panel-letter"]
print(json.dumps({"root": root.tag, "letters": letters}))
`;
  const p = new Deno.Command("python3", { args: ["-c", script], stdin: "piped", stdout: "piped" })
    .spawn();
  const w = p.stdin.getWriter();
  await w.write(new TextEncoder().encode(svg));
  await w.close();
  const out = await p.output();
  assertOk(out.success, "python could not parse the SVG as XML");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("composeFigure: well-formed SVG with one letter per lettered panel", async () => {
  const fig = sampleFigure();
  assertEquals(fig.letters, ["A", "B", "C"]);
  const summary = await xmlSummary(fig.svg);
  assertEquals(summary.root, "{http://www.w3.org/2000/svg}svg");
  assertEquals(summary.letters, ["A", "B", "C"]);
  assertOk(fig.svg.includes("Sample &lt;&amp;&gt;"), "title escaped");
  assertOk(fig.svg.includes(">analytical<"), "theory legend key present");
  assertOk(fig.svg.includes('stroke-dasharray="1.5,3"'), "theory curve dotted");
});

Deno.test("svgToPng: PNG signature and the expected pixel size", async () => {
  const fig = sampleFigure();
  const png = await svgToPng(fig.svg, { scale: 2 });
  assertEquals([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset);
  // IHDR starts at byte 8 (length, "IHDR", width, height).
  assertEquals(new TextDecoder().decode(png.subarray(12, 16)), "IHDR");
  assertEquals(view.getUint32(16), Math.round(fig.width * 2));
  assertEquals(view.getUint32(20), Math.round(fig.height * 2));
});

Deno.test("svgToPng: text is drawn (a text-only SVG is not blank)", async () => {
  const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"></svg>`;
  const text = `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">` +
    `<text x="2" y="15" font-size="14">Loss</text></svg>`;
  const [a, b] = [await svgToPng(blank, { scale: 1 }), await svgToPng(text, { scale: 1 })];
  // A blank white image compresses to far fewer bytes than one with glyphs on it.
  assertOk(b.length > a.length + 50, `text PNG ${b.length} bytes vs blank ${a.length}`);
});

Deno.test("panels reject data they cannot draw", () => {
  assertThrows(() => heatmapPanel({ matrix: [[1, 2], [3]] }), InputError, "row 1");
  assertThrows(() => heatmapPanel({ matrix: [[1, NaN]] }), InputError, "(0, 1)");
  assertThrows(() => heatmapPanel({ matrix: [] }), InputError, "empty");
  assertThrows(
    () =>
      linePanel({
        series: [{ name: "x", source: "simulation", points: [{ x: 1, y: -1 }] }],
        x: { label: "t" },
        y: { label: "L", type: "log" },
      }),
    InputError,
    "no finite points",
  );
});

Deno.test("log ticks: powers of ten with superscript labels", () => {
  assertEquals(powerOfTen(-3), "10⁻³");
  assertEquals(powerOfTen(12), "10¹²");
  assertEquals(formatLogTick(1e-5), "10⁻⁵");
  assertEquals(logTicks(2e-4, 5e-1), [1e-3, 1e-2, 1e-1]);
  assertEquals(logTicks(0.2, 0.9), null);
  assertEquals(logTicks(1e-12, 1, 7)?.length, 7);
});

Deno.test("linear ticks: at least four, multiples of the step, every value inside the domain", () => {
  for (const [lo, hi] of [[-3.65, 3.97], [0, 5.3], [-5.04, 12.3], [0.9, 1.1], [7, 36], [2, 2]]) {
    const { ticks, domain } = linearTicks(lo, hi);
    assertOk(ticks.length >= 4 && ticks.length <= 9, `${lo}..${hi}: ${ticks}`);
    assertOk(domain[0] <= lo && domain[1] >= hi, `${lo}..${hi} inside ${domain}`);
    assertEquals([ticks[0], ticks[ticks.length - 1]], domain);
    const step = ticks[1] - ticks[0];
    for (let i = 1; i < ticks.length; i++) assertClose(ticks[i] - ticks[i - 1], step, 1e-12);
  }
  // The MDS panel of Fig. 6G that had one tick and curves running past the frame.
  const p = linePanel({
    series: [{
      name: "a",
      source: "simulation",
      points: [{ x: -3.65, y: -5 }, { x: 3.97, y: 12.3 }],
    }],
    x: { label: "MDS 1" },
    y: { label: "MDS 2" },
  });
  const xTicks = p.svg.match(/aria-label="x-axis tick label">(.*?)<\/g>/)![1].match(/<text/g)!;
  assertOk(xTicks.length >= 4, `x ticks: ${xTicks.length}`);
});

Deno.test("legends: a colour-coded simulation key shows its colours; scatter keys match the symbols", () => {
  const p = linePanel({
    series: [
      { name: "W[1,1]", source: "simulation", color: "#111111", points: curve((x) => x) },
      { name: "W[1,2]", source: "simulation", color: "#222222", points: curve((x) => -x) },
      { name: "W[1,1]", source: "theory", points: curve((x) => x) },
    ],
    x: { label: "t" },
    y: { label: "entry" },
    hideSeriesLegend: true,
    simulationLabel: "simulation (colour = entry)",
    markers: [{ x: 1, y: 1, color: "#333333" }],
    markerLabel: "marked",
  });
  const key = p.legend.find((l) => l.label === "simulation (colour = entry)")!;
  assertEquals([key.style, key.colors], ["palette", ["#111111", "#222222"]]);
  assertEquals(p.legend.find((l) => l.label === "marked")?.symbol, "times");
  const s = scatterPanel({
    points: ["linear", "tanh", "relu"].map((group) => ({ x: 1, y: 1, group })),
    x: { label: "predicted" },
    y: { label: "numerical" },
  });
  assertEquals(s.legend.map((l) => l.symbol), ["circle", "square", "triangle"]);
  // Coinciding points of three groups: three marks of different sizes, largest drawn first.
  const radii = [...s.svg.matchAll(/<path [^>]*d="M([\d.-]+),/g)].length;
  assertOk(radii >= 3, `three symbols drawn, got ${radii}`);
});
