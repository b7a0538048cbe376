/**
 * The depth figure's data path (scripts/depth.ts) at a reduced size: GD follows the exact
 * aligned solution, deeper networks learn later from the same product, the measured time to
 * learn matches the closed form, and unaligned inits lag the aligned prediction.
 */
import { computeDepth, PARAMETERS } from "../scripts/depth.ts";
import { assertEquals, assertOk } from "./assert.ts";

Deno.test("depth figure (reduced): GD vs exact, later with depth, t½ closed form", () => {
  const d = computeDepth({
    ...PARAMETERS,
    depths: [2, 4],
    horizon: 16,
    points: 33,
    learningRate: 0.01,
    scan: { s: 1, u0: [1e-1, 1e-2] },
  });
  assertEquals(d.runs.length, 2);
  for (const r of d.runs) {
    // GD at η = 0.01 lags gradient flow by O(η) in time; the mode strengths (up to s̃ = 3)
    // differ by at most O(η)·(steepest slope) ≈ 0.3 during the transitions.
    assertOk(r.maxModeGap < 0.3, `L=${r.depth}: gap ${r.maxModeGap}`);
    assertOk(r.halfTimes.unaligned >= r.halfTimes.aligned, `L=${r.depth} unaligned leads`);
  }
  assertOk(d.runs[1].halfTimes.aligned > d.runs[0].halfTimes.aligned, "deeper learns later");
  // Euler's O(η) lag against t½ ≥ 1: under 2 % at η = 0.01.
  assertOk(d.scanGap < 0.02, `measured vs exact t½: ${d.scanGap}`);
  assertEquals(d.scan.length, 3 * 2);
});
