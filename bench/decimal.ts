/**
 * Eq. 5 in arbitrary precision, ms per time point on a 4×4×4 network (the precision study's
 * "4x4x4 small" problem; target ≤ 100 ms at 50 digits): the decimal.js backend against the
 * same formula in mpmath (`mp.expm`, `mp.lu_solve`, `mp.inverse` at `mp.dps` digits) on the
 * same inputs, when python3 has mpmath. Ratio = mpmath time / ours.
 *
 * @module
 */
import { decimalBackend } from "../src/linalg/decimal.ts";
import { checkShapes } from "../src/exact/assumptions.ts";
import { fukumizuSolution } from "../src/exact/fukumizu.ts";
import { buildProblem, problemInputs, studyProblem } from "../src/stability.ts";
import { type BenchSection, printTable, runNumpy } from "./harness.ts";

const DIGITS = [30, 50, 100];
/** Times where 50 digits still suffice for this problem (precision rule: lost ≤ 30 digits). */
const TIMES = [0.25, 0.5, 1, 2, 4, 8, 12, 16];
const PROBLEM = studyProblem("4x4x4 small");

function msPerPoint(digits: number): number {
  const inp = problemInputs(buildProblem(PROBLEM));
  const sol = fukumizuSolution(decimalBackend(digits), inp, checkShapes(inp));
  sol.at(1); // warm-up (JIT)
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    for (const t of TIMES) sol.at(t);
    best = Math.min(best, (performance.now() - t0) / TIMES.length);
  }
  return best;
}

function mpmathScript(): string {
  const d = buildProblem(PROBLEM);
  return `
import json, time
from mpmath import mp, matrix, expm, lu_solve, inverse, eye, zeros
d = json.loads(${JSON.stringify(JSON.stringify(d))})
out = {}
for dps in ${JSON.stringify(DIGITS)}:
    mp.dps = dps
    syx = matrix(d["sigmaYX"]); w1 = matrix(d["w1"]); w2 = matrix(d["w2"])
    n = syx.rows; nh = w1.rows
    f = zeros(2 * n, 2 * n)
    for i in range(n):
        for j in range(n):
            f[i, n + j] = syx[j, i]; f[n + i, j] = syx[i, j]
    q0 = zeros(2 * n, nh)
    for i in range(n):
        for j in range(nh):
            q0[i, j] = w1[j, i]; q0[n + i, j] = w2[i, j]
    finv = inverse(f)
    def at(x):
        ex = expm(f * x)
        mid = ex * finv * ex - finv
        bracket = eye(nh) + (q0.T * mid * q0) * mp.mpf(0.5)
        left = ex * q0
        rhs = left.T
        sol = zeros(nh, rhs.cols)
        for j in range(rhs.cols):
            col = lu_solve(bracket, rhs.column(j))
            for i in range(nh):
                sol[i, j] = col[i]
        return left * sol
    at(1)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for x in ${JSON.stringify(TIMES)}: at(x)
        best = min(best, (time.perf_counter() - t0) / ${TIMES.length})
    out[dps] = best * 1000
print(json.dumps(out))
`;
}

/** The decimal section of `deno task bench`. */
export const decimalSection: BenchSection = {
  name: "decimal",
  description: "Eq. 5 in arbitrary precision, ms per time point (4×4×4 network): " +
    "decimal.js backend vs the same formula in mpmath",
  async run() {
    const mp = await runNumpy<Record<string, number>>(mpmathScript());
    const rows = DIGITS.map((d) => {
      const ours = msPerPoint(d);
      const ref = mp?.[d];
      return [
        String(d),
        ours.toFixed(1),
        ref === undefined ? "—" : ref.toFixed(1),
        ref === undefined ? "—" : `${(ref / ours).toFixed(1)}×`,
      ];
    });
    printTable(this.description, ["digits", "decimal.js ms", "mpmath ms", "mpmath/ours"], rows);
  },
};
