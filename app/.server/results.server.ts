/**
 * Results: computed with app/domain/ranking.ts when a round closes, stored in round_results and
 * contest_results, and read from there by every leaderboard and export. A judge's decision
 * (disqualify, reinstate) recomputes and stores again, and says so in the audit log.
 */
import { type SQL, and, asc, between, count, eq, gt, inArray, isNotNull, isNull, lt, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { alias } from "drizzle-orm/sqlite-core";
import {
  attempts,
  branches,
  contestResults,
  contests,
  disqualifications,
  districts,
  prizeTiers,
  rankDraws,
  roundResults,
  roundUnitNames,
  rounds,
  users,
  type FrozenPrizeTier,
} from "../../db/schema";
import { groupKey, rankLabel, rankOverall, rankRound, type RankableAttempt, type RankedEntry } from "~/domain/ranking";
import { canFreeze, freezableClosedBefore, roundStatus } from "~/domain/schedule";
import { computeScores, finalizeOverdueAttempts } from "./attempts.server";
import { recordAudit } from "./audit.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

/* ---------- computing ---------- */

function roundWithContest(db: Conn, roundId: number) {
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

/**
 * Finalized attempts of a round, as the ranking needs them, with the units each attempt recorded
 * when it started (the member's present units only for an attempt that recorded none): a rename
 * or merge after the round never moves its results. Plain SQL: at 100,000 attempts the query
 * builder's row mapping cost more than the query.
 */
export function rankableAttempts(db: Conn, roundId: number): (RankableAttempt & { districtId: string; branchId: string })[] {
  return db.all(sql`
    select a.id as attemptId, a.user_id as userId, coalesce(a.score, 0) as score, a.max_score as maxScore,
           coalesce(a.correct_count, 0) as correctCount, a.prediction as prediction,
           coalesce(a.duration_ms, 0) as durationMs, coalesce(a.finalized_at, 0) as finalizedAt,
           coalesce(a.district_id, u.district_id) as districtId, coalesce(a.branch_id, u.branch_id) as branchId
    from ${attempts} a join ${users} u on u.id = a.user_id
    where a.round_id = ${roundId} and a.status != 'in_progress'`);
}

function disqualifiedIn(db: Conn, roundId: number): Set<string> {
  return new Set(
    db
      .select({ userId: disqualifications.userId })
      .from(disqualifications)
      .where(eq(disqualifications.roundId, roundId))
      .all()
      .map((d) => d.userId),
  );
}

function prizesOf(db: Conn, contestId: string) {
  return db
    .select({ name: prizeTiers.name, count: prizeTiers.count })
    .from(prizeTiers)
    .where(eq(prizeTiers.contestId, contestId))
    .orderBy(asc(prizeTiers.position))
    .all();
}

/**
 * The prize rules a round is judged by: the tiers and minimum score stored when its results were
 * frozen, or (not frozen yet) the contest's current ones. A later edit of the contest's prizes never
 * rewrites a closed round's winners (docs/decisions/008-running-contest-rules.md).
 */
function prizeRulesOf(db: Conn, round: RoundWithContest): { tiers: FrozenPrizeTier[]; minPrizeScore: number | null } {
  if (round.frozenPrizeTiers) {
    return {
      tiers: round.frozenPrizeTiers.map(({ name, count }) => ({ name, count })),
      minPrizeScore: round.frozenPrizeTiers[0]?.minScore ?? null,
    };
  }
  return { tiers: prizesOf(db, round.contestId), minPrizeScore: round.minPrizeScore };
}

/** With one prize per person: who already won in an earlier round of the contest. */
function earlierWinners(db: Conn, round: RoundWithContest): Set<string> {
  if (!round.onePrizePerPerson) return new Set();
  return new Set(
    db
      .select({ userId: roundResults.userId })
      .from(roundResults)
      .innerJoin(rounds, eq(rounds.id, roundResults.roundId))
      .where(and(eq(rounds.contestId, round.contestId), lt(rounds.number, round.number), isNotNull(roundResults.prize)))
      .all()
      .map((r) => r.userId),
  );
}

/** The judges' recorded draws of a round: each tied group's members in drawn order. */
function drawsOf(db: Conn, roundId: number): string[][] {
  return db
    .select({ members: rankDraws.members })
    .from(rankDraws)
    .where(eq(rankDraws.roundId, roundId))
    .all()
    .map((d) => d.members);
}

/** The round's ranking computed now from its finalized attempts (not stored). */
export function computeRoundRanking(
  db: Conn,
  round: RoundWithContest,
  attempted = rankableAttempts(db, round.id),
): { entries: RankedEntry[]; actual: number; participants: number } {
  const { tiers, minPrizeScore } = prizeRulesOf(db, round);
  return rankRound({
    attempts: attempted,
    order: round.rankingOrder,
    target: round.predictionTarget,
    disqualified: disqualifiedIn(db, round.id),
    // A practice contest's ranking is for information: no prizes, no winners.
    prizes: round.practice ? [] : tiers,
    minPrizeScore,
    alreadyWon: earlierWinners(db, round),
    draws: drawsOf(db, round.id),
  });
}

function storeRoundResultsInTx(tx: Tx, client: Db["$client"], round: RoundWithContest, now: number) {
  const attempted = rankableAttempts(tx, round.id);
  const { entries, actual, participants } = computeRoundRanking(tx, round, attempted);
  // The units of the attempt that counts, not of whichever attempt came last.
  const units = new Map(attempted.map((a) => [a.attemptId, a]));
  tx.delete(roundResults).where(eq(roundResults.roundId, round.id)).run();
  // A prepared statement per row, inside the transaction: 100,000 rows in well under a second,
  // where building multi-row INSERTs through the query builder took many seconds.
  const insert = client.prepare(
    `insert into round_results (round_id, user_id, attempt_id, rank, position, score, max_score, correct_count, prediction,
       prediction_distance, duration_ms, finalized_at, prize, draw_pending, draw_place, district_id, branch_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const e of entries) {
    const unit = units.get(e.attemptId)!;
    insert.run(
      round.id,
      e.userId,
      e.attemptId,
      e.rank,
      e.position,
      e.score,
      e.maxScore,
      e.correctCount,
      e.prediction,
      e.predictionDistance,
      e.durationMs,
      e.finalizedAt,
      e.prize,
      e.drawPending ? 1 : 0,
      e.drawPlace,
      unit.districtId,
      unit.branchId,
    );
  }
  // Frozen only once no answer can still arrive (the close plus the answer grace, as the sweep
  // waits). Stored earlier (a judge opening the desk at the close), they stay unfrozen, and the
  // sweep stores them again with the attempts submitted inside the grace.
  const frozen = canFreeze(round, now);
  snapshotUnitNames(tx, round.id);
  // The prize tiers are frozen with the results, once: every later re-freeze reads them back.
  const { tiers, minPrizeScore } = prizeRulesOf(tx, round);
  const prizeTiers = frozen ? (round.frozenPrizeTiers ?? tiers.map((t) => ({ ...t, minScore: minPrizeScore }))) : null;
  // The members who took part and the prediction's answer are kept apart: with the "perfect-scores"
  // target they differ, and pages show the first while distances use the second.
  tx.update(rounds)
    .set({ resultsComputedAt: frozen ? now : null, participantCount: participants, predictionAnswer: actual, prizeTiers })
    .where(eq(rounds.id, round.id))
    .run();
}

/**
 * Keeps the names of the round's units as they are now, the first time its results are stored; a
 * later store (a judge's decision) keeps the names already kept, so renames never reach the past.
 * Every finalized attempt's units, disqualified members' too (their export rows name them).
 */
function snapshotUnitNames(tx: Tx, roundId: number) {
  for (const [kind, unitColumn, table, parent] of [
    ["district", sql`coalesce(a.district_id, u.district_id)`, districts, sql`null`],
    ["branch", sql`coalesce(a.branch_id, u.branch_id)`, branches, sql`coalesce(a.district_id, u.district_id)`],
  ] as const) {
    tx.run(sql`
      insert or ignore into ${roundUnitNames} (round_id, kind, unit_id, name, district_id)
      select distinct ${roundId}, ${kind}, x.id, x.name, ${parent}
      from ${attempts} a join ${users} u on u.id = a.user_id join ${table} x on x.id = ${unitColumn}
      where a.round_id = ${roundId} and a.status != 'in_progress'`);
  }
}

/** A closed round's unit names as kept with its results, by kind then id. */
export function roundUnitNameMap(db: Conn, roundId: number) {
  const names = { district: new Map<string, string>(), branch: new Map<string, string>() };
  for (const row of db.select().from(roundUnitNames).where(eq(roundUnitNames.roundId, roundId)).all())
    names[row.kind].set(row.unitId, row.name);
  return names;
}

/**
 * The contest's unit names for its overall ranking: each unit as the latest of its closed rounds
 * kept it (the overall ranking is made of those rounds only).
 */
export function contestUnitNameMap(db: Conn, contestId: string) {
  const names = { district: new Map<string, string>(), branch: new Map<string, string>() };
  const rows = db
    .select({ kind: roundUnitNames.kind, unitId: roundUnitNames.unitId, name: roundUnitNames.name })
    .from(roundUnitNames)
    .innerJoin(rounds, eq(rounds.id, roundUnitNames.roundId))
    .where(eq(rounds.contestId, contestId))
    .orderBy(asc(rounds.number))
    .all();
  for (const row of rows) names[row.kind].set(row.unitId, row.name);
  return names;
}

function storeContestResultsInTx(tx: Tx, client: Db["$client"], contestId: string) {
  const contest = tx.select({ rankingOrder: contests.rankingOrder }).from(contests).where(eq(contests.id, contestId)).get();
  if (!contest) return;
  const stored = tx
    .select({
      roundId: roundResults.roundId,
      userId: roundResults.userId,
      score: roundResults.score,
      predictionDistance: roundResults.predictionDistance,
      durationMs: roundResults.durationMs,
      finalizedAt: roundResults.finalizedAt,
      districtId: roundResults.districtId,
      branchId: roundResults.branchId,
    })
    .from(roundResults)
    .innerJoin(rounds, eq(rounds.id, roundResults.roundId))
    .where(eq(rounds.contestId, contestId))
    // Round order: a member's overall row carries their units of the latest round they took.
    .orderBy(asc(rounds.number))
    .all();
  const byRound = new Map<number, typeof stored>();
  const units = new Map<string, { districtId: string; branchId: string }>();
  for (const row of stored) {
    // Appending in place: copying the list per row would be quadratic at 100,000 members.
    const list = byRound.get(row.roundId);
    if (list) list.push(row);
    else byRound.set(row.roundId, [row]);
    units.set(row.userId, row);
  }
  const overall = rankOverall([...byRound.values()], contest.rankingOrder);
  tx.delete(contestResults).where(eq(contestResults.contestId, contestId)).run();
  const insert = client.prepare(
    `insert into contest_results (contest_id, user_id, rank, position, total_score, rounds, prediction_distance, duration_ms,
       finalized_at, district_id, branch_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const o of overall) {
    const unit = units.get(o.userId)!;
    insert.run(
      contestId,
      o.userId,
      o.rank,
      o.position,
      o.totalScore,
      o.rounds,
      o.predictionDistance,
      o.durationMs,
      o.finalizedAt,
      unit.districtId,
      unit.branchId,
    );
  }
}

/**
 * Computes and stores a closed round's results (finalizing any attempt still open first), then
 * the rounds after it whose prizes depend on it, and the contest's overall ranking.
 */
export function storeRoundResults(db: Db, roundId: number, now: number): void {
  finalizeOverdueAttempts(db, Math.max(now, 0));
  db.transaction(
    (tx) => {
      const round = roundWithContest(tx, roundId);
      if (!round) return;
      storeRoundResultsInTx(tx, db.$client, round, now);
      if (round.onePrizePerPerson) {
        const later = tx
          .select({ id: rounds.id })
          .from(rounds)
          .where(and(eq(rounds.contestId, round.contestId), gt(rounds.number, round.number), isNotNull(rounds.resultsComputedAt)))
          .orderBy(asc(rounds.number))
          .all();
        for (const { id } of later) storeRoundResultsInTx(tx, db.$client, roundWithContest(tx, id)!, now);
      }
      storeContestResultsInTx(tx, db.$client, round.contestId);
    },
    { behavior: "immediate" },
  );
}

/** Rounds closed (past the answer grace) whose results are not stored yet: store them. */
export function freezeClosedRounds(db: Db, now: number): number {
  const pending = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(isNull(rounds.resultsComputedAt), lt(rounds.closesAt, freezableClosedBefore(now))))
    .orderBy(asc(rounds.closesAt))
    .all();
  for (const { id } of pending) storeRoundResults(db, id, now);
  return pending.length;
}

/* ---------- judges' decisions ---------- */

/** The member's disqualification in the round, if any: the "before" of a judge's decision. */
function disqualificationOf(tx: Tx, roundId: number, userId: string) {
  return tx
    .select({ reason: disqualifications.reason })
    .from(disqualifications)
    .where(and(eq(disqualifications.roundId, roundId), eq(disqualifications.userId, userId)))
    .get();
}

export function disqualify(
  db: Db,
  { roundId, userId, reason, byUserId, now }: { roundId: number; userId: string; reason: string; byUserId: string; now: number },
) {
  db.transaction(
    (tx) => {
      const earlier = disqualificationOf(tx, roundId, userId);
      tx.insert(disqualifications)
        .values({ roundId, userId, reason, byUserId, createdAt: now })
        .onConflictDoUpdate({ target: [disqualifications.roundId, disqualifications.userId], set: { reason, byUserId, createdAt: now } })
        .run();
      recordAudit(tx, {
        at: now,
        actorUserId: byUserId,
        action: "round.disqualify",
        subjectKind: "round",
        subjectId: String(roundId),
        before: earlier ? { disqualified: true, reason: earlier.reason } : { disqualified: false },
        after: { disqualified: true, reason },
        details: { userId, reason },
      });
    },
    { behavior: "immediate" },
  );
  const round = roundWithContest(db, roundId);
  if (round?.resultsComputedAt) storeRoundResults(db, roundId, now);
}

export function reinstate(
  db: Db,
  { roundId, userId, reason, byUserId, now }: { roundId: number; userId: string; reason: string; byUserId: string; now: number },
) {
  db.transaction(
    (tx) => {
      const earlier = disqualificationOf(tx, roundId, userId);
      tx.delete(disqualifications)
        .where(and(eq(disqualifications.roundId, roundId), eq(disqualifications.userId, userId)))
        .run();
      recordAudit(tx, {
        at: now,
        actorUserId: byUserId,
        action: "round.reinstate",
        subjectKind: "round",
        subjectId: String(roundId),
        before: earlier ? { disqualified: true, reason: earlier.reason } : { disqualified: false },
        after: { disqualified: false },
        details: { userId, reason },
      });
    },
    { behavior: "immediate" },
  );
  const round = roundWithContest(db, roundId);
  if (round?.resultsComputedAt) storeRoundResults(db, roundId, now);
}

/**
 * Members sharing a rank across a prize boundary with no draw recorded ("đồng hạng — cần bốc
 * thăm"), by rank, with the prize slots the group holds; and the draws recorded so far.
 */
export function tiedGroups(db: Conn, roundId: number) {
  const pending = db.all<{ rank: number; userId: string; fullName: string; phone: string }>(sql`
    select r.rank as rank, r.user_id as userId, u.full_name as fullName, u.phone as phone
    from ${roundResults} r join ${users} u on u.id = r.user_id
    where r.round_id = ${roundId} and r.draw_pending = 1
    order by r.rank, r.position`);
  const groups = new Map<number, { rank: number; members: { userId: string; fullName: string; phone: string }[] }>();
  for (const row of pending) {
    const group = groups.get(row.rank) ?? { rank: row.rank, members: [] };
    group.members.push({ userId: row.userId, fullName: row.fullName, phone: row.phone });
    groups.set(row.rank, group);
  }
  const names = new Map(
    db
      .all<{ id: string; fullName: string }>(
        sql`select u.id as id, u.full_name as fullName from ${users} u where u.id in (select value from ${rankDraws} d, json_each(d.members) where d.round_id = ${roundId})`,
      )
      .map((u) => [u.id, u.fullName]),
  );
  const draws = db
    .select({ members: rankDraws.members, reason: rankDraws.reason, createdAt: rankDraws.createdAt })
    .from(rankDraws)
    .where(eq(rankDraws.roundId, roundId))
    .orderBy(asc(rankDraws.createdAt))
    .all()
    .map((d) => ({ order: d.members.map((id) => names.get(id) ?? id), reason: d.reason, at: d.createdAt }));
  return { pending: [...groups.values()], draws };
}

/**
 * Records a judges' draw for a tied group that waits for one: `members` in drawn order must be
 * exactly the group sharing `rank` with its prizes undecided. Audited, then the round's results
 * are stored again with the draw deciding the group's prizes.
 */
export function recordDraw(
  db: Db,
  {
    roundId,
    rank,
    members,
    reason,
    byUserId,
    now,
  }: { roundId: number; rank: number; members: string[]; reason: string; byUserId: string; now: number },
): { ok: true } | { ok: false; error: "not-pending" | "wrong-members" } {
  const outcome = db.transaction(
    (tx) => {
      const group = tx
        .select({ userId: roundResults.userId })
        .from(roundResults)
        .where(and(eq(roundResults.roundId, roundId), eq(roundResults.rank, rank), eq(roundResults.drawPending, true)))
        .all()
        .map((r) => r.userId);
      if (group.length === 0) return "not-pending" as const;
      if (group.length !== members.length || groupKey(group) !== groupKey(members)) return "wrong-members" as const;
      const memberKey = groupKey(members);
      tx.insert(rankDraws)
        .values({ roundId, memberKey, members, reason, byUserId, createdAt: now })
        .onConflictDoUpdate({ target: [rankDraws.roundId, rankDraws.memberKey], set: { members, reason, byUserId, createdAt: now } })
        .run();
      recordAudit(tx, {
        at: now,
        actorUserId: byUserId,
        action: "round.draw",
        subjectKind: "round",
        subjectId: String(roundId),
        before: { rank, drawPending: true, members: group },
        after: { rank, drawPending: false, order: members, reason },
        details: { rank, order: members, reason },
      });
      return "ok" as const;
    },
    { behavior: "immediate" },
  );
  if (outcome !== "ok") return { ok: false, error: outcome };
  storeRoundResults(db, roundId, now);
  return { ok: true };
}

/**
 * The round's disqualified members with the units of their latest finalized attempt in the round
 * (as the round kept their names), so the judges' files name the units as they were.
 */
export function listDisqualified(db: Conn, roundId: number) {
  return db.all<{ userId: string; reason: string; at: number; fullName: string; phone: string; district: string; branch: string }>(sql`
    select q.user_id as userId, q.reason as reason, q.created_at as at, u.full_name as fullName, u.phone as phone,
           coalesce(dn.name, d.name) as district, coalesce(bn.name, b.name) as branch
    from ${disqualifications} q
    join ${users} u on u.id = q.user_id
    left join ${attempts} a on a.id = (
      select a2.id from ${attempts} a2 where a2.round_id = q.round_id and a2.user_id = q.user_id and a2.status != 'in_progress'
      order by a2.started_at desc limit 1)
    join ${districts} d on d.id = coalesce(a.district_id, u.district_id)
    join ${branches} b on b.id = coalesce(a.branch_id, u.branch_id)
    left join ${roundUnitNames} dn on dn.round_id = q.round_id and dn.kind = 'district' and dn.unit_id = d.id
    left join ${roundUnitNames} bn on bn.round_id = q.round_id and bn.kind = 'branch' and bn.unit_id = b.id
    where q.round_id = ${roundId}
    order by q.created_at`);
}

/**
 * Re-scores every finalized attempt of a round from its stored draw and answers and lists where
 * the stored score differs. There must be none: scores depend only on stored data.
 */
export function rescoreRound(db: Db, roundId: number, actorUserId: string | null, now: number) {
  const finalized = db
    .select({ id: attempts.id, score: attempts.score, correctCount: attempts.correctCount, userId: attempts.userId })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .all();
  const differences: { attemptId: string; userId: string; stored: number | null; recomputed: number }[] = [];
  const batch = 2000;
  for (let i = 0; i < finalized.length; i += batch) {
    const slice = finalized.slice(i, i + batch);
    const scores = computeScores(
      db,
      slice.map((a) => a.id),
    );
    for (const attempt of slice) {
      const recomputed = scores.get(attempt.id)!;
      if (recomputed.score !== attempt.score || recomputed.correctCount !== attempt.correctCount) {
        differences.push({ attemptId: attempt.id, userId: attempt.userId, stored: attempt.score, recomputed: recomputed.score });
      }
    }
  }
  recordAudit(db, {
    at: now,
    actorUserId,
    action: "round.rescore",
    subjectKind: "round",
    subjectId: String(roundId),
    // Re-scoring changes nothing stored: what it found is the "after".
    after: { attempts: finalized.length, differences: differences.length },
    details: { attempts: finalized.length, differences: differences.length },
  });
  return { checked: finalized.length, differences };
}

/* ---------- reading ---------- */

export interface LeaderboardFilter {
  districtId?: string;
  branchId?: string;
}

/** A round's unit names as it kept them (the present name only for a round stored before 0004). */
const districtAsKept = alias(roundUnitNames, "district_as_kept");
const branchAsKept = alias(roundUnitNames, "branch_as_kept");

const entryColumns = {
  rank: roundResults.rank,
  position: roundResults.position,
  drawPending: roundResults.drawPending,
  userId: roundResults.userId,
  fullName: users.fullName,
  phone: users.phone,
  district: sql<string>`coalesce(${districtAsKept.name}, ${districts.name})`,
  branch: sql<string>`coalesce(${branchAsKept.name}, ${branches.name})`,
  score: roundResults.score,
  maxScore: roundResults.maxScore,
  correctCount: roundResults.correctCount,
  prediction: roundResults.prediction,
  predictionDistance: roundResults.predictionDistance,
  durationMs: roundResults.durationMs,
  finalizedAt: roundResults.finalizedAt,
  prize: roundResults.prize,
  attemptId: roundResults.attemptId,
};

function roundFilter(roundId: number, filter: LeaderboardFilter) {
  return and(
    eq(roundResults.roundId, roundId),
    filter.districtId ? eq(roundResults.districtId, filter.districtId) : undefined,
    filter.branchId ? eq(roundResults.branchId, filter.branchId) : undefined,
  );
}

/**
 * Both stored rankings (a round's, the contest's) are read the same way: a page of ranks walked on
 * the covering (scope, [unit,] rank) index before any join, and a member's position as a count.
 */
type RankedTable = typeof roundResults | typeof contestResults;

function pageOfRanks(db: Conn, table: RankedTable, where: SQL | undefined, page: number, pageSize: number) {
  const total = db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
  // (rank, position) is the listing order, and the covering index's: a shared rank spans rows.
  const keys = db
    .select({ rank: table.rank, position: table.position })
    .from(table)
    .where(where)
    .orderBy(asc(table.rank), asc(table.position))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const positions = keys.map((r) => r.position);
  // The rows are then fetched on the (scope, rank, position) index: a rank range, then the positions.
  const onPage = (scope: SQL) =>
    keys.length ? and(scope, between(table.rank, keys[0]!.rank, keys[keys.length - 1]!.rank), inArray(table.position, positions)) : scope;
  return { total, positions, onPage };
}

/**
 * Rank labels for a page of rows in listing order, within the filtered scope: a row's rank is one
 * more than the rows ranked strictly before it there ("3", or "3=" when another row of the scope
 * shares it). One count before the page and one per edge group: never a count per row.
 */
export function labelRanks<R extends { rank: number; position: number }>(
  db: Conn,
  table: RankedTable,
  where: SQL | undefined,
  rows: readonly R[],
): (R & { rankInScope: number; shared: boolean; rankLabel: string })[] {
  if (rows.length === 0) return [];
  const countWhere = (extra: SQL | undefined) => db.select({ n: count() }).from(table).where(and(where, extra)).get()?.n ?? 0;
  const first = rows[0]!.rank;
  const last = rows[rows.length - 1]!.rank;
  const before = countWhere(lt(table.rank, first));
  // Rows of the scope before the page (the first group may have begun on the page before).
  const start = before + countWhere(and(eq(table.rank, first), lt(table.position, rows[0]!.position)));
  const edge = new Map<number, number>([[first, countWhere(eq(table.rank, first))]]);
  if (last !== first) edge.set(last, countWhere(eq(table.rank, last)));
  const inPage = new Map<number, number>();
  for (const r of rows) inPage.set(r.rank, (inPage.get(r.rank) ?? 0) + 1);
  let rankInScope = before + 1;
  return rows.map((r, i) => {
    if (i > 0 && r.rank !== rows[i - 1]!.rank) rankInScope = start + i + 1;
    const shared = (edge.get(r.rank) ?? inPage.get(r.rank)!) > 1;
    return { ...r, rankInScope, shared, rankLabel: rankLabel(rankInScope, shared) };
  });
}

/** Where a member stands within a filtered ranking: their row (for the page) and their shared rank. */
function standingIn(
  db: Conn,
  table: RankedTable,
  where: SQL | undefined,
  userId: string,
): { row: number; rank: number; shared: boolean } | null {
  const mine = db
    .select({ rank: table.rank, position: table.position })
    .from(table)
    .where(and(where, eq(table.userId, userId)))
    .get();
  if (!mine) return null;
  const before =
    db
      .select({ n: count() })
      .from(table)
      .where(and(where, lt(table.rank, mine.rank)))
      .get()?.n ?? 0;
  const same =
    db
      .select({ n: count() })
      .from(table)
      .where(and(where, eq(table.rank, mine.rank), lt(table.position, mine.position)))
      .get()?.n ?? 0;
  const sharing =
    db
      .select({ n: count() })
      .from(table)
      .where(and(where, eq(table.rank, mine.rank)))
      .get()?.n ?? 1;
  return { row: before + same + 1, rank: before + 1, shared: sharing > 1 };
}

function positionIn(db: Conn, table: RankedTable, where: SQL | undefined, userId: string): number | null {
  return standingIn(db, table, where, userId)?.row ?? null;
}

/** One page of a round's stored ranking (rank order), with the total for the pager. */
export function roundLeaderboardPage(db: Conn, roundId: number, filter: LeaderboardFilter, page: number, pageSize: number) {
  const where = roundFilter(roundId, filter);
  const { total, positions, onPage } = pageOfRanks(db, roundResults, where, page, pageSize);
  if (positions.length === 0) return { total, rows: [] };
  const rows = db
    .select(entryColumns)
    .from(roundResults)
    .innerJoin(users, eq(users.id, roundResults.userId))
    .innerJoin(districts, eq(districts.id, roundResults.districtId))
    .innerJoin(branches, eq(branches.id, roundResults.branchId))
    .leftJoin(
      districtAsKept,
      and(
        eq(districtAsKept.roundId, roundResults.roundId),
        eq(districtAsKept.kind, "district"),
        eq(districtAsKept.unitId, roundResults.districtId),
      ),
    )
    .leftJoin(
      branchAsKept,
      and(eq(branchAsKept.roundId, roundResults.roundId), eq(branchAsKept.kind, "branch"), eq(branchAsKept.unitId, roundResults.branchId)),
    )
    .where(onPage(eq(roundResults.roundId, roundId)))
    .orderBy(asc(roundResults.rank), asc(roundResults.position))
    .all();
  return { total, rows: labelRanks(db, roundResults, where, rows) };
}

/** Every row of a round's ranking, for exports (plain SQL: 100,000 rows). */
export function roundLeaderboardAll(db: Conn, roundId: number, { prizedOnly = false } = {}) {
  return db.all<{
    rank: number;
    userId: string;
    fullName: string;
    phone: string;
    district: string;
    branch: string;
    score: number;
    maxScore: number;
    correctCount: number;
    prediction: number | null;
    predictionDistance: number;
    durationMs: number;
    finalizedAt: number;
    prize: string | null;
    drawPending: number;
    drawPlace: number | null;
    attemptId: string;
  }>(sql`
    select r.rank as rank, r.draw_pending as drawPending, r.draw_place as drawPlace, r.user_id as userId, u.full_name as fullName, u.phone as phone, coalesce(dn.name, d.name) as district,
           coalesce(bn.name, b.name) as branch, r.score as score, r.max_score as maxScore, r.correct_count as correctCount,
           r.prediction as prediction, r.prediction_distance as predictionDistance, r.duration_ms as durationMs,
           r.finalized_at as finalizedAt, r.prize as prize, r.attempt_id as attemptId
    from ${roundResults} r
    join ${users} u on u.id = r.user_id
    join ${districts} d on d.id = r.district_id
    join ${branches} b on b.id = r.branch_id
    left join ${roundUnitNames} dn on dn.round_id = r.round_id and dn.kind = 'district' and dn.unit_id = r.district_id
    left join ${roundUnitNames} bn on bn.round_id = r.round_id and bn.kind = 'branch' and bn.unit_id = r.branch_id
    where r.round_id = ${roundId} ${prizedOnly ? sql`and (r.prize is not null or r.draw_pending = 1)` : sql``}
    order by r.rank, r.position`);
}

/** Where a member stands within a filtered round ranking (1-based), or null if not ranked. */
export function roundPosition(db: Conn, roundId: number, userId: string, filter: LeaderboardFilter): number | null {
  return positionIn(db, roundResults, roundFilter(roundId, filter), userId);
}

/** A member's shared rank within a filtered round ranking ("3=" when shared), or null. */
export function roundStanding(db: Conn, roundId: number, userId: string, filter: LeaderboardFilter) {
  return standingIn(db, roundResults, roundFilter(roundId, filter), userId);
}

/** A member's shared rank within the filtered overall ranking, or null. */
export function overallStanding(db: Conn, contestId: string, userId: string, filter: LeaderboardFilter) {
  return standingIn(db, contestResults, contestFilter(contestId, filter), userId);
}

function contestFilter(contestId: string, filter: LeaderboardFilter) {
  return and(
    eq(contestResults.contestId, contestId),
    filter.districtId ? eq(contestResults.districtId, filter.districtId) : undefined,
    filter.branchId ? eq(contestResults.branchId, filter.branchId) : undefined,
  );
}

export function overallLeaderboardPage(db: Conn, contestId: string, filter: LeaderboardFilter, page: number, pageSize: number) {
  const where = contestFilter(contestId, filter);
  const { total, positions, onPage } = pageOfRanks(db, contestResults, where, page, pageSize);
  if (positions.length === 0) return { total, rows: [] };
  const rows = db
    .select({
      rank: contestResults.rank,
      position: contestResults.position,
      userId: contestResults.userId,
      fullName: users.fullName,
      phone: users.phone,
      district: districts.name,
      branch: branches.name,
      totalScore: contestResults.totalScore,
      rounds: contestResults.rounds,
      predictionDistance: contestResults.predictionDistance,
      durationMs: contestResults.durationMs,
    })
    .from(contestResults)
    .innerJoin(users, eq(users.id, contestResults.userId))
    .innerJoin(districts, eq(districts.id, contestResults.districtId))
    .innerJoin(branches, eq(branches.id, contestResults.branchId))
    .where(onPage(eq(contestResults.contestId, contestId)))
    .orderBy(asc(contestResults.rank), asc(contestResults.position))
    .all();
  const kept = contestUnitNameMap(db, contestId);
  const districtIds = new Map(
    db
      .select({ userId: contestResults.userId, districtId: contestResults.districtId, branchId: contestResults.branchId })
      .from(contestResults)
      .where(onPage(eq(contestResults.contestId, contestId)))
      .all()
      .map((r) => [r.userId, r]),
  );
  return {
    total,
    rows: labelRanks(db, contestResults, where, rows).map((r) => {
      const unit = districtIds.get(r.userId);
      return {
        ...r,
        district: (unit && kept.district.get(unit.districtId)) ?? r.district,
        branch: (unit && kept.branch.get(unit.branchId)) ?? r.branch,
      };
    }),
  };
}

export function overallPosition(db: Conn, contestId: string, userId: string, filter: LeaderboardFilter): number | null {
  return positionIn(db, contestResults, contestFilter(contestId, filter), userId);
}

export interface UnitRow {
  unitId: string;
  name: string;
  participants: number;
  averageScore: number;
  /** For a district, how many of its branches have a ranked member (a collective-prize tie-break). */
  branchesRepresented: number;
}

/**
 * Districts or branches of a round (or of the whole contest with `roundId` null): participants and
 * average score, from the stored rankings, so disqualified members count in neither. Over the whole
 * contest each member counts once as a participant (in their latest unit) and the average is per
 * round taken (the mean of their round scores, not of totals): a unit gains nothing from members
 * who played more rounds.
 */
export function unitStandings(
  db: Conn,
  {
    contestId,
    roundId,
    level,
    districtId,
  }: { contestId: string; roundId: number | null; level: "district" | "branch"; districtId?: string },
): UnitRow[] {
  const unit = sql.raw(level === "district" ? "district_id" : "branch_id");
  const grouped =
    roundId === null
      ? db.all<{ unitId: string; participants: number; averageScore: number | null; branchesRepresented: number }>(sql`
          select c.${unit} as unitId, count(distinct c.user_id) as participants, avg(r.score) as averageScore,
                 count(distinct c.branch_id) as branchesRepresented
          from ${contestResults} c
          join ${roundResults} r on r.user_id = c.user_id and r.round_id in (select id from ${rounds} where contest_id = ${contestId})
          where c.contest_id = ${contestId} ${districtId ? sql`and c.district_id = ${districtId}` : sql``}
          group by c.${unit}`)
      : db.all<{ unitId: string; participants: number; averageScore: number | null; branchesRepresented: number }>(sql`
          select r.${unit} as unitId, count(*) as participants, avg(r.score) as averageScore, count(distinct r.branch_id) as branchesRepresented
          from ${roundResults} r
          where r.round_id = ${roundId} ${districtId ? sql`and r.district_id = ${districtId}` : sql``}
          group by r.${unit}`);
  const present = new Map(
    (level === "district"
      ? db.select({ id: districts.id, name: districts.name }).from(districts).all()
      : db
          .select({ id: branches.id, name: branches.name })
          .from(branches)
          .where(
            inArray(
              branches.id,
              grouped.map((g) => g.unitId),
            ),
          )
          .all()
    ).map((u) => [u.id, u.name]),
  );
  // Names as the round (or the contest's rounds) kept them; the present name for anything older.
  const kept = (roundId === null ? contestUnitNameMap(db, contestId) : roundUnitNameMap(db, roundId))[level];
  return grouped.map((g) => ({
    unitId: g.unitId,
    name: kept.get(g.unitId) ?? present.get(g.unitId) ?? g.unitId,
    participants: g.participants,
    averageScore: g.averageScore ?? 0,
    branchesRepresented: g.branchesRepresented,
  }));
}

/** Members with a finalized attempt in an open round: total and by district (counts only). */
export function liveParticipation(db: Conn, roundId: number) {
  const byDistrict = db
    .select({ unitId: users.districtId, participants: sql<number>`count(distinct ${attempts.userId})` })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .groupBy(users.districtId)
    .all();
  const total =
    db
      .select({ n: sql<number>`count(distinct ${attempts.userId})` })
      .from(attempts)
      .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
      .get()?.n ?? 0;
  return { total, byDistrict };
}

/** Finalized attempts per day (in the contest's timezone), for the participation chart. */
export function participationByDay(db: Conn, roundId: number, offsetMs: number) {
  // better-sqlite3 binds JavaScript numbers as REAL: cast, or the division is not a whole day.
  const day = sql<number>`(${attempts.finalizedAt} + cast(${offsetMs} as integer)) / 86400000`;
  return db
    .select({ day, attempts: count() })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), isNotNull(attempts.finalizedAt)))
    .groupBy(day)
    .orderBy(asc(day))
    .all()
    .map((r) => ({ dayStart: r.day * 86400000 - offsetMs, attempts: r.attempts }));
}

export { roundStatus, roundWithContest };
