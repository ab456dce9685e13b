/**
 * The live board of an open round off the event loop (issue 9, "nothing blocks the event loop for
 * more than 100 ms"; docs/decisions/014, "The live board off the event loop"): a large round's
 * participation and ranking are computed on the heavy-work thread and served stale-while-revalidate.
 * The first request finds nothing and says "đang tổng hợp" (the page reloads itself); later ones get
 * the last computed figures at once, with their age; 15 s after the first request that found them,
 * one recomputation starts, never two at once. A small round is ranked in the request. The clock is injected;
 * the tests await the computation's promise, never a delay.
 */
import { and, asc, desc, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { LIVE_INLINE_BELOW, LIVE_TTL_MS, liveRefresh } from "~/.server/live-board.server";
import { computeRoundRanking, findRound } from "~/.server/results.server";
import { liveBoardText } from "~/i18n/live-board.vi";
import { t } from "~/i18n/vi";
import * as boardRoute from "~/routes/cuoc-thi.$contestId.xep-hang";
import { attempts, contests, roundResults, users } from "../../db/schema";
import { call, context, getRequest, NOW, roundIdOf, seedContent, useTestDatabase } from "./helpers";
import { resultsContest } from "./results-helpers";

const ctx = useTestDatabase();
const SECOND = 1000;

type Board = Awaited<ReturnType<typeof boardRoute.loader>>;

async function loadBoard(query = "?vong=1") {
  const result = await call<Board>(() =>
    boardRoute.loader({ request: getRequest(`/cuoc-thi/c1/xep-hang${query}`), params: { contestId: "c1" }, context }),
  );
  expect(result.status).toBe(200);
  return result.data!;
}

function openRound(members: number, settings: Partial<typeof contests.$inferInsert> = { liveStandings: true }) {
  seedContent(ctx.db, [resultsContest()]);
  ctx.db.update(contests).set(settings).where(eq(contests.id, "c1")).run();
  const roundId = roundIdOf(ctx.db, "c1", 1);
  expect(generateSyntheticAttempts(ctx.db, { roundId, members })).toBe(members);
  ctx.now = NOW;
  return roundId;
}

function fullNames(): Map<string, string> {
  return new Map(
    ctx.db
      .select({ id: users.id, fullName: users.fullName })
      .from(users)
      .all()
      .map((u) => [u.id, u.fullName]),
  );
}

/** The live ranking's first page as computed now, by full name. */
function rankingNow(count = 50): string[] {
  const names = fullNames();
  return computeRoundRanking(ctx.db, findRound(ctx.db, "c1", 1)!)
    .entries.slice(0, count)
    .map((e) => names.get(e.userId)!);
}

/** Moves the last-ranked member to the top: every question right, the exact prediction, in one second. */
function lastMemberWinsNow(roundId: number): string {
  const last = ctx.db
    .select({ id: attempts.id, userId: attempts.userId, maxScore: attempts.maxScore })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .orderBy(asc(attempts.score), desc(attempts.durationMs))
    .limit(1)
    .get()!;
  const participants = ctx.db
    .select({ id: attempts.id })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .all().length;
  ctx.db.update(attempts).set({ score: last.maxScore, prediction: participants, durationMs: 1000 }).where(eq(attempts.id, last.id)).run();
  return fullNames().get(last.userId)!;
}

describe("the live board of a large open round", () => {
  const LARGE = LIVE_INLINE_BELOW + 50;

  it("says 'đang tổng hợp' first, serves the last standings at once with their age, and recomputes once 15 s later", async () => {
    const roundId = openRound(LARGE);

    // The first request: nothing computed yet. No waiting: the page says so and reloads itself.
    const first = await loadBoard();
    expect(first.board).toMatchObject({
      status: "open",
      rows: null,
      participants: null,
      notice: liveBoardText.compiling,
      refreshSeconds: liveBoardText.refreshSeconds,
      liveUpdated: null,
    });
    const refresh = boardRoute.meta({ data: first } as never).find((m) => "httpEquiv" in m);
    expect(refresh).toEqual({ httpEquiv: "refresh", content: String(liveBoardText.refreshSeconds) });
    const computing = liveRefresh(ctx.db, roundId, true);
    expect(computing.started).toBe(1);
    expect(computing.refreshing).not.toBeNull();

    // A second request while it runs, even 20 s later: the same page, and no second computation.
    ctx.now = NOW + 20 * SECOND;
    expect((await loadBoard()).board).toMatchObject({ rows: null, notice: liveBoardText.compiling });
    expect(liveRefresh(ctx.db, roundId, true)).toEqual({ refreshing: computing.refreshing, started: 1 });

    await computing.refreshing;
    expect(liveRefresh(ctx.db, roundId, true)).toEqual({ refreshing: null, started: 1 });
    // Computed for the request that asked (at NOW), so 21 s old as shown; but fresh for 15 s from
    // this first request that finds them (a computation slower than 15 s must not start the next
    // one at once, keeping the heavy-work thread busy for good).
    ctx.now = NOW + 21 * SECOND;
    const computed = await loadBoard();
    const before = rankingNow();
    expect(computed.board).toMatchObject({ participants: LARGE, total: LARGE, notice: t.board.liveNote, refreshSeconds: null });
    expect(computed.board.liveUpdated).toBe(liveBoardText.updated(21));
    expect(computed.board.rows!.map((r) => r.fullName)).toEqual(before);
    expect(liveRefresh(ctx.db, roundId, true)).toEqual({ refreshing: null, started: 1 });

    // The standings change; for 15 s the board still shows the computed ones, without computing.
    const winner = lastMemberWinsNow(roundId);
    expect(before).not.toContain(winner);
    ctx.now = NOW + 21 * SECOND + LIVE_TTL_MS - SECOND;
    const stale = await loadBoard();
    expect(stale.board.rows!.map((r) => r.fullName)).toEqual(before);
    expect(stale.board.liveUpdated).toBe(liveBoardText.updated(35));
    expect(liveRefresh(ctx.db, roundId, true)).toEqual({ refreshing: null, started: 1 });

    // Then: served as they are, at once, and one recomputation starts…
    ctx.now = NOW + 21 * SECOND + LIVE_TTL_MS;
    const old = await loadBoard();
    expect(old.board.rows!.map((r) => r.fullName)).toEqual(before);
    expect(old.board.liveUpdated).toBe(liveBoardText.updated(36));
    const next = liveRefresh(ctx.db, roundId, true);
    expect(next.started).toBe(2);
    expect(next.refreshing).not.toBeNull();
    // …and only one, whoever else asks meanwhile.
    ctx.now += SECOND;
    expect((await loadBoard()).board.rows!.map((r) => r.fullName)).toEqual(before);
    expect((await loadBoard("?vong=1&trang=2")).board.page).toBe(2);
    expect(liveRefresh(ctx.db, roundId, true)).toEqual({ refreshing: next.refreshing, started: 2 });

    // Once in, the new standings: the member who moved is first.
    await next.refreshing;
    ctx.now += SECOND;
    const fresh = await loadBoard();
    expect(fresh.board.rows![0]!.fullName).toBe(winner);
    expect(fresh.board.rows!.map((r) => r.fullName)).toEqual(rankingNow());
    expect(fresh.board.liveUpdated).toBe(liveBoardText.updated(2));
    expect(liveRefresh(ctx.db, roundId, true).started).toBe(2);
    // Computing the live board stored nothing.
    expect(ctx.db.select().from(roundResults).all()).toEqual([]);
  }, 60_000);

  it("without live standings (or with scores hidden until the close) computes the counts the same way, and never a ranking", async () => {
    const roundId = openRound(LARGE, { liveStandings: true, showScore: "after-close" });
    expect((await loadBoard()).board).toMatchObject({ rows: null, participants: null, notice: liveBoardText.compiling });
    expect(liveRefresh(ctx.db, roundId, false).started).toBe(1);
    expect(liveRefresh(ctx.db, roundId, true).started).toBe(0);
    await liveRefresh(ctx.db, roundId, false).refreshing;
    ctx.now += SECOND;
    const board = (await loadBoard()).board;
    expect(board).toMatchObject({ participants: LARGE, rows: null, total: 0, notice: t.board.openOnlyCounts });
    expect(board.charts.byDistrict.reduce((n, d) => n + d.value, 0)).toBe(LARGE);
    expect(board.liveUpdated).toBe(liveBoardText.updated(1));
  }, 60_000);
});

describe("the live board of a small open round", () => {
  it("is ranked in the request (below the measured threshold): no 'đang tổng hợp', no heavy-work job", async () => {
    const SMALL = 40;
    const roundId = openRound(SMALL);
    const board = (await loadBoard()).board;
    expect(board).toMatchObject({ participants: SMALL, total: SMALL, notice: t.board.liveNote, refreshSeconds: null });
    expect(board.rows!.map((r) => r.fullName)).toEqual(rankingNow());
    expect(board.liveUpdated).toBe(liveBoardText.updated(0));
    // Old standings are computed again in the request that finds them old.
    const winner = lastMemberWinsNow(roundId);
    ctx.now += LIVE_TTL_MS;
    expect((await loadBoard()).board.rows![0]!.fullName).toBe(winner);
    expect(liveRefresh(ctx.db, roundId, true)).toEqual({ refreshing: null, started: 0 });
  });
});
