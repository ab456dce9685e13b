/**
 * Round lookups in one place: a round as a member sees it (`getRound`), a round with the contest
 * rules its results are judged by (`roundWithContest`, `findRound`), and the contest's prize tiers
 * (`prizeTiersOf`, the one query for them).
 */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { contests, prizeTiers, rounds } from "../../db/schema";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

/** A round as a member sees it: its times and the contest's attempt rules. */
export function getRound(db: Conn, contestId: string, roundNumber: number) {
  return db
    .select({
      id: rounds.id,
      number: rounds.number,
      title: rounds.title,
      opensAt: rounds.opensAt,
      closesAt: rounds.closesAt,
      contestId: contests.id,
      contestTitle: contests.title,
      timezone: contests.timezone,
      timeLimitSeconds: contests.timeLimitSeconds,
      questionsPerAttempt: contests.questionsPerAttempt,
      attemptsPerRound: contests.attemptsPerRound,
      predictionEnabled: contests.predictionEnabled,
    })
    .from(rounds)
    .innerJoin(contests, eq(contests.id, rounds.contestId))
    .where(and(eq(rounds.contestId, contestId), eq(rounds.number, roundNumber)))
    .get();
}

export type RoundInfo = NonNullable<ReturnType<typeof getRound>>;

export function roundWithContest(db: Conn, roundId: number) {
  return db
    .select({
      id: rounds.id,
      number: rounds.number,
      title: rounds.title,
      opensAt: rounds.opensAt,
      closesAt: rounds.closesAt,
      resultsComputedAt: rounds.resultsComputedAt,
      participantCount: rounds.participantCount,
      predictionAnswer: rounds.predictionAnswer,
      contestId: contests.id,
      contestTitle: contests.title,
      timezone: contests.timezone,
      rankingOrder: contests.rankingOrder,
      predictionTarget: contests.predictionTarget,
      onePrizePerPerson: contests.onePrizePerPerson,
      liveStandings: contests.liveStandings,
      minPrizeScore: contests.minPrizeScore,
      frozenPrizeTiers: rounds.prizeTiers,
      showScore: contests.showScore,
      practice: contests.practice,
    })
    .from(rounds)
    .innerJoin(contests, eq(contests.id, rounds.contestId))
    .where(eq(rounds.id, roundId))
    .get();
}

export type RoundWithContest = NonNullable<ReturnType<typeof roundWithContest>>;

export function findRound(db: Conn, contestId: string, roundNumber: number) {
  const row = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(eq(rounds.contestId, contestId), eq(rounds.number, roundNumber)))
    .get();
  return row ? roundWithContest(db, row.id) : undefined;
}

/** The contest's prize tiers as they stand now, in order (name and how many). */
export function prizeTiersOf(db: Conn, contestId: string): { name: string; count: number }[] {
  return db
    .select({ name: prizeTiers.name, count: prizeTiers.count })
    .from(prizeTiers)
    .where(eq(prizeTiers.contestId, contestId))
    .orderBy(asc(prizeTiers.position))
    .all();
}
