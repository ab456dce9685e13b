/**
 * The demo seed writes its practice contest through the same running-contest rules as the console
 * and content:import (docs/decisions/008): run again it never moves a round that has opened, and
 * once the round is over it adds the next one instead of reopening it.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PRACTICE_CONTEST_ID, seedPracticeContest } from "~/.server/demo/seed-demo.server";
import { auditLog, contests, rounds } from "../../db/schema";
import { DAY, seedContent, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
// 10:00 on 02/10/2024 in Vietnam; the practice round opens at that day's midnight.
const DAY_ONE = Date.UTC(2024, 9, 2, 3, 0);
const MIDNIGHT = Date.UTC(2024, 9, 1, 17, 0);

const practiceRounds = () =>
  ctx.db
    .select({ number: rounds.number, opensAt: rounds.opensAt, closesAt: rounds.closesAt })
    .from(rounds)
    .where(eq(rounds.contestId, PRACTICE_CONTEST_ID))
    .orderBy(rounds.number)
    .all();

describe("the demo seed's practice contest", () => {
  it("is kept as it is while its round runs, and gains a new round once it is over", () => {
    seedContent(ctx.db, []);
    seedPracticeContest(ctx.db, DAY_ONE);
    expect(practiceRounds()).toEqual([{ number: 1, opensAt: MIDNIGHT, closesAt: MIDNIGHT + 8 * DAY }]);
    const contest = ctx.db.select().from(contests).where(eq(contests.id, PRACTICE_CONTEST_ID)).get();

    // The next day the round has opened: nothing moves (it would have been refused).
    seedPracticeContest(ctx.db, DAY_ONE + DAY);
    expect(practiceRounds()).toEqual([{ number: 1, opensAt: MIDNIGHT, closesAt: MIDNIGHT + 8 * DAY }]);
    expect(ctx.db.select().from(contests).where(eq(contests.id, PRACTICE_CONTEST_ID)).get()).toEqual(contest);

    // Ten days later it is over: a second round opens at that day's midnight, the first is untouched.
    seedPracticeContest(ctx.db, DAY_ONE + 10 * DAY);
    expect(practiceRounds()).toEqual([
      { number: 1, opensAt: MIDNIGHT, closesAt: MIDNIGHT + 8 * DAY },
      { number: 2, opensAt: MIDNIGHT + 10 * DAY, closesAt: MIDNIGHT + 18 * DAY },
    ]);
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "round.create")).all()).toMatchObject([
      { subjectKind: "round", before: null, after: { opensAt: MIDNIGHT + 10 * DAY }, details: { via: "seed", number: 2 } },
    ]);
  });
});
