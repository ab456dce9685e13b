/** Contests as organizers edit them in the browser: load, check against the rules, save. */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { auditLog, contests, prizeTiers, roundQuotas, rounds } from "../../db/schema";
import { checkContestChange, type RuleViolation } from "~/domain/contest-rules";
import type { Contest } from "~/domain/content/contest";
import { bankSizes } from "./banks.server";
import { ContentConflictError, importContent } from "./content/import.server";

export const BROWSER_FILE = "(trình duyệt)";

export function contestForEdit(db: Db, contestId: string): Contest | null {
  const row = db.select().from(contests).where(eq(contests.id, contestId)).get();
  if (!row) return null;
  const prizes = db
    .select({ name: prizeTiers.name, count: prizeTiers.count })
    .from(prizeTiers)
    .where(eq(prizeTiers.contestId, contestId))
    .orderBy(asc(prizeTiers.position))
    .all();
  const contestRounds = db.select().from(rounds).where(eq(rounds.contestId, contestId)).orderBy(asc(rounds.number)).all();
  const quotas = db
    .select({ roundId: roundQuotas.roundId, bankId: roundQuotas.bankId, questionCount: roundQuotas.questionCount })
    .from(roundQuotas)
    .innerJoin(rounds, eq(rounds.id, roundQuotas.roundId))
    .where(eq(rounds.contestId, contestId))
    .all();
  return {
    file: row.sourceFile ?? BROWSER_FILE,
    id: row.id,
    idLine: 1,
    title: row.title,
    timezone: row.timezone,
    rulesMarkdown: row.rulesMarkdown,
    timeLimitSeconds: row.timeLimitSeconds,
    questionsPerAttempt: row.questionsPerAttempt,
    attemptsPerRound: row.attemptsPerRound,
    predictionEnabled: row.predictionEnabled,
    predictionTarget: row.predictionTarget,
    rankingOrder: row.rankingOrder,
    liveStandings: row.liveStandings,
    onePrizePerPerson: row.onePrizePerPerson,
    reviewAfter: row.reviewAfter,
    showScore: row.showScore,
    practice: row.practice,
    prizes,
    rounds: contestRounds.map((r) => ({
      number: r.number,
      title: r.title,
      opensAt: r.opensAt,
      closesAt: r.closesAt,
      quotas: quotas.filter((q) => q.roundId === r.id).map((q) => ({ bankId: q.bankId, questionCount: q.questionCount, line: 0 })),
      line: 0,
    })),
  };
}

/**
 * Saves a changed contest if every rule allows it; otherwise returns why not and writes nothing.
 * The write itself is the content import (one transaction), plus an audit entry naming the change.
 */
export function saveContest(
  db: Db,
  { before, after, now, actorUserId, change }: { before: Contest | null; after: Contest; now: number; actorUserId: string; change: string },
): RuleViolation[] {
  const violations = checkContestChange({ before, after, now, bankSizes: bankSizes(db) });
  if (violations.length > 0) return violations;
  const normalized: Contest = {
    ...after,
    rounds: after.rounds
      .map((r) => ({ ...r, quotas: r.quotas.filter((q) => q.questionCount > 0) }))
      .sort((a, b) => a.number - b.number),
  };
  try {
    db.transaction(() => {
      importContent(db, { banks: [], contests: [normalized], units: null }, { now, actorUserId });
      db.insert(auditLog).values({ at: now, actorUserId, action: `contest.${change}`, subject: `contest:${after.id}`, details: { change } }).run();
    });
  } catch (error) {
    if (error instanceof ContentConflictError) return error.errors.map((e) => ({ field: "form", message: e.message }));
    throw error;
  }
  return [];
}
