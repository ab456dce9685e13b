/**
 * The rules through the route modules: registration, login, starting an attempt, the quiz and the
 * result, called as Remix calls them (single fetch), against a temporary database and a fake clock.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { luciaFor } from "~/.server/auth/lucia.server";
import { hashPassword } from "~/.server/auth/password.server";
import { limitersFor } from "~/.server/rate-limit.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { t } from "~/i18n/vi";
import * as quizRoute from "~/routes/bai-thi.$attemptId._index";
import * as resultRoute from "~/routes/bai-thi.$attemptId.ket-qua";
import * as roundRoute from "~/routes/cuoc-thi.$contestId.vong.$roundNumber";
import * as registerRoute from "~/routes/dang-ky";
import * as loginRoute from "~/routes/dang-nhap";
import { attempts, sessions, users } from "../../db/schema";
import {
  attemptRow,
  call,
  CLOSES_AT,
  context,
  cookiePair,
  createUser,
  getRequest,
  MINUTE,
  NOW,
  postRequest,
  reopenDatabase,
  seedContent,
  sessionCookie,
  storedItems,
  TIME_LIMIT_SECONDS,
  useTestDatabase,
  type StoredItem,
} from "./helpers";

const ctx = useTestDatabase();

beforeEach(() => {
  seedContent(ctx.db);
});

const ROUND_PATH = "/cuoc-thi/c1/vong/1";
const roundParams = { contestId: "c1", roundNumber: "1" };
const PASSWORD = "matkhau-dung-1";
/** Tests that hash or verify passwords a score of times (argon2 is slow on purpose). */
const ARGON2_HEAVY_TIMEOUT = 60_000;

type ErrorData = { error?: string; fieldErrors?: Partial<Record<string, string>>; formError?: string | null };

/* ---------- registration ---------- */

function registrationFields(overrides: Record<string, string> = {}): [string, string][] {
  return Object.entries({
    intent: "register",
    fullName: "  Nguyễn   Văn An ",
    phone: "+84 912 010 801",
    districtId: "da-lat",
    branchId: "dl-so-tttt",
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    redirectTo: ROUND_PATH,
    ...overrides,
  });
}

function register(fields: [string, string][], options?: Parameters<typeof postRequest>[2]) {
  return call<ErrorData>(() => registerRoute.action({ request: postRequest("/dang-ky", fields, options), params: {}, context }));
}

describe("registration", () => {
  it("creates the account with the normalized phone, sets a session cookie and redirects", async () => {
    const result = await register(registrationFields());
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(ROUND_PATH);
    const setCookie = result.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/^cuocthi_session=[^;]+/);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);

    const stored = ctx.db.select().from(users).all();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      phone: "0912010801",
      fullName: "Nguyễn Văn An",
      districtId: "da-lat",
      branchId: "dl-so-tttt",
      role: "member",
    });
    expect(stored[0]!.passwordHash).not.toContain(PASSWORD);

    // The cookie is a live session of that user.
    const lucia = luciaFor(ctx.db);
    const sessionId = lucia.readSessionCookie(cookiePair(setCookie))!;
    const { user } = await lucia.validateSession(sessionId);
    expect(user?.id).toBe(stored[0]!.id);
  });

  it("refuses the same number written another way with a phone error", async () => {
    expect((await register(registrationFields())).status).toBe(302);
    const again = await register(registrationFields({ phone: "0912010801", fullName: "Người Khác" }));
    expect(again.status).toBe(400);
    expect(again.data?.fieldErrors?.phone).toBe(t.auth.phoneTaken);
    expect(again.headers.get("Set-Cookie")).toBeNull();
    expect(ctx.db.select().from(users).all()).toHaveLength(1);
  });

  it("refuses a branch that is not in the chosen district", async () => {
    const result = await register(registrationFields({ districtId: "bao-loc", branchId: "dl-ubnd" }));
    expect(result.status).toBe(400);
    expect(result.data?.fieldErrors?.branchId).toBe(t.auth.branchNotInDistrict);
    expect(result.data?.fieldErrors?.phone).toBeUndefined();
    expect(ctx.db.select().from(users).all()).toHaveLength(0);
  });

  it("refuses an invalid phone number", async () => {
    const result = await register(registrationFields({ phone: "0112345678" }));
    expect(result.status).toBe(400);
    expect(result.data?.fieldErrors?.phone).toBe(t.auth.phoneInvalid);
    expect(ctx.db.select().from(users).all()).toHaveLength(0);
  });

  it("never redirects to another site after registering", async () => {
    const result = await register(registrationFields({ redirectTo: "//evil.example/x" }));
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/");
  });
});

