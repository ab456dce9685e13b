import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { AttemptRefusal, getRound, memberRoundState, startAttempt } from "~/.server/attempts.server";
import { getCurrentUser, requireMember } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { roundScoreVisibility } from "~/.server/review.server";
import { shareCard } from "~/.server/share.server";
import { consume, limitersFor, passRetryAfter, RateLimited } from "~/.server/rate-limit.server";
import { noteStorageFailure, retryAfterHeaders } from "~/.server/storage-health.server";
import { Countdown } from "~/components/countdown";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatDuration } from "~/domain/format";
import { RoundStatusBadge } from "~/components/round-status";
import { FormError, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { roundStatus } from "~/domain/schedule";
import { roundDates, shareMeta } from "~/domain/share-card";
import { formatDateTime } from "~/domain/time";
import { shareText } from "~/i18n/share.vi";
import { ops } from "~/i18n/ops.vi";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

const ActionSchema = z.object({ intent: z.literal("start") });

function loadRound(params: LoaderFunctionArgs["params"]) {
  const number = Number(params.roundNumber);
  const round = Number.isInteger(number) ? getRound(getDb(), params.contestId ?? "", number) : undefined;
  if (!round) throw new Response(t.errors.notFound, { status: 404 });
  return round;
}

/** A 429 keeps its Retry-After (Remix passes on only Set-Cookie by itself). */
export const headers = passRetryAfter;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const round = loadRound(params);
  const current = await getCurrentUser(request);
  const at = now();
  const state = current ? memberRoundState(getDb(), round, current.user.id, at) : null;
  const status = roundStatus(round, at);
  // With showScore: after-close, an open round's scores stay out of the data, not only the page.
  const scores = state ? roundScoreVisibility(getDb(), round.id, at) : null;
  return {
    now: at,
    share: shareCard(getDb(), request, round.contestId, `${round.contestTitle}. ${roundDates(round, round.timezone)}.`),
    round: {
      contestId: round.contestId,
      contestTitle: round.contestTitle,
      number: round.number,
      title: round.title,
      status,
      opens: formatDateTime(round.opensAt, round.timezone),
      closes: formatDateTime(round.closesAt, round.timezone),
      opensAt: round.opensAt,
      closesAt: round.closesAt,
      questions: round.questionsPerAttempt,
      minutes: Math.round(round.timeLimitSeconds / 60),
      attemptsPerRound: round.attemptsPerRound,
      predictionEnabled: round.predictionEnabled,
    },
    loggedIn: !!current,
    member: state && {
      attemptsLeft: state.attemptsLeft,
      inProgressId: state.inProgress?.id ?? null,
      attempts: state.attempts.map((a) => ({
        id: a.id,
        number: a.attemptNumber,
        status: a.status,
        score: scores?.revealed ? a.score : null,
        maxScore: a.maxScore,
        correctCount: scores?.revealed ? a.correctCount : null,
        questionCount: a.questionCount,
        duration: formatDuration(a.durationMs),
      })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireMember(request);
  const round = loadRound(params);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: t.errors.generic }, { status: 400 });
  const db = getDb();
  try {
    await consume(limitersFor(db).attemptStarts, user.id, () => t.attemptErrors.tooFast);
    const { attemptId } = startAttempt(db, { roundId: round.id, userId: user.id, now: now() });
    return redirect(`/bai-thi/${attemptId}`);
  } catch (error) {
    if (error instanceof RateLimited) {
      return data({ error: error.message }, { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } });
    }
    if (error instanceof AttemptRefusal) return data({ error: error.message }, { status: error.status });
    if (noteStorageFailure(error)) return data({ error: ops.unavailable.notSaved }, { status: 503, headers: retryAfterHeaders });
    throw error;
  }
}

