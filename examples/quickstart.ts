/**
 * Quick start: the exact solution (Theorem 3.1, chosen by "auto") against gradient descent on a
 * random 4-5-3 network from small zero-balanced weights.
 *
 *   npx -y deno@2.9.6 task build && npx -y deno@2.9.6 run --allow-read examples/quickstart.ts
 *
 * @module
 */
import {
  f64Backend,
  Random,
  randomTask,
  simulate,
  solveExact,
  zeroBalancedInit,
} from "../src/mod.ts";

const rng = new Random(7);
const task = randomTask(rng, { ni: 4, no: 3, singularValues: [3, 2, 1] });
const init = zeroBalancedInit(rng, { ni: 4, nh: 5, no: 3, scale: 0.01, task });
const times = [0, 1, 2, 4, 8];
const exact = solveExact(f64Backend, task, init, times); // method "auto"
const gd = simulate(task, init, { learningRate: 1e-3, times });
console.log(exact.reason);
for (let i = 0; i < times.length; i++) {
  console.log(
    `t = ${times[i]}: loss exact ${exact.loss[i].toFixed(6)}, GD ${gd.loss[i].toFixed(6)}`,
  );
}
