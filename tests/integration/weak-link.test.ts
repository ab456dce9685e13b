/**
 * The server side of a quiz on a weak link (issue 15, docs/decisions/007-weak-link-quiz.md): a late
 * retry of an older choice changes nothing, who finalized a paper is recorded, the save endpoint the
 * page's script uses keeps every rule of the action, and logging out mid-attempt asks first.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { finalizeOverdueAttempts, saveAnswer, startAttempt, submitAttempt } from "~/.server/attempts.server";
import { limitersFor } from "~/.server/rate-limit.server";
import { CHOICE_STAMP_TOLERANCE_MS, answerStamp, isStaleAnswer } from "~/domain/answer-order";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { t } from "~/i18n/vi";
import * as resultRoute from "~/routes/bai-thi.$attemptId.ket-qua";
import * as saveRoute from "~/routes/bai-thi.$attemptId.tra-loi";
import * as logoutRoute from "~/routes/dang-xuat";
import {
  attemptRow,
  call,
  context,
  createUser,
  getRequest,
  MINUTE,
  NOW,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  storedItems,
  TIME_LIMIT_SECONDS,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();
let userId: string;
let roundId: number;
const DEADLINE = NOW + TIME_LIMIT_SECONDS * 1000;

beforeEach(() => {
  seedContent(ctx.db);
  userId = createUser(ctx.db);
  roundId = roundIdOf(ctx.db);
});

function start(at = NOW) {
  return startAttempt(ctx.db, { roundId, userId, now: at }).attemptId;
}

describe("the order of saves (app/domain/answer-order.ts)", () => {
  it("believes the page's instant of choice within the tolerance, else uses the arrival time", () => {
    expect(answerStamp(NOW + 5_000, NOW + 9_000, NOW)).toBe(NOW + 5_000);
    expect(answerStamp(null, NOW + 9_000, NOW)).toBe(NOW + 9_000);
    expect(answerStamp(NOW + 9_000 + CHOICE_STAMP_TOLERANCE_MS + 1, NOW + 9_000, NOW)).toBe(NOW + 9_000);
    expect(answerStamp(NOW - CHOICE_STAMP_TOLERANCE_MS - 1, NOW + 9_000, NOW)).toBe(NOW + 9_000);
    expect(isStaleAnswer(null, NOW)).toBe(false);
    expect(isStaleAnswer(NOW, NOW - 1)).toBe(true);
    expect(isStaleAnswer(NOW, NOW)).toBe(false);
  });

  it("ignores a late retry of an older choice: the newer answer stays, and the reply says so", () => {
    const attemptId = start();
    const [item] = storedItems(ctx.db, attemptId);
    const [older, newer] = item!.optionOrder;
    // Chosen at +60 s (older) then +70 s (newer); the older one's retry arrives last.
    const first = saveAnswer(ctx.db, {
      attemptId,
      userId,
      position: item!.position,
      chosen: [newer!],
      now: NOW + 71_000,
      chosenAt: NOW + 70_000,
    });
    expect(first).toMatchObject({ stale: false, answeredCount: 1 });
    const late = saveAnswer(ctx.db, {
      attemptId,
      userId,
      position: item!.position,
      chosen: [older!],
      now: NOW + 90_000,
      chosenAt: NOW + 60_000,
    });
    expect(late).toEqual({ stale: true, chosen: [newer], answeredCount: 1 });
    expect(storedItems(ctx.db, attemptId)[item!.position]).toMatchObject({ chosen: [newer], answeredAt: NOW + 70_000 });
    // The same save sent twice (a retry after a timeout whose reply was lost) is harmless.
    const again = saveAnswer(ctx.db, {
      attemptId,
      userId,
      position: item!.position,
      chosen: [newer!],
      now: NOW + 95_000,
      chosenAt: NOW + 70_000,
    });
    expect(again).toMatchObject({ stale: false, chosen: [newer] });
    // A later choice still replaces it.
    saveAnswer(ctx.db, { attemptId, userId, position: item!.position, chosen: [older!], now: NOW + 99_000, chosenAt: NOW + 98_000 });
    expect(storedItems(ctx.db, attemptId)[item!.position]!.chosen).toEqual([older]);
  });

  it("a stale save still refuses an option of another question (validity before order)", () => {
    const attemptId = start();
    const [a, b] = storedItems(ctx.db, attemptId);
    expect(() =>
      saveAnswer(ctx.db, { attemptId, userId, position: a!.position, chosen: [b!.optionOrder[0]!], now: NOW + 1000, chosenAt: NOW }),
    ).toThrow(t.attemptErrors.badAnswer);
  });
});

describe("who finalized the paper (attempts.finalizedBy)", () => {
  it("is the member for a submission, the timer for the page's automatic one at zero", () => {
    const mine = start();
    submitAttempt(ctx.db, { attemptId: mine, userId, now: NOW + MINUTE, prediction: 10, confirmUnanswered: true });
    expect(attemptRow(ctx.db, mine)).toMatchObject({ status: "submitted", finalizedBy: "member" });

    const other = createUser(ctx.db);
    const second = seedAnotherAttempt(other);
    submitAttempt(ctx.db, { attemptId: second, userId: other, now: DEADLINE + 2_000, prediction: null, automatic: true });
    expect(attemptRow(ctx.db, second)).toMatchObject({ status: "submitted", finalizedBy: "timer", finalizedAt: DEADLINE });
  });

  it("an automatic submission claimed long before zero is not believed, nor recorded as the timer's", () => {
    const attemptId = start();
    const outcome = submitAttempt(ctx.db, {
      attemptId,
      userId,
      now: NOW + MINUTE,
      prediction: 5,
      automatic: true,
      confirmUnanswered: true,
    });
    expect(outcome.kind).toBe("finalized");
    expect(attemptRow(ctx.db, attemptId).finalizedBy).toBe("member");
  });

  it("is the server for the sweep, a late submission, and a save after the grace", () => {
    const swept = start();
    expect(finalizeOverdueAttempts(ctx.db, DEADLINE + ANSWER_GRACE_MS + 1)).toBe(1);
    expect(attemptRow(ctx.db, swept)).toMatchObject({ status: "expired", finalizedBy: "server" });

    const late = seedAnotherAttempt(createUserId());
    const lateOwner = attemptRow(ctx.db, late).userId;
    expect(submitAttempt(ctx.db, { attemptId: late, userId: lateOwner, now: DEADLINE + ANSWER_GRACE_MS + 1, prediction: 1 }).kind).toBe(
      "late",
    );
    expect(attemptRow(ctx.db, late)).toMatchObject({ status: "expired", finalizedBy: "server" });

    const saved = seedAnotherAttempt(createUserId());
    const savedOwner = attemptRow(ctx.db, saved).userId;
    const item = storedItems(ctx.db, saved)[0]!;
    expect(() =>
      saveAnswer(ctx.db, {
        attemptId: saved,
        userId: savedOwner,
        position: item.position,
        chosen: [item.optionOrder[0]!],
        now: DEADLINE + ANSWER_GRACE_MS + 1,
      }),
    ).toThrow(t.attemptErrors.deadlinePassed);
    expect(attemptRow(ctx.db, saved)).toMatchObject({ status: "expired", finalizedBy: "server" });
  });
});

function createUserId() {
  return createUser(ctx.db);
}

function seedAnotherAttempt(user: string) {
  return startAttempt(ctx.db, { roundId, userId: user, now: NOW }).attemptId;
}

/* ---------- the save endpoint of the page's script ---------- */

