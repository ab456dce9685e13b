/**
 * Results (PRODUCT.md "Ranking within a round", "Overall ranking", "Prizes", "Leaderboards"):
 * frozen when a round closes, changed only by a judge's recorded decision, and shown publicly with
 * masked phones. Rounds are filled with synthetic attempts drawn and scored by the real code, plus
 * hand-made attempts taken through the attempt functions for the exact ties.
 */
import { maskPhone } from "~/domain/phone";
import { asc, eq, getTableColumns } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  computeRoundRanking,
  disqualify,
  findRound,
  freezeClosedRounds,
  reinstate,
  rescoreRound,
  roundLeaderboardPage,
  roundPosition,
  storeRoundResults,
} from "~/.server/results.server";
import { rankOverall } from "~/domain/ranking";
import { perfText } from "~/i18n/perf.vi";
import { liveBoardText } from "~/i18n/live-board.vi";
import { liveRefresh } from "~/.server/live-board.server";
import { t } from "~/i18n/vi";
import * as boardRoute from "~/routes/cuoc-thi.$contestId.xep-hang";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import {
  attempts,
  auditLog,
  contestResults,
  contests,
  questionVersions,
  roundResults,
  users,
  type RankingCriterion,
} from "../../db/schema";
import {
  bankA,
  bankB,
  call,
  CLOSES_AT,
  context,
  createUser,
  getRequest,
  importTestContent,
  MINUTE,
  NOW,
  roundIdOf,
  seedContent,
  sessionCookie,
  UNITS,
  useTestDatabase,
} from "./helpers";
import {
  ANSWER_GRACE_MS,
  byUser,
  expectRankingFollowsRules,
  FREEZE_1,
  FREEZE_2,
  inRound1,
  inRound2,
  participantsBySql,
  perfectScorersBySql,
  phoneOf,
  resultsContest,
  roundRow,
  setRole,
  SLOTS,
  storedRows,
  takeRound,
} from "./results-helpers";

const ctx = useTestDatabase();
const SYNTHETIC = 200;
const HOUR = 60 * MINUTE;
const PAGE_SIZE = 50;

type Board = Awaited<ReturnType<typeof boardRoute.loader>>;

function loadBoard(query: string, cookie?: string) {
  return call<Board>(() =>
    boardRoute.loader({ request: getRequest(`/cuoc-thi/c1/xep-hang${query}`, { cookie }), params: { contestId: "c1" }, context }),
  );
}

/** The overall ranking's rows, without the storage version (docs/decisions/020): it counts the stores. */
function contestRows() {
  const { version: _version, ...columns } = getTableColumns(contestResults);
  return ctx.db
    .select(columns)
    .from(contestResults)
    .where(eq(contestResults.contestId, "c1"))
    .orderBy(asc(contestResults.rank), asc(contestResults.position))
    .all();
}

function auditOf(action: string) {
  return ctx.db.select().from(auditLog).where(eq(auditLog.action, action)).all();
}

/* ---------- one closed round: synthetic members and the hand-made ties ---------- */

