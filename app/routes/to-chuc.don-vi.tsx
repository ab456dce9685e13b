import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { parseForm } from "~/.server/forms.server";
import { now } from "~/.server/clock.server";
import { UPLOAD_BODY_LIMIT } from "~/.server/front-door.server";
import { applyUnitImport, previewUnitImport, readUnitFile, type Preview } from "~/.server/unit-import.server";
import { branchExists, listUnitsPage, mergeBranch, renameBranch } from "~/.server/units.server";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { Pager } from "~/components/ui/pager";
import { LineMessages } from "~/components/ui/line-messages";
import { Card } from "~/components/ui/card";
import { ID_PATTERN } from "~/domain/content/errors";
import { planHasChanges, type UnitPlan, type UnitRow } from "~/domain/unit-list";
import { unitListMessages, unitsText as u } from "~/i18n/units.vi";
import { t } from "~/i18n/vi";

/** The production server's front door refuses larger bodies before they reach here; this holds for any server. */
const MAX_FILE_BYTES = UPLOAD_BODY_LIMIT;
/** The confirmation carries the read rows back (a 2,000-branch list is about 200 KB). */
const MAX_FORM_BYTES = UPLOAD_BODY_LIMIT;
/** How many units of each kind the preview lists by name; the counts are always complete. */
const PREVIEW_ITEMS = 100;

const name = z
  .string()
  .default("")
  .transform((s) => s.replace(/\s+/g, " ").trim())
  .pipe(z.string().min(3, t.units.nameRequired).max(200));

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("rename"), branchId: z.string().min(1), name }),
  z.object({ intent: z.literal("merge"), branchId: z.string().min(1), intoId: z.string().trim().min(1, t.units.sameBranch) }),
]);

const code = z.string().regex(ID_PATTERN).nullable();
const unitName = z.string().min(1).max(200);
/** The rows the preview read, as carried by the confirmation form: checked again like a file. */
const CarriedRows = z.array(z.tuple([z.number().int().positive(), code, unitName, code, unitName.nullable()])).max(100_000);

const ConfirmSchema = z.object({
  fileName: z.string().max(300).default("don-vi"),
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  rows: z.string().transform((text, ctx) => {
    try {
      return CarriedRows.parse(JSON.parse(text));
    } catch {
      ctx.addIssue({ code: "custom", message: u.badPreview });
      return z.NEVER;
    }
  }),
  allowMoves: z.literal("on").optional(),
});

type PreviewData = {
  fileName: string;
  plan: UnitPlan;
  fingerprint: string;
  rows: string;
  ignoredColumns: string[];
};
type Reply = {
  message: string | null;
  error: string | null;
  errors: { line: number; message: string }[];
  preview: PreviewData | null;
};
const reply = (r: Partial<Reply>, status = 200) =>
  data({ message: null, error: null, errors: [], preview: null, ...r } satisfies Reply, { status });

const toCarried = (rows: UnitRow[]) =>
  JSON.stringify(rows.map((r) => [r.line, r.districtCode, r.districtName, r.branchCode, r.branchName]));
const fromCarried = (rows: z.infer<typeof CarriedRows>): UnitRow[] =>
  rows.map(([line, districtCode, districtName, branchCode, branchName]) => ({ line, districtCode, districtName, branchCode, branchName }));

function previewReply(
  preview: Preview,
  fileName: string,
  rows: string,
  ignoredColumns: string[],
  extra: Partial<Reply> = {},
  status = 200,
) {
  if (!preview.ok) return reply({ ...extra, errors: preview.errors }, 400);
  return reply({ ...extra, preview: { fileName, plan: preview.plan, fingerprint: preview.fingerprint, rows, ignoredColumns } }, status);
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const url = new URL(request.url);
  const page = Number.parseInt(url.searchParams.get("trang") ?? "1", 10);
  const q = (url.searchParams.get("q") ?? "").slice(0, 200);
  const list = listUnitsPage(getDb(), { q, districtId: url.searchParams.get("huyen") || null, page: Number.isFinite(page) ? page : 1 });
  return { ...list, q };
}

