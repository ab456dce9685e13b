/**
 * Members as organizers and admins manage them: search, temporary passwords, names, roles,
 * deactivation. Who may do what to whom is `accountActRefusal` (app/domain/accounts.ts), checked
 * here inside the transaction that acts, and every act is audited with the values before and after.
 */
import { randomInt } from "node:crypto";
import { and, asc, count, eq, gte, isNull, lt, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { branches, districts, sessions, users, type Role } from "../../db/schema";
import { accountActRefusal, type AccountActor, type AccountRefusal } from "~/domain/accounts";
import { searchKey } from "~/domain/names";
import { normalizePhone } from "~/domain/phone";
import { finalizeAttemptsOfMember, type Tx } from "./attempts.server";
import { recordAudit } from "./audit.server";

export const SEARCH_LIMIT = 50;

/**
 * Fills `users.search_name` where it is missing (accounts made before the column existed, or by a
 * bulk script that did not set it). Search calls it first: when nothing is missing it is one lookup
 * on the column's index.
 */
export function backfillSearchNames(db: Db): number {
  let filled = 0;
  for (;;) {
    const missing = db.select({ id: users.id, fullName: users.fullName }).from(users).where(isNull(users.searchName)).limit(1000).all();
    if (missing.length === 0) break;
    db.transaction(
      (tx) => {
        for (const row of missing)
          tx.update(users)
            .set({ searchName: searchKey(row.fullName) })
            .where(eq(users.id, row.id))
            .run();
      },
      { behavior: "immediate" },
    );
    filled += missing.length;
  }
  return filled;
}

const memberColumns = {
  id: users.id,
  fullName: users.fullName,
  phone: users.phone,
  role: users.role,
  active: users.active,
  district: districts.name,
  branch: branches.name,
};

/**
 * Members by any form of their phone number, or by name ignoring case and diacritics ("nguyen van
 * an" finds "Nguyễn Văn An"). Names are compared on the stored `search_name`: first the names that
 * start with the query (a range on its index), then, if there is room, those with a word starting
 * with it ("van an", "an").
 */
export function searchMembers(db: Db, query: string) {
  const q = query.trim();
  if (!q) return [];
  backfillSearchNames(db);
  const digits = q.replace(/[\s.\-+()]/g, "");
  const phone = normalizePhone(q) ?? (/^\d{3,}$/.test(digits) ? digits : null);
  const base = () =>
    db
      .select(memberColumns)
      .from(users)
      .innerJoin(districts, eq(districts.id, users.districtId))
      .innerJoin(branches, eq(branches.id, users.branchId));
  if (phone) {
    const fragment = phone.replace(/^0/, "").replace(/[\\%_]/g, (c) => `\\${c}`);
    return base()
      .where(sql`${users.phone} like ${`%${fragment}%`} escape '\\'`)
      .orderBy(asc(users.fullName))
      .limit(SEARCH_LIMIT + 1)
      .all();
  }
  const key = searchKey(q);
  if (!key) return [];
  // Everything that starts with `key` sorts between `key` and `key` followed by the highest character.
  const prefixed = base()
    .where(and(gte(users.searchName, key), lt(users.searchName, `${key}\uffff`)))
    .orderBy(asc(users.searchName), asc(users.id))
    .limit(SEARCH_LIMIT + 1)
    .all();
  if (prefixed.length > SEARCH_LIMIT) return prefixed;
  const seen = prefixed.map((m) => m.id);
  const inside = base()
    .where(and(sql`instr(' ' || ${users.searchName}, ${` ${key}`}) > 0`, seen.length > 0 ? notInArray(users.id, seen) : undefined))
    .orderBy(asc(users.searchName), asc(users.id))
    .limit(SEARCH_LIMIT + 1 - prefixed.length)
    .all();
  return [...prefixed, ...inside];
}

export function getMember(db: Db | Tx, userId: string) {
  return db
    .select({
      id: users.id,
      fullName: users.fullName,
      role: users.role,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
}

export function countActiveAdmins(db: Db | Tx): number {
  return (
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.active, true)))
      .get()?.n ?? 0
  );
}

/** A password easy to read aloud over the phone: no 0/O, 1/l/I. */
export function temporaryPassword(length = 10): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

