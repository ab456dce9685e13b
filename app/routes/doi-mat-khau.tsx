import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { hashPassword, verifyPassword } from "~/.server/auth/password.server";
import { createSessionCookie, requireUser } from "~/.server/auth/session.server";
import { parseForm, type FieldErrors } from "~/.server/forms.server";
import { now } from "~/.server/clock.server";
import { changeOwnPassword, getPasswordState } from "~/.server/members.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, buttonClass } from "~/components/ui/field";
import { safeRedirect } from "~/domain/redirect";
import { t } from "~/i18n/vi";
import { cardClass } from "~/components/ui/card";

const Schema = z
  .object({
    current: z.string().min(1, t.auth.passwordRequired),
    password: z.string().min(8, t.auth.passwordTooShort).max(200, t.auth.passwordTooLong),
    passwordConfirm: z.string(),
    redirectTo: z.string().optional(),
  })
  .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: t.auth.passwordMismatch });

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { mustChange: Boolean(user.mustChangePassword) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = parseForm(Schema, await request.formData());
  if (!parsed.ok) return data({ fieldErrors: parsed.errors }, { status: 400 });
  const db = getDb();
  const state = getPasswordState(db, user.id);
  if (!state || !(await verifyPassword(state.passwordHash, parsed.data.current))) {
    return data({ fieldErrors: { current: t.password.wrongCurrent } as FieldErrors }, { status: 400 });
  }
  changeOwnPassword(db, { userId: user.id, passwordHash: await hashPassword(parsed.data.password), now: now() });
  // Every other session has ended; this one goes on under a fresh id.
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": await createSessionCookie(user.id) } });
}

export default function ChangePassword() {
  const { mustChange } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const errors = result?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t.password.title}</h1>
      {mustChange && <FormError message={t.password.mustChange} />}
      <Form method="post" className={cardClass()} noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field label={t.password.current} name="current" type="password" autoComplete="current-password" error={errors.current} />
        <Field
          label={t.password.next}
          name="password"
          type="password"
          autoComplete="new-password"
          hint={t.auth.passwordHint}
          error={errors.password}
        />
        <Field
          label={t.password.confirm}
          name="passwordConfirm"
          type="password"
          autoComplete="new-password"
          error={errors.passwordConfirm}
        />
        <button type="submit" className={`${buttonClass} w-full`}>
          {t.password.submit}
        </button>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.password.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
