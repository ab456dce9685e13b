import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client";
import { requireMember } from "~/.server/auth/session.server";
import { memberResult, pdfResponse, refusal } from "~/.server/certificates/certificates.server";
import { now } from "~/.server/clock.server";
import { HeavyWorkError, streamHeavy } from "~/.server/heavy/pool.server";
import { findRound } from "~/.server/results.server";
import { participationRefusal, refusalMessage } from "~/domain/certificates";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";

/**
 * The logged-in member's own certificate of participation in a closed round (PDF). There is no
 * member in the address: nobody can download someone else's. A member who is not in the round's
 * results (no finished attempt, or disqualified) gets a 404 that says why.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await requireMember(request);
  const db = getDb();
  const round = findRound(db, params.contestId ?? "", Number(params.roundNumber));
  if (!round) throw new Response(t.errors.notFound, { status: 404 });
  const ranked = memberResult(db, round.id, member.id) !== undefined;
  const why = participationRefusal(round, now(), ranked);
  if (why) throw refusal(refusalMessage(why), why === "not-ranked" ? 404 : 409);
  try {
    const body = await streamHeavy("certificates", { roundId: round.id, userId: member.id });
    return pdfResponse(printVi.certificate.fileMine(round.contestId, round.number), body);
  } catch (error) {
    if (error instanceof HeavyWorkError) throw refusal(error.message, 503);
    throw error;
  }
}
