/** The organizers' view of a round while it runs: starts, submissions and participants. */
import { and, count, eq, isNotNull, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attempts, branches, districts, users } from "../../db/schema";

const HOUR = 3_600_000;

/** Starts and submissions per hour bucket (in the contest's timezone offset). */
export function activityByHour(db: Db, roundId: number, offsetMs: number) {
  // better-sqlite3 binds JavaScript numbers as REAL: cast, or the division is not a whole hour.
  const started = sql<number>`(${attempts.startedAt} + cast(${offsetMs} as integer)) / cast(${HOUR} as integer)`;
  const finished = sql<number>`(${attempts.finalizedAt} + cast(${offsetMs} as integer)) / cast(${HOUR} as integer)`;
  const starts = db.select({ hour: started, n: count() }).from(attempts).where(eq(attempts.roundId, roundId)).groupBy(started).all();
  const submissions = db
    .select({ hour: finished, n: count() })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), isNotNull(attempts.finalizedAt)))
    .groupBy(finished)
    .all();
  const hours = new Map<number, { starts: number; submissions: number }>();
  for (const s of starts) hours.set(s.hour, { starts: s.n, submissions: 0 });
  for (const s of submissions) hours.set(s.hour, { starts: hours.get(s.hour)?.starts ?? 0, submissions: s.n });
  return [...hours.entries()].sort(([a], [b]) => a - b).map(([hour, v]) => ({ hourStart: hour * HOUR - offsetMs, ...v }));
}

/**
 * A round's attempts: started, still in progress, submitted by the member (or their page's timer),
 * and expired (finalized by the server after the deadline) — counted apart, since an expired attempt
 * is one the member did not hand in. Participants are members with either.
 */
export function roundTotals(db: Db, roundId: number) {
  const row = db
    .select({
      starts: count(),
      inProgress: sql<number>`sum(${attempts.status} = 'in_progress')`,
      submissions: sql<number>`sum(${attempts.status} = 'submitted')`,
      expired: sql<number>`sum(${attempts.status} = 'expired')`,
      participants: sql<number>`count(distinct case when ${attempts.status} != 'in_progress' then ${attempts.userId} end)`,
    })
    .from(attempts)
    .where(eq(attempts.roundId, roundId))
    .get();
  return {
    starts: row?.starts ?? 0,
    inProgress: row?.inProgress ?? 0,
    submissions: row?.submissions ?? 0,
    expired: row?.expired ?? 0,
    participants: row?.participants ?? 0,
  };
}

/**
 * Per unit: registered members, participants, and the share taking part. Staff (organizers, judges,
 * admins) register with a unit too, but are not its members: neither their accounts nor their
 * attempts (trying a round out) count here.
 */
export function participationByUnit(db: Db, roundId: number, level: "district" | "branch") {
  const unit = level === "district" ? users.districtId : users.branchId;
  const registered = db
    .select({ unitId: unit, members: count() })
    .from(users)
    .where(and(eq(users.active, true), eq(users.role, "member")))
    .groupBy(unit)
    .all();
  const taking = db
    .select({ unitId: unit, participants: sql<number>`count(distinct ${attempts.userId})` })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress"), eq(users.role, "member")))
    .groupBy(unit)
    .all();
  const names = new Map(
    (level === "district"
      ? db.select({ id: districts.id, name: districts.name }).from(districts).all()
      : db.select({ id: branches.id, name: branches.name }).from(branches).all()
    ).map((u) => [u.id, u.name]),
  );
  const participants = new Map(taking.map((t) => [t.unitId, t.participants]));
  return registered
    .map((r) => {
      const p = participants.get(r.unitId) ?? 0;
      return {
        unitId: r.unitId,
        name: names.get(r.unitId) ?? r.unitId,
        members: r.members,
        participants: p,
        share: r.members ? p / r.members : 0,
      };
    })
    .sort((a, b) => b.participants - a.participants || b.share - a.share);
}
