import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/.server/db.server";
import { AUDIT_KINDS, AuditQuerySchema, auditPage, resolveAuditFilter } from "~/.server/audit-log.server";
import { requireRole } from "~/.server/auth/session.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, SelectField, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { Pager } from "~/components/ui/pager";
import { formatNumber } from "~/domain/format";
import { historyStrings } from "~/i18n/history.vi";
import { t } from "~/i18n/vi";
import { Card, cardClass } from "~/components/ui/card";

const s = historyStrings.audit;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "organizer", "judge");
  const db = getDb();
  const url = new URL(request.url);
  const query = AuditQuerySchema.parse(Object.fromEntries(url.searchParams));
  const { filter, errors } = resolveAuditFilter(db, { kind: query.loai, id: query.ma, person: query.nguoi, from: query.tu, to: query.den });
  const form = { loai: query.loai ?? "", ma: query.ma ?? "", nguoi: query.nguoi ?? "", tu: query.tu ?? "", den: query.den ?? "" };
  if (Object.keys(errors).length > 0) {
    // Nothing is listed under a filter that cannot be read: the form says which field is wrong.
    return data(
      { kinds: [...AUDIT_KINDS], form, errors, timezone: filter.timezone, total: 0, page: 1, pages: 1, entries: [] },
      { status: 400 },
    );
  }
  const result = auditPage(db, filter, query.trang);
  return { kinds: [...AUDIT_KINDS], form, errors, timezone: filter.timezone, ...result };
}

function hrefWith(form: Record<string, string>, changes: Record<string, string | number>) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...form, ...changes })) {
    if (value !== "" && !(key === "trang" && value === 1)) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : "?";
}

export default function AuditPage() {
  const { kinds, form, errors, timezone, total, page, pages, entries } = useLoaderData<typeof loader>();
  const csvQuery = hrefWith(form, {});
  return (
    <div>
      <BackLink to="/">{t.site.name}</BackLink>
      <h1 className="mb-2 text-2xl font-bold">{s.title}</h1>
      <p className="mb-4 text-slate-800">{s.intro}</p>

      <Form method="get" className={cardClass("tight", "mb-4")} aria-label={s.filters}>
        <SelectField label={s.subjectKind} name="loai" defaultValue={form.loai} error={errors.kind}>
          <option value="">{s.anyKind}</option>
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {s.kinds[kind]}
            </option>
          ))}
        </SelectField>
        <Field label={s.subjectId} name="ma" defaultValue={form.ma} hint={s.subjectIdHint} error={errors.id} />
        <Field label={s.person} name="nguoi" defaultValue={form.nguoi} inputMode="tel" autoComplete="off" error={errors.person} />
        <div className="grid gap-x-3 sm:grid-cols-2">
          <Field label={s.from} name="tu" defaultValue={form.tu} placeholder="01/10/2024" inputMode="numeric" error={errors.from} />
          <Field label={s.to} name="den" defaultValue={form.den} placeholder="31/10/2024" inputMode="numeric" error={errors.to} />
        </div>
        <p className="mb-3 text-sm text-slate-700">{s.timezoneNote(timezone)}</p>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className={buttonClass}>
            {s.apply}
          </button>
          <Link to="?" className={secondaryButtonClass}>
            {s.clear}
          </Link>
        </div>
      </Form>

      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="font-semibold">{s.count(formatNumber(total))}</p>
        {total > 0 && (
          <a href={`/to-chuc/nhat-ky/tai${csvQuery === "?" ? "" : csvQuery}`} className={secondaryButtonClass} download>
            {s.downloadCsv}
          </a>
        )}
      </div>

      {entries.length === 0 ? (
        <p className="rounded-lg bg-white p-3">{s.empty}</p>
      ) : (
        <ol className="space-y-3">
          {entries.map((entry) => (
            <Card as="li" key={entry.id} padding="tight">
              <p className="text-sm text-slate-700">
                <time>{entry.at}</time> · {entry.actor}
                {entry.actorPhone && <span className="tabular-nums"> ({entry.actorPhone})</span>}
              </p>
              <p className="font-semibold">{entry.action}</p>
              <p className="break-words text-sm">
                {entry.kindLabel}:{" "}
                {entry.subjectId ? (
                  <Link to={hrefWith({}, { loai: entry.kind, ma: entry.subjectId })} className="text-brand-700 underline">
                    {entry.subject}
                  </Link>
                ) : (
                  entry.subject
                )}
              </p>
              {entry.changes.length > 0 && (
                <ul className="mt-1 space-y-0.5 text-sm" aria-label={s.change}>
                  {entry.changes.map((c, i) => (
                    <li key={i} className="break-words">
                      <span className="font-semibold">{c.field}:</span> <del className="text-red-800">{c.before}</del>
                      {s.arrow}
                      <ins className="text-green-800 no-underline">{c.after}</ins>
                    </li>
                  ))}
                </ul>
              )}
              {entry.notes.length > 0 && (
                <ul className="mt-1 text-sm text-slate-800">
                  {entry.notes.map((note, i) => (
                    <li key={i} className="break-words">
                      {note}
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          ))}
        </ol>
      )}

      <Pager page={page} pages={pages} href={(trang) => hrefWith(form, { trang })} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${s.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
