/**
 * The quiz form's submit served before Express (app/lean-routes.server.ts `serveFormSubmit`,
 * decision 013), over HTTP on 127.0.0.1 as serve.mjs wires it. The stand-in for Remix behind it is
 * the quiz page's real action, so every case says which path answered it (`fellThrough`) and that
 * the answer is the action's: the plain submit (302 to the result, committed before the reply),
 * an idempotent re-submit, the deadline and its grace, ownership, option validity, the questions
 * the action asks (prediction, unanswered: handed on with the body read ahead, nothing written
 * twice), Origin (CSRF) and the session.
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startAttempt } from "~/.server/attempts.server";
import { frontDoor } from "~/.server/front-door.server";
import { metrics } from "~/.server/metrics.server";
import { observeRequests } from "~/.server/observe.server";
import { leanFirst, leanRoutes } from "~/lean-routes.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import * as quizRoute from "~/routes/bai-thi.$attemptId._index";
import { t } from "~/i18n/vi";
import {
  attemptRow,
  createUser,
  MINUTE,
  NOW,
  roundIdOf,
  seedContent,
  sessionCookie,
  storedItems,
  TIME_LIMIT_SECONDS,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();
const DEADLINE = NOW + TIME_LIMIT_SECONDS * 1000;
let base = "";
let close: () => Promise<void>;
let fellThrough = 0;
/** The bodies the quiz page's action received (read ahead by the lean path or by the front door). */
let actionBodies: string[] = [];
let userId: string;
let cookie: string;
let attemptId: string;

/** The quiz page's action behind Express, as Remix would call it, its answer written back. */
async function remix(req: express.Request, res: express.Response) {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(key, value);
  const body = res.locals.body as Buffer;
  actionBodies.push(body.toString("utf8"));
  const request = new Request(`${base}${req.originalUrl}`, { method: req.method, headers, body: body as unknown as BodyInit });
  const match = /^\/bai-thi\/([^/?]+)/.exec(req.originalUrl);
  let result: unknown;
  try {
    result = await quizRoute.action({ request, params: { attemptId: match?.[1] ?? "" }, context: { clientIp: "127.0.0.1" } });
  } catch (thrown) {
    result = thrown;
  }
  if (result instanceof Response) {
    res.status(result.status);
    const location = result.headers.get("Location");
    if (location) res.setHeader("Location", location);
    res.send(await result.text());
    return;
  }
  const { data, init } = result as { data: unknown; init?: { status?: number } };
  res.status(init?.status ?? 200).json(data);
}

