import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { listContests } from "~/.server/contests.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RoundStatusBadge } from "~/components/round-status";
import { roundStatus } from "~/domain/schedule";
import { formatDateTime } from "~/domain/time";
import { historyStrings } from "~/i18n/history.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "judge");
  const at = now();
  return {
    contests: listContests(getDb()).map((contest) => ({
      id: contest.id,
      title: contest.title,
      rounds: contest.rounds.map((r) => ({
        number: r.number,
        title: r.title,
        status: roundStatus(r, at),
        closes: formatDateTime(r.closesAt, contest.timezone),
      })),
    })),
  };
}

export default function JudgeHome() {
  const { contests } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-bold">{t.judge.title}</h1>
      <p className="mb-4">
        <Link to="/to-chuc/nhat-ky" className="font-semibold text-brand-700 underline">
          {historyStrings.audit.link}
        </Link>
      </p>
      {contests.map((contest) => (
        <Card key={contest.id} className="mb-5">
          <h2 className="mb-2 font-bold">{contest.title}</h2>
          <ul className="space-y-2">
            {contest.rounds.map((round) => (
              <li key={round.number} className="flex flex-wrap items-center justify-between gap-2">
                <Link to={`/giam-khao/${contest.id}/vong/${round.number}`} className="font-semibold text-brand-700 underline">
                  {round.title}
                </Link>
                <span className="flex items-center gap-2 text-sm">
                  {round.closes} <RoundStatusBadge status={round.status} />
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ))}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.judge.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
