/**
 * The lean path (app/lean-routes.server.ts, decision 013): the answer save and /healthz
 * served without Remix's pipeline, behind the front door, over HTTP on 127.0.0.1 as serve.mjs
 * mounts them. The same rules as the action: Origin (CSRF), session, ownership, option validity,
 * the deadline and its grace, the rate limit; anything else goes on to Remix.
 */
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { frontDoor } from "~/.server/front-door.server";
import { leanRoutes } from "~/lean-routes.server";
import { limitersFor } from "~/.server/rate-limit.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { t } from "~/i18n/vi";
import { listenOnLoopback } from "../helpers/loopback";
import { memberWithAttempt, postSave } from "../helpers/member-attempt";
import { createUser, MINUTE, NOW, sessionCookie, storedItems, TIME_LIMIT_SECONDS, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
const DEADLINE = NOW + TIME_LIMIT_SECONDS * 1000;
let base = "";
let close: () => Promise<void>;
let userId: string;
let cookie: string;
let attemptId: string;

beforeAll(async () => {
  const app = express();
  app.use(frontDoor());
  app.use(leanRoutes());
  // Stands for Remix: what the lean path lets through arrives here.
  app.all("*", (_req, res) => res.status(299).send("remix"));
  ({ base, close } = await listenOnLoopback(app));
});
afterAll(() => close());

beforeEach(async () => {
  ({ userId, cookie, attemptId } = await memberWithAttempt(ctx.db));
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

async function save(
  position: number,
  options: number[],
  { as = cookie, origin = base, id = attemptId }: { as?: string | null; origin?: string | null; id?: string } = {},
) {
  return postSave(base, { id, position, options, as, origin });
}

describe("the answer save without Remix", () => {
  it("saves and answers the same small JSON as the route", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    ctx.now = NOW + MINUTE;
    const reply = await save(item.position, item.correct);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Cache-Control")).toBe("no-store");
    expect(reply.headers.get("Content-Length")).toBe(String(Buffer.byteLength(JSON.stringify(reply.body))));
    expect(reply.body).toEqual({ ok: true, position: item.position, chosenAt: null, stale: false, chosen: item.correct, answeredCount: 1 });
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toEqual(item.correct);
  });

  it("refuses another site (the front door, before any code of the route), with nothing stored", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    expect((await save(item.position, item.correct, { origin: "https://evil.example" })).status).toBe(403);
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
  });

  it("refuses another member's attempt, an option of another question, and a visitor without a session", async () => {
    const [a, b] = storedItems(ctx.db, attemptId);
    const stranger = await sessionCookie(ctx.db, createUser(ctx.db));
    expect((await save(a!.position, a!.correct, { as: stranger })).status).toBe(404);
    expect(await save(a!.position, [b!.optionOrder[0]!])).toMatchObject({
      status: 400,
      body: { ok: false, code: "bad_answer", error: t.attemptErrors.badAnswer },
    });
    const anonymous = await save(a!.position, a!.correct, { as: null });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toMatch(/^\/dang-nhap\?redirectTo=/);
    expect(storedItems(ctx.db, attemptId)[a!.position]!.chosen).toBeNull();
  });

  it("accepts a save inside the answer grace after the deadline, refuses one after it", async () => {
    const [a, b] = storedItems(ctx.db, attemptId);
    ctx.now = DEADLINE + ANSWER_GRACE_MS - 1;
    expect((await save(a!.position, a!.correct)).status).toBe(200);
    ctx.now = DEADLINE + ANSWER_GRACE_MS + 1;
    expect(await save(b!.position, b!.correct)).toMatchObject({
      status: 409,
      body: { ok: false, code: "refused", error: t.attemptErrors.deadlinePassed, finished: `/bai-thi/${attemptId}/ket-qua` },
    });
    expect(storedItems(ctx.db, attemptId)[b!.position]!.chosen).toBeNull();
  });

  it("is rate limited per member with 429 and Retry-After", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    const limiter = limitersFor(ctx.db).answerSaves;
    for (let i = 0; i < limiter.points; i++) await limiter.consume(userId);
    const reply = await save(item.position, item.correct);
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(reply.body).toMatchObject({ ok: false, code: "rate_limited", error: t.attemptErrors.tooFast });
  });

  it("leaves every other request to Remix (a GET of the save URL, other pages, other methods)", async () => {
    expect((await fetch(`${base}/bai-thi/${attemptId}/tra-loi`)).status).toBe(299);
    expect((await fetch(`${base}/bai-thi/${attemptId}`, { headers: { Cookie: cookie } })).status).toBe(299);
    expect((await fetch(`${base}/bai-thi/${attemptId}/tra-loi/x`, { method: "POST", headers: { Origin: base } })).status).toBe(299);
  });
});

describe("/healthz without Remix", () => {
  it("answers 200 with the database's state, not cached", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok" });
  });
});
