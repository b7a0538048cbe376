/** Worker of a sweep: computes a batch of points (see `evaluateBatch`). */
import { serveTasks } from "../../parallel/pool.ts";
import { evaluateBatch } from "../run.ts";

serveTasks(evaluateBatch);
