import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { AuditQuerySchema, auditCsvRows, resolveAuditFilter } from "~/.server/audit-log.server";
import { requireRole } from "~/.server/auth/session.server";
import { csvResponse, toCsv } from "~/.server/exports/csv.server";
import { historyStrings } from "~/i18n/history.vi";

/** The audit log's filtered entries as CSV (UTF-8 with BOM, formula-safe), for the same people as the page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "organizer", "judge");
  const db = getDb();
  const query = AuditQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { filter, errors } = resolveAuditFilter(db, { kind: query.loai, id: query.ma, person: query.nguoi, from: query.tu, to: query.den });
  const problems = Object.values(errors);
  if (problems.length > 0)
    throw new Response(problems.join("\n"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return csvResponse(historyStrings.audit.csvFile, toCsv(historyStrings.audit.csvHeader, auditCsvRows(db, filter)));
}
