/**
 * The answer save served before Express (app/.server/lean-routes.server.ts `leanFirst`, decision
 * 013), over HTTP on 127.0.0.1 exactly as serve.mjs wires it: the plain case is answered without
 * Express; every other case falls through to Express (front door, `leanRoutes`, the route's guard).
 * `app` below counts the requests that fell through, so each test also says which path answered.
 * The rules are the action's: Origin, session, ownership, option validity, deadline and grace,
 * the rate limit (global: counted in SQLite), durable before the reply.
 */
import type { RequestListener } from "node:http";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { frontDoor } from "~/.server/front-door.server";
import { leanFirst, leanRoutes } from "~/lean-routes.server";
import { limitersFor, SqliteWindowLimit } from "~/.server/rate-limit.server";
import { recentStorageFailure, RETRY_AFTER_SECONDS } from "~/.server/storage-health.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { ops } from "~/i18n/ops.vi";
import { t } from "~/i18n/vi";
import { sessions, users } from "../../db/schema";
import { listenOnLoopback } from "../helpers/loopback";
import { memberWithAttempt, postSave } from "../helpers/member-attempt";
import { attemptRow, createUser, MINUTE, NOW, sessionCookie, storedItems, TIME_LIMIT_SECONDS, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
const DEADLINE = NOW + TIME_LIMIT_SECONDS * 1000;
let base = "";
let close: () => Promise<void>;
let fellThrough = 0;
let userId: string;
let cookie: string;
let attemptId: string;

beforeAll(async () => {
  const app = express();
  app.use(frontDoor());
  app.use(leanRoutes());
  app.all("*", (_req, res) => res.status(299).send("remix"));
  const counted: RequestListener = (req, res) => {
    fellThrough++;
    app(req, res);
  };
  ({ base, close } = await listenOnLoopback(leanFirst(counted)));
});
afterAll(() => close());

beforeEach(async () => {
  ({ userId, cookie, attemptId } = await memberWithAttempt(ctx.db));
  fellThrough = 0;
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

async function save(
  position: number,
  options: number[],
  {
    as = cookie,
    origin = base,
    id = attemptId,
    chosenAt,
  }: { as?: string | null; origin?: string | null; id?: string; chosenAt?: number } = {},
) {
  return postSave(base, { id, position, options, as, origin, chosenAt, contentType: "application/x-www-form-urlencoded;charset=UTF-8" });
}

describe("the plain answer save, before Express", () => {
  it("saves, commits before answering (another connection reads it), and answers the route's JSON", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    ctx.now = NOW + MINUTE;
    const reply = await save(item.position, item.correct);
    expect(fellThrough).toBe(0);
    expect(reply.status).toBe(200);
    expect(reply.headers.get("Cache-Control")).toBe("no-store");
    expect(reply.headers.get("Content-Length")).toBe(String(Buffer.byteLength(JSON.stringify(reply.body))));
    expect(reply.body).toEqual({ ok: true, position: item.position, chosenAt: null, stale: false, chosen: item.correct, answeredCount: 1 });
    const other = new Database(ctx.path, { readonly: true });
    try {
      const row = other
        .prepare("select chosen, answered_at as answeredAt from attempt_items where attempt_id = ? and position = ?")
        .get(attemptId, item.position);
      expect(row).toEqual({ chosen: JSON.stringify(item.correct), answeredAt: NOW + MINUTE });
    } finally {
      other.close();
    }
  });

  it("keeps a newer answer when an older choice arrives late (chosenAt)", async () => {
    const [a] = storedItems(ctx.db, attemptId);
    ctx.now = NOW + 2 * MINUTE;
    expect((await save(a!.position, a!.correct, { chosenAt: NOW + MINUTE })).body).toMatchObject({ stale: false });
    const wrong = a!.optionOrder.filter((o) => !a!.correct.includes(o)).slice(0, 1);
    const late = await save(a!.position, wrong, { chosenAt: NOW + 30_000 });
    expect(late.body).toMatchObject({ ok: true, stale: true, chosen: a!.correct });
    expect(storedItems(ctx.db, attemptId)[a!.position]!.chosen).toEqual(a!.correct);
    expect(fellThrough).toBe(0);
  });

  it("refuses another member's attempt (404) and an option of another question (400), storing nothing", async () => {
    const [a, b] = storedItems(ctx.db, attemptId);
    const stranger = await sessionCookie(ctx.db, createUser(ctx.db));
    expect((await save(a!.position, a!.correct, { as: stranger })).status).toBe(404);
    expect(await save(a!.position, [b!.optionOrder[0]!])).toMatchObject({
      status: 400,
      body: { ok: false, code: "bad_answer", error: t.attemptErrors.badAnswer },
    });
    expect(await save(99, a!.correct)).toMatchObject({ status: 400, body: { code: "bad_answer" } });
    expect(await save(a!.position, [a!.optionOrder[0]!, a!.optionOrder[0]!])).toMatchObject({ status: 400 });
    expect(fellThrough).toBe(0);
    expect(storedItems(ctx.db, attemptId).every((item) => item.chosen === null)).toBe(true);
  });

  it("accepts a save inside the grace after the deadline; after it refuses with 409 and finalizes the attempt", async () => {
    const [a, b] = storedItems(ctx.db, attemptId);
    ctx.now = DEADLINE + ANSWER_GRACE_MS;
    expect((await save(a!.position, a!.correct)).status).toBe(200);
    ctx.now = DEADLINE + ANSWER_GRACE_MS + 1;
    expect(await save(b!.position, b!.correct)).toMatchObject({
      status: 409,
      body: { ok: false, code: "refused", error: t.attemptErrors.deadlinePassed, finished: `/bai-thi/${attemptId}/ket-qua` },
    });
    expect(storedItems(ctx.db, attemptId)[b!.position]!.chosen).toBeNull();
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "expired", finalizedBy: "server", correctCount: 1 });
    expect(await save(b!.position, b!.correct)).toMatchObject({ status: 409, body: { error: t.attemptErrors.alreadySubmitted } });
    expect(fellThrough).toBe(0);
  });
});

