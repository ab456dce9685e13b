/**
 * Reading the audit log for the audit page and its CSV: filters (subject, person, time), pages, and
 * a readable Vietnamese line for every entry, with the values before and after the act.
 * Entries written before migration 0004 (`branch:…`, `user:…`, no subject kind) are read too.
 */
import { type SQL, and, desc, eq, gte, inArray, like, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { auditLog, banks, branches, contests, districts, rounds, users } from "../../db/schema";
import { z } from "zod";
import { normalizePhone } from "~/domain/phone";
import { DEFAULT_TIMEZONE, formatLocalDateTime, zonedTimeToInstant } from "~/domain/time";
import { historyStrings } from "~/i18n/history.vi";
import type { AuditSubjectKind } from "./audit.server";
import type { Cell } from "./exports/csv.server";

const s = historyStrings.audit;

export const AUDIT_KINDS = [
  "contest",
  "round",
  "bank",
  "unit",
  "member",
  "content",
  "result",
] as const satisfies readonly AuditSubjectKind[];
export const AUDIT_PAGE_SIZE = 50;
/** A CSV holds at most this many entries (the newest); the page says how many matched. */
export const AUDIT_CSV_LIMIT = 100_000;

/** The subject prefixes written before subject kinds existed. */
const LEGACY_PREFIX: Partial<Record<AuditSubjectKind, string>> = { unit: "branch", member: "user" };

/** The filters as the URL carries them (a GET form, so a filtered page is a link to share). */
export const AuditQuerySchema = z.object({
  loai: z.string().max(20).optional().catch(undefined),
  ma: z.string().max(100).optional().catch(undefined),
  nguoi: z.string().max(30).optional().catch(undefined),
  tu: z.string().max(20).optional().catch(undefined),
  den: z.string().max(20).optional().catch(undefined),
  trang: z.coerce.number().int().min(1).max(1_000_000).catch(1).default(1),
});

export interface AuditFilterInput {
  kind?: string;
  id?: string;
  person?: string;
  from?: string;
  to?: string;
}

export interface AuditFilter {
  kind?: AuditSubjectKind;
  /** The subject's id as stored (a member's id, even when a phone number was typed). */
  subjectId?: string;
  /** For a contest: its rounds' ids, whose entries belong to it too. */
  roundIds?: number[];
  actorUserId?: string;
  fromAt?: number;
  /** Exclusive: the start of the day after "to". */
  toAt?: number;
  timezone: string;
}

export type AuditFilterErrors = Partial<Record<"kind" | "id" | "person" | "from" | "to", string>>;

const DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** The instant a `dd/mm/yyyy` day starts in the timezone, or null if it is not a real date. */
export function parseDay(text: string, timezone: string): number | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const [day, month, year] = m.slice(1).map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return zonedTimeToInstant({ year, month, day, hour: 0, minute: 0 }, timezone);
}

function nextDay(text: string, timezone: string): number | null {
  const m = DATE.exec(text.trim())!;
  const [day, month, year] = m.slice(1).map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return zonedTimeToInstant(
    { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0 },
    timezone,
  );
}

/**
 * Turns what the form holds into a filter, or says what is wrong with each field. Days are read
 * in the timezone of the contest the subject belongs to, else Vietnam's.
 */
