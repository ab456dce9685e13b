/**
 * Bad input gets a clear answer, never a 500 (issue 8 §4), through the routes: an unreadable
 * session cookie, absurd page numbers, names with control or direction characters, exports that
 * carry what people typed, and HSTS when cookies are secure.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { freezeClosedRounds } from "~/.server/results.server";
import { resetEnv } from "~/.server/env.server";
import { toCsv } from "~/.server/exports/csv.server";
import { securityHeaders } from "~/entry.server";
import { accountsText } from "~/i18n/accounts.vi";
import * as root from "~/root";
import * as leaderboardRoute from "~/routes/cuoc-thi.$contestId.xep-hang";
import * as registerRoute from "~/routes/dang-ky";
import * as loginRoute from "~/routes/dang-nhap";
import * as judgeRound from "~/routes/giam-khao.$contestId.vong.$roundNumber";
import { users } from "../../db/schema";
import { call, CLOSES_AT, context, createUser, DAY, getRequest, postRequest, seedContent, sessionCookie, useTestDatabase } from "./helpers";
import { eq } from "drizzle-orm";

const ctx = useTestDatabase();

beforeEach(() => {
  seedContent(ctx.db);
});

describe("an unreadable session cookie", () => {
  const BROKEN = "cuocthi_session=%E0%A4%A";

  it("is no session: the home page and the login page answer, and the cookie is cleared, with one log line", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const home = await call<{ user: unknown }>(() => root.loader({ request: getRequest("/", { cookie: BROKEN }), params: {}, context }));
      expect(home.status).toBe(200);
      expect(home.data?.user).toBeNull();
      expect(home.headers.get("Set-Cookie")).toMatch(/^cuocthi_session=;.*Max-Age=0/i);
      const loginPage = await call(() => loginRoute.loader({ request: getRequest("/dang-nhap", { cookie: BROKEN }), params: {}, context }));
      expect(loginPage.status).toBe(200);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
  });

  it("does not stop a login", async () => {
    const result = await call(() =>
      loginRoute.action({
        request: postRequest(
          "/dang-nhap",
          [
            ["phone", "0912999888"],
            ["password", "x"],
          ],
          { cookie: BROKEN },
        ),
        params: {},
        context,
      }),
    );
    expect(result.status).toBe(400);
  });
});

describe("page numbers", () => {
  async function judge() {
    const id = createUser(ctx.db);
    ctx.db.update(users).set({ role: "judge" }).where(eq(users.id, id)).run();
    return sessionCookie(ctx.db, id);
  }

  it.each(["1e308", "-1", "abc", "99999999999999999999", "2.5", ""])(
    "?trang=%s on the judges' page is a page, not a 500",
    async (trang) => {
      ctx.now = CLOSES_AT + DAY;
      // The scheduled job stores a closed round's results; pages only read them (decision 013).
      freezeClosedRounds(ctx.db, ctx.now);
      const cookie = await judge();
      const result = await call<{ page: number }>(() =>
        judgeRound.loader({
          request: getRequest(`/giam-khao/c1/vong/1?trang=${encodeURIComponent(trang)}`, { cookie }),
          params: { contestId: "c1", roundNumber: "1" },
          context,
        }),
      );
      expect(result.status).toBe(200);
      expect(result.data!.page).toBeGreaterThanOrEqual(1);
      expect(result.data!.page).toBeLessThanOrEqual(100_000);
    },
  );

  it("?trang=1e308 on the public leaderboard is a page too", async () => {
    ctx.now = CLOSES_AT + DAY;
    const result = await call(() =>
      leaderboardRoute.loader({ request: getRequest("/cuoc-thi/c1/xep-hang?trang=1e308"), params: { contestId: "c1" }, context }),
    );
    expect(result.status).toBe(200);
  });
});

describe("names at registration", () => {
  function register(fullName: string, phone: string) {
    const fields = Object.entries({
      intent: "register",
      fullName,
      phone,
      districtId: "da-lat",
      branchId: "dl-so-tttt",
      password: "matkhau-dung-1",
      passwordConfirm: "matkhau-dung-1",
    });
    return call<{ fieldErrors?: Partial<Record<string, string>> }>(() =>
      registerRoute.action({ request: postRequest("/dang-ky", fields), params: {}, context }),
    );
  }

  it.each([
    ["NUL", "Nguyễn Văn\u0000 An", accountsText.names.control],
    ["BEL", "Nguyễn Văn An\u0007", accountsText.names.control],
    ["ESC", "\u001b[2JNguyễn Văn An", accountsText.names.control],
    ["a right-to-left override", "\u202eNguyễn Văn An", accountsText.names.invisible],
    ["a zero-width joiner", "Nguyễn\u200dVăn An", accountsText.names.invisible],
  ])("a name with %s is refused with a message on the name field", async (_label, name, message) => {
    const result = await register(name, "0912555001");
    expect(result.status).toBe(400);
    expect(result.data?.fieldErrors?.fullName).toBe(message);
    expect(ctx.db.select().from(users).all()).toHaveLength(0);
  });

  it("a name typed with combining accents is stored precomposed (NFC), with its search form", async () => {
    const result = await register("Nguyễn Văn An".normalize("NFD"), "0912555002");
    expect(result.status).toBe(302);
    const stored = ctx.db.select().from(users).get()!;
    expect(stored.fullName).toBe("Nguyễn Văn An".normalize("NFC"));
    expect(stored.searchName).toBe("nguyen van an");
  }, 30_000);
});

describe("exports", () => {
  it("neutralize formulas, also behind spaces or in full width, and drop control and direction characters", () => {
    const csv = toCsv(["Họ và tên"], [['=HYPERLINK("x")'], [" =1+1"], ["＝1+1"], ["Nguyễn\u202e An"], ["Lê\u0007 Văn\u0000"]]);
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")"`);
    expect(lines[2]).toBe("' =1+1");
    expect(lines[3]).toBe("'＝1+1");
    expect(lines[4]).toBe("Nguyễn An");
    expect(lines[5]).toBe("Lê Văn");
  });
});

describe("HSTS", () => {
  const saved = process.env.SECURE_COOKIES;
  afterEach(() => {
    if (saved === undefined) delete process.env.SECURE_COOKIES;
    else process.env.SECURE_COOKIES = saved;
    resetEnv();
  });

  it("is sent on pages when cookies are secure, and not over plain http", () => {
    process.env.SECURE_COOKIES = "true";
    resetEnv();
    const secure = new Headers();
    securityHeaders(secure, "n");
    expect(secure.get("Strict-Transport-Security")).toMatch(/^max-age=\d{7,}/);

    process.env.SECURE_COOKIES = "false";
    resetEnv();
    const plain = new Headers();
    securityHeaders(plain, "n");
    expect(plain.get("Strict-Transport-Security")).toBeNull();
  });
});
