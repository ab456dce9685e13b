import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb, type Db } from "~/.server/db.server";
import { tookRound } from "~/.server/attempts.server";
import { requireRole } from "~/.server/auth/session.server";
import { parseForm } from "~/.server/forms.server";
import { cached } from "~/.server/cache.server";
import { now } from "~/.server/clock.server";
import { HeavyWorkError, runHeavy } from "~/.server/heavy/pool.server";
import {
  findRound,
  listDisqualified,
  recordDraw,
  roundLeaderboardPage,
  tiedGroups,
  unitStandings,
  type RoundWithContest,
} from "~/.server/results.server";
import { findUserByPhone } from "~/.server/users.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatDuration, formatNumber } from "~/domain/format";
import { RoundStatusBadge } from "~/components/round-status";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { Pager } from "~/components/ui/pager";
import { Card } from "~/components/ui/card";
import { pageNumber } from "~/domain/paging";
import { normalizePhone } from "~/domain/phone";
import { orderUnits, rankLabel } from "~/domain/ranking";
import { rankingStrings } from "~/i18n/ranking.vi";
import { roundStatus } from "~/domain/schedule";
import { formatDateTime } from "~/domain/time";
import { perfText } from "~/i18n/perf.vi";
import { pendingDrawCount, winnerCount } from "~/.server/certificates/certificates.server";
import { refusalMessage, winnerCertificatesRefusal } from "~/domain/certificates";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";

const PAGE_SIZE = 100;
const reason = z
  .string()
  .default("")
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(z.string().min(5, t.judge.reasonRequired).max(500));

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("disqualify"), phone: z.string().default(""), reason }),
  z.object({ intent: z.literal("reinstate"), userId: z.string().min(1), reason }),
  z.object({ intent: z.literal("rescore") }),
  z.object({ intent: z.literal("draw"), rank: z.coerce.number().int().positive(), reason }),
]);

/** The place field of each tied member in the draw form: `thu-tu-<userId>` = 1…n. */
const DRAW_PLACE = "thu-tu-";

function loadRound(params: LoaderFunctionArgs["params"]) {
  const round = findRound(getDb(), params.contestId ?? "", Number(params.roundNumber));
  if (!round) throw new Response(t.errors.notFound, { status: 404 });
  return round;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "judge");
  const db = getDb();
  const round = loadRound(params);
  const at = now();
  const status = roundStatus(round, at);
  const base = {
    round: {
      contestId: round.contestId,
      contestTitle: round.contestTitle,
      number: round.number,
      title: round.title,
      status,
      closes: formatDateTime(round.closesAt, round.timezone),
    },
  };
  if (status !== "closed") return { ...base, closed: false as const, compiling: false };
  // Results are stored by the scheduled job (or a judge's decision), never by a page load
  // (decision 013): until then the page says so and reloads itself.
  if (round.resultsComputedAt === null) return { ...base, closed: false as const, compiling: true };
  const page = pageNumber(new URL(request.url).searchParams.get("trang"));
  const { total, rows } = roundLeaderboardPage(db, round.id, {}, page, PAGE_SIZE);
  // Frozen results: the collective standings are cached with the version of the results.
  const units = (level: "district" | "branch") =>
    orderUnits(
      cached(db, `units:${round.id}:${round.resultsComputedAt}:${level}`, at, () =>
        unitStandings(db, { contestId: round.contestId, roundId: round.id, level }),
      ),
      "participants",
    )
      .slice(0, 10)
      .map((u) => ({ rank: u.rank, name: u.name, participants: u.participants }));
  const certificateBlock = winnerCertificatesRefusal(round, at, pendingDrawCount(db, round.id));
  return {
    ...base,
    closed: true as const,
    // Why the winners' certificates cannot be printed yet, or null.
    certificateRefusal: certificateBlock
      ? refusalMessage(certificateBlock)
      : winnerCount(db, round.id) === 0
        ? printVi.certificate.noWinners
        : null,
    participantCount: round.participantCount ?? 0,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((r) => ({
      userId: r.userId,
      rank: r.rankLabel,
      drawPending: r.drawPending,
      prize: r.prize,
      fullName: r.fullName,
      phone: r.phone,
      unit: `${r.branch} · ${r.district}`,
      score: r.score,
      maxScore: r.maxScore,
      correct: r.correctCount,
      prediction: r.prediction,
      distance: r.predictionDistance,
      duration: formatDuration(r.durationMs),
      finalizedAt: formatDateTime(r.finalizedAt, round.timezone),
    })),
    disqualified: listDisqualified(db, round.id).map((d) => ({
      userId: d.userId,
      fullName: d.fullName,
      phone: d.phone,
      reason: d.reason,
      at: formatDateTime(d.at, round.timezone),
    })),
    collective: { districts: units("district"), branches: units("branch") },
    ...tiedFor(db, round.id, round.timezone),
  };
}

