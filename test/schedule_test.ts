/** Record schedules of GD runs. */
import { assertEquals, assertOk, assertThrows } from "./assert.ts";
import { InputError } from "../src/errors.ts";
import { checkSchedule, everyKSteps, logSpacedSteps, MAX_STEPS } from "../src/train/schedule.ts";

Deno.test("everyKSteps: 0, k, 2k, … and always the last step", () => {
  assertEquals(everyKSteps(10, 4), [0, 4, 8, 10]);
  assertEquals(everyKSteps(8, 4), [0, 4, 8]);
  assertEquals(everyKSteps(0, 3), [0]);
  assertEquals(everyKSteps(3, 100), [0, 3]);
  assertThrows(() => everyKSteps(10, 0), InputError, "interval");
  assertThrows(() => everyKSteps(-1, 1), InputError, "steps");
  assertThrows(() => everyKSteps(MAX_STEPS + 1, 1), InputError, "steps");
});

Deno.test("logSpacedSteps: strictly increasing integers from 0 to steps, dense early", () => {
  assertEquals(logSpacedSteps(1000, 5), [0, 5, 31, 177, 1000]);
  const s = logSpacedSteps(1_000_000, 100);
  checkSchedule(s);
  assertEquals([s[0], s.at(-1)], [0, 1_000_000]);
  assertOk(s.length > 80 && s.length <= 100, `${s.length} records`);
  assertOk(s[10] < 100, "dense early");
  assertEquals(logSpacedSteps(3, 50), [0, 1, 2, 3]);
  assertThrows(() => logSpacedSteps(10, 1), InputError, "count ≥ 2");
});

Deno.test("checkSchedule rejects empty, non-integer, negative and non-increasing schedules", () => {
  checkSchedule([0, 1, 5]);
  assertThrows(() => checkSchedule([]), InputError, "empty");
  assertThrows(() => checkSchedule([0, 1.5]), InputError, "step 1 is 1.5");
  assertThrows(() => checkSchedule([-2]), InputError, "step 0 is -2");
  assertThrows(() => checkSchedule([3, 3]), InputError, "increase strictly");
});