function saveFields(position: number, options: number[], chosenAt?: number): [string, string][] {
  return [
    ["position", String(position)],
    ...options.map((id): [string, string] => ["option", String(id)]),
    ...(chosenAt ? [["chosenAt", String(chosenAt)] as [string, string]] : []),
  ];
}

async function postSave(attemptId: string, fields: [string, string][], options: { cookie?: string; origin?: string | null }) {
  const response = (await saveRoute
    .action({
      request: postRequest(`/bai-thi/${attemptId}/tra-loi`, fields, options),
      params: { attemptId },
      context,
    })
    .catch((thrown: unknown) => thrown)) as Response;
  const body = response.headers.get("Content-Type")?.includes("json") ? ((await response.json()) as Record<string, unknown>) : null;
  return { status: response.status, body, headers: response.headers };
}

describe("POST /bai-thi/:id/tra-loi", () => {
  it("saves and answers a small JSON reply: one request, nothing else to fetch", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = start();
    const item = storedItems(ctx.db, attemptId)[0]!;
    ctx.now = NOW + MINUTE;
    const reply = await postSave(attemptId, saveFields(item.position, item.correct, NOW + 50_000), { cookie });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Cache-Control")).toBe("no-store");
    expect(reply.body).toEqual({
      ok: true,
      position: item.position,
      chosenAt: NOW + 50_000,
      stale: false,
      chosen: item.correct,
      answeredCount: 1,
    });
    expect(storedItems(ctx.db, attemptId)[item.position]).toMatchObject({ chosen: item.correct, answeredAt: NOW + 50_000 });
  });

  it("refuses another site (Origin), another member's attempt, and an option of another question", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = start();
    const [a, b] = storedItems(ctx.db, attemptId);
    expect((await postSave(attemptId, saveFields(a!.position, a!.correct), { cookie, origin: "https://evil.example" })).status).toBe(403);
    const stranger = await sessionCookie(ctx.db, createUser(ctx.db));
    expect((await postSave(attemptId, saveFields(a!.position, a!.correct), { cookie: stranger })).status).toBe(404);
    const bad = await postSave(attemptId, saveFields(a!.position, [b!.optionOrder[0]!]), { cookie });
    expect(bad).toMatchObject({ status: 400, body: { ok: false, code: "bad_answer", error: t.attemptErrors.badAnswer } });
    expect(storedItems(ctx.db, attemptId)[a!.position]!.chosen).toBeNull();
  });

  it("sends a visitor without a session to log in (the page keeps the answer and retries)", async () => {
    const attemptId = start();
    const reply = await postSave(attemptId, saveFields(0, [1]), {});
    expect(reply.status).toBe(302);
    expect(reply.headers.get("Location")).toMatch(/^\/dang-nhap\?redirectTo=/);
  });

  it("after the deadline and grace answers 409 with where the result is, and stores nothing", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = start();
    const item = storedItems(ctx.db, attemptId)[0]!;
    ctx.now = DEADLINE + ANSWER_GRACE_MS + 1;
    const reply = await postSave(attemptId, saveFields(item.position, item.correct), { cookie });
    expect(reply).toMatchObject({
      status: 409,
      body: { ok: false, code: "refused", error: t.attemptErrors.deadlinePassed, finished: `/bai-thi/${attemptId}/ket-qua` },
    });
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
  });

  it("is rate limited per member with 429 and Retry-After, like the action", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = start();
    const item = storedItems(ctx.db, attemptId)[0]!;
    const limiter = limitersFor(ctx.db).answerSaves;
    for (let i = 0; i < limiter.points; i++) await limiter.consume(userId);
    const reply = await postSave(attemptId, saveFields(item.position, item.correct), { cookie });
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(reply.body).toMatchObject({ ok: false, code: "rate_limited", error: t.attemptErrors.tooFast });
  });
});

