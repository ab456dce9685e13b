import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { redirect } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { AttemptRefusal, getResult, savedChoices } from "~/.server/attempts.server";
import { requireMember } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { UncountedAnswers } from "~/components/quiz/uncounted-answers";
import { BackLink } from "~/components/ui/back-link";
import { formatDuration, formatNumber } from "~/domain/format";
import { formatDateTime, formatLocalDateTime } from "~/domain/time";
import { quizVi } from "~/i18n/quiz.vi";
import { secrecyStrings as s } from "~/i18n/secrecy.vi";
import { memberResult } from "~/.server/certificates/certificates.server";
import { roundWithContest } from "~/.server/results.server";
import { secondaryButtonClass } from "~/components/ui/field";
import { participationRefusal } from "~/domain/certificates";
import { printVi } from "~/i18n/print.vi";
import { t } from "~/i18n/vi";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireMember(request);
  const at = now();
  let result;
  try {
    result = getResult(getDb(), params.attemptId ?? "", user.id, at);
  } catch (error) {
    if (error instanceof AttemptRefusal) throw new Response(error.message, { status: error.status });
    throw error;
  }
  const { attempt, round, review, scoreHiddenUntil, practice } = result;
  if (attempt.status === "in_progress" || review === null) throw redirect(`/bai-thi/${attempt.id}`);
  const tz = round.timezone;
  // A closed round the member is ranked in gives a certificate of participation (PDF).
  const db = getDb();
  const stored = roundWithContest(db, attempt.roundId);
  const certificateUrl =
    stored && participationRefusal(stored, at, memberResult(db, stored.id, user.id) !== undefined) === null
      ? `/chung-nhan/${stored.contestId}/${stored.number}`
      : null;
  // Hidden scores and keys are left out of the data itself, not only of the page.
  const scoreShown = scoreHiddenUntil === null;
  return {
    lateNotice: new URL(request.url).searchParams.has("het-gio"),
    certificateUrl,
    practice,
    scoreLater: scoreShown ? null : formatLocalDateTime(scoreHiddenUntil, tz),
    attempt: {
      status: attempt.status,
      score: scoreShown ? (attempt.score ?? 0) : null,
      maxScore: attempt.maxScore,
      correctCount: scoreShown ? (attempt.correctCount ?? 0) : null,
      questionCount: attempt.questionCount,
      duration: formatDuration(attempt.durationMs),
      prediction: attempt.prediction,
      finalized: attempt.finalizedAt ? formatDateTime(attempt.finalizedAt, tz) : "",
    },
    round: {
      title: round.title,
      contestTitle: round.contestTitle,
      predictionEnabled: round.predictionEnabled,
      url: `/cuoc-thi/${round.contestId}/vong/${round.number}`,
    },
    review: review.map(({ revealAt, ...item }) => ({
      ...item,
      revealAt: revealAt === null ? null : formatLocalDateTime(revealAt, tz),
    })),
    // Who closed the paper, and what the server holds: the page lists kept choices that did not count.
    attemptId: attempt.id,
    finalizedBy: attempt.finalizedBy,
    savedChoices: savedChoices(getDb(), attempt.id),
  };
}

