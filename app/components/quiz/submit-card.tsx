/**
 * The end of the quiz form: the prediction (when the contest asks for one), the "not submitted
 * yet" notice, and the submit button, or "Vẫn nộp bài" after the server asked to confirm
 * unanswered questions. Inside the page's <Form>: it works without JavaScript.
 */
import type { Ref } from "react";
import { Card } from "~/components/ui/card";
import { FormError, buttonClass } from "~/components/ui/field";
import { quizVi as q } from "~/i18n/quiz.vi";
import { t } from "~/i18n/vi";

export function SubmitCard({
  predictionEnabled,
  predictionRef,
  confirmRef,
  fieldError,
  error,
  notSubmitted,
  submitting,
}: {
  predictionEnabled: boolean;
  predictionRef: Ref<HTMLInputElement>;
  confirmRef: Ref<HTMLInputElement>;
  /** Which field the server's refusal is about, if any. */
  fieldError: "prediction" | "confirm" | null;
  /** The server's message for that refusal. */
  error: string | null;
  notSubmitted: boolean;
  submitting: boolean;
}) {
  return (
    <Card aria-label={t.quiz.submit}>
      {predictionEnabled && (
        <div className="mb-4">
          <label htmlFor="prediction" className="mb-1 block font-semibold">
            {t.quiz.predictionLabel}
          </label>
          <input
            ref={predictionRef}
            id="prediction"
            name="prediction"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            pattern="[0-9]*"
            className="block w-full rounded-lg border border-slate-400 px-3 py-3 text-base aria-[invalid=true]:border-red-700"
            aria-invalid={fieldError === "prediction" ? true : undefined}
            aria-describedby="prediction-hint prediction-error"
          />
          <p id="prediction-hint" className="mt-1 text-sm text-slate-700">
            {t.quiz.predictionHint}
          </p>
          <p id="prediction-error" className="mt-1 text-sm font-semibold text-red-800" role="alert">
            {fieldError === "prediction" ? error : ""}
          </p>
        </div>
      )}
      <input type="hidden" name="confirm" ref={confirmRef} defaultValue="" />
      {notSubmitted && (
        <p
          role="alert"
          className="mb-3 rounded-lg border border-red-300 bg-red-50 p-3 text-sm font-semibold text-red-900"
          data-testid="not-submitted"
        >
          {q.notSubmitted}
        </p>
      )}
      {fieldError === "confirm" && error !== null ? (
        <>
          <FormError message={error} />
          <button type="submit" name="confirm" value="1" className={`${buttonClass} w-full`}>
            {t.quiz.submitAnyway}
          </button>
        </>
      ) : (
        <button type="submit" name="intent" value="submit" className={`${buttonClass} w-full`} disabled={submitting}>
          {submitting ? q.submitting : t.quiz.submit}
        </button>
      )}
      {/* Sent with "Vẫn nộp bài" too: the intent travels as a field, not only on the button. */}
      {fieldError === "confirm" && <input type="hidden" name="intent" value="submit" />}
    </Card>
  );
}
