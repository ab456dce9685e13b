/**
 * Reads for the partner-site embed, the share cards and the participation chart. Public data only:
 * the embed shows what the contest page and the public leaderboard already show.
 */
import { and, desc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attempts, contests, rounds } from "../../db/schema";
import { maskPhone } from "~/domain/phone";
import { bucketSize, cumulativeSeries } from "~/domain/participation-chart";
import { shareImagePath } from "~/domain/share-card";
import { publicOrigin } from "./env.server";
import { cached } from "./cache.server";
import { getContest } from "./contests.server";
import { roundLeaderboardPage } from "./results.server";

/** The partner origins a contest lets frame its embed, or null when there is no such contest. */
export function contestEmbedOrigins(db: Db, contestId: string): string[] | null {
  const row = db.select({ embedOrigins: contests.embedOrigins }).from(contests).where(eq(contests.id, contestId)).get();
  return row ? row.embedOrigins : null;
}

/** The share card's version (the contest's last change) and whether it has one, for meta tags. */
export function shareCardVersion(db: Db, contestId: string): number | null {
  const row = db
    .select({ updatedAt: contests.updatedAt, has: sql<number>`${contests.shareImage} is not null` })
    .from(contests)
    .where(eq(contests.id, contestId))
    .get();
  return row?.has ? row.updatedAt : null;
}

export function shareImage(db: Db, contestId: string): { png: Buffer; updatedAt: number } | null {
  const row = db.select({ png: contests.shareImage, updatedAt: contests.updatedAt }).from(contests).where(eq(contests.id, contestId)).get();
  return row?.png ? { png: Buffer.from(row.png), updatedAt: row.updatedAt } : null;
}

/** Members who have taken part in any round of the contest (a finalized attempt). */
function contestParticipants(db: Db, roundIds: number[]): number {
  if (roundIds.length === 0) return 0;
  return (
    db
      .select({ n: sql<number>`count(distinct ${attempts.userId})` })
      .from(attempts)
      .where(and(inArray(attempts.roundId, roundIds), ne(attempts.status, "in_progress")))
      .get()?.n ?? 0
  );
}

/**
 * What the embed shows: the contest, its rounds (the page picks the current one), participants so
 * far, and the top 10 of the last round whose results are stored. Cached for a few seconds: it is
 * the page partner sites' visitors load all day.
 */
export function embedView(db: Db, contestId: string, now: number) {
  return cached(db, `embed:${contestId}`, now, () => {
    const contest = getContest(db, contestId);
    if (!contest) return null;
    const lastStored = db
      .select({ id: rounds.id, title: rounds.title })
      .from(rounds)
      .where(and(eq(rounds.contestId, contestId), isNotNull(rounds.resultsComputedAt)))
      .orderBy(desc(rounds.closesAt))
      .limit(1)
      .get();
    const top = lastStored
      ? roundLeaderboardPage(db, lastStored.id, {}, 1, 10).rows.map((r) => ({
          position: r.position,
          rankLabel: r.rankLabel,
          fullName: r.fullName,
          phone: maskPhone(r.phone),
          unit: r.branch,
          score: r.score,
        }))
      : [];
    return {
      contest,
      participants: contestParticipants(
        db,
        contest.rounds.map((r) => r.id),
      ),
      lastClosed: lastStored ? { title: lastStored.title, rows: top } : null,
    };
  });
}

/**
 * Participants over time, cumulative, for one round: one grouped query over each member's first
 * finalized attempt, bucketed from the round's open to its close (or now, if sooner).
 */
export function cumulativeParticipants(db: Db, round: { id: number; opensAt: number; closesAt: number }, now: number) {
  const until = Math.max(round.opensAt + 1, Math.min(round.closesAt, now));
  const size = bucketSize(round.opensAt, until);
  const firsts = db.all<{ bucket: number; n: number }>(sql`
    select cast((first_at - ${round.opensAt}) / ${size} as integer) - (first_at < ${round.opensAt}) as bucket, count(*) as n
    from (select min(${attempts.finalizedAt}) as first_at from ${attempts}
          where ${attempts.roundId} = ${round.id} and ${attempts.status} != 'in_progress' and ${attempts.finalizedAt} is not null
          group by ${attempts.userId})
    group by bucket`);
  return { size, points: cumulativeSeries(round.opensAt, until, size, new Map(firsts.map((f) => [f.bucket, f.n]))) };
}

/**
 * What a shareable page needs for its Open Graph and Twitter tags: the public origin, its own path,
 * the share card's path (null until the contest has one) and the description.
 */
export function shareCard(db: Db, request: Request, contestId: string, description: string) {
  const url = new URL(request.url);
  const version = shareCardVersion(db, contestId);
  return {
    origin: publicOrigin(request),
    path: `${url.pathname}${url.search}`,
    imagePath: version === null ? null : shareImagePath(contestId, version),
    description,
  };
}
