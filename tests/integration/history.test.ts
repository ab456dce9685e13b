/**
 * History stays as it was (issue 17): a closed round's leaderboards, unit standings and judges'
 * files keep the units and unit names of the time, through renames, a merge across districts, a
 * district renamed by a units import, and judges' decisions that store the round again. A link to a
 * merged branch follows the merge where the past does not hold it.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { renameBranch, mergeBranch } from "~/.server/units.server";
import { freezeClosedRounds } from "~/.server/results.server";
import { branchLinkOutcome } from "~/domain/unit-history";
import { historyStrings } from "~/i18n/history.vi";
import * as boardRoute from "~/routes/cuoc-thi.$contestId.xep-hang";
import * as deskRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber";
import * as downloadRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber.tai.$file";
import { attempts, users } from "../../db/schema";
import { parseCsv, readXlsx } from "../helpers/spreadsheets";
import {
  call,
  context,
  createUser,
  getRequest,
  importTestContent,
  MINUTE,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  UNITS,
  useTestDatabase,
} from "./helpers";
import { FREEZE_1, inRound1, inRound2, resultsContest, setRole, takeRound } from "./results-helpers";

const ctx = useTestDatabase();
const HOUR = 60 * MINUTE;

type Board = Awaited<ReturnType<typeof boardRoute.loader>>;

const PEOPLE = [
  // name, phone, district, branch, answers, start hour, minutes taken
  ["Nguyễn Văn An", "0912000101", "da-lat", "dl-so-tttt", "all", 1, 4],
  ["Trần Thị Bình", "0912000102", "da-lat", "dl-ubnd", "all", 2, 5],
  ["Lê Văn Cúc", "0912000103", "da-lat", "dl-ubnd", "one", 3, 3],
  ["Phạm Văn Dũng", "0912000104", "bao-loc", "bl-ubnd", "none", 4, 2],
  ["Hoàng Thị Em", "0912000105", "da-lat", "dl-so-tttt", "one", 5, 6],
] as const;

let roundId: number;
let judgeCookie: string;
const ids: Record<string, string> = {};

beforeEach(async () => {
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  for (const [name, phone, districtId, branchId, answers, hour, minutes] of PEOPLE) {
    const id = createUser(ctx.db, { phone, districtId, branchId });
    ctx.db.update(users).set({ fullName: name }).where(eq(users.id, id)).run();
    ids[name] = id;
    takeRound(ctx.db, {
      roundId,
      userId: id,
      startAt: inRound1(hour),
      finishAt: inRound1(hour) + minutes * MINUTE,
      prediction: 5,
      answers,
    });
  }
  const judge = createUser(ctx.db, { phone: "0912000199" });
  setRole(ctx.db, judge, "judge");
  judgeCookie = await sessionCookie(ctx.db, judge);
  ctx.now = FREEZE_1;
  expect(freezeClosedRounds(ctx.db, ctx.now)).toBe(1);
});

async function board(query: string) {
  return call<Board>(() =>
    boardRoute.loader({ request: getRequest(`/cuoc-thi/c1/xep-hang?${query}`), params: { contestId: "c1" }, context }),
  );
}

async function boardData(query: string): Promise<Board> {
  const result = await board(query);
  expect(result.status, query).toBe(200);
  return result.data!;
}

/** What a person reads on the round-1 pages: rows, and unit standings. */
async function round1Pages() {
  const rows = async (q: string) => (await boardData(q)).board.rows!.map((r) => [r.position, r.fullName, r.unit, r.score, r.prize]);
  const units = async (q: string) => (await boardData(q)).board.units!.rows.map((u) => [u.rank, u.name, u.participants]);
  return {
    all: await rows("vong=1"),
    daLat: await rows("vong=1&huyen=da-lat"),
    dlUbnd: await rows("vong=1&huyen=da-lat&cdcs=dl-ubnd"),
    blUbnd: await rows("vong=1&huyen=bao-loc&cdcs=bl-ubnd"),
    districts: await units("vong=1&xem=don-vi"),
    daLatBranches: await units("vong=1&xem=don-vi&huyen=da-lat"),
    branchFilter: (await boardData("vong=1&huyen=da-lat")).branches,
  };
}

