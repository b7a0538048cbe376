/**
 * Worker of `scripts/stability.ts`: evaluates one (problem, time) point of the precision study,
 * or of its λ axis.
 *
 * @module
 */
import { serveTasks } from "../src/parallel/pool.ts";
import { evaluatePoint, type PointTask, type StudyRow } from "../src/stability.ts";
import { evaluateLambdaPoint, type LambdaPointTask } from "../src/stability_lambda.ts";

serveTasks<PointTask | LambdaPointTask, StudyRow[]>((task) =>
  "kase" in task ? evaluateLambdaPoint(task) : evaluatePoint(task)
);