describe("cross-site requests", () => {
  it.each([
    ["without Origin", null],
    ["from another site", "https://evil.example"],
    ["from another port", "http://localhost:8080"],
  ])("refuses a registration POST %s with 403", async (_label, origin) => {
    const result = await register(registrationFields(), { origin });
    expect(result.thrown).toBe(true);
    expect(result.status).toBe(403);
    expect(ctx.db.select().from(users).all()).toHaveLength(0);
  });

  it("refuses a login POST from another site with 403", async () => {
    await createMember();
    const result = await login(PASSWORD, { origin: "https://evil.example" });
    expect(result.thrown).toBe(true);
    expect(result.status).toBe(403);
  });

  it("refuses a quiz POST from another site with 403 even with a valid session", async () => {
    const userId = createUser(ctx.db);
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = await startThroughRoute(cookie);
    const item = storedItems(ctx.db, attemptId)[0]!;
    const result = await call(() =>
      quizRoute.action({
        request: postRequest(`/bai-thi/${attemptId}`, saveCorrect(item), {
          cookie,
          origin: "https://evil.example",
        }),
        params: { attemptId },
        context,
      }),
    );
    expect(result.status).toBe(403);
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
  });
});

/* ---------- login ---------- */

const PHONE = "0912010801";

async function createMember() {
  return createUser(ctx.db, { phone: PHONE, passwordHash: await hashPassword(PASSWORD) });
}

function login(password: string, options?: Parameters<typeof postRequest>[2], phone = "0912 010 801") {
  return call<ErrorData>(() =>
    loginRoute.action({
      request: postRequest(
        "/dang-nhap",
        [
          ["phone", phone],
          ["password", password],
          ["redirectTo", ROUND_PATH],
        ],
        options,
      ),
      params: {},
      context,
    }),
  );
}

