import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useSubmit,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { getDb } from "../../db/client";
import { AttemptRefusal, getQuiz, saveAnswer, submitAttempt } from "~/.server/attempts.server";
import { requireMember } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { consume, limitersFor, passRetryAfter, RateLimited } from "~/.server/rate-limit.server";
import { formatRemaining } from "~/components/countdown";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, buttonClass } from "~/components/ui/field";
import { useHydrated } from "~/components/use-hydrated";
import { formatTime } from "~/domain/time";
import { t } from "~/i18n/vi";

const optionIds = z.array(z.coerce.number().int().positive()).max(8);

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("save"),
    position: z.coerce.number().int().min(0).max(500),
    option: optionIds,
  }),
  z.object({
    intent: z.literal("submit"),
    prediction: z
      .string()
      .trim()
      .transform((s) => s.replace(/[.\s,]/g, ""))
      .pipe(z.union([z.literal(""), z.string().regex(/^\d{1,8}$/, t.quiz.predictionInvalid)]))
      .transform((s) => (s === "" ? null : Number(s)))
      .pipe(z.number().max(10_000_000, t.quiz.predictionInvalid).nullable())
      .optional()
      .transform((v) => v ?? null),
    confirm: z.literal("1").optional(),
    auto: z.literal("1").optional(),
    answers: z.map(z.number(), optionIds),
  }),
]);

/** Reads the form: `q-3=17` (a radio), `q-5=20&q-5=22` (checkboxes) become answers by position. */
function readForm(form: FormData) {
  const answers = new Map<number, number[]>();
  for (const [key, value] of form) {
    const match = /^q-(\d+)$/.exec(key);
    if (match && typeof value === "string") {
      const position = Number(match[1]);
      answers.set(position, [...(answers.get(position) ?? []), Number(value)]);
    }
  }
  return {
    intent: form.get("intent"),
    position: form.get("position"),
    option: form.getAll("option"),
    prediction: form.get("prediction") ?? undefined,
    // The hidden field (set by the JavaScript dialog) and the "Vẫn nộp bài" button both say confirm.
    confirm: form.getAll("confirm").includes("1") ? "1" : undefined,
    auto: form.get("auto") || undefined,
    answers,
  };
}

/** A 429 keeps its Retry-After (Remix passes on only Set-Cookie by itself). */
export const headers = passRetryAfter;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireMember(request);
  const at = now();
  let quiz;
  try {
    quiz = getQuiz(getDb(), params.attemptId ?? "", user.id, at);
  } catch (error) {
    if (error instanceof AttemptRefusal) throw new Response(error.message, { status: error.status });
    throw error;
  }
  if (quiz.attempt.status !== "in_progress") throw redirect(`/bai-thi/${quiz.attempt.id}/ket-qua`);
  return {
    now: at,
    attemptId: quiz.attempt.id,
    deadlineAt: quiz.attempt.deadlineAt,
    deadlineText: formatTime(quiz.attempt.deadlineAt, quiz.round.timezone),
    roundTitle: quiz.round.title,
    contestTitle: quiz.round.contestTitle,
    predictionEnabled: quiz.round.predictionEnabled,
    questions: quiz.questions,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireMember(request);
  const attemptId = params.attemptId ?? "";
  const parsed = ActionSchema.safeParse(readForm(await request.formData()));
  if (!parsed.success) {
    const errors = z.flattenError(parsed.error).fieldErrors as Partial<Record<string, string[]>>;
    return data({ error: errors.prediction?.[0] ?? t.attemptErrors.badAnswer, field: "prediction" as const }, { status: 400 });
  }
  const db = getDb();
  const input = parsed.data;
  try {
    if (input.intent === "save") {
      await consume(limitersFor(db).answerSaves, user.id, () => t.attemptErrors.tooFast);
      const { answeredCount } = saveAnswer(db, { attemptId, userId: user.id, position: input.position, chosen: input.option, now: now() });
      return data({ saved: input.position, answeredCount });
    }
    const outcome = submitAttempt(db, {
      attemptId,
      userId: user.id,
      now: now(),
      answers: input.answers,
      prediction: input.prediction,
      confirmUnanswered: input.confirm === "1",
      automatic: input.auto === "1",
    });
    switch (outcome.kind) {
      case "finalized":
      case "already_finalized":
        return redirect(`/bai-thi/${attemptId}/ket-qua`);
      case "late":
        return redirect(`/bai-thi/${attemptId}/ket-qua?het-gio=1`);
      case "needs_prediction":
        return data({ error: t.quiz.predictionRequired, field: "prediction" as const }, { status: 400 });
      case "needs_confirmation":
        return data({ error: t.quiz.unanswered(outcome.unanswered), field: "confirm" as const }, { status: 400 });
    }
  } catch (error) {
    if (error instanceof RateLimited) {
      return data({ error: error.message, field: null }, { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } });
    }
    if (error instanceof AttemptRefusal) {
      if (error.code === "deadline_passed" || error.code === "already_submitted") {
        // With JavaScript, the page shows the message and goes on to the result; without, the result says it.
        return data({ error: error.message, field: null, finished: `/bai-thi/${attemptId}/ket-qua` }, { status: error.status });
      }
      return data({ error: error.message, field: null }, { status: error.status });
    }
    throw error;
  }
}

