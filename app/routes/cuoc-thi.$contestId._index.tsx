import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { now } from "~/.server/clock.server";
import { getContest } from "~/.server/contests.server";
import { renderMarkdown } from "~/.server/markdown.server";
import { shareCard } from "~/.server/share.server";
import { Countdown } from "~/components/countdown";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { RoundStatusBadge } from "~/components/round-status";
import { currentRound, nextStatusChange, roundStatus } from "~/domain/schedule";
import { contestDates, shareMeta } from "~/domain/share-card";
import { formatDateTime, isoInTimezone } from "~/domain/time";
import { shareText } from "~/i18n/share.vi";
import { contestRulesUi } from "~/i18n/contest-rules.vi";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const contest = getContest(getDb(), params.contestId ?? "");
  if (!contest) throw new Response(t.contest.notFound, { status: 404 });
  const at = now();
  const tz = contest.timezone;
  const current = currentRound(contest.rounds, at);
  const nextChange = current ? nextStatusChange(current, at) : null;
  return {
    now: at,
    share: shareCard(getDb(), request, contest.id, shareText.share.contestDescription(contestDates(contest.rounds, tz))),
    contest: {
      id: contest.id,
      title: contest.title,
      facts: t.contest.facts(contest.questionsPerAttempt, Math.round(contest.timeLimitSeconds / 60), contest.attemptsPerRound),
      rulesHtml: renderMarkdown(contest.rulesMarkdown),
      prizes: contest.prizes,
      minPrizeNote: contest.minPrizeScore === null ? null : contestRulesUi.minPrizeNote(contest.minPrizeScore),
      practice: contest.practice,
    },
    rounds: contest.rounds.map((round) => ({
      number: round.number,
      title: round.title,
      status: roundStatus(round, at),
      opens: formatDateTime(round.opensAt, tz),
      opensIso: isoInTimezone(round.opensAt, tz),
      closes: formatDateTime(round.closesAt, tz),
      closesIso: isoInTimezone(round.closesAt, tz),
    })),
    countdown:
      current && nextChange !== null
        ? {
            roundTitle: current.title,
            label: roundStatus(current, at) === "upcoming" ? t.countdown.opensIn : t.countdown.closesIn,
            target: nextChange,
          }
        : null,
  };
}

export default function ContestPage() {
  const { now, contest, rounds, countdown } = useLoaderData<typeof loader>();
  return (
    <article>
      <h1 className="mb-2 text-2xl font-bold leading-snug">{contest.title}</h1>
      <p className="mb-4 text-slate-700">{contest.facts}</p>
      {contest.practice && (
        <p className="mb-4 rounded-lg bg-amber-50 p-3 text-amber-950" data-testid="practice-note">
          <strong>{secrecyStrings.practiceBadge}.</strong> {secrecyStrings.practiceNote}
        </p>
      )}

      {countdown ? (
        <div className="mb-5 rounded-xl border border-brand-100 bg-brand-50 p-4">
          <p className="font-semibold">{countdown.roundTitle}</p>
          <Countdown label={countdown.label} target={countdown.target} serverNow={now} />
        </div>
      ) : (
        <p className="mb-5 rounded-xl bg-slate-100 p-4 font-semibold">{t.countdown.ended}</p>
      )}

      <p className="mb-5">
        <Link to={`/cuoc-thi/${contest.id}/xep-hang`} className="font-semibold text-brand-700 underline">
          {t.board.link}
        </Link>
      </p>

      <section aria-labelledby="rounds-heading" className="mb-6">
        <h2 id="rounds-heading" className="mb-3 text-xl font-bold">
          {t.contest.rounds}
        </h2>
        <ol className="space-y-3">
          {rounds.map((round) => (
            <Card as="li" key={round.number}>
              <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
                <h3 className="font-bold">
                  <Link to={`/cuoc-thi/${contest.id}/vong/${round.number}`} className="text-brand-800 underline">
                    {round.title}
                  </Link>
                </h3>
                <RoundStatusBadge status={round.status} />
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-slate-800">
                <dt>{t.contest.opensAt}</dt>
                <dd>
                  <time dateTime={round.opensIso} className="whitespace-nowrap">
                    {round.opens}
                  </time>
                </dd>
                <dt>{t.contest.closesAt}</dt>
                <dd>
                  <time dateTime={round.closesIso} className="whitespace-nowrap">
                    {round.closes}
                  </time>
                </dd>
              </dl>
              {round.status === "open" && (
                <Link
                  to={`/cuoc-thi/${contest.id}/vong/${round.number}`}
                  className="mt-3 inline-flex min-h-12 w-full items-center justify-center rounded-lg bg-brand-700 px-5 py-3 font-semibold text-white"
                >
                  {t.contest.takeRound}
                </Link>
              )}
            </Card>
          ))}
        </ol>
      </section>

      {contest.prizes.length > 0 && (
        <section aria-labelledby="prizes-heading" className="mb-6">
          <h2 id="prizes-heading" className="mb-2 text-xl font-bold">
            {t.contest.prizes}
          </h2>
          <ul className="list-disc pl-6">
            {contest.prizes.map((prize) => (
              <li key={prize.name}>{t.contest.prizeLine(prize.name, prize.count)}</li>
            ))}
          </ul>
          {contest.minPrizeNote && <p className="mt-2">{contest.minPrizeNote}</p>}
        </section>
      )}

      <Card aria-labelledby="rules-heading">
        <h2 id="rules-heading" className="text-xl font-bold">
          {t.contest.rules}
        </h2>
        <div className="prose-content" dangerouslySetInnerHTML={{ __html: contest.rulesHtml }} />
      </Card>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? shareMeta({
        ...data.share,
        title: `${data.contest.title} · ${t.site.name}`,
        imageAlt: shareText.share.imageAlt(data.contest.title),
        siteName: t.site.name,
      })
    : [{ title: t.site.name }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
