/// <reference lib="dom" />
/**
 * The explorer page: binds the controls to an {@link ExplorerState} kept in the URL, computes
 * the view with the library (on this thread for small problems, in a Web Worker with a progress
 * bar above {@link MAIN_THREAD_BUDGET}), draws it, and offers the exports. Test contract:
 * `body[data-ready="1"]` once the WASM core is loaded and the first view drawn,
 * `textarea#config` holds the current problem as a `solve` config, `a#download-csv` the current
 * trajectory, and the query string the whole state.
 *
 * @module
 */
import { DlnError } from "../../errors.ts";
import { loadCore } from "../../wasm/core.ts";
import { type ExplorerState, parseState, stateQuery, validate } from "../../explorer/state.ts";
import {
  buildProblem,
  type ExplorerProblem,
  solveConfig,
  viewCost,
} from "../../explorer/problem.ts";
import {
  computeView,
  type ExplorerView,
  heatmapsAt,
  reviveView,
  viewCsv,
} from "../../explorer/view.ts";
import { PRESETS } from "../../explorer/presets.ts";
import { Heatmap, LineChart } from "./charts.ts";
import { download, figureSvg, svgToPngBlob } from "./export.ts";
import type { WorkerReply } from "./worker.ts";

/** Above this `viewCost` the view is computed in a Web Worker (measured: 8×8×8 is ~10⁷). */
export const MAIN_THREAD_BUDGET = 3e7;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** What a test (or a curious user) can read from the console. */
interface Debug {
  state: ExplorerState;
  view?: ExplorerView;
  /** Milliseconds of each full update (compute + draw + layout) on this thread. */
  updateTimes: number[];
  /** The compute part of each of those updates, in milliseconds. */
  computeTimes: number[];
  /** Views computed in the worker so far. */
  workerViews: number;
  /** The entries of a heatmap as drawn (`w1tw1`, `w2w2t`, `rsmIn`, `rsmOut`), row-major. */
  heatmapValues: (id: string) => number[];
  /** The figure as the SVG download would save it. */
  exportSvg: () => string;
  /** The figure as the PNG download would save it, base64-encoded. */
  exportPngBase64: () => Promise<string>;
}

let state: ExplorerState;
let problem: ExplorerProblem | undefined;
let view: ExplorerView | undefined;
let wasmModule: WebAssembly.Module;
const debug: Debug = {
  state: undefined!,
  updateTimes: [],
  computeTimes: [],
  workerViews: 0,
  heatmapValues: (id) => [...(heatmaps.get(id)?.map.matrix?.data ?? [])],
  exportSvg: () => composedSvg(),
  exportPngBase64: async () => {
    const bytes = new Uint8Array(await (await svgToPngBlob(composedSvg())).arrayBuffer());
    let text = "";
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  },
};
(globalThis as unknown as { explorer: Debug }).explorer = debug;

const charts = new Map<string, { chart: LineChart; legend: HTMLElement }>();
const heatmaps = new Map<string, { map: Heatmap; caption: HTMLElement }>();

// ---------- controls ↔ state ----------

const NUMBER_FIELDS = [
  "ni",
  "no",
  "p",
  "nh",
  "scale",
  "lambda",
  "seed",
  "noise",
  "eta",
  "horizon",
  "tau",
  "points",
] as const;

/**
 * Writes a control's value (or an element's text) only when it differs: while a slider moves
 * most controls keep their value, and every write, even of the same value, invalidates layout.
 */
function put(id: string, value: string, field: "value" | "textContent" | "max" = "value"): void {
  const e = $(id) as HTMLInputElement;
  if (e[field] !== value) e[field] = value;
}

/** Sets a boolean property only when it changes (re-setting `hidden` restyles the element). */
function toggle(id: string, field: "hidden" | "disabled", on: boolean): void {
  const e = $(id) as HTMLInputElement;
  if (e[field] !== on) e[field] = on;
}

