/**
 * Frozen leaderboards are built once per version and kept (app/.server/leaderboard.server.ts,
 * decision 013), marked for HTTP caching when seen without a cookie (ETag + must-revalidate), and
 * answered 304 without rendering when the client already holds that version
 * (app/entry.server.tsx). A judge's decision is a new version: the next request sees it.
 */
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getContest } from "~/.server/contests.server";
import { matchesETag } from "~/.server/http-cache.server";
import { leaderboard, leaderboardFilter, leaderboardVersion } from "~/.server/leaderboard.server";
import { disqualify, freezeClosedRounds } from "~/.server/results.server";
import handleRequest from "~/entry.server";
import * as boardRoute from "~/routes/cuoc-thi.$contestId.xep-hang";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { roundResults } from "../../db/schema";
import { call, createUser, getRequest, roundIdOf, seedContent, sessionCookie, useTestDatabase } from "./helpers";
import { FREEZE_1, resultsContest, setRole } from "./results-helpers";

const ctx = useTestDatabase();
const HOUR = 3_600_000;
let roundId: number;

beforeEach(() => {
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  generateSyntheticAttempts(ctx.db, { roundId, members: 120 });
  freezeClosedRounds(ctx.db, FREEZE_1);
  ctx.now = FREEZE_1 + HOUR;
});

/** The member at a position of round 1's stored ranking. */
function userAt(position: number): string {
  return ctx.db
    .select({ userId: roundResults.userId })
    .from(roundResults)
    .where(and(eq(roundResults.roundId, roundId), eq(roundResults.position, position)))
    .get()!.userId;
}

type Loaded = Awaited<ReturnType<typeof boardRoute.loader>>;

async function load(query: string, { cookie }: { cookie?: string } = {}) {
  const context: AppLoadContext = {};
  const result = await call<Loaded>(() =>
    boardRoute.loader({ request: getRequest(`/cuoc-thi/c1/xep-hang${query}`, { cookie }), params: { contestId: "c1" }, context }),
  );
  return { data: result.data as Loaded, context };
}

function board(userId: string | null, page = 1) {
  const contest = getContest(ctx.db, "c1")!;
  return leaderboard(ctx.db, { contest, scope: 1, filter: {}, view: "individuals", page, pageSize: 50, userId, now: ctx.now });
}

describe("the frozen leaderboard, cached", () => {
  it("is built once per version for every visitor; a member's copy marks their row without touching the shared one", async () => {
    const first = board(null);
    expect(board(null)).toBe(first);
    expect(board(null, 2)).not.toBe(first);
    const member = { id: userAt(4) };
    const mine = board(member.id);
    expect(mine.rows![3]!.isMe).toBe(true);
    expect(mine.rows!.filter((r) => r.isMe)).toHaveLength(1);
    expect(mine).toMatchObject({ loggedIn: true, myPosition: 4, myPage: 1 });
    expect(first.rows!.some((r) => r.isMe)).toBe(false);
    expect(first).toMatchObject({ loggedIn: false, myPosition: null });
  });

  it("keeps the filter lists of a frozen view per version too, and not those of a live one", () => {
    const contest = getContest(ctx.db, "c1")!;
    const args = { contest, scope: 1 as const, districtParam: "da-lat", now: ctx.now };
    const first = leaderboardFilter(ctx.db, args);
    expect(first).toMatchObject({ redirect: null, districtId: "da-lat" });
    expect(leaderboardFilter(ctx.db, args)).toBe(first);
    expect(leaderboardFilter(ctx.db, { ...args, districtParam: "bao-loc" })).not.toBe(first);
    const live = { contest, scope: 2 as const, now: ctx.now };
    expect(leaderboardFilter(ctx.db, live)).not.toBe(leaderboardFilter(ctx.db, live));
  });

  it("a judge's disqualification is a new version: the next page no longer lists the member", () => {
    const before = board(null);
    const versionBefore = leaderboardVersion(ctx.db, getContest(ctx.db, "c1")!, 1, ctx.now);
    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    const target = { id: userAt(1) };
    disqualify(ctx.db, { roundId, userId: target.id, reason: "Dùng hai tài khoản", byUserId: judge, now: ctx.now });
    const after = board(null);
    expect(leaderboardVersion(ctx.db, getContest(ctx.db, "c1")!, 1, ctx.now)).not.toBe(versionBefore);
    expect(after).not.toBe(before);
    expect(after.rows!.map((r) => `${r.fullName}${r.phone}`)).not.toContain(`${before.rows![0]!.fullName}${before.rows![0]!.phone}`);
    expect(after.rows![0]).toMatchObject({ fullName: before.rows![1]!.fullName, phone: before.rows![1]!.phone });
  });

  it("is marked public (ETag, must-revalidate) only without a cookie, and only once frozen", async () => {
    const anonymous = await load("?vong=1");
    expect(anonymous.context.publicPage).toEqual({
      ETag: expect.stringMatching(/^W\/"[\w-]+"$/),
      "Cache-Control": "public, max-age=0, must-revalidate",
      Vary: "Cookie",
    });
    expect((await load("?vong=1&trang=2")).context.publicPage!.ETag).toBe(anonymous.context.publicPage!.ETag);
    const member = createUser(ctx.db);
    expect((await load("?vong=1", { cookie: await sessionCookie(ctx.db, member) })).context.publicPage).toBeUndefined();
    expect((await load("?vong=2")).context.publicPage).toBeUndefined(); // round 2 is open: live
    // Staff changes are audited: a new audit entry is a new version.
    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    disqualify(ctx.db, { roundId, userId: member, reason: "x", byUserId: judge, now: ctx.now });
    expect((await load("?vong=1")).context.publicPage!.ETag).not.toBe(anonymous.context.publicPage!.ETag);
  });
});

describe("304 for a page the client already holds", () => {
  const publicPage = { ETag: 'W/"abc"', "Cache-Control": "public, max-age=0, must-revalidate" };
  const render = (ifNoneMatch: string | null, headers = new Headers()) =>
    handleRequest(
      new Request("http://localhost/cuoc-thi/c1/xep-hang?vong=1", { headers: ifNoneMatch ? { "If-None-Match": ifNoneMatch } : {} }),
      200,
      headers,
      // Never read on the 304 path: nothing is rendered.
      {} as EntryContext,
      { publicPage },
    ) as Promise<Response>;

  it("answers 304 with the ETag and Cache-Control, no body, when If-None-Match names the version", async () => {
    const response = await render('W/"abc"');
    expect(response.status).toBe(304);
    expect(response.headers.get("ETag")).toBe('W/"abc"');
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    expect(response.body).toBeNull();
    expect((await render('"other", W/"abc"')).status).toBe(304);
  });

  it("compares ETags weakly and lists", () => {
    expect(matchesETag('"abc"', 'W/"abc"')).toBe(true);
    expect(matchesETag('W/"abd"', 'W/"abc"')).toBe(false);
    expect(matchesETag(null, 'W/"abc"')).toBe(false);
    expect(matchesETag("*", 'W/"abc"')).toBe(true);
  });
});