beforeAll(async () => {
  const app = express();
  app.use(frontDoor());
  app.use(leanRoutes());
  app.all("*", (req, res, next) => {
    remix(req, res).catch(next);
  });
  const counted: RequestListener = (req, res) => {
    fellThrough++;
    app(req, res);
  };
  // As serve.mjs: every request observed first (its log line, the metrics: a submit is counted).
  const routes = {
    root: { id: "root", path: "" },
    "routes/bai-thi.$attemptId._index": { id: "routes/bai-thi.$attemptId._index", parentId: "root", path: "bai-thi/:attemptId" },
  };
  const server = createServer(leanFirst(counted, observeRequests(routes) as Parameters<typeof leanFirst>[1])).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

beforeEach(async () => {
  seedContent(ctx.db);
  userId = createUser(ctx.db);
  cookie = await sessionCookie(ctx.db, userId);
  attemptId = startAttempt(ctx.db, { roundId: roundIdOf(ctx.db), userId, now: NOW }).attemptId;
  fellThrough = 0;
  actionBodies = [];
  vi.spyOn(console, "warn").mockImplementation(() => {});
});

type Fields = [string, string][];

/** Every question answered with its correct options (as the no-JS form sends them). */
function allCorrect(id = attemptId): Fields {
  return storedItems(ctx.db, id).flatMap((item) => item.correct.map((o): [string, string] => [`q-${item.position}`, String(o)]));
}

async function submit(
  fields: Fields,
  {
    as = cookie,
    origin = base,
    id = attemptId,
    query = "?index",
  }: { as?: string | null; origin?: string | null; id?: string; query?: string } = {},
) {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (as) headers.Cookie = as;
  if (origin) headers.Origin = origin;
  const body = new URLSearchParams([...fields, ["intent", "submit"]]);
  const response = await fetch(`${base}/bai-thi/${id}${query}`, { method: "POST", headers, body, redirect: "manual" });
  const text = await response.text();
  return { status: response.status, location: response.headers.get("Location"), text };
}

/** The attempt as another connection (another process) reads it: what was committed. */
function committed(id = attemptId) {
  const other = new Database(ctx.path, { readonly: true });
  try {
    return other
      .prepare("select status, score, correct_count as correctCount, prediction, finalized_by as finalizedBy from attempts where id = ?")
      .get(id) as {
      status: string;
      score: number | null;
      correctCount: number | null;
      prediction: number | null;
      finalizedBy: string | null;
    };
  } finally {
    other.close();
  }
}

describe("the plain form submit, before Express", () => {
  it("saves the form's answers, scores, commits before answering and redirects to the result, as the action does", async () => {
    ctx.now = NOW + 5 * MINUTE;
    const items = storedItems(ctx.db, attemptId);
    const submits = async () => (await metrics().submits.get()).values[0]?.value ?? 0;
    const countedBefore = await submits();
    const reply = await submit([...allCorrect(), ["prediction", "1.234"], ["confirm", "1"]]);
    await vi.waitFor(async () => expect(await submits()).toBe(countedBefore + 1));
    expect(reply).toMatchObject({ status: 302, location: `/bai-thi/${attemptId}/ket-qua` });
    expect(fellThrough).toBe(0);
    const maxScore = items.reduce((sum, item) => sum + item.points, 0);
    expect(committed()).toEqual({
      status: "submitted",
      score: maxScore,
      correctCount: items.length,
      prediction: 1234,
      finalizedBy: "member",
    });
    expect(storedItems(ctx.db, attemptId).map((item) => item.chosen)).toEqual(items.map((item) => item.correct));
    expect(attemptRow(ctx.db, attemptId).finalizedAt).toBe(NOW + 5 * MINUTE);
  });

  it("a second submit changes nothing and goes to the result again (idempotent)", async () => {
    ctx.now = NOW + 5 * MINUTE;
    const [first] = storedItems(ctx.db, attemptId);
    expect(
      (
        await submit([
          [`q-${first!.position}`, String(first!.correct[0])],
          ["prediction", "7"],
          ["confirm", "1"],
        ])
      ).status,
    ).toBe(302);
    const before = attemptRow(ctx.db, attemptId);
    ctx.now = NOW + 6 * MINUTE;
    const again = await submit([...allCorrect(), ["prediction", "9"], ["confirm", "1"]]);
    expect(again).toMatchObject({ status: 302, location: `/bai-thi/${attemptId}/ket-qua` });
    expect(attemptRow(ctx.db, attemptId)).toEqual(before);
    expect(storedItems(ctx.db, attemptId).filter((item) => item.chosen !== null)).toHaveLength(1);
    expect(fellThrough).toBe(0);
  });

  it("inside the grace the paper counts as at the deadline; after it the form's answers are not kept and the result says time was up", async () => {
    ctx.now = DEADLINE + ANSWER_GRACE_MS;
    expect(await submit([...allCorrect(), ["prediction", "1"], ["confirm", "1"]])).toMatchObject({ status: 302 });
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "submitted", finalizedAt: DEADLINE });

    const late = startAttempt(ctx.db, { roundId: roundIdOf(ctx.db), userId: createUser(ctx.db), now: NOW });
    const lateCookie = await sessionCookie(ctx.db, attemptRow(ctx.db, late.attemptId).userId);
    ctx.now = DEADLINE + ANSWER_GRACE_MS + 1;
    const reply = await submit([...allCorrect(late.attemptId), ["prediction", "1"], ["confirm", "1"]], {
      as: lateCookie,
      id: late.attemptId,
    });
    expect(reply).toMatchObject({ status: 302, location: `/bai-thi/${late.attemptId}/ket-qua?het-gio=1` });
    expect(committed(late.attemptId)).toMatchObject({ status: "expired", score: 0, finalizedBy: "server" });
    expect(storedItems(ctx.db, late.attemptId).every((item) => item.chosen === null)).toBe(true);
    expect(fellThrough).toBe(0);
  });
});