export function resolveAuditFilter(db: Db, input: AuditFilterInput): { filter: AuditFilter; errors: AuditFilterErrors } {
  const errors: AuditFilterErrors = {};
  const filter: AuditFilter = { timezone: DEFAULT_TIMEZONE };
  const kind = input.kind?.trim() || undefined;
  const id = input.id?.trim() || undefined;
  if (kind) {
    if ((AUDIT_KINDS as readonly string[]).includes(kind)) filter.kind = kind as AuditSubjectKind;
    else errors.kind = s.errors.badKind;
  }
  if (id) {
    if (!kind) errors.id = s.errors.idWithoutKind;
    else if (filter.kind === "member") {
      // Staff know a member by phone number; an id from a link works too.
      const phone = normalizePhone(id);
      const member = phone ? db.select({ id: users.id }).from(users).where(eq(users.phone, phone)).get() : undefined;
      filter.subjectId = member?.id ?? id;
    } else if (filter.kind === "round" && /^[^/]+\/\d+$/.test(id)) {
      // A round as people name it: `<contest id>/<round number>`.
      const [contestId, number] = id.split("/") as [string, string];
      const round = db
        .select({ id: rounds.id })
        .from(rounds)
        .where(and(eq(rounds.contestId, contestId), eq(rounds.number, Number(number))))
        .get();
      filter.subjectId = round ? String(round.id) : id;
    } else filter.subjectId = id;
  }
  if (filter.kind === "contest" && filter.subjectId) {
    filter.roundIds = db
      .select({ id: rounds.id })
      .from(rounds)
      .where(eq(rounds.contestId, filter.subjectId))
      .all()
      .map((r) => r.id);
  }
  if (filter.kind === "contest" && filter.subjectId) {
    filter.timezone =
      db.select({ tz: contests.timezone }).from(contests).where(eq(contests.id, filter.subjectId)).get()?.tz ?? DEFAULT_TIMEZONE;
  } else if (filter.kind === "round" && filter.subjectId && /^\d+$/.test(filter.subjectId)) {
    filter.timezone =
      db
        .select({ tz: contests.timezone })
        .from(rounds)
        .innerJoin(contests, eq(contests.id, rounds.contestId))
        .where(eq(rounds.id, Number(filter.subjectId)))
        .get()?.tz ?? DEFAULT_TIMEZONE;
  }
  const person = input.person?.trim();
  if (person) {
    const phone = normalizePhone(person);
    if (!phone) errors.person = s.errors.badPerson;
    else {
      const actor = db.select({ id: users.id }).from(users).where(eq(users.phone, phone)).get();
      if (!actor) errors.person = s.errors.unknownPerson;
      else filter.actorUserId = actor.id;
    }
  }
  const from = input.from?.trim();
  if (from) {
    const at = parseDay(from, filter.timezone);
    if (at === null) errors.from = s.errors.badDate;
    else filter.fromAt = at;
  }
  const to = input.to?.trim();
  if (to) {
    if (parseDay(to, filter.timezone) === null) errors.to = s.errors.badDate;
    else filter.toAt = nextDay(to, filter.timezone)!;
  }
  if (filter.fromAt !== undefined && filter.toAt !== undefined && filter.fromAt >= filter.toAt) errors.to = s.errors.range;
  return { filter, errors };
}

function subjectWhere(filter: AuditFilter): SQL | undefined {
  const { kind, subjectId } = filter;
  if (!kind) return undefined;
  const legacy = LEGACY_PREFIX[kind];
  if (subjectId === undefined) {
    return or(
      eq(auditLog.subjectKind, kind),
      like(auditLog.subject, `${kind}:%`),
      legacy ? like(auditLog.subject, `${legacy}:%`) : undefined,
    );
  }
  const subjects = [
    `${kind}:${subjectId}`,
    ...(legacy ? [`${legacy}:${subjectId}`] : []),
    ...(filter.roundIds ?? []).map((id) => `round:${id}`),
  ];
  return or(
    inArray(auditLog.subject, subjects),
    // A judge's decision is about a round and a member: a member's entries include it.
    kind === "member"
      ? and(
          inArray(auditLog.action, ["round.disqualify", "round.reinstate"]),
          sql`json_extract(${auditLog.details}, '$.userId') = ${subjectId}`,
        )
      : undefined,
    // An import names everything it loaded: a bank's or a contest's entries include it.
    kind === "bank" || kind === "contest"
      ? and(eq(auditLog.subjectKind, "content"), sql`(',' || substr(${auditLog.subject}, 9) || ',') like ${`%,${subjectId},%`}`)
      : undefined,
  );
}

function auditWhere(filter: AuditFilter): SQL | undefined {
  return and(
    subjectWhere(filter),
    filter.actorUserId ? eq(auditLog.actorUserId, filter.actorUserId) : undefined,
    filter.fromAt !== undefined ? gte(auditLog.at, filter.fromAt) : undefined,
    filter.toAt !== undefined ? lt(auditLog.at, filter.toAt) : undefined,
  );
}

type RawEntry = typeof auditLog.$inferSelect;

function rawEntries(db: Db, filter: AuditFilter, limit: number, offset: number): RawEntry[] {
  return db
    .select()
    .from(auditLog)
    .where(auditWhere(filter))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit)
    .offset(offset)
    .all();
}

export function countAuditEntries(db: Db, filter: AuditFilter): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(auditLog)
      .where(auditWhere(filter))
      .get()?.n ?? 0
  );
}

/* ---------- describing entries ---------- */

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

export interface DescribedEntry {
  id: number;
  at: string;
  actor: string;
  actorPhone: string | null;
  action: string;
  actionCode: string;
  kind: string;
  kindLabel: string;
  subjectId: string;
  subject: string;
  changes: AuditChange[];
  /** Things the entry says beyond before → after (the member a decision is about, the reason). */
  notes: string[];
  raw: { before: unknown; after: unknown; details: unknown };
}

