import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "../../db/client";
import type { Role } from "../../db/schema";
import { hashPassword } from "~/.server/auth/password.server";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { getMember, searchMembers, SEARCH_LIMIT, setActive, setRole, setTemporaryPassword, temporaryPassword } from "~/.server/members.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { t } from "~/i18n/vi";

const ROLES = ["member", "organizer", "judge", "admin"] as const satisfies readonly Role[];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("reset-password"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("set-role"), userId: z.string().min(1), role: z.enum(ROLES) }),
  z.object({ intent: z.literal("deactivate"), userId: z.string().min(1) }),
  z.object({ intent: z.literal("activate"), userId: z.string().min(1) }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireRole(request, "organizer");
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const found = searchMembers(getDb(), q);
  return { q, isAdmin: me.role === "admin", myId: me.id, members: found.slice(0, SEARCH_LIMIT), more: found.length > SEARCH_LIMIT };
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requireRole(request, "organizer");
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: t.errors.generic, message: null, password: null }, { status: 400 });
  const input = parsed.data;
  const db = getDb();
  const member = getMember(db, input.userId);
  if (!member) return data({ error: t.organizer.memberNotFound, message: null, password: null }, { status: 404 });
  // Organizers manage members; only an admin touches roles, and nobody locks out an admin or themselves.
  if (member.id === me.id || (member.role === "admin" && me.role !== "admin")) {
    return data({ error: t.organizer.notOnAdmins, message: null, password: null }, { status: 403 });
  }
  const at = now();
  switch (input.intent) {
    case "reset-password": {
      const password = temporaryPassword();
      setTemporaryPassword(db, { userId: member.id, passwordHash: await hashPassword(password), actorUserId: me.id, now: at });
      return data({ error: null, message: t.organizer.tempPassword(member.fullName, password), password });
    }
    case "set-role":
      if (me.role !== "admin") return data({ error: t.organizer.onlyAdmin, message: null, password: null }, { status: 403 });
      setRole(db, { userId: member.id, role: input.role, actorUserId: me.id, now: at });
      return data({ error: null, message: t.organizer.roleChanged(member.fullName, t.organizer.roles[input.role]), password: null });
    case "deactivate":
    case "activate":
      setActive(db, { userId: member.id, active: input.intent === "activate", actorUserId: me.id, now: at });
      return data({
        error: null,
        message: input.intent === "activate" ? t.organizer.activated(member.fullName) : t.organizer.deactivated(member.fullName),
        password: null,
      });
  }
}

export default function MembersPage() {
  const { q, members, more, isAdmin, myId } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  return (
    <div>
      <p className="mb-2">
        <Link to="/to-chuc" className="text-brand-700 underline">
          ← {t.organizer.title}
        </Link>
      </p>
      <h1 className="mb-3 text-2xl font-bold">{t.organizer.membersTitle}</h1>
      <Form method="get" className="mb-4 flex gap-2" role="search">
        <label htmlFor="q" className="sr-only">
          {t.organizer.search}
        </label>
        <input id="q" name="q" defaultValue={q} placeholder={t.organizer.search} className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2.5" />
        <button type="submit" className={buttonClass}>
          {t.organizer.searchButton}
        </button>
      </Form>
      <FormError message={result?.error} />
      <FormSuccess message={result?.message} />
      {q && members.length === 0 && <p>{t.organizer.noMembers}</p>}
      {more && <p className="mb-2 text-sm">{t.organizer.tooMany(members.length)}</p>}
      <ul className="space-y-3">
        {members.map((m) => (
          <li key={m.id} className="rounded-xl border border-slate-200 bg-white p-3">
            <p className="font-semibold">
              {m.fullName} · <span className="tabular-nums">{m.phone}</span>
              {!m.active && <span className="ml-2 rounded bg-slate-200 px-1.5 text-sm">{t.organizer.inactive}</span>}
            </p>
            <p className="text-sm text-slate-700">
              {m.branch} · {m.district} · {t.organizer.roles[m.role]}
            </p>
            {m.id !== myId && (m.role !== "admin" || isAdmin) && (
              <div className="mt-2 flex flex-wrap gap-2">
                <Form method="post" action={`?${searchParams}`}>
                  <input type="hidden" name="userId" value={m.id} />
                  <button type="submit" name="intent" value="reset-password" className={secondaryButtonClass}>
                    {t.organizer.resetPassword}
                  </button>
                </Form>
                <Form method="post" action={`?${searchParams}`}>
                  <input type="hidden" name="userId" value={m.id} />
                  <button type="submit" name="intent" value={m.active ? "deactivate" : "activate"} className={secondaryButtonClass}>
                    {m.active ? t.organizer.deactivate : t.organizer.activate}
                  </button>
                </Form>
                {isAdmin && (
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
          </li>
        ))}
      </ul>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.organizer.members} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