export async function action({ request }: ActionFunctionArgs) {
  const organizer = await requireRole(request, "organizer");
  if (Number(request.headers.get("Content-Length") ?? 0) > MAX_FORM_BYTES) return reply({ error: unitListMessages.tooLarge }, 413);
  const form = await request.formData();
  const db = getDb();
  const at = now();
  const intent = form.get("intent");

  if (intent === "preview" || intent === "import") {
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return reply({ error: t.units.noFile }, 400);
    if (file.size > MAX_FILE_BYTES) return reply({ error: unitListMessages.tooLarge }, 413);
    const fileName = file.name || "don-vi.csv";
    const reading = readUnitFile(fileName, new Uint8Array(await file.arrayBuffer()));
    if (!reading.ok) return reply({ errors: reading.errors }, 400);
    return previewReply(previewUnitImport(db, reading.rows), fileName, toCarried(reading.rows), reading.ignoredColumns);
  }

  if (intent === "confirm") {
    const parsed = ConfirmSchema.safeParse(Object.fromEntries(form));
    if (!parsed.success) return reply({ error: u.badPreview }, 400);
    const { fileName, fingerprint, allowMoves } = parsed.data;
    const rows = fromCarried(parsed.data.rows);
    const carried = toCarried(rows);
    const result = applyUnitImport(db, {
      rows,
      fingerprint,
      allowMoves: allowMoves === "on",
      fileName,
      actorUserId: organizer.id,
      now: at,
    });
    if (result.status === "changed") return previewReply(result.preview, fileName, carried, [], { error: u.changedSincePreview }, 409);
    if (result.status === "moves-need-consent")
      return previewReply(result.preview, fileName, carried, [], { error: u.allowMovesRequired }, 400);
    const { plan } = result;
    return reply({
      message: u.imported(
        plan.districts.added.length,
        plan.branches.added.length,
        plan.districts.renamed.length,
        plan.branches.renamed.length,
        plan.branches.moved.length,
      ),
    });
  }

  const parsed = parseForm(ActionSchema, form);
  if (!parsed.ok) return reply({ error: parsed.errors.name ?? parsed.errors.intoId ?? t.errors.generic }, 400);
  const input = parsed.data;
  if (!branchExists(db, input.branchId)) throw new Response(u.branchNotFound, { status: 404 });
  if (input.intent === "rename") {
    renameBranch(db, { branchId: input.branchId, name: input.name, actorUserId: organizer.id, now: at });
    return reply({ message: t.units.renamed(input.name) });
  }
  if (input.intoId === input.branchId) return reply({ error: t.units.sameBranch }, 400);
  const merged = mergeBranch(db, { fromId: input.branchId, intoId: input.intoId, actorUserId: organizer.id, now: at });
  if (!merged) return reply({ error: u.mergeTargetNotFound }, 400);
  return reply({ message: t.units.merged(merged.from, merged.into, merged.moved) });
}

/* ---------- the preview ---------- */

function Items<T>({ items, render }: { items: T[]; render: (item: T) => React.ReactNode }) {
  return (
    <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm">
      {items.slice(0, PREVIEW_ITEMS).map((item, i) => (
        <li key={i} className="break-words">
          {render(item)}
        </li>
      ))}
      {items.length > PREVIEW_ITEMS && <li className="list-none text-slate-700">{u.andMore(items.length - PREVIEW_ITEMS)}</li>}
    </ul>
  );
}

function Group({ title, tone = "plain", children }: { title: string; tone?: "plain" | "warn"; children?: React.ReactNode }) {
  return (
    <details
      open={tone === "warn"}
      className={`rounded-lg border p-2 ${tone === "warn" ? "border-amber-400 bg-amber-50" : "border-slate-200"}`}
    >
      <summary className="cursor-pointer font-semibold">{title}</summary>
      {children}
    </details>
  );
}