describe("a round's results", () => {
  /** Hand-made members (by role in the test) and the attempt ids that matter. */
  let hand: Record<"quick" | "tieA" | "tieB" | "guess" | "twice" | "late", string>;
  let twiceBest: string;
  let lateAttempt: string;
  let roundId: number;
  /** 200 synthetic members and the 6 hand-made ones. */
  const ACTUAL = SYNTHETIC + 6;

  beforeEach(() => {
    seedContent(ctx.db, [resultsContest()]);
    roundId = roundIdOf(ctx.db, "c1", 1);
    expect(generateSyntheticAttempts(ctx.db, { roundId, members: SYNTHETIC })).toBe(SYNTHETIC);
    const member = (districtId = "da-lat", branchId = "dl-so-tttt") => createUser(ctx.db, { districtId, branchId });
    hand = {
      quick: member(),
      tieA: member("bao-loc", "bl-ubnd"),
      tieB: member("da-lat", "dl-ubnd"),
      guess: member(),
      twice: member("bao-loc", "bl-ubnd"),
      late: member("da-lat", "dl-ubnd"),
    };
    const r = (userId: string, startAt: number, minutes: number | null, prediction: number | null, answers: "all" | "none" | "one") =>
      takeRound(ctx.db, { roundId, userId, startAt, finishAt: minutes === null ? null : startAt + minutes * MINUTE, prediction, answers });
    // Everything right and the exact count: tieA and tieB differ only by when they finished; quick was faster.
    r(hand.tieA, inRound1(1), 10, ACTUAL, "all");
    r(hand.tieB, inRound1(2), 10, ACTUAL, "all");
    r(hand.quick, inRound1(3), 5, ACTUAL, "all");
    // The fastest of all, but one off in the prediction.
    r(hand.guess, inRound1(4), 1, ACTUAL + 1, "all");
    // Two attempts: nothing right with the exact prediction, then everything right 3 off.
    r(hand.twice, inRound1(5), 2, ACTUAL, "none");
    twiceBest = r(hand.twice, inRound1(6), 3, ACTUAL + 3, "all");
    // Starts 5 minutes before the close and never submits: the server finalizes it at the close.
    lateAttempt = r(hand.late, CLOSES_AT - 5 * MINUTE, null, null, "one");
  });

  const rankOf = (rows: { userId: string; rank: number }[], userId: string) => rows.find((r) => r.userId === userId)!.rank;

  it("stores one row per member, following every rule and equal to a fresh computation", () => {
    expect(freezeClosedRounds(ctx.db, FREEZE_1)).toBe(1);
    const late = ctx.db.select().from(attempts).where(eq(attempts.id, lateAttempt)).get()!;
    expect(late).toMatchObject({ status: "expired", finalizedAt: CLOSES_AT, durationMs: 5 * MINUTE, score: 1 });

    const rows = expectRankingFollowsRules(ctx.db, roundId);
    expect(rows).toHaveLength(ACTUAL);
    expect(participantsBySql(ctx.db, roundId)).toBe(ACTUAL);
    expect(roundRow(ctx.db, roundId)).toMatchObject({ participantCount: ACTUAL, resultsComputedAt: FREEZE_1 });
    // Twice has two attempts but is counted once, with the better one.
    expect(ctx.db.select().from(attempts).where(eq(attempts.userId, hand.twice)).all()).toHaveLength(2);
    expect(byUser(rows).get(hand.twice)).toMatchObject({ attemptId: twiceBest, score: 8, predictionDistance: 3 });

    const fresh = computeRoundRanking(ctx.db, findRound(ctx.db, "c1", 1)!);
    expect(fresh.actual).toBe(ACTUAL);
    expect(
      rows.map(
        ({ userId, attemptId, rank, score, maxScore, correctCount, prediction, predictionDistance, durationMs, finalizedAt, prize }) => ({
          userId,
          attemptId,
          rank,
          score,
          maxScore,
          correctCount,
          prediction,
          predictionDistance,
          durationMs,
          finalizedAt,
          prize,
        }),
      ),
    ).toEqual(
      fresh.entries.map(
        ({ userId, attemptId, rank, score, maxScore, correctCount, prediction, predictionDistance, durationMs, finalizedAt, prize }) => ({
          userId,
          attemptId,
          rank,
          score,
          maxScore,
          correctCount,
          prediction,
          predictionDistance,
          durationMs,
          finalizedAt,
          prize,
        }),
      ),
    );

    // The exact ties: same score and prediction, duration decides; same duration, finalization decides.
    expect(rankOf(rows, hand.quick)).toBeLessThan(rankOf(rows, hand.tieA));
    expect(rankOf(rows, hand.tieB)).toBe(rankOf(rows, hand.tieA) + 1);
    // The prediction decides before the duration.
    expect(rankOf(rows, hand.guess)).toBeGreaterThan(rankOf(rows, hand.tieB));
    expect(byUser(rows).get(hand.guess)!.predictionDistance).toBe(1);
    expect(rows.filter((r) => r.prize !== null)).toHaveLength(SLOTS.length);
  });

  it("freezes nothing until the answer grace after the close has passed, then once", () => {
    expect(freezeClosedRounds(ctx.db, CLOSES_AT)).toBe(0);
    expect(freezeClosedRounds(ctx.db, CLOSES_AT + ANSWER_GRACE_MS)).toBe(0);
    expect(storedRows(ctx.db, roundId)).toEqual([]);
    expect(roundRow(ctx.db, roundId)).toMatchObject({ resultsComputedAt: null, participantCount: null });
    expect(ctx.db.select().from(attempts).where(eq(attempts.id, lateAttempt)).get()!.status).toBe("in_progress");

    expect(freezeClosedRounds(ctx.db, FREEZE_1)).toBe(1);
    const rows = storedRows(ctx.db, roundId);
    expect(rows).toHaveLength(ACTUAL);
    // Frozen: a later sweep does not store again.
    expect(freezeClosedRounds(ctx.db, FREEZE_1 + HOUR)).toBe(0);
    expect(roundRow(ctx.db, roundId).resultsComputedAt).toBe(FREEZE_1);
    expect(storedRows(ctx.db, roundId)).toEqual(rows);
  });

  it("storing again gives identical rows, participant count and overall ranking", () => {
    storeRoundResults(ctx.db, roundId, FREEZE_1);
    const rows = storedRows(ctx.db, roundId);
    const overall = contestRows();
    expect(overall).toHaveLength(ACTUAL);
    storeRoundResults(ctx.db, roundId, FREEZE_1 + HOUR);
    expect(storedRows(ctx.db, roundId)).toEqual(rows);
    expect(contestRows()).toEqual(overall);
    expect(roundRow(ctx.db, roundId).participantCount).toBe(ACTUAL);
  });

  it("does not change when a bank is re-imported with edited questions afterwards", () => {
    freezeClosedRounds(ctx.db, FREEZE_1);
    const rows = storedRows(ctx.db, roundId);
    const scores = ctx.db.select({ id: attempts.id, score: attempts.score }).from(attempts).orderBy(asc(attempts.id)).all();
    const versionsBefore = ctx.db.select().from(questionVersions).all().length;

    // Other correct answers and other points for questions every attempt drew.
    const edited = bankA({
      "a-001": { options: ["*Cấp tỉnh", "Cấp huyện", "Cấp xã", "Tất cả các đáp án trên {pinned}"] },
      "a-002": { points: 5 },
      "a-004": { options: ["Xác thực", "*Trang trí"] },
    });
    importTestContent(ctx.db, { units: UNITS, banks: [edited, bankB()], contests: [resultsContest()] }, FREEZE_1 + HOUR);
    expect(ctx.db.select().from(questionVersions).all().length).toBe(versionsBefore + 3);

    expect(storedRows(ctx.db, roundId)).toEqual(rows);
    // Even recomputed (as a judge's decision does), from the stored scores and draws.
    storeRoundResults(ctx.db, roundId, FREEZE_1 + 2 * HOUR);
    expect(storedRows(ctx.db, roundId)).toEqual(rows);
    expect(ctx.db.select({ id: attempts.id, score: attempts.score }).from(attempts).orderBy(asc(attempts.id)).all()).toEqual(scores);
    expect(rescoreRound(ctx.db, roundId, null, FREEZE_1 + 3 * HOUR)).toEqual({ checked: ACTUAL + 1, differences: [] });
  });

  it("a disqualification removes the member, closes up the ranks and moves prizes down; reinstating restores it", () => {
    freezeClosedRounds(ctx.db, FREEZE_1);
    const before = storedRows(ctx.db, roundId);
    const overallBefore = contestRows();
    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    const target = before[1]!; // rank 2, a Giải Nhì
    expect(target.prize).toBe("Giải Nhì");
    const reason = "Dùng hai tài khoản để thi";

    disqualify(ctx.db, { roundId, userId: target.userId, reason, byUserId: judge, now: FREEZE_1 + HOUR });
    const after = storedRows(ctx.db, roundId);
    expect(after).toEqual(
      before.filter((r) => r.userId !== target.userId).map((r, i) => ({ ...r, rank: i + 1, position: i + 1, prize: SLOTS[i] ?? null })),
    );
    expect(after[1]!.userId).toBe(before[2]!.userId);
    expect(after[SLOTS.length - 1]!.userId).toBe(before[SLOTS.length]!.userId); // the first without a prize now has one
    expect(roundRow(ctx.db, roundId).participantCount).toBe(ACTUAL);
    expectRankingFollowsRules(ctx.db, roundId);
    expect(contestRows().map((r) => r.userId)).not.toContain(target.userId);
    expect(auditOf("round.disqualify")).toEqual([
      expect.objectContaining({
        actorUserId: judge,
        subject: `round:${roundId}`,
        at: FREEZE_1 + HOUR,
        details: { userId: target.userId, reason },
      }),
    ]);

    reinstate(ctx.db, { roundId, userId: target.userId, reason: "Đã xác minh lại", byUserId: judge, now: FREEZE_1 + 2 * HOUR });
    expect(storedRows(ctx.db, roundId)).toEqual(before);
    expect(contestRows()).toEqual(overallBefore);
    expect(auditOf("round.reinstate")).toEqual([
      expect.objectContaining({ actorUserId: judge, details: { userId: target.userId, reason: "Đã xác minh lại" } }),
    ]);
  });

  it("roundPosition within a district or branch is the index in the filtered ranking + 1", () => {
    freezeClosedRounds(ctx.db, FREEZE_1);
    const rows = storedRows(ctx.db, roundId);
    for (const filter of [
      { districtId: "da-lat" },
      { districtId: "bao-loc" },
      { districtId: "da-lat", branchId: "dl-ubnd" },
      { branchId: "bl-ubnd" },
    ]) {
      const filtered = rows.filter(
        (r) => (!filter.districtId || r.districtId === filter.districtId) && (!("branchId" in filter) || r.branchId === filter.branchId),
      );
      expect(filtered.length).toBeGreaterThan(10);
      expect(filtered.length).toBeLessThan(rows.length);
      filtered.forEach((r, i) => expect(roundPosition(ctx.db, roundId, r.userId, filter)).toBe(i + 1));
      const page2 = roundLeaderboardPage(ctx.db, roundId, filter, 2, 10);
      expect(page2.total).toBe(filtered.length);
      expect(page2.rows.map((r) => r.userId)).toEqual(filtered.slice(10, 20).map((r) => r.userId));
    }
    // Not in the filter: no position.
    expect(roundPosition(ctx.db, roundId, hand.tieA, { districtId: "da-lat" })).toBeNull();
    expect(roundPosition(ctx.db, roundId, hand.tieA, {})).toBe(byUser(rows).get(hand.tieA)!.rank);
  });

  it("the public leaderboard of a closed round masks every phone and finds the member's own row", async () => {
    ctx.now = FREEZE_1 + HOUR;
    const me = hand.late;
    const cookie = await sessionCookie(ctx.db, me);
    // No sweep has run yet: the page stores nothing, says the results are being compiled and
    // reloads itself (decision 013: no page load writes).
    const early = await loadBoard("?vong=1", cookie);
    expect(early.status).toBe(200);
    expect(early.data!.board).toMatchObject({ notice: perfText.compiling, refreshSeconds: perfText.refreshSeconds, rows: null });
    expect(storedRows(ctx.db, roundId)).toHaveLength(0);
    // The scheduled job stores them; the next load shows them.
    freezeClosedRounds(ctx.db, ctx.now);
    const first = await loadBoard("?vong=1", cookie);
    expect(first.status).toBe(200);
    const board = first.data!.board;
    expect(board).toMatchObject({ status: "closed", participants: ACTUAL, total: ACTUAL, page: 1 });
    const stored = storedRows(ctx.db, roundId);
    expect(stored).toHaveLength(ACTUAL);

    const myRank = byUser(stored).get(me)!.rank;
    expect(myRank).toBeGreaterThan(PAGE_SIZE); // a score of 1 is far down: not on the first page
    expect(board.myPosition).toBe(myRank);
    expect(board.myPage).toBe(Math.ceil(myRank / PAGE_SIZE));
    expect(board.rows!.some((r) => r.isMe)).toBe(false);

    const people = byUser(ctx.db.select({ userId: users.id, phone: users.phone, fullName: users.fullName }).from(users).all());
    const mask = maskPhone;
    const pages = Math.ceil(ACTUAL / PAGE_SIZE);
    const seen: string[] = [];
    const pagesJson: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const result = await loadBoard(`?vong=1&trang=${page}`, cookie);
      const rows = result.data!.board.rows!;
      const slice = stored.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      expect(rows.map((r) => r.position)).toEqual(slice.map((r) => r.rank));
      rows.forEach((row, i) => {
        expect(row.phone).toMatch(/^0\d{2}\*{5}\d{2}$/);
        const person = people.get(slice[i]!.userId)!;
        expect(row).toMatchObject({ fullName: person.fullName, phone: mask(person.phone), prize: slice[i]!.prize });
        expect(row.isMe).toBe(slice[i]!.userId === me);
      });
      seen.push(...rows.filter((r) => r.isMe).map((r) => `${page}:${r.position}:${r.phone}`));
      pagesJson.push(JSON.stringify(result.data));
    }
    expect(seen).toEqual([`${board.myPage}:${myRank}:${mask(phoneOf(ctx.db, me))}`]);

    // Other views of the same data: filtered, units, overall.
    for (const query of [
      "?vong=1&huyen=da-lat",
      "?vong=1&huyen=bao-loc&cdcs=bl-ubnd",
      "?vong=1&xem=don-vi",
      "?vong=tong",
      "?vong=tong&trang=3",
    ]) {
      pagesJson.push(JSON.stringify((await loadBoard(query, cookie)).data));
    }
    const all = pagesJson.join("\n");
    const synthetic = ctx.db
      .select({ phone: users.phone })
      .from(users)
      .all()
      .map((u) => u.phone);
    expect(synthetic.filter((p) => p.startsWith("038"))).toHaveLength(SYNTHETIC);
    for (const phone of synthetic) expect(all.includes(phone), `full phone ${phone} in loader data`).toBe(false);
  });
  it("while the round is open, shows only participation counts", async () => {
    ctx.now = NOW;
    const result = await loadBoard("?vong=1", await sessionCookie(ctx.db, hand.tieA));
    const board = result.data!.board;
    // Every finalized member; the late one is still in progress.
    expect(board).toMatchObject({
      status: "open",
      participants: ACTUAL - 1,
      rows: null,
      myPosition: null,
      myPage: null,
      notice: t.board.openOnlyCounts,
    });
    expect(board.charts.byDistrict.reduce((n, d) => n + d.value, 0)).toBe(ACTUAL - 1);
    expect(JSON.stringify(result.data)).not.toMatch(/\*\*\*/);
    expect(ctx.db.select().from(roundResults).all()).toEqual([]);
  });

  it("while the round is open with live standings, shows the live ranking, masked, without storing it", async () => {
    ctx.db.update(contests).set({ liveStandings: true }).where(eq(contests.id, "c1")).run();
    // tieB finished exactly when tieA did: equal on every criterion, so they share a rank.
    const tieA = ctx.db.select().from(attempts).where(eq(attempts.userId, hand.tieA)).get()!;
    ctx.db
      .update(attempts)
      .set({ finalizedAt: tieA.finalizedAt, durationMs: tieA.durationMs, prediction: tieA.prediction })
      .where(eq(attempts.userId, hand.tieB))
      .run();
    ctx.now = NOW;
    const result = await loadBoard("?vong=1", await sessionCookie(ctx.db, hand.tieA));
    const board = result.data!.board;
    expect(board).toMatchObject({ status: "open", participants: ACTUAL - 1, total: ACTUAL - 1, notice: t.board.liveNote });
    const live = computeRoundRanking(ctx.db, findRound(ctx.db, "c1", 1)!).entries;
    const names = byUser(ctx.db.select({ userId: users.id, fullName: users.fullName }).from(users).all());
    expect(board.rows).toHaveLength(PAGE_SIZE);
    expect(board.rows!.map((r) => r.fullName)).toEqual(live.slice(0, PAGE_SIZE).map((e) => names.get(e.userId)!.fullName));
    for (const row of board.rows!) expect(row.phone).toMatch(/^0\d{2}\*{5}\d{2}$/);
    const mine = live.findIndex((e) => e.userId === hand.tieA) + 1;
    expect(board.myPosition).toBe(mine);
    expect(board.rows!.filter((r) => r.isMe).map((r) => r.position)).toEqual(mine <= PAGE_SIZE ? [mine] : []);
    // Live ranks are shared like stored ones ("3="): members equal on every criterion, never split by an id.
    const label = (e: (typeof live)[number]) => `${e.rank}${live.filter((o) => o.rank === e.rank).length > 1 ? "=" : ""}`;
    expect(board.rows!.map((r) => r.rankLabel)).toEqual(live.slice(0, PAGE_SIZE).map(label));
    expect(board.myRank).toBe(label(live[mine - 1]!));
    expect(board.myRank, "tieA shares its rank with tieB").toMatch(/^\d+=$/);
    expect(ctx.db.select().from(roundResults).all()).toEqual([]);
  });
});