export default function RoundPage() {
  const { now: serverNow, round, loggedIn, member } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const here = `/cuoc-thi/${round.contestId}/vong/${round.number}`;
  return (
    <article>
      <BackLink to={`/cuoc-thi/${round.contestId}`}>{round.contestTitle}</BackLink>
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h1 className="text-2xl font-bold">{round.title}</h1>
        <RoundStatusBadge status={round.status} />
      </div>
      <FormError message={actionData?.error} />

      {round.status === "upcoming" && (
        <section className="mb-5 rounded-xl border border-sky-200 bg-sky-50 p-4">
          <h2 className="mb-1 text-lg font-bold">{t.round.upcomingTitle}</h2>
          <p className="mb-2">{t.round.opensAt(round.opens)}</p>
          <Countdown label={t.countdown.opensIn} target={round.opensAt} serverNow={serverNow} />
        </section>
      )}

      {round.status === "open" && (
        <section className="mb-5 rounded-xl border border-green-200 bg-white p-4" aria-labelledby="rules-title">
          <h2 id="rules-title" className="mb-2 text-lg font-bold">
            {t.round.rulesTitle}
          </h2>
          <ul className="mb-3 list-disc space-y-1 pl-5">
            {t.round.rulesList(round.questions, round.minutes).map((line) => (
              <li key={line}>{line}</li>
            ))}
            {round.predictionEnabled && <li>{t.round.predictionRule}</li>}
          </ul>
          <p className="mb-1">{t.round.closesAt(round.closes)}</p>
          <Countdown label={t.countdown.closesIn} target={round.closesAt} serverNow={serverNow} />
          <div className="mt-4">
            {!loggedIn ? (
              <div className="flex flex-col gap-3">
                <Link to={`/dang-nhap?redirectTo=${encodeURIComponent(here)}`} className={buttonClass}>
                  {t.round.loginToTake}
                </Link>
                <Link to={`/dang-ky?redirectTo=${encodeURIComponent(here)}`} className={secondaryButtonClass}>
                  {t.round.registerToTake}
                </Link>
              </div>
            ) : member?.inProgressId ? (
              <Link to={`/bai-thi/${member.inProgressId}`} className={`${buttonClass} w-full`}>
                {t.round.resume}
              </Link>
            ) : member && member.attemptsLeft > 0 ? (
              <Form method="post">
                <p className="mb-3 font-semibold">{t.round.attemptsLeft(member.attemptsLeft, round.attemptsPerRound)}</p>
                <button
                  type="submit"
                  name="intent"
                  value="start"
                  className={`${buttonClass} w-full`}
                  disabled={navigation.state !== "idle"}
                >
                  {t.round.start}
                </button>
              </Form>
            ) : (
              <p className="font-semibold">{t.round.noAttemptsLeft}</p>
            )}
          </div>
        </section>
      )}

      {round.status === "closed" && (
        <section className="mb-5 rounded-xl bg-slate-100 p-4">
          <h2 className="mb-1 text-lg font-bold">{t.round.closedTitle}</h2>
          <p>{t.round.closesAt(round.closes)}</p>
          {loggedIn && member && member.attempts.length === 0 && <p className="mt-2">{t.round.notTaken}</p>}
          <p className="mt-2">
            <Link to={`/cuoc-thi/${round.contestId}/xep-hang?vong=${round.number}`} className="font-semibold text-brand-700 underline">
              {t.board.link}
            </Link>
          </p>
        </section>
      )}

      {member && member.attempts.length > 0 && (
        <section aria-labelledby="mine-title" className="mb-5">
          <h2 id="mine-title" className="mb-2 text-lg font-bold">
            {t.round.yourAttempts}
          </h2>
          <ul className="space-y-2">
            {member.attempts.map((a) => (
              <Card as="li" key={a.id} padding="tight" className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold">{t.round.attemptLine(a.number)}</span>
                {a.status === "in_progress" ? (
                  <span>{t.round.inProgress}</span>
                ) : (
                  <span>
                    {a.score === null ? secrecyStrings.scoreHiddenShort : t.round.scoreLine(a.score, a.maxScore)} · {a.duration}
                  </span>
                )}
                {a.status !== "in_progress" && (
                  <Link to={`/bai-thi/${a.id}/ket-qua`} className="font-semibold text-brand-700 underline">
                    {t.round.viewResult}
                  </Link>
                )}
              </Card>
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) =>
  d
    ? shareMeta({
        ...d.share,
        title: `${d.round.title} · ${d.round.contestTitle}`,
        imageAlt: shareText.share.imageAlt(d.round.contestTitle),
        siteName: t.site.name,
      })
    : [{ title: t.site.name }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