/** What the entries name, read once per page. */
interface Lookups {
  users: Map<string, { fullName: string; phone: string }>;
  contests: Map<string, string>;
  rounds: Map<string, string>;
  branches: Map<string, string>;
  districts: Map<string, string>;
  banks: Map<string, string>;
}

/** `kind` and `id` of a stored subject, legacy forms included. */
export function splitSubject(entry: { subject: string; subjectKind: string | null }): { kind: string; id: string } {
  const colon = entry.subject.indexOf(":");
  const prefix = colon < 0 ? entry.subject : entry.subject.slice(0, colon);
  const id = colon < 0 ? "" : entry.subject.slice(colon + 1);
  const legacy = Object.entries(LEGACY_PREFIX).find(([, p]) => p === prefix)?.[0];
  return { kind: entry.subjectKind ?? legacy ?? prefix, id };
}

function lookupsFor(db: Db, entries: RawEntry[]): Lookups {
  const want = {
    users: new Set<string>(),
    contests: new Set<string>(),
    rounds: new Set<number>(),
    branches: new Set<string>(),
    districts: new Set<string>(),
    banks: new Set<string>(),
  };
  for (const e of entries) {
    if (e.actorUserId) want.users.add(e.actorUserId);
    const { kind, id } = splitSubject(e);
    if (kind === "member") want.users.add(id);
    if (kind === "contest") want.contests.add(id);
    if (kind === "round" && /^\d+$/.test(id)) want.rounds.add(Number(id));
    if (kind === "unit") want.branches.add(id);
    if (kind === "bank") want.banks.add(id);
    for (const values of [e.before, e.after, e.details]) {
      if (!values) continue;
      if (typeof values.userId === "string") want.users.add(values.userId);
      for (const key of ["mergedInto", "into", "branchId"]) if (typeof values[key] === "string") want.branches.add(values[key] as string);
      if (typeof values.districtId === "string") want.districts.add(values.districtId);
    }
  }
  const ids = <T>(set: Set<T>) => [...set];
  return {
    users: new Map(
      want.users.size
        ? db
            .select({ id: users.id, fullName: users.fullName, phone: users.phone })
            .from(users)
            .where(inArray(users.id, ids(want.users)))
            .all()
            .map((u) => [u.id, u])
        : [],
    ),
    contests: new Map(
      want.contests.size
        ? db
            .select({ id: contests.id, title: contests.title })
            .from(contests)
            .where(inArray(contests.id, ids(want.contests)))
            .all()
            .map((c) => [c.id, c.title])
        : [],
    ),
    rounds: new Map(
      want.rounds.size
        ? db
            .select({ id: rounds.id, title: rounds.title, contest: contests.title })
            .from(rounds)
            .innerJoin(contests, eq(contests.id, rounds.contestId))
            .where(inArray(rounds.id, ids(want.rounds)))
            .all()
            .map((r) => [String(r.id), `${r.contest} · ${r.title}`])
        : [],
    ),
    branches: new Map(
      want.branches.size
        ? db
            .select({ id: branches.id, name: branches.name })
            .from(branches)
            .where(inArray(branches.id, ids(want.branches)))
            .all()
            .map((b) => [b.id, b.name])
        : [],
    ),
    districts: new Map(
      want.districts.size
        ? db
            .select({ id: districts.id, name: districts.name })
            .from(districts)
            .where(inArray(districts.id, ids(want.districts)))
            .all()
            .map((d) => [d.id, d.name])
        : [],
    ),
    banks: new Map(
      want.banks.size
        ? db
            .select({ id: banks.id, title: banks.title })
            .from(banks)
            .where(inArray(banks.id, ids(want.banks)))
            .all()
            .map((b) => [b.id, b.title])
        : [],
    ),
  };
}

const INSTANT_FIELDS = new Set(["opensAt", "closesAt", "at"]);

function formatValue(key: string, value: unknown, lookups: Lookups, timezone: string): string {
  if (value === null || value === undefined || value === "") return s.empty_;
  if (typeof value === "boolean") return value ? s.yes : s.no;
  if (key === "role" && typeof value === "string") return s.roles[value] ?? value;
  if ((key === "mergedInto" || key === "into" || key === "branchId") && typeof value === "string")
    return lookups.branches.get(value) ?? value;
  if (key === "districtId" && typeof value === "string") return lookups.districts.get(value) ?? value;
  if (key === "userId" && typeof value === "string") return memberLabel(value, lookups);
  if (INSTANT_FIELDS.has(key) && typeof value === "number") return formatLocalDateTime(value, timezone);
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  if (typeof value === "object" && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
      .join(", ");
  }
  return JSON.stringify(value);
}

function memberLabel(userId: string, lookups: Lookups): string {
  const u = lookups.users.get(userId);
  return u ? `${u.fullName} (${u.phone})` : userId;
}