const line = (n: number) => <span className="text-slate-700">({u.lineShort(n)})</span>;

function ImportPreview({ preview }: { preview: PreviewData }) {
  const { plan } = preview;
  const changes = planHasChanges(plan);
  const movingBranches = plan.branches.moved.filter((b) => b.members > 0).length;
  return (
    <section id="unit-preview" className="mb-6 rounded-xl border-2 border-brand-700 bg-white p-4" aria-labelledby="preview-title">
      <h2 id="preview-title" className="mb-1 text-lg font-bold break-words">
        {u.previewTitle(preview.fileName)}
      </h2>
      <p className="mb-3 text-sm text-slate-700">{changes ? u.previewIntro : u.nothingToDo}</p>
      {preview.ignoredColumns.length > 0 && <p className="mb-2 text-sm text-slate-700">{u.ignoredColumns(preview.ignoredColumns)}</p>}
      <div className="space-y-2">
        {plan.districts.added.length > 0 && (
          <Group title={u.districtsAdded(plan.districts.added.length)}>
            <Items
              items={plan.districts.added}
              render={(d) => (
                <>
                  {d.name} <code>{d.id}</code> {line(d.line)}
                </>
              )}
            />
          </Group>
        )}
        {plan.districts.renamed.length > 0 && (
          <Group title={u.districtsRenamed(plan.districts.renamed.length)} tone="warn">
            <Items
              items={plan.districts.renamed}
              render={(d) => (
                <>
                  {u.renamedRow(d.from, d.name)} <code>{d.id}</code> {line(d.line)}
                </>
              )}
            />
          </Group>
        )}
        {plan.branches.added.length > 0 && (
          <Group title={u.branchesAdded(plan.branches.added.length)}>
            <Items
              items={plan.branches.added}
              render={(b) => (
                <>
                  {b.name} — {b.district.name} <code>{b.id}</code> {line(b.line)}
                  {b.sameNameIn && <span className="block text-amber-900">{u.sameNameElsewhere(b.sameNameIn)}</span>}
                </>
              )}
            />
          </Group>
        )}
        {plan.branches.renamed.length > 0 && (
          <Group title={u.branchesRenamed(plan.branches.renamed.length)} tone="warn">
            <Items
              items={plan.branches.renamed}
              render={(b) => (
                <>
                  {u.renamedRow(b.from, b.name)} <code>{b.id}</code> {line(b.line)}
                </>
              )}
            />
          </Group>
        )}
        {plan.branches.moved.length > 0 && (
          <Group title={u.branchesMoved(plan.branches.moved.length)} tone="warn">
            <Items
              items={plan.branches.moved}
              render={(b) => (
                <>
                  {u.movedRow(b.name, b.from.name, b.to.name, b.members)} {line(b.line)}
                </>
              )}
            />
          </Group>
        )}
        {plan.branches.merged.length > 0 && (
          <Group title={u.branchesMerged(plan.branches.merged.length)}>
            <Items
              items={plan.branches.merged}
              render={(b) => (
                <>
                  {u.mergedRow(b.name, b.into.name)} {line(b.line)}
                </>
              )}
            />
          </Group>
        )}
        {plan.districts.missing.length > 0 && (
          <Group title={u.districtsMissing(plan.districts.missing.length)}>
            <Items
              items={plan.districts.missing}
              render={(d) => (
                <>
                  {d.name} <code>{d.id}</code>
                </>
              )}
            />
          </Group>
        )}
        {plan.branches.missing.length > 0 && (
          <Group title={u.branchesMissing(plan.branches.missing.length)}>
            <Items
              items={plan.branches.missing}
              render={(b) => (
                <>
                  {b.name} — {b.district.name} <code>{b.id}</code> · {u.membersShort(b.members)}
                </>
              )}
            />
          </Group>
        )}
        <p className="text-sm text-slate-700">{u.unchanged(plan.districts.unchanged, plan.branches.unchanged)}</p>
      </div>
      {changes && (
        <Form method="post" encType="multipart/form-data" className="mt-4 space-y-3">
          <input type="hidden" name="fileName" value={preview.fileName} />
          <input type="hidden" name="fingerprint" value={preview.fingerprint} />
          <input type="hidden" name="rows" value={preview.rows} />
          {plan.membersMoving > 0 && (
            <label className="flex items-start gap-2 rounded-lg border border-amber-400 bg-amber-50 p-2 text-sm">
              <input type="checkbox" name="allowMoves" className="mt-1 h-5 w-5 shrink-0" />
              <span>{u.allowMoves(movingBranches, plan.membersMoving)}</span>
            </label>
          )}
          <div className="flex flex-wrap gap-2">
            <button type="submit" name="intent" value="confirm" className={buttonClass}>
              {u.confirm}
            </button>
            <Link to="/to-chuc/don-vi" className={secondaryButtonClass}>
              {u.cancel}
            </Link>
          </div>
        </Form>
      )}
    </section>
  );
}

