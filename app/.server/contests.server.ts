/** Reading contests and their rounds for the public pages. */
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { contests, rounds } from "../../db/schema";
import { prizeTiersOf } from "./rounds.server";

export type ContestSummary = Awaited<ReturnType<typeof listContests>>[number];

export function listContests(db: Db) {
  const all = db
    .select({
      id: contests.id,
      title: contests.title,
      timezone: contests.timezone,
      practice: contests.practice,
    })
    .from(contests)
    .all();
  const contestRounds = all.length
    ? db
        .select({
          contestId: rounds.contestId,
          number: rounds.number,
          title: rounds.title,
          opensAt: rounds.opensAt,
          closesAt: rounds.closesAt,
        })
        .from(rounds)
        .where(
          inArray(
            rounds.contestId,
            all.map((c) => c.id),
          ),
        )
        .orderBy(asc(rounds.opensAt))
        .all()
    : [];
  return all.map((contest) => ({
    ...contest,
    rounds: contestRounds.filter((r) => r.contestId === contest.id),
  }));
}

export function getContest(db: Db, contestId: string) {
  const contest = db
    .select({
      id: contests.id,
      title: contests.title,
      timezone: contests.timezone,
      rulesMarkdown: contests.rulesMarkdown,
      timeLimitSeconds: contests.timeLimitSeconds,
      questionsPerAttempt: contests.questionsPerAttempt,
      attemptsPerRound: contests.attemptsPerRound,
      predictionEnabled: contests.predictionEnabled,
      minPrizeScore: contests.minPrizeScore,
      practice: contests.practice,
    })
    .from(contests)
    .where(eq(contests.id, contestId))
    .get();
  if (!contest) return null;
  const contestRounds = db
    .select({ id: rounds.id, number: rounds.number, title: rounds.title, opensAt: rounds.opensAt, closesAt: rounds.closesAt })
    .from(rounds)
    .where(eq(rounds.contestId, contestId))
    .orderBy(asc(rounds.number))
    .all();
  const prizes = prizeTiersOf(db, contestId);
  // A practice contest gives no prizes, whatever tiers are stored.
  return { ...contest, rounds: contestRounds, prizes: contest.practice ? [] : prizes };
}