async function downloadBytes(file: string): Promise<Uint8Array> {
  const result = await call(() =>
    downloadRoute.loader({
      request: getRequest(`/giam-khao/c1/vong/1/tai/${file}`, { cookie: judgeCookie }),
      params: { contestId: "c1", roundNumber: "1", file },
      context,
    }),
  );
  expect(result.status).toBe(200);
  return new Uint8Array(await result.response!.arrayBuffer());
}

async function csvRows(): Promise<string[][]> {
  const body = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await downloadBytes("xep-hang.csv"));
  // Columns: rank, prize, name, phone, district, branch, score (the rest are checked by judges.test.ts).
  return parseCsv(body.slice(1))
    .slice(1)
    .map((r) => r.slice(0, 7).concat(r[14]!));
}

async function desk(fields: [string, string][]) {
  ctx.now += MINUTE;
  const result = await call<{ message?: string; error?: string }>(() =>
    deskRoute.action({
      request: postRequest("/giam-khao/c1/vong/1", fields, { cookie: judgeCookie }),
      params: { contestId: "c1", roundNumber: "1" },
      context,
    }),
  );
  expect(result.data?.error ?? null).toBeNull();
}

const DL = "Thành phố Đà Lạt";
const BL = "Thành phố Bảo Lộc";
const SO = "Công đoàn Sở Thông tin và Truyền thông";
const UB = "Công đoàn cơ quan UBND thành phố Đà Lạt";
const BU = "Công đoàn cơ quan UBND thành phố Bảo Lộc";

/** Round 1 as it closed: literal values, the expectation for every page and file later on. */
const ROUND1 = {
  all: [
    [1, "Nguyễn Văn An", `${SO} · ${DL}`, "8", "Giải Nhất"],
    [2, "Trần Thị Bình", `${UB} · ${DL}`, "8", "Giải Nhì"],
    [3, "Lê Văn Cúc", `${UB} · ${DL}`, "1", "Giải Nhì"],
    [4, "Hoàng Thị Em", `${SO} · ${DL}`, "1", "Giải Ba"],
    [5, "Phạm Văn Dũng", `${BU} · ${BL}`, "0", "Giải Ba"],
  ],
  daLat: [
    [1, "Nguyễn Văn An", `${SO} · ${DL}`, "8", "Giải Nhất"],
    [2, "Trần Thị Bình", `${UB} · ${DL}`, "8", "Giải Nhì"],
    [3, "Lê Văn Cúc", `${UB} · ${DL}`, "1", "Giải Nhì"],
    [4, "Hoàng Thị Em", `${SO} · ${DL}`, "1", "Giải Ba"],
  ],
  dlUbnd: [
    [1, "Trần Thị Bình", `${UB} · ${DL}`, "8", "Giải Nhì"],
    [2, "Lê Văn Cúc", `${UB} · ${DL}`, "1", "Giải Nhì"],
  ],
  blUbnd: [[1, "Phạm Văn Dũng", `${BU} · ${BL}`, "0", "Giải Ba"]],
  districts: [
    [1, DL, 4],
    [2, BL, 1],
  ],
  // Equal participants, averages and branches: by name as the round kept it (issue 16's tie order).
  daLatBranches: [
    [1, UB, 2],
    [2, SO, 2],
  ],
  branchFilter: [
    { id: "dl-so-tttt", name: SO },
    { id: "dl-ubnd", name: UB },
  ],
};

const CSV_ROUND1 = [
  ["1", "Giải Nhất", "Nguyễn Văn An", "0912000101", DL, SO, "8", ""],
  ["2", "Giải Nhì", "Trần Thị Bình", "0912000102", DL, UB, "8", ""],
  ["3", "Giải Nhì", "Lê Văn Cúc", "0912000103", DL, UB, "1", ""],
  ["4", "Giải Ba", "Hoàng Thị Em", "0912000105", DL, SO, "1", ""],
  ["5", "Giải Ba", "Phạm Văn Dũng", "0912000104", BL, BU, "0", ""],
];

