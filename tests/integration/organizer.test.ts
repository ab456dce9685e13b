/**
 * The organizers' console: banks in the browser (round trip, refusals), units (CSV import with
 * per-line errors, rename, merge keeping history), members (temporary password, roles), and the
 * role check on every organizer route. The unit list import has its own file: units-import.test.ts.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { startAttempt } from "~/.server/attempts.server";
import { hashPassword, verifyPassword } from "~/.server/auth/password.server";
import { luciaFor } from "~/.server/auth/lucia.server";
import { t } from "~/i18n/vi";
import * as bankEditor from "~/routes/to-chuc.bo-cau-hoi.$bankId";
import * as contestEditor from "~/routes/to-chuc.cuoc-thi.$contestId";
import * as contestDownload from "~/routes/to-chuc.cuoc-thi.$contestId.tai";
import * as bankDownload from "~/routes/to-chuc.bo-cau-hoi.$bankId.tai";
import * as organizerHome from "~/routes/to-chuc._index";
import * as unitsPage from "~/routes/to-chuc.don-vi";
import * as membersPage from "~/routes/to-chuc.thanh-vien";
import * as monitorPage from "~/routes/to-chuc.theo-doi.$contestId.$roundNumber";
import { attempts, auditLog, branches, questions, users, type Role } from "../../db/schema";
import {
  call,
  context,
  createUser,
  getRequest,
  NOW,
  ORIGIN,
  roundIdOf,
  seedContent,
  sessionCookie,
  useTestDatabase,
  postRequest,
} from "./helpers";

const ctx = useTestDatabase();

async function loggedIn(role: Role, phone?: string) {
  const id = createUser(ctx.db, { phone });
  ctx.db.update(users).set({ role }).where(eq(users.id, id)).run();
  return { id, cookie: await sessionCookie(ctx.db, id) };
}

function multipart(path: string, cookie: string, fields: Record<string, string>, file?: { name: string; text: string }) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  if (file) body.set("file", new File([file.text], file.name, { type: "text/plain" }));
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: { Origin: ORIGIN, Cookie: cookie }, body });
}

const BANK = `---
id: bo-moi
title: Bộ mới
---

## m-1

Câu một?

- [x] Đúng
- [ ] Sai

## m-2

Câu hai?

- [ ] Sai
- [x] Đúng
`;

beforeEach(() => {
  seedContent(ctx.db);
});

describe("banks in the browser", () => {
  it("lists each bank with its number of questions in use", async () => {
    const { cookie } = await loggedIn("organizer");
    const home = await call<{ banks: { id: string; questionCount: number }[] }>(() =>
      organizerHome.loader({ request: getRequest("/to-chuc", { cookie }), params: {}, context }),
    );
    expect(home.data!.banks.map((b) => [b.id, b.questionCount])).toEqual([
      ["bo-a", 4],
      ["bo-b", 3],
    ]);
  });

  it("upload with a mistake → the error with its line; fixed → imported; download gives the same text", async () => {
    const { cookie } = await loggedIn("organizer");
    const broken = BANK.replace("- [x] Đúng\n- [ ] Sai", "- [ ] Đúng\n- [ ] Sai");
    const checked = await call<{ errors: { line: number; message: string }[] }>(() =>
      bankEditor.action({
        request: multipart("/to-chuc/bo-cau-hoi/moi", cookie, { intent: "import", markdown: "" }, { name: "bo-moi.md", text: broken }),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(checked.status).toBe(400);
    expect(checked.data!.errors).toEqual([{ line: 6, message: expect.stringContaining("chưa có đáp án đúng") }]);

    const imported = await call(() =>
      bankEditor.action({
        request: multipart("/to-chuc/bo-cau-hoi/moi", cookie, { intent: "import", markdown: BANK }),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(imported.status).toBe(302);
    expect(imported.headers.get("Location")).toMatch(/^\/to-chuc\/bo-cau-hoi\/bo-moi\?/);

    const download = await call(() =>
      bankDownload.loader({ request: getRequest("/to-chuc/bo-cau-hoi/bo-moi/tai", { cookie }), params: { bankId: "bo-moi" }, context }),
    );
    expect(download.status).toBe(200);
    expect(await download.response!.text()).toBe(BANK);
    expect(download.headers.get("Content-Type")).toBe("text/markdown; charset=utf-8");
  });

  it("refuses a new bank whose id already exists, instead of overwriting it", async () => {
    const { cookie } = await loggedIn("organizer");
    const existing = BANK.replace("id: bo-moi", "id: bo-a");
    const result = await call<{ errors: { line: number; message: string }[] }>(() =>
      bankEditor.action({
        request: multipart("/to-chuc/bo-cau-hoi/moi", cookie, { intent: "import", markdown: existing }),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data!.errors[0]!.message).toBe(t.organizer.idExists("bo-a"));
  });

  it("refuses to shrink a bank below what an open round draws from it, and changes nothing", async () => {
    const { cookie } = await loggedIn("organizer");
    const questionsBefore = ctx.db.select().from(questions).all();
    // The test contest draws all 4 questions of bank "bo-a"; a bank of 2 would break its draw.
    const smaller = BANK.replace("id: bo-moi", "id: bo-a");
    const result = await call<{ errors: { line: number; message: string }[] }>(() =>
      bankEditor.action({
        request: multipart("/to-chuc/bo-cau-hoi/bo-a", cookie, { intent: "import", markdown: smaller }),
        params: { bankId: "bo-a" },
        context,
      }),
    );
    expect(result.status).toBe(409);
    expect(result.data!.errors[0]!.message).toBe(
      "cuộc thi `c1`, vòng 1 lấy 4 câu từ bộ này nhưng bộ chỉ còn 2 câu — giữ đủ câu hỏi hoặc giảm số câu của vòng đó trước.",
    );
    expect(ctx.db.select().from(questions).all()).toEqual(questionsBefore);
  });
});

describe("units", () => {
  it("merges a branch: members move with their history, the old branch is kept and marked", async () => {
    const { cookie } = await loggedIn("organizer");
    const member = createUser(ctx.db, { branchId: "dl-ubnd" });
    const { attemptId } = startAttempt(ctx.db, { roundId: roundIdOf(ctx.db), userId: member, now: NOW });
    const result = await call<{ message: string }>(() =>
      unitsPage.action({
        request: postRequest(
          "/to-chuc/don-vi",
          [
            ["intent", "merge"],
            ["branchId", "dl-ubnd"],
            ["intoId", "bl-ubnd"],
          ],
          { cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(result.data!.message).toMatch(/chuyển 1 đoàn viên/);
    const moved = ctx.db.select().from(users).where(eq(users.id, member)).get()!;
    expect(moved).toMatchObject({ branchId: "bl-ubnd", districtId: "bao-loc" });
    expect(ctx.db.select().from(branches).where(eq(branches.id, "dl-ubnd")).get()!.mergedIntoId).toBe("bl-ubnd");
    expect(ctx.db.select().from(attempts).where(eq(attempts.id, attemptId)).get()!.userId).toBe(member);
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "branch.merge")).all()).toHaveLength(1);
  });

  it("renames a branch and records it", async () => {
    const { cookie } = await loggedIn("organizer");
    const tooShort = await call(() =>
      unitsPage.action({
        request: postRequest(
          "/to-chuc/don-vi",
          [
            ["intent", "rename"],
            ["branchId", "dl-ubnd"],
            ["name", "ab"],
          ],
          { cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(tooShort.status).toBe(400);
    await call(() =>
      unitsPage.action({
        request: postRequest(
          "/to-chuc/don-vi",
          [
            ["intent", "rename"],
            ["branchId", "dl-ubnd"],
            ["name", "Công đoàn Văn phòng HĐND-UBND"],
          ],
          { cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(ctx.db.select().from(branches).where(eq(branches.id, "dl-ubnd")).get()!.name).toBe("Công đoàn Văn phòng HĐND-UBND");
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "branch.rename")).get()!.details).toMatchObject({
      to: "Công đoàn Văn phòng HĐND-UBND",
    });
  });
});

describe("members", () => {
  it("a temporary password is shown once, works, must be changed, and signs the member out", async () => {
    const { cookie } = await loggedIn("organizer");
    const member = createUser(ctx.db, { phone: "0987111222", passwordHash: await hashPassword("cu-mat-khau") });
    const memberSession = await luciaFor(ctx.db).createSession(member, {});
    const result = await call<{ password: string; message: string }>(() =>
      membersPage.action({
        request: postRequest(
          "/to-chuc/thanh-vien",
          [
            ["intent", "reset-password"],
            ["userId", member],
          ],
          { cookie },
        ),
        params: {},
        context,
      }),
    );
    const password = result.data!.password;
    expect(password).toMatch(/^[a-z2-9]{10}$/);
    const row = ctx.db.select().from(users).where(eq(users.id, member)).get()!;
    expect(await verifyPassword(row.passwordHash, password)).toBe(true);
    expect(row.mustChangePassword).toBe(true);
    expect((await luciaFor(ctx.db).validateSession(memberSession.id)).session).toBeNull();
    expect(ctx.db.select().from(auditLog).where(eq(auditLog.action, "user.reset_password")).all()).toHaveLength(1);
  }, 30_000);

  it("only an admin changes roles; nobody acts on an admin or on themselves unless admin", async () => {
    const organizer = await loggedIn("organizer");
    const admin = await loggedIn("admin");
    const member = createUser(ctx.db);
    const refused = await call(() =>
      membersPage.action({
        request: postRequest(
          "/to-chuc/thanh-vien",
          [
            ["intent", "set-role"],
            ["userId", member],
            ["role", "judge"],
          ],
          { cookie: organizer.cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(refused.status).toBe(403);
    const onAdmin = await call(() =>
      membersPage.action({
        request: postRequest(
          "/to-chuc/thanh-vien",
          [
            ["intent", "deactivate"],
            ["userId", admin.id],
          ],
          { cookie: organizer.cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(onAdmin.status).toBe(403);
    const allowed = await call(() =>
      membersPage.action({
        request: postRequest(
          "/to-chuc/thanh-vien",
          [
            ["intent", "set-role"],
            ["userId", member],
            ["role", "judge"],
          ],
          { cookie: admin.cookie },
        ),
        params: {},
        context,
      }),
    );
    expect(allowed.status).toBe(200);
    expect(ctx.db.select().from(users).where(eq(users.id, member)).get()!.role).toBe("judge");
  });

  it("finds members by name or by any form of their phone number", async () => {
    const { cookie } = await loggedIn("organizer");
    createUser(ctx.db, { phone: "0912345678" });
    const byPhone = await call<{ members: { phone: string }[] }>(() =>
      membersPage.loader({
        request: getRequest(`/to-chuc/thanh-vien?q=${encodeURIComponent("+84 912 345 678")}`, { cookie }),
        params: {},
        context,
      }),
    );
    expect(byPhone.data!.members.map((m) => m.phone)).toEqual(["0912345678"]);
  });
});

describe("every organizer route refuses members and judges", () => {
  const routes: [string, (request: Request) => Promise<unknown>][] = [
    ["home", (request) => organizerHome.loader({ request, params: {}, context })],
    ["bank editor", (request) => bankEditor.loader({ request, params: { bankId: "a" }, context })],
    [
      "bank editor action",
      (request) =>
        bankEditor.action({
          request: new Request(request.url, {
            method: "POST",
            headers: { Origin: ORIGIN, Cookie: request.headers.get("Cookie") ?? "" },
            body: new FormData(),
          }),
          params: { bankId: "a" },
          context,
        }),
    ],
    ["bank download", (request) => bankDownload.loader({ request, params: { bankId: "a" }, context })],
    ["units", (request) => unitsPage.loader({ request, params: {}, context })],
    ["members", (request) => membersPage.loader({ request, params: {}, context })],
    ["monitor", (request) => monitorPage.loader({ request, params: { contestId: "c1", roundNumber: "1" }, context })],
    ["contest editor", (request) => contestEditor.loader({ request, params: { contestId: "c1" }, context })],
    [
      "contest editor action",
      (request) =>
        contestEditor.action({
          request: new Request(request.url, {
            method: "POST",
            headers: { Origin: ORIGIN, Cookie: request.headers.get("Cookie") ?? "" },
            body: new FormData(),
          }),
          params: { contestId: "c1" },
          context,
        }),
    ],
    ["contest download", (request) => contestDownload.loader({ request, params: { contestId: "c1" }, context })],
    [
      "units action",
      (request) =>
        unitsPage.action({
          request: new Request(request.url, {
            method: "POST",
            headers: { Origin: ORIGIN, Cookie: request.headers.get("Cookie") ?? "" },
            body: new FormData(),
          }),
          params: {},
          context,
        }),
    ],
    [
      "members action",
      (request) =>
        membersPage.action({
          request: new Request(request.url, {
            method: "POST",
            headers: { Origin: ORIGIN, Cookie: request.headers.get("Cookie") ?? "" },
            body: new FormData(),
          }),
          params: {},
          context,
        }),
    ],
  ];
  for (const role of ["member", "judge"] as const) {
    for (const [name, run] of routes) {
      it(`${name}: ${role} → 403`, async () => {
        const { cookie } = await loggedIn(role);
        const result = await call(() => run(getRequest("/to-chuc/x", { cookie })));
        expect(result.status).toBe(403);
      });
    }
  }
  it("an anonymous visitor is sent to log in", async () => {
    const result = await call(() => organizerHome.loader({ request: getRequest("/to-chuc"), params: {}, context }));
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/dang-nhap\?redirectTo=/);
  });
});