/** The tied groups at a prize boundary waiting for a draw, and the draws recorded. */
function tiedFor(db: ReturnType<typeof getDb>, roundId: number, timezone: string) {
  const { pending, draws } = tiedGroups(db, roundId);
  return {
    tied: pending.map((g) => ({ rank: g.rank, label: rankLabel(g.rank, true), members: g.members })),
    draws: draws.map((d) => ({ order: d.order, reason: d.reason, at: formatDateTime(d.at, timezone) })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const judge = await requireRole(request, "judge");
  const db = getDb();
  const round = loadRound(params);
  const at = now();
  if (roundStatus(round, at) !== "closed") return data({ error: t.judge.notClosed }, { status: 409 });
  const form = await request.formData();
  const parsed = parseForm(ActionSchema, form);
  if (!parsed.ok) return data({ error: parsed.errors.reason ?? t.errors.generic }, { status: 400 });
  const input = parsed.data;
  try {
    return await decide(db, round, input, judge.id, at, form);
  } catch (error) {
    // The heavy-work thread failed: a clear message, the desk stays usable (app/.server/heavy).
    if (error instanceof HeavyWorkError) return data({ error: error.message }, { status: 503 });
    throw error;
  }
}

/** A judge's decision; the heavy part (re-scoring, storing the round's results again) off the event loop. */
async function decide(db: Db, round: RoundWithContest, input: z.infer<typeof ActionSchema>, judgeId: string, at: number, form: FormData) {
  if (input.intent === "rescore") {
    const result = await runHeavy("rescoreRound", { roundId: round.id, actorUserId: judgeId, now: at });
    return data({ rescore: { checked: result.checked, differences: result.differences.slice(0, 100), count: result.differences.length } });
  }
  if (input.intent === "draw") {
    const group = tiedGroups(db, round.id).pending.find((g) => g.rank === input.rank);
    if (!group) return data({ error: rankingStrings.drawNotPending }, { status: 409 });
    // Each member's place in the draw: 1…n, each once.
    const places = group.members.map((m) => ({ userId: m.userId, place: Number(form.get(`${DRAW_PLACE}${m.userId}`)) }));
    const size = group.members.length;
    const valid =
      places.every((p) => Number.isInteger(p.place) && p.place >= 1 && p.place <= size) &&
      new Set(places.map((p) => p.place)).size === size;
    if (!valid) return data({ error: rankingStrings.drawOrderInvalid(size) }, { status: 400 });
    const members = [...places].sort((a, b) => a.place - b.place).map((p) => p.userId);
    const outcome = recordDraw(db, { roundId: round.id, rank: input.rank, members, reason: input.reason, byUserId: judgeId, now: at });
    if (!outcome.ok)
      return data(
        { error: outcome.error === "not-pending" ? rankingStrings.drawNotPending : rankingStrings.drawWrongMembers },
        { status: 409 },
      );
    return data({ message: rankingStrings.drawRecorded(rankLabel(input.rank, true)) });
  }
  if (input.intent === "disqualify") {
    const phone = normalizePhone(input.phone);
    const user = phone ? findUserByPhone(db, phone) : undefined;
    const took = user && tookRound(db, round.id, user.id);
    if (!user || !took) return data({ error: t.judge.phoneNotRanked }, { status: 400 });
    await runHeavy("disqualify", { roundId: round.id, userId: user.id, reason: input.reason, byUserId: judgeId, now: at });
    return data({ message: t.judge.disqualified(`${user.fullName} (${phone})`) });
  }
  const listed = listDisqualified(db, round.id).find((d) => d.userId === input.userId);
  if (!listed) return data({ error: t.judge.phoneNotRanked }, { status: 400 });
  await runHeavy("reinstate", { roundId: round.id, userId: input.userId, reason: input.reason, byUserId: judgeId, now: at });
  return data({ message: t.judge.reinstated(`${listed.fullName} (${listed.phone})`) });
}

/** The full ranking uses a desktop screen's width (root.tsx); phones keep one scrolling column. */
export const handle = { wide: true };

export default function JudgeRoundPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const { round } = page;
  const base = `/giam-khao/${round.contestId}/vong/${round.number}`;
  return (
    <article>
      <BackLink to="/giam-khao">{t.judge.title}</BackLink>
      <div className="mb-1 flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-bold">{round.title}</h1>
        <RoundStatusBadge status={round.status} />
      </div>
      <p className="mb-4 text-slate-700">{round.contestTitle}</p>
      {!page.closed ? (
        <p className="rounded-lg bg-slate-100 p-3">{page.compiling ? perfText.compiling : t.judge.notClosed}</p>
      ) : (
        <>
          {result && "error" in result && <FormError message={result.error} />}
          <FormSuccess message={result && "message" in result ? result.message : null} />
          <p className="mb-4">{t.judge.participants(formatNumber(page.total), formatNumber(page.participantCount))}</p>

          <Card className="mb-5" aria-labelledby="downloads">
            <h2 id="downloads" className="mb-2 font-bold">
              {t.judge.downloads}
            </h2>
            <ul className="grid gap-2 sm:grid-cols-2">
              {(
                [
                  ["giai.xlsx", t.judge.winnersXlsx],
                  ["giai.csv", t.judge.winnersCsv],
                  ["xep-hang.xlsx", t.judge.rankingXlsx],
                  ["xep-hang.csv", t.judge.rankingCsv],
                ] as const
              ).map(([file, label]) => (
                <li key={file}>
                  <a href={`${base}/tai/${file}`} className={`${secondaryButtonClass} w-full`} download>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
            <p className="mt-3">
              {page.certificateRefusal === null ? (
                <a href={`${base}/chung-nhan`} className={`${secondaryButtonClass} w-full sm:w-auto`} download>
                  {printVi.certificate.winnersLink}
                </a>
              ) : (
                <span className="block rounded-lg bg-slate-100 p-3 text-sm text-slate-800" data-testid="certificate-refusal">
                  {printVi.certificate.winnersLink}: {page.certificateRefusal}
                </span>
              )}
            </p>
          </Card>

          {page.tied.length > 0 && (
            <section id="dong-hang" className="mb-5 rounded-xl border-2 border-amber-500 bg-amber-50 p-4" aria-labelledby="tied-title">
              <h2 id="tied-title" className="mb-1 font-bold">
                {rankingStrings.tiedTitle}
              </h2>
              <p className="mb-3 text-sm text-slate-800">{rankingStrings.tiedHint}</p>
              {page.tied.map((g) => (
                <Form method="post" key={g.rank} className="mb-4 rounded-lg border border-amber-300 bg-white p-3">
                  <input type="hidden" name="intent" value="draw" />
                  <input type="hidden" name="rank" value={g.rank} />
                  <h3 className="mb-2 font-semibold">{rankingStrings.tiedGroup(g.label, g.members.length)}</h3>
                  <p className="mb-2 text-sm text-slate-700">{rankingStrings.drawPlaceHint(g.members.length)}</p>
                  <ul className="mb-3 space-y-2">
                    {g.members.map((m) => (
                      <li key={m.userId} className="flex flex-wrap items-center gap-2">
                        <label htmlFor={`draw-${g.rank}-${m.userId}`} className="min-w-0 flex-1">
                          {m.fullName} · <span className="tabular-nums">{m.phone}</span>
                          <span className="sr-only"> — {rankingStrings.drawPlace}</span>
                        </label>
                        <input
                          id={`draw-${g.rank}-${m.userId}`}
                          name={`${DRAW_PLACE}${m.userId}`}
                          type="number"
                          inputMode="numeric"
                          min={1}
                          max={g.members.length}
                          placeholder={`1–${g.members.length}`}
                          required
                          aria-label={`${rankingStrings.drawPlace}: ${m.fullName}`}
                          className="w-20 rounded-lg border border-slate-400 px-3 py-2"
                        />
                      </li>
                    ))}
                  </ul>
                  <label className="mb-1 block font-semibold" htmlFor={`draw-reason-${g.rank}`}>
                    {rankingStrings.drawReason}
                  </label>
                  <textarea
                    id={`draw-reason-${g.rank}`}
                    name="reason"
                    required
                    minLength={5}
                    rows={2}
                    className="mb-3 block w-full rounded-lg border border-slate-400 px-3 py-2"
                  />
                  <button type="submit" className={buttonClass}>
                    {rankingStrings.recordDraw}
                  </button>
                </Form>
              ))}
            </section>
          )}
          {page.draws.length > 0 && (
            <Card className="mb-5" aria-labelledby="draws-title">
              <h2 id="draws-title" className="mb-2 font-bold">
                {rankingStrings.drawsTitle}
              </h2>
              <ul className="space-y-2 text-sm">
                {page.draws.map((d) => (
                  <li key={`${d.at}-${d.order.join()}`}>
                    {rankingStrings.drawOrder(d.order)} — {d.reason} ({d.at})
                  </li>
                ))}
              </ul>
            </Card>
          )}

          <section className="mb-5" aria-labelledby="ranking">
            <h2 id="ranking" className="mb-2 text-lg font-bold">
              {t.board.title}
            </h2>
            <Card as="div" padding="none" className="overflow-x-auto">
              <table className="w-full min-w-[56rem] text-sm">
                <thead className="bg-slate-100 text-left">
                  <tr>
                    {[
                      t.judge.columns.rank,
                      t.judge.columns.prize,
                      t.judge.columns.fullName,
                      t.judge.columns.phone,
                      t.judge.columns.unit,
                      t.judge.columns.score,
                      t.judge.columns.correct,
                      t.judge.columns.prediction,
                      t.judge.columns.distance,
                      t.judge.columns.duration,
                      t.judge.columns.finalizedAt,
                      "",
                    ].map((h) => (
                      <th key={h} scope="col" className="px-2 py-2">
                        {h}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {page.rows.map((r) => (
                    <tr key={r.userId} className="border-t border-slate-200 align-top">
                      <td className="px-2 py-1.5 font-bold">{r.rank}</td>
                      <td className="px-2 py-1.5">{r.drawPending ? rankingStrings.undecidedPrize : r.prize}</td>
                      <td className="px-2 py-1.5">{r.fullName}</td>
                      <td className="px-2 py-1.5 tabular-nums">{r.phone}</td>
                      <td className="px-2 py-1.5">{r.unit}</td>
                      <td className="px-2 py-1.5 tabular-nums">
                        {r.score}/{r.maxScore}
                      </td>
                      <td className="px-2 py-1.5 tabular-nums">{r.correct}</td>
                      <td className="px-2 py-1.5 tabular-nums">{r.prediction ?? "—"}</td>
                      <td className="px-2 py-1.5 tabular-nums">{r.distance}</td>
                      <td className="px-2 py-1.5">{r.duration}</td>
                      <td className="px-2 py-1.5 whitespace-nowrap">{r.finalizedAt}</td>
                      <td className="px-2 py-1.5">
                        <Link to={`?loai=${r.phone}#loai`} className="text-red-800 underline">
                          {t.judge.disqualifyLink}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Card>
            <Pager page={page.page} pages={page.pages} href={(trang) => `?trang=${trang}`} />
          </section>

          <section id="loai" className="mb-5 rounded-xl border border-red-200 bg-white p-4" aria-labelledby="dq-title">
            <h2 id="dq-title" className="mb-1 font-bold">
              {t.judge.disqualifyTitle}
            </h2>
            <p className="mb-3 text-sm text-slate-700">{t.judge.disqualifyHint}</p>
            <Form method="post" key={searchParams.get("loai") ?? ""}>
              <input type="hidden" name="intent" value="disqualify" />
              <label className="mb-1 block font-semibold" htmlFor="dq-phone">
                {t.judge.columns.phone}
              </label>
              <input
                id="dq-phone"
                name="phone"
                type="tel"
                defaultValue={searchParams.get("loai") ?? ""}
                required
                className="mb-3 block w-full rounded-lg border border-slate-400 px-3 py-2.5"
              />
              <label className="mb-1 block font-semibold" htmlFor="dq-reason">
                {t.judge.reason}
              </label>
              <textarea
                id="dq-reason"
                name="reason"
                required
                minLength={5}
                rows={2}
                className="mb-3 block w-full rounded-lg border border-slate-400 px-3 py-2"
              />
              <button type="submit" className={`${buttonClass} bg-red-800 hover:bg-red-900`}>
                {t.judge.disqualify}
              </button>
            </Form>
          </section>

          <Card className="mb-5" aria-labelledby="dq-list">
            <h2 id="dq-list" className="mb-2 font-bold">
              {t.judge.disqualifiedTitle}
            </h2>
            {page.disqualified.length === 0 ? (
              <p>{t.judge.noneDisqualified}</p>
            ) : (
              <ul className="space-y-3">
                {page.disqualified.map((d) => (
                  <li key={d.userId} className="rounded-lg border border-slate-200 p-3">
                    <p className="font-semibold">
                      {d.fullName} · {d.phone}
                    </p>
                    <p className="text-sm">
                      {t.judge.columns.reason}: {d.reason} ({d.at})
                    </p>
                    <Form method="post" className="mt-2 flex flex-wrap gap-2">
                      <input type="hidden" name="intent" value="reinstate" />
                      <input type="hidden" name="userId" value={d.userId} />
                      <label className="sr-only" htmlFor={`re-${d.userId}`}>
                        {t.judge.reason}
                      </label>
                      <input
                        id={`re-${d.userId}`}
                        name="reason"
                        required
                        minLength={5}
                        placeholder={t.judge.reason}
                        className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2"
                      />
                      <button type="submit" className={secondaryButtonClass}>
                        {t.judge.reinstate}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            )}
          </Card>

          <Card className="mb-5" aria-labelledby="rescore">
            <h2 id="rescore" className="mb-1 font-bold">
              {t.judge.rescoreTitle}
            </h2>
            <p className="mb-3 text-sm text-slate-700">{t.judge.rescoreHint}</p>
            <Form method="post">
              <button type="submit" name="intent" value="rescore" className={secondaryButtonClass}>
                {t.judge.rescore}
              </button>
            </Form>
            {result && "rescore" in result && (
              <div role="status" className="mt-3">
                <p className={`font-semibold ${result.rescore.count === 0 ? "text-green-800" : "text-red-800"}`}>
                  {result.rescore.count === 0
                    ? t.judge.rescoreOk(formatNumber(result.rescore.checked))
                    : t.judge.rescoreDiff(formatNumber(result.rescore.checked), formatNumber(result.rescore.count))}
                </p>
                {result.rescore.count > 0 && (
                  <table className="mt-2 text-sm">
                    <thead>
                      <tr>
                        <th className="px-2 text-left">{t.judge.columns.attemptId}</th>
                        <th className="px-2">{t.judge.stored}</th>
                        <th className="px-2">{t.judge.recomputed}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {result.rescore.differences.map((d) => (
                        <tr key={d.attemptId}>
                          <td className="px-2 font-mono">{d.attemptId}</td>
                          <td className="px-2 text-center">{d.stored ?? "—"}</td>
                          <td className="px-2 text-center">{d.recomputed}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </div>
            )}
          </Card>

          <Card aria-labelledby="collective">
            <h2 id="collective" className="mb-2 font-bold">
              {t.judge.collectiveTitle}
            </h2>
            {(["districts", "branches"] as const).map((level) => (
              <div key={level} className="mb-3">
                <h3 className="mb-1 font-semibold">{t.judge[level]}</h3>
                <ol className="list-decimal pl-6 text-sm">
                  {page.collective[level].map((u) => (
                    <li key={u.name}>
                      {u.name}: {formatNumber(u.participants)} {t.board.peopleUnit}
                    </li>
                  ))}
                </ol>
              </div>
            ))}
          </Card>
        </>
      )}
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${t.judge.title} · ${t.site.name}` },
  ...(data && !data.closed && data.compiling ? [{ httpEquiv: "refresh", content: String(perfText.refreshSeconds) }] : []),
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
