import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { getBankSource } from "~/.server/banks.server";
import { contentDisposition } from "~/.server/exports/csv.server";
import { t } from "~/i18n/vi";

/** The bank's markdown exactly as last imported: upload, import, download gives the same file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const bank = getBankSource(getDb(), params.bankId ?? "");
  if (!bank?.sourceMarkdown) throw new Response(t.errors.notFound, { status: 404 });
  return new Response(bank.sourceMarkdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": contentDisposition(`${bank.id}.md`),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
