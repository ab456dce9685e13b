import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { runningAttempt } from "~/.server/attempts.server";
import { destroySession, getCurrentUser, requireUser } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { buttonClass } from "~/components/ui/field";
import { Card } from "~/components/ui/card";
import { formatTime } from "~/domain/time";
import { quizVi as q } from "~/i18n/quiz.vi";
import { t } from "~/i18n/vi";

/** Logging out in the middle of an attempt asks first (this page); otherwise there is nothing to show. */
export async function loader({ request }: LoaderFunctionArgs) {
  const current = await getCurrentUser(request);
  const running = current ? runningAttempt(getDb(), current.user.id, now()) : null;
  if (!running) throw redirect("/");
  return { attemptId: running.id, deadline: formatTime(running.deadlineAt, running.timezone) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("confirm") !== "1" && runningAttempt(getDb(), user.id, now())) throw redirect("/dang-xuat");
  return redirect("/", { headers: { "Set-Cookie": await destroySession(request) } });
}

export default function LogoutPage() {
  const { attemptId, deadline } = useLoaderData<typeof loader>();
  return (
    <Card>
      <h1 className="mb-2 text-xl font-bold">{q.logoutTitle}</h1>
      <p className="mb-4">{q.logoutRunning(deadline)}</p>
      <p className="mb-4">
        <Link to={`/bai-thi/${attemptId}`} className={`${buttonClass} w-full`}>
          {q.backToQuiz}
        </Link>
      </p>
      <Form method="post">
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" className="w-full rounded-lg border border-slate-400 px-4 py-3 font-semibold">
          {q.logoutConfirm}
        </button>
      </Form>
    </Card>
  );
}

export const meta: MetaFunction = () => [{ title: `${q.logoutTitle} · ${t.site.name}` }];
