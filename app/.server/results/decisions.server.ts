/**
 * The judges' decisions on a round: disqualify, reinstate, record a draw for a tied group, and
 * re-score. Each is audited; a decision on stored results stores them again (./freeze.server.ts).
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { attempts, branches, disqualifications, districts, rankDraws, roundResults, roundUnitNames, users } from "../../../db/schema";
import { groupKey } from "~/domain/ranking";
import { computeScores } from "../attempts.server";
import { recordAudit } from "../audit.server";
import { roundWithContest } from "../rounds.server";
import { storeRoundResults } from "./freeze.server";
import { visibleRoundRows, visibleRoundSql } from "./versions.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

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
    where ${visibleRoundSql("r", roundId)} and r.draw_pending = 1
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
        .where(and(visibleRoundRows(roundId), eq(roundResults.rank, rank), eq(roundResults.drawPending, true)))
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
