/**
 * The judges' desk and downloads (PRODUCT.md "Judges", "Interfaces others rely on"): the files hold
 * exactly the stored ranking with every tie-break column and the disqualified members, re-scoring
 * finds planted discrepancies, decisions need a reason, and only judges and admins get in.
 */
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { RANKING_HEADER } from "~/.server/exports/ranking-export.server";
import { XLSX_CONTENT_TYPE } from "~/.server/exports/xlsx.server";
import { submitAttempt } from "~/.server/attempts.server";
import { freezeClosedRounds } from "~/.server/results.server";
import { t } from "~/i18n/vi";
import * as judgeHomeRoute from "~/routes/giam-khao._index";
import * as deskRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber";
import * as downloadRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber.tai.$file";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { attempts, auditLog, disqualifications, roundResults, users } from "../../db/schema";
import { parseCsv, readXlsx } from "../helpers/spreadsheets";
import { EXPECTED_BRANCHES, EXPECTED_DISTRICTS, expectedPrizedRows, expectedRankingCsv } from "./judges-expected";
import {
  call,
  CLOSES_AT,
  context,
  createUser,
  DAY,
  getRequest,
  MINUTE,
  NOW,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";
import {
  expectRankingFollowsRules,
  FREEZE_1,
  FREEZE_2,
  inRound1,
  phoneOf,
  resultsContest,
  roundRow,
  setRole,
  SLOTS,
  storedRows,
  takeRound,
} from "./results-helpers";

const ctx = useTestDatabase();
const SYNTHETIC = 60;
const DESK = "/giam-khao/c1/vong/1";
const params = { contestId: "c1", roundNumber: "1" };

let roundId: number;
let judge: string;
let judgeCookie: string;
/** Two hand-made members who took the round through the real attempt functions. */
let alice: string;
let bob: string;

beforeEach(async () => {
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  generateSyntheticAttempts(ctx.db, { roundId, members: SYNTHETIC });
  alice = createUser(ctx.db, { districtId: "bao-loc", branchId: "bl-ubnd" });
  bob = createUser(ctx.db);
  takeRound(ctx.db, {
    roundId,
    userId: alice,
    startAt: inRound1(1),
    finishAt: inRound1(1) + 4 * MINUTE,
    prediction: SYNTHETIC + 2,
    answers: "all",
  });
  takeRound(ctx.db, { roundId, userId: bob, startAt: inRound1(2), finishAt: inRound1(2) + 6 * MINUTE, prediction: 7, answers: "one" });
  judge = createUser(ctx.db);
  setRole(ctx.db, judge, "judge");
  judgeCookie = await sessionCookie(ctx.db, judge);
  ctx.now = CLOSES_AT + DAY;
});

function deskLoader(cookie?: string) {
  return call<Awaited<ReturnType<typeof deskRoute.loader>>>(() =>
    deskRoute.loader({ request: getRequest(DESK, { cookie }), params, context }),
  );
}

type DeskResult = {
  error?: string;
  message?: string;
  rescore?: {
    checked: number;
    count: number;
    differences: { attemptId: string; userId: string; stored: number | null; recomputed: number }[];
  };
};

function deskAction(fields: [string, string][], cookie?: string) {
  return call<DeskResult>(() => deskRoute.action({ request: postRequest(DESK, fields, { cookie }), params, context }));
}

function download(file: string, cookie?: string) {
  return call(() => downloadRoute.loader({ request: getRequest(`${DESK}/tai/${file}`, { cookie }), params: { ...params, file }, context }));
}

async function downloaded(file: string, cookie = judgeCookie): Promise<Response> {
  const result = await download(file, cookie);
  expect(result.status).toBe(200);
  expect(result.thrown).toBe(false);
  return result.response!;
}

/** Disqualifies through the desk, one minute apart so that the order of decisions is known. */
async function disqualifyThroughDesk(userId: string, reason: string) {
  ctx.now += MINUTE;
  const result = await deskAction(
    [
      ["intent", "disqualify"],
      ["phone", phoneOf(ctx.db, userId)],
      ["reason", reason],
    ],
    judgeCookie,
  );
  expect(result.status).toBe(200);
  expect(result.data?.message).toMatch(/^Đã loại /);
}

function snapshot() {
  return {
    // Without the storage version, which counts the stores (docs/decisions/020).
    results: ctx.db
      .select()
      .from(roundResults)
      .orderBy(asc(roundResults.rank))
      .all()
      .map(({ version: _version, ...row }) => row),
    disqualifications: ctx.db.select().from(disqualifications).all(),
    audit: ctx.db.select().from(auditLog).all(),
  };
}

const ATTEMPT_COLUMN = RANKING_HEADER.indexOf(t.judge.columns.attemptId);

/** A row with its attempt id blanked: ids are random, so the literal expectations leave them out. */
function withoutAttemptId<T>(row: T[]): (T | "")[] {
  return row.map((cell, i) => (i === ATTEMPT_COLUMN ? "" : cell));
}

/** The member's finalized attempt in the round, found by phone in the tables (not through the export). */
function attemptIdByPhone(phone: string): string {
  return ctx.db
    .select({ id: attempts.id })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(and(eq(users.phone, phone), eq(attempts.roundId, roundId), isNotNull(attempts.finalizedAt)))
    .get()!.id;
}

// Each test freezes 62 results and sends the judges' decisions and the downloads through the
// worker thread: about 2 s quiet, past vitest's 5 s default (and then a worker job outliving its
// test's database) when other sessions saturate the two cores, as in the suite runs of decision 021.
describe("downloads contain exactly the ranking", { timeout: 30_000 }, () => {
  it("xep-hang.csv: BOM, the header, the stored ranking in order with every column, then the disqualified", async () => {
    const reasonA = 'Dùng hai tài khoản, "nhờ" người thi hộ';
    const reasonB = "Nộp bài từ thiết bị lạ";
    // The scheduled job has stored the results (a page load never does); then two decisions.
    freezeClosedRounds(ctx.db, ctx.now);
    expect((await deskLoader(judgeCookie)).data).toMatchObject({ closed: true, participantCount: SYNTHETIC + 2 });
    const top = storedRows(ctx.db, roundId).find((r) => r.userId !== alice)!.userId;
    await disqualifyThroughDesk(bob, reasonA);
    await disqualifyThroughDesk(top, reasonB);

    const response = await downloaded("xep-hang.csv");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toContain('filename="c1-vong-1-xep-hang.csv"');
    // Response.text() would drop the BOM: read the bytes.
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const [header, ...rows] = parseCsv(body);
    expect(header).toEqual(RANKING_HEADER);

    expect(rows).toHaveLength(SYNTHETIC + 2); // 62 took part, 2 of them disqualified
    expect(rows.map(withoutAttemptId)).toEqual(parseCsv(expectedRankingCsv({ alice: phoneOf(ctx.db, alice), bob: phoneOf(ctx.db, bob) })));
    expect(phoneOf(ctx.db, top)).toBe("0380000008");
    expect(rows.map((r) => r[ATTEMPT_COLUMN])).toEqual(rows.map((r) => (r[0] === "" ? "" : attemptIdByPhone(r[3]!))));

    // Independently of the export code: ranks 1..n, full phones, prizes down the ranking.
    expect(rows.slice(0, SYNTHETIC).map((r) => r[0])).toEqual(Array.from({ length: SYNTHETIC }, (_, i) => String(i + 1)));
    expect(rows.slice(0, SLOTS.length).map((r) => r[1])).toEqual(SLOTS);
    expect(rows.every((r) => /^0\d{9}$/.test(r[3]!))).toBe(true);
    expect(rows.map((r) => r[2])).not.toContain(undefined);
    const aliceRow = rows.find((r) => r[3] === phoneOf(ctx.db, alice))!;
    expect(aliceRow.slice(6, 12)).toEqual(["8", "8", "7", String(SYNTHETIC + 2), "0", "240"]);
    expect(rows.slice(-2).map((r) => r[14])).toEqual([`Bị loại: ${reasonA}`, `Bị loại: ${reasonB}`]);
  });

  it("giai.xlsx: exactly the prized rows, the disqualified, the district and branch standings", async () => {
    freezeClosedRounds(ctx.db, ctx.now);
    await deskLoader(judgeCookie);
    await disqualifyThroughDesk(bob, "Thi hộ người khác");
    const response = await downloaded("giai.xlsx");
    expect(response.headers.get("Content-Type")).toBe(XLSX_CONTENT_TYPE);
    const sheets = readXlsx(new Uint8Array(await response.arrayBuffer()));
    expect(sheets.map((s) => s.name)).toEqual([
      t.judge.sheetWinners,
      t.judge.sheetDisqualified,
      t.judge.sheetDistricts,
      t.judge.sheetBranches,
    ]);
    const [winners, disqualified, byDistrict, byBranch] = sheets;

    expect(winners!.rows[0]).toEqual(RANKING_HEADER);
    const prized = winners!.rows.slice(1);
    expect(prized.map(withoutAttemptId)).toEqual(expectedPrizedRows(phoneOf(ctx.db, alice)));
    expect(prized.map((r) => r[ATTEMPT_COLUMN])).toEqual(prized.map((r) => attemptIdByPhone(String(r[3]))));
    expect(winners!.rows.slice(1).map((r) => r[1])).toEqual(SLOTS);
    expect(winners!.rows.slice(1).map((r) => r[0])).toEqual(SLOTS.map((_, i) => i + 1));

    expect(disqualified!.rows).toEqual([
      [
        t.judge.columns.fullName,
        t.judge.columns.phone,
        t.judge.columns.district,
        t.judge.columns.branch,
        t.judge.columns.reason,
        t.judge.columns.decidedAt,
      ],
      [
        "Người Thử Nghiệm",
        phoneOf(ctx.db, bob),
        "Thành phố Đà Lạt",
        "Công đoàn Sở Thông tin và Truyền thông",
        "Thi hộ người khác",
        "09/10/2024 07:01",
      ],
    ]);

    const unitHeader = [t.judge.columns.rank, t.judge.columns.unit, t.judge.columns.participants, t.judge.columns.averageScore];
    expect(byDistrict!.rows).toEqual([unitHeader, ...EXPECTED_DISTRICTS]);
    expect(byBranch!.rows).toEqual([unitHeader, ...EXPECTED_BRANCHES]);
    // Everyone ranked (all but Bob) is counted once at each level.
    for (const sheet of [byDistrict!, byBranch!]) expect(sheet.rows.slice(1).reduce((n, r) => n + (r[2] as number), 0)).toBe(SYNTHETIC + 1);
    expect(byDistrict!.rows).toHaveLength(1 + 2);
    expect(byBranch!.rows).toHaveLength(1 + 3);
  });

  it("downloading a round that is still open is refused with 409", async () => {
    ctx.now = NOW;
    for (const file of ["giai.csv", "giai.xlsx", "xep-hang.csv", "xep-hang.xlsx"]) {
      const result = await download(file, judgeCookie);
      expect(result.thrown).toBe(true);
      expect(result.status).toBe(409);
    }
    expect(ctx.db.select().from(roundResults).all()).toEqual([]);
    // The desk shows no ranking and accepts no decision while the round is open.
    expect((await deskLoader(judgeCookie)).data).toEqual({
      round: expect.objectContaining({ status: "open" }),
      closed: false,
      compiling: false,
    });
    const decision = await deskAction(
      [
        ["intent", "disqualify"],
        ["phone", phoneOf(ctx.db, bob)],
        ["reason", "Thi hộ người khác"],
      ],
      judgeCookie,
    );
    expect(decision.status).toBe(409);
    expect(ctx.db.select().from(disqualifications).all()).toEqual([]);
  });

  it("a closed round nobody took gives files with the headers only", async () => {
    ctx.now = FREEZE_2;
    freezeClosedRounds(ctx.db, ctx.now);
    const round2 = { contestId: "c1", roundNumber: "2" };
    const get = (file: string) =>
      call(() =>
        downloadRoute.loader({
          request: getRequest(`/giam-khao/c1/vong/2/tai/${file}`, { cookie: judgeCookie }),
          params: { ...round2, file },
          context,
        }),
      );
    const csv = await get("xep-hang.csv");
    expect(csv.status).toBe(200);
    expect(parseCsv(await csv.response!.text())).toEqual([RANKING_HEADER]);
    const xlsx = await get("giai.xlsx");
    expect(xlsx.status).toBe(200);
    const sheets = readXlsx(new Uint8Array(await xlsx.response!.arrayBuffer()));
    expect(sheets.map((s) => s.rows.length)).toEqual([1, 1, 1, 1]);
    expect(roundRow(ctx.db, roundIdOf(ctx.db, "c1", 2)).participantCount).toBe(0);
  });

  it("an unknown file is 404", async () => {
    const result = await download("xep-hang.pdf", judgeCookie);
    expect(result.status).toBe(404);
  });
});

describe("opening the desk right at the close", () => {
  it("does not freeze the results before the answer grace: a submission inside the grace is ranked", async () => {
    // Carol starts 10 minutes before the close; her deadline is the close.
    const carol = createUser(ctx.db);
    const attemptId = takeRound(ctx.db, {
      roundId,
      userId: carol,
      startAt: CLOSES_AT - 10 * MINUTE,
      finishAt: null,
      prediction: null,
      answers: "all",
    });
    // A judge opens the desk (and asks for a download) one second after the close: nothing is
    // frozen by a page load; the desk says the results are being compiled, the file is not ready.
    ctx.now = CLOSES_AT + 1000;
    expect((await deskLoader(judgeCookie)).data).toMatchObject({ closed: false, compiling: true });
    expect((await download("xep-hang.csv", judgeCookie)).status).toBe(409);
    expect(roundRow(ctx.db, roundId).resultsComputedAt).toBeNull();
    // Her submission arrives inside the answer grace: accepted.
    expect(
      submitAttempt(ctx.db, { attemptId, userId: carol, now: CLOSES_AT + 5000, prediction: SYNTHETIC + 3, confirmUnanswered: true }).kind,
    ).toBe("finalized");
    // The sweep after the grace, then the judges' file.
    freezeClosedRounds(ctx.db, FREEZE_1);
    ctx.now = FREEZE_1 + MINUTE;
    const rows = expectRankingFollowsRules(ctx.db, roundId);
    expect(rows).toHaveLength(SYNTHETIC + 3);
    expect(rows.find((r) => r.userId === carol)).toMatchObject({ attemptId, score: 8, prediction: SYNTHETIC + 3, predictionDistance: 0 });
    const csv = parseCsv(new TextDecoder().decode(await (await downloaded("xep-hang.csv")).arrayBuffer()));
    expect(csv.slice(1).map((r) => r[13])).toContain(attemptId);
    expect(roundRow(ctx.db, roundId).participantCount).toBe(SYNTHETIC + 3);
  });
});

describe("re-scoring", () => {
  it("finds no difference on untouched data, then exactly a planted one", async () => {
    await deskLoader(judgeCookie);
    const finalized = ctx.db.select().from(attempts).all();
    expect(finalized).toHaveLength(SYNTHETIC + 2);

    const clean = await deskAction([["intent", "rescore"]], judgeCookie);
    expect(clean.status).toBe(200);
    expect(clean.data?.rescore).toEqual({ checked: SYNTHETIC + 2, count: 0, differences: [] });

    const victim = finalized.find((a) => a.userId !== alice && a.userId !== bob && a.score! > 0 && a.score! < 8)!;
    ctx.db.$client.prepare("update attempts set score = score + 1 where id = ?").run(victim.id);
    const planted = await deskAction([["intent", "rescore"]], judgeCookie);
    expect(planted.data?.rescore).toEqual({
      checked: SYNTHETIC + 2,
      count: 1,
      differences: [{ attemptId: victim.id, userId: victim.userId, stored: victim.score! + 1, recomputed: victim.score }],
    });
    const audit = ctx.db.select().from(auditLog).where(eq(auditLog.action, "round.rescore")).all();
    expect(audit.map((a) => [a.actorUserId, a.details])).toEqual([
      [judge, { attempts: SYNTHETIC + 2, differences: 0 }],
      [judge, { attempts: SYNTHETIC + 2, differences: 1 }],
    ]);
  });
});

describe("the desk's decisions", () => {
  it("refuses a disqualification whose reason is shorter than 5 characters, changing nothing", async () => {
    await deskLoader(judgeCookie);
    const before = snapshot();
    // Spaces do not count: "  a   b   " is "a b".
    for (const reason of ["", "abc", "  a   b   ", "\n\t abcd \n"]) {
      const result = await deskAction(
        [
          ["intent", "disqualify"],
          ["phone", phoneOf(ctx.db, bob)],
          ["reason", reason],
        ],
        judgeCookie,
      );
      expect(result.status).toBe(400);
      expect(result.data?.error).toBe(t.judge.reasonRequired);
    }
    expect(snapshot()).toEqual(before);
  });

  it("disqualifies with a reason and reinstates, recorded in the audit log", async () => {
    freezeClosedRounds(ctx.db, ctx.now);
    await deskLoader(judgeCookie);
    const before = storedRows(ctx.db, roundId);
    await disqualifyThroughDesk(alice, "  Thi   hộ người khác ");
    expect(storedRows(ctx.db, roundId).map((r) => r.userId)).toEqual(before.map((r) => r.userId).filter((u) => u !== alice));
    expect(ctx.db.select().from(disqualifications).all()).toEqual([
      expect.objectContaining({ userId: alice, reason: "Thi hộ người khác", byUserId: judge }),
    ]);
    const loaded = (await deskLoader(judgeCookie)).data as Extract<Awaited<ReturnType<typeof deskRoute.loader>>, { closed: true }>;
    expect(loaded.disqualified.map((d) => [d.userId, d.reason])).toEqual([[alice, "Thi hộ người khác"]]);
    expect(loaded.total).toBe(SYNTHETIC + 1);
    expect(loaded.participantCount).toBe(SYNTHETIC + 2);

    const back = await deskAction(
      [
        ["intent", "reinstate"],
        ["userId", alice],
        ["reason", "Đã xác minh lại"],
      ],
      judgeCookie,
    );
    expect(back.status).toBe(200);
    expect(storedRows(ctx.db, roundId)).toEqual(before);
    expect(
      ctx.db
        .select()
        .from(auditLog)
        .all()
        .filter((a) => a.action.startsWith("round."))
        .map((a) => a.action),
    ).toEqual(["round.disqualify", "round.reinstate"]);
  });

  it("refuses to disqualify a phone that did not take the round", async () => {
    await deskLoader(judgeCookie);
    const before = snapshot();
    const result = await deskAction(
      [
        ["intent", "disqualify"],
        ["phone", "0999999999"],
        ["reason", "Thi hộ người khác"],
      ],
      judgeCookie,
    );
    expect(result.status).toBe(400);
    expect(result.data?.error).toBe(t.judge.phoneNotRanked);
    expect(snapshot()).toEqual(before);
  });
});

describe("who may use the desk", () => {
  async function cookieFor(role: "member" | "organizer" | "admin") {
    const userId = createUser(ctx.db);
    setRole(ctx.db, userId, role);
    return sessionCookie(ctx.db, userId);
  }

  it.each(["member", "organizer"] as const)(
    "a %s gets 403 from the desk, its action and the downloads, and changes nothing",
    async (role) => {
      const cookie = await cookieFor(role);
      const before = snapshot();
      const results = [
        await deskLoader(cookie),
        await deskAction(
          [
            ["intent", "disqualify"],
            ["phone", phoneOf(ctx.db, alice)],
            ["reason", "Thi hộ người khác"],
          ],
          cookie,
        ),
        await deskAction([["intent", "rescore"]], cookie),
        await download("xep-hang.csv", cookie),
        await download("giai.xlsx", cookie),
        await call(() => judgeHomeRoute.loader({ request: getRequest("/giam-khao", { cookie }), params: {}, context })),
      ];
      for (const result of results) {
        expect(result.thrown).toBe(true);
        expect(result.status).toBe(403);
        expect(result.response).toBeInstanceOf(Response);
      }
      expect(snapshot()).toEqual(before);
      expect(ctx.db.select().from(roundResults).all()).toEqual([]);
    },
  );

  it("an anonymous visitor is sent to the login page", async () => {
    for (const [result, path] of [
      [await deskLoader(), DESK],
      [await deskAction([["intent", "rescore"]]), DESK],
      [await download("xep-hang.csv"), `${DESK}/tai/xep-hang.csv`],
    ] as const) {
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe(`/dang-nhap?redirectTo=${encodeURIComponent(path)}`);
    }
    expect(
      ctx.db
        .select()
        .from(auditLog)
        .all()
        .filter((a) => a.action.startsWith("round.")),
    ).toEqual([]);
  });

  it("an admin may use the desk and download", async () => {
    const cookie = await cookieFor("admin");
    freezeClosedRounds(ctx.db, ctx.now);
    expect((await deskLoader(cookie)).data).toMatchObject({ closed: true, total: SYNTHETIC + 2 });
    expect((await deskAction([["intent", "rescore"]], cookie)).data?.rescore?.count).toBe(0);
    const csv = await downloaded("xep-hang.csv", cookie);
    expect(parseCsv(await csv.text())).toHaveLength(1 + SYNTHETIC + 2);
    const home = await call<Awaited<ReturnType<typeof judgeHomeRoute.loader>>>(() =>
      judgeHomeRoute.loader({ request: getRequest("/giam-khao", { cookie }), params: {}, context }),
    );
    expect(home.data?.contests.map((c) => c.rounds.map((r) => r.status))).toEqual([["closed", "open"]]);
  });

  it("a cross-site POST from a judge is refused", async () => {
    const before = snapshot();
    const result = await call(() =>
      deskRoute.action({
        request: postRequest(
          DESK,
          [
            ["intent", "disqualify"],
            ["phone", phoneOf(ctx.db, alice)],
            ["reason", "Thi hộ người khác"],
          ],
          { cookie: judgeCookie, origin: "https://evil.example" },
        ),
        params,
        context,
      }),
    );
    expect(result.status).toBe(403);
    expect(snapshot()).toEqual(before);
  });
});
