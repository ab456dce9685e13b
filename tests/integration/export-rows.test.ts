/**
 * The judges' files hold the stored ranking row by row: for a small round whose every value is
 * known by hand, the CSV and the winners' sheet are compared with literal rows — not with rows
 * rebuilt by the same mapping the export uses (judges.test.ts checks the large synthetic round).
 */
import { eq } from "drizzle-orm";
import { beforeEach, expect, it } from "vitest";
import { freezeClosedRounds } from "~/.server/results.server";
import * as downloadRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber.tai.$file";
import { users } from "../../db/schema";
import { parseCsv, readXlsx } from "../helpers/spreadsheets";
import {
  call,
  CLOSES_AT,
  context,
  createUser,
  DAY,
  getRequest,
  MINUTE,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";
import { inRound1, resultsContest, setRole, takeRound } from "./results-helpers";

const ctx = useTestDatabase();
const params = { contestId: "c1", roundNumber: "1" };

let judgeCookie: string;
const attemptOf: Record<string, string> = {};

function member(name: string, phone: string, unit: { districtId: string; branchId: string }): string {
  const id = createUser(ctx.db, { phone, ...unit });
  ctx.db.update(users).set({ fullName: name }).where(eq(users.id, id)).run();
  return id;
}

beforeEach(async () => {
  seedContent(ctx.db, [resultsContest()]);
  const roundId = roundIdOf(ctx.db, "c1", 1);
  const baoLoc = { districtId: "bao-loc", branchId: "bl-ubnd" };
  const daLat = { districtId: "da-lat", branchId: "dl-so-tttt" };
  // Two perfect papers (the quicker first), one with only the first question right, one with none.
  const takers = [
    { name: "Nguyễn Thị An", phone: "0912000001", unit: baoLoc, hour: 1, minutes: 4, prediction: 4, answers: "all" as const },
    { name: "Trần Văn Bình", phone: "0912000002", unit: daLat, hour: 2, minutes: 6, prediction: 10, answers: "all" as const },
    { name: "Lê Thị Cúc", phone: "0912000003", unit: daLat, hour: 3, minutes: 5, prediction: 3, answers: "one" as const },
    { name: "Phạm Văn Dũng", phone: "0912000004", unit: baoLoc, hour: 4, minutes: 2, prediction: 1, answers: "none" as const },
  ];
  for (const p of takers) {
    const userId = member(p.name, p.phone, p.unit);
    const startAt = inRound1(p.hour);
    attemptOf[p.phone] = takeRound(ctx.db, {
      roundId,
      userId,
      startAt,
      finishAt: startAt + p.minutes * MINUTE,
      prediction: p.prediction,
      answers: p.answers,
    })!;
  }
  const judge = createUser(ctx.db);
  setRole(ctx.db, judge, "judge");
  judgeCookie = await sessionCookie(ctx.db, judge);
  ctx.now = CLOSES_AT + DAY;
  freezeClosedRounds(ctx.db, ctx.now);
});

async function download(file: string): Promise<Uint8Array> {
  const result = await call(() =>
    downloadRoute.loader({
      request: getRequest(`/giam-khao/c1/vong/1/tai/${file}`, { cookie: judgeCookie }),
      params: { ...params, file },
      context,
    }),
  );
  expect(result.status).toBe(200);
  return new Uint8Array(await result.response!.arrayBuffer());
}

it("xep-hang.csv and giai.xlsx: the ranking as literal rows", async () => {
  const a = attemptOf;
  // rank, prize, name, phone, district, branch, score, max, correct, prediction, distance, seconds, finalized (Hà Nội time), attempt, note
  const expected = [
    [
      "1",
      "Giải Nhất",
      "Nguyễn Thị An",
      "0912000001",
      "Thành phố Bảo Lộc",
      "Công đoàn cơ quan UBND thành phố Bảo Lộc",
      "8",
      "8",
      "7",
      "4",
      "0",
      "240",
      "01/10/2024 08:04",
      a["0912000001"],
      "",
    ],
    [
      "2",
      "Giải Nhì",
      "Trần Văn Bình",
      "0912000002",
      "Thành phố Đà Lạt",
      "Công đoàn Sở Thông tin và Truyền thông",
      "8",
      "8",
      "7",
      "10",
      "6",
      "360",
      "01/10/2024 09:06",
      a["0912000002"],
      "",
    ],
    [
      "3",
      "Giải Nhì",
      "Lê Thị Cúc",
      "0912000003",
      "Thành phố Đà Lạt",
      "Công đoàn Sở Thông tin và Truyền thông",
      "1",
      "8",
      "1",
      "3",
      "1",
      "300",
      "01/10/2024 10:05",
      a["0912000003"],
      "",
    ],
    [
      "4",
      "Giải Ba",
      "Phạm Văn Dũng",
      "0912000004",
      "Thành phố Bảo Lộc",
      "Công đoàn cơ quan UBND thành phố Bảo Lộc",
      "0",
      "8",
      "0",
      "1",
      "3",
      "120",
      "01/10/2024 11:02",
      a["0912000004"],
      "",
    ],
  ];
  const [, ...csvRows] = parseCsv(new TextDecoder().decode(await download("xep-hang.csv")));
  expect(csvRows).toEqual(expected);

  const [winners] = readXlsx(await download("giai.xlsx"));
  // The sheet keeps numbers as numbers.
  const asSheet = (row: string[]) =>
    row.map((cell, i) => ([0, 6, 7, 8, 9, 10, 11].includes(i) && cell !== "" ? Number(cell) : cell === "" ? null : cell));
  expect(winners!.rows.slice(1)).toEqual(expected.map((row) => asSheet(row as string[])));
});
