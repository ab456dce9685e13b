import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "../../db/client";
import { requireRole } from "~/.server/auth/session.server";
import { now } from "~/.server/clock.server";
import { importUnitsFile, listUnits, mergeBranch, renameBranch } from "~/.server/units.server";
import { ContentMessage } from "~/components/content-message";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { t } from "~/i18n/vi";

const MAX_BYTES = 1024 * 1024;
const name = z
  .string()
  .default("")
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(z.string().min(3, t.units.nameRequired).max(200));

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("rename"), branchId: z.string().min(1), name }),
  z.object({ intent: z.literal("merge"), branchId: z.string().min(1), intoId: z.string().min(1, t.units.sameBranch) }),
]);

type Reply = { message: string | null; error: string | null; errors: { line: number; message: string }[] };
const reply = (r: Partial<Reply>, status = 200) => data({ message: null, error: null, errors: [], ...r } satisfies Reply, { status });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  return { districts: listUnits(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireRole(request, "organizer");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_BYTES * 2) return reply({ error: t.organizer.tooLarge }, 413);
  const form = await request.formData();
  const db = getDb();
  const at = now();
  if (form.get("intent") === "import") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return reply({ error: t.units.noFile }, 400);
    if (file.size > MAX_BYTES) return reply({ error: t.organizer.tooLarge }, 413);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      return reply({ error: t.organizer.notText }, 400);
    }
    const result = importUnitsFile(db, file.name || "don-vi.csv", text, { now: at, actorUserId: organizer.id });
    if (!result.ok) return reply({ errors: result.errors.map((e) => ({ line: e.line, message: e.message })) }, 400);
    const s = result.summary;
    return reply({ message: t.units.imported(s.districts.created, s.branches.created, s.districts.updated, s.branches.updated) });
  }
  const parsed = ActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const issues = z.flattenError(parsed.error).fieldErrors as Partial<Record<string, string[]>>;
    return reply({ error: issues.name?.[0] ?? issues.intoId?.[0] ?? t.errors.generic }, 400);
  }
  const input = parsed.data;
  if (input.intent === "rename") {
    renameBranch(db, { branchId: input.branchId, name: input.name, actorUserId: organizer.id, now: at });
    return reply({ message: t.units.renamed(input.name) });
  }
  if (input.intoId === input.branchId) return reply({ error: t.units.sameBranch }, 400);
  const merged = mergeBranch(db, { fromId: input.branchId, intoId: input.intoId, actorUserId: organizer.id, now: at });
  if (!merged) return reply({ error: t.units.sameBranch }, 400);
  return reply({ message: t.units.merged(merged.from, merged.into, merged.moved) });
}

export default function UnitsPage() {
  const { districts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const targets = districts.flatMap((d) => d.branches.filter((b) => !b.mergedInto).map((b) => ({ ...b, district: d.name })));
  return (
    <div>
      <p className="mb-2">
        <Link to="/to-chuc" className="text-brand-700 underline">
          ← {t.organizer.title}
        </Link>
      </p>
      <h1 className="mb-4 text-2xl font-bold">{t.units.title}</h1>
      <FormError message={result?.error} />
      <FormSuccess message={result?.message} />
      {result && result.errors.length > 0 && (
        <section id="unit-errors" className="mb-4 rounded-xl border border-red-300 bg-red-50 p-3" aria-label={t.organizer.errorsTitle(result.errors.length)}>
          <h2 className="mb-2 font-bold text-red-900">{t.organizer.errorsTitle(result.errors.length)}</h2>
          <ul className="space-y-1 text-sm">
            {result.errors.map((e, i) => (
              <li key={i}>
                <strong>{t.organizer.line(e.line)}:</strong> <ContentMessage text={e.message} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="mb-6 rounded-xl border border-slate-200 bg-white p-4" aria-labelledby="import-title">
        <h2 id="import-title" className="mb-1 font-bold">
          {t.units.importTitle}
        </h2>
        <p className="mb-3 text-sm text-slate-700">{t.units.importHint}</p>
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-2">
          <label className="block w-full font-semibold" htmlFor="units-file">
            {t.units.file}
          </label>
          <input id="units-file" name="file" type="file" accept=".csv,.md,text/csv,text/markdown,text/plain" className="min-w-0 flex-1 text-sm" />
          <button type="submit" name="intent" value="import" className={buttonClass}>
            {t.units.import}
          </button>
        </Form>
      </section>

      {districts.map((district) => (
        <section key={district.id} className="mb-4 rounded-xl border border-slate-200 bg-white p-4" aria-label={district.name}>
          <h2 className="mb-2 font-bold">
            {district.name} <code className="text-sm font-normal text-slate-700">{district.id}</code>
          </h2>
          <ul className="divide-y divide-slate-200">
            {district.branches.map((branch) => (
              <li key={branch.id} className="py-2">
                <p className={branch.mergedInto ? "text-slate-600 line-through" : "font-semibold"}>{branch.name}</p>
                <p className="text-sm text-slate-700">
                  <code>{branch.id}</code> · {t.units.members(branch.members)}
                  {branch.mergedInto && ` · ${t.units.mergedInto(branch.mergedInto)}`}
                </p>
                {!branch.mergedInto && (
                  <details className="mt-1">
                    <summary className="cursor-pointer text-sm font-semibold text-brand-700">
                      {t.units.rename} / {t.units.merge}
                    </summary>
                    <Form method="post" className="mt-2 flex flex-wrap gap-2">
                      <input type="hidden" name="branchId" value={branch.id} />
                      <label className="sr-only" htmlFor={`name-${branch.id}`}>
                        {t.units.newName}
                      </label>
                      <input id={`name-${branch.id}`} name="name" defaultValue={branch.name} className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2" />
                      <button type="submit" name="intent" value="rename" className={secondaryButtonClass}>
                        {t.units.rename}
                      </button>
                    </Form>
                    <Form method="post" className="mt-2 flex flex-wrap gap-2">
                      <input type="hidden" name="branchId" value={branch.id} />
                      <label className="block w-full text-sm" htmlFor={`into-${branch.id}`}>
                        {t.units.mergeTarget} — {t.units.mergeHint}
                      </label>
                      <select id={`into-${branch.id}`} name="intoId" defaultValue="" className="min-w-0 flex-1 rounded-lg border border-slate-400 px-2 py-2">
                        <option value="">—</option>
                        {targets
                          .filter((target) => target.id !== branch.id)
                          .map((target) => (
                            <option key={target.id} value={target.id}>
                              {target.name} ({target.district})
                            </option>
                          ))}
                      </select>
                      <button type="submit" name="intent" value="merge" className={secondaryButtonClass}>
                        {t.units.merge}
                      </button>
                    </Form>
                  </details>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.units.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
