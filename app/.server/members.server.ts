/** Members as organizers manage them: search, temporary passwords, roles, deactivation. */
import { randomInt } from "node:crypto";
import { and, asc, eq, like, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { branches, districts, sessions, users, type Role } from "../../db/schema";
import { normalizePhone } from "~/domain/phone";
import { recordAudit } from "./audit.server";

export const SEARCH_LIMIT = 50;

export function searchMembers(db: Db, query: string) {
  const q = query.trim();
  if (!q) return [];
  const digits = q.replace(/[\s.\-+()]/g, "");
  const phone = normalizePhone(q) ?? (/^\d{3,}$/.test(digits) ? digits : null);
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .select({
      id: users.id,
      fullName: users.fullName,
      phone: users.phone,
      role: users.role,
      active: users.active,
      district: districts.name,
      branch: branches.name,
    })
    .from(users)
    .innerJoin(districts, eq(districts.id, users.districtId))
    .innerJoin(branches, eq(branches.id, users.branchId))
    .where(
      or(
        phone ? like(users.phone, `%${phone.replace(/^0/, "")}%`) : undefined,
        like(users.fullName, `%${escaped}%`),
      ),
    )
    .orderBy(asc(users.fullName))
    .limit(SEARCH_LIMIT + 1)
    .all();
}

export function getMember(db: Db, userId: string) {
  return db.select({ id: users.id, fullName: users.fullName, role: users.role, active: users.active }).from(users).where(eq(users.id, userId)).get();
}

/** A password easy to read aloud over the phone: no 0/O, 1/l/I. */
export function temporaryPassword(length = 10): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** One entry about a member, with the value that changed before and after. */
function audit(
  db: Db | Tx,
  at: number,
  actorUserId: string,
  action: string,
  userId: string,
  change: { before?: Record<string, unknown>; after?: Record<string, unknown> } = {},
) {
  recordAudit(db, { at, actorUserId, action, subjectKind: "member", subjectId: userId, before: change.before, after: change.after });
}

function currentOf(db: Db | Tx, userId: string) {
  return db.select({ role: users.role, active: users.active, mustChangePassword: users.mustChangePassword }).from(users).where(eq(users.id, userId)).get();
}

/** Sets a temporary password (hash given), signs the member out everywhere, and records who did it. */
export function setTemporaryPassword(db: Db, { userId, passwordHash, actorUserId, now }: { userId: string; passwordHash: string; actorUserId: string; now: number }) {
  db.transaction((tx) => {
    const before = currentOf(tx, userId);
    tx.update(users).set({ passwordHash, mustChangePassword: true }).where(eq(users.id, userId)).run();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    audit(tx, now, actorUserId, "user.reset_password", userId, { before: { mustChangePassword: before?.mustChangePassword ?? false }, after: { mustChangePassword: true } });
  });
}

export function setRole(db: Db, { userId, role, actorUserId, now }: { userId: string; role: Role; actorUserId: string; now: number }) {
  db.transaction((tx) => {
    const before = currentOf(tx, userId);
    tx.update(users).set({ role }).where(eq(users.id, userId)).run();
    audit(tx, now, actorUserId, "user.set_role", userId, { before: { role: before?.role ?? null }, after: { role } });
  });
}

export function setActive(db: Db, { userId, active, actorUserId, now }: { userId: string; active: boolean; actorUserId: string; now: number }) {
  db.transaction((tx) => {
    const before = currentOf(tx, userId);
    tx.update(users).set({ active }).where(and(eq(users.id, userId))).run();
    if (!active) tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    audit(tx, now, actorUserId, active ? "user.activate" : "user.deactivate", userId, { before: { active: before?.active ?? null }, after: { active } });
  });
}

export function changeOwnPassword(db: Db, { userId, passwordHash }: { userId: string; passwordHash: string }) {
  db.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId)).run();
}

export function getPasswordState(db: Db, userId: string) {
  return db.select({ passwordHash: users.passwordHash, mustChangePassword: users.mustChangePassword }).from(users).where(eq(users.id, userId)).get();
}