/**
 * Saving one answer changes nothing the page shows from its loader (the page already knows the
 * choice): skip the refetch Remix would make after every fetcher post, halving the requests at the
 * deadline. Submitting still revalidates.
 */
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formData?.get("intent") === "save") return false;
  return defaultShouldRevalidate;
}

type Question = ReturnType<typeof useLoaderData<typeof loader>>["questions"][number];

function QuestionCard({
  question,
  total,
  chosen,
  onChange,
  saveState,
}: {
  question: Question;
  total: number;
  chosen: number[];
  onChange: (chosen: number[]) => void;
  saveState: "idle" | "saving" | "saved" | "failed";
}) {
  const name = `q-${question.position}`;
  const type = question.multipleAnswers ? "checkbox" : "radio";
  return (
    <fieldset className="mb-4 rounded-xl border border-slate-200 bg-white p-4" id={`cau-${question.position + 1}`}>
      <legend className="sr-only">{t.quiz.question(question.position + 1, total)}</legend>
      <p className="mb-1 flex flex-wrap justify-between gap-2 text-sm font-semibold text-slate-700" aria-hidden="true">
        <span>{t.quiz.question(question.position + 1, total)}</span>
        {question.points > 1 && <span>{t.quiz.points(question.points)}</span>}
      </p>
      <p className="mb-3 whitespace-pre-line text-base font-semibold leading-snug">{question.stem}</p>
      {question.multipleAnswers && <p className="mb-2 text-sm font-semibold text-brand-800">{t.quiz.multiple}</p>}
      <div className="space-y-2">
        {question.options.map((option) => (
          <label
            key={option.id}
            className="flex min-h-12 cursor-pointer items-start gap-3 rounded-lg border border-slate-300 px-3 py-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50"
          >
            <input
              type={type}
              name={name}
              value={option.id}
              checked={chosen.includes(option.id)}
              onChange={(event) => {
                if (type === "radio") onChange([option.id]);
                else onChange(event.target.checked ? [...chosen, option.id] : chosen.filter((id) => id !== option.id));
              }}
              className="mt-0.5 h-5 w-5 shrink-0 accent-brand-700"
            />
            <span className="leading-snug">{option.text}</span>
          </label>
        ))}
      </div>
      <p className="mt-2 min-h-5 text-sm text-slate-700" aria-live="polite">
        {saveState === "saving" ? t.quiz.saving : saveState === "saved" ? t.quiz.saved : saveState === "failed" ? t.quiz.saveFailed : ""}
      </p>
    </fieldset>
  );
}

/** Saves one question's answer as it is chosen, and says whether it was saved. */
function useAnswerSaver(attemptId: string, position: number) {
  const fetcher = useFetcher<typeof action>({ key: `save-${attemptId}-${position}` });
  const [touched, setTouched] = useState(false);
  const save = (chosen: number[]) => {
    setTouched(true);
    const body = new FormData();
    body.set("intent", "save");
    body.set("position", String(position));
    for (const id of chosen) body.append("option", String(id));
    fetcher.submit(body, { method: "post" });
  };
  const state: "idle" | "saving" | "saved" | "failed" = !touched
    ? "idle"
    : fetcher.state !== "idle"
      ? "saving"
      : fetcher.data && "saved" in fetcher.data
        ? "saved"
        : "failed";
  const finished = fetcher.data && "finished" in fetcher.data ? String(fetcher.data.finished) : null;
  return { save, state, finished };
}

function SavingQuestion(props: { attemptId: string; question: Question; total: number; chosen: number[]; onChosen: (c: number[]) => void; onFinished: (url: string) => void }) {
  const { save, state, finished } = useAnswerSaver(props.attemptId, props.question.position);
  useEffect(() => {
    if (finished) props.onFinished(finished);
  }, [finished]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <QuestionCard
      question={props.question}
      total={props.total}
      chosen={props.chosen}
      saveState={state}
      onChange={(chosen) => {
        props.onChosen(chosen);
        save(chosen);
      }}
    />
  );
}

