import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client";
import { requireRole } from "~/.server/auth/session.server";
import { pdfResponse, pendingDrawCount, refusal, winnerCount } from "~/.server/certificates/certificates.server";
import { now } from "~/.server/clock.server";
import { HeavyWorkError, streamHeavy } from "~/.server/heavy/pool.server";
import { findRound } from "~/.server/results.server";
import { refusalMessage, winnerCertificatesRefusal } from "~/domain/certificates";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";

/**
 * The winners' certificates of a closed round, one A4 landscape page each, as one PDF: for the
 * judges' desk and admins only (organizers, members and the public get 403). Written on the
 * heavy-work thread and streamed page by page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "judge");
  const db = getDb();
  const round = findRound(db, params.contestId ?? "", Number(params.roundNumber));
  if (!round) throw new Response(t.errors.notFound, { status: 404 });
  const why = winnerCertificatesRefusal(round, now(), pendingDrawCount(db, round.id));
  if (why) throw refusal(refusalMessage(why), 409);
  if (winnerCount(db, round.id) === 0) throw refusal(printVi.certificate.noWinners, 409);
  try {
    const body = await streamHeavy("certificates", { roundId: round.id });
    return pdfResponse(printVi.certificate.fileWinners(round.contestId, round.number), body);
  } catch (error) {
    if (error instanceof HeavyWorkError) throw refusal(error.message, 503);
    throw error;
  }
}