export type AccountChange =
  | { act: "reset-password"; passwordHash: string }
  | { act: "set-role"; role: Role }
  | { act: "deactivate" }
  | { act: "activate" }
  | { act: "rename"; fullName: string };

export type AccountOutcome =
  | { ok: true; fullName: string; before: string; finalizedAttempts: string[] }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: AccountRefusal };

/**
 * Does one act on one account, if the rule allows it, in one immediate transaction: the target and
 * the number of active admins are read in it, so two admins demoting each other at once cannot
 * leave none. Audited with the actor, the values before and after.
 */
export function actOnAccount(
  db: Db,
  { actor, userId, change, now }: { actor: AccountActor; userId: string; change: AccountChange; now: number },
): AccountOutcome {
  return db.transaction(
    (tx): AccountOutcome => {
      const target = getMember(tx, userId);
      if (!target) return { ok: false, reason: "not_found" };
      const refusal = accountActRefusal({
        actor,
        target: { id: target.id, role: target.role, active: Boolean(target.active) },
        act: change.act,
        newRole: change.act === "set-role" ? change.role : undefined,
        activeAdmins: countActiveAdmins(tx),
      });
      if (refusal) return { ok: false, reason: refusal };
      const audit = (action: string, before: Record<string, unknown>, after: Record<string, unknown>, details?: Record<string, unknown>) =>
        recordAudit(tx, { at: now, actorUserId: actor.id, action, subjectKind: "member", subjectId: target.id, before, after, details });
      let finalizedAttempts: string[] = [];
      switch (change.act) {
        case "reset-password":
          tx.update(users).set({ passwordHash: change.passwordHash, mustChangePassword: true }).where(eq(users.id, target.id)).run();
          tx.delete(sessions).where(eq(sessions.userId, target.id)).run();
          audit(
            "user.reset_password",
            { mustChangePassword: Boolean(target.mustChangePassword) },
            { mustChangePassword: true },
            { sessionsEnded: true },
          );
          break;
        case "set-role":
          tx.update(users).set({ role: change.role }).where(eq(users.id, target.id)).run();
          audit("user.set_role", { role: target.role }, { role: change.role });
          break;
        case "rename":
          tx.update(users)
            .set({ fullName: change.fullName, searchName: searchKey(change.fullName) })
            .where(eq(users.id, target.id))
            .run();
          audit("user.rename", { fullName: target.fullName }, { fullName: change.fullName });
          break;
        case "activate":
          tx.update(users).set({ active: true }).where(eq(users.id, target.id)).run();
          audit("user.activate", { active: Boolean(target.active) }, { active: true });
          break;
        case "deactivate":
          tx.update(users).set({ active: false }).where(eq(users.id, target.id)).run();
          tx.delete(sessions).where(eq(sessions.userId, target.id)).run();
          // An attempt in progress is finalized now with what was saved, not left to its deadline.
          finalizedAttempts = finalizeAttemptsOfMember(tx, target.id, now);
          audit(
            "user.deactivate",
            { active: Boolean(target.active) },
            { active: false },
            finalizedAttempts.length > 0 ? { finalizedAttempts } : undefined,
          );
          break;
      }
      return {
        ok: true,
        fullName: change.act === "rename" ? change.fullName : target.fullName,
        before: target.fullName,
        finalizedAttempts,
      };
    },
    { behavior: "immediate" },
  );
}

/**
 * A member's own new password: every other session of theirs ends (someone who knew the old
 * password is signed out), the one they are using is replaced by a fresh one by the caller.
 */
export function changeOwnPassword(db: Db, { userId, passwordHash, now }: { userId: string; passwordHash: string; now: number }) {
  db.transaction(
    (tx) => {
      tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId)).run();
      tx.delete(sessions).where(eq(sessions.userId, userId)).run();
      recordAudit(tx, {
        at: now,
        actorUserId: userId,
        action: "user.change_password",
        subjectKind: "member",
        subjectId: userId,
        details: { otherSessionsEnded: true },
      });
    },
    { behavior: "immediate" },
  );
}

export function getPasswordState(db: Db, userId: string) {
  return db
    .select({ passwordHash: users.passwordHash, mustChangePassword: users.mustChangePassword })
    .from(users)
    .where(eq(users.id, userId))
    .get();
}