/** Renames both Đà Lạt branches and Bảo Lộc's, merges dl-ubnd into Bảo Lộc's, renames a district by import. */
function rewriteTheUnits() {
  ctx.now += HOUR;
  // First (a units file names the branches as they were, and would rename them back).
  importTestContent(
    ctx.db,
    { units: { ...UNITS, districts: UNITS.districts.map((d) => (d.id === "da-lat" ? { ...d, name: "Đà Lạt (đổi tên)" } : d)) } },
    ctx.now,
  );
  renameBranch(ctx.db, { branchId: "dl-ubnd", name: "Công đoàn UBND Đà Lạt (tên mới)", actorUserId: ids["Nguyễn Văn An"]!, now: ctx.now });
  renameBranch(ctx.db, {
    branchId: "bl-ubnd",
    name: "Công đoàn khối chính quyền Bảo Lộc",
    actorUserId: ids["Nguyễn Văn An"]!,
    now: ctx.now,
  });
  expect(mergeBranch(ctx.db, { fromId: "dl-ubnd", intoId: "bl-ubnd", actorUserId: ids["Nguyễn Văn An"]!, now: ctx.now })).toMatchObject({
    moved: 2,
  });
  // Today Bình and Cúc belong to Bảo Lộc's branch.
  expect(
    ctx.db.select({ branchId: users.branchId, districtId: users.districtId }).from(users).where(eq(users.id, ids["Trần Thị Bình"]!)).get(),
  ).toEqual({
    branchId: "bl-ubnd",
    districtId: "bao-loc",
  });
}

describe("a closed round keeps its units", () => {
  it("renames, a merge and a district renamed by import change nothing on its pages and files, through a disqualification and a reinstatement", async () => {
    expect(await round1Pages()).toEqual(ROUND1);
    expect(await csvRows()).toEqual(CSV_ROUND1);
    const xlsxBefore = readXlsx(await downloadBytes("xep-hang.xlsx"));

    rewriteTheUnits();
    expect(await round1Pages()).toEqual(ROUND1);
    expect(await csvRows()).toEqual(CSV_ROUND1);

    // A judge's decision stores the round again: members stay in the units they took the round in.
    await desk([
      ["intent", "disqualify"],
      ["phone", "0912000105"],
      ["reason", "Thi hộ người khác"],
    ]);
    const afterDecision = await round1Pages();
    expect(afterDecision.all).toEqual([
      [1, "Nguyễn Văn An", `${SO} · ${DL}`, "8", "Giải Nhất"],
      [2, "Trần Thị Bình", `${UB} · ${DL}`, "8", "Giải Nhì"],
      [3, "Lê Văn Cúc", `${UB} · ${DL}`, "1", "Giải Nhì"],
      [4, "Phạm Văn Dũng", `${BU} · ${BL}`, "0", "Giải Ba"],
    ]);
    expect(afterDecision.dlUbnd).toEqual(ROUND1.dlUbnd);
    expect(afterDecision.blUbnd).toEqual([[1, "Phạm Văn Dũng", `${BU} · ${BL}`, "0", "Giải Ba"]]);
    expect(afterDecision.districts).toEqual([
      [1, DL, 3],
      [2, BL, 1],
    ]);
    expect(afterDecision.daLatBranches).toEqual([
      [1, UB, 2],
      [2, SO, 1],
    ]);
    expect(await csvRows()).toEqual([
      ["1", "Giải Nhất", "Nguyễn Văn An", "0912000101", DL, SO, "8", ""],
      ["2", "Giải Nhì", "Trần Thị Bình", "0912000102", DL, UB, "8", ""],
      ["3", "Giải Nhì", "Lê Văn Cúc", "0912000103", DL, UB, "1", ""],
      ["4", "Giải Ba", "Phạm Văn Dũng", "0912000104", BL, BU, "0", ""],
      // The disqualified member, unranked, in the units of the time.
      ["", "", "Hoàng Thị Em", "0912000105", DL, SO, "", "Bị loại: Thi hộ người khác"],
    ]);

    const reinstate: [string, string][] = [
      ["intent", "reinstate"],
      ["userId", ids["Hoàng Thị Em"]!],
      ["reason", "Đã xác minh lại"],
    ];
    await desk(reinstate);
    expect(await round1Pages()).toEqual(ROUND1);
    expect(await csvRows()).toEqual(CSV_ROUND1);
    expect(readXlsx(await downloadBytes("xep-hang.xlsx"))).toEqual(xlsxBefore);
    const branchesSheet = xlsxBefore.find((sheet) => sheet.name === "Tập thể - CĐCS");
    expect(branchesSheet?.rows.slice(1)).toEqual([
      [1, UB, 2, 4.5], // a full tie: by the name the round kept ("cơ quan" before "Sở")
      [2, SO, 2, 4.5],
      [3, BU, 1, 0],
    ]);
  });

  it("a later round takes the units of today: the merged members count for the branch they joined, under today's names", async () => {
    rewriteTheUnits();
    ctx.now = inRound2(1);
    const round2 = roundIdOf(ctx.db, "c1", 2);
    takeRound(ctx.db, {
      roundId: round2,
      userId: ids["Trần Thị Bình"]!,
      startAt: ctx.now,
      finishAt: ctx.now + 3 * MINUTE,
      prediction: 1,
      answers: "all",
    });
    expect(
      ctx.db
        .select({ branchId: attempts.branchId, districtId: attempts.districtId })
        .from(attempts)
        .where(eq(attempts.roundId, round2))
        .get(),
    ).toEqual({
      branchId: "bl-ubnd",
      districtId: "bao-loc",
    });
    ctx.now = FREEZE_1 + 7 * 24 * HOUR;
    freezeClosedRounds(ctx.db, ctx.now);
    const page = await boardData("vong=2&huyen=bao-loc&cdcs=bl-ubnd");
    expect(page.board.rows!.map((r) => [r.fullName, r.unit])).toEqual([["Trần Thị Bình", `Công đoàn khối chính quyền Bảo Lộc · ${BL}`]]);
    // Round 1 still says what it said.
    expect((await boardData("vong=1&huyen=da-lat&cdcs=dl-ubnd")).board.rows!.map((r) => r.unit)).toEqual([
      `${UB} · ${DL}`,
      `${UB} · ${DL}`,
    ]);
  });
});

