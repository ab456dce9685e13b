import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { hashPassword } from "~/.server/auth/password.server";
import { createSessionCookie, requireAnonymous } from "~/.server/auth/session.server";
import { parseForm, type FieldErrors } from "~/.server/forms.server";
import { now } from "~/.server/clock.server";
import { addressKey, blockedFor, consume, limitersFor, passRetryAfter, penalize, RateLimited } from "~/.server/rate-limit.server";
import { posterBranch } from "~/.server/posters.server";
import { createMember, listBranches, listDistricts, phoneTaken } from "~/.server/users.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormError, Honeypot, SelectField, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { useHydrated } from "~/components/use-hydrated";
import { cleanName } from "~/domain/names";
import { normalizePhone } from "~/domain/phone";
import { VIA_PARAM, viaBranchFrom } from "~/domain/poster-link";
import { printVi } from "~/i18n/print.vi";
import { accountsText } from "~/i18n/accounts.vi";
import { safeRedirect } from "~/domain/redirect";
import { t } from "~/i18n/vi";
import { cardClass } from "~/components/ui/card";
import { OtherAuthPage } from "~/components/ui/other-auth-page";

const text = (max: number) =>
  z
    .string()
    .default("")
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(z.string().max(max));

const RegisterSchema = z.discriminatedUnion("intent", [
  // Without JavaScript, choosing a district posts the form back to narrow the branch list.
  z.object({
    intent: z.literal("district"),
    fullName: text(200),
    phone: text(40),
    districtId: text(60),
  }),
  z
    .object({
      intent: z.literal("register"),
      fullName: z
        .string()
        .default("")
        .transform((value, ctx) => {
          const name = cleanName(value);
          if (!name.ok) {
            ctx.addIssue({
              code: "custom",
              message: name.problem === "required" ? t.auth.fullNameRequired : accountsText.names[name.problem],
            });
            return z.NEVER;
          }
          return name.name;
        }),
      phone: z
        .string()
        .default("")
        .transform((value, ctx) => {
          const phone = normalizePhone(value);
          if (!phone) {
            ctx.addIssue({ code: "custom", message: t.auth.phoneInvalid });
            return z.NEVER;
          }
          return phone;
        }),
      districtId: z.string({ error: t.auth.districtRequired }).min(1, t.auth.districtRequired),
      branchId: z.string({ error: t.auth.branchRequired }).min(1, t.auth.branchRequired),
      password: z.string().default("").pipe(z.string().min(8, t.auth.passwordTooShort).max(200, t.auth.passwordTooLong)),
      passwordConfirm: z.string().default(""),
      website: z.string().max(0).optional(),
      redirectTo: z.string().optional(),
    })
    .refine((v) => v.password === v.passwordConfirm, { path: ["passwordConfirm"], message: t.auth.passwordMismatch }),
]);

/** A 429 keeps its Retry-After (Remix passes on only Set-Cookie by itself). */
export const headers = passRetryAfter;

