/** Districts and branches as organizers manage them: import, rename, merge. */
import { and, asc, count, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { branches, districts, users } from "../../db/schema";
import type { ContentError } from "~/domain/content/errors";
import { parseUnitsCsv } from "~/domain/content/units-csv";
import { parseUnits } from "~/domain/content/units";
import { recordAudit } from "./audit.server";
import { importContent, type ImportSummary } from "./content/import.server";

export function listUnits(db: Db) {
  const memberCounts = new Map(
    db.select({ branchId: users.branchId, n: count() }).from(users).groupBy(users.branchId).all().map((r) => [r.branchId, r.n]),
  );
  const allBranches = db.select().from(branches).orderBy(asc(branches.position)).all();
  const names = new Map(allBranches.map((b) => [b.id, b.name]));
  return db
    .select()
    .from(districts)
    .orderBy(asc(districts.position))
    .all()
    .map((d) => ({
      id: d.id,
      name: d.name,
      branches: allBranches
        .filter((b) => b.districtId === d.id)
        .map((b) => ({
          id: b.id,
          name: b.name,
          members: memberCounts.get(b.id) ?? 0,
          mergedInto: b.mergedIntoId ? (names.get(b.mergedIntoId) ?? b.mergedIntoId) : null,
        })),
    }));
}

/** A units file, CSV or the content format (by its name or by what it holds), into the database. */
export function importUnitsFile(
  db: Db,
  fileName: string,
  text: string,
  { now, actorUserId }: { now: number; actorUserId: string },
): { ok: true; summary: ImportSummary } | { ok: false; errors: ContentError[] } {
  const markdown = fileName.endsWith(".md") || /^##\s/m.test(text);
  const { units, errors } = markdown ? parseUnits(fileName, text) : parseUnitsCsv(fileName, text);
  if (!units) return { ok: false, errors };
  const summary = importContent(db, { banks: [], contests: [], units }, { now, actorUserId });
  return { ok: true, summary };
}

export function renameBranch(db: Db, { branchId, name, actorUserId, now }: { branchId: string; name: string; actorUserId: string; now: number }) {
  db.transaction((tx) => {
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
  });
}

/**
 * Merges a branch into another: its members move (with the district of the target), the old
 * branch stays, marked merged, so attempts and stored results that name it keep their meaning.
 */
export function mergeBranch(db: Db, { fromId, intoId, actorUserId, now }: { fromId: string; intoId: string; actorUserId: string; now: number }) {
  return db.transaction((tx) => {
    const into = tx.select().from(branches).where(and(eq(branches.id, intoId), isNull(branches.mergedIntoId))).get();
    const from = tx.select().from(branches).where(eq(branches.id, fromId)).get();
    if (!into || !from || from.id === into.id) return null;
    const moved = tx.update(users).set({ branchId: into.id, districtId: into.districtId }).where(eq(users.branchId, from.id)).run().changes;
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
  });
}
