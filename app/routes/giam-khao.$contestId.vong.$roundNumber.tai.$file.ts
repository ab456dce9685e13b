import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { csvResponse } from "~/.server/exports/csv.server";
import { EXPORT_FILES, exportFileName, isExportFile } from "~/.server/exports/ranking-export.server";
import { xlsxResponse } from "~/.server/exports/xlsx.server";
import { HeavyWorkError, streamHeavy } from "~/.server/heavy/pool.server";
import { findRound } from "~/.server/results.server";
import { perfText } from "~/i18n/perf.vi";
import { roundStatus } from "~/domain/schedule";
import { t } from "~/i18n/vi";

/**
 * Downloads of a closed round's winners or full ranking, for judges (and admins) only. The file is
 * written on the heavy-work thread and streamed as it is written (app/.server/heavy).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "judge");
  const file = params.file;
  const db = getDb();
  const round = findRound(db, params.contestId ?? "", Number(params.roundNumber));
  if (!isExportFile(file) || !round) throw new Response(t.errors.notFound, { status: 404 });
  const at = now();
  if (roundStatus(round, at) !== "closed") throw new Response(t.judge.notClosed, { status: 409 });
  // Stored by the scheduled job, never by a download (decision 013).
  if (round.resultsComputedAt === null) throw new Response(perfText.compilingDownload, { status: 409, headers: { "Retry-After": "60" } });
  try {
    const body = await streamHeavy("exportFile", { roundId: round.id, file });
    const name = exportFileName(round, file);
    return EXPORT_FILES[file].format === "csv" ? csvResponse(name, body) : xlsxResponse(name, body);
  } catch (error) {
    if (error instanceof HeavyWorkError)
      throw new Response(error.message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw error;
  }
}