/** The branch whose QR poster brought the person here (`?qua=<branch code>`), if it exists. */
function posterOf(db: ReturnType<typeof getDb>, params: URLSearchParams) {
  const code = viaBranchFrom(params);
  const branch = code ? posterBranch(db, code) : undefined;
  return branch ? { branchId: branch.id, districtId: branch.districtId, branchName: branch.name, districtName: branch.districtName } : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  const db = getDb();
  return { districts: listDistricts(db), branches: listBranches(db), poster: posterOf(db, new URL(request.url).searchParams) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = Object.fromEntries(await request.formData());
  const typed = {
    fullName: typeof form.fullName === "string" ? form.fullName : "",
    phone: typeof form.phone === "string" ? form.phone : "",
    districtId: typeof form.districtId === "string" ? form.districtId : "",
    branchId: typeof form.branchId === "string" ? form.branchId : "",
  };
  // Pressing Enter in a field submits with the form's first button ("Tiếp tục"): once the branch
  // and password are filled in, that means "register".
  const intent = form.intent === "district" && !(form.branchId && form.password) ? "district" : "register";
  const parsed = parseForm(RegisterSchema, { ...form, intent });
  if (!parsed.ok) {
    return data({ fieldErrors: parsed.errors, formError: t.auth.formHasErrors, typed }, { status: 400 });
  }
  if (parsed.data.intent === "district") {
    return data({ fieldErrors: {} as FieldErrors, formError: null, typed: { ...typed, branchId: "" } });
  }
  const input = parsed.data;
  if (input.website) {
    // A bot filled the honeypot: refuse without saying why.
    return data({ fieldErrors: {} as FieldErrors, formError: t.errors.generic, typed }, { status: 400 });
  }

  const db = getDb();
  const fieldErrors: FieldErrors = {};
  const districts = listDistricts(db);
  const branch = listBranches(db).find((b) => b.id === input.branchId);
  if (!districts.some((d) => d.id === input.districtId)) fieldErrors.districtId = t.auth.districtRequired;
  else if (!branch) fieldErrors.branchId = t.auth.branchRequired;
  else if (branch.districtId !== input.districtId) fieldErrors.branchId = t.auth.branchNotInDistrict;
  // The number is looked up only once everything else is right, so a form with a wrong field is
  // never a free way to learn whether a number is registered.
  if (Object.keys(fieldErrors).length > 0) {
    return data({ fieldErrors, formError: t.auth.formHasErrors, typed }, { status: 400 });
  }

  // Whether a number is registered is worth knowing to someone who has its masked form from a
  // leaderboard: an address that has hit registered numbers too often gets no answer at all,
  // before the number is even looked up (docs/decisions/006-accounts-limits-and-input.md).
  const limiters = limitersFor(db);
  const address = addressKey(context.clientIp);
  const probeWait = await blockedFor(limiters.registrationProbesByIp, address);
  if (probeWait > 0) {
    return data(
      { fieldErrors: {} as FieldErrors, formError: accountsText.limits.registrationsTaken(probeWait), typed },
      { status: 429, headers: { "Retry-After": String(probeWait) } },
    );
  }
  if (phoneTaken(db, input.phone)) {
    await penalize(limiters.registrationProbesByIp, address);
    await penalize(limiters.registrationProbesByPhone, input.phone);
    const phoneWait = await blockedFor(limiters.registrationProbesByPhone, input.phone);
    if (phoneWait > 0) {
      return data(
        { fieldErrors: {} as FieldErrors, formError: accountsText.limits.phoneProbed(phoneWait), typed },
        { status: 429, headers: { "Retry-After": String(phoneWait) } },
      );
    }
    return data({ fieldErrors: { phone: t.auth.phoneTaken } as FieldErrors, formError: t.auth.formHasErrors, typed }, { status: 400 });
  }

  try {
    await consume(limiters.registrationsByIp, address, (s) => t.auth.tooManyRegistrations(Math.ceil(s / 60)));
  } catch (error) {
    if (!(error instanceof RateLimited)) throw error;
    return data(
      { fieldErrors: {} as FieldErrors, formError: error.message, typed },
      { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
    );
  }

  let userId: string;
  try {
    // Only a registration that came through a poster link records that poster's branch.
    const viaBranchId =
      posterOf(db, new URLSearchParams({ [VIA_PARAM]: typeof form[VIA_PARAM] === "string" ? form[VIA_PARAM] : "" }))?.branchId ?? null;
    userId = createMember(db, { ...input, viaBranchId, passwordHash: await hashPassword(input.password), now: now() });
  } catch (error) {
    // Two registrations of one number at the same instant: the unique index keeps one.
    if (error instanceof Error && /UNIQUE/.test(error.message)) {
      return data({ fieldErrors: { phone: t.auth.phoneTaken } as FieldErrors, formError: t.auth.formHasErrors, typed }, { status: 400 });
    }
    throw error;
  }
  return redirect(safeRedirect(input.redirectTo), { headers: { "Set-Cookie": await createSessionCookie(userId) } });
}

export default function RegisterPage() {
  const { districts, branches, poster } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const typed = actionData?.typed;
  // A poster link chooses the district and branch; the person may change both.
  const initialDistrict = typed?.districtId ?? poster?.districtId ?? "";
  const [districtId, setDistrictId] = useState(initialDistrict);
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const shownDistrict = hydrated ? districtId : initialDistrict;
  const initialBranch = typed ? typed.branchId : poster && shownDistrict === poster.districtId ? poster.branchId : undefined;
  const districtBranches = branches.filter((b) => b.districtId === shownDistrict);
  const redirectTo = searchParams.get("redirectTo") ?? "";

  return (
    <div className="mx-auto max-w-md">
      <h1 className="mb-2 text-2xl font-bold">{t.auth.registerTitle}</h1>
      <p className="mb-5 text-slate-700">{t.auth.registerIntro}</p>
      {poster && (
        <p className="mb-4 rounded-lg bg-brand-50 p-3 text-slate-800">
          {printVi.register.fromPoster(poster.branchName, poster.districtName)}
        </p>
      )}
      <Form method="post" className={cardClass("normal", "relative")} noValidate>
        <FormError message={actionData?.formError} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {poster && <input type="hidden" name={VIA_PARAM} value={poster.branchId} />}
        <Honeypot label={t.auth.honeypot} />
        <Field
          label={t.auth.fullName}
          name="fullName"
          autoComplete="name"
          required
          defaultValue={typed?.fullName}
          error={errors.fullName}
        />
        <Field
          label={t.auth.phone}
          name="phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          required
          hint={t.auth.phoneHint}
          defaultValue={typed?.phone}
          error={errors.phone}
        />
        <SelectField
          label={t.auth.district}
          name="districtId"
          required
          value={shownDistrict}
          onChange={(event) => setDistrictId(event.target.value)}
          error={errors.districtId}
        >
          <option value="">{t.auth.chooseDistrict}</option>
          {districts.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </SelectField>
        {!hydrated && (
          <button type="submit" name="intent" value="district" className={`${secondaryButtonClass} -mt-2 mb-4 w-full`}>
            {t.auth.continue}
          </button>
        )}
        <SelectField
          label={t.auth.branch}
          name="branchId"
          required
          disabled={!shownDistrict}
          defaultValue={initialBranch}
          key={shownDistrict}
          hint={shownDistrict ? undefined : t.auth.districtFirst}
          error={errors.branchId}
        >
          <option value="">{t.auth.chooseBranch}</option>
          {districtBranches.map((b) => (
            <option key={b.id} value={b.id}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <Field
          label={t.auth.password}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint={t.auth.passwordHint}
          error={errors.password}
        />
        <Field
          label={t.auth.passwordConfirm}
          name="passwordConfirm"
          type="password"
          autoComplete="new-password"
          required
          error={errors.passwordConfirm}
        />
        <button
          type="submit"
          name="intent"
          value="register"
          className={`${buttonClass} w-full`}
          disabled={navigation.state === "submitting"}
        >
          {t.auth.submitRegister}
        </button>
      </Form>
      <OtherAuthPage question={t.auth.haveAccount} to="/dang-nhap" redirectTo={redirectTo} label={t.auth.submitLogin} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.auth.registerTitle} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
