import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { csvResponse, toCsv } from "~/.server/exports/csv.server";
import { RANKING_HEADER, rankingRows, rankingWorkbook } from "~/.server/exports/ranking-export.server";
import { toXlsx, xlsxResponse } from "~/.server/exports/xlsx.server";
import { findRound } from "~/.server/results.server";
import { perfText } from "~/i18n/perf.vi";
import { roundStatus } from "~/domain/schedule";
import { t } from "~/i18n/vi";

const FILES = {
  "giai.csv": { prizedOnly: true, format: "csv" },
  "giai.xlsx": { prizedOnly: true, format: "xlsx" },
  "xep-hang.csv": { prizedOnly: false, format: "csv" },
  "xep-hang.xlsx": { prizedOnly: false, format: "xlsx" },
} as const;

/** Downloads of a closed round's winners or full ranking, for judges (and admins) only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "judge");
  const file = FILES[params.file as keyof typeof FILES];
  const db = getDb();
  const round = findRound(db, params.contestId ?? "", Number(params.roundNumber));
  if (!file || !round) throw new Response(t.errors.notFound, { status: 404 });
  const at = now();
  if (roundStatus(round, at) !== "closed") throw new Response(t.judge.notClosed, { status: 409 });
  // Stored by the scheduled job, never by a download (decision 013).
  if (round.resultsComputedAt === null) throw new Response(perfText.compilingDownload, { status: 409, headers: { "Retry-After": "60" } });
  const name = `${round.contestId}-vong-${round.number}-${file.prizedOnly ? "dat-giai" : "xep-hang"}.${file.format}`;
  if (file.format === "csv") return csvResponse(name, toCsv(RANKING_HEADER, rankingRows(db, round, file)));
  return xlsxResponse(name, toXlsx(rankingWorkbook(db, round, file)));
}