describe("a link to a merged branch", () => {
  beforeEach(() => rewriteTheUnits());

  it("on a current round, redirects to the branch it was merged into, which shows a note", async () => {
    ctx.now = inRound2(2);
    const result = await board("vong=2&huyen=da-lat&cdcs=dl-ubnd");
    expect(result.status).toBe(302);
    const location = new URL(result.headers.get("Location")!, "http://localhost");
    expect(location.pathname).toBe("/cuoc-thi/c1/xep-hang");
    expect(Object.fromEntries(location.searchParams)).toEqual({ vong: "2", huyen: "bao-loc", cdcs: "bl-ubnd", gop: "dl-ubnd" });
    const page = await boardData(location.search.slice(1));
    expect(page.query).toMatchObject({ vong: "2", huyen: "bao-loc", cdcs: "bl-ubnd" });
    expect(page.mergedNote).toBe(historyStrings.mergedNote("Công đoàn UBND Đà Lạt (tên mới)", "Công đoàn khối chính quyền Bảo Lộc"));
    // Without the merge behind it, the parameter says nothing.
    expect((await boardData("vong=2&huyen=bao-loc&cdcs=bl-ubnd&gop=dl-so-tttt")).mergedNote).toBeNull();
  });

  it("on the overall ranking of a running contest, redirects too", async () => {
    ctx.now = inRound2(2);
    const result = await board("vong=tong&cdcs=dl-ubnd");
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toContain("cdcs=bl-ubnd");
  });

  it("on a closed round that holds it, shows that round's own unit, with the branch in the filter under its name of then", async () => {
    const page = await boardData("vong=1&huyen=da-lat&cdcs=dl-ubnd");
    expect(page.mergedNote).toBeNull();
    expect(page.filterName).toBe(UB);
    expect(page.branches).toEqual(ROUND1.branchFilter);
    expect(page.board.rows!.map((r) => r.fullName)).toEqual(["Trần Thị Bình", "Lê Văn Cúc"]);
  });

  it("is decided by one rule", () => {
    expect(branchLinkOutcome({ id: "a", mergedIntoId: null }, { historyHoldsIt: false })).toEqual({ show: "a" });
    expect(branchLinkOutcome({ id: "a", mergedIntoId: "b" }, { historyHoldsIt: true })).toEqual({ show: "a" });
    expect(branchLinkOutcome({ id: "a", mergedIntoId: "b" }, { historyHoldsIt: false })).toEqual({ redirectTo: "b", mergedFrom: "a" });
  });
});
