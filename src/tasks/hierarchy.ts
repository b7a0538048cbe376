/**
 * The semantic hierarchy of paper Fig. 3 and its revisions (Fig. 6C): eight living things in a
 * three-level binary tree, one-hot inputs, one output feature per node of the tree.
 *
 * Choice of features (the paper shows them only as a picture; documented here). In the style of
 * Saxe, McClelland & Ganguli (2019), each internal node of the tree contributes one contrast
 * feature: the root "living thing" (+1 on every item), "animal vs plant" (+1 on animals,
 * −1 on plants), "bird vs fish" and "flower vs tree" (±1 on their two pairs, 0 elsewhere), and
 * four item-level contrasts ("canary vs robin", …). These eight features are orthogonal, so
 * `Σyx` is square (8×8, Assumption 2.1) and of full rank (2.4), and its SVD is exactly the tree:
 * the input singular vectors are the Haar-like vectors of the tree and the singular values are
 * set per level by `levelStrengths` (root, kingdom, class, item), with multiplicities 1, 1, 2, 4.
 * Input–input similarity `ṼS̃Ṽᵀ` then orders as in the paper: the two fish are most similar, a
 * fish is less similar to a bird and least to a plant.
 *
 * Inputs are one-hot items scaled by `√P` (`P = 8`), so `Σxx = I` and `Σyx = Y/√8`.
 *
 * @module
 */
import { InputError } from "../errors.ts";
import { Matrix } from "../matrix.ts";
import type { Task } from "../task.ts";
import { taskFromCorrelation } from "./whiten.ts";

/** The eight items, in the order of the living-kingdom tree (inputs are indexed this way). */
export const ITEMS = [
  "canary",
  "robin",
  "salmon",
  "sunfish",
  "daisy",
  "rose",
  "oak",
  "pine",
] as const;

/**
 * A hierarchy task with the names of its output features and the SVD of its `Σyx` known by
 * construction (the tree's modes).
 */
export type HierarchyTask = Task & {
  featureNames: readonly string[];
  /**
   * `Σyx = Ũ diag(s̃) Ṽᵀ` with one mode per node of the tree: `Ũ` the feature axes, `Ṽ` the
   * normalised contrast patterns over items, `s̃` descending. Singular values repeat within a
   * level, so a numerical SVD may return any rotation inside each level; these are the modes
   * the tree defines, the ones to plot and to read the network function in.
   */
  modes: { u: Matrix; s: Float64Array; v: Matrix };
};

/** Output features of the living kingdom (one per node of the tree, root first). */
export const LIVING_FEATURES: readonly string[] = [
  "living thing",
  "animal vs plant",
  "bird vs fish",
  "flower vs tree",
  "canary vs robin",
  "salmon vs sunfish",
  "daisy vs rose",
  "oak vs pine",
];

/** Default singular values per level of the tree: root, kingdom, class, item. */
export const LEVEL_STRENGTHS: readonly number[] = [3, 2, 1.5, 1];

/**
 * A hierarchy task on the eight {@link ITEMS}: the leaves of a balanced binary tree of depth 3
 * hold the items `leafOrder[0], …, leafOrder[7]`; each of its 7 internal nodes plus the root
 * feature gives one ±1 contrast feature (see the module doc), scaled so that `Σyx` has
 * singular value `levelStrengths[l]` for each feature of level `l`.
 *
 * @param leafOrder a permutation of `0..7` (item indices into {@link ITEMS})
 * @param featureNames eight names of the output features (for labels)
 * @throws {InputError} when `leafOrder` is not a permutation of 0..7 or strengths are invalid
 */