describe("a live board larger than SQLite's limit of bound variables", () => {
  it("shows the live ranking of 33,000 participants, filtered by branch (one IN list of every member would be refused past 32,766)", async () => {
    seedContent(ctx.db, [resultsContest()]);
    ctx.db.update(contests).set({ liveStandings: true }).where(eq(contests.id, "c1")).run();
    const roundId = roundIdOf(ctx.db, "c1", 1);
    const LARGE = 33_000;
    expect(generateSyntheticAttempts(ctx.db, { roundId, members: LARGE })).toBe(LARGE);
    ctx.now = NOW;
    // A large round is ranked on the heavy-work thread (decision 014): the first request finds
    // nothing yet and says so; the next one, once the computation is in, shows it.
    expect((await loadBoard("?vong=1")).data!.board).toMatchObject({ rows: null, notice: liveBoardText.compiling });
    await liveRefresh(ctx.db, roundId, true).refreshing;
    const board = (await loadBoard("?vong=1")).data!.board;
    expect(board).toMatchObject({ status: "open", participants: LARGE, total: LARGE, notice: t.board.liveNote });
    const live = computeRoundRanking(ctx.db, findRound(ctx.db, "c1", 1)!).entries;
    const names = byUser(ctx.db.select({ userId: users.id, fullName: users.fullName }).from(users).all());
    expect(board.rows!.map((r) => r.fullName)).toEqual(live.slice(0, PAGE_SIZE).map((e) => names.get(e.userId)!.fullName));
    // A branch's listing: exactly its members, in the live order.
    const branchOf = new Map(
      ctx.db
        .select({ id: users.id, branchId: users.branchId })
        .from(users)
        .all()
        .map((u) => [u.id, u.branchId]),
    );
    const inBranch = live.filter((e) => branchOf.get(e.userId) === "dl-ubnd");
    expect(inBranch.length).toBeGreaterThan(0);
    const filtered = (await loadBoard("?vong=1&huyen=da-lat&cdcs=dl-ubnd")).data!.board;
    expect(filtered.total).toBe(inBranch.length);
    expect(filtered.rows!.map((r) => r.fullName)).toEqual(inBranch.slice(0, PAGE_SIZE).map((e) => names.get(e.userId)!.fullName));
    // 33,000 generated attempts: a few seconds alone, more when other work holds the cores.
  }, 60_000);
});