describe("the result page", () => {
  it("says who finalized the paper and what the server holds, for the list of choices that did not count", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = start();
    const item = storedItems(ctx.db, attemptId)[0]!;
    saveAnswer(ctx.db, { attemptId, userId, position: item.position, chosen: item.correct, now: NOW + 1000 });
    ctx.now = DEADLINE + ANSWER_GRACE_MS + 1;
    const result = await call<{ finalizedBy: string; savedChoices: Record<number, number[]> }>(() =>
      resultRoute.loader({ request: getRequest(`/bai-thi/${attemptId}/ket-qua`, { cookie }), params: { attemptId }, context }),
    );
    expect(result.data?.finalizedBy).toBe("server");
    expect(result.data?.savedChoices[item.position]).toEqual(item.correct);
    expect(Object.keys(result.data?.savedChoices ?? {})).toHaveLength(7);
  });
});

describe("logging out during an attempt", () => {
  it("asks first: the logout post goes to a confirmation page, which logs out only when confirmed", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const attemptId = start();
    const asked = await call(() => logoutRoute.action({ request: postRequest("/dang-xuat", [], { cookie }), params: {}, context }));
    expect(asked.status).toBe(302);
    expect(asked.headers.get("Location")).toBe("/dang-xuat");
    expect(asked.headers.get("Set-Cookie")).toBeNull();

    const page = await call<{ attemptId: string }>(() =>
      logoutRoute.loader({ request: getRequest("/dang-xuat", { cookie }), params: {}, context }),
    );
    expect(page.data?.attemptId).toBe(attemptId);

    const done = await call(() =>
      logoutRoute.action({ request: postRequest("/dang-xuat", [["confirm", "1"]], { cookie }), params: {}, context }),
    );
    expect(done.headers.get("Location")).toBe("/");
    expect(done.headers.get("Set-Cookie")).toMatch(/Max-Age=0/i);
  });

  it("logs out at once when no attempt is running", async () => {
    const cookie = await sessionCookie(ctx.db, userId);
    const done = await call(() => logoutRoute.action({ request: postRequest("/dang-xuat", [], { cookie }), params: {}, context }));
    expect(done.headers.get("Location")).toBe("/");
    expect(done.headers.get("Set-Cookie")).toBeTruthy();
    const page = await call(() => logoutRoute.loader({ request: getRequest("/dang-xuat", { cookie }), params: {}, context }));
    expect(page.headers.get("Location")).toBe("/");
  });
});
