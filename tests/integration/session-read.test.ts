/**
 * The session read (decision 022): the plain case — a valid session not in its second half, of an
 * active account — is one prepared read (`plainSessionUser`) that gives the same user Lucia gives;
 * every other case goes through Lucia as before (extension written and the cookie sent again,
 * expired → logged out and deleted, deactivated → logged out, temporary password → sent to change
 * it). Lucia decides expiry by the wall clock, so these tests set the wall clock (only `Date`).
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { luciaFor } from "~/.server/auth/lucia.server";
import { plainSessionUser } from "~/.server/auth/session-read.server";
import { getCurrentUser, requireMember } from "~/.server/auth/session.server";
import * as root from "~/root";
import { sessions, users } from "../../db/schema";
import { cookiePair, createUser, seedContent, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
const DAY = 24 * 3600 * 1000;
/** A wall-clock instant on a whole second (Lucia stores expiry in seconds). */
const T0 = Date.UTC(2026, 11, 3, 8, 0, 0);

let userId: string;
let sessionId: string;
let cookie: string;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
  seedContent(ctx.db); // the units a member belongs to
  userId = createUser(ctx.db);
  const lucia = luciaFor(ctx.db);
  sessionId = (await lucia.createSession(userId, {})).id;
  cookie = cookiePair(lucia.createSessionCookie(sessionId).serialize());
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function request(path = "/bai-thi/abc", withCookie: string | null = cookie): Request {
  return new Request(`http://localhost${path}`, withCookie ? { headers: { Cookie: withCookie } } : {});
}

function storedExpiry(): number | undefined {
  return ctx.db.select().from(sessions).where(eq(sessions.id, sessionId)).get()?.expiresAt;
}

async function rootSetCookie(req: Request): Promise<string | null> {
  const reply = (await root.loader({ request: req, params: {}, context: {} })) as { init?: ResponseInit | null };
  return new Headers(reply.init?.headers).get("Set-Cookie");
}

describe("a plain session: one prepared read, no Lucia, no write", () => {
  it("gives the same user object Lucia gives, fresh false, and the root loader sends no cookie", async () => {
    vi.setSystemTime(T0 + 15 * DAY - 1000); // the last second of the first half
    const lucia = luciaFor(ctx.db);
    const validate = vi.spyOn(lucia, "validateSession");
    const before = storedExpiry();
    const current = await getCurrentUser(request());
    expect(validate).not.toHaveBeenCalled();
    expect(current).toEqual({ user: expect.objectContaining({ id: userId }), sessionId, fresh: false });
    expect(await rootSetCookie(request())).toBeNull();
    expect(storedExpiry()).toBe(before);
    validate.mockRestore();
    // Lucia itself, first half: no write, and the very same user object.
    const fromLucia = await lucia.validateSession(sessionId);
    expect(fromLucia.session?.fresh).toBe(false);
    expect(current!.user).toStrictEqual(fromLucia.user);
    expect(Object.keys(current!.user)).toEqual(Object.keys(fromLucia.user!));
  });

  it("the guard lets the member in through it", async () => {
    const validate = vi.spyOn(luciaFor(ctx.db), "validateSession");
    expect((await requireMember(request())).id).toBe(userId);
    expect(validate).not.toHaveBeenCalled();
  });

  it("is null for an unknown session id, and the guard sends the visitor to log in", async () => {
    expect(plainSessionUser(ctx.db.$client, "khongcophiennay", T0)).toBeNull();
    const thrown = await requireMember(request("/bai-thi/abc", "cuocthi_session=khongcophiennay")).catch((e: unknown) => e);
    expect((thrown as Response).headers.get("Location")).toMatch(/^\/dang-nhap\?redirectTo=/);
  });
});

describe("everything else goes through Lucia, as before", () => {
  it("from the half-life on: Lucia extends the session (written) and the root loader sends the cookie again", async () => {
    const half = T0 + 15 * DAY;
    expect(plainSessionUser(ctx.db.$client, sessionId, half - 1)).not.toBeNull();
    expect(plainSessionUser(ctx.db.$client, sessionId, half)).toBeNull();
    vi.setSystemTime(half);
    const validate = vi.spyOn(luciaFor(ctx.db), "validateSession");
    const current = await getCurrentUser(request());
    expect(validate).toHaveBeenCalledTimes(1);
    expect(current).toMatchObject({ user: { id: userId }, sessionId, fresh: true });
    expect(storedExpiry()).toBe((half + 30 * DAY) / 1000);
    // The next request reads the extended session plainly.
    vi.setSystemTime(half + 1000);
    expect(plainSessionUser(ctx.db.$client, sessionId, Date.now())).not.toBeNull();
    // Back in its second half (10 days left): the root loader's request extends it and sends the
    // cookie again with the new expiry.
    ctx.db
      .update(sessions)
      .set({ expiresAt: (half + 10 * DAY) / 1000 })
      .where(eq(sessions.id, sessionId))
      .run();
    expect(await rootSetCookie(request())).toMatch(/^cuocthi_session=[^;]+;.*Max-Age=2592000/);
    expect(storedExpiry()).toBe((half + 1000 + 30 * DAY) / 1000);
  });

  it("expired: logged out, the session deleted, the guard sends to the login page", async () => {
    vi.setSystemTime(T0 + 30 * DAY);
    expect(plainSessionUser(ctx.db.$client, sessionId, Date.now())).toBeNull();
    expect(await getCurrentUser(request())).toBeNull();
    expect(storedExpiry()).toBeUndefined();
    const thrown = await requireMember(request()).catch((e: unknown) => e);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("Location")).toMatch(/^\/dang-nhap/);
  });

  it("a deactivated account: logged out (its session kept, as Lucia leaves it)", async () => {
    ctx.db.update(users).set({ active: false }).where(eq(users.id, userId)).run();
    expect(plainSessionUser(ctx.db.$client, sessionId, T0)).toBeNull();
    const validate = vi.spyOn(luciaFor(ctx.db), "validateSession");
    expect(await getCurrentUser(request())).toBeNull();
    expect(validate).toHaveBeenCalledTimes(1);
    const thrown = await requireMember(request()).catch((e: unknown) => e);
    expect((thrown as Response).headers.get("Location")).toMatch(/^\/dang-nhap/);
    expect(await rootSetCookie(request())).toBeNull();
  });

  it("a temporary password: the plain read gives the user and the guard sends them to change it", async () => {
    ctx.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, userId)).run();
    expect(plainSessionUser(ctx.db.$client, sessionId, T0)).toMatchObject({ id: userId, mustChangePassword: true });
    const thrown = await requireMember(request("/bai-thi/abc")).catch((e: unknown) => e);
    expect((thrown as Response).headers.get("Location")).toBe(`/doi-mat-khau?redirectTo=${encodeURIComponent("/bai-thi/abc")}`);
    // The password page itself is allowed.
    expect((await requireMember(request("/doi-mat-khau"))).id).toBe(userId);
  });

  it("a role change is seen on the next request (the read is not cached across requests)", async () => {
    expect((await getCurrentUser(request()))!.user.role).toBe("member");
    ctx.db.update(users).set({ role: "judge" }).where(eq(users.id, userId)).run();
    expect((await getCurrentUser(request()))!.user.role).toBe("judge");
  });
});
