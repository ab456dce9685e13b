import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  useActionData,
  useLoaderData,
  useNavigate,
  useNavigation,
  useSubmit,
  type ClientActionFunctionArgs,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { useCallback, useEffect, useReducer, useRef, useState } from "react";
import { getDb } from "~/.server/db.server";
import { handleAnswerSave } from "~/.server/answer-save.server";
import { AttemptRefusal, getQuiz, submitAttempt } from "~/.server/attempts.server";
import { requireMember } from "~/.server/auth/session.server";
import { fieldErrorsOf } from "~/.server/forms.server";
import { readSubmitForm, SubmitSchema } from "~/.server/submit-form.server";
import { now } from "~/.server/clock.server";
import { passRetryAfter, RateLimited } from "~/.server/rate-limit.server";
import { noteStorageFailure, retryAfterHeaders } from "~/.server/storage-health.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError } from "~/components/ui/field";
import { AnswerOutbox, backoffMs, forgetOtherAttempts, readKept, writeKept, type KeptAnswer } from "~/components/quiz/answer-outbox";
import { QUIZ_FORM_ATTRIBUTE, readChoices, takePreHydrationChoices } from "~/components/quiz/pre-hydration";
import { sendAnswer } from "~/components/quiz/send-answer";
import { dataArrivedAt, serverClock } from "~/components/quiz/server-clock";
import { applyChoice, sameChoice, sorted } from "~/components/quiz/choices";
import { QuestionCard } from "~/components/quiz/question-card";
import { QuizStatusBar } from "~/components/quiz/status-bar";
import { SubmitCard } from "~/components/quiz/submit-card";
import { formatTime } from "~/domain/time";
import { quizVi as q } from "~/i18n/quiz.vi";
import { ops } from "~/i18n/ops.vi";
import { t } from "~/i18n/vi";

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
    predictionEnabled: quiz.round.predictionEnabled,
    questions: quiz.questions,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireMember(request);
  const attemptId = params.attemptId ?? "";
  const form = await request.formData();
  const db = getDb();
  if (form.get("intent") === "save") {
    // The page's script saves through /bai-thi/:id/tra-loi; the same fields are accepted here.
    const reply = await handleAnswerSave(db, { userId: user.id, attemptId, form, now });
    return data(reply.body, { status: reply.status, headers: reply.headers });
  }
  const parsed = SubmitSchema.safeParse(readSubmitForm(form));
  if (!parsed.success) {
    return data(
      { error: fieldErrorsOf(parsed.error).prediction ?? t.attemptErrors.badAnswer, field: "prediction" as const },
      { status: 400 },
    );
  }
  const input = parsed.data;
  try {
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
    if (noteStorageFailure(error))
      return data({ error: ops.unavailable.notSaved, field: null }, { status: 503, headers: retryAfterHeaders });
    throw error;
  }
}

/**
 * The page needs nothing back from its loaders after a submission that stays on it (an answer save
 * sent through the action, a refused or undelivered submit): every reply carries what the page
 * shows. A loader request that fails on a weak link would replace the quiz with an error page.
 */
