import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "../../db/client";
import { getCurrentUser } from "~/.server/auth/session.server";
import { getContest } from "~/.server/contests.server";
import { posterBranch } from "~/.server/posters.server";
import { parseCode, registrationFromPoster } from "~/domain/poster-link";
import { t } from "~/i18n/vi";

/**
 * The short link printed under a branch's QR code (`/dk/<contest>/<branch>`), open to everyone:
 * it leads to registration with the branch chosen, and from there to the contest. Someone already
 * logged in goes straight to the contest. A branch code that is not (or no longer) in the list
 * still leads to registration, without a branch chosen and without counting for any poster.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const current = await getCurrentUser(request);
  const db = getDb();
  const contestId = parseCode(params.contestId);
  const contest = contestId ? getContest(db, contestId) : null;
  if (!contest) throw new Response(t.contest.notFound, { status: 404 });
  const contestPage = `/cuoc-thi/${contest.id}`;
  if (current) throw redirect(contestPage);
  const code = parseCode(params.branchCode);
  const branch = code ? posterBranch(db, code) : undefined;
  return redirect(branch ? registrationFromPoster(contest.id, branch.id) : `/dang-ky?redirectTo=${encodeURIComponent(contestPage)}`);
}
