import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "~/.server/db.server";
import { requireRole } from "~/.server/auth/session.server";
import { listBanks } from "~/.server/banks.server";
import { now } from "~/.server/clock.server";
import { BROWSER_FILE, contestForEdit, saveContest } from "~/.server/contest-admin.server";
import { publicOrigin } from "~/.server/env.server";
import { parseForm, type FieldErrors } from "~/.server/forms.server";
import { EmbedSection, parseEmbedOriginsField } from "~/components/embed-section";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormError, FormSuccess, buttonClass, secondaryButtonClass } from "~/components/ui/field";
import { BackLink } from "~/components/ui/back-link";
import { parseSignerLines, signerLines } from "~/domain/certificates";
import { REVIEW_AFTER, SHOW_SCORE, type Contest } from "~/domain/content/contest";
import { ID_PATTERN } from "~/domain/content/errors";
import { embedPath, embedSnippet } from "~/domain/embed";
import { firstOpenedAt } from "~/domain/contest-rules";
import { DEFAULT_RANKING } from "~/domain/ranking";
import { DEFAULT_TIMEZONE, formatDateTime, formatLocalDateTime, isValidTimezone, parseLocalDateTime } from "~/domain/time";
import { contestRulesUi } from "~/i18n/contest-rules.vi";
import { printVi } from "~/i18n/print.vi";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { t } from "~/i18n/vi";
import { Card } from "~/components/ui/card";

const NEW = "moi";
const m = t.contestAdmin;

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: m.badNumber(min, max) })
    .int(m.badNumber(min, max))
    .min(min, m.badNumber(min, max))
    .max(max, m.badNumber(min, max));
const checkbox = z.preprocess((v) => v === "on" || v === "1", z.boolean());

const SettingsSchema = z.object({
  intent: z.literal("settings"),
  id: z.string().trim().optional(),
  title: z.string().trim().min(1, m.nameRequired).max(300),
  timezone: z.string().trim().refine(isValidTimezone, m.badTimezone),
  timeLimitMinutes: int(1, 600),
  questionsPerAttempt: int(1, 200),
  attemptsPerRound: int(1, 100),
  prediction: checkbox,
  liveStandings: checkbox,
  onePrizePerPerson: checkbox,
  minPrizeScore: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      if (!s) return null;
      if (!/^\d{1,4}$/.test(s) || Number(s) > 1000) {
        ctx.addIssue({ code: "custom", message: contestRulesUi.badMinPrizeScore });
        return z.NEVER;
      }
      return Number(s);
    }),
  // Absent (an older form): the contest keeps what it had.
  reviewAfter: z.enum(REVIEW_AFTER, { error: secrecyStrings.editor.badChoice }).optional(),
  showScore: z.enum(SHOW_SCORE, { error: secrecyStrings.editor.badChoice }).optional(),
  practice: checkbox,
  rulesMarkdown: z
    .string()
    .max(100_000)
    .transform((s) => s.replace(/\r\n/g, "\n").trim()),
  prizes: z
    .string()
    .max(5000)
    .transform((s, ctx) => {
      const tiers: { name: string; count: number }[] = [];
      for (const line of s
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean)) {
        const match = /^(.+?)\s*:\s*(\d{1,5})$/.exec(line);
        if (!match || Number(match[2]) < 1) {
          ctx.addIssue({ code: "custom", message: m.badPrizes });
          return z.NEVER;
        }
        tiers.push({ name: match[1]!, count: Number(match[2]) });
      }
      return tiers;
    }),
  // Absent (an older form): the contest keeps its signers.
  certificateSigners: z
    .string()
    .max(2000)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return undefined;
      const parsed = parseSignerLines(s);
      if ("error" in parsed) {
        ctx.addIssue({ code: "custom", message: parsed.error });
        return z.NEVER;
      }
      return parsed.signers;
    }),
});

/**
 * A round's form, read in the contest's timezone: its times, and a quota per bank from the
 * `bank.<id>` fields (empty = none). Errors are named after the round's fields.
 */