function subjectLabel(kind: string, id: string, lookups: Lookups): string {
  switch (kind) {
    case "member":
      return memberLabel(id, lookups);
    case "contest":
      return lookups.contests.get(id) ?? id;
    case "round":
      return lookups.rounds.get(id) ?? id;
    case "unit":
      return lookups.branches.get(id) ?? lookups.districts.get(id) ?? id;
    case "bank":
      return lookups.banks.get(id) ?? id;
    default:
      return id;
  }
}

function actionLabel(code: string): string {
  if (s.actions[code]) return s.actions[code]!;
  const [area, verb] = code.split(".");
  // Actions of areas this page does not know by name still read as "<area>: <verb>".
  const areaLabel = area ? s.kinds[area === "user" ? "member" : area === "branch" ? "unit" : area] : undefined;
  return areaLabel && verb ? `${areaLabel}: ${verb}` : s.unknownAction(code);
}

/** A readable line per entry: who, what, about what, and each value before → after. */
export function describeEntry(entry: RawEntry, lookups: Lookups, timezone: string): DescribedEntry {
  const { kind, id } = splitSubject(entry);
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes = keys.map((key) => ({
    field: s.fields[key] ?? key,
    before: key in before ? formatValue(key, before[key], lookups, timezone) : s.empty_,
    after: key in after ? formatValue(key, after[key], lookups, timezone) : s.empty_,
  }));
  const notes: string[] = [];
  const details = entry.details ?? {};
  if (typeof details.userId === "string") notes.push(`${s.fields.member}: ${memberLabel(details.userId, lookups)}`);
  if (typeof details.reason === "string" && !("reason" in after)) notes.push(`${s.fields.reason}: ${details.reason}`);
  if (entry.before === null && entry.after === null) {
    // Entries from before values were recorded: what they said, as it was written.
    if (typeof details.from === "string" && typeof details.to === "string")
      changes.push({ field: s.fields.name!, before: details.from, after: details.to });
    else {
      for (const [key, value] of Object.entries(details)) {
        if (key !== "userId" && key !== "reason") notes.push(`${s.fields[key] ?? key}: ${formatValue(key, value, lookups, timezone)}`);
      }
    }
  }
  const actor = entry.actorUserId ? lookups.users.get(entry.actorUserId) : undefined;
  const osUser = typeof details.osUser === "string" ? details.osUser : null;
  return {
    id: entry.id,
    at: formatLocalDateTime(entry.at, timezone),
    actor: actor
      ? actor.fullName
      : entry.actorUserId
        ? entry.actorUserId
        : osUser || details.via === "content:import"
          ? s.commandLine(osUser)
          : s.system,
    actorPhone: actor?.phone ?? null,
    action: actionLabel(entry.action),
    actionCode: entry.action,
    kind,
    kindLabel: s.kinds[kind] ?? kind,
    subjectId: id,
    subject: subjectLabel(kind, id, lookups),
    changes,
    notes,
    raw: { before: entry.before, after: entry.after, details: entry.details },
  };
}

/** One page of the filtered log, newest first, described. */
export function auditPage(db: Db, filter: AuditFilter, page: number) {
  const total = countAuditEntries(db, filter);
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const entries = rawEntries(db, filter, AUDIT_PAGE_SIZE, (current - 1) * AUDIT_PAGE_SIZE);
  const lookups = lookupsFor(db, entries);
  return { total, page: current, pages, entries: entries.map((e) => describeEntry(e, lookups, filter.timezone)) };
}

/** The filtered log as CSV rows (header in historyStrings), newest first, read in slices. */
export function auditCsvRows(db: Db, filter: AuditFilter): Cell[][] {
  const rows: Cell[][] = [];
  const slice = 2000;
  for (let offset = 0; offset < AUDIT_CSV_LIMIT; offset += slice) {
    const entries = rawEntries(db, filter, Math.min(slice, AUDIT_CSV_LIMIT - offset), offset);
    const lookups = lookupsFor(db, entries);
    for (const e of entries) {
      const d = describeEntry(e, lookups, filter.timezone);
      rows.push([
        d.at,
        d.actor,
        d.actorPhone,
        d.action,
        d.actionCode,
        d.kindLabel,
        d.subjectId,
        d.subject,
        [...d.changes.map((c) => `${c.field}: ${c.before}${s.arrow}${c.after}`), ...d.notes].join("; "),
        e.before === null ? null : JSON.stringify(e.before),
        e.after === null ? null : JSON.stringify(e.after),
        e.details === null ? null : JSON.stringify(e.details),
      ]);
    }
    if (entries.length < slice) break;
  }
  return rows;
}
