import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import type { Role } from "~/domain/accounts";
import { hashPassword } from "~/.server/auth/password.server";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import {
  actOnAccount,
  countActiveAdmins,
  searchMembers,
  SEARCH_LIMIT,
  temporaryPassword,
  type AccountChange,
} from "~/.server/members.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { allowedAccountActs } from "~/domain/accounts";
import { cleanName } from "~/domain/names";
import { accountsText } from "~/i18n/accounts.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

const ROLES = ["member", "organizer", "judge", "admin"] as const satisfies readonly Role[];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reset-password"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("set-role"), userId: z.string().min(1), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("deactivate"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("activate"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("rename"), userId: z.string().min(1), fullName: z.string().max(1000) }),
]);

type ActionResult = {
  error: string | null;
  message: string | null;
  password: string | null;
  field?: { userId: string; fullName: string } | null;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireRole(request, "organizer");
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const db = getDb();
  const found = searchMembers(db, q);
  const activeAdmins = countActiveAdmins(db);
  const actor = { id: me.id, role: me.role };
  return {
    q,
    isAdmin: me.role === "admin",
    myId: me.id,
    // Each row carries what this person may do to it: the page shows only those buttons.
    members: found
      .slice(0, SEARCH_LIMIT)
      .map((m) => ({ ...m, acts: allowedAccountActs(actor, { id: m.id, role: m.role, active: Boolean(m.active) }, activeAdmins) })),
    more: found.length > SEARCH_LIMIT,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireRole(request, "organizer");
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ActionResult>({ error: t.errors.generic, message: null, password: null }, { status: 400 });
  const input = parsed.data;
  const db = getDb();
  let change: AccountChange;
  let password: string | null = null;
  switch (input.intent) {
    case "reset-password":
      password = temporaryPassword();
      change = { act: "reset-password", passwordHash: await hashPassword(password) };
      break;
    case "set-role":
      change = { act: "set-role", role: input.role };
      break;
    case "rename": {
      const name = cleanName(input.fullName);
      if (!name.ok) {
        return data<ActionResult>(
          {
            error: accountsText.names[name.problem],
            message: null,
            password: null,
            field: { userId: input.userId, fullName: input.fullName },
          },
          { status: 400 },
        );
      }
      change = { act: "rename", fullName: name.name };
      break;
    }
    default:
      change = { act: input.intent };
  }
  const outcome = actOnAccount(db, { actor: { id: me.id, role: me.role }, userId: input.userId, change, now: now() });
  if (!outcome.ok) {
    if (outcome.reason === "not_found")
      return data<ActionResult>({ error: t.organizer.memberNotFound, message: null, password: null }, { status: 404 });
    return data<ActionResult>(
      { error: accountsText.refusals[outcome.reason], message: null, password: null },
      { status: outcome.reason === "last_admin" ? 409 : 403 },
    );
  }
  const message = {
    "reset-password": () => t.organizer.tempPassword(outcome.fullName, password ?? ""),
    "set-role": () => t.organizer.roleChanged(outcome.fullName, t.organizer.roles[input.intent === "set-role" ? input.role : "member"]),
    activate: () => t.organizer.activated(outcome.fullName),
    deactivate: () => t.organizer.deactivated(outcome.fullName),
    rename: () => accountsText.rename.renamed(outcome.before, outcome.fullName),
  }[input.intent]();
  return data<ActionResult>({ error: null, message, password });
}

export default function MembersPage() {
  const { q, members, more, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const renameError = Boolean(result?.error && result.field);
  const [searchParams] = useSearchParams();
  return (
    <div>
      <BackLink to="/to-chuc">{t.organizer.title}</BackLink>
      <h1 className="mb-3 text-2xl font-bold">{t.organizer.membersTitle}</h1>
      <Form method="get" className="mb-4 flex gap-2" role="search">
        <label htmlFor="q" className="sr-only">
          {t.organizer.search}
        </label>
        <input
          id="q"
          name="q"
          defaultValue={q}
          placeholder={t.organizer.search}
          className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2.5"
        />
        <button type="submit" className={buttonClass}>
          {t.organizer.searchButton}
        </button>
      </Form>
      <FormError message={renameError ? null : result?.error} />
      <FormSuccess message={result?.message} />
      {q && members.length === 0 && <p>{t.organizer.noMembers}</p>}
      {more && <p className="mb-2 text-sm">{t.organizer.tooMany(members.length)}</p>}
      <ul className="space-y-3">
        {members.map((m) => (
          <Card as="li" key={m.id} padding="tight">
            <p className="font-semibold">
              {m.fullName} · <span className="tabular-nums">{m.phone}</span>
              {!m.active && <span className="ml-2 rounded bg-slate-200 px-1.5 text-sm">{t.organizer.inactive}</span>}
            </p>
            <p className="text-sm text-slate-700">
              {m.branch} · {m.district} · {t.organizer.roles[m.role]}
            </p>
            {m.acts.length > 0 && (
              <div className="mt-2 flex flex-wrap gap-2">
                {m.acts.includes("reset-password") && (
                  <Form method="post" action={`?${searchParams}`}>
                    <input type="hidden" name="userId" value={m.id} />
                    <button type="submit" name="intent" value="reset-password" className={secondaryButtonClass}>
                      {t.organizer.resetPassword}
                    </button>
                  </Form>
                )}
                {(m.acts.includes("deactivate") || m.acts.includes("activate")) && (
                  <Form method="post" action={`?${searchParams}`}>
                    <input type="hidden" name="userId" value={m.id} />
                    <button type="submit" name="intent" value={m.active ? "deactivate" : "activate"} className={secondaryButtonClass}>
                      {m.active ? t.organizer.deactivate : t.organizer.activate}
                    </button>
                  </Form>
                )}
                {m.acts.includes("rename") && (
                  <Form method="post" action={`?${searchParams}`} className="flex w-full flex-wrap gap-2">
                    <input type="hidden" name="userId" value={m.id} />
                    <input type="hidden" name="intent" value="rename" />
                    <label className="sr-only" htmlFor={`name-${m.id}`}>
                      {accountsText.rename.label}
                    </label>
                    <input
                      id={`name-${m.id}`}
                      name="fullName"
                      defaultValue={renameError && result?.field?.userId === m.id ? result.field.fullName : m.fullName}
                      aria-invalid={renameError && result?.field?.userId === m.id ? true : undefined}
                      aria-describedby={renameError && result?.field?.userId === m.id ? `name-${m.id}-error` : undefined}
                      className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2"
                    />
                    <button type="submit" className={secondaryButtonClass}>
                      {accountsText.rename.button}
                    </button>
                    {renameError && result?.field?.userId === m.id && (
                      <p id={`name-${m.id}-error`} className="w-full text-sm font-semibold text-red-700">
                        {result.error}
                      </p>
                    )}
                  </Form>
                )}
                {isAdmin && m.acts.includes("set-role") && (
                  <Form method="post" action={`?${searchParams}`} className="flex gap-2">
                    <input type="hidden" name="userId" value={m.id} />
                    <input type="hidden" name="intent" value="set-role" />
                    <label className="sr-only" htmlFor={`role-${m.id}`}>
                      {t.organizer.role}
                    </label>
                    <select id={`role-${m.id}`} name="role" defaultValue={m.role} className="rounded-lg border border-slate-400 px-2">
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {t.organizer.roles[role]}
                        </option>
                      ))}
                    </select>
                    <button type="submit" className={secondaryButtonClass}>
                      {t.organizer.changeRole}
                    </button>
                  </Form>
                )}
              </div>
            )}
          </Card>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.organizer.members} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
