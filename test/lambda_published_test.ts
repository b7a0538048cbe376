/**
 * The published stable λ form (Dominé et al., ICLR 2025; MATH.md "Published stable form",
 * `Ni = No = Nh`, "B invertible") as a claim: transcribed in numpy, independent of the library,
 * and compared with the library's bounded λ form (which every other test checks against the
 * gradient-flow reference). Skipped loudly when python3 with numpy is missing.
 */
import { Matrix } from "../src/matrix.ts";
import { Random } from "../src/random.ts";
import { f64Backend as be } from "../src/linalg/f64.ts";
import { solveExact } from "../src/exact/solve.ts";
import { joinQQt } from "../src/exact/solution.ts";
import { randomLambdaProblem } from "./lambda_problems.ts";
import { numpy } from "./linalg_checks.ts";
import { assertOk, relativeError } from "./assert.ts";
import { seed } from "./budget.ts";

/** The published form, as printed: B, C, center and Z with A = diag(a), X = diag(x). */
const PUBLISHED = `
def published(p, times):
  S = np.array(p["syx"]); W1 = np.array(p["w1"]); W2 = np.array(p["w2"]); lam = p["lam"]
  n = S.shape[0]
  Ut, st, Vth = np.linalg.svd(S); Vt = Vth.T
  U, s, Vh = np.linalg.svd(W2 @ W1); V = Vh.T
  r = np.sqrt(lam ** 2 + 4 * s ** 2)
  S1 = np.diag(np.sqrt((r - lam) / 2)); S2 = np.diag(np.sqrt((r + lam) / 2))
  mu = np.sqrt(st ** 2 + lam ** 2 / 4); x = lam / (2 * (mu + st)); a = 1 / np.sqrt(1 + x ** 2)
  A = np.diag(a); X = np.diag(x); I = np.eye(n); Mi = np.diag(1 / mu)
  B = S2 @ U.T @ Ut @ (A + X @ A) + S1 @ V.T @ Vt @ (A - X @ A)
  C = S2 @ U.T @ Ut @ (A - X @ A) - S1 @ V.T @ Vt @ (A + X @ A)
  Bi = np.linalg.inv(B)
  res = {"condB": float(np.linalg.cond(B)), "qqt": []}
  for t in times:
      E = np.diag(np.exp(-mu * t))
      center = 4 * E @ Bi @ Bi.T @ E + (I - E @ E) @ Mi - E @ Bi @ C @ (E @ E - I) @ Mi @ C.T @ Bi.T @ E
      K = E @ C.T @ Bi.T @ E
      Z = np.vstack([Vt @ ((A - X @ A) - (A + X @ A) @ K), Ut @ ((A + X @ A) + (A - X @ A) @ K)])
      res["qqt"].append((Z @ np.linalg.solve(center, Z.T)).tolist())
  return res
out = [published(p, inp["times"]) for p in inp["problems"]]
`;

async function hasNumpy(): Promise<boolean> {
  try {
    await numpy("out = 1", null);
    return true;
  } catch {
    return false;
  }
}

Deno.test("published stable λ form (Ni = No = Nh) equals the library's λ form", async () => {
  if (!(await hasNumpy())) {
    console.log(
      "skipped: python3 with numpy is not available (the published form is checked in numpy)",
    );
    return;
  }
  const rng = new Random(seed + 130);
  const times = [0, 0.5, 2, 10, 40];
  const rows: string[] = [];
  const cases = [1, 2, 3, 4].flatMap((n) => [-3, -0.5, 0.5, 3].map((lambda) => ({ n, lambda })));
  const problems = cases.map(({ n, lambda }) =>
    randomLambdaProblem(rng, { ni: n, nh: n, no: n, lambda, scale: 0.3 })
  );
  const theirs = await numpy<{ condB: number; qqt: number[][][] }[]>(PUBLISHED, {
    times,
    problems: problems.map((p) => ({
      syx: p.task.sigmaYX.toArray(),
      w1: p.inputs.w1.toArray(),
      w2: p.inputs.w2.toArray(),
      lam: p.lambda,
    })),
  });
  problems.forEach((p, k) => {
    const ours = solveExact(be, p.task, p.inputs, times, { method: "lambda" });
    let worst = 0;
    times.forEach((_, i) => {
      const e = relativeError(Matrix.from(theirs[k].qqt[i]), joinQQt(ours.states[i]));
      worst = Math.max(worst, e);
    });
    // Two stable forms in f64: each within ~cond(B)²·u of the exact value.
    const bound = 1e-13 * Math.max(1, theirs[k].condB) ** 2;
    const { n, lambda } = cases[k];
    assertOk(
      worst <= bound,
      `n=${n} λ=${lambda}: published form differs by ${worst} (cond(B) ${theirs[k].condB})`,
    );
    rows.push(`${n} ${lambda}: ${worst.toExponential(1)} (cond B ${theirs[k].condB.toFixed(1)})`);
  });
  console.log(`published λ form vs library (n λ: worst rel. difference): ${rows.join("; ")}`);
});
