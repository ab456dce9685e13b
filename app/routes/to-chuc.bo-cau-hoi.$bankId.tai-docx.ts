import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client";
import { requireRole } from "~/.server/auth/session.server";
import { contentDisposition } from "~/.server/exports/csv.server";
import { bankDocx } from "~/.server/word-files.server";
import { DOCX_TYPE } from "~/.server/word.server";
import { t } from "~/i18n/vi";

/**
 * The bank as a Word file, answers marked and tabled, for printing and approval: organizers and
 * admins only, like the bank editor that already shows every key (docs/decisions/016).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const file = await bankDocx(getDb(), params.bankId ?? "");
  if (!file) throw new Response(t.errors.notFound, { status: 404 });
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      "Content-Type": DOCX_TYPE,
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
