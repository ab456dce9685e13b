/** Accounts: registration, lookup for login, and the unit lists registration offers. */
import { randomUUID } from "node:crypto";
import { asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { branches, districts, users } from "../../db/schema";
import { searchKey } from "~/domain/names";

export function listDistricts(db: Db) {
  return db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(asc(districts.position)).all();
}

/** Branches members can join (a merged branch is no longer offered). */
export function listBranches(db: Db, districtId?: string) {
  const all = db
    .select({ id: branches.id, name: branches.name, districtId: branches.districtId })
    .from(branches)
    .where(isNull(branches.mergedIntoId))
    .orderBy(asc(branches.position))
    .all();
  return districtId ? all.filter((b) => b.districtId === districtId) : all;
}

export function findUserByPhone(db: Db, phone: string) {
  return db
    .select({
      id: users.id,
      fullName: users.fullName,
      passwordHash: users.passwordHash,
      active: users.active,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .where(eq(users.phone, phone))
    .get();
}

export function phoneTaken(db: Db, phone: string): boolean {
  return findUserByPhone(db, phone) !== undefined;
}

export function createMember(
  db: Db,
  input: {
    fullName: string;
    phone: string;
    passwordHash: string;
    districtId: string;
    branchId: string;
    now: number;
    viaBranchId?: string | null;
  },
): string {
  const id = randomUUID();
  db.insert(users)
    .values({
      id,
      fullName: input.fullName,
      searchName: searchKey(input.fullName),
      phone: input.phone,
      passwordHash: input.passwordHash,
      districtId: input.districtId,
      branchId: input.branchId,
      role: "member",
      viaBranchId: input.viaBranchId ?? null,
      createdAt: input.now,
    })
    .run();
  return id;
}
