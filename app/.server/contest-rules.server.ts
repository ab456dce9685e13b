/**
 * The running-contest rules (app/domain/contest-rules.ts) applied to what the database holds: the
 * stored contest, and per round whether members have attempts, the latest deadline of those in
 * progress, and whether its results (and prize tiers) are frozen. importContent calls this for
 * every contest it writes, so the console, `content:import` and the demo seed share it.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attempts, contests, questions, roundQuotas, rounds } from "../../db/schema";
import { prizeTiersOf } from "./rounds.server";
import { checkContestChange, type RuleViolation, type StoredRoundState } from "~/domain/contest-rules";
import type { Contest } from "~/domain/content/contest";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

/** The file name a contest created in the browser carries. */
export const BROWSER_FILE = "(trình duyệt)";

/** A stored contest in the same shape as a parsed contest file, or null. */
export function storedContest(db: Conn, contestId: string): Contest | null {
  const row = db.select().from(contests).where(eq(contests.id, contestId)).get();
  if (!row) return null;
  const prizes = prizeTiersOf(db, contestId);
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
    minPrizeScore: row.minPrizeScore,
    prizes,
    certificateSigners: row.certificateSigners,
    embedOrigins: row.embedOrigins,
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
 * Per round number: attempts, the latest deadline in progress, frozen results. One subquery each,
 * on the attempts' round index and the partial index of attempts in progress, so a round of
 * 100,000 finalized attempts costs no scan.
 */
export function storedRoundStates(db: Conn, contestId: string): Map<number, StoredRoundState> {
  const rows = db.all<{ number: number; resultsComputedAt: number | null; hasAttempts: number; latestDeadline: number | null }>(sql`
    select r.number as number, r.results_computed_at as resultsComputedAt,
           exists (select 1 from ${attempts} a where a.round_id = r.id) as hasAttempts,
           (select max(a.deadline_at) from ${attempts} a where a.round_id = r.id and a.status = 'in_progress') as latestDeadline
    from ${rounds} r where r.contest_id = ${contestId}`);
  return new Map(
    rows.map((r) => [
      r.number,
      { hasAttempts: r.hasAttempts === 1, latestDeadline: r.latestDeadline, resultsFrozen: r.resultsComputedAt !== null },
    ]),
  );
}

/** Active question counts of every bank (inside an import: after its banks were written). */
function activeBankSizes(db: Conn): Map<string, number> {
  return new Map(
    db
      .select({ id: questions.bankId, n: sql<number>`count(*)` })
      .from(questions)
      .where(eq(questions.active, true))
      .groupBy(questions.bankId)
      .all()
      .map((r) => [r.id, r.n]),
  );
}

/**
 * Why writing `after` over what is stored would break a running contest's rules (empty: allowed),
 * with the stored contest it was compared with.
 */
export function contestChangeViolations(db: Conn, after: Contest, now: number): { before: Contest | null; violations: RuleViolation[] } {
  const before = storedContest(db, after.id);
  const violations = checkContestChange({
    before,
    after,
    now,
    bankSizes: activeBankSizes(db),
    rounds: storedRoundStates(db, after.id),
  });
  return { before, violations };
}