function writeControls(s: ExplorerState): void {
  put("task", s.task);
  put("init", s.init);
  for (const k of NUMBER_FIELDS) put(k, String(s[k]));
  put("sv", s.sv.join(", "));
  put("syx", s.syx.map((r) => r.join(", ")).join("\n"));
  // The slider keeps its own position when it is what moved (its value need not round-trip).
  const scaleAt = s.scale > 0 ? Math.log10(s.scale) : -4;
  if (fromLog(($("scale-range") as HTMLInputElement).value) !== s.scale) {
    put("scale-range", String(scaleAt));
  }
  put("scale-out", String(s.scale), "textContent");
  if (fromLog(($("eta-range") as HTMLInputElement).value) !== s.eta) {
    put("eta-range", String(Math.log10(s.eta)));
  }
  put("eta-out", String(s.eta), "textContent");
  put("lambda-range", String(s.lambda));
  put("lambda-out", String(s.lambda), "textContent");
  toggle("lambda-fields", "hidden", s.init !== "lambda");
  // A learned init is set by the previous task, not by a scale.
  for (const id of ["scale-range", "scale"]) toggle(id, "disabled", s.init === "learned");
  toggle("random-fields", "hidden", s.task !== "random");
  toggle("custom-fields", "hidden", s.task !== "custom");
  put("time", String(s.points - 1), "max");
  put("time", String(timeIndex(s)));
  put("time-out", `t/τ = ${formatTime(s.t / s.tau)}`, "textContent");
}

function formatTime(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function timeIndex(s: ExplorerState): number {
  return Math.round((s.t / s.horizon) * (s.points - 1));
}

/** Three significant digits: slider positions give clean numbers in the URL. */
function fromLog(v: string): number {
  return Number((10 ** Number(v)).toPrecision(3));
}

function readNumber(id: string): number {
  const text = ($(id) as HTMLInputElement).value;
  return text.trim() === "" ? NaN : Number(text);
}

function showError(message: string): void {
  $("error").textContent = message;
}

/**
 * Applies a change: validates (an invalid change is shown and not applied), writes the URL,
 * and schedules a redraw of what it affects.
 */
function change(partial: Partial<ExplorerState>, timeOnly = false): void {
  let next: ExplorerState;
  try {
    next = validate({ ...state, ...partial });
  } catch (e) {
    if (!(e instanceof DlnError)) throw e;
    showError(`Not applied: ${e.message}`);
    return;
  }
  showError("");
  state = next;
  debug.state = state;
  delete $("download-csv").dataset.for; // until the view, the CSV and the URL catch up
  writeUrlSoon();
  writeControls(state);
  schedule(timeOnly ? "time" : "all");
}

let urlTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Writes the state to the address bar at most every 200 ms (browsers throttle or refuse
 * `history.replaceState` called on every frame, e.g. while playing).
 */
function writeUrlSoon(): void {
  urlTimer ??= setTimeout(() => {
    urlTimer = undefined;
    history.replaceState(null, "", `?${stateQuery(state)}`);
    refreshCsvFor();
  }, 200);
}

function bindControls(): void {
  for (const preset of PRESETS) {
    const b = document.createElement("button");
    b.type = "button";
    b.id = `preset-${preset.id}`;
    b.textContent = preset.label;
    b.title = preset.description;
    b.addEventListener("click", () => change(parseState("", preset.state)));
    $("presets").appendChild(b);
  }
  $("task").addEventListener("change", (e) => {
    const task = (e.target as HTMLSelectElement).value as ExplorerState["task"];
    const partial: Partial<ExplorerState> = { task };
    // Fields a task needs get values that fit it.
    if (task === "random") partial.sv = defaultSpectrum(Math.min(state.ni, state.no));
    if (["kingdom", "revised", "colour"].includes(task)) partial.nh = Math.max(state.nh, 8);
    if (["dense", "unequal", "equal"].includes(task)) partial.nh = Math.max(state.nh, 2);
    if (state.init === "aligned" && task === "custom") partial.init = "zero";
    change(partial);
  });
  $("init").addEventListener("change", (e) => {
    change({ init: (e.target as HTMLSelectElement).value as ExplorerState["init"] });
  });
  for (const k of NUMBER_FIELDS) {
    $(k).addEventListener("change", () => {
      const partial: Partial<ExplorerState> = { [k]: readNumber(k) };
      if ((k === "ni" || k === "no") && state.task === "random") {
        const ni = k === "ni" ? readNumber(k) : state.ni,
          no = k === "no" ? readNumber(k) : state.no;
        partial.sv = defaultSpectrum(Math.min(ni, no));
        partial.p = Math.max(state.p, ni);
        partial.nh = Math.max(state.nh, Math.min(ni, no));
      }
      change(partial);
    });
  }
  $("sv").addEventListener("change", () => {
    change({ sv: ($("sv") as HTMLInputElement).value.split(",").map((x) => Number(x)) });
  });
  $("apply-syx").addEventListener("click", () => {
    const text = ($("syx") as HTMLTextAreaElement).value.trim();
    change({ syx: text.split(/[\n;]+/).map((r) => r.split(/[,\s]+/).filter(Boolean).map(Number)) });
  });
  $("scale-range").addEventListener("input", (e) => {
    change({ scale: fromLog((e.target as HTMLInputElement).value) });
  });
  $("lambda-range").addEventListener("input", (e) => {
    change({ lambda: Number((e.target as HTMLInputElement).value) });
  });
  $("eta-range").addEventListener("input", (e) => {
    change({ eta: fromLog((e.target as HTMLInputElement).value) });
  });
  $("time").addEventListener("input", (e) => {
    const i = Number((e.target as HTMLInputElement).value);
    change({ t: (i / (state.points - 1)) * state.horizon }, true);
  });
  $("play").addEventListener("click", togglePlay);
  $("download-config").addEventListener("click", () => {
    if (problem) {
      download(new Blob([solveConfig(problem)], { type: "application/json" }), "config.json");
    }
  });
  $("download-csv").addEventListener("click", refreshCsv);
  $("download-svg").addEventListener("click", () => {
    download(new Blob([composedSvg()], { type: "image/svg+xml" }), "explorer.svg");
  });
  $("download-png").addEventListener("click", async () => {
    download(await svgToPngBlob(composedSvg()), "explorer.png");
  });
  $("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      $("status").dataset.copied = "1";
    } catch {
      showError(`Copy this link: ${location.href}`);
    }
  });
}

