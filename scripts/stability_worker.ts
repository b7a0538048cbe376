/**
 * Worker of `scripts/stability.ts`: evaluates one (problem, time) point of the precision study.
 *
 * @module
 */
import { serveTasks } from "../src/parallel/pool.ts";
import { evaluatePoint, type PointTask, type StudyRow } from "../src/stability.ts";

serveTasks<PointTask, StudyRow[]>(evaluatePoint);
