/**
 * No unmasking, no floods (issue 8 §3): registration answers about existing numbers are limited per
 * address and per number and never given for free; failed logins are limited per account across
 * addresses; IPv6 clients count by /64; every 429 keeps its Retry-After through the route's headers;
 * the limits are shared by every process on the database file.
 */
import type { HeadersFunction } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { hashPassword } from "~/.server/auth/password.server";
import { limitersFor } from "~/.server/rate-limit.server";
import { maskPhone } from "~/domain/phone";
import { t } from "~/i18n/vi";
import * as quizRoute from "~/routes/bai-thi.$attemptId._index";
import * as roundRoute from "~/routes/cuoc-thi.$contestId.vong.$roundNumber";
import * as registerRoute from "~/routes/dang-ky";
import * as loginRoute from "~/routes/dang-nhap";
import { openDatabase } from "../../db/client";
import { users } from "../../db/schema";
import { call, context, createUser, postRequest, seedContent, sessionCookie, storedItems, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();

beforeEach(() => {
  seedContent(ctx.db);
});

const TAKEN = "0912010801";
const PASSWORD = "matkhau-dung-1";

type Answer = { fieldErrors?: Partial<Record<string, string>>; formError?: string | null };

function register(phone: string, ip: string, overrides: Record<string, string> = {}) {
  const fields = Object.entries({
    intent: "register",
    fullName: "Người Dò Số",
    phone,
    districtId: "da-lat",
    branchId: "dl-so-tttt",
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    ...overrides,
  });
  return call<Answer>(() => registerRoute.action({ request: postRequest("/dang-ky", fields), params: {}, context: { clientIp: ip } }));
}

function login(phone: string, password: string, ip: string) {
  return call<Answer>(() =>
    loginRoute.action({
      request: postRequest("/dang-nhap", [
        ["phone", phone],
        ["password", password],
      ]),
      params: {},
      context: { clientIp: ip },
    }),
  );
}

/** The headers Remix sends for an action's answer: what the route's `headers` export passes on. */
function sentHeaders(route: { headers?: HeadersFunction }, actionHeaders: Headers): Headers {
  expect(route.headers, "the route passes on Retry-After").toBeTypeOf("function");
  const fn = route.headers as Exclude<HeadersFunction, Headers | Record<string, string>>;
  return new Headers(
    fn({ actionHeaders, loaderHeaders: new Headers(), parentHeaders: new Headers(), errorHeaders: undefined }) as HeadersInit,
  );
}

function expectRetryAfter(route: { headers?: HeadersFunction }, result: { status: number; headers: Headers }) {
  expect(result.status).toBe(429);
  const seconds = Number(sentHeaders(route, result.headers).get("Retry-After"));
  expect(seconds).toBeGreaterThan(0);
  return seconds;
}

describe("registration does not confirm registered numbers cheaply", () => {
  beforeEach(() => {
    createUser(ctx.db, { phone: TAKEN });
  });

  it("a form with another wrong field does not say whether the number is registered", async () => {
    const result = await register(TAKEN, "10.1.0.1", { branchId: "bl-ubnd" });
    expect(result.status).toBe(400);
    expect(result.data?.fieldErrors?.branchId).toBe(t.auth.branchNotInDistrict);
    expect(result.data?.fieldErrors?.phone).toBeUndefined();
  });

  it("an address that hit registered numbers 10 times gets no answer about any number for a day", async () => {
    const registered = Array.from({ length: 10 }, (_, i) => `09870001${String(i).padStart(2, "0")}`);
    for (const phone of registered) createUser(ctx.db, { phone });
    for (const phone of registered) {
      const hit = await register(phone, "10.1.0.2");
      expect(hit.status).toBe(400);
      expect(hit.data?.fieldErrors?.phone).toBe(t.auth.phoneTaken);
    }
    // The candidates the masked number leaves: registered or not, the answer is the same 429.
    const known = await register(TAKEN, "10.1.0.2");
    const fresh = await register("0912010802", "10.1.0.2");
    for (const answer of [known, fresh]) {
      expect(answer.status).toBe(429);
      expect(answer.data?.fieldErrors?.phone).toBeUndefined();
      expect(expectRetryAfter(registerRoute, answer)).toBeGreaterThan(3600);
    }
    expect(ctx.db.select().from(users).all()).toHaveLength(11);
    // Another address is not affected.
    expect((await register("0912010802", "10.1.0.3")).status).toBe(302);
  });

  it("one number hit from many addresses is limited too", async () => {
    for (let i = 0; i < 5; i++) expect((await register(TAKEN, `10.2.0.${i + 1}`)).status).not.toBe(302);
    const sixth = await register(TAKEN, "10.2.0.99");
    expect(sixth.status).toBe(429);
    expect(sixth.data?.fieldErrors?.phone).toBeUndefined();
    expectRetryAfter(registerRoute, sixth);
  });

  it("IPv6 addresses of one /64 count as one address", async () => {
    const registered = Array.from({ length: 10 }, (_, i) => `09870002${String(i).padStart(2, "0")}`);
    for (const phone of registered) createUser(ctx.db, { phone });
    // Ten addresses of one subscriber's /64, one registered number each.
    for (const [i, phone] of registered.entries()) {
      expect((await register(phone, `2001:db8:1:2:${(i + 1).toString(16)}::1`)).status).toBe(400);
    }
    const sameBlock = await register("0912010777", "2001:db8:1:2:ffff:ffff:ffff:1");
    expect(sameBlock.status).toBe(429);
    expectRetryAfter(registerRoute, sameBlock);
    expect((await register("0912010777", "2001:db8:1:3::1")).status).toBe(302);
  }, 30_000);

  it("the masked number on public pages hides five digits", () => {
    expect(maskPhone("0912010801")).toBe("091*****01");
  });
});

describe("failed logins", () => {
  it("are limited per account across addresses: slow guessing from many addresses is stopped", async () => {
    const phone = "0987000111";
    createUser(ctx.db, { phone, passwordHash: await hashPassword(PASSWORD) });
    // 28 failures already spread over 28 addresses (one each: no per-address limit is near).
    await limitersFor(ctx.db).loginFailuresByPhone.consume(phone, 28);
    expect((await login(phone, "sai-1", "10.3.0.1")).status).toBe(400);
    expect((await login(phone, "sai-2", "10.3.0.2")).status).toBe(400);
    const blocked = await login(phone, PASSWORD, "10.3.0.3");
    expect(blocked.data?.formError).toMatch(/quá nhiều lần/);
    expect(blocked.headers.get("Set-Cookie")).toBeNull();
    expect(expectRetryAfter(loginRoute, blocked)).toBeGreaterThan(3000);
  }, 30_000);

  it("from one IPv6 /64 count as one address", async () => {
    const phone = "0987000222";
    createUser(ctx.db, { phone, passwordHash: await hashPassword(PASSWORD) });
    await limitersFor(ctx.db).loginFailuresByPhoneIp.consume(`${phone}_2001:db8:aa:bb::/64`, 9);
    expect((await login(phone, "sai", "2001:db8:aa:bb:1234::9")).status).toBe(400);
    const blocked = await login(phone, PASSWORD, "2001:db8:aa:bb:9999::1");
    expectRetryAfter(loginRoute, blocked);
  }, 30_000);
});

describe("every 429 carries Retry-After", () => {
  it("starting an attempt too often", async () => {
    const id = createUser(ctx.db);
    const cookie = await sessionCookie(ctx.db, id);
    await limitersFor(ctx.db).attemptStarts.consume(id, 10);
    const result = await call(() =>
      roundRoute.action({
        request: postRequest("/cuoc-thi/c1/vong/1", [["intent", "start"]], { cookie }),
        params: { contestId: "c1", roundNumber: "1" },
        context,
      }),
    );
    expectRetryAfter(roundRoute, result);
  });

  it("saving answers too fast", async () => {
    const id = createUser(ctx.db);
    const cookie = await sessionCookie(ctx.db, id);
    const start = await call(() =>
      roundRoute.action({
        request: postRequest("/cuoc-thi/c1/vong/1", [["intent", "start"]], { cookie }),
        params: { contestId: "c1", roundNumber: "1" },
        context,
      }),
    );
    const attemptId = start.headers.get("Location")!.split("/").pop()!;
    const item = storedItems(ctx.db, attemptId)[0]!;
    await limitersFor(ctx.db).answerSaves.consume(id, 120);
    const result = await call(() =>
      quizRoute.action({
        request: postRequest(
          `/bai-thi/${attemptId}`,
          [
            ["intent", "save"],
            ["position", String(item.position)],
            ["option", String(item.correct[0])],
          ],
          { cookie },
        ),
        params: { attemptId },
        context,
      }),
    );
    expectRetryAfter(quizRoute, result);
  });

  it("registrations from one address", async () => {
    await limitersFor(ctx.db).registrationsByIp.consume("10.4.0.1", 30);
    expectRetryAfter(registerRoute, await register("0912010803", "10.4.0.1"));
  });
});

describe("limits are one count for every server process", () => {
  it("an attempt-start count made by one process is seen by another on the same file", async () => {
    const other = openDatabase(ctx.path);
    try {
      await limitersFor(ctx.db).attemptStarts.consume("member-1", 7);
      expect((await limitersFor(other).attemptStarts.get("member-1"))?.consumedPoints).toBe(7);
    } finally {
      other.$client.close();
    }
  });
});
