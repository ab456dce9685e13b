/**
 * The answer save the quiz page's script sends for every choice: one small POST, one small JSON
 * reply, no page data and no revalidation after it. The same guard (session, Origin), rate limit
 * and rules as the quiz page's action (app/.server/answer-save.server.ts).
 */
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/.server/db.server";
import { handleAnswerSave } from "~/.server/answer-save.server";
import { requireMember } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { rethrowAsAnswerUnavailable } from "~/.server/storage-health.server";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/bai-thi/${params.attemptId ?? ""}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireMember(request).catch(rethrowAsAnswerUnavailable);
  const reply = await handleAnswerSave(getDb(), {
    userId: user.id,
    attemptId: params.attemptId ?? "",
    form: await request.formData(),
    now,
  });
  return Response.json(reply.body, {
    status: reply.status,
    headers: { "Cache-Control": "no-store", ...reply.headers },
  });
}