function defaultSpectrum(nm: number): number[] {
  return Array.from(
    { length: nm },
    (_, k) => Number((3 - (2 * k) / Math.max(1, nm - 1)).toFixed(3)),
  );
}

// ---------- playing ----------

let playing = false;

function togglePlay(): void {
  playing = !playing;
  $("play").textContent = playing ? "Pause" : "Play";
  $("play").setAttribute("aria-pressed", String(playing));
  if (playing) {
    if (timeIndex(state) >= state.points - 1) change({ t: 0 }, true);
    requestAnimationFrame(tick);
  }
}

function tick(): void {
  if (!playing) return;
  // The whole horizon in about 4 s at 60 frames per second.
  const step = Math.max(1, Math.round((state.points - 1) / 240));
  const i = Math.min(state.points - 1, timeIndex(state) + step);
  change({ t: (i / (state.points - 1)) * state.horizon }, true);
  if (i >= state.points - 1) togglePlay();
  else requestAnimationFrame(tick);
}

// ---------- computing ----------

let pending: "time" | "all" | null = null;

function schedule(kind: "time" | "all"): void {
  const first = pending === null;
  if (pending !== "all") pending = kind;
  if (first) requestAnimationFrame(flush);
}

function flush(): void {
  const kind = pending;
  pending = null;
  if (kind === "all") recompute();
  else if (kind === "time") drawTime();
}

let worker: Worker | undefined;
let workerBusy = false;
let requestId = 0;
let workerProblem: ExplorerProblem | undefined;

function recompute(): void {
  const started = performance.now();
  const id = ++requestId;
  let p: ExplorerProblem;
  try {
    p = buildProblem(state);
  } catch (e) {
    if (!(e instanceof DlnError)) throw e;
    showError(`${e.name}: ${e.message}`);
    return;
  }
  if (viewCost(state) <= MAIN_THREAD_BUDGET) {
    if (workerBusy) stopWorker();
    let v: ExplorerView;
    try {
      v = computeView(p);
    } catch (e) {
      if (!(e instanceof DlnError)) throw e;
      showError(`${e.name}: ${e.message}`);
      return;
    }
    debug.computeTimes.push(performance.now() - started);
    draw(p, v);
    void document.body.offsetHeight; // the layout is part of the frame's work
    debug.updateTimes.push(performance.now() - started);
    return;
  }
  if (workerBusy) stopWorker();
  if (!worker) {
    worker = new Worker(new URL("worker.js", location.href), { type: "module" });
    worker.postMessage({ kind: "init", module: wasmModule });
    worker.addEventListener("message", (e: MessageEvent<WorkerReply>) => onWorker(e.data));
  }
  workerBusy = true;
  showProgress(0, "starting");
  workerProblem = p;
  worker.postMessage({ kind: "compute", id, state });
}

function stopWorker(): void {
  worker?.terminate();
  worker = undefined;
  workerBusy = false;
  $("progress").hidden = true;
}

