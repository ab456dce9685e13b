/**
 * The downloads read the ranking as they write it (app/.server/exports/ranking-stream.server.ts,
 * decision 014): the streamed files hold exactly what the whole-file writers (which read through
 * roundLeaderboardAll) hold — units under the names the round knew, shared ranks, the disqualified
 * at the end — and a sheet that does not hold the rows it announced is an error, never a file.
 */
import { strFromU8, unzipSync } from "fflate";
import { beforeEach, describe, expect, it } from "vitest";
import { toCsv } from "~/.server/exports/csv.server";
import { exportChunks, RANKING_HEADER, rankingRows, rankingWorkbook } from "~/.server/exports/ranking-export.server";
import { toXlsx, xlsxChunks } from "~/.server/exports/xlsx.server";
import { disqualify, roundWithContest, storeRoundResults } from "~/.server/results.server";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { createUser, roundIdOf, seedContent, useTestDatabase } from "./helpers";
import { FREEZE_1, resultsContest, setRole } from "./results-helpers";

const ctx = useTestDatabase();
let roundId: number;

beforeEach(() => {
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  generateSyntheticAttempts(ctx.db, { roundId, members: 2300 });
  storeRoundResults(ctx.db, roundId, FREEZE_1);
  const judge = createUser(ctx.db);
  setRole(ctx.db, judge, "judge");
  const target = ctx.db.$client
    .prepare("select user_id from round_results where round_id = ? and rank > 10 limit 1")
    .pluck()
    .get(roundId) as string;
  disqualify(ctx.db, { roundId, userId: target, reason: "Dùng hai tài khoản", byUserId: judge, now: FREEZE_1 + 1000 });
  // A district renamed after the round: the round's files keep the name it had (round_unit_names).
  const district = ctx.db.$client
    .prepare("select district_id from round_results where round_id = ? limit 1")
    .pluck()
    .get(roundId) as string;
  ctx.db.$client
    .prepare("insert or replace into round_unit_names (round_id, kind, unit_id, name) values (?, 'district', ?, 'Tên cũ của huyện')")
    .run(roundId, district);
  ctx.db.$client.prepare("update districts set name = 'Tên mới' where id = ?").run(district);
});

function streamed(file: "xep-hang.csv" | "xep-hang.xlsx" | "giai.csv" | "giai.xlsx") {
  const chunks: Uint8Array[] = [];
  exportChunks(ctx.db, roundWithContest(ctx.db, roundId)!, file, (chunk) => chunks.push(chunk.slice()));
  return { chunks: chunks.length, bytes: Buffer.concat(chunks) };
}

describe("the ranking downloads, read as they are written", () => {
  it("the CSV files are byte for byte the whole-file writer's", () => {
    const round = roundWithContest(ctx.db, roundId)!;
    for (const [file, prizedOnly] of [
      ["xep-hang.csv", false],
      ["giai.csv", true],
    ] as const) {
      const whole = Buffer.from(new TextEncoder().encode(toCsv(RANKING_HEADER, rankingRows(ctx.db, round, { prizedOnly }))));
      const { bytes, chunks } = streamed(file);
      expect(bytes.equals(whole)).toBe(true);
      if (!prizedOnly) expect(chunks).toBeGreaterThan(1);
    }
    const text = streamed("xep-hang.csv").bytes.toString("utf8");
    expect(text).toContain("Tên cũ của huyện");
    expect(text).not.toContain("Tên mới");
    expect(text.trimEnd().split("\r\n").at(-1)).toContain("Dùng hai tài khoản");
  });

  it("the XLSX files hold exactly the whole-file writer's parts", () => {
    const round = roundWithContest(ctx.db, roundId)!;
    for (const [file, prizedOnly] of [
      ["xep-hang.xlsx", false],
      ["giai.xlsx", true],
    ] as const) {
      const parts = unzipSync(streamed(file).bytes);
      const whole = unzipSync(toXlsx(rankingWorkbook(ctx.db, round, { prizedOnly })));
      expect(Object.keys(parts)).toEqual(Object.keys(whole));
      for (const name of Object.keys(whole)) expect(strFromU8(parts[name]!)).toBe(strFromU8(whole[name]!));
    }
    expect(strFromU8(unzipSync(streamed("xep-hang.xlsx").bytes)["xl/worksheets/sheet1.xml"]!)).toContain('<dimension ref="A1:O2301"/>');
  });

  it("a streamed sheet with more or fewer rows than it announced stops the file with an error", () => {
    const rows = (count: number, actual: number) => ({
      count,
      *[Symbol.iterator]() {
        for (let i = 0; i < actual; i++) yield [i + 1, `Người ${i + 1}`];
      },
    });
    const write = (count: number, actual: number) =>
      xlsxChunks([{ name: "Xếp hạng", header: ["Hạng", "Họ tên"], rows: rows(count, actual) }], () => {});
    expect(() => write(3, 3)).not.toThrow();
    expect(() => write(3, 4)).toThrow(/4 rows written, 3 announced/);
    expect(() => write(3, 2)).toThrow(/2 rows written, 3 announced/);
  });
});
