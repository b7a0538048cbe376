/**
 * One-click presets reproducing the problems of paper Figs. 2, 3, 4 and 6 with the parameters and
 * seeds of the figure scripts (scripts/fig*.ts). Where a script draws several inits from one
 * generator, the preset reproduces the first draw exactly (same seed, same order: task, then
 * init); the others are the same kind of problem from a fresh draw.
 *
 * @module
 */
import { deriveSeed } from "../random.ts";
import type { ExplorerState } from "./state.ts";

/** A named preset. */
export interface Preset {
  /** Identifier (used in tests and as the button's id suffix). */
  id: string;
  /** Button label. */
  label: string;
  /** What the view shows. */
  description: string;
  /** The state it sets (the rest from the defaults). */
  state: Partial<ExplorerState>;
}

/** Fig. 2A's example network (scripts/fig2.ts), from small weights. */
const FIG2A: Partial<ExplorerState> = {
  task: "random",
  ni: 3,
  no: 2,
  p: 3,
  sv: [3, 1.2],
  nh: 3,
  init: "zero",
  scale: 0.005,
  seed: deriveSeed(2022, 0),
  eta: 0.005,
  tau: 1,
  horizon: 8,
  points: 161,
  noise: 0,
  t: 4,
};

/** Fig. 3's living kingdom (scripts/fig3.ts), from small zero-balanced weights. */
const FIG3C: Partial<ExplorerState> = {
  task: "kingdom",
  nh: 16,
  init: "zero",
  scale: 1e-3,
  seed: deriveSeed(3, 0),
  eta: 0.005,
  tau: 1,
  horizon: 8,
  points: 161,
  noise: 0,
  t: 8,
};

/** The presets, in the order of the paper. */
export const PRESETS: readonly Preset[] = [
  {
    id: "fig2a",
    label: "Fig. 2A",
    description: "3-3-2 network from small zero-balanced weights: Theorem 3.1 against GD",
    state: FIG2A,
  },
  {
    id: "fig2b",
    label: "Fig. 2B",
    description: "the same network from large zero-balanced weights",
    state: { ...FIG2A, scale: 1.5, horizon: 4, t: 1 },
  },
  {
    id: "fig3",
    label: "Fig. 3C (rich)",
    description: "living kingdom from small zero-balanced weights: rich, hierarchical learning",
    state: FIG3C,
  },
  {
    id: "fig3lazy",
    label: "Fig. 3D (lazy)",
    description: "living kingdom from large Gaussian weights: lazy, no exact solution",
    state: { ...FIG3C, init: "gaussian", scale: 0.7 },
  },
  {
    id: "fig4",
    label: "Fig. 4A",
    description: "2×2 dense target, task-aligned init (Theorem 5.1): decoupling of AᵀA",
    state: {
      task: "dense",
      nh: 2,
      init: "aligned",
      scale: 0.5,
      seed: deriveSeed(4, 0),
      eta: 0.005,
      tau: 1,
      horizon: 6,
      points: 121,
      noise: 0,
      t: 2,
    },
  },
  {
    id: "fig6",
    label: "Fig. 6E (revision)",
    description: "revised kingdom after learning the living kingdom: B singular, the exact flow " +
      "stays at the saddle; GD, perturbed by 1e-4, escapes",
    state: {
      ...FIG3C,
      task: "revised",
      init: "learned",
      eta: 0.01,
      horizon: 20,
      points: 121,
      noise: 1e-4,
      t: 20,
      seed: deriveSeed(6, 0),
    },
  },
];