function showProgress(fraction: number, stage: string): void {
  $("progress").hidden = false;
  ($("progress-bar") as HTMLProgressElement).value = fraction;
  $("progress-stage").textContent = stage;
  document.body.dataset.busy = "1";
}

function onWorker(msg: WorkerReply): void {
  if (msg.id !== requestId) return;
  if (msg.kind === "progress") {
    showProgress(msg.fraction, msg.stage);
    return;
  }
  workerBusy = false;
  $("progress").hidden = true;
  delete document.body.dataset.busy;
  if (msg.kind === "error") {
    showError(msg.message);
    return;
  }
  debug.workerViews++;
  draw(workerProblem!, reviveView(msg.view), msg.csv);
}

// ---------- drawing ----------

function ensureFigure(
  parent: HTMLElement,
  id: string,
  title: string,
): { body: HTMLElement; caption: HTMLElement; legend: HTMLElement } {
  const fig = document.createElement("figure");
  fig.id = `panel-${id}`;
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  const body = document.createElement("div");
  body.className = "chart";
  const legend = document.createElement("div");
  legend.className = "legend";
  fig.append(caption, body, legend);
  parent.appendChild(fig);
  return { body, caption, legend };
}

/** Draws a view; `csv` is its CSV when the worker wrote it already. */
function draw(p: ExplorerProblem, v: ExplorerView, csv?: string): void {
  problem = p;
  view = v;
  viewCsvText = csv;
  debug.view = v;
  const xMax = p.state.horizon / p.state.tau;
  for (const panel of v.panels) {
    let entry = charts.get(panel.id);
    if (!entry) {
      const f = ensureFigure($("charts"), panel.id, panel.title);
      entry = {
        chart: new LineChart(f.body, panel.title, v.xLabel, panel.yLabel),
        legend: f.legend,
      };
      charts.set(panel.id, entry);
    }
    entry.chart.update(panel.curves, xMax);
    // Rebuilt only when its keys change (not on every frame of a slider).
    const keys = JSON.stringify([
      panel.curves.map((c) => [c.series, c.source, c.color]),
      panel.note,
      v.exact.ok && v.exact.method,
    ]);
    if (entry.legend.dataset.keys !== keys) {
      entry.legend.dataset.keys = keys;
      entry.legend.replaceChildren(...legendItems(panel.curves, v, panel.note));
    }
  }
  const method = v.exact.ok ? v.exact.method : "none";
  put(
    "status",
    `${p.description.task}; ${p.description.init}. ` +
      `Gradient descent: ${v.gd.steps} steps at η = ${v.gd.learningRate}. ` +
      (v.exact.ok
        ? `Exact solution: ${v.exact.reason}; λ = ${Number(v.exact.lambda.toPrecision(6))}; ` +
          "estimated relative error " +
          `${v.exact.errorEstimate.toExponential(1)}.`
        : `No exact solution: ${v.exact.error}`),
    "textContent",
  );
  if ($("status").dataset.method !== method) $("status").dataset.method = method;
  const warnings = (v.exact.ok ? v.exact.warnings : []).map((w) => `warning: ${w}`);
  const list = $("warnings");
  if (list.dataset.keys !== JSON.stringify(warnings)) {
    list.dataset.keys = JSON.stringify(warnings);
    list.replaceChildren(...warnings.map((w) => {
      const li = document.createElement("li");
      li.textContent = w;
      return li;
    }));
  }
  ($("config") as HTMLTextAreaElement).value = solveConfig(p);
  markCsvStale();
  drawTime();
  document.body.dataset.ready = "1";
}

function legendItems(
  curves: ExplorerView["panels"][number]["curves"],
  v: ExplorerView,
  note?: string,
): HTMLElement[] {
  const key = (cls: string, color: string, text: string) => {
    const span = document.createElement("span");
    span.className = "key";
    const swatch = document.createElement("i");
    swatch.className = cls;
    swatch.style.borderColor = color;
    span.append(swatch, text);
    return span;
  };
  const sims = curves.filter((c) => c.source === "simulation");
  const items = sims.length <= 8
    ? sims.map((c) => key("solid", c.color ?? "#4e79a7", `${c.series} (GD)`))
    : [key("solid", "#4e79a7", `gradient descent, ${sims.length} curves (colours by entry)`)];
  if (curves.some((c) => c.source === "theory")) {
    items.push(key("dotted", "black", `exact (${v.exact.ok ? v.exact.method : ""})`));
  }
  if (note) {
    const n = document.createElement("span");
    n.textContent = note;
    items.push(n);
  }
  return items;
}

