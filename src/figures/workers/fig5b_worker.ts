/** Worker of Fig. 5B–C: one network per task (see `runForgetting`). */
import { serveTasks } from "../../parallel/pool.ts";
import { runForgetting } from "../fig5b.ts";

serveTasks(runForgetting);