describe("login", () => {
  it("logs in with the phone in any form and redirects with a session cookie", async () => {
    const userId = await createMember();
    const result = await login(PASSWORD, undefined, "+84912010801");
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(ROUND_PATH);
    const setCookie = result.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    const { user } = await luciaFor(ctx.db).validateSession(luciaFor(ctx.db).readSessionCookie(cookiePair(setCookie))!);
    expect(user?.id).toBe(userId);
  });

  it("refuses a wrong password with 400 and no cookie", async () => {
    await createMember();
    const result = await login("sai-mat-khau");
    expect(result.status).toBe(400);
    expect(result.data?.formError).toBe(t.auth.invalidCredentials);
    expect(result.headers.get("Set-Cookie")).toBeNull();
  });

  it(
    "blocks the phone from an IP after 10 failures, with Retry-After, and keeps the block across a restart",
    async () => {
      await createMember();
      for (let i = 0; i < 10; i++) expect((await login("sai-mat-khau")).status).toBe(400);
      const blocked = await login(PASSWORD);
      expect(blocked.status).toBe(429);
      // Blocked for 15 minutes from the tenth failure, not for the rest of the day.
      expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(800);
      expect(Number(blocked.headers.get("Retry-After"))).toBeLessThanOrEqual(900);
      expect(blocked.headers.get("Set-Cookie")).toBeNull();
      expect(blocked.data?.formError).toMatch(/quá nhiều lần/);

      // A restart: the same file, a new client, new limiters. The block is in SQLite.
      const before = limitersFor(ctx.db);
      const reopened = reopenDatabase(ctx);
      expect(limitersFor(reopened)).not.toBe(before);
      const afterRestart = await login(PASSWORD);
      expect(afterRestart.status).toBe(429);
      expect(Number(afterRestart.headers.get("Retry-After"))).toBeGreaterThan(0);

      // Another number from the same IP is not blocked by this phone's failures.
      createUser(ctx.db, { phone: "0987654321", passwordHash: await hashPassword(PASSWORD) });
      expect((await login(PASSWORD, undefined, "0987654321")).status).toBe(302);
    },
    ARGON2_HEAVY_TIMEOUT,
  );

  it(
    "resets the phone+IP failure count on a successful login",
    async () => {
      await createMember();
      const key = `${PHONE}_${context.clientIp}`;
      for (let i = 0; i < 9; i++) expect((await login("sai-mat-khau")).status).toBe(400);
      expect((await limitersFor(ctx.db).loginFailuresByPhoneIp.get(key))?.consumedPoints).toBe(9);
      expect((await login(PASSWORD)).status).toBe(302);
      expect(await limitersFor(ctx.db).loginFailuresByPhoneIp.get(key)).toBeNull();
      // Nine more failures do not reach the limit: the count started again.
      for (let i = 0; i < 9; i++) expect((await login("sai-mat-khau")).status).toBe(400);
      expect((await login(PASSWORD)).status).toBe(302);
    },
    ARGON2_HEAVY_TIMEOUT,
  );

  it("issues a new session id at each login", async () => {
    const userId = await createMember();
    const first = await login(PASSWORD);
    const second = await login(PASSWORD);
    const lucia = luciaFor(ctx.db);
    const id1 = lucia.readSessionCookie(cookiePair(first.headers.get("Set-Cookie")!));
    const id2 = lucia.readSessionCookie(cookiePair(second.headers.get("Set-Cookie")!));
    expect(id1).toBeTruthy();
    expect(id2).toBeTruthy();
    expect(id1).not.toBe(id2);
    const stored = ctx.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, userId))
      .all()
      .map((s) => s.id);
    expect(stored.sort()).toEqual([id1, id2].sort());
  });
});

/* ---------- starting an attempt ---------- */

async function startThroughRoute(cookie?: string) {
  const result = await call(() =>
    roundRoute.action({ request: postRequest(ROUND_PATH, [["intent", "start"]], { cookie }), params: roundParams, context }),
  );
  expect(result.status).toBe(302);
  const location = result.headers.get("Location") ?? "";
  const match = /^\/bai-thi\/([^/?]+)$/.exec(location);
  if (!match) throw new Error(`unexpected redirect to ${location}`);
  return match[1]!;
}

