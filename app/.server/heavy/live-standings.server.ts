/**
 * What an open round's board shows live — its participation counts, and its live ranking when the
 * contest allows it — computed on the heavy-work thread for a large round, in the request for a
 * small one (app/.server/live-board.server.ts; docs/decisions/014-heavy-work-off-the-event-loop.md,
 * "The live board off the event loop"). At 100,000 attempts the counts alone took ~1 s, the
 * ranking 3–6 s.
 *
 * The standings cross from the thread as columns (typed arrays and one string of ids), not
 * 100,000 objects: the thread that receives a structured clone builds every object again.
 */
import { count, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { attempts, users } from "../../../db/schema";
import { computeRoundRanking, liveParticipation, roundWithContest } from "../results.server";

/** The standings as columns, in listing order (entry i of every column is the same member). */
export interface LiveStandings {
  count: number;
  /** The members' ids joined by "\n" (one string crosses the thread boundary as one copy). */
  userIds: string;
  rank: Int32Array;
  score: Float64Array;
  durationMs: Float64Array;
  /** Index into `prizes`, or -1 for none. */
  prize: Int32Array;
  prizes: string[];
  /** Index into `units` of the member's district and branch. */
  district: Int32Array;
  branch: Int32Array;
  units: string[];
}

/**
 * Computes the live ranking of an open round with each member's district and branch. Members are
 * found by a subquery on the round's attempts, not a list of ids: an IN list of every participant
 * would exceed SQLite's limit of bound variables in a large round (decision 013, "Fourth pass").
 * Runs on the heavy-work thread for a large round, in the request for a small one.
 */
export function computeLiveStandings(db: Db, roundId: number): LiveStandings {
  const info = roundWithContest(db, roundId);
  if (!info) throw new Error(`round ${roundId} not found`);
  const entries = computeRoundRanking(db, info).entries;
  const unitsOf = new Map(
    db
      .select({ id: users.id, districtId: users.districtId, branchId: users.branchId })
      .from(users)
      .where(inArray(users.id, db.select({ id: attempts.userId }).from(attempts).where(eq(attempts.roundId, roundId))))
      .all()
      .map((u) => [u.id, u]),
  );
  const kept = entries.filter((e) => unitsOf.has(e.userId));
  const n = kept.length;
  const prizes: string[] = [];
  const units: string[] = [];
  const prizeIndex = new Map<string, number>();
  const unitIndex = new Map<string, number>();
  const indexOf = (map: Map<string, number>, list: string[], value: string) => {
    let i = map.get(value);
    if (i === undefined) map.set(value, (i = list.push(value) - 1));
    return i;
  };
  const standings: LiveStandings = {
    count: n,
    userIds: kept.map((e) => e.userId).join("\n"),
    rank: new Int32Array(n),
    score: new Float64Array(n),
    durationMs: new Float64Array(n),
    prize: new Int32Array(n),
    prizes,
    district: new Int32Array(n),
    branch: new Int32Array(n),
    units,
  };
  kept.forEach((e, i) => {
    const u = unitsOf.get(e.userId)!;
    standings.rank[i] = e.rank;
    standings.score[i] = e.score;
    standings.durationMs[i] = e.durationMs;
    standings.prize[i] = e.prize === null ? -1 : indexOf(prizeIndex, prizes, e.prize);
    standings.district[i] = indexOf(unitIndex, units, u.districtId);
    standings.branch[i] = indexOf(unitIndex, units, u.branchId);
  });
  return standings;
}

/** What the live board of an open round shows from its attempts; `standings` only when asked for. */
export interface LiveRound {
  participation: ReturnType<typeof liveParticipation>;
  standings: LiveStandings | null;
}

export function computeLiveRound(db: Db, roundId: number, ranked: boolean): LiveRound {
  return { participation: liveParticipation(db, roundId), standings: ranked ? computeLiveStandings(db, roundId) : null };
}

/** The round's attempts, counted on an index (a few ms at 100,000): an upper bound of its participants. */
export function roundAttemptCount(db: Db, roundId: number): number {
  return db.select({ n: count() }).from(attempts).where(eq(attempts.roundId, roundId)).get()?.n ?? 0;
}