describe("a contest with its own order and prediction target", () => {
  it("ranks by [score, prediction, finishedAt] with distances to the perfect scores; the board still counts participants", async () => {
    const order: RankingCriterion[] = ["score", "prediction", "finishedAt"];
    seedContent(ctx.db, [resultsContest({ predictionTarget: "perfect-scores", rankingOrder: order })]);
    const roundId = roundIdOf(ctx.db, "c1", 1);
    generateSyntheticAttempts(ctx.db, { roundId, members: SYNTHETIC });
    const perfect = perfectScorersBySql(ctx.db, roundId);
    expect(perfect).toBeGreaterThan(0);
    expect(perfect).toBeLessThan(SYNTHETIC);

    ctx.now = FREEZE_1;
    freezeClosedRounds(ctx.db, ctx.now);
    const board = (await loadBoard("?vong=1")).data!.board;
    const rows = expectRankingFollowsRules(ctx.db, roundId, { order, target: "perfect-scores" });
    expect(rows).toHaveLength(SYNTHETIC);
    // The judges' answer to the prediction question is the number of perfect scores…
    expect(roundRow(ctx.db, roundId)).toMatchObject({ predictionAnswer: perfect, participantCount: SYNTHETIC });
    expect(computeRoundRanking(ctx.db, findRound(ctx.db, "c1", 1)!).actual).toBe(perfect);
    // …but the public page says how many people took part.
    expect(board.participants).toBe(SYNTHETIC);
    expect(board.total).toBe(SYNTHETIC);
    // The overall ranking follows the contest's order too (here it differs from the default one).
    const overall = contestRows().map((r) => r.userId);
    expect(overall).toEqual(rankOverall([rows], order).map((o) => o.userId));
    expect(overall).not.toEqual(rankOverall([rows]).map((o) => o.userId));
  });
});

