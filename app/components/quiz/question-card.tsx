/**
 * One question of the quiz page: its stem, its options in the member's order as plain radios or
 * checkboxes (a form that works without JavaScript), and the save state of the answer. Never
 * whether an option is correct: the page's data does not hold it (decision 005).
 */
import type { AnswerState } from "./answer-outbox";
import { quizVi as q } from "~/i18n/quiz.vi";
import { t } from "~/i18n/vi";

export interface QuizQuestion {
  position: number;
  stem: string;
  multipleAnswers: boolean;
  points: number;
  options: { id: number; text: string }[];
  chosen: number[];
}

export function QuestionCard({
  question,
  total,
  state,
  rejection,
}: {
  question: QuizQuestion;
  total: number;
  state: AnswerState;
  rejection?: string;
}) {
  const name = `q-${question.position}`;
  const type = question.multipleAnswers ? "checkbox" : "radio";
  return (
    // Paddings in px, not rem: at 200 % text size they stay small and leave the text its width.
    <fieldset className="mb-4 min-w-0 rounded-xl border border-slate-200 bg-white p-[14px]" id={`cau-${question.position + 1}`}>
      <legend className="sr-only">{t.quiz.question(question.position + 1, total)}</legend>
      <p className="mb-1 flex flex-wrap justify-between gap-2 text-sm font-semibold text-slate-700" aria-hidden="true">
        <span>{t.quiz.question(question.position + 1, total)}</span>
        {question.points > 1 && <span>{t.quiz.points(question.points)}</span>}
      </p>
      <p className="mb-3 whitespace-pre-line break-words text-base font-semibold leading-snug">{question.stem}</p>
      {question.multipleAnswers && <p className="mb-2 text-sm font-semibold text-brand-800">{t.quiz.multiple}</p>}
      <div className="space-y-2">
        {question.options.map((option) => (
          <label
            key={option.id}
            className="flex min-h-12 cursor-pointer items-start gap-[10px] rounded-lg border border-slate-300 p-[10px] has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50"
          >
            {/* Uncontrolled: a tap made before the script loaded stays checked through hydration. */}
            <input
              type={type}
              name={name}
              value={option.id}
              defaultChecked={question.chosen.includes(option.id)}
              className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700"
            />
            <span className="min-w-0 break-words leading-snug">{option.text}</span>
          </label>
        ))}
      </div>
      <p
        className={`mt-2 min-h-5 text-sm ${state === "unsaved" || state === "rejected" ? "font-semibold text-red-800" : "text-slate-700"}`}
        aria-live="polite"
        data-save-state={state}
      >
        {state === "saving"
          ? q.saving
          : state === "saved"
            ? q.saved
            : state === "unsaved"
              ? q.unsaved
              : state === "rejected"
                ? q.rejected(rejection ?? "")
                : ""}
      </p>
    </fieldset>
  );
}
