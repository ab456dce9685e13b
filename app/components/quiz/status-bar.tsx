/**
 * The quiz page's sticky bar: the time left and the count of answers, how many answers are still
 * only on this phone, and the last minute's warning. One short line (two at 200 % text).
 */
import { formatRemaining } from "~/components/countdown";
import { quizVi as q } from "~/i18n/quiz.vi";
import { t } from "~/i18n/vi";

export function QuizStatusBar({
  remaining,
  answered,
  total,
  unsaved,
  online,
  signedOut,
}: {
  /** Milliseconds until the deadline (≤ 0: time is up). */
  remaining: number;
  answered: number;
  total: number;
  unsaved: number;
  online: boolean;
  signedOut: boolean;
}) {
  const secondsLeft = Math.max(0, Math.ceil(remaining / 1000));
  return (
    <div className="sticky top-0 z-10 -mx-4 mb-4 border-b border-slate-200 bg-white/95 px-4 py-1 leading-tight backdrop-blur">
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <p className="text-sm">
          {/* Said, not shown: at 200 % text a visible label took a line of the bar on its own. */}
          <span className="sr-only">{t.quiz.timeLeft}: </span>
          <strong className="whitespace-nowrap text-base tabular-nums" role="timer" aria-live="off">
            {remaining > 0 ? formatRemaining(remaining) : t.quiz.timeUp}
          </strong>
        </p>
        <p className="flex flex-wrap items-baseline gap-x-2 text-sm font-semibold">
          <span aria-live="polite">
            <span className="sr-only">{t.quiz.progress(answered, total)}</span>
            <span aria-hidden="true" className="whitespace-nowrap">
              {q.progressShort(answered, total)}
            </span>
          </span>
          {/* In the bar that stays on screen, short: how many answers are still only on this phone. */}
          <span aria-live="polite">
            {(unsaved > 0 || !online) && (
              <span className="whitespace-nowrap rounded bg-amber-100 px-1.5 text-amber-950" data-testid="unsaved-banner">
                <span aria-hidden="true">{unsaved > 0 ? q.unsavedShort(unsaved) : q.offlineShort}</span>
                <span className="sr-only">{unsaved > 0 ? q.unsavedBanner(unsaved) : q.offline}</span>
              </span>
            )}
          </span>
        </p>
      </div>
      {signedOut && <p className="mt-1 rounded-md bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-950">{q.signedOut}</p>}
      {secondsLeft > 0 && secondsLeft <= 60 && (
        <p role="alert" className="mt-1 rounded-md bg-amber-100 px-2 py-0.5 text-sm font-semibold text-amber-950">
          {t.quiz.oneMinute}
        </p>
      )}
    </div>
  );
}