describe("a write lock held by another process", () => {
  it("past the busy timeout: 503, Retry-After and 'not saved', nothing stored; /healthz is not told of a storage failure", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    ctx.db.$client.pragma("busy_timeout = 0");
    const other = new Database(ctx.path);
    other.exec("begin immediate");
    try {
      const reply = await save(item.position, item.correct);
      expect(reply.status).toBe(503);
      expect(reply.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));
      expect(reply.body).toEqual({
        ok: false,
        code: "unavailable",
        error: ops.unavailable.answerNotSaved,
        retryAfter: RETRY_AFTER_SECONDS,
      });
    } finally {
      other.exec("rollback");
      other.close();
    }
    expect(recentStorageFailure()).toBeNull();
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
    expect((await save(item.position, item.correct)).status).toBe(200);
  });
});

describe("the rate limit on the lean path", () => {
  it("is one count for every process: a window filled through another connection refuses this one, 429 + Retry-After", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    const other = new Database(ctx.path);
    try {
      const limit = limitersFor(ctx.db).answerSaves;
      // Another server process: its own connection to the same file, the same limit.
      await new SqliteWindowLimit(other, limit.keyPrefix, limit.points, limit.durationMs).consume(userId, limit.points);
    } finally {
      other.close();
    }
    const reply = await save(item.position, item.correct);
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(reply.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
    expect(reply.body).toMatchObject({ ok: false, code: "rate_limited", error: t.attemptErrors.tooFast });
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
    expect(fellThrough).toBe(0);
  });

  it("counts every save, refused ones too: 119 saves, one bad answer, then the 121st is refused", async () => {
    const [a, b] = storedItems(ctx.db, attemptId);
    const limit = limitersFor(ctx.db).answerSaves;
    for (let i = 0; i < limit.points - 1; i++) expect((await save(a!.position, i % 2 ? a!.correct : [])).status).toBe(200);
    expect((await save(a!.position, [b!.optionOrder[0]!])).status).toBe(400);
    expect((await save(a!.position, a!.correct)).status).toBe(429);
  });
});

describe("what the lean path leaves to Express, answered as before", () => {
  it("a post from another site or without Origin: 403, nothing stored", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    expect((await save(item.position, item.correct, { origin: "https://evil.example" })).status).toBe(403);
    expect((await save(item.position, item.correct, { origin: null })).status).toBe(403);
    expect(fellThrough).toBe(2);
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
  });

  it("no session: the login redirect", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    const reply = await save(item.position, item.correct, { as: null });
    expect(reply.status).toBe(302);
    expect(reply.headers.get("Location")).toMatch(/^\/dang-nhap\?redirectTo=/);
    expect(fellThrough).toBe(1);
  });

  it("a session in its second half: Lucia extends it on the full path, and the save is stored", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    const soon = Math.floor(Date.now() / 1000) + 10 * 24 * 3600;
    ctx.db.update(sessions).set({ expiresAt: soon }).where(eq(sessions.userId, userId)).run();
    expect((await save(item.position, item.correct)).status).toBe(200);
    expect(fellThrough).toBe(1);
    expect(ctx.db.select().from(sessions).where(eq(sessions.userId, userId)).get()!.expiresAt).toBeGreaterThan(soon);
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toEqual(item.correct);
  });

  it("a temporary password to change, or a deactivated account: not saved, sent away as the guard does", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    ctx.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, userId)).run();
    const reply = await save(item.position, item.correct);
    expect(reply.status).toBe(302);
    expect(reply.headers.get("Location")).toMatch(/^\/doi-mat-khau/);
    ctx.db.update(users).set({ mustChangePassword: false, active: false }).where(eq(users.id, userId)).run();
    expect((await save(item.position, item.correct)).headers.get("Location")).toMatch(/^\/dang-nhap/);
    expect(fellThrough).toBe(2);
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
  });

  it("other URLs and methods; /healthz is answered before Express", async () => {
    expect((await fetch(`${base}/bai-thi/${attemptId}/tra-loi`)).status).toBe(299);
    expect((await fetch(`${base}/bai-thi/${attemptId}/tra-loi/x`, { method: "POST", headers: { Origin: base } })).status).toBe(299);
    expect(fellThrough).toBe(2);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("Cache-Control")).toBe("no-store");
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
    expect(fellThrough).toBe(2);
  });
});
