import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { now } from "~/.server/clock.server";
import { listContests } from "~/.server/contests.server";
import { RoundStatusBadge } from "~/components/round-status";
import { currentRound, roundStatus } from "~/domain/schedule";
import { formatDateTime } from "~/domain/time";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { t } from "~/i18n/vi";

export async function loader() {
  const at = now();
  const contests = listContests(getDb()).map((contest) => {
    const round = currentRound(contest.rounds, at);
    const first = contest.rounds[0];
    const last = contest.rounds.at(-1);
    return {
      id: contest.id,
      title: contest.title,
      practice: contest.practice,
      roundCount: contest.rounds.length,
      period:
        first && last ? `${formatDateTime(first.opensAt, contest.timezone)} – ${formatDateTime(last.closesAt, contest.timezone)}` : null,
      current: round ? { title: round.title, status: roundStatus(round, at) } : null,
    };
  });
  // Open contests first, then upcoming, then ended.
  const order = { open: 0, upcoming: 1, closed: 2 } as const;
  contests.sort((a, b) => order[a.current?.status ?? "closed"] - order[b.current?.status ?? "closed"]);
  return { contests };
}

export default function Index() {
  const { contests } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="mb-1 text-2xl font-bold">{t.home.title}</h1>
      <p className="mb-5 text-slate-700">{t.site.tagline}</p>
      {contests.length === 0 ? (
        <p className="rounded-lg bg-white p-4">{t.home.empty}</p>
      ) : (
        <ul className="space-y-4">
          {contests.map((contest) => (
            <li key={contest.id}>
              <Link
                to={`/cuoc-thi/${contest.id}`}
                className="block rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-600"
              >
                <h2 className="mb-2 text-lg font-bold leading-snug text-brand-800">{contest.title}</h2>
                {contest.current && (
                  <p className="mb-1 flex flex-wrap items-center gap-2">
                    <RoundStatusBadge status={contest.current.status} />
                    <span>{contest.current.title}</span>
                  </p>
                )}
                <p className="text-sm text-slate-700">
                  {contest.practice && `${secrecyStrings.practiceBadge} · `}
                  {t.home.roundsCount(contest.roundCount)}
                  {contest.period && ` · ${contest.period}`}
                </p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: t.site.name }, { name: "description", content: t.site.tagline }];
