/** Districts and branches as organizers manage them: a page of them at a time, rename, merge. */
import { and, asc, count, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { branches, districts, users } from "../../db/schema";
import { foldVietnamese } from "~/domain/unit-list";
import { recordAudit } from "./audit.server";

export const UNITS_PAGE_SIZE = 50;
/** Up to this many districts, the search form offers them in a list; beyond, a search finds them. */
const DISTRICT_OPTIONS = 100;
/** Suggestions offered when merging: the active branches of the same district, at most this many. */
const MERGE_SUGGESTIONS = 300;

export interface UnitsQuery {
  /** Words to find in district or branch names (case and diacritics ignored) or codes. */
  q: string;
  districtId: string | null;
  page: number;
}

export interface BranchRow {
  id: string;
  name: string;
  districtId: string;
  districtName: string;
  members: number;
  mergedInto: string | null;
}

/**
 * Names change rarely and are searched often: each is folded once per process (a memo of a pure
 * function, so it is never stale; emptied if it ever grows past a large province's size).
 */
const foldedNames = new Map<string, string>();
function foldedName(name: string): string {
  let folded = foldedNames.get(name);
  if (folded === undefined) {
    if (foldedNames.size >= 200_000) foldedNames.clear();
    folded = foldVietnamese(name);
    foldedNames.set(name, folded);
  }
  return folded;
}

const pages = (total: number) => Math.max(1, Math.ceil(total / UNITS_PAGE_SIZE));
const clampPage = (page: number, total: number) => Math.min(Math.max(1, page), pages(total));

function memberCounts(db: Db, column: typeof users.branchId | typeof users.districtId, ids: string[]) {
  if (ids.length === 0) return new Map<string, number>();
  return new Map(
    db
      .select({ id: column, n: count() })
      .from(users)
      .where(inArray(column, ids))
      .groupBy(column)
      .all()
      .map((r) => [r.id, r.n]),
  );
}

function withCounts(db: Db, rows: { id: string; name: string; districtId: string; mergedIntoId: string | null }[]): BranchRow[] {
  const members = memberCounts(
    db,
    users.branchId,
    rows.map((r) => r.id),
  );
  const districtNames = new Map(
    rows.length === 0
      ? []
      : db
          .select({ id: districts.id, name: districts.name })
          .from(districts)
          .where(inArray(districts.id, [...new Set(rows.map((r) => r.districtId))]))
          .all()
          .map((d) => [d.id, d.name]),
  );
  const mergedIds = [...new Set(rows.flatMap((r) => (r.mergedIntoId ? [r.mergedIntoId] : [])))];
  const mergedNames = new Map(
    mergedIds.length === 0
      ? []
      : db
          .select({ id: branches.id, name: branches.name })
          .from(branches)
          .where(inArray(branches.id, mergedIds))
          .all()
          .map((b) => [b.id, b.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    districtId: r.districtId,
    districtName: districtNames.get(r.districtId) ?? r.districtId,
    members: members.get(r.id) ?? 0,
    mergedInto: r.mergedIntoId ? (mergedNames.get(r.mergedIntoId) ?? r.mergedIntoId) : null,
  }));
}

/**
 * One page of the units page: without a search or a district, a page of districts with their
 * counts; with a district, a page of its branches; with a search, a page of matching districts
 * and branches. Every query reads one page (or one pass over the names for a search), so the page
 * stays small and fast at thousands of branches.
 */
export function listUnitsPage(db: Db, query: UnitsQuery) {
  const allDistricts = db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(asc(districts.position)).all();
  const district = query.districtId ? (allDistricts.find((d) => d.id === query.districtId) ?? null) : null;
  const words = foldVietnamese(query.q).split(" ").filter(Boolean);

  if (words.length === 0 && !district) {
    const total = allDistricts.length;
    const page = clampPage(query.page, total);
    const shown = allDistricts.slice((page - 1) * UNITS_PAGE_SIZE, page * UNITS_PAGE_SIZE);
    const ids = shown.map((d) => d.id);
    const branchCounts = new Map(
      ids.length === 0
        ? []
        : db
            .select({ id: branches.districtId, n: count() })
            .from(branches)
            .where(and(inArray(branches.districtId, ids), isNull(branches.mergedIntoId)))
            .groupBy(branches.districtId)
            .all()
            .map((r) => [r.id, r.n]),
    );
    const members = memberCounts(db, users.districtId, ids);
    return {
      view: "districts" as const,
      districtOptions: allDistricts.length <= DISTRICT_OPTIONS ? allDistricts : [],
      district: null,
      districts: shown.map((d) => ({ ...d, branches: branchCounts.get(d.id) ?? 0, members: members.get(d.id) ?? 0 })),
      branches: [] as BranchRow[],
      mergeTargets: [] as { id: string; name: string }[],
      total,
      page,
      pages: pages(total),
    };
  }

  const branchColumns = { id: branches.id, name: branches.name, districtId: branches.districtId, mergedIntoId: branches.mergedIntoId };
  let rows: BranchRow[];
  let total: number;
  let page: number;
  let matchingDistricts: { id: string; name: string; branches: number; members: number }[] = [];
  if (words.length === 0) {
    total = db.select({ n: count() }).from(branches).where(eq(branches.districtId, district!.id)).get()?.n ?? 0;
    page = clampPage(query.page, total);
    rows = withCounts(
      db,
      db
        .select(branchColumns)
        .from(branches)
        .where(eq(branches.districtId, district!.id))
        .orderBy(asc(branches.position))
        .limit(UNITS_PAGE_SIZE)
        .offset((page - 1) * UNITS_PAGE_SIZE)
        .all(),
    );
  } else {
    // One pass over the names: folding in JavaScript ignores diacritics, which SQLite's LIKE cannot.
    // Only codes and names are read, as arrays; the page's rows are read in full afterwards.
    const matches = (text: string) => {
      const folded = foldedName(text);
      return words.every((w) => folded.includes(w));
    };
    const candidates = db
      .select({ id: branches.id, name: branches.name })
      .from(branches)
      .where(district ? eq(branches.districtId, district.id) : undefined)
      .orderBy(asc(branches.position))
      .values() as [string, string][];
    const code = words.join("-");
    const found = candidates.filter(([id, branchName]) => matches(branchName) || id.includes(code)).map(([id]) => id);
    total = found.length;
    page = clampPage(query.page, total);
    const ids = found.slice((page - 1) * UNITS_PAGE_SIZE, page * UNITS_PAGE_SIZE);
    const order = new Map(ids.map((id, i) => [id, i]));
    rows = withCounts(
      db,
      ids.length === 0
        ? []
        : db
            .select(branchColumns)
            .from(branches)
            .where(inArray(branches.id, ids))
            .all()
            .sort((a, b) => order.get(a.id)! - order.get(b.id)!),
    );
    if (!district) {
      const shown = allDistricts.filter((d) => matches(d.name) || d.id.includes(code)).slice(0, UNITS_PAGE_SIZE);
      const members = memberCounts(
        db,
        users.districtId,
        shown.map((d) => d.id),
      );
      matchingDistricts = shown.map((d) => ({ ...d, branches: 0, members: members.get(d.id) ?? 0 }));
    }
  }
  const mergeTargets = district
    ? db
        .select({ id: branches.id, name: branches.name })
        .from(branches)
        .where(and(eq(branches.districtId, district.id), isNull(branches.mergedIntoId)))
        .orderBy(asc(branches.position))
        .limit(MERGE_SUGGESTIONS)
        .all()
    : [];
  return {
    view: "branches" as const,
    districtOptions: allDistricts.length <= DISTRICT_OPTIONS ? allDistricts : [],
    district,
    districts: matchingDistricts,
    branches: rows,
    mergeTargets,
    total,
    page,
    pages: pages(total),
  };
}

/** Does this branch exist (merged or not)? Acting on one that does not is a 404. */
export function branchExists(db: Db, branchId: string): boolean {
  return db.select({ id: branches.id }).from(branches).where(eq(branches.id, branchId)).get() !== undefined;
}

export function renameBranch(
  db: Db,
  { branchId, name, actorUserId, now }: { branchId: string; name: string; actorUserId: string; now: number },
) {
  db.transaction(
    (tx) => {
      const before = tx.select({ name: branches.name }).from(branches).where(eq(branches.id, branchId)).get();
      if (!before) throw new Error("no branch");
      tx.update(branches).set({ name }).where(eq(branches.id, branchId)).run();
      recordAudit(tx, {
        at: now,
        actorUserId,
        action: "branch.rename",
        subjectKind: "unit",
        subjectId: branchId,
        before: { name: before.name },
        after: { name },
        details: { level: "branch", from: before.name, to: name },
      });
    },
    { behavior: "immediate" },
  );
}

/**
 * Merges a branch into another: its members move (with the district of the target), the old
 * branch stays, marked merged, so attempts and stored results that name it keep their meaning.
 */
export function mergeBranch(
  db: Db,
  { fromId, intoId, actorUserId, now }: { fromId: string; intoId: string; actorUserId: string; now: number },
) {
  return db.transaction(
    (tx) => {
      const into = tx
        .select()
        .from(branches)
        .where(and(eq(branches.id, intoId), isNull(branches.mergedIntoId)))
        .get();
      const from = tx.select().from(branches).where(eq(branches.id, fromId)).get();
      if (!into || !from || from.id === into.id) return null;
      const moved = tx
        .update(users)
        .set({ branchId: into.id, districtId: into.districtId })
        .where(eq(users.branchId, from.id))
        .run().changes;
      // Registrations through the old branch's poster count for the branch it joined (decision 017).
      tx.update(users).set({ viaBranchId: into.id }).where(eq(users.viaBranchId, from.id)).run();
      tx.update(branches).set({ mergedIntoId: into.id }).where(eq(branches.id, from.id)).run();
      // Branches merged into the old one earlier now point at the new one.
      tx.update(branches).set({ mergedIntoId: into.id }).where(eq(branches.mergedIntoId, from.id)).run();
      recordAudit(tx, {
        at: now,
        actorUserId,
        action: "branch.merge",
        subjectKind: "unit",
        subjectId: from.id,
        before: { mergedInto: from.mergedIntoId, districtId: from.districtId },
        after: { mergedInto: into.id, districtId: into.districtId, movedMembers: moved },
        details: { level: "branch", into: into.id, movedMembers: moved, fromName: from.name, intoName: into.name },
      });
      return { from: from.name, into: into.name, moved };
    },
    { behavior: "immediate" },
  );
}