function drawTime(): void {
  if (!problem || !view) return;
  // The view may be older than the state (a worker still computing): index its own grid.
  const shown = problem.state;
  const i = Math.min(timeIndex({ ...shown, t: state.t }), shown.points - 1);
  const x = (i / (shown.points - 1)) * shown.horizon / shown.tau;
  for (const { chart } of charts.values()) chart.setCursor(x);
  const { source, maps } = heatmapsAt(problem, view, i);
  put(
    "heatmap-title",
    `Representations at t/τ = ${formatTime(x)} (${
      source === "analytical" ? "exact solution" : "gradient descent: no exact form applies"
    })`,
    "textContent",
  );
  for (const h of maps) {
    let entry = heatmaps.get(h.id);
    if (!entry) {
      const f = ensureFigure($("heatmaps"), h.id, h.title);
      f.legend.textContent = "blue negative, white 0, red positive; scale symmetric about 0";
      entry = { map: new Heatmap(f.body, h.title), caption: f.caption };
      heatmaps.set(h.id, entry);
    }
    if (entry.caption.textContent !== h.title) entry.caption.textContent = h.title;
    entry.map.update(h.matrix, h.labels);
  }
  refreshCsvFor();
}

// ---------- exports ----------

let csvTimer: ReturnType<typeof setTimeout> | undefined;
let csvUrl: string | undefined;
let viewCsvText: string | undefined;

function markCsvStale(): void {
  delete $("download-csv").dataset.for;
  delete $("download-csv").dataset.key;
  clearTimeout(csvTimer);
  // Written when the sliders rest, not in every frame.
  csvTimer = setTimeout(refreshCsv, 150);
}

/** The URL query of what the CSV depends on: everything but the current time. */
function csvKey(s: ExplorerState): string {
  return stateQuery({ ...s, t: 0 });
}

function refreshCsv(): void {
  if (!view || !problem) return;
  const a = $("download-csv") as HTMLAnchorElement;
  const key = csvKey(problem.state);
  if (a.dataset.key !== key) {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = URL.createObjectURL(new Blob([viewCsvText ?? viewCsv(view)], { type: "text/csv" }));
    a.href = csvUrl;
    a.dataset.key = key;
  }
  refreshCsvFor();
}

/**
 * Marks the CSV link as current (`data-for` = the query string) when it holds the current
 * view and the address bar shows the current state.
 */
function refreshCsvFor(): void {
  const a = $("download-csv");
  const current = stateQuery(state);
  if (a.dataset.key === csvKey(state) && location.search.slice(1) === current) {
    a.dataset.for = current;
  }
}

function composedSvg(): string {
  const figures = [...document.querySelectorAll<HTMLElement>("#charts figure, #heatmaps figure")];
  const svgs = [...charts.values()].map((c) => c.chart.exportSvg()).concat(
    [...heatmaps.values()].map((h) => h.map.exportSvg()),
  );
  const titles = figures.map((f) => f.querySelector("figcaption")?.textContent ?? "");
  const legends = figures.map((f) =>
    [...f.querySelectorAll<HTMLElement>(".key")].map((k) => {
      const swatch = k.querySelector("i")!;
      return {
        color: swatch.style.borderColor,
        dotted: swatch.classList.contains("dotted"),
        text: k.textContent ?? "",
      };
    })
  );
  return figureSvg(svgs, titles, legends, [
    $("status").textContent ?? "",
    $("heatmap-title").textContent ?? "",
    "Lines: solid coloured = gradient descent, black dotted = exact solution. Heatmaps: blue " +
    "negative, white 0, red positive, on a scale symmetric about 0 (colour bar under each).",
  ]);
}

// ---------- start ----------

async function start(): Promise<void> {
  try {
    state = parseState(location.search);
  } catch (e) {
    showError(`The link's settings are invalid (${(e as Error).message}); showing the default.`);
    state = parseState("");
  }
  debug.state = state;
  writeControls(state);
  bindControls();
  wasmModule = await loadCore(new URL("dln.wasm", location.href));
  history.replaceState(null, "", `?${stateQuery(state)}`);
  recompute();
  if (!view && !workerBusy) document.body.dataset.ready = "1"; // an error is the first view
}

start().catch((e) => showError(`The explorer could not start: ${(e as Error).message}`));
