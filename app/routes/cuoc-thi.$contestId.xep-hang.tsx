import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { getCurrentUser } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { getContest } from "~/.server/contests.server";
import { leaderboard, leaderboardFilter, leaderboardVersion, mergedBranchNote } from "~/.server/leaderboard.server";
import { markPublicPage } from "~/.server/http-cache.server";
import { boardPageStamp, boardStamp } from "~/.server/board-cache.server";
import { shareCard } from "~/.server/share.server";
import { Columns, HorizontalBars } from "~/components/charts";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatNumber } from "~/domain/format";
import { RoundStatusBadge } from "~/components/round-status";
import { BackLink } from "~/components/ui/back-link";
import { Pager } from "~/components/ui/pager";
import { Card, cardClass } from "~/components/ui/card";
import { pageNumber } from "~/domain/paging";
import { contestDates, shareMeta } from "~/domain/share-card";
import { shareText } from "~/i18n/share.vi";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { t } from "~/i18n/vi";

const PAGE_SIZE = 50;

const QuerySchema = z.object({
  vong: z
    .union([z.literal("tong"), z.coerce.number().int().min(1).max(1000)])
    .optional()
    .catch(undefined),
  huyen: z.string().max(60).optional().catch(undefined),
  cdcs: z.string().max(60).optional().catch(undefined),
  xem: z.enum(["ca-nhan", "don-vi"]).catch("ca-nhan").default("ca-nhan"),
  trang: z
    .string()
    .optional()
    .catch(undefined)
    .transform((raw) => pageNumber(raw)),
  sap: z.enum(["tham-gia", "diem"]).catch("tham-gia").default("tham-gia"),
  /** Set by the redirect from a merged branch's link: the branch the link named. */
  gop: z.string().max(60).optional().catch(undefined),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const db = getDb();
  // Read before any of the page's data: a decision committed meanwhile makes the kept page stale at
  // once, never the other way round (app/.server/board-cache.server.ts).
  const stamp = request.headers.has("Cookie") ? null : boardStamp(db, params.contestId ?? "");
  const contest = getContest(db, params.contestId ?? "");
  if (!contest) throw new Response(t.contest.notFound, { status: 404 });
  const url = new URL(request.url);
  const query = QuerySchema.parse(Object.fromEntries(url.searchParams));
  const at = now();
  const units = leaderboardFilter(db, { contest, scope: query.vong ?? null, districtParam: query.huyen, branchParam: query.cdcs, now: at });
  if (units.redirect) {
    // A link to a merged branch: the same page for the branch it was merged into, with a note.
    const target = new URLSearchParams(url.searchParams);
    target.set("huyen", units.redirect.districtId);
    target.set("cdcs", units.redirect.branchId);
    target.set("gop", units.redirect.mergedFrom);
    target.delete("trang");
    throw redirect(`${url.pathname}?${target.toString()}`);
  }
  const { districts, branches, districtId, branchId } = units;
  const current = await getCurrentUser(request);

  const board = leaderboard(db, {
    contest,
    scope: query.vong ?? null,
    filter: { districtId, branchId },
    view: query.xem === "don-vi" ? "units" : "individuals",
    unitOrder: query.sap === "diem" ? "average" : "participants",
    page: query.trang,
    pageSize: PAGE_SIZE,
    userId: current?.user.id ?? null,
    now: at,
  });
  // A frozen page seen without any cookie is the same for every visitor: a proxy may keep it and
  // ask again with If-None-Match (304 without rendering, app/entry.server.tsx). Decision 013.
  const version = current ? null : leaderboardVersion(db, contest, query.vong ?? null, at);
  const share = shareCard(db, request, contest.id, shareText.share.leaderboardDescription(contestDates(contest.rounds, contest.timezone)));
  // The page also names the site's origin and the share image (not audited when regenerated).
  if (version && stamp !== null) {
    markPublicPage(context, `${version}|${share.origin}|${share.imagePath ?? ""}`);
    if (context) context.boardPage = boardPageStamp(contest.id, stamp, contest.rounds, at);
  }
  return {
    share,
    contest: { id: contest.id, title: contest.title, practice: contest.practice },
    tabs: [...contest.rounds.map((r) => ({ key: String(r.number), label: r.title })), { key: "tong", label: t.board.overall }],
    query: { vong: board.scopeKey, huyen: districtId ?? "", cdcs: branchId ?? "", xem: query.xem, sap: query.sap, trang: board.page ?? 1 },
    districts,
    branches,
    mergedNote: query.gop && branchId ? mergedBranchNote(db, query.gop, branchId) : null,
    filterName: branchId
      ? branches.find((b) => b.id === branchId)!.name
      : districtId
        ? districts.find((d) => d.id === districtId)!.name
        : null,
    board,
  };
}

function hrefWith(base: Record<string, string | number>, changes: Record<string, string | number | null>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...base, ...changes })) {
    if (
      value !== null &&
      value !== "" &&
      !(key === "trang" && value === 1) &&
      !(key === "xem" && value === "ca-nhan") &&
      !(key === "sap" && value === "tham-gia")
    ) {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : "?";
}

export default function LeaderboardPage() {
  const { contest, tabs, query, districts, branches, filterName, mergedNote, board } = useLoaderData<typeof loader>();
  const submit = useSubmit();
  const pages = board.total ? Math.max(1, Math.ceil(board.total / PAGE_SIZE)) : 1;
  return (
    <article>
      <BackLink to={`/cuoc-thi/${contest.id}`}>{contest.title}</BackLink>
      <h1 className="mb-3 text-2xl font-bold">{t.board.title}</h1>
      {contest.practice && (
        <p className="mb-3 rounded-lg bg-amber-50 p-3 text-amber-950" data-testid="practice-note">
          <strong>{secrecyStrings.practiceBadge}.</strong> {secrecyStrings.practiceNote}
        </p>
      )}

      <nav aria-label="Vòng thi" className="mb-3">
        <ul className="flex flex-wrap gap-2">
          {tabs.map((tab) => (
            <li key={tab.key}>
              <Link
                to={hrefWith(query, { vong: tab.key, trang: 1 })}
                aria-current={query.vong === tab.key ? "page" : undefined}
                className="inline-block rounded-full border border-brand-700 px-3 py-2 text-sm font-semibold text-brand-800 aria-[current=page]:bg-brand-700 aria-[current=page]:text-white"
              >
                {tab.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <Form
        method="get"
        className={cardClass("tight", "mb-3")}
        onChange={(event) => {
          const data = new FormData(event.currentTarget);
          // A new district resets the branch, whose list depends on it.
          if ((event.target as HTMLSelectElement).name === "huyen") data.delete("cdcs");
          submit(data, { method: "get", replace: true, preventScrollReset: true });
        }}
      >
        <input type="hidden" name="vong" value={query.vong} />
        <input type="hidden" name="xem" value={query.xem} />
        <input type="hidden" name="sap" value={query.sap} />
        <label className="mb-1 block text-sm font-semibold" htmlFor="huyen">
          {t.auth.district}
        </label>
        <select
          id="huyen"
          name="huyen"
          defaultValue={query.huyen}
          className="mb-2 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5"
        >
          <option value="">{t.board.allDistricts}</option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        {branches.length > 0 && (
          <>
            <label className="mb-1 block text-sm font-semibold" htmlFor="cdcs">
              {t.auth.branch}
            </label>
            <select
              id="cdcs"
              name="cdcs"
              defaultValue={query.cdcs}
              className="mb-2 block w-full rounded-lg border border-slate-400 bg-white px-3 py-2.5"
            >
              <option value="">{t.board.allBranches}</option>
              {branches.map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
            </select>
          </>
        )}
        <noscript>
          <button type="submit" className="mt-1 rounded-lg bg-brand-700 px-4 py-2 font-semibold text-white">
            {t.board.filter}
          </button>
        </noscript>
      </Form>

      <div className="mb-4 flex gap-2" role="group" aria-label="Kiểu xếp hạng">
        {(["ca-nhan", "don-vi"] as const).map((view) => (
          <Link
            key={view}
            to={hrefWith(query, { xem: view, trang: 1 })}
            aria-current={query.xem === view ? "page" : undefined}
            className="flex-1 rounded-lg border border-slate-300 px-3 py-2 text-center font-semibold aria-[current=page]:border-brand-700 aria-[current=page]:bg-brand-50 aria-[current=page]:text-brand-800"
          >
            {view === "ca-nhan" ? t.board.individuals : t.board.units}
          </Link>
        ))}
      </div>

      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h2 className="text-lg font-bold">
          {board.scopeTitle}
          {filterName && ` · ${filterName}`}
        </h2>
        {board.status && <RoundStatusBadge status={board.status} />}
      </div>
      {mergedNote && (
        <p role="note" className="mb-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950">
          {mergedNote}
        </p>
      )}
      {board.participants !== null && <p className="mb-3 text-slate-800">{t.board.participantsCount(formatNumber(board.participants))}</p>}
      {board.notice && (
        <p className="mb-4 rounded-lg bg-slate-100 p-3">
          {board.notice}
          {board.liveUpdated && <span className="block text-sm text-slate-700">{board.liveUpdated}</span>}
        </p>
      )}

      {board.view === "individuals" && board.rows && (
        <section aria-label={t.board.individuals}>
          {board.myPage !== null && (
            <p className="mb-2">
              <Link to={`${hrefWith(query, { trang: board.myPage })}#toi`} className="font-semibold text-brand-700 underline">
                {t.board.jumpToMe} ({t.board.rank.toLowerCase()} {board.myRank ?? board.myPosition})
              </Link>
            </p>
          )}
          {board.loggedIn && board.myPage === null && board.rows.length > 0 && (
            <p className="mb-2 text-sm text-slate-700">{t.board.notRanked}</p>
          )}
          {board.rows.length === 0 ? (
            <p className="rounded-lg bg-white p-3">{t.board.empty}</p>
          ) : (
            <Card as="ol" padding="none" className="divide-y divide-slate-200 overflow-hidden">
              {board.rows.map((row) => (
                <li
                  key={row.position}
                  id={row.isMe ? "toi" : undefined}
                  aria-current={row.isMe ? "true" : undefined}
                  className="grid grid-cols-[2.5rem_1fr_auto] items-center gap-2 px-3 py-2.5 aria-[current=true]:bg-amber-50 aria-[current=true]:outline aria-[current=true]:outline-2 aria-[current=true]:outline-amber-600"
                >
                  <span className="text-center text-lg font-bold tabular-nums">{row.rankLabel}</span>
                  <span className="min-w-0">
                    <span className="block font-semibold">
                      {row.fullName}
                      {row.isMe && <span className="ml-1 rounded bg-amber-200 px-1 text-xs text-amber-950">{t.board.you}</span>}
                    </span>
                    <span className="block text-sm text-slate-700">{row.phone}</span>
                    <span className="line-clamp-2 block text-sm text-slate-700" title={row.unit}>
                      {row.unit}
                    </span>
                    {row.prize && (
                      <span className="mt-0.5 inline-block rounded bg-amber-100 px-1.5 text-sm font-semibold text-amber-950">
                        {row.prize}
                      </span>
                    )}
                  </span>
                  <span className="text-right">
                    <span className="block text-lg font-bold tabular-nums">{row.score}</span>
                    <span className="block text-xs text-slate-700">{row.detail}</span>
                  </span>
                </li>
              ))}
            </Card>
          )}
          <Pager page={query.trang} pages={pages} href={(trang) => hrefWith(query, { trang })} />
        </section>
      )}

      {board.view === "units" && board.units && (
        <section aria-label={t.board.units}>
          <h3 className="mb-2 font-bold">{board.units.title}</h3>
          <p className="mb-2 flex flex-wrap gap-2 text-sm">
            {(["tham-gia", "diem"] as const).map((order) => (
              <Link
                key={order}
                to={hrefWith(query, { sap: order })}
                aria-current={query.sap === order ? "page" : undefined}
                className="rounded-full border border-slate-300 px-3 py-1.5 font-semibold aria-[current=page]:border-brand-700 aria-[current=page]:bg-brand-50"
              >
                {order === "tham-gia" ? t.board.byParticipants : t.board.byAverage}
              </Link>
            ))}
          </p>
          <Card as="div" padding="none" className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="bg-slate-100 text-left">
                <tr>
                  <th scope="col" className="px-2 py-2">
                    {t.board.rank}
                  </th>
                  <th scope="col" className="px-2 py-2">
                    {t.board.unit}
                  </th>
                  <th scope="col" className="px-2 py-2 text-right">
                    {t.board.participants}
                  </th>
                  <th scope="col" className="px-2 py-2 text-right">
                    {t.board.averageScore}
                  </th>
                </tr>
              </thead>
              <tbody>
                {board.units.rows.map((u) => (
                  <tr key={u.unitId} className="border-t border-slate-200">
                    <td className="px-2 py-2 font-bold">{u.rank}</td>
                    <td className="px-2 py-2">{u.name}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{formatNumber(u.participants)}</td>
                    <td className="px-2 py-2 text-right tabular-nums">{u.averageScore.toFixed(2).replace(".", ",")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </section>
      )}

      {(board.charts.byDistrict.length > 0 || board.charts.byDay.length > 0) && (
        <Card className="mt-6">
          {board.charts.byDistrict.length > 0 && (
            <HorizontalBars title={t.board.byDistrictChart} rows={board.charts.byDistrict} unit={t.board.peopleUnit} />
          )}
          {board.charts.byDay.length > 0 && <Columns title={t.board.byDayChart} columns={board.charts.byDay} unit={t.board.attemptsUnit} />}
        </Card>
      )}
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data
    ? shareMeta({
        ...data.share,
        title: `${t.board.title} · ${data.contest.title}`,
        imageAlt: shareText.share.imageAlt(data.contest.title),
        siteName: t.site.name,
      })
    : [{ title: t.site.name }]),
  // Results still being compiled by the scheduled job: reload by itself (works without JavaScript).
  ...(data?.board.refreshSeconds ? [{ httpEquiv: "refresh", content: String(data.board.refreshSeconds) }] : []),
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