export default function QuizPage() {
  const quiz = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const [answers, setAnswers] = useState<Record<number, number[]>>(() =>
    Object.fromEntries(quiz.questions.map((q) => [q.position, q.chosen])),
  );
  const total = quiz.questions.length;
  const answered = Object.values(answers).filter((c) => c.length > 0).length;

  // The server's remaining time, counted down with the offset between the two clocks.
  const [remaining, setRemaining] = useState(quiz.deadlineAt - quiz.now);
  const submittedRef = useRef(false);
  useEffect(() => {
    const skew = quiz.now - Date.now();
    const tick = () => setRemaining(quiz.deadlineAt - (Date.now() + skew));
    tick();
    const timer = window.setInterval(tick, 1000);
    return () => window.clearInterval(timer);
  }, [quiz.now, quiz.deadlineAt]);
  useEffect(() => {
    if (hydrated && remaining <= 0 && !submittedRef.current && formRef.current) {
      submittedRef.current = true;
      const body = new FormData(formRef.current);
      body.set("intent", "submit");
      body.set("auto", "1");
      submit(body, { method: "post", replace: true });
    }
  }, [hydrated, remaining, submit]);

  const finish = (url: string) => {
    if (!submittedRef.current) {
      submittedRef.current = true;
      window.location.assign(url);
    }
  };
  const secondsLeft = Math.max(0, Math.ceil(remaining / 1000));

  return (
    <div>
      <div className="sticky top-0 z-10 -mx-4 mb-4 border-b border-slate-200 bg-white/95 px-4 py-2 backdrop-blur">
        <div className="flex items-center justify-between gap-3">
          <p className="text-sm">
            <span className="block text-slate-700">{t.quiz.timeLeft}</span>
            <strong className="text-lg tabular-nums" role="timer" aria-live="off">
              {remaining > 0 ? formatRemaining(remaining) : t.quiz.timeUp}
            </strong>
          </p>
          <p className="text-right text-sm font-semibold" aria-live="polite">
            {t.quiz.progress(answered, total)}
          </p>
        </div>
        {hydrated && secondsLeft > 0 && secondsLeft <= 60 && (
          <p role="alert" className="mt-1 rounded-md bg-amber-100 px-2 py-1 text-sm font-semibold text-amber-950">
            {t.quiz.oneMinute}
          </p>
        )}
      </div>

      <h1 className="mb-1 text-xl font-bold">{t.quiz.title(quiz.roundTitle)}</h1>
      <p className="mb-3 text-sm text-slate-700">{t.quiz.deadlineAt(quiz.deadlineText)}</p>
      {!hydrated && (
        <>
          <p className="mb-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950">{t.quiz.noJsNote}</p>
          <noscript>
            <meta httpEquiv="refresh" content={`${secondsLeft + 20};url=/bai-thi/${quiz.attemptId}/ket-qua`} />
          </noscript>
        </>
      )}
      {actionData && "error" in actionData && actionData.field !== "prediction" && actionData.field !== "confirm" && (
        <FormError message={actionData.error} />
      )}

      <Form
        method="post"
        ref={formRef}
        replace
        onSubmit={(event) => {
          const unanswered = total - answered;
          if (unanswered > 0 && confirmRef.current?.value !== "1") {
            if (!window.confirm(t.quiz.confirmUnanswered(unanswered))) {
              event.preventDefault();
              return;
            }
            if (confirmRef.current) confirmRef.current.value = "1";
          }
          submittedRef.current = true;
        }}
      >
        {quiz.questions.map((question) =>
          hydrated ? (
            <SavingQuestion
              key={question.position}
              attemptId={quiz.attemptId}
              question={question}
              total={total}
              chosen={answers[question.position] ?? []}
              onChosen={(chosen) => setAnswers((current) => ({ ...current, [question.position]: chosen }))}
              onFinished={finish}
            />
          ) : (
            <QuestionCard
              key={question.position}
              question={question}
              total={total}
              chosen={answers[question.position] ?? []}
              saveState="idle"
              onChange={(chosen) => setAnswers((current) => ({ ...current, [question.position]: chosen }))}
            />
          ),
        )}

        <section className="rounded-xl border border-slate-200 bg-white p-4" aria-label={t.quiz.submit}>
          {quiz.predictionEnabled && (
            <div className="mb-4">
              <label htmlFor="prediction" className="mb-1 block font-semibold">
                {t.quiz.predictionLabel}
              </label>
              <input
                id="prediction"
                name="prediction"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                pattern="[0-9]*"
                className="block w-full rounded-lg border border-slate-400 px-3 py-3 text-base aria-[invalid=true]:border-red-700"
                aria-invalid={actionData && "field" in actionData && actionData.field === "prediction" ? true : undefined}
                aria-describedby="prediction-hint prediction-error"
              />
              <p id="prediction-hint" className="mt-1 text-sm text-slate-700">
                {t.quiz.predictionHint}
              </p>
              {actionData && "field" in actionData && actionData.field === "prediction" && (
                <p id="prediction-error" className="mt-1 text-sm font-semibold text-red-800">
                  {actionData.error}
                </p>
              )}
            </div>
          )}
          <input type="hidden" name="confirm" ref={confirmRef} defaultValue="" />
          {actionData && "field" in actionData && actionData.field === "confirm" ? (
            <>
              <FormError message={actionData.error} />
              <button type="submit" name="confirm" value="1" className={`${buttonClass} w-full`}>
                {t.quiz.submitAnyway}
              </button>
            </>
          ) : (
            <button
              type="submit"
              name="intent"
              value="submit"
              className={`${buttonClass} w-full`}
              disabled={navigation.state === "submitting"}
            >
              {t.quiz.submit}
            </button>
          )}
          {/* Sent with "Vẫn nộp bài" too: the intent travels as a field, not only on the button. */}
          {actionData && "field" in actionData && actionData.field === "confirm" && (
            <input type="hidden" name="intent" value="submit" />
          )}
        </section>
      </Form>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `${t.quiz.title(d.roundTitle)} · ${t.site.name}` : t.site.name },
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
