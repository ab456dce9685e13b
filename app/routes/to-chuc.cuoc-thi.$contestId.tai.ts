import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { contestForEdit } from "~/.server/contest-admin.server";
import { contentDisposition } from "~/.server/exports/csv.server";
import { serializeContest } from "~/domain/content/contest";
import { formatLocalDateTime } from "~/domain/time";
import { t } from "~/i18n/vi";

/** The contest as it is now, in the authoring format, to keep in content/contests/. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const contest = contestForEdit(getDb(), params.contestId ?? "");
  if (!contest) throw new Response(t.errors.notFound, { status: 404 });
  const markdown = serializeContest(contest, (instant) => formatLocalDateTime(instant, contest.timezone));
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": contentDisposition(`${contest.id}.md`),
      "Cache-Control": "no-store",
    },
  });
}
