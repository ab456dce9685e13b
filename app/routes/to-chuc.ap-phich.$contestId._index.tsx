import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { getContest } from "~/.server/contests.server";
import { publicOrigin } from "~/.server/env.server";
import { branchPosterStats, posterSummaryByDistrict } from "~/.server/posters.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PrintedLink } from "~/components/printed-link";
import { formatNumber } from "~/domain/format";
import { secondaryButtonClass } from "~/components/ui/field";
import { parseCode, posterUrl, printedLink } from "~/domain/poster-link";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

const p = printVi.poster;

/**
 * The organizer's poster desk for one contest: per district how many branches have had members
 * register through their poster, and for the chosen district each branch with its poster link,
 * the registrations, participants and attempts that came through it, and its printable poster.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const db = getDb();
  const contest = getContest(db, params.contestId ?? "");
  if (!contest) throw new Response(t.contest.notFound, { status: 404 });
  const url = new URL(request.url);
  const summary = posterSummaryByDistrict(db);
  const wanted = parseCode(url.searchParams.get("huyen"));
  const district = summary.find((d) => d.id === wanted) ?? summary[0] ?? null;
  // The printed link must work from anywhere: PUBLIC_URL when set, else the address in use.
  const origin = publicOrigin(request);
  return {
    contest: { id: contest.id, title: contest.title },
    summary,
    district: district ? { id: district.id, name: district.name } : null,
    branches: district
      ? branchPosterStats(db, contest.id, district.id).map((b) => ({ ...b, link: printedLink(posterUrl(origin, contest.id, b.id)) }))
      : [],
  };
}

export default function PosterDesk() {
  const { contest, summary, district, branches } = useLoaderData<typeof loader>();
  const printBase = `/to-chuc/ap-phich/${contest.id}/in`;
  return (
    <div>
      <p className="mb-2 text-sm">
        <Link to="/to-chuc" className="text-brand-700 underline">
          {t.organizer.title}
        </Link>
      </p>
      <h1 className="mb-2 text-2xl font-bold">{p.title(contest.title)}</h1>
      <p className="mb-4 text-slate-700">{p.intro}</p>
      {summary.length === 0 ? (
        <p className="rounded-lg bg-slate-100 p-3">{p.none}</p>
      ) : (
        <>
          <section aria-labelledby="summary" className="mb-6">
            <h2 id="summary" className="mb-2 text-lg font-bold">
              {p.allDistricts}
            </h2>
            <Card as="div" padding="none" className="overflow-x-auto">
              <table className="w-full text-sm">
                <thead className="bg-slate-100 text-left">
                  <tr>
                    <th scope="col" className="px-2 py-2">
                      {p.district}
                    </th>
                    <th scope="col" className="px-2 py-2 text-right">
                      {p.branchesPosted}
                    </th>
                    <th scope="col" className="px-2 py-2 text-right">
                      {p.registered}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {summary.map((d) => (
                    <tr key={d.id} className={`border-t border-slate-200 ${d.id === district?.id ? "bg-brand-50" : ""}`}>
                      <td className="px-2 py-1.5">
                        <Link
                          to={`?huyen=${d.id}`}
                          className="text-brand-700 underline"
                          aria-current={d.id === district?.id ? "true" : undefined}
                        >
                          {d.name}
                        </Link>
                      </td>
                      <td className="px-2 py-1.5 text-right tabular-nums">
                        {formatNumber(d.branchesWithRegistrations)}/{formatNumber(d.branches)}
                      </td>
                      <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(d.registered)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
          </section>

          {district && (
            <section aria-labelledby="branches">
              <Form method="get" className="mb-3 flex flex-wrap items-end gap-2">
                <div>
                  <label htmlFor="huyen" className="mb-1 block font-semibold">
                    {p.chooseDistrict}
                  </label>
                  <select
                    id="huyen"
                    name="huyen"
                    defaultValue={district.id}
                    className="min-h-12 rounded-lg border border-slate-400 bg-white px-3"
                  >
                    {summary.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.name}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className={secondaryButtonClass}>
                  {p.show}
                </button>
              </Form>
              <h2 id="branches" className="mb-2 text-lg font-bold">
                {district.name}
              </h2>
              <p className="mb-3">
                <Link to={`${printBase}?huyen=${district.id}`} className={secondaryButtonClass}>
                  {p.printDistrict}
                </Link>
              </p>
              <Card as="div" padding="none" className="overflow-x-auto">
                <table className="w-full text-sm">
                  <thead className="bg-slate-100 text-left">
                    <tr>
                      <th scope="col" className="px-2 py-2">
                        {p.branch}
                      </th>
                      <th scope="col" className="px-2 py-2 text-right">
                        {p.registered}
                      </th>
                      <th scope="col" className="px-2 py-2 text-right">
                        {p.participants}
                      </th>
                      <th scope="col" className="px-2 py-2 text-right">
                        {p.attempts}
                      </th>
                      <th scope="col" className="px-2 py-2">
                        <span className="sr-only">{p.print}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {branches.map((b) => (
                      <tr key={b.id} className={`border-t border-slate-200 ${b.registered === 0 ? "bg-amber-50" : ""}`}>
                        <td className="px-2 py-1.5">
                          <span className="block">{b.name}</span>
                          <code className="block break-words text-xs text-slate-700">
                            <PrintedLink link={b.link} />
                          </code>
                        </td>
                        <td className="px-2 py-1.5 text-right tabular-nums">
                          {b.registered === 0 ? <span className="text-amber-900">{p.notYet}</span> : formatNumber(b.registered)}
                        </td>
                        <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(b.participants)}</td>
                        <td className="px-2 py-1.5 text-right tabular-nums">{formatNumber(b.attempts)}</td>
                        <td className="px-2 py-1.5">
                          <Link
                            to={`${printBase}?cdcs=${b.id}`}
                            aria-label={`${p.print}: ${b.name}`}
                            className="inline-block min-h-11 py-2 font-semibold text-brand-700 underline"
                          >
                            {p.printOne}
                          </Link>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Card>
              <p className="mt-2 text-sm text-slate-700">{p.counting}</p>
            </section>
          )}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? p.title(data.contest.title) : p.link} · ${t.site.name}` },
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