function roundSchema(timezone: string) {
  return z
    .looseObject({
      intent: z.enum(["save-round", "add-round", "remove-round"], { error: t.errors.generic }),
      number: int(1, 1000),
      title: z.string().trim().max(200).optional(),
      opens: z.string().optional(),
      closes: z.string().optional(),
    })
    .transform((form, ctx) => {
      const { intent, number } = form;
      if (intent === "remove-round") return { intent, number, round: null };
      const refuse = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [`rounds.${number}.${field}`], message });
      const opensAt = parseLocalDateTime(form.opens ?? "", timezone);
      const closesAt = parseLocalDateTime(form.closes ?? "", timezone);
      if (opensAt === null) refuse("opens", m.badTime);
      if (closesAt === null) refuse("closes", m.badTime);
      const quotas = Object.entries(form)
        .filter(([key]) => key.startsWith("bank."))
        .map(([key, value]) => ({ bankId: key.slice(5), raw: String(value).trim() }));
      for (const q of quotas) if (q.raw !== "" && !/^\d{1,4}$/.test(q.raw)) refuse(`bank.${q.bankId}`, m.badNumber(0, 9999));
      if (opensAt === null || closesAt === null || ctx.issues.length > 0) return z.NEVER;
      const round = {
        number,
        title: form.title || `Tuần thứ ${number}`,
        opensAt,
        closesAt,
        quotas: quotas.map((q) => ({ bankId: q.bankId, questionCount: Number(q.raw || 0), line: 0 })),
        line: 0,
      };
      return { intent, number, round };
    });
}

type Errors = FieldErrors;

/** Each refusal next to its field; two on one field are read one after the other. */
function fieldErrors(violations: { field: string; message: string }[]): Errors {
  const errors: Errors = {};
  for (const v of violations) errors[v.field] = errors[v.field] ? `${errors[v.field]} ${v.message}` : v.message;
  return errors;
}

