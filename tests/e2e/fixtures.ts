/**
 * Playwright fixtures: `member` is a member created directly in the e2e server's database with a
 * session cookie already in the browser, so a test about the quiz does not register through the
 * form first (one test, take-round.spec.ts, still registers through the UI). The session is
 * deleted afterwards; the member and what they did stay, as a member's history does.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { test as base, type BrowserContext } from "@playwright/test";
import { eq } from "drizzle-orm";
import { luciaFor } from "~/.server/auth/lucia.server";
import { openDatabase } from "../../db/client";
import { branches, sessions, users } from "../../db/schema";
import { uniquePhone } from "./helpers";

export interface Member {
  id: string;
  fullName: string;
  phone: string;
}

let names = 0;

/**
 * Creates a member and puts their session cookie in the browser context. Returns the member and
 * a function that ends the session (the fixture calls it after the test).
 */
export async function addMemberSession(
  context: BrowserContext,
  { fullName, baseURL = test.info().project.use.baseURL }: { fullName?: string; baseURL?: string } = {},
): Promise<{ member: Member; endSession: () => void }> {
  const db = openDatabase(join(import.meta.dirname, ".tmp", "e2e.sqlite"));
  try {
    const branch = db.select({ id: branches.id, districtId: branches.districtId }).from(branches).limit(1).get();
    if (!branch) throw new Error("the e2e database has no branch: was content/ imported?");
    const member: Member = { id: randomUUID(), fullName: fullName ?? `Thành Viên Thử ${++names}`, phone: uniquePhone() };
    db.insert(users)
      .values({
        ...member,
        // Nobody logs in with a password here: the session below is the login.
        passwordHash: "fixture-no-password",
        districtId: branch.districtId,
        branchId: branch.id,
        role: "member",
        createdAt: Date.now(),
      })
      .run();
    const lucia = luciaFor(db);
    const session = await lucia.createSession(member.id, {});
    const cookie = lucia.createSessionCookie(session.id);
    await context.addCookies([{ name: cookie.name, value: cookie.value, url: baseURL!, httpOnly: true, sameSite: "Lax" }]);
    const endSession = () => {
      const again = openDatabase(join(import.meta.dirname, ".tmp", "e2e.sqlite"));
      try {
        again.delete(sessions).where(eq(sessions.userId, member.id)).run();
      } finally {
        again.$client.close();
      }
    };
    return { member, endSession };
  } finally {
    db.$client.close();
  }
}

export const test = base.extend<{ member: Member }>({
  member: async ({ context, baseURL }, use) => {
    const { member, endSession } = await addMemberSession(context, { baseURL });
    await use(member);
    endSession();
  },
});

export { expect } from "@playwright/test";
