/**
 * What judges download: a round's winners or its full ranking, with every tie-break column, the
 * disqualified members and their reasons, and the collective (unit) standings.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { rankDraws } from "../../../db/schema";
import { orderUnits, rankLabel } from "~/domain/ranking";
import { rankingStrings } from "~/i18n/ranking.vi";
import { formatLocalDateTime } from "~/domain/time";
import { t } from "~/i18n/vi";
import { listDisqualified, roundLeaderboardAll, unitStandings, type RoundWithContest } from "../results.server";
import { csvChunks, type Cell } from "./csv.server";
import { countRanking, iterateRanking, sharedRanks, type RankingRecord } from "./ranking-stream.server";
import { xlsxChunks, type SheetRows, type XlsxSheet } from "./xlsx.server";

const c = t.judge.columns;

export const RANKING_HEADER = [
  c.rank,
  c.prize,
  c.fullName,
  c.phone,
  c.district,
  c.branch,
  c.score,
  c.maxScore,
  c.correct,
  c.prediction,
  c.distance,
  c.durationSeconds,
  c.finalizedAt,
  c.attemptId,
  c.note,
];

/**
 * The ranking's rows. A shared rank is written "3=" (shared in the whole ranking, so also in the
 * winners file); a tied group at a prize boundary shows "Chưa quyết định" as its prize and says it
 * waits for a draw, and a decided one names each member's place in the draw and its reason.
 */
export function rankingRows(db: Db, round: RoundWithContest, { prizedOnly }: { prizedOnly: boolean }): Cell[][] {
  const all = roundLeaderboardAll(db, round.id);
  const sizeOf = new Map<number, number>();
  for (const r of all) sizeOf.set(r.rank, (sizeOf.get(r.rank) ?? 0) + 1);
  const drawReasons = drawReasonsOf(db, round.id);
  const listed = prizedOnly ? all.filter((r) => r.prize !== null || r.drawPending) : all;
  const rows: Cell[][] = listed.map((r) => rankingCells(r, sizeOf.get(r.rank)!, drawReasons, round.timezone));
  // Disqualified members stay in the full ranking file, unranked, with the judges' reason.
  if (!prizedOnly) for (const d of listDisqualified(db, round.id)) rows.push(disqualifiedCells(d));
  return rows;
}

/**
 * The same rows as `rankingRows`, read from the database as they are written (`.iterate()`,
 * app/.server/exports/ranking-stream.server.ts): the count first (the sheet's dimension), then the
 * rows. Everything else the rows need (shared ranks, draws, the disqualified) is read before the
 * iteration starts; run it inside one read transaction so that all of it is one snapshot.
 */
export function rankingRowStream(db: Db, round: RoundWithContest, { prizedOnly }: { prizedOnly: boolean }): SheetRows {
  const shared = sharedRanks(db, round.id);
  const drawReasons = drawReasonsOf(db, round.id);
  const disqualified = prizedOnly ? [] : listDisqualified(db, round.id);
  const count = countRanking(db, round.id, { prizedOnly }) + disqualified.length;
  return {
    count,
    *[Symbol.iterator]() {
      for (const r of iterateRanking(db, round.id, { prizedOnly }))
        yield rankingCells(r, shared.get(r.rank) ?? 1, drawReasons, round.timezone);
      for (const d of disqualified) yield disqualifiedCells(d);
    },
  };
}

/** One member's row of the ranking file; `sizeOfRank`: how many share the member's rank in the whole ranking. */
function rankingCells(
  r: RankingRecord,
  sizeOfRank: number,
  drawReasons: Map<string, { reason: string; size: number }>,
  tz: string,
): Cell[] {
  const shared = sizeOfRank > 1;
  const label = rankLabel(r.rank, shared);
  const note = r.drawPending
    ? rankingStrings.drawPendingNote(label)
    : r.drawPlace !== null
      ? rankingStrings.drawDecidedNote(
          label,
          r.drawPlace,
          drawReasons.get(r.userId)?.size ?? sizeOfRank,
          drawReasons.get(r.userId)?.reason ?? "",
        )
      : null;
  return [
    // A plain rank stays a number (a spreadsheet sorts it); a shared one is the text "3=".
    shared ? label : r.rank,
    r.drawPending ? rankingStrings.undecidedPrize : r.prize,
    r.fullName,
    r.phone,
    r.district,
    r.branch,
    r.score,
    r.maxScore,
    r.correctCount,
    r.prediction,
    r.predictionDistance,
    Math.round(r.durationMs / 1000),
    formatLocalDateTime(r.finalizedAt, tz),
    r.attemptId,
    note,
  ];
}