describe("the member's page on the public leaderboard", () => {
  it("is page 1 for the 50th and page 2 for the 51st", async () => {
    seedContent(ctx.db, [resultsContest()]);
    const roundId = roundIdOf(ctx.db, "c1", 1);
    generateSyntheticAttempts(ctx.db, { roundId, members: PAGE_SIZE - 1 });
    // Nothing right, never submitted (so no prediction), the whole time: last of 50.
    const last = createUser(ctx.db);
    takeRound(ctx.db, { roundId, userId: last, startAt: inRound1(1), finishAt: null, prediction: null, answers: "none" });
    ctx.now = FREEZE_1;
    freezeClosedRounds(ctx.db, ctx.now);
    const cookie = await sessionCookie(ctx.db, last);
    const atFifty = (await loadBoard("?vong=1", cookie)).data!.board;
    expect(atFifty).toMatchObject({ total: PAGE_SIZE, myPosition: PAGE_SIZE, myPage: 1 });
    expect(atFifty.rows!.map((r) => r.isMe)).toEqual([...Array(PAGE_SIZE - 1).fill(false), true]);

    // One more member ahead of them: 51st, on page 2 (a page past the end shows the last one).
    const ahead = createUser(ctx.db);
    takeRound(ctx.db, {
      roundId,
      userId: ahead,
      startAt: inRound1(2),
      finishAt: inRound1(2) + MINUTE,
      prediction: PAGE_SIZE + 1,
      answers: "all",
    });
    storeRoundResults(ctx.db, roundId, FREEZE_1 + HOUR);
    const atFiftyOne = (await loadBoard("?vong=1&trang=9", cookie)).data!.board;
    expect(atFiftyOne).toMatchObject({ total: PAGE_SIZE + 1, myPosition: PAGE_SIZE + 1, myPage: 2, page: 2 });
    expect(atFiftyOne.rows!.map((r) => [r.position, r.isMe])).toEqual([[PAGE_SIZE + 1, true]]);
  });
});