/* ---------- the page ---------- */

/** The list's pages, keeping the search and the district. */
function UnitPager({ page, pages, q, districtId }: { page: number; pages: number; q: string; districtId: string | null }) {
  const href = (p: number) => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    if (districtId) params.set("huyen", districtId);
    params.set("trang", String(p));
    return `?${params.toString()}`;
  };
  return <Pager page={page} pages={pages} href={href} />;
}

export default function UnitsPage() {
  const list = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const query = { q: list.q, huyen: list.district?.id ?? "" };
  return (
    <div>
      <BackLink to="/to-chuc">{t.organizer.title}</BackLink>
      <h1 className="mb-4 text-2xl font-bold">{t.units.title}</h1>
      <FormError message={result?.error} />
      <FormSuccess message={result?.message} />
      {result && <LineMessages id="unit-errors" title={t.organizer.errorsTitle(result.errors.length)} items={result.errors} />}
      {result?.preview && <ImportPreview preview={result.preview} />}

      <Card className="mb-6" aria-labelledby="import-title">
        <h2 id="import-title" className="mb-1 font-bold">
          {t.units.importTitle}
        </h2>
        <p className="mb-3 text-sm text-slate-700">{u.importHint}</p>
        <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-2">
          <label className="block w-full font-semibold" htmlFor="units-file">
            {u.file}
          </label>
          <input
            id="units-file"
            name="file"
            type="file"
            accept=".xlsx,.csv,.md,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv,text/markdown,text/plain"
            className="min-w-0 flex-1 text-sm"
          />
          <button type="submit" name="intent" value="preview" className={buttonClass} disabled={busy}>
            {u.preview}
          </button>
        </Form>
      </Card>

      <Form method="get" className="mb-4 flex flex-wrap items-end gap-2" role="search">
        <div className="min-w-0 flex-[2_1_12rem]">
          <label htmlFor="units-q" className="mb-1 block text-sm font-semibold">
            {u.search}
          </label>
          <input
            id="units-q"
            name="q"
            type="search"
            defaultValue={query.q}
            className="w-full rounded-lg border border-slate-400 px-3 py-2"
          />
        </div>
        {list.districtOptions.length > 0 ? (
          <div className="min-w-0 flex-[1_1_10rem]">
            <label htmlFor="units-district" className="mb-1 block text-sm font-semibold">
              {u.districtFilter}
            </label>
            <select
              id="units-district"
              name="huyen"
              defaultValue={query.huyen}
              className="w-full rounded-lg border border-slate-400 px-2 py-2"
            >
              <option value="">{u.allDistricts}</option>
              {list.districtOptions.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
        ) : (
          list.district && <input type="hidden" name="huyen" value={list.district.id} />
        )}
        <button type="submit" className={secondaryButtonClass}>
          {u.searchButton}
        </button>
      </Form>

      {list.view === "districts" ? (
        <section aria-labelledby="districts-title">
          <h2 id="districts-title" className="mb-2 text-lg font-bold">
            {u.districtsTitle(list.total)}
          </h2>
          <Card as="ul" padding="none" className="divide-y divide-slate-200">
            {list.districts.map((d) => (
              <li key={d.id} className="p-3">
                <Link to={`?huyen=${encodeURIComponent(d.id)}`} className="font-semibold text-brand-700 underline">
                  {d.name}
                </Link>{" "}
                <code className="text-sm text-slate-700">{d.id}</code>
                <p className="text-sm text-slate-700">{u.districtSummary(d.branches, d.members)}</p>
              </li>
            ))}
          </Card>
          <UnitPager page={list.page} pages={list.pages} q={list.q} districtId={null} />
        </section>
      ) : (
        <BranchList list={list} />
      )}
    </div>
  );
}

function BranchList({ list }: { list: ReturnType<typeof useLoaderData<typeof loader>> }) {
  return (
    <section aria-labelledby="branches-title">
      {list.district && (
        <p className="mb-2">
          <Link to="/to-chuc/don-vi" className="text-brand-700 underline">
            {u.backToAll}
          </Link>
        </p>
      )}
      {list.districts.length > 0 && (
        <ul className="mb-3 space-y-1">
          {list.districts.map((d) => (
            <li key={d.id}>
              <Link to={`?huyen=${encodeURIComponent(d.id)}`} className="font-semibold text-brand-700 underline">
                {d.name}
              </Link>{" "}
              <span className="text-sm text-slate-700">· {u.membersShort(d.members)}</span>
            </li>
          ))}
        </ul>
      )}
      <h2 id="branches-title" className="mb-2 text-lg font-bold">
        {list.district ? `${list.district.name} · ` : ""}
        {u.branchesTitle(list.total)}
      </h2>
      {list.total === 0 && list.districts.length === 0 && <p className="text-slate-700">{u.noMatch}</p>}
      {list.mergeTargets.length > 0 && (
        <datalist id="merge-targets">
          {list.mergeTargets.map((target) => (
            <option key={target.id} value={target.id}>
              {target.name}
            </option>
          ))}
        </datalist>
      )}
      <Card as="ul" padding="none" className="divide-y divide-slate-200">
        {list.branches.map((branch) => (
          <li key={branch.id} className="p-3">
            <p className={branch.mergedInto ? "break-words text-slate-600 line-through" : "break-words font-semibold"}>{branch.name}</p>
            <p className="text-sm text-slate-700">
              <code>{branch.id}</code> · {branch.districtName} · {t.units.members(branch.members)}
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
                  <input
                    id={`name-${branch.id}`}
                    name="name"
                    defaultValue={branch.name}
                    className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2"
                  />
                  <button type="submit" name="intent" value="rename" className={secondaryButtonClass}>
                    {t.units.rename}
                  </button>
                </Form>
                <Form method="post" className="mt-2 flex flex-wrap gap-2">
                  <input type="hidden" name="branchId" value={branch.id} />
                  <label className="block w-full text-sm font-semibold" htmlFor={`into-${branch.id}`}>
                    {u.mergeInto}
                  </label>
                  <p id={`into-hint-${branch.id}`} className="w-full text-sm text-slate-700">
                    {u.mergeIntoHint} {t.units.mergeHint}
                  </p>
                  <input
                    id={`into-${branch.id}`}
                    name="intoId"
                    aria-describedby={`into-hint-${branch.id}`}
                    list={list.mergeTargets.length > 0 ? "merge-targets" : undefined}
                    autoComplete="off"
                    className="min-w-0 flex-1 rounded-lg border border-slate-400 px-3 py-2"
                  />
                  <button type="submit" name="intent" value="merge" className={secondaryButtonClass}>
                    {t.units.merge}
                  </button>
                </Form>
              </details>
            )}
          </li>
        ))}
      </Card>
      <UnitPager page={list.page} pages={list.pages} q={list.q} districtId={list.district?.id ?? null} />
    </section>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.units.title} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