export function shouldRevalidate({ formMethod, currentUrl, nextUrl, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  if (formMethod && formMethod.toUpperCase() !== "GET" && currentUrl.pathname === nextUrl.pathname) return false;
  return defaultShouldRevalidate;
}

/**
 * A submission the network did not deliver (offline, a proxy's 5xx) must not become the error
 * page: the page stays, says the paper is not submitted yet, and sends it again when it can.
 */
export async function clientAction({ serverAction }: ClientActionFunctionArgs) {
  try {
    return await serverAction<typeof action>();
  } catch (error) {
    if (error instanceof Response) throw error; // a redirect: the result page, or the login page
    if (isRouteErrorResponse(error) && error.status < 500) throw error;
    return { notSubmitted: true as const };
  }
}

/** The quiz hides the header's logout: the page offers it at the bottom, away from the timer. */
export const handle = { hideHeaderLogout: true };

export default function QuizPage() {
  const quiz = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof clientAction>();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);
  const predictionRef = useRef<HTMLInputElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const total = quiz.questions.length;
  const pagePath = `/bai-thi/${quiz.attemptId}`;

  // The server's clock, read with a monotonic clock from when its answer began to arrive.
  const [clock] = useState(() => ({ now: serverClock(quiz.now, dataArrivedAt(pagePath)) }));
  const [remaining, setRemaining] = useState(quiz.deadlineAt - quiz.now);
  useEffect(() => {
    const tick = () => setRemaining(quiz.deadlineAt - clock.now());
    tick();
    const timer = window.setInterval(tick, 500);
    return () => window.clearInterval(timer);
  }, [clock, quiz.deadlineAt]);

  const [answered, setAnswered] = useState(() => quiz.questions.filter((question) => question.chosen.length > 0).length);
  const [online, setOnline] = useState(true);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const submittedRef = useRef(false);
  const lastSubmission = useRef<FormData | null>(null);
  const [outbox] = useState(
    () =>
      new AnswerOutbox(
        quiz.attemptId,
        (position, answer) =>
          sendAnswer(quiz.attemptId, position, answer, (reply) => {
            // A newer answer was already stored (from another page): show what counts.
            if (reply.stale && formRef.current) applyChoice(formRef.current, position, reply.chosen);
          }),
        (url) => {
          submittedRef.current = true;
          navigate(url, { replace: true });
        },
      ),
  );
  useEffect(() => outbox.subscribe(rerender), [outbox]);
  useEffect(() => () => outbox.stop(), [outbox]);

  const countAnswered = () => {
    if (!formRef.current) return;
    const choices = readChoices(formRef.current);
    setAnswered([...choices.values()].filter((c) => c.length > 0).length);
  };

  const labelOf = (position: number, chosen: number[]) => {
    const question = quiz.questions.find((item) => item.position === position);
    return {
      label: t.quiz.question(position + 1, total),
      texts: chosen.map((id) => question?.options.find((o) => o.id === id)?.text ?? String(id)),
    };
  };

  // A tap on an option: saved (through the outbox) and counted. The options are plain HTML React
  // does not manage (QuestionCard), so React sees none of their events: the form's own listener does.
  const onOptionChange = useRef<(event: Event) => void>(() => {});
  onOptionChange.current = (event) => {
    const match = /^q-(\d+)$/.exec((event.target as HTMLInputElement).name ?? "");
    if (!match || !formRef.current) return;
    const position = Number(match[1]);
    const chosen = readChoices(formRef.current).get(position) ?? [];
    outbox.choose(position, { chosen, chosenAt: clock.now(), ...labelOf(position, chosen) });
    countAnswered();
  };
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const listener = (event: Event) => onOptionChange.current(event);
    form.addEventListener("change", listener);
    return () => form.removeEventListener("change", listener);
  }, []);

  // On hydration: what the member tapped before the script ran, then what an earlier page kept.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    forgetOtherAttempts(quiz.attemptId);
    const before = takePreHydrationChoices(quiz.attemptId);
    const now = readChoices(form);
    const kept = readKept(quiz.attemptId);
    const resumed: Record<string, KeptAnswer> = {};
    for (const question of quiz.questions) {
      const server = sorted(question.chosen);
      const inDom = now.get(question.position) ?? [];
      const tapped = before?.get(question.position);
      if (!sameChoice(inDom, server)) {
        outbox.choose(question.position, { chosen: inDom, chosenAt: clock.now(), ...labelOf(question.position, inDom) });
      } else if (tapped && !sameChoice(tapped, server)) {
        applyChoice(form, question.position, tapped);
        outbox.choose(question.position, { chosen: tapped, chosenAt: clock.now(), ...labelOf(question.position, tapped) });
      } else {
        const earlier = kept.answers[question.position];
        if (earlier && !sameChoice(sorted(earlier.chosen), server)) {
          applyChoice(form, question.position, earlier.chosen);
          resumed[question.position] = earlier;
        }
      }
    }
    outbox.resume(resumed);
    if (kept.prediction && predictionRef.current && !predictionRef.current.value) predictionRef.current.value = kept.prediction;
    countAnswered();
    setOnline(navigator.onLine);
    // The member pressed "Nộp bài" on an earlier page and it never arrived: send it now.
    if (kept.submitPending) {
      const body = new FormData(form);
      body.set("intent", "submit");
      body.set("confirm", "1");
      sendPaper(body);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [quiz.attemptId]);

  const sendPaper = useCallback(
    (body: FormData) => {
      submittedRef.current = true;
      lastSubmission.current = body;
      writeKept(quiz.attemptId, (stored) => ({ ...stored, submitPending: true }));
      submit(body, { method: "post", replace: true });
    },
    [quiz.attemptId, submit],
  );

  // An undelivered submission is sent again: at once when the link is back, else every few seconds.
  const notSubmitted = actionData !== undefined && "notSubmitted" in actionData;
  const [submitTries, setSubmitTries] = useState(0);
  useEffect(() => {
    if (!notSubmitted || navigation.state !== "idle" || !lastSubmission.current) return;
    const body = lastSubmission.current;
    const timer = window.setTimeout(
      () => {
        setSubmitTries((n) => n + 1);
        sendPaper(body);
      },
      backoffMs(submitTries + 1),
    );
    return () => window.clearTimeout(timer);
  }, [notSubmitted, navigation.state, sendPaper, submitTries]);

  useEffect(() => {
    const goOnline = () => {
      setOnline(true);
      outbox.retryNow();
      if (notSubmitted && lastSubmission.current && navigation.state === "idle") sendPaper(lastSubmission.current);
    };
    const goOffline = () => setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    return () => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
    };
  }, [outbox, notSubmitted, navigation.state, sendPaper]);

  // The timer at zero submits the paper as it is (the server believes it only near the deadline).
  const autoSent = useRef(false);
  useEffect(() => {
    if (remaining <= 0 && !autoSent.current && formRef.current) {
      autoSent.current = true;
      const body = new FormData(formRef.current);
      body.set("intent", "submit");
      body.set("auto", "1");
      sendPaper(body);
    }
  }, [remaining, sendPaper]);

  // A refused submission (the prediction, unanswered questions) is announced and focused.
  const fieldError = (actionData && "field" in actionData ? actionData.field : null) ?? null;
  useEffect(() => {
    if (!actionData) return;
    if ("notSubmitted" in actionData) return;
    // The server answered (a question for the member): no submission is waiting any more.
    writeKept(quiz.attemptId, (stored) => ({ ...stored, submitPending: false }));
    if ("finished" in actionData && actionData.finished) {
      navigate(actionData.finished, { replace: true });
      return;
    }
    submittedRef.current = false;
    if (fieldError === "prediction") predictionRef.current?.focus();
    else errorRef.current?.focus();
    // Once per answer from the server: the attempt id and navigate stay the same on this page.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [actionData, fieldError]);

  const secondsLeft = Math.max(0, Math.ceil(remaining / 1000));
  const unsaved = outbox.unsavedCount;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "submit";

  return (
    <div>
      <QuizStatusBar
        remaining={remaining}
        answered={answered}
        total={total}
        unsaved={unsaved}
        online={online}
        signedOut={outbox.signedOut}
      />

      <h1 className="mb-1 text-xl font-bold">{t.quiz.title(quiz.roundTitle)}</h1>
      <p className="mb-3 text-sm text-slate-700">{t.quiz.deadlineAt(quiz.deadlineText)}</p>
      <noscript>
        <p className="mb-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950">{q.noJsNote}</p>
        <meta httpEquiv="refresh" content={`${secondsLeft + 20};url=/bai-thi/${quiz.attemptId}/ket-qua`} />
      </noscript>
      {submitting && (
        <p className="sr-only" role="status">
          {q.submitting}
        </p>
      )}
      <div ref={errorRef} tabIndex={-1} className="outline-none">
        {actionData && "error" in actionData && fieldError !== "prediction" && fieldError !== "confirm" && (
          <FormError message={actionData.error} />
        )}
      </div>

      <Form
        method="post"
        ref={formRef}
        replace
        autoComplete="off"
        {...{ [QUIZ_FORM_ATTRIBUTE]: quiz.attemptId }}
        onChange={(event) => {
          // The options are HTML React does not manage (QuestionCard): their taps come to onOptionChange.
          const input = event.target as HTMLInputElement;
          if (input.name === "prediction") writeKept(quiz.attemptId, (stored) => ({ ...stored, prediction: input.value }));
        }}
        onSubmit={(event) => {
          event.preventDefault();
          const form = event.currentTarget;
          const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          if (submitter?.name === "confirm" && confirmRef.current) confirmRef.current.value = "1";
          const unanswered = total - answered;
          if (unanswered > 0 && confirmRef.current?.value !== "1") {
            if (!window.confirm(t.quiz.confirmUnanswered(unanswered))) return;
            if (confirmRef.current) confirmRef.current.value = "1";
          }
          const body = new FormData(form);
          body.set("intent", "submit");
          if (confirmRef.current?.value === "1") body.set("confirm", "1");
          sendPaper(body);
        }}
      >
        {quiz.questions.map((question) => (
          <QuestionCard
            key={question.position}
            question={question}
            total={total}
            state={outbox.stateOf(question.position)}
            rejection={outbox.rejectionOf(question.position)}
          />
        ))}

        <SubmitCard
          predictionEnabled={quiz.predictionEnabled}
          predictionRef={predictionRef}
          confirmRef={confirmRef}
          fieldError={fieldError}
          error={actionData && "error" in actionData ? actionData.error : null}
          notSubmitted={notSubmitted}
          submitting={submitting}
        />
      </Form>
      <p className="mt-8 text-right text-sm">
        <Link to="/dang-xuat" className="text-slate-700 underline">
          {q.logoutBottom}
        </Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [
  { title: d ? `${t.quiz.title(d.roundTitle)} · ${t.site.name}` : t.site.name },
];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
