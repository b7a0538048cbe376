/** Worker of Fig. 2C: one random network per task (see `runNetwork`). */
import { serveTasks } from "../../parallel/pool.ts";
import { runNetwork } from "../fig2c.ts";

serveTasks(runNetwork);