/* ---------- two rounds, one prize per person, the overall ranking ---------- */

describe("one prize per person and the overall ranking", () => {
  let round1: number;
  let round2: number;
  let champ: string;
  /** Round 1: 200 synthetic + champ; round 2: the same 200, 50 more, and champ. */
  const ACTUAL_1 = SYNTHETIC + 1;
  const ACTUAL_2 = SYNTHETIC + 50 + 1;

  beforeEach(() => {
    seedContent(ctx.db, [resultsContest({ onePrizePerPerson: true })]);
    round1 = roundIdOf(ctx.db, "c1", 1);
    round2 = roundIdOf(ctx.db, "c1", 2);
    generateSyntheticAttempts(ctx.db, { roundId: round1, members: SYNTHETIC });
    generateSyntheticAttempts(ctx.db, { roundId: round2, members: SYNTHETIC });
    generateSyntheticAttempts(ctx.db, { roundId: round2, members: 50, firstMember: SYNTHETIC });
    champ = createUser(ctx.db);
    // Everything right, the exact count, in one minute: first in both rounds.
    takeRound(ctx.db, {
      roundId: round1,
      userId: champ,
      startAt: inRound1(2),
      finishAt: inRound1(2) + MINUTE,
      prediction: ACTUAL_1,
      answers: "all",
    });
    takeRound(ctx.db, {
      roundId: round2,
      userId: champ,
      startAt: inRound2(2),
      finishAt: inRound2(2) + MINUTE,
      prediction: ACTUAL_2,
      answers: "all",
    });
  });

  const winners = (rows: { userId: string; prize: string | null }[]) => new Set(rows.filter((r) => r.prize !== null).map((r) => r.userId));

  function expectOverallFromStoredRounds() {
    const order = ctx.db.select({ rankingOrder: contests.rankingOrder }).from(contests).where(eq(contests.id, "c1")).get()!.rankingOrder;
    const expected = rankOverall([storedRows(ctx.db, round1), storedRows(ctx.db, round2)], order);
    const stored = contestRows();
    expect(
      stored.map(({ userId, rank, position, totalScore, rounds, predictionDistance, durationMs, finalizedAt }) => ({
        userId,
        rank,
        position,
        totalScore,
        rounds,
        predictionDistance,
        durationMs,
        finalizedAt,
      })),
    ).toEqual(expected);
    // The totals are the sums of the stored round scores.
    const sums = new Map<string, number>();
    for (const r of [...storedRows(ctx.db, round1), ...storedRows(ctx.db, round2)]) sums.set(r.userId, (sums.get(r.userId) ?? 0) + r.score);
    for (const row of stored) expect(row.totalScore).toBe(sums.get(row.userId));
    return stored;
  }

  it("a round-1 winner gets no prize in round 2, the next member does; contest_results = rankOverall", () => {
    expect(freezeClosedRounds(ctx.db, FREEZE_1)).toBe(1);
    const r1 = expectRankingFollowsRules(ctx.db, round1);
    expect(r1).toHaveLength(ACTUAL_1);
    expect(r1[0]).toMatchObject({ userId: champ, rank: 1, prize: "Giải Nhất" });
    const overall1 = expectOverallFromStoredRounds();
    expect(overall1).toHaveLength(ACTUAL_1);

    expect(freezeClosedRounds(ctx.db, FREEZE_2)).toBe(1);
    const won1 = winners(r1);
    const r2 = expectRankingFollowsRules(ctx.db, round2, { alreadyWon: won1 });
    expect(r2).toHaveLength(ACTUAL_2);
    expect(r2[0]).toMatchObject({ userId: champ, rank: 1, prize: null });
    const firstEligible = r2.find((r) => !won1.has(r.userId))!;
    expect(firstEligible.prize).toBe("Giải Nhất");
    expect(r2.filter((r) => r.prize !== null)).toHaveLength(SLOTS.length);
    expect([...winners(r2)].filter((u) => won1.has(u))).toEqual([]);
    // Round 1 is not changed by round 2.
    expect(storedRows(ctx.db, round1)).toEqual(r1);

    const overall = expectOverallFromStoredRounds();
    expect(overall).toHaveLength(ACTUAL_2);
    const newcomers = new Set(r2.map((r) => r.userId).filter((u) => !r1.some((r) => r.userId === u)));
    expect(newcomers.size).toBe(50);
    for (const row of overall) expect(row.rounds).toBe(newcomers.has(row.userId) ? 1 : 2);
    expect(overall[0]).toMatchObject({ userId: champ, rounds: 2, totalScore: 16 });
  });

  it("disqualifying a round-1 winner gives them back their eligibility in round 2", () => {
    freezeClosedRounds(ctx.db, FREEZE_1);
    freezeClosedRounds(ctx.db, FREEZE_2);
    const judge = createUser(ctx.db);
    setRole(ctx.db, judge, "judge");
    const r2Before = storedRows(ctx.db, round2);
    expect(r2Before[0]).toMatchObject({ userId: champ, prize: null });

    disqualify(ctx.db, { roundId: round1, userId: champ, reason: "Gian lận ở vòng 1", byUserId: judge, now: FREEZE_2 + HOUR });
    const r1 = expectRankingFollowsRules(ctx.db, round1);
    expect(r1.map((r) => r.userId)).not.toContain(champ);
    expect(roundRow(ctx.db, round1).participantCount).toBe(ACTUAL_1);
    // Round 2 was stored again with the new round-1 winners.
    const r2 = expectRankingFollowsRules(ctx.db, round2, { alreadyWon: winners(r1) });
    expect(r2[0]).toMatchObject({ userId: champ, rank: 1, prize: "Giải Nhất" });
    expect(r2.map((r) => r.userId)).toEqual(r2Before.map((r) => r.userId));
    const overall = expectOverallFromStoredRounds();
    expect(overall.find((r) => r.userId === champ)).toMatchObject({ rounds: 1, totalScore: 8 });
  });

  it("stores nothing for round 2 while it is open, and the overall ranking holds round 1 only", () => {
    ctx.now = FREEZE_1;
    expect(freezeClosedRounds(ctx.db, FREEZE_1)).toBe(1);
    expect(storedRows(ctx.db, round2)).toEqual([]);
    expect(roundRow(ctx.db, round2)).toMatchObject({ resultsComputedAt: null, participantCount: null });
    expect(contestRows().every((r) => r.rounds === 1)).toBe(true);
  });
});
