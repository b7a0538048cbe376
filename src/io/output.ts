/**
 * The output folder of one figure (`out/<name>/`): `figure.svg`, `figure.png`, one tidy CSV per
 * panel (`panel_<letter>.csv`) and `manifest.json`. The folder is written as a whole
 * (`writeDirectoryAtomic`): an interrupted run leaves the previous folder, never a partial one.
 *
 * @module
 */
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { writeDirectoryAtomic } from "./atomic.ts";
import { type CsvRow, toCsv } from "./csv.ts";
import { buildManifest, type ManifestInput } from "./manifest.ts";

/** The long-format data of one panel. */
export interface PanelTable {
  /** Panel letter (or letter plus suffix, e.g. `"A"`, `"C_top"`): names the file. */
  panel: string;
  /** One row per observation, e.g. `{ panel, series, source, t, value }`. */
  rows: readonly CsvRow[];
  /** Column order (default: order of first appearance). */
  columns?: readonly string[];
}

/** Everything one figure run writes. */
export interface FigureOutputs {
  /** The composed SVG. */
  svg: string;
  /** The PNG rendering of it. */
  png: Uint8Array;
  /** Data of every panel. */
  tables: readonly PanelTable[];
  /** Manifest content except the list of files (filled in here). */
  manifest: Omit<ManifestInput, "files">;
}

/** File name of a panel's CSV. */
export function panelCsvName(panel: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(panel)) {
    throw new InputError(`panel name "${panel}" must be letters, digits, "_" or "-"`);
  }
  return `panel_${panel}.csv`;
}

/**
 * Writes a figure's outputs as the folder `dir`, replacing an older one as a whole (the parent
 * is created if needed). Returns the written file names.
 *
 * @throws {InputError} when two tables share a panel name
 */
export async function writeFigureOutputs(dir: string, out: FigureOutputs): Promise<string[]> {
  const names = out.tables.map((t) => panelCsvName(t.panel));
  if (new Set(names).size !== names.length) {
    throw new InputError(`panel tables repeat a name: ${names.join(", ")}`);
  }
  const files = [...names, "figure.svg", "figure.png", "manifest.json"];
  const manifest = buildManifest({ ...out.manifest, files });
  await writeDirectoryAtomic(dir, async (tmp) => {
    for (const [k, t] of out.tables.entries()) {
      await Deno.writeTextFile(join(tmp, names[k]), toCsv(t.rows, t.columns));
    }
    await Deno.writeTextFile(join(tmp, "figure.svg"), out.svg);
    await Deno.writeFile(join(tmp, "figure.png"), out.png);
    await Deno.writeTextFile(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  });
  return files;
}
