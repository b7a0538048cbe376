import { parseState } from "./src/explorer/state.ts";
import { buildProblem } from "./src/explorer/problem.ts";
import { simulate } from "./src/train/simulate.ts";
import { kernelDistanceOverTime } from "./src/lazy_rich.ts";
import { svd } from "./src/linalg/svd.ts";
import { inputRsm } from "./src/observables.ts";
const s = parseState("task=random&ni=8&no=8&p=8&sv=8,7,6,5,4,3,2,1&nh=8&scale=0.01&eta=0.01&horizon=10&points=121");
const pr = buildProblem(s);
const sim = simulate(pr.task, pr.gdInit, { learningRate: s.eta, times: pr.times });
function time(name: string, f: () => unknown) {
  const ts = [];
  for (let r = 0; r < 31; r++) { const t0 = performance.now(); f(); ts.push(performance.now() - t0); }
  ts.sort((a, b) => a - b);
  console.log(name, ts[15].toFixed(2), "ms median");
}
time("kd X", () => kernelDistanceOverTime(sim, pr.task.X));
time("kd", () => kernelDistanceOverTime(sim));
time("svd", () => sim.states.map((q) => svd(q.w2w1).s));
time("rsm", () => sim.states.map((q) => inputRsm(q, pr.task.X!)));
time("simulate", () => simulate(pr.task, pr.gdInit, { learningRate: s.eta, times: pr.times }));