function disqualifiedCells(d: ReturnType<typeof listDisqualified>[number]): Cell[] {
  return [
    null,
    null,
    d.fullName,
    d.phone,
    d.district,
    d.branch,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    t.judge.disqualifiedNote(d.reason),
  ];
}

/** Each member of a recorded draw: the draw's reason and how many it decided between. */
function drawReasonsOf(db: Db, roundId: number) {
  const out = new Map<string, { reason: string; size: number }>();
  for (const d of db
    .select({ members: rankDraws.members, reason: rankDraws.reason })
    .from(rankDraws)
    .where(eq(rankDraws.roundId, roundId))
    .all()) {
    for (const id of d.members) out.set(id, { reason: d.reason, size: d.members.length });
  }
  return out;
}

function unitSheet(db: Db, round: RoundWithContest, level: "district" | "branch"): Cell[][] {
  return orderUnits(unitStandings(db, { contestId: round.contestId, roundId: round.id, level }), "participants").map((u) => [
    u.rank,
    u.name,
    u.participants,
    Math.round(u.averageScore * 100) / 100,
  ]);
}

export function rankingWorkbook(
  db: Db,
  round: RoundWithContest,
  { prizedOnly }: { prizedOnly: boolean },
  rows: Cell[][] | SheetRows = rankingRows(db, round, { prizedOnly }),
): XlsxSheet[] {
  const unitHeader = [c.rank, c.unit, c.participants, c.averageScore];
  const widths = [7, 16, 26, 13, 20, 34, 7, 9, 9, 10, 10, 12, 17, 38, 30];
  return [
    {
      name: prizedOnly ? t.judge.sheetWinners : t.judge.sheetRanking,
      header: RANKING_HEADER,
      rows,
      widths,
    },
    {
      name: t.judge.sheetDisqualified,
      header: [c.fullName, c.phone, c.district, c.branch, c.reason, c.decidedAt],
      rows: listDisqualified(db, round.id).map((d) => [
        d.fullName,
        d.phone,
        d.district,
        d.branch,
        d.reason,
        formatLocalDateTime(d.at, round.timezone),
      ]),
      widths: [26, 13, 20, 34, 40, 17],
    },
    { name: t.judge.sheetDistricts, header: unitHeader, rows: unitSheet(db, round, "district"), widths: [7, 30, 16, 14] },
    { name: t.judge.sheetBranches, header: unitHeader, rows: unitSheet(db, round, "branch"), widths: [7, 44, 16, 14] },
  ];
}

/** The files judges download from a closed round's desk (`…/tai/<file>`). */
export const EXPORT_FILES = {
  "giai.csv": { prizedOnly: true, format: "csv" },
  "giai.xlsx": { prizedOnly: true, format: "xlsx" },
  "xep-hang.csv": { prizedOnly: false, format: "csv" },
  "xep-hang.xlsx": { prizedOnly: false, format: "xlsx" },
} as const;

export type ExportFile = keyof typeof EXPORT_FILES;

export function isExportFile(name: string | undefined): name is ExportFile {
  return name !== undefined && Object.hasOwn(EXPORT_FILES, name);
}

/** The file's name as the judge's browser saves it. */
export function exportFileName(round: RoundWithContest, file: ExportFile): string {
  const spec = EXPORT_FILES[file];
  return `${round.contestId}-vong-${round.number}-${spec.prizedOnly ? "dat-giai" : "xep-hang"}.${spec.format}`;
}

/**
 * Writes one of the files, in chunks handed to `push` (run off the event loop: app/.server/heavy).
 * The ranking is read as it is written, all in one read transaction (one snapshot: the row count
 * written first is the number of rows that follow).
 */
export function exportChunks(db: Db, round: RoundWithContest, file: ExportFile, push: (chunk: Uint8Array) => void): void {
  const spec = EXPORT_FILES[file];
  db.$client.transaction(() => {
    if (spec.format === "csv") csvChunks(RANKING_HEADER, rankingRowStream(db, round, spec), push);
    // The other sheets are read when the workbook is made, before the ranking's rows stream.
    else xlsxChunks(rankingWorkbook(db, round, spec, rankingRowStream(db, round, spec)), push);
  })();
}