/** Settings fields that show their own error; any other refusal is listed at the top of the page. */
const SETTINGS_FIELDS = new Set([
  "id",
  "title",
  "timezone",
  "timeLimitMinutes",
  "questionsPerAttempt",
  "attemptsPerRound",
  "prediction",
  "liveStandings",
  "onePrizePerPerson",
  "minPrizeScore",
  "prizes",
  "rulesMarkdown",
  "certificateSigners",
  "embedOrigins",
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "organizer");
  const db = getDb();
  const banks = listBanks(db).map((b) => ({ id: b.id, title: b.title, questionCount: b.questionCount }));
  const at = now();
  if (params.contestId === NEW) return { contest: null, banks, now: at, embed: null };
  const contest = contestForEdit(db, params.contestId ?? "");
  if (!contest) throw new Response(t.errors.notFound, { status: 404 });
  const tz = contest.timezone;
  const lockedSince = firstOpenedAt(contest, at);
  return {
    now: at,
    banks,
    embed: {
      path: embedPath(contest.id),
      snippet: embedSnippet(publicOrigin(request), contest.id, contest.title),
      originsText: (contest.embedOrigins ?? []).join("\n"),
    },
    contest: {
      ...contest,
      lockedNote: lockedSince === null ? null : contestRulesUi.lockedNote(formatDateTime(lockedSince, tz)),
      fromFile: contest.file !== BROWSER_FILE,
      prizesText: contest.prizes.map((p) => `${p.name}: ${p.count}`).join("\n"),
      signersText: signerLines(contest.certificateSigners ?? []),
      rounds: contest.rounds.map((r) => ({
        number: r.number,
        title: r.title,
        opens: formatLocalDateTime(r.opensAt, tz),
        closes: formatLocalDateTime(r.closesAt, tz),
        opened: r.opensAt <= at,
        closed: r.closesAt <= at,
        quotas: Object.fromEntries(r.quotas.map((q) => [q.bankId, q.questionCount])),
      })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const organizer = await requireRole(request, "organizer");
  const db = getDb();
  const form = await request.formData();
  const at = now();
  const fail = (errors: Errors, status = 400) => data({ errors, saved: false }, { status });
  const isNew = params.contestId === NEW;
  const before = isNew ? null : contestForEdit(db, params.contestId ?? "");
  if (!isNew && !before) throw new Response(t.errors.notFound, { status: 404 });

  if (form.get("intent") === "settings") {
    const parsed = parseForm(SettingsSchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    const s = parsed.data;
    if (s.practice && s.prizes.length > 0) return fail({ prizes: secrecyStrings.editor.practiceWithPrizes });
    const id = isNew ? (s.id ?? "") : before!.id;
    if (isNew) {
      if (!ID_PATTERN.test(id)) return fail({ id: m.badId });
      if (contestForEdit(db, id)) return fail({ id: m.idTaken });
    }
    const after: Contest = {
      ...(before ?? {
        file: BROWSER_FILE,
        id,
        idLine: 1,
        predictionTarget: "participants" as const,
        rankingOrder: DEFAULT_RANKING,
        rounds: [],
      }),
      title: s.title,
      timezone: s.timezone,
      rulesMarkdown: s.rulesMarkdown,
      timeLimitSeconds: s.timeLimitMinutes * 60,
      questionsPerAttempt: s.questionsPerAttempt,
      attemptsPerRound: s.attemptsPerRound,
      predictionEnabled: s.prediction,
      liveStandings: s.liveStandings,
      onePrizePerPerson: s.onePrizePerPerson,
      minPrizeScore: s.minPrizeScore,
      reviewAfter: s.reviewAfter ?? before?.reviewAfter ?? "questions-unused",
      showScore: s.showScore ?? before?.showScore ?? "immediately",
      practice: s.practice,
      prizes: s.prizes,
      certificateSigners: s.certificateSigners ?? before?.certificateSigners ?? [],
    };
    const violations = saveContest(db, { before, after, now: at, actorUserId: organizer.id, change: isNew ? "create" : "settings" });
    if (violations.length > 0) return fail(fieldErrors(violations), 409);
    if (isNew) return redirect(`/to-chuc/cuoc-thi/${id}`);
    return data({ errors: {} as Errors, saved: true });
  }

  if (!before) return fail({ form: t.errors.generic });
  if (form.get("intent") === "embed") {
    // Which partner sites may frame the contest's embed (/nhung/<contest>): one origin a line.
    const origins = parseEmbedOriginsField(form.get("embedOrigins") ?? undefined);
    if (!origins.ok) return fail({ embedOrigins: origins.message });
    const violations = saveContest(db, {
      before,
      after: { ...before, embedOrigins: origins.origins },
      now: at,
      actorUserId: organizer.id,
      change: "embed",
    });
    if (violations.length > 0) return fail(fieldErrors(violations), 409);
    return data({ errors: {} as Errors, saved: true });
  }

  const parsed = parseForm(roundSchema(before.timezone), form);
  if (!parsed.ok) {
    // A round's own fields show their errors; a broken form (no intent, no number) says so once.
    const roundFields = Object.entries(parsed.errors).filter(([key]) => key.startsWith("rounds."));
    return fail(roundFields.length > 0 ? Object.fromEntries(roundFields) : { form: t.errors.generic });
  }
  const { intent, number, round } = parsed.data;
  const rounds = round ? [...before.rounds.filter((r) => r.number !== number), round] : before.rounds.filter((r) => r.number !== number);
  const after: Contest = { ...before, rounds };
  const violations = saveContest(db, { before, after, now: at, actorUserId: organizer.id, change: intent });
  if (violations.length > 0) return fail(fieldErrors(violations), 409);
  return data({ errors: {} as Errors, saved: true });
}

function RoundFields({
  round,
  banks,
  errors,
}: {
  round: { number: number; title: string; opens: string; closes: string; opened: boolean; closed: boolean; quotas: Record<string, number> };
  banks: { id: string; title: string; questionCount: number }[];
  errors: Errors;
}) {
  const e = (name: string) => errors[`rounds.${round.number}.${name}`];
  const input = "block w-full rounded-lg border border-slate-400 px-3 py-2 aria-[invalid=true]:border-red-700";
  return (
    <>
      <input type="hidden" name="number" value={round.number} />
      <label className="mb-1 block text-sm font-semibold" htmlFor={`title-${round.number}`}>
        {m.roundTitle}
      </label>
      <input id={`title-${round.number}`} name="title" defaultValue={round.title} className={`${input} mb-2`} />
      <div className="grid gap-2 sm:grid-cols-2">
        {(["opens", "closes"] as const).map((field) => (
          <div key={field}>
            <label className="mb-1 block text-sm font-semibold" htmlFor={`${field}-${round.number}`}>
              {m[field]}
            </label>
            <input
              id={`${field}-${round.number}`}
              name={field}
              defaultValue={round[field]}
              inputMode="numeric"
              readOnly={(field === "opens" && round.opened) || round.closed}
              aria-invalid={e(field) ? true : undefined}
              aria-describedby={e(field) ? `${field}-${round.number}-error` : undefined}
              className={input}
            />
            {e(field) && (
              <p id={`${field}-${round.number}-error`} className="mt-1 text-sm font-semibold text-red-800">
                {e(field)}
              </p>
            )}
          </div>
        ))}
      </div>
      <fieldset className="mt-2" aria-describedby={e("banks") ? `banks-${round.number}-error` : undefined}>
        <legend className="mb-1 text-sm font-semibold">{m.quotas}</legend>
        {banks.map((bank) => (
          <div key={bank.id} className="mb-1 flex items-center gap-2">
            <input
              id={`q-${round.number}-${bank.id}`}
              name={`bank.${bank.id}`}
              defaultValue={round.quotas[bank.id] ?? ""}
              inputMode="numeric"
              readOnly={round.opened}
              aria-invalid={e(`bank.${bank.id}`) ? true : undefined}
              className="w-20 rounded-lg border border-slate-400 px-2 py-1.5"
            />
            <label htmlFor={`q-${round.number}-${bank.id}`} className="text-sm">
              {bank.title} ({t.organizer.questions(bank.questionCount)})
            </label>
            {e(`bank.${bank.id}`) && <span className="text-sm font-semibold text-red-800">{e(`bank.${bank.id}`)}</span>}
          </div>
        ))}
        {e("banks") && (
          <p id={`banks-${round.number}-error`} className="text-sm font-semibold text-red-800">
            {e("banks")}
          </p>
        )}
      </fieldset>
      {round.opened && <p className="mt-1 text-sm text-slate-700">{round.closed ? contestRulesUi.closedNote : m.opened}</p>}
    </>
  );
}

export default function ContestEditor() {
  const { contest, banks, now: serverNow, embed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Errors = result?.errors ?? {};
  const field = (name: string) => errors[name];
  const input = "block w-full rounded-lg border border-slate-400 px-3 py-2.5 aria-[invalid=true]:border-red-700";
  const nextNumber = contest ? Math.max(0, ...contest.rounds.map((r) => r.number)) + 1 : 1;
  const roundErrors = Object.entries(errors).filter(([key]) => key !== "form" && !SETTINGS_FIELDS.has(key));
  void serverNow;
  return (
    <div>
      <BackLink to="/to-chuc">{t.organizer.title}</BackLink>
      <h1 className="mb-3 text-2xl font-bold">{contest ? m.title(contest.title) : m.newTitle}</h1>
      {contest?.fromFile && <p className="mb-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-950">{m.fileNote}</p>}
      {contest && (
        <p className="mb-4">
          <a href={`/to-chuc/cuoc-thi/${contest.id}/tai`} className={secondaryButtonClass} download>
            {m.download}
          </a>
        </p>
      )}
      <FormError message={field("form") ?? (roundErrors.length > 0 ? roundErrors.map(([, v]) => v).join(" ") : null)} />
      <FormSuccess message={result?.saved ? m.saved : null} />

      <Card aria-labelledby="settings" className="mb-6">
        <h2 id="settings" className="mb-3 text-lg font-bold">
          {m.settings}
        </h2>
        {contest?.lockedNote && <p className="mb-3 rounded-lg bg-slate-100 p-3 text-sm text-slate-800">{contest.lockedNote}</p>}
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="settings" />
          {!contest && (
            <div className="mb-3">
              <label htmlFor="id" className="mb-1 block font-semibold">
                {m.id}
              </label>
              <input id="id" name="id" className={input} aria-invalid={field("id") ? true : undefined} aria-describedby="id-error" />
              {field("id") && (
                <p id="id-error" className="mt-1 text-sm font-semibold text-red-800">
                  {field("id")}
                </p>
              )}
            </div>
          )}
          {(
            [
              ["title", m.name, contest?.title ?? "", "text"],
              ["timezone", m.timezone, contest?.timezone ?? DEFAULT_TIMEZONE, "text"],
              ["timeLimitMinutes", m.timeLimit, String(contest ? Math.round(contest.timeLimitSeconds / 60) : 20), "number"],
              ["questionsPerAttempt", m.questionsPerAttempt, String(contest?.questionsPerAttempt ?? 20), "number"],
              ["attemptsPerRound", m.attemptsPerRound, String(contest?.attemptsPerRound ?? 1), "number"],
            ] as const
          ).map(([name, label, value, type]) => (
            <div key={name} className="mb-3">
              <label htmlFor={name} className="mb-1 block font-semibold">
                {label}
              </label>
              <input
                id={name}
                name={name}
                type={type}
                defaultValue={value}
                className={input}
                aria-invalid={field(name) ? true : undefined}
                aria-describedby={field(name) ? `${name}-error` : undefined}
              />
              {field(name) && (
                <p id={`${name}-error`} className="mt-1 text-sm font-semibold text-red-800">
                  {field(name)}
                </p>
              )}
            </div>
          ))}
          {(
            [
              ["prediction", m.prediction, contest?.predictionEnabled ?? true],
              ["liveStandings", m.liveStandings, contest?.liveStandings ?? false],
              ["onePrizePerPerson", m.onePrizePerPerson, contest?.onePrizePerPerson ?? false],
              ["practice", secrecyStrings.editor.practice, contest?.practice ?? false],
            ] as const
          ).map(([name, label, checked]) => (
            <div key={name} className="mb-2">
              <label className="flex min-h-11 items-center gap-3">
                <input
                  type="checkbox"
                  name={name}
                  defaultChecked={checked}
                  className="h-5 w-5 accent-brand-700"
                  aria-invalid={field(name) ? true : undefined}
                  aria-describedby={field(name) ? `${name}-error` : undefined}
                />
                <span>{label}</span>
              </label>
              {field(name) && (
                <p id={`${name}-error`} className="text-sm font-semibold text-red-800">
                  {field(name)}
                </p>
              )}
            </div>
          ))}
          <div className="mb-3 mt-2">
            <label htmlFor="minPrizeScore" className="mb-1 block font-semibold">
              {contestRulesUi.minPrizeScore}
            </label>
            <input
              id="minPrizeScore"
              name="minPrizeScore"
              type="number"
              min={0}
              defaultValue={contest?.minPrizeScore ?? ""}
              className={input}
              aria-invalid={field("minPrizeScore") ? true : undefined}
              aria-describedby={field("minPrizeScore") ? "minPrizeScore-hint minPrizeScore-error" : "minPrizeScore-hint"}
            />
            <p id="minPrizeScore-hint" className="mt-1 text-sm text-slate-700">
              {contestRulesUi.minPrizeScoreHint}
            </p>
            {field("minPrizeScore") && (
              <p id="minPrizeScore-error" className="mt-1 text-sm font-semibold text-red-800">
                {field("minPrizeScore")}
              </p>
            )}
          </div>
          <p className="mb-3 text-sm text-slate-700">{secrecyStrings.editor.practiceHint}</p>
          {(
            [
              [
                "reviewAfter",
                secrecyStrings.editor.reviewAfter,
                contest?.reviewAfter ?? "questions-unused",
                secrecyStrings.editor.reviewAfterOptions,
                null,
              ],
              [
                "showScore",
                secrecyStrings.editor.showScore,
                contest?.showScore ?? "immediately",
                secrecyStrings.editor.showScoreOptions,
                secrecyStrings.editor.showScoreHint,
              ],
            ] as const
          ).map(([name, label, value, options, hint]) => (
            <div key={name} className="mb-3">
              <label htmlFor={name} className="mb-1 block font-semibold">
                {label}
              </label>
              <select
                id={name}
                name={name}
                defaultValue={value}
                className={input}
                aria-invalid={field(name) ? true : undefined}
                aria-describedby={hint ? `${name}-hint` : undefined}
              >
                {Object.entries(options).map(([optionValue, optionLabel]) => (
                  <option key={optionValue} value={optionValue}>
                    {optionLabel}
                  </option>
                ))}
              </select>
              {hint && (
                <p id={`${name}-hint`} className="mt-1 text-sm text-slate-700">
                  {hint}
                </p>
              )}
              {field(name) && <p className="mt-1 text-sm font-semibold text-red-800">{field(name)}</p>}
            </div>
          ))}
          <label htmlFor="prizes" className="mb-1 mt-2 block font-semibold">
            {m.prizes}
          </label>
          <textarea
            id="prizes"
            name="prizes"
            rows={4}
            defaultValue={contest?.prizesText ?? "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3"}
            className={`${input} mb-1`}
            aria-invalid={field("prizes") ? true : undefined}
            aria-describedby={field("prizes") ? "prizes-error" : undefined}
          />
          {field("prizes") && (
            <p id="prizes-error" className="mb-2 text-sm font-semibold text-red-800">
              {field("prizes")}
            </p>
          )}
          <label htmlFor="certificateSigners" className="mb-1 mt-2 block font-semibold">
            {printVi.signers.label}
          </label>
          <textarea
            id="certificateSigners"
            name="certificateSigners"
            rows={3}
            defaultValue={contest?.signersText ?? ""}
            className={`${input} mb-1`}
            aria-invalid={field("certificateSigners") ? true : undefined}
            aria-describedby={field("certificateSigners") ? "certificateSigners-hint certificateSigners-error" : "certificateSigners-hint"}
          />
          <p id="certificateSigners-hint" className="mb-1 text-sm text-slate-700">
            {printVi.signers.hint}
          </p>
          {field("certificateSigners") && (
            <p id="certificateSigners-error" className="mb-2 text-sm font-semibold text-red-800">
              {field("certificateSigners")}
            </p>
          )}
          <label htmlFor="rulesMarkdown" className="mb-1 mt-2 block font-semibold">
            {m.rules}
          </label>
          <textarea
            id="rulesMarkdown"
            name="rulesMarkdown"
            rows={10}
            defaultValue={contest?.rulesMarkdown ?? ""}
            className={`${input} mb-3 text-sm`}
          />
          <button type="submit" className={buttonClass} disabled={navigation.state === "submitting"}>
            {contest ? m.saveSettings : m.newContest}
          </button>
        </Form>
      </Card>

      {contest && (
        <section aria-labelledby="rounds">
          <h2 id="rounds" className="mb-3 text-lg font-bold">
            {m.rounds}
          </h2>
          {contest.rounds.map((round) => (
            <Card as="article" key={round.number} className="mb-4" aria-label={round.title}>
              <Form method="post" noValidate>
                <RoundFields round={round} banks={banks} errors={errors} />
                <div className="mt-3 flex flex-wrap gap-2">
                  <button type="submit" name="intent" value="save-round" className={buttonClass}>
                    {m.saveRound}
                  </button>
                  {!round.opened && (
                    <button type="submit" name="intent" value="remove-round" className={secondaryButtonClass}>
                      {m.removeRound}
                    </button>
                  )}
                </div>
              </Form>
            </Card>
          ))}
          <article className="rounded-xl border border-dashed border-brand-600 bg-white p-4" aria-label={m.addRound}>
            <h3 className="mb-2 font-bold">{m.newRound(nextNumber)}</h3>
            <Form method="post" noValidate>
              <RoundFields
                round={{
                  number: nextNumber,
                  title: `Tuần thứ ${nextNumber}`,
                  opens: "",
                  closes: "",
                  opened: false,
                  closed: false,
                  quotas: {},
                }}
                banks={banks}
                errors={errors}
              />
              <button type="submit" name="intent" value="add-round" className={`${buttonClass} mt-3`}>
                {m.addRound}
              </button>
            </Form>
          </article>
        </section>
      )}

      {contest && embed && (
        <EmbedSection
          contestTitle={contest.title}
          path={embed.path}
          snippet={embed.snippet}
          originsText={embed.originsText}
          error={field("embedOrigins")}
          submitting={navigation.state === "submitting"}
        />
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: `${t.organizer.contests} · ${t.site.name}` }];

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
