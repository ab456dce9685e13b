/**
 * Privileged accounts (issue 8 §2) and member management (issue 17): who may act on whose account,
 * the last admin, the audit of each act, a member's own password change, deactivation finalizing an
 * attempt in progress, names cleaned by one rule, and search that ignores diacritics and case.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { luciaFor } from "~/.server/auth/lucia.server";
import { hashPassword, verifyPassword } from "~/.server/auth/password.server";
import { backfillSearchNames, searchMembers } from "~/.server/members.server";
import { accountsText } from "~/i18n/accounts.vi";
import * as changePasswordRoute from "~/routes/doi-mat-khau";
import * as roundRoute from "~/routes/cuoc-thi.$contestId.vong.$roundNumber";
import * as quizRoute from "~/routes/bai-thi.$attemptId._index";
import * as membersPage from "~/routes/to-chuc.thanh-vien";
import { attempts, auditLog, sessions, users, type Role } from "../../db/schema";
import {
  attemptRow,
  call,
  context,
  cookiePair,
  createUser,
  getRequest,
  postRequest,
  seedContent,
  sessionCookie,
  storedItems,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();

beforeEach(() => {
  seedContent(ctx.db);
});

async function person(role: Role, fullName = "Người Thử Nghiệm") {
  const id = createUser(ctx.db);
  ctx.db.update(users).set({ role, fullName }).where(eq(users.id, id)).run();
  return { id, cookie: await sessionCookie(ctx.db, id) };
}

function act(cookie: string, fields: Record<string, string>) {
  return call<{ error: string | null; message: string | null; password: string | null }>(() =>
    membersPage.action({ request: postRequest("/to-chuc/thanh-vien", Object.entries(fields), { cookie }), params: {}, context }),
  );
}

function userRow(id: string) {
  return ctx.db.select().from(users).where(eq(users.id, id)).get()!;
}

function auditOf(action: string, subjectId: string) {
  return ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.subject, `member:${subjectId}`)))
    .all();
}

describe("only admins act on privileged accounts", () => {
  it.each(["organizer", "judge", "admin"] as const)(
    "an organizer cannot reset, lock or rename a %s; the account is unchanged",
    async (role) => {
      const organizer = await person("organizer");
      const target = await person(role);
      const before = userRow(target.id);
      const tries: Record<string, string>[] = [
        { intent: "reset-password", userId: target.id },
        { intent: "deactivate", userId: target.id },
        { intent: "rename", userId: target.id, fullName: "Tên Mới" },
        { intent: "set-role", userId: target.id, role: "member" },
      ];
      for (const fields of tries) {
        const result = await act(organizer.cookie, fields);
        expect(result.status, fields.intent).toBe(403);
        expect(result.data?.password ?? null).toBeNull();
      }
      expect(userRow(target.id)).toEqual(before);
      // Their session still works: nobody logged them out.
      expect(ctx.db.select().from(sessions).where(eq(sessions.userId, target.id)).all()).toHaveLength(1);
      expect(ctx.db.select().from(auditLog).where(eq(auditLog.subjectKind, "member")).all()).toHaveLength(0);
    },
  );

  it("an organizer cannot reactivate a locked judge either", async () => {
    const organizer = await person("organizer");
    const judge = await person("judge");
    ctx.db.update(users).set({ active: false }).where(eq(users.id, judge.id)).run();
    const result = await act(organizer.cookie, { intent: "activate", userId: judge.id });
    expect(result.status).toBe(403);
    expect(result.data?.error).toBe(accountsText.refusals.privileged_needs_admin);
    expect(userRow(judge.id).active).toBe(false);
  });

  it("an organizer resets, locks, unlocks and renames a member; each act is audited with the actor and the values", async () => {
    const organizer = await person("organizer");
    const member = await person("member", "Nguyen Van A");
    expect((await act(organizer.cookie, { intent: "reset-password", userId: member.id })).status).toBe(200);
    expect((await act(organizer.cookie, { intent: "deactivate", userId: member.id })).status).toBe(200);
    expect((await act(organizer.cookie, { intent: "activate", userId: member.id })).status).toBe(200);
    const renamed = await act(organizer.cookie, { intent: "rename", userId: member.id, fullName: "  Nguyễn   Văn An " });
    expect(renamed.status).toBe(200);
    expect(userRow(member.id)).toMatchObject({
      fullName: "Nguyễn Văn An",
      searchName: "nguyen van an",
      active: true,
      mustChangePassword: true,
    });

    const [reset] = auditOf("user.reset_password", member.id);
    expect(reset).toMatchObject({
      actorUserId: organizer.id,
      subjectKind: "member",
      before: { mustChangePassword: false },
      after: { mustChangePassword: true },
    });
    expect(JSON.stringify(reset)).not.toMatch(/argon2/);
    expect(auditOf("user.deactivate", member.id)[0]).toMatchObject({
      actorUserId: organizer.id,
      before: { active: true },
      after: { active: false },
    });
    expect(auditOf("user.activate", member.id)[0]).toMatchObject({
      actorUserId: organizer.id,
      before: { active: false },
      after: { active: true },
    });
    expect(auditOf("user.rename", member.id)[0]).toMatchObject({
      actorUserId: organizer.id,
      before: { fullName: "Nguyen Van A" },
      after: { fullName: "Nguyễn Văn An" },
    });
  }, 30_000);

  it("an admin resets a judge's password and changes an organizer's role, audited", async () => {
    const admin = await person("admin");
    const judge = await person("judge");
    const organizer = await person("organizer");
    const reset = await act(admin.cookie, { intent: "reset-password", userId: judge.id });
    expect(reset.status).toBe(200);
    expect(await verifyPassword(userRow(judge.id).passwordHash, reset.data!.password!)).toBe(true);
    expect(ctx.db.select().from(sessions).where(eq(sessions.userId, judge.id)).all()).toHaveLength(0);
    expect((await act(admin.cookie, { intent: "set-role", userId: organizer.id, role: "judge" })).status).toBe(200);
    expect(userRow(organizer.id).role).toBe("judge");
    expect(auditOf("user.set_role", organizer.id)[0]).toMatchObject({
      actorUserId: admin.id,
      before: { role: "organizer" },
      after: { role: "judge" },
    });
    expect(auditOf("user.reset_password", judge.id)[0]).toMatchObject({ actorUserId: admin.id });
  }, 30_000);

  it("the last active admin can be neither demoted nor deactivated; with a second admin, one may step down", async () => {
    const admin = await person("admin");
    const selfDemote = await act(admin.cookie, { intent: "set-role", userId: admin.id, role: "organizer" });
    expect(selfDemote.status).toBe(409);
    expect(selfDemote.data?.error).toBe(accountsText.refusals.last_admin);
    expect(userRow(admin.id).role).toBe("admin");
    // A locked admin does not count: the only active admin is still the last one.
    const locked = await person("admin");
    ctx.db.update(users).set({ active: false }).where(eq(users.id, locked.id)).run();
    expect((await act(admin.cookie, { intent: "set-role", userId: admin.id, role: "member" })).status).toBe(409);

    const second = await person("admin");
    expect((await act(admin.cookie, { intent: "set-role", userId: admin.id, role: "organizer" })).status).toBe(200);
    expect(userRow(admin.id).role).toBe("organizer");
    // Now `second` is the last active admin: the former admin, now an organizer, cannot touch them.
    expect((await act(admin.cookie, { intent: "deactivate", userId: second.id })).status).toBe(403);
    expect(userRow(second.id).active).toBe(true);
  });

  it("the page shows each person only the buttons they may use", async () => {
    const organizer = await person("organizer", "Trần Thị Bình");
    await person("judge", "Trần Văn Giám");
    await person("member", "Trần Văn Thành");
    const page = await call<{ members: { fullName: string; acts: string[] }[] }>(() =>
      membersPage.loader({ request: getRequest("/to-chuc/thanh-vien?q=tran", { cookie: organizer.cookie }), params: {}, context }),
    );
    const acts = Object.fromEntries(page.data!.members.map((m) => [m.fullName, m.acts]));
    expect(acts["Trần Văn Thành"]).toEqual(["reset-password", "deactivate", "rename"]);
    expect(acts["Trần Văn Giám"]).toEqual([]);
    expect(acts["Trần Thị Bình"]).toEqual([]);

    const admin = await person("admin", "Trần Quản Trị");
    const adminPage = await call<{ members: { fullName: string; acts: string[] }[] }>(() =>
      membersPage.loader({ request: getRequest("/to-chuc/thanh-vien?q=tran", { cookie: admin.cookie }), params: {}, context }),
    );
    const adminActs = Object.fromEntries(adminPage.data!.members.map((m) => [m.fullName, m.acts]));
    expect(adminActs["Trần Văn Giám"]).toEqual(["reset-password", "deactivate", "rename", "set-role"]);
    // The only admin sees no lock button on their own row, only the role form (refused if last).
    expect(adminActs["Trần Quản Trị"]).toEqual(["set-role"]);
  });
});

describe("a member's own password change", () => {
  it("signs out every other session and keeps the current one under a fresh id", async () => {
    const id = createUser(ctx.db, { passwordHash: await hashPassword("mat-khau-cu-1") });
    const lucia = luciaFor(ctx.db);
    const phone = await lucia.createSession(id, {});
    const laptop = await lucia.createSession(id, {});
    const current = lucia.createSessionCookie(phone.id).serialize().split(";")[0]!;
    const result = await call(() =>
      changePasswordRoute.action({
        request: postRequest(
          "/doi-mat-khau",
          [
            ["current", "mat-khau-cu-1"],
            ["password", "mat-khau-moi-2"],
            ["passwordConfirm", "mat-khau-moi-2"],
          ],
          { cookie: current },
        ),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(302);
    const fresh = lucia.readSessionCookie(cookiePair(result.headers.get("Set-Cookie")!))!;
    expect((await lucia.validateSession(laptop.id)).session).toBeNull();
    expect((await lucia.validateSession(phone.id)).session).toBeNull();
    expect((await lucia.validateSession(fresh)).user?.id).toBe(id);
    expect(
      ctx.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, id))
        .all()
        .map((s) => s.id),
    ).toEqual([fresh]);
  }, 30_000);
});

describe("deactivating a member with an attempt in progress", () => {
  it("finalizes it now with the answers saved, recorded as finalized by the server", async () => {
    const organizer = await person("organizer");
    const member = await person("member");
    const start = await call(() =>
      roundRoute.action({
        request: postRequest("/cuoc-thi/c1/vong/1", [["intent", "start"]], { cookie: member.cookie }),
        params: { contestId: "c1", roundNumber: "1" },
        context,
      }),
    );
    const attemptId = start.headers.get("Location")!.split("/").pop()!;
    const first = storedItems(ctx.db, attemptId)[0]!;
    const save = await call(() =>
      quizRoute.action({
        request: postRequest(
          `/bai-thi/${attemptId}`,
          [["intent", "save"], ["position", String(first.position)], ...first.correct.map((o): [string, string] => ["option", String(o)])],
          { cookie: member.cookie },
        ),
        params: { attemptId },
        context,
      }),
    );
    expect(save.status).toBe(200);
    ctx.now += 60_000;
    expect((await act(organizer.cookie, { intent: "deactivate", userId: member.id })).status).toBe(200);

    const attempt = attemptRow(ctx.db, attemptId);
    expect(attempt.status).not.toBe("in_progress");
    expect(attempt.finalizedBy).toBe("server");
    expect(attempt.finalizedAt).toBe(ctx.now);
    expect(attempt.score).toBe(first.points);
    expect(attempt.correctCount).toBe(1);
    expect(auditOf("user.deactivate", member.id)[0]!.details).toMatchObject({ finalizedAttempts: [attemptId] });
    expect(ctx.db.select().from(attempts).where(eq(attempts.status, "in_progress")).all()).toHaveLength(0);
  });
});

describe("names", () => {
  it.each([
    ["NUL", "Nguyễn\u0000An"],
    ["BEL", "Nguyễn Văn\u0007 An"],
    ["ESC", "\u001b[31mNguyễn"],
  ])("an organizer's rename with %s is refused with a field message, nothing changes", async (_label, name) => {
    const organizer = await person("organizer");
    const member = await person("member", "Nguyễn Văn An");
    const result = await act(organizer.cookie, { intent: "rename", userId: member.id, fullName: name });
    expect(result.status).toBe(400);
    expect(result.data?.error).toBe(accountsText.names.control);
    expect(userRow(member.id).fullName).toBe("Nguyễn Văn An");
  });

  it("a bidirectional override is refused; combining accents are stored precomposed (NFC)", async () => {
    const organizer = await person("organizer");
    const member = await person("member");
    const bidi = await act(organizer.cookie, { intent: "rename", userId: member.id, fullName: "Nguyễn \u202eAn" });
    expect(bidi.status).toBe(400);
    expect(bidi.data?.error).toBe(accountsText.names.invisible);
    const decomposed = "Nguyễn Văn An".normalize("NFD");
    expect((await act(organizer.cookie, { intent: "rename", userId: member.id, fullName: decomposed })).status).toBe(200);
    expect(userRow(member.id).fullName).toBe("Nguyễn Văn An".normalize("NFC"));
  });
});

describe("member search", () => {
  it("ignores diacritics and case, on the whole name or from any word", async () => {
    const organizer = await person("organizer");
    await person("member", "Nguyễn Văn An");
    await person("member", "Nguyễn Văn Anh");
    await person("member", "Lê Thị Đào");
    const find = async (q: string) =>
      (
        await call<{ members: { fullName: string }[] }>(() =>
          membersPage.loader({
            request: getRequest(`/to-chuc/thanh-vien?q=${encodeURIComponent(q)}`, { cookie: organizer.cookie }),
            params: {},
            context,
          }),
        )
      ).data!.members.map((m) => m.fullName);
    expect(await find("nguyen van an")).toEqual(["Nguyễn Văn An", "Nguyễn Văn Anh"]);
    expect(await find("NGUYỄN VĂN AN")).toEqual(["Nguyễn Văn An", "Nguyễn Văn Anh"]);
    expect(await find("van anh")).toEqual(["Nguyễn Văn Anh"]);
    expect(await find("dao")).toEqual(["Lê Thị Đào"]);
    expect(await find("le thi dao")).toEqual(["Lê Thị Đào"]);
    expect(await find("an")).toEqual(["Nguyễn Văn An", "Nguyễn Văn Anh"]);
  });

  it("fills the search form of names stored without it, then finds them", async () => {
    const id = createUser(ctx.db);
    ctx.db.update(users).set({ fullName: "Phạm Thị Dung", searchName: null }).where(eq(users.id, id)).run();
    expect(backfillSearchNames(ctx.db)).toBe(1);
    expect(userRow(id).searchName).toBe("pham thi dung");
    expect(searchMembers(ctx.db, "pham thi dung").map((m) => m.id)).toEqual([id]);
  });

  it("uses the index on the stored search name for the whole-name search", () => {
    const plan = ctx.db.$client
      .prepare("explain query plan select id from users where search_name >= ? and search_name < ?")
      .all("nguyen", "nguyen\uffff") as { detail: string }[];
    expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING (COVERING )?INDEX users_search_name/);
  });
});