export default function ResultPage() {
  const {
    attempt,
    round,
    review,
    lateNotice,
    practice,
    scoreLater,
    attemptId,
    finalizedBy,
    savedChoices: saved,
    certificateUrl,
  } = useLoaderData<typeof loader>();
  const anyHidden = review.some((item) => !item.revealed);
  // Arriving here from the quiz is a page change a screen reader must hear: focus the heading.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <article>
      <BackLink to={round.url}>{round.title}</BackLink>
      <h1 ref={headingRef} tabIndex={-1} className="mb-1 text-2xl font-bold outline-none">
        {t.result.title}
      </h1>
      <p className="mb-4 text-slate-700">
        {round.contestTitle}
        {practice && <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-950">{s.practiceBadge}</span>}
      </p>
      {scoreLater !== null && (
        <p role="status" className="mb-4 rounded-lg bg-slate-100 p-3" data-testid="score-later">
          {s.scoreLater(scoreLater)}
        </p>
      )}
      {(attempt.status === "expired" || lateNotice || finalizedBy === "server") && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-amber-950" data-testid="finalized-by">
          {quizVi.byServer}
        </p>
      )}
      {finalizedBy === "timer" && attempt.status !== "expired" && !lateNotice && (
        <p role="status" className="mb-4 rounded-lg bg-amber-50 p-3 text-amber-950" data-testid="finalized-by">
          {quizVi.byTimer}
        </p>
      )}
      <UncountedAnswers attemptId={attemptId} saved={saved} />

      <dl className="mb-5 grid grid-cols-2 gap-3">
        <div className="col-span-2 rounded-xl bg-brand-700 p-4 text-white">
          <dt className="text-sm">{t.result.score}</dt>
          <dd className="text-3xl font-bold" data-testid="score">
            {attempt.score === null ? s.scoreHidden : `${attempt.score}/${attempt.maxScore}`}
          </dd>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-3">
          <dt className="text-sm text-slate-700">{t.result.correct}</dt>
          <dd className="text-lg font-bold" data-testid="correct-count">
            {attempt.correctCount === null ? s.scoreHidden : `${attempt.correctCount}/${attempt.questionCount}`}
          </dd>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-3">
          <dt className="text-sm text-slate-700">{t.result.duration}</dt>
          <dd className="text-lg font-bold">{attempt.duration}</dd>
        </div>
        {round.predictionEnabled && (
          <div className="rounded-xl border border-slate-200 bg-white p-3">
            <dt className="text-sm text-slate-700">{t.result.prediction}</dt>
            <dd className="text-lg font-bold">{attempt.prediction === null ? t.result.noPrediction : formatNumber(attempt.prediction)}</dd>
          </div>
        )}
        <div className="rounded-xl border border-slate-200 bg-white p-3">
          <dt className="text-sm text-slate-700">{t.result.submittedAt}</dt>
          <dd className="text-lg font-bold">{attempt.finalized}</dd>
        </div>
      </dl>

      {certificateUrl && (
        <p className="mb-5">
          <a href={certificateUrl} className={`${secondaryButtonClass} w-full sm:w-auto`} download>
            {printVi.certificate.mineLink}
          </a>
        </p>
      )}

      <section aria-labelledby="review-title">
        <h2 id="review-title" className="mb-3 text-xl font-bold">
          {t.result.reviewTitle}
        </h2>
        {anyHidden && <p className="mb-3 rounded-lg bg-slate-100 p-3">{s.reviewIntroHidden}</p>}
        <ol className="space-y-4">
          {review.map((item) => (
            <li key={item.position} className="rounded-xl border border-slate-200 bg-white p-4" data-testid="review-item">
              <p className="mb-1 flex justify-between gap-2 text-sm font-semibold">
                <span>{t.quiz.question(item.position + 1, review.length)}</span>
                {item.right === null ? (
                  <span className="text-slate-700">{item.answered ? s.answered : t.result.notAnswered}</span>
                ) : (
                  <span className={item.right ? "text-green-800" : "text-red-800"}>
                    {item.right ? t.result.right : item.answered ? t.result.wrong : t.result.notAnswered}
                  </span>
                )}
              </p>
              <p className="mb-3 whitespace-pre-line font-semibold">{item.stem}</p>
              <ul className="space-y-2">
                {item.options.map((option) => (
                  <li
                    key={option.id}
                    className={`rounded-lg border px-3 py-2 ${
                      option.isCorrect
                        ? "border-green-600 bg-green-50"
                        : option.chosen
                          ? item.revealed
                            ? "border-red-600 bg-red-50"
                            : "border-brand-700 bg-slate-50"
                          : "border-slate-200"
                    }`}
                  >
                    <span>{option.text}</span>
                    {(option.isCorrect || option.chosen) && (
                      <span className="mt-1 block text-sm font-semibold">
                        {[option.isCorrect && `✓ ${t.result.correctAnswer}`, option.chosen && t.result.yourAnswer]
                          .filter(Boolean)
                          .join(" · ")}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
              {!item.revealed && (
                <p className="mt-3 text-sm font-semibold text-slate-800" data-testid="key-hidden">
                  {item.revealAt ? s.keyHiddenUntil(item.revealAt) : `${s.keyHidden}.`}
                </p>
              )}
              {item.explanation && (
                <p className="mt-3 text-sm">
                  <strong>{t.result.explanation}:</strong> {item.explanation}
                </p>
              )}
              {item.source && (
                <p className="mt-1 text-sm text-slate-700">
                  {t.result.source}: {item.source}
                </p>
              )}
            </li>
          ))}
        </ol>
      </section>
      <p className="mt-5">
        <Link to={round.url} className="font-semibold text-brand-700 underline">
          {t.result.backToRound}
        </Link>
      </p>
    </article>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.result.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
