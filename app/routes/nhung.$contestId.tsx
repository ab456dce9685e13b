/**
 * A contest's embed for partner websites (`<iframe src="…/nhung/<contest>">`): the current round's
 * status and countdown, participants so far, "Tham gia" (a new tab), and the top 10 of the last
 * round with stored results. Public data only, no session read, cached briefly; framed only by
 * this site and the origins the contest lists (see app/domain/embed.ts).
 */
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { now } from "~/.server/clock.server";
import { contestEmbedOrigins, embedView } from "~/.server/share.server";
import { Countdown } from "~/components/countdown";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatNumber } from "~/domain/format";
import { RoundStatusBadge } from "~/components/round-status";
import { embedFrameAncestors, FRAME_ANCESTORS_HEADER } from "~/domain/embed";
import { currentRound, nextStatusChange, roundStatus } from "~/domain/schedule";
import { formatDateTime } from "~/domain/time";
import { shareText } from "~/i18n/share.vi";
import { t } from "~/i18n/vi";

/** Seconds a browser or proxy may reuse the page: partner sites' visitors load it all day. */
const MAX_AGE = 30;

export const handle = { embed: true };

export async function loader({ params }: LoaderFunctionArgs) {
  // Public page: no guard, no session (root.tsx skips it for /nhung/ too).
  const db = getDb();
  const contestId = params.contestId ?? "";
  const origins = contestEmbedOrigins(db, contestId);
  const at = now();
  const view = origins && embedView(db, contestId, at);
  if (!origins || !view) throw new Response(t.contest.notFound, { status: 404 });
  const { contest } = view;
  const tz = contest.timezone;
  const current = currentRound(contest.rounds, at);
  const status = current ? roundStatus(current, at) : null;
  const change = current ? nextStatusChange(current, at) : null;
  return data(
    {
      now: at,
      contest: { id: contest.id, title: contest.title },
      round: current
        ? {
            number: current.number,
            title: current.title,
            status: status!,
            window: `${formatDateTime(current.opensAt, tz)} – ${formatDateTime(current.closesAt, tz)}`,
          }
        : null,
      countdown:
        current && change !== null ? { label: status === "upcoming" ? t.countdown.opensIn : t.countdown.closesIn, target: change } : null,
      participants: view.participants,
      lastClosed: view.lastClosed,
    },
    {
      headers: {
        "Cache-Control": `public, max-age=${MAX_AGE}, stale-while-revalidate=${MAX_AGE}`,
        [FRAME_ANCESTORS_HEADER]: embedFrameAncestors(origins),
      },
    },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const headers = new Headers();
  for (const name of ["Cache-Control", FRAME_ANCESTORS_HEADER]) {
    const value = loaderHeaders.get(name);
    if (value) headers.set(name, value);
  }
  return headers;
};

export default function ContestEmbed() {
  const { now: serverNow, contest, round, countdown, participants, lastClosed } = useLoaderData<typeof loader>();
  const e = shareText.embed;
  const contestUrl = `/cuoc-thi/${contest.id}`;
  return (
    <article className="mx-auto max-w-lg text-slate-900" data-testid="embed">
      <h1 className="mb-2 text-lg font-bold leading-snug">
        <a href={contestUrl} target="_blank" rel="noopener noreferrer" className="text-brand-800 underline-offset-2 hover:underline">
          {contest.title}
        </a>
      </h1>
      {round ? (
        <section className="mb-3 rounded-xl border border-brand-100 bg-brand-50 p-3" aria-label={round.title}>
          <div className="mb-1 flex flex-wrap items-center justify-between gap-2">
            <p className="font-semibold">{round.title}</p>
            <RoundStatusBadge status={round.status} />
          </div>
          <p className="text-sm text-slate-700">{round.window}</p>
          {countdown ? (
            <Countdown label={countdown.label} target={countdown.target} serverNow={serverNow} />
          ) : (
            <p className="font-semibold">{e.ended}</p>
          )}
        </section>
      ) : (
        <p className="mb-3">{e.noRound}</p>
      )}
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <p>
          <span className="block text-sm text-slate-700">{e.participantsSoFar}</span>
          <strong className="text-2xl tabular-nums" data-testid="embed-participants">
            {formatNumber(participants)}
          </strong>
        </p>
        <a
          href={round?.status === "open" ? `${contestUrl}/vong/${round.number}` : contestUrl}
          target="_blank"
          rel="noopener noreferrer"
          className="inline-flex min-h-12 items-center justify-center rounded-lg bg-brand-700 px-6 py-3 font-semibold text-white"
        >
          {e.join}
          <span className="sr-only"> {e.joinHint}</span>
        </a>
      </div>
      <section aria-labelledby="embed-top">
        <h2 id="embed-top" className="mb-1 font-bold">
          {lastClosed ? e.topTen(lastClosed.title) : e.noTop}
        </h2>
        {lastClosed && lastClosed.rows.length > 0 && (
          <table className="w-full text-sm">
            <thead className="text-left text-slate-700">
              <tr>
                <th scope="col" className="py-1 pr-2">
                  {e.rank}
                </th>
                <th scope="col" className="py-1 pr-2">
                  {e.name}
                </th>
                <th scope="col" className="py-1 text-right">
                  {e.score}
                </th>
              </tr>
            </thead>
            <tbody>
              {lastClosed.rows.map((row) => (
                <tr key={row.position} className="border-t border-slate-200 align-top">
                  <td className="py-1 pr-2 tabular-nums">{row.rankLabel}</td>
                  <td className="py-1 pr-2">
                    <span className="block font-semibold">{row.fullName}</span>
                    <span className="block text-xs text-slate-700">
                      {row.phone} · {row.unit}
                    </span>
                  </td>
                  <td className="py-1 text-right tabular-nums">{formatNumber(row.score)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-2 text-sm">
          <a href={`${contestUrl}/xep-hang`} target="_blank" rel="noopener noreferrer" className="text-brand-700 underline">
            {e.fullBoard}
          </a>
        </p>
      </section>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? shareText.embed.title(data.contest.title) : t.site.name },
  { name: "robots", content: "noindex" },
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
