/**
 * Issue 16, the settled ranking rules, through the stored results, the pages' data, the judges'
 * desk and the export (docs/decisions/012-ranking-rules-settled.md). Members take rounds through
 * the real attempt functions; identical start, finish, answers and prediction make a complete tie.
 */
import { asc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { freezeClosedRounds, unitStandings } from "~/.server/results.server";
import { leaderboard } from "~/.server/leaderboard.server";
import { getContest } from "~/.server/contests.server";
import * as deskRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber";
import * as downloadRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber.tai.$file";
import { auditLog, contestResults, roundResults, rounds, users } from "../../db/schema";
import { parseCsv, readXlsx } from "../helpers/spreadsheets";
import {
  call,
  context,
  createUser,
  getRequest,
  MINUTE,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";
import { FREEZE_1, FREEZE_2, inRound1, inRound2, resultsContest, setRole, takeRound } from "./results-helpers";

const ctx = useTestDatabase();
const DESK = "/giam-khao/c1/vong/1";
const params = { contestId: "c1", roundNumber: "1" };

/** Members by one-letter name (their full name is "Thí sinh <letter>"). */
let ids: Record<string, string>;
let letterOf: Map<string, string>;
let judgeCookie: string;
let judge: string;

function member(letter: string, units: { districtId?: string; branchId?: string } = {}) {
  const id = createUser(ctx.db, units);
  ctx.db
    .update(users)
    .set({ fullName: `Thí sinh ${letter}` })
    .where(eq(users.id, id))
    .run();
  ids[letter] = id;
  letterOf.set(id, letter);
  return id;
}

/** The contest (with its units), then a judge. */
async function seed(overrides: Parameters<typeof resultsContest>[0] = {}) {
  ids = {};
  letterOf = new Map();
  seedContent(ctx.db, [resultsContest(overrides)]);
  judge = createUser(ctx.db);
  setRole(ctx.db, judge, "judge");
  judgeCookie = await sessionCookie(ctx.db, judge);
}

function deskLoader() {
  return call<Awaited<ReturnType<typeof deskRoute.loader>>>(() =>
    deskRoute.loader({ request: getRequest(DESK, { cookie: judgeCookie }), params, context }),
  );
}
function deskAction(fields: [string, string][]) {
  return call<{ error?: string; message?: string }>(() =>
    deskRoute.action({ request: postRequest(DESK, fields, { cookie: judgeCookie }), params, context }),
  );
}
async function csv(file: string) {
  const result = await call(() =>
    downloadRoute.loader({ request: getRequest(`${DESK}/tai/${file}`, { cookie: judgeCookie }), params: { ...params, file }, context }),
  );
  expect(result.status).toBe(200);
  const [, ...rows] = parseCsv(await result.response!.text());
  return rows;
}
function stored(roundNumber = 1) {
  return ctx.db
    .select()
    .from(roundResults)
    .where(eq(roundResults.roundId, roundIdOf(ctx.db, "c1", roundNumber)))
    .orderBy(asc(roundResults.rank), asc(roundResults.position))
    .all();
}
/** [letter, rank, prize, drawPending] sorted by rank then letter (the order within a tie is by id). */
function summary(rows: ReturnType<typeof stored>) {
  return rows
    .map((r) => [letterOf.get(r.userId)!, r.rank, r.prize, r.drawPending] as const)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

describe("2. complete ties share the rank; a tie across a prize boundary waits for the judges' draw", () => {
  // Prizes: Nhất ×1, Nhì ×2, Ba ×3. a wins; b = c tie inside Nhì; d takes the first Ba; e = f = g
  // tie for the last two Ba: a draw decides; h gets nothing.
  beforeEach(async () => {
    await seed();
    const roundId = roundIdOf(ctx.db, "c1", 1);
    // e is from Bảo Lộc, everyone else from Đà Lạt (the filtered pages below).
    const take = (letter: string, start: number, minutes: number, answers: "all" | "one" | "none") =>
      takeRound(ctx.db, {
        roundId,
        userId: member(letter, letter === "e" ? { districtId: "bao-loc", branchId: "bl-ubnd" } : {}),
        startAt: inRound1(start),
        finishAt: inRound1(start) + minutes * MINUTE,
        prediction: 8,
        answers,
      });
    take("a", 1, 2, "all");
    take("b", 2, 3, "all");
    take("c", 2, 3, "all");
    take("d", 3, 4, "all");
    take("e", 4, 5, "one");
    take("f", 4, 5, "one");
    take("g", 4, 5, "one");
    take("h", 5, 5, "none");
    ctx.now = FREEZE_1;
    freezeClosedRounds(ctx.db, FREEZE_1);
  });

  it("stores shared ranks, holds the straddling group's prizes and lists it as undecided in the export", async () => {
    expect(summary(stored())).toEqual([
      ["a", 1, "Giải Nhất", false],
      ["b", 2, "Giải Nhì", false],
      ["c", 2, "Giải Nhì", false],
      ["d", 4, "Giải Ba", false],
      ["e", 5, null, true],
      ["f", 5, null, true],
      ["g", 5, null, true],
      ["h", 8, null, false],
    ]);
    expect(stored().map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    const rows = (await csv("giai.csv")).map((r) => [r[0], r[1], r[2], r[14]]);
    expect(rows.sort((x, y) => x[2]!.localeCompare(y[2]!))).toEqual([
      ["1", "Giải Nhất", "Thí sinh a", ""],
      ["2=", "Giải Nhì", "Thí sinh b", ""],
      ["2=", "Giải Nhì", "Thí sinh c", ""],
      ["4", "Giải Ba", "Thí sinh d", ""],
      ["5=", "Chưa quyết định", "Thí sinh e", "Đồng hạng 5= — cần bốc thăm, giải chưa quyết định"],
      ["5=", "Chưa quyết định", "Thí sinh f", "Đồng hạng 5= — cần bốc thăm, giải chưa quyết định"],
      ["5=", "Chưa quyết định", "Thí sinh g", "Đồng hạng 5= — cần bốc thăm, giải chưa quyết định"],
    ]);
  });

  it("the desk shows the group; a judge records the draw with a reason, audited, and the export names it", async () => {
    const loaded = (await deskLoader()).data!;
    if (!loaded.closed) throw new Error("closed expected");
    expect(loaded.tied.map((g) => [g.label, g.members.map((m) => letterOf.get(m.userId)).sort()])).toEqual([["5=", ["e", "f", "g"]]]);
    expect(loaded.rows.filter((r) => r.drawPending).map((r) => r.rank)).toEqual(["5=", "5=", "5="]);
    expect(loaded.rows.find((r) => r.userId === ids.b)!.rank).toBe("2=");

    // A place used twice, a missing reason: refused, nothing stored.
    const bad = await deskAction([
      ["intent", "draw"],
      ["rank", "5"],
      [`thu-tu-${ids.e}`, "1"],
      [`thu-tu-${ids.f}`, "1"],
      [`thu-tu-${ids.g}`, "2"],
      ["reason", "Bốc thăm tại hội trường"],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.data?.error).toBe("Hãy điền thứ tự bốc thăm từ 1 đến 3, mỗi số một lần.");
    const noReason = await deskAction([
      ["intent", "draw"],
      ["rank", "5"],
      [`thu-tu-${ids.e}`, "2"],
      [`thu-tu-${ids.f}`, "3"],
      [`thu-tu-${ids.g}`, "1"],
      ["reason", ""],
    ]);
    expect(noReason.status).toBe(400);
    expect(stored().filter((r) => r.drawPending)).toHaveLength(3);

    ctx.now = FREEZE_1 + MINUTE;
    const reason = "Bốc thăm công khai tại hội trường, có biên bản";
    const ok = await deskAction([
      ["intent", "draw"],
      ["rank", "5"],
      [`thu-tu-${ids.e}`, "2"],
      [`thu-tu-${ids.f}`, "3"],
      [`thu-tu-${ids.g}`, "1"],
      ["reason", reason],
    ]);
    expect(ok.status).toBe(200);
    expect(ok.data?.message).toBe("Đã ghi kết quả bốc thăm cho nhóm đồng hạng 5=.");
    expect(summary(stored()).slice(4)).toEqual([
      ["e", 5, "Giải Ba", false],
      ["f", 5, null, false],
      ["g", 5, "Giải Ba", false],
      ["h", 8, null, false],
    ]);
    const audit = ctx.db.select().from(auditLog).where(eq(auditLog.action, "round.draw")).all();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorUserId: judge,
      subjectKind: "round",
      at: FREEZE_1 + MINUTE,
      after: { rank: 5, drawPending: false, order: [ids.g, ids.e, ids.f], reason },
    });

    const after = (await deskLoader()).data!;
    if (!after.closed) throw new Error("closed expected");
    expect(after.tied).toEqual([]);
    expect(after.draws).toMatchObject([{ order: ["Thí sinh g", "Thí sinh e", "Thí sinh f"], reason }]);

    const ranking = (await csv("xep-hang.csv")).map((r) => [r[0], r[1], r[2], r[14]]).filter((r) => r[0] === "5=");
    expect(ranking.sort((x, y) => x[2]!.localeCompare(y[2]!))).toEqual([
      ["5=", "Giải Ba", "Thí sinh e", `Đồng hạng 5= — bốc thăm: thứ 2/3 (${reason})`],
      ["5=", "", "Thí sinh f", `Đồng hạng 5= — bốc thăm: thứ 3/3 (${reason})`],
      ["5=", "Giải Ba", "Thí sinh g", `Đồng hạng 5= — bốc thăm: thứ 1/3 (${reason})`],
    ]);
    // The group no longer waits: a second draw is refused.
    const again = await deskAction([
      ["intent", "draw"],
      ["rank", "5"],
      [`thu-tu-${ids.e}`, "1"],
      [`thu-tu-${ids.f}`, "2"],
      [`thu-tu-${ids.g}`, "3"],
      ["reason", reason],
    ]);
    expect(again.status).toBe(409);
  });

  it("pages show '2=' for the shared rank, also as the member's own rank", async () => {
    const contest = getContest(ctx.db, "c1")!;
    const board = leaderboard(ctx.db, {
      contest,
      scope: 1,
      filter: {},
      view: "individuals",
      page: 1,
      pageSize: 3,
      userId: ids.c!,
      now: FREEZE_1,
    });
    expect(board.rows!.map((r) => [r.rankLabel, r.fullName])).toEqual([
      ["1", "Thí sinh a"],
      ["2=", board.rows![1]!.fullName],
      ["2=", board.rows![2]!.fullName],
    ]);
    expect(board.myRank).toBe("2=");
    // Page 2 starts with d (a rank of its own) and the first of the 5= group, whose other members are on page 3.
    const page2 = leaderboard(ctx.db, {
      contest,
      scope: 1,
      filter: {},
      view: "individuals",
      page: 2,
      pageSize: 3,
      userId: null,
      now: FREEZE_1,
    });
    expect(page2.rows!.map((r) => r.rankLabel)).toEqual(["4", "5=", "5="]);
    expect(page2.rows!.map((r) => r.prize)).toEqual(["Giải Ba", "Chưa quyết định", "Chưa quyết định"]);
    const page3 = leaderboard(ctx.db, {
      contest,
      scope: 1,
      filter: {},
      view: "individuals",
      page: 3,
      pageSize: 3,
      userId: null,
      now: FREEZE_1,
    });
    expect(page3.rows!.map((r) => [r.rankLabel, r.prize])).toEqual([
      ["5=", "Chưa quyết định"],
      ["8", null],
    ]);
  });

  it("a filtered page ranks within the filter: Đà Lạt without e has f = g at 5= and h 7th; Bảo Lộc has e alone, 1st", () => {
    const contest = getContest(ctx.db, "c1")!;
    const daLat = (page: number) =>
      leaderboard(ctx.db, {
        contest,
        scope: 1,
        filter: { districtId: "da-lat" },
        view: "individuals",
        page,
        pageSize: 4,
        userId: ids.g!,
        now: FREEZE_1,
      });
    expect(daLat(1).rows!.map((r) => r.rankLabel)).toEqual(["1", "2=", "2=", "4"]);
    expect(
      daLat(2)
        .rows!.map((r) => [r.rankLabel, r.fullName])
        .sort(),
    ).toEqual([
      ["5=", "Thí sinh f"],
      ["5=", "Thí sinh g"],
      ["7", "Thí sinh h"],
    ]);
    expect(daLat(2).myRank).toBe("5=");
    const baoLoc = leaderboard(ctx.db, {
      contest,
      scope: 1,
      filter: { districtId: "bao-loc" },
      view: "individuals",
      page: 1,
      pageSize: 4,
      userId: ids.e!,
      now: FREEZE_1,
    });
    expect(baoLoc.rows!.map((r) => [r.rankLabel, r.fullName])).toEqual([["1", "Thí sinh e"]]);
    expect(baoLoc.myRank).toBe("1");
  });
});

describe("1 & 4. overall ranking favours taking part; unit averages per round taken", () => {
  it("equal totals: the member with more rounds ranks first; a unit's overall average is per round taken", async () => {
    await seed();
    const r1 = roundIdOf(ctx.db, "c1", 1);
    const r2 = roundIdOf(ctx.db, "c1", 2);
    // x: round 1 all right but slow, round 2 nothing (total = max score, 2 rounds).
    // y: round 1 all right, fast, exact prediction (same total, 1 round, smaller every tie-break).
    const x = member("x", { districtId: "da-lat", branchId: "dl-so-tttt" });
    const y = member("y", { districtId: "bao-loc", branchId: "bl-ubnd" });
    takeRound(ctx.db, {
      roundId: r1,
      userId: x,
      startAt: inRound1(1),
      finishAt: inRound1(1) + 15 * MINUTE,
      prediction: 50,
      answers: "all",
    });
    takeRound(ctx.db, { roundId: r1, userId: y, startAt: inRound1(1), finishAt: inRound1(1) + 2 * MINUTE, prediction: 2, answers: "all" });
    takeRound(ctx.db, {
      roundId: r2,
      userId: x,
      startAt: inRound2(1),
      finishAt: inRound2(1) + 10 * MINUTE,
      prediction: 50,
      answers: "none",
    });
    freezeClosedRounds(ctx.db, FREEZE_1);
    freezeClosedRounds(ctx.db, FREEZE_2);
    const max = stored(1)[0]!.maxScore;

    const overall = ctx.db.select().from(contestResults).where(eq(contestResults.contestId, "c1")).orderBy(asc(contestResults.rank)).all();
    expect(overall.map((o) => [letterOf.get(o.userId), o.rank, o.position, o.totalScore, o.rounds])).toEqual([
      ["x", 1, 1, max, 2],
      ["y", 2, 2, max, 1],
    ]);
    // The last finalization is stored (x's round 2), not a sum.
    expect(overall[0]!.finalizedAt).toBe(inRound2(1) + 10 * MINUTE);

    // Units over the contest: Đà Lạt has x, average of x's two round scores (max + 0) / 2; Bảo Lộc has y.
    const units = unitStandings(ctx.db, { contestId: "c1", roundId: null, level: "district" });
    expect(units.map((u) => [u.unitId, u.participants, u.averageScore, u.branchesRepresented]).sort()).toEqual([
      ["bao-loc", 1, max, 1],
      ["da-lat", 1, max / 2, 1],
    ]);
    // Rounds keep their separate participant count and prediction answer.
    expect(ctx.db.select({ p: rounds.participantCount, a: rounds.predictionAnswer }).from(rounds).where(eq(rounds.id, r1)).get()).toEqual({
      p: 2,
      a: 2,
    });
  });
});

describe("3 & 4. perfect-score target and disqualified members in the unit standings", () => {
  it("the answer counts members with a perfect attempt, apart from the participants; a disqualified member leaves the unit sheets", async () => {
    await seed({ predictionTarget: "perfect-scores" });
    const roundId = roundIdOf(ctx.db, "c1", 1);
    const p = member("p", { districtId: "da-lat", branchId: "dl-so-tttt" });
    const q = member("q", { districtId: "da-lat", branchId: "dl-ubnd" });
    const r = member("r", { districtId: "bao-loc", branchId: "bl-ubnd" });
    // p: a perfect attempt then a worse one; q: perfect; r: one right answer. Answer: 2 (p, q).
    takeRound(ctx.db, { roundId, userId: p, startAt: inRound1(1), finishAt: inRound1(1) + 5 * MINUTE, prediction: 2, answers: "all" });
    takeRound(ctx.db, { roundId, userId: p, startAt: inRound1(2), finishAt: inRound1(2) + 5 * MINUTE, prediction: 2, answers: "one" });
    takeRound(ctx.db, { roundId, userId: q, startAt: inRound1(1), finishAt: inRound1(1) + 6 * MINUTE, prediction: 5, answers: "all" });
    takeRound(ctx.db, { roundId, userId: r, startAt: inRound1(1), finishAt: inRound1(1) + 6 * MINUTE, prediction: 3, answers: "one" });
    ctx.now = FREEZE_1;
    freezeClosedRounds(ctx.db, FREEZE_1);
    expect(
      ctx.db.select({ p: rounds.participantCount, a: rounds.predictionAnswer }).from(rounds).where(eq(rounds.id, roundId)).get(),
    ).toEqual({ p: 3, a: 2 });
    const ranking = (await csv("xep-hang.csv")).map((row) => [row[0], row[2], row[9], row[10]]);
    expect(ranking).toEqual([
      ["1", "Thí sinh p", "2", "0"],
      ["2", "Thí sinh q", "5", "3"],
      ["3", "Thí sinh r", "3", "1"],
    ]);

    // Disqualify q: Đà Lạt keeps p only (participants 1), the answer stays 2.
    ctx.now = FREEZE_1 + MINUTE;
    const dq = await deskAction([
      ["intent", "disqualify"],
      ["phone", ctx.db.select({ phone: users.phone }).from(users).where(eq(users.id, q)).get()!.phone],
      ["reason", "Dùng hai tài khoản"],
    ]);
    expect(dq.status).toBe(200);
    expect(
      ctx.db.select({ p: rounds.participantCount, a: rounds.predictionAnswer }).from(rounds).where(eq(rounds.id, roundId)).get(),
    ).toEqual({ p: 3, a: 2 });
    const result = await call(() =>
      downloadRoute.loader({
        request: getRequest(`${DESK}/tai/xep-hang.xlsx`, { cookie: judgeCookie }),
        params: { ...params, file: "xep-hang.xlsx" },
        context,
      }),
    );
    const sheets = readXlsx(new Uint8Array(await result.response!.arrayBuffer()));
    const districtsSheet = sheets[2]!.rows.slice(1);
    expect(districtsSheet.map((row) => [row[0], row[2], row[3]])).toEqual([
      [1, 1, ctx.db.select().from(roundResults).where(eq(roundResults.userId, p)).get()!.score],
      [2, 1, 1],
    ]);
  });
});
