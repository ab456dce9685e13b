import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client";
import { requireRole } from "~/.server/auth/session.server";
import { contentDisposition } from "~/.server/exports/csv.server";
import { roundPaperDocx } from "~/.server/word-files.server";
import { DOCX_TYPE } from "~/.server/word.server";
import { t } from "~/i18n/vi";

/**
 * A round's question paper for a printed sitting, without answers. Organizers and admins only, at
 * any time; never members or judges: the questions of a round that has not closed are not public,
 * and a printed paper is the organizers' to hand out (docs/decisions/016).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const roundNumber = Number(params.roundNumber);
  if (!Number.isInteger(roundNumber) || roundNumber < 1) throw new Response(t.errors.notFound, { status: 404 });
  const paper = await roundPaperDocx(getDb(), params.contestId ?? "", roundNumber);
  if (!paper) throw new Response(t.errors.notFound, { status: 404 });
  if (!paper.ok) throw new Response(paper.message, { status: 409, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(paper.bytes), {
    headers: {
      "Content-Type": DOCX_TYPE,
      "Content-Disposition": contentDisposition(paper.fileName),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