export function hierarchyTask(
  leafOrder: readonly number[],
  featureNames: readonly string[],
  name: string,
  levelStrengths: readonly number[] = LEVEL_STRENGTHS,
): HierarchyTask {
  const n = ITEMS.length;
  if (leafOrder.length !== n || [...leafOrder].sort().some((v, i) => v !== i)) {
    throw new InputError(`leafOrder must be a permutation of 0..${n - 1}, got [${leafOrder}]`);
  }
  if (levelStrengths.length !== 4 || !levelStrengths.every((s) => Number.isFinite(s) && s > 0)) {
    throw new InputError(`levelStrengths must be 4 positive numbers, got [${levelStrengths}]`);
  }
  // Feature rows over leaf positions: root, then for each level the contrast of the two halves
  // of every subtree (width 8, 4, 2).
  const rows: { level: number; pattern: number[] }[] = [{ level: 0, pattern: Array(n).fill(1) }];
  for (let level = 1, width = n; level <= 3; level++, width /= 2) {
    for (let start = 0; start < n; start += width) {
      const pattern = Array(n).fill(0);
      for (let j = 0; j < width; j++) pattern[start + j] = j < width / 2 ? 1 : -1;
      rows.push({ level, pattern });
    }
  }
  // Σyx row f = s_l · pattern / ‖pattern‖ (orthonormal rows times strengths ⇒ singular values
  // s_l, right singular vectors = normalised patterns), read back from leaf positions to items.
  const syx = Matrix.zeros(n, n);
  const patterns = Matrix.zeros(n, n); // column f: normalised pattern of feature f over items
  rows.forEach(({ level, pattern }, f) => {
    const norm = Math.sqrt(pattern.reduce((a, v) => a + v * v, 0));
    pattern.forEach((v, pos) => {
      syx.data[f * n + leafOrder[pos]] = (levelStrengths[level] * v) / norm;
      patterns.data[leafOrder[pos] * n + f] = v / norm;
    });
  });
  // Modes in order of decreasing strength (stable: tree order within a level).
  const order = rows.map((r, f) => ({ f, s: levelStrengths[r.level] })).sort((a, b) => b.s - a.s);
  const modes = {
    u: Matrix.fromFunction(n, n, (i, k) => (i === order[k].f ? 1 : 0)),
    s: Float64Array.from(order, (o) => o.s),
    v: Matrix.fromFunction(n, n, (i, k) => patterns.get(i, order[k].f)),
  };
  return { ...taskFromCorrelation(syx, name), featureNames, modes };
}

/** The living-kingdom hierarchy of paper Fig. 3A. */
export function livingKingdomTask(levelStrengths?: readonly number[]): HierarchyTask {
  return hierarchyTask([0, 1, 2, 3, 4, 5, 6, 7], LIVING_FEATURES, "living kingdom", levelStrengths);
}

/**
 * The revised living kingdom of Fig. 6C (top): two neighbouring items swap places in the tree
 * (default the two fish, items 2 and 3). Swapping siblings reverses exactly one mode of `Σyx`
 * (their item-level contrast), so for a network trained on {@link livingKingdomTask} the new
 * task is a reversal-learning task and `B` is singular.
 * @throws {InputError} when the items are not two different indices of {@link ITEMS}
 */
export function revisedKingdomTask(
  swap: readonly [number, number] = [2, 3],
  levelStrengths?: readonly number[],
): HierarchyTask {
  const [a, b] = swap;
  if (![a, b].every((i) => Number.isInteger(i) && i >= 0 && i < ITEMS.length) || a === b) {
    throw new InputError(`swap needs two different item indices in 0..7, got [${swap}]`);
  }
  const order = [0, 1, 2, 3, 4, 5, 6, 7];
  order[a] = b;
  order[b] = a;
  return hierarchyTask(order, LIVING_FEATURES, "revised kingdom", levelStrengths);
}

/**
 * The colour hierarchy of Fig. 6C (bottom): the same items under a new tree and new features,
 * warm (red: robin, rose; yellow: canary, sunfish) vs cool (green: oak, pine; pale: salmon,
 * daisy). Same tree shape, hence the same singular values as the living kingdom, but different
 * singular vectors.
 */
export function colourHierarchyTask(levelStrengths?: readonly number[]): HierarchyTask {
  return hierarchyTask(
    [1, 5, 0, 3, 6, 7, 2, 4],
    [
      "coloured",
      "warm vs cool",
      "red vs yellow",
      "green vs pale",
      "robin vs rose",
      "canary vs sunfish",
      "oak vs pine",
      "salmon vs daisy",
    ],
    "colour hierarchy",
    levelStrengths,
  );
}