describe("the round page's start action", () => {
  it("sends a visitor without a session to the login page, coming back to the round", async () => {
    const result = await call(() =>
      roundRoute.action({ request: postRequest(ROUND_PATH, [["intent", "start"]]), params: roundParams, context }),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/dang-nhap?redirectTo=${encodeURIComponent(ROUND_PATH)}`);
    expect(ctx.db.select().from(attempts).all()).toHaveLength(0);
  });

  it("starts an attempt for a member and redirects to it; starting again resumes it", async () => {
    const userId = createUser(ctx.db);
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = await startThroughRoute(cookie);
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ userId, status: "in_progress", startedAt: NOW });
    expect(await startThroughRoute(cookie)).toBe(attemptId);
    expect(ctx.db.select().from(attempts).all()).toHaveLength(1);
  });

  it("answers 409 with the message when the round is not open", async () => {
    const cookie = await sessionCookie(ctx.db, createUser(ctx.db));
    ctx.now = CLOSES_AT;
    const result = await call<ErrorData>(() =>
      roundRoute.action({ request: postRequest(ROUND_PATH, [["intent", "start"]], { cookie }), params: roundParams, context }),
    );
    expect(result.status).toBe(409);
    expect(result.data?.error).toBe(t.attemptErrors.roundNotOpen);
    expect(ctx.db.select().from(attempts).all()).toHaveLength(0);
  });
});

/* ---------- the quiz ---------- */

async function memberWithAttempt() {
  const userId = createUser(ctx.db);
  const cookie = await sessionCookie(ctx.db, userId);
  const attemptId = await startThroughRoute(cookie);
  return { userId, cookie, attemptId, items: storedItems(ctx.db, attemptId) };
}

/** The fields of a save choosing every correct option of the item (one for a single-answer question). */
function saveCorrect(item: StoredItem): [string, string][] {
  return [["intent", "save"], ["position", String(item.position)], ...item.correct.map((id): [string, string] => ["option", String(id)])];
}

function quizAction(attemptId: string, fields: [string, string][], cookie: string) {
  return call<ErrorData & { saved?: number; answeredCount?: number; finished?: string }>(() =>
    quizRoute.action({ request: postRequest(`/bai-thi/${attemptId}`, fields, { cookie }), params: { attemptId }, context }),
  );
}

function quizLoader(attemptId: string, cookie: string) {
  return call(() => quizRoute.loader({ request: getRequest(`/bai-thi/${attemptId}`, { cookie }), params: { attemptId }, context }));
}

function resultLoader(attemptId: string, cookie: string) {
  return call<{ attempt: { score: number; maxScore: number; status: string }; review: unknown[] | null }>(() =>
    resultRoute.loader({ request: getRequest(`/bai-thi/${attemptId}/ket-qua`, { cookie }), params: { attemptId }, context }),
  );
}

describe("the quiz page", () => {
  it("loader data carries the questions but no correct-option flags and no explanations", async () => {
    const { cookie, attemptId, items } = await memberWithAttempt();
    const result = await quizLoader(attemptId, cookie);
    expect(result.status).toBe(200);
    const loaded = result.data as { questions: { options: { id: number }[] }[]; deadlineAt: number };
    expect(loaded.questions).toHaveLength(7);
    expect(loaded.deadlineAt).toBe(NOW + TIME_LIMIT_SECONDS * 1000);
    loaded.questions.forEach((q, i) => expect(q.options.map((o) => o.id)).toEqual(items[i]!.optionOrder));
    const json = JSON.stringify(result.data);
    expect(json).not.toMatch(/isCorrect/i);
    expect(json).not.toMatch(/explanation/i);
    for (const item of items) expect(json).not.toContain(item.explanation!);
  });

  it("intent=save stores the answer", async () => {
    const { cookie, attemptId, items } = await memberWithAttempt();
    const multi = items.find((i) => i.multipleAnswers)!;
    const result = await quizAction(attemptId, saveCorrect(multi), cookie);
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ ok: true, position: multi.position, stale: false, answeredCount: 1 });
    expect(storedItems(ctx.db, attemptId)[multi.position]!.chosen).toEqual(multi.correct);
  });

  it("intent=save with an option of another question is 400 and stores nothing", async () => {
    const { cookie, attemptId, items } = await memberWithAttempt();
    const [q0, q1] = items;
    const foreign = q1!.optionOrder.find((id) => !q0!.optionOrder.includes(id))!;
    const result = await quizAction(
      attemptId,
      [
        ["intent", "save"],
        ["position", String(q0!.position)],
        ["option", String(foreign)],
      ],
      cookie,
    );
    expect(result.status).toBe(400);
    expect(result.data?.error).toBe(t.attemptErrors.badAnswer);
    expect(storedItems(ctx.db, attemptId).every((i) => i.chosen === null)).toBe(true);
  });

  it("intent=submit asks for the prediction, then to confirm unanswered questions, then goes to the result", async () => {
    const { cookie, attemptId, items } = await memberWithAttempt();
    const q0 = items[0]!;
    expect((await quizAction(attemptId, saveCorrect(q0), cookie)).status).toBe(200);

    const noPrediction = await quizAction(attemptId, [["intent", "submit"]], cookie);
    expect(noPrediction.status).toBe(400);
    expect(noPrediction.data?.error).toBe(t.quiz.predictionRequired);

    const unconfirmed = await quizAction(
      attemptId,
      [
        ["intent", "submit"],
        ["prediction", "1.500"],
      ],
      cookie,
    );
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.data?.error).toBe(t.quiz.unanswered(6));
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");

    const confirmed = await quizAction(
      attemptId,
      [
        ["intent", "submit"],
        ["prediction", "1.500"],
        ["confirm", "1"],
      ],
      cookie,
    );
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe(`/bai-thi/${attemptId}/ket-qua`);
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "submitted", prediction: 1500, score: q0.points });

    // The quiz page of a finalized attempt goes to the result.
    const reload = await quizLoader(attemptId, cookie);
    expect(reload.status).toBe(302);
    expect(reload.headers.get("Location")).toBe(`/bai-thi/${attemptId}/ket-qua`);
  });

  it("the no-JavaScript form posting every answer in one submit stores and scores them", async () => {
    const { cookie, attemptId, items } = await memberWithAttempt();
    const fields: [string, string][] = [
      ["intent", "submit"],
      ["prediction", "42"],
    ];
    for (const item of items) for (const id of item.correct) fields.push([`q-${item.position}`, String(id)]);
    const result = await quizAction(attemptId, fields, cookie);
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe(`/bai-thi/${attemptId}/ket-qua`);
    expect(storedItems(ctx.db, attemptId).map((i) => i.chosen)).toEqual(items.map((i) => i.correct));
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "submitted", score: 8, maxScore: 8, correctCount: 7, prediction: 42 });

    const shown = await resultLoader(attemptId, cookie);
    expect(shown.data?.attempt).toMatchObject({ score: 8, maxScore: 8, status: "submitted" });
    expect(shown.data?.review).toHaveLength(7);
    expect(JSON.stringify(shown.data)).not.toContain("GIẢI-THÍCH");
    expect(JSON.stringify(shown.data)).not.toMatch(/isCorrect/);
    ctx.now = CLOSES_AT + ANSWER_GRACE_MS;
    const reviewed = await resultLoader(attemptId, cookie);
    expect(reviewed.data?.review).toHaveLength(7);
    expect(JSON.stringify(reviewed.data)).toContain("GIẢI-THÍCH-a-001");
  });

  it("answers 404 to a member asking for another member's attempt", async () => {
    const { attemptId, items } = await memberWithAttempt();
    const strangerCookie = await sessionCookie(ctx.db, createUser(ctx.db));
    const quiz = await quizLoader(attemptId, strangerCookie);
    expect(quiz.thrown).toBe(true);
    expect(quiz.status).toBe(404);
    const result = await resultLoader(attemptId, strangerCookie);
    expect(result.thrown).toBe(true);
    expect(result.status).toBe(404);
    const q0 = items[0]!;
    const save = await quizAction(attemptId, saveCorrect(q0), strangerCookie);
    expect(save.status).toBe(404);
    const submit = await quizAction(
      attemptId,
      [
        ["intent", "submit"],
        ["prediction", "1"],
        ["confirm", "1"],
      ],
      strangerCookie,
    );
    expect(submit.status).toBe(404);
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
  });

  it("a save after the deadline + grace gets 409 with the deadline message and is not stored", async () => {
    const { cookie, attemptId, items } = await memberWithAttempt();
    const [q0, q1] = items;
    const deadline = NOW + TIME_LIMIT_SECONDS * 1000;
    ctx.now = NOW + MINUTE;
    expect((await quizAction(attemptId, saveCorrect(q0!), cookie)).status).toBe(200);

    ctx.now = deadline + ANSWER_GRACE_MS;
    const inGrace = await quizAction(attemptId, saveCorrect(q1!), cookie);
    expect(inGrace.status).toBe(200);

    ctx.now = deadline + ANSWER_GRACE_MS + 1;
    const q2 = items[2]!;
    const late = await quizAction(attemptId, saveCorrect(q2), cookie);
    expect(late.status).toBe(409);
    expect(late.data?.error).toBe(t.attemptErrors.deadlinePassed);
    expect(late.data?.finished).toBe(`/bai-thi/${attemptId}/ket-qua`);
    expect(storedItems(ctx.db, attemptId)[q2.position]!.chosen).toBeNull();
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "expired", finalizedAt: deadline, score: q0!.points + q1!.points });
  });
});