describe("everything else is the action's answer, with nothing written by the lean path", () => {
  it("another member's attempt: 404 from the action, nothing stored", async () => {
    ctx.now = NOW + MINUTE;
    const stranger = await sessionCookie(ctx.db, createUser(ctx.db));
    const reply = await submit([...allCorrect(), ["prediction", "1"], ["confirm", "1"]], { as: stranger });
    expect(reply.status).toBe(404);
    expect(fellThrough).toBe(1);
    expect(committed()).toMatchObject({ status: "in_progress", score: null });
    expect(storedItems(ctx.db, attemptId).every((item) => item.chosen === null)).toBe(true);
  });

  it("an option of another question: 400 from the action, the whole form refused, the body handed on intact", async () => {
    ctx.now = NOW + MINUTE;
    const [a, b] = storedItems(ctx.db, attemptId);
    const fields: Fields = [
      [`q-${a!.position}`, String(a!.correct[0])],
      [`q-${b!.position}`, String(a!.optionOrder[0])],
      ["prediction", "1"],
      ["confirm", "1"],
    ];
    const reply = await submit(fields);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: t.attemptErrors.badAnswer });
    expect(fellThrough).toBe(1);
    expect(actionBodies).toEqual([new URLSearchParams([...fields, ["intent", "submit"]]).toString()]);
    expect(committed().status).toBe("in_progress");
    expect(storedItems(ctx.db, attemptId).every((item) => item.chosen === null)).toBe(true);
  });

  it("unanswered questions without confirmation: the action asks (400), keeps the answers given, the attempt stays open", async () => {
    ctx.now = NOW + MINUTE;
    const items = storedItems(ctx.db, attemptId);
    const [a] = items;
    const reply = await submit([
      [`q-${a!.position}`, String(a!.correct[0])],
      ["prediction", "1"],
    ]);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ field: "confirm", error: t.quiz.unanswered(items.length - 1) });
    expect(fellThrough).toBe(1);
    expect(actionBodies).toHaveLength(1);
    expect(committed().status).toBe("in_progress");
    expect(storedItems(ctx.db, attemptId)[a!.position]!.chosen).toEqual([a!.correct[0]]);
  });

  it("a prediction that is not a number: the action's message (400), nothing stored", async () => {
    ctx.now = NOW + MINUTE;
    const reply = await submit([...allCorrect(), ["prediction", "nhiều"], ["confirm", "1"]]);
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ field: "prediction", error: t.quiz.predictionInvalid });
    expect(fellThrough).toBe(1);
    expect(committed().status).toBe("in_progress");
  });

  it("a foreign or missing Origin, no session, or another URL: never submitted by the lean path", async () => {
    ctx.now = NOW + MINUTE;
    const fields: Fields = [...allCorrect(), ["prediction", "1"], ["confirm", "1"]];
    expect((await submit(fields, { origin: "https://evil.example" })).status).toBe(403);
    const noOrigin = await submit(fields, { origin: null });
    expect(noOrigin.status).toBe(403);
    const anonymous = await submit(fields, { as: null });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/dang-nhap/);
    expect(fellThrough).toBe(3);
    expect(committed().status).toBe("in_progress");
    expect(storedItems(ctx.db, attemptId).every((item) => item.chosen === null)).toBe(true);
    // Without `?index` the lean path does not take it either (Remix routes it).
    await submit(fields, { query: "" });
    expect(fellThrough).toBe(4);
  });
});
