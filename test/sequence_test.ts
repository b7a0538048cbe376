/** Continual learning by GD: chaining, all tasks' losses, and the forgetting formula of MATH.md. */
import { assertClose, assertEquals, assertOk, assertThrows } from "./assert.ts";
import { Random } from "../src/random.ts";
import { InputError } from "../src/errors.ts";
import { taskLoss } from "../src/task.ts";
import { randomTaskSequence } from "../src/tasks/random_task.ts";
import { zeroBalancedInit } from "../src/init/zero_balanced.ts";
import { continueFrom } from "../src/init/continue.ts";
import { simulate } from "../src/train/simulate.ts";
import { simulateSequence } from "../src/train/sequence.ts";
import { sub } from "../src/linalg/blas.ts";
import { det } from "../src/linalg/lu.ts";

Deno.test("simulateSequence chains runs and records every task's loss", () => {
  const rng = new Random(31);
  const tasks = randomTaskSequence(rng, 3, { ni: 3, no: 3, p: 6, noise: 0.2 });
  const init = zeroBalancedInit(rng, { ni: 3, nh: 4, no: 3, scale: 0.05 });
  const opts = { learningRate: 0.05, steps: 60, record: 20 };
  const seq = simulateSequence(tasks, init, opts);
  assertEquals(seq.taskStarts, [0, 3, 6]);
  assertEquals(seq.times.length, 10);
  assertClose(seq.times.at(-1)!, 180 * 0.05, 1e-12, "last time");
  // Same as chaining simulate by hand.
  const a = simulate(tasks[0], init, opts);
  const b = simulate(tasks[1], continueFrom(a), opts);
  assertEquals(seq.weights![6], b.weights!.at(-1));
  seq.states.forEach((s, i) => {
    for (const t of tasks) {
      assertClose(seq.extraLosses[t.name!][i], taskLoss(t, s.w2w1), 1e-12, `${t.name} at ${i}`);
    }
  });
  assertThrows(() => simulateSequence([], init, opts), InputError, "at least one");
});

Deno.test("forgetting after convergence matches Li(Tj) = ½‖Σj − Σi‖² + ci (MATH.md)", () => {
  const rng = new Random(32);
  const tasks = randomTaskSequence(rng, 2, {
    ni: 3,
    no: 3,
    p: 8,
    noise: 0.3,
    singularValues: [3, 2, 1],
  });
  const init = zeroBalancedInit(rng, { ni: 3, nh: 3, no: 3, scale: 0.5, task: tasks[0] });
  const seq = simulateSequence(tasks, init, { learningRate: 0.05, steps: 4000, record: 4000 });
  const [t1, t2] = tasks;
  // Training T2 from T1's optimum converges to the global minimum only when B is regular, i.e.
  // (square tasks) det Σ1 and det Σ2 have the same sign; the seed is chosen so that they do.
  assertOk(Math.sign(det(t1.sigmaYX)) === Math.sign(det(t2.sigmaYX)), "same determinant sign");
  const c1 = 0.5 * (t1.traceYY! - t1.sigmaYX.normFrobenius() ** 2);
  assertOk(c1 > 0.01, "noise makes the constant visible");
  const predicted = 0.5 * sub(t2.sigmaYX, t1.sigmaYX).normFrobenius() ** 2 + c1;
  // After 200τ of training on T2 from a regular init, W2W1 = Σ2 to far below 1e-9.
  assertClose(seq.extraLosses.T1.at(-1)!, predicted, 1e-9, "L1(T2)");
  assertClose(seq.extraLosses.T1[seq.taskStarts[1]], c1, 1e-9, "L1(T1) at convergence");
});
