/**
 * Matrix views figures show as heatmaps: the SVD factors of a task and its representational
 * similarity matrices, `QQᵀ` with its quadrants marked, and their tidy tables.
 *
 * @module
 */
import type { CsvRow } from "../io/csv.ts";
import type { PanelTable } from "../io/output.ts";
import { matmul, scaleCols } from "../linalg/blas.ts";
import { svd } from "../linalg/svd.ts";
import { Matrix } from "../matrix.ts";
import { heatmapPanel, type RenderedPanel } from "../plot/panels.ts";

/** The SVD `Σyx = Ũ S̃ Ṽᵀ` and the task RSMs `ṼS̃Ṽᵀ` (input) and `ŨS̃Ũᵀ` (output). */
export interface TaskStructure {
  /** `Ũ`. */
  u: Matrix;
  /** `diag(S̃)`. */
  s: Matrix;
  /** `Ṽᵀ`. */
  vt: Matrix;
  /** `ṼS̃Ṽᵀ`. */
  rsmIn: Matrix;
  /** `ŨS̃Ũᵀ`. */
  rsmOut: Matrix;
}

/**
 * SVD factors and RSMs of `Σyx`: from `modes` when the task knows its SVD (a hierarchy's tree
 * modes), else from a compact numerical SVD.
 */
export function taskStructure(
  sigmaYX: Matrix,
  modes: { u: Matrix; s: Float64Array; v: Matrix } = svd(sigmaYX),
): TaskStructure {
  const { u, s, v } = modes;
  const sv = new Matrix(s.length, 1, s);
  return {
    u,
    s: Matrix.diag(s),
    vt: v.transpose(),
    rsmIn: matmul(scaleCols(v, sv), v, { transB: true }),
    rsmOut: matmul(scaleCols(u, sv), u, { transB: true }),
  };
}

/**
 * `ŨᵀMṼ`: a network function `M` (`No × Ni`) in the mode basis of a task's SVD `Σyx = ŨS̃Ṽᵀ`
 * (`Ũ` `No × r`, `Ṽ` `Ni × r`); its diagonal is the strength of each mode (Figs. 4 and 6).
 */
export function inModeBasis(u: Matrix, v: Matrix, m: Matrix): Matrix {
  return matmul(matmul(u, m, { transA: true }), v);
}

/** Long-format table of named matrices: `panel, matrix, row, col, value`. */
export function matricesTable(panel: string, mats: Record<string, Matrix>): PanelTable {
  const rows: CsvRow[] = [];
  for (const [name, m] of Object.entries(mats)) {
    for (let i = 0; i < m.rows; i++) {
      for (let j = 0; j < m.cols; j++) {
        rows.push({ panel, matrix: name, row: i, col: j, value: m.get(i, j) });
      }
    }
  }
  return { panel, rows };
}

/**
 * Heatmap of a `QQᵀ` (`(Ni+No) × (Ni+No)`) with its quadrants separated and rows labelled by
 * the weight they come from (`W1 i` for input `i`, `W2 a` for output `a`) unless `labels` is
 * false (a row of heatmaps labelled once).
 */
export function qqtHeatmap(m: Matrix, ni: number, size = 190, labels = true): RenderedPanel {
  const rowLabels = Array.from(
    { length: m.rows },
    (_, i) => (i < ni ? `W1 ${i + 1}` : `W2 ${i - ni + 1}`),
  );
  return heatmapPanel({
    matrix: m.toArray(),
    size,
    splits: [ni - 1],
    label: "QQᵀ entry",
    ...(labels ? { rowLabels } : {}),
  });
}
