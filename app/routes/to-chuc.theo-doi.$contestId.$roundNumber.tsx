import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { activityByHour, participationByUnit, roundTotals } from "~/.server/participation.server";
import { findRound } from "~/.server/results.server";
import { cumulativeParticipants } from "~/.server/share.server";
import { CumulativeChart } from "~/components/cumulative-chart";
import { Columns } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatNumber } from "~/domain/format";
import { RoundStatusBadge } from "~/components/round-status";
import { BackLink } from "~/components/ui/back-link";
import { Card } from "~/components/ui/card";
import { roundStatus } from "~/domain/schedule";
import { formatDateTime, formatTime, timezoneOffset } from "~/domain/time";
import { shareText } from "~/i18n/share.vi";
import { unitsText } from "~/i18n/units.vi";
import { t } from "~/i18n/vi";

const REFRESH_SECONDS = 30;

export const handle = { wide: true };

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const db = getDb();
  const round = findRound(db, params.contestId ?? "", Number(params.roundNumber));
  if (!round) throw new Response(t.errors.notFound, { status: 404 });
  const at = now();
  const hours = activityByHour(db, round.id, timezoneOffset(at, round.timezone)).slice(-24);
  const growth = round.opensAt <= at ? cumulativeParticipants(db, round, at).points : [];
  const last = growth[growth.length - 1];
  return {
    growth: {
      points: growth.map((p) => ({ label: formatDateTime(p.at, round.timezone), total: p.total })),
      summary:
        last && last.total > 0
          ? shareText.chart.summary(
              formatNumber(last.total),
              formatDateTime(growth[0]!.at, round.timezone),
              formatDateTime(last.at, round.timezone),
            )
          : null,
    },
    round: { contestId: round.contestId, contestTitle: round.contestTitle, title: round.title, status: roundStatus(round, at) },
    updated: formatTime(at, round.timezone),
    totals: roundTotals(db, round.id),
    hours: hours.map((h) => ({
      label: formatTime(h.hourStart, round.timezone).slice(0, 2) + "h",
      starts: h.starts,
      submissions: h.submissions,
    })),
    districts: participationByUnit(db, round.id, "district"),
    branches: participationByUnit(db, round.id, "branch").slice(0, 100),
  };
}

function UnitTable({
  title,
  rows,
}: {
  title: string;
  rows: { unitId: string; name: string; members: number; participants: number; share: number }[];
}) {
  return (
    <section className="mb-5" aria-label={title}>
      <h2 className="mb-2 text-lg font-bold">{title}</h2>
      <Card as="div" padding="none" className="overflow-x-auto">
        <table className="w-full text-sm">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th scope="col" className="px-2 py-2">
                {t.monitor.unit}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t.monitor.participants}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t.monitor.members}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t.monitor.share}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.unitId} className="border-t border-slate-200">
                <td className="px-2 py-1.5">{r.name}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(r.participants)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(r.members)}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{Math.round(r.share * 100)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </section>
  );
}

export default function MonitorPage() {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  // With JavaScript the figures refresh in place; without, the meta refresh reloads the page.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") revalidator.revalidate();
    }, REFRESH_SECONDS * 1000);
    return () => window.clearInterval(timer);
  }, [revalidator]);
  const { totals } = data;
  return (
    <div>
      <noscript>
        <meta httpEquiv="refresh" content={String(REFRESH_SECONDS)} />
      </noscript>
      <BackLink to="/to-chuc">{t.organizer.title}</BackLink>
      <div className="mb-1 flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-bold">{t.monitor.title(data.round.title)}</h1>
        <RoundStatusBadge status={data.round.status} />
      </div>
      <p className="mb-4 text-sm text-slate-700">
        {data.round.contestTitle} · <span aria-live="polite">{t.monitor.updatedAt(data.updated)}</span> · {t.monitor.refreshNote}
      </p>
      <dl className="mb-2 grid grid-cols-2 gap-3 sm:grid-cols-5">
        {(
          [
            [t.monitor.participants, totals.participants],
            [t.monitor.submissions, totals.submissions],
            [unitsText.expired, totals.expired],
            [t.monitor.inProgress, totals.inProgress],
            [t.monitor.starts, totals.starts],
          ] as const
        ).map(([label, value]) => (
          <Card as="div" key={label} padding="tight">
            <dt className="text-sm text-slate-700">{label}</dt>
            <dd className="text-2xl font-bold tabular-nums">{formatNumber(value)}</dd>
          </Card>
        ))}
      </dl>
      <p className="mb-5 text-sm text-slate-700">{unitsText.submittedNote}</p>
      {data.growth.points.length > 0 && (
        <Card className="mb-5">
          {data.growth.summary ? (
            <CumulativeChart
              title={shareText.chart.title}
              summary={data.growth.summary}
              points={data.growth.points}
              headers={{ at: shareText.chart.at, total: shareText.chart.total }}
            />
          ) : (
            <p>
              <strong>{shareText.chart.title}.</strong> {shareText.chart.empty}
            </p>
          )}
        </Card>
      )}
      {data.hours.length > 0 && (
        <Card className="mb-5">
          <Columns title={t.monitor.startsByHour} columns={data.hours.map((h) => ({ label: h.label, value: h.starts }))} unit="" />
          <Columns
            title={t.monitor.submissionsByHour}
            columns={data.hours.map((h) => ({ label: h.label, value: h.submissions }))}
            unit=""
          />
        </Card>
      )}
      <div className="lg:grid lg:grid-cols-2 lg:gap-5">
        <UnitTable title={t.monitor.byDistrict} rows={data.districts} />
        <UnitTable title={t.monitor.byBranch} rows={data.branches} />
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.organizer.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
