/**
 * One question of the quiz page: its stem, its options in the member's order as plain radios or
 * checkboxes (a form that works without JavaScript), and the save state of the answer. Never
 * whether an option is correct: the page's data does not hold it (decision 005).
 */
import { useState } from "react";
import type { AnswerState } from "./answer-outbox";
import { escapeHtml } from "~/domain/html";
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
  return (
    // The class lists are in app/tailwind.css (`quiz-*`): the page repeats them for every question
    // and option. Paddings in px, not rem: at 200 % text size they stay small and leave the text its width.
    <fieldset className="quiz-question" id={`cau-${question.position + 1}`}>
      <legend className="sr-only">{t.quiz.question(question.position + 1, total)}</legend>
      <p className="quiz-question-head" aria-hidden="true">
        <span>{t.quiz.question(question.position + 1, total)}</span>
        {question.points > 1 && <span>{t.quiz.points(question.points)}</span>}
      </p>
      <p className="quiz-stem">{question.stem}</p>
      {question.multipleAnswers && <p className="mb-2 text-sm font-semibold text-brand-800">{t.quiz.multiple}</p>}
      <QuizOptions question={question} />
      <p
        className={state === "unsaved" || state === "rejected" ? "quiz-save-state font-semibold text-red-800" : "quiz-save-state"}
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

/**
 * A question's options as plain HTML: the radios or checkboxes of the no-JavaScript form, in the
 * member's order, the stored answer checked. One string instead of three React elements an
 * option: the quiz page is the page every member loads at the deadline, and its options were most
 * of the server's rendering work (decision 022, "Fourth pass").
 */
export function optionsHtml(question: QuizQuestion): string {
  const name = `q-${question.position}`;
  const type = question.multipleAnswers ? "checkbox" : "radio";
  let html = "";
  for (const option of question.options) {
    const checked = question.chosen.includes(option.id) ? ` checked=""` : "";
    html += `<label class="quiz-option"><input type="${type}" name="${name}"${checked} value="${option.id}"/><span>${escapeHtml(option.text)}</span></label>`;
  }
  return html;
}

/**
 * The options, left to the member once on the page: React renders them once and never again
 * (uncontrolled; a tap made before the script ran stays checked through hydration). React does not
 * see their events: the page listens for `change` on its form.
 */
function QuizOptions({ question }: { question: QuizQuestion }) {
  const [html] = useState(() => ({ __html: optionsHtml(question) }));
  return <div className="quiz-options" dangerouslySetInnerHTML={html} />;
}
