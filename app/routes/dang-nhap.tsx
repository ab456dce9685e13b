import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { verifyPassword } from "~/.server/auth/password.server";
import { createSessionCookie, requireAnonymous } from "~/.server/auth/session.server";
import { parseForm, type FieldErrors } from "~/.server/forms.server";
import { addressKey, blockedFor, limitersFor, passRetryAfter, penalize } from "~/.server/rate-limit.server";
import { findUserByPhone } from "~/.server/users.server";
import { Field, FormError, buttonClass } from "~/components/ui/field";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { normalizePhone } from "~/domain/phone";
import { safeRedirect } from "~/domain/redirect";
import { t } from "~/i18n/vi";
import { cardClass } from "~/components/ui/card";
import { OtherAuthPage } from "~/components/ui/other-auth-page";

const LoginSchema = z.object({
  phone: z.string().transform((value, ctx) => {
    const phone = normalizePhone(value);
    if (!phone) {
      ctx.addIssue({ code: "custom", message: t.auth.phoneInvalid });
      return z.NEVER;
    }
    return phone;
  }),
  password: z.string().min(1, t.auth.passwordRequired).max(200, t.auth.passwordTooLong),
  redirectTo: z.string().optional(),
});

// A real hash of a random password: verifying against it when the phone is unknown takes as long
// as a real check, so response times do not reveal which numbers are registered.
const DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$V3scLS15oYeamcq9kaO+zw$E8TrnTPnHvojaktp1sb30wyOxOvWApnIsFbVRPd2+Jo";

/** A 429 keeps its Retry-After (Remix passes on only Set-Cookie by itself). */
export const headers = passRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = Object.fromEntries(await request.formData());
  const parsed = parseForm(LoginSchema, form);
  const phoneInput = typeof form.phone === "string" ? form.phone : "";
  if (!parsed.ok) {
    return data({ formError: null, fieldErrors: parsed.errors, phone: phoneInput }, { status: 400 });
  }
  const { phone, password, redirectTo } = parsed.data;
  const ip = addressKey(context.clientIp);
  const db = getDb();
  const limiters = limitersFor(db);
  const phoneIpKey = `${phone}_${ip}`;
  const wait = Math.max(
    await blockedFor(limiters.loginFailuresByPhoneIp, phoneIpKey),
    await blockedFor(limiters.loginFailuresByIp, ip),
    await blockedFor(limiters.loginFailuresByPhone, phone),
  );
  if (wait > 0) {
    return data(
      { formError: t.auth.tooManyFailures(Math.ceil(wait / 60)), fieldErrors: {} as FieldErrors, phone: phoneInput },
      { status: 429, headers: { "Retry-After": String(wait) } },
    );
  }

  const user = findUserByPhone(db, phone);
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !valid) {
    await penalize(limiters.loginFailuresByPhoneIp, phoneIpKey);
    await penalize(limiters.loginFailuresByIp, ip);
    await penalize(limiters.loginFailuresByPhone, phone);
    return data({ formError: t.auth.invalidCredentials, fieldErrors: {} as FieldErrors, phone: phoneInput }, { status: 400 });
  }
  if (!user.active) {
    return data({ formError: t.auth.accountDisabled, fieldErrors: {} as FieldErrors, phone: phoneInput }, { status: 403 });
  }
  await limiters.loginFailuresByPhoneIp.delete(phoneIpKey);
  const target = user.mustChangePassword
    ? `/doi-mat-khau?redirectTo=${encodeURIComponent(safeRedirect(redirectTo))}`
    : safeRedirect(redirectTo);
  return redirect(target, { headers: { "Set-Cookie": await createSessionCookie(user.id) } });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const redirectTo = searchParams.get("redirectTo") ?? "";
  const fieldErrors: FieldErrors = actionData?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t.auth.loginTitle}</h1>
      <p className="mb-5 text-slate-700">{t.auth.loginIntro}</p>
      <Form method="post" className={cardClass()} noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field
          label={t.auth.phone}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          required
          defaultValue={actionData?.phone ?? ""}
          error={fieldErrors.phone}
        />
        <Field
          label={t.auth.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={fieldErrors.password}
        />
        <button type="submit" className={`${buttonClass} w-full`} disabled={navigation.state === "submitting"}>
          {t.auth.submitLogin}
        </button>
        <p className="mt-4 text-sm text-slate-700">{t.auth.forgot}</p>
      </Form>
      <OtherAuthPage question={t.auth.noAccount} to="/dang-ky" redirectTo={redirectTo} label={t.auth.submitRegister} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.auth.loginTitle} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
