/**
 * The lean path (decision 013): the two hottest requests — the quiz script's answer save
 * (POST /bai-thi/:id/tra-loi) and GET /healthz — skip Remix's request pipeline (route matching
 * from scratch, the data strategy, the document machinery), which a CPU profile showed to cost
 * more than the work itself. They call the very same route modules' `action`/`loader` (the same
 * guard: session, Origin/Referer; the same rate limit; the same `saveAnswer` rules), only without
 * the framework around them. Mounted by app/.server/serve.mjs AFTER the front door, so the CSRF
 * Origin check and the body caps still run first; any other request goes on to Remix.
 * It lives beside entry.server.tsx, not in app/.server: it is part of the server's entry and calls
 * route modules, which app/.server (below the routes) may not import (decision 021).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { getDb } from "~/.server/db.server";
import { serveBoardPage } from "~/.server/board-cache.server";
import { luciaFor } from "~/.server/auth/lucia.server";
import { secureCookies } from "~/.server/env.server";
import { healthReply } from "~/.server/storage-health.server";
import { crossSiteReason, FORM_BODY_LIMIT, readAhead } from "~/.server/front-door.server";
import type { SubmitOutcome } from "~/.server/attempts.server";
import { hotWrite } from "~/.server/hot-writes.server";
import { LEAN_ROUTES, observeRoute } from "~/.server/observe.server";
import { ops } from "~/i18n/ops.vi";
import { t } from "~/i18n/vi";
import * as answerRoute from "~/routes/bai-thi.$attemptId.tra-loi";
import * as healthRoute from "~/routes/healthz";

const ANSWER_PATH = /^\/bai-thi\/([^/]+)\/tra-loi$/;

async function send(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader("Content-Length", body.length);
  res.end(body);
}

/** The Fetch request the route module expects, from what Express and the front door have read. */
function fetchRequest(req: ExpressRequest, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const url = `${req.protocol}://${req.get("X-Forwarded-Host") ?? req.get("Host") ?? "localhost"}${req.originalUrl}`;
  return new Request(url, { method: req.method, headers, ...(body && body.length ? { body: body as unknown as BodyInit } : {}) });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // no such attempt: the route answers as for any unknown id
  }
}

export function leanRoutes() {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction): void => {
    let run: (() => Promise<Response>) | null = null;
    const context = { clientIp: req.ip ?? "unknown" };
    if (req.method === "POST") {
      const match = ANSWER_PATH.exec(req.path);
      if (match) {
        const request = fetchRequest(req, res.locals.body as Buffer | undefined);
        run = async () => (await answerRoute.action({ request, params: { attemptId: safeDecode(match[1]!) }, context })) as Response;
      }
    } else if ((req.method === "GET" || req.method === "HEAD") && req.path === "/healthz") {
      run = () => healthRoute.loader();
    }
    if (!run) return next();
    run()
      .catch((thrown: unknown) => {
        // A guard throws a Response (a redirect to the login page, a 403): it is the answer.
        if (thrown instanceof Response) return thrown;
        throw thrown;
      })
      .then((response) => send(res, response))
      .catch(next);
  };
}

/* ---------- before Express: the plain answer save on node's own request ---------- */

/** Lucia's session cookie name, or null when the database cannot be opened (the full path reports that). */
function sessionCookieName(): string | null {
  try {
    return luciaFor(getDb()).sessionCookieName;
  } catch {
    return null;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The session cookie's value, or null when absent or not plainly readable (the full path decides then). */
function sessionIdOf(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  let found: string | null = null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    if (found !== null) return null; // twice: let Lucia's parser decide
    found = part.slice(eq + 1).trim();
  }
  return found && /^[A-Za-z0-9]+$/.test(found) ? found : null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    ...(secureCookies() ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
    ...headers,
  });
  res.end(text);
}

type PlainPost = { sessionId: string; id: string; length: number };

/**
 * The plain case of a POST to `path`, decided from the headers alone before a byte of the body is
 * read: same-site `Origin` (the front door's check and the guard's: Origin host = X-Forwarded-Host
 * or Host), a form body with its length declared under the cap, one plainly readable session
 * cookie (whether the session is valid is the writer's first question: hot-writes.server.ts).
 * Null otherwise: the caller hands the request on untouched.
 */
function plainPost(req: IncomingMessage, path: RegExp, query: string): PlainPost | null {
  if (req.method !== "POST" || !req.url) return null;
  const at = req.url.indexOf("?");
  if ((at < 0 ? "" : req.url.slice(at + 1)) !== query) return null;
  const match = path.exec(at < 0 ? req.url : req.url.slice(0, at));
  if (!match) return null;
  const origin = header(req, "origin");
  const host = header(req, "x-forwarded-host") ?? header(req, "host");
  if (!origin || !host || host.includes(",") || crossSiteReason(origin, host) !== null) return null;
  const mediaType = (header(req, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded" || header(req, "transfer-encoding")) return null;
  const length = Number(header(req, "content-length"));
  if (!Number.isSafeInteger(length) || length <= 0 || length > FORM_BODY_LIMIT) return null;
  const cookieName = sessionCookieName();
  const sessionId = cookieName ? sessionIdOf(header(req, "cookie"), cookieName) : null;
  return sessionId ? { sessionId, id: safeDecode(match[1]!), length } : null;
}

/** Reads the declared `length` bytes of the body, then `done` (null: it did not match the length). */
function readBody(req: IncomingMessage, res: ServerResponse, length: number, done: (body: Buffer | null) => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  req.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received <= length) chunks.push(chunk);
  });
  req.on("error", () => res.destroy());
  req.on("end", () => done(received === length ? Buffer.concat(chunks, received) : null));
}

/** The request goes on to Express (front door, Remix) with its body already read. */
function handOn(req: IncomingMessage, res: ServerResponse, app: RequestListener, body: Buffer): void {
  readAhead.set(req, body);
  app(req, res);
}

/**
 * Serves the quiz script's answer save straight from node's request when it is the plain case
 * (`plainPost`) and returns true; otherwise returns false without reading anything, and the caller
 * hands the request to Express (front door, `leanRoutes`, Remix), which answers every other case as
 * before. The save itself is `hotWrite` (the session read, then `handleAnswerSave`: zod parse, rate
 * limit, `saveAnswer`'s rules in one immediate transaction, committed before the reply), done by
 * the cluster's one writer (hot-writes.server.ts); a session it cannot decide plainly goes on to
 * Express with the body read.
 */
export function serveAnswerSave(req: IncomingMessage, res: ServerResponse, app: RequestListener): boolean {
  const plain = plainPost(req, ANSWER_PATH, "");
  if (!plain) return false;
  observeRoute(res, LEAN_ROUTES.answerSave);
  readBody(req, res, plain.length, (body) => {
    if (!body) {
      sendJson(res, 400, { ok: false, error: t.attemptErrors.badAnswer, code: "bad_answer" }, { Connection: "close" });
      return;
    }
    hotWrite({ op: "save", sessionId: plain.sessionId, attemptId: plain.id, body: body.toString("utf8") })
      .then((reply) => {
        if (reply.kind === "saved") sendJson(res, reply.status, reply.body, reply.headers);
        else handOn(req, res, app, body);
      })
      .catch((error: unknown) => {
        console.error("[cuocthi] lưu câu trả lời:", error);
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: ops.unavailable.answerNotSaved, code: "unavailable" });
        else res.destroy();
      });
  });
  return true;
}

const QUIZ_PATH = /^\/bai-thi\/([^/]+)$/;

/**
 * The quiz page's submit as its form posts it (`POST /bai-thi/:id?index`, `intent=submit`, every
 * answer, the prediction, `confirm`), in the plain case (`plainPost`): the body is read, and
 * `hotWrite` parses it by the action's own schema and runs the action's `submitAttempt` rules in
 * one immediate transaction (`submitAttemptIfFinal`). When that ends on the result page (finalized,
 * already finalized, late) it is committed and answered here with the action's redirect (302 to
 * the result). In every other case — a question to ask (prediction, unanswered questions), a
 * refusal, a form the schema refuses, a session to extend, a storage failure — nothing was written
 * and the request, with the body already read (`readAhead`), goes on to Express and the quiz
 * page's action, which answers it.
 */
export function serveFormSubmit(req: IncomingMessage, res: ServerResponse, app: RequestListener): boolean {
  const plain = plainPost(req, QUIZ_PATH, "index");
  if (!plain) return false;
  observeRoute(res, LEAN_ROUTES.quizPage);
  readBody(req, res, plain.length, (body) => {
    if (!body) {
      res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", Connection: "close" });
      res.end(t.attemptErrors.badAnswer);
      return;
    }
    hotWrite({ op: "submit", sessionId: plain.sessionId, attemptId: plain.id, body: body.toString("utf8") })
      .then((reply) => {
        if (reply.kind === "submitted") answerSubmit(res, body, plain.id, reply.outcome);
        else handOn(req, res, app, body);
      })
      .catch((error: unknown) => {
        console.error("[cuocthi] nộp bài:", error);
        res.destroy();
      });
  });
  return true;
}

/** The lean submit's answer once it is committed and final: the action's redirect. */
function answerSubmit(res: ServerResponse, body: Buffer, attemptId: string, outcome: SubmitOutcome): void {
  // `observe` counts a submit by the body it finds in `res.locals` (as Express leaves it).
  (res as ServerResponse & { locals?: Record<string, unknown> }).locals = { body };
  // The action's redirects, exactly (the id is the owned attempt's: found, so a plain UUID).
  const location = `/bai-thi/${attemptId}/ket-qua${outcome.kind === "late" ? "?het-gio=1" : ""}`;
  res.writeHead(302, {
    Location: location,
    "Content-Length": 0,
    ...(secureCookies() ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  });
  res.end();
}

/**
 * node's request listener for serve.mjs: every request is first seen by `observe` (one log line and
 * the metrics when it ends, app/.server/observe.server.ts), then the plain answer save and
 * `/healthz` are answered here, everything else goes to `app`.
 */
export function leanFirst(app: RequestListener, observe?: (req: IncomingMessage, res: ServerResponse) => void): RequestListener {
  return (req, res) => {
    observe?.(req, res);
    if (serveAnswerSave(req, res, app) || serveFormSubmit(req, res, app) || serveBoardPage(req, res)) return;
    if ((req.method === "GET" || req.method === "HEAD") && req.url === "/healthz") {
      observeRoute(res, LEAN_ROUTES.healthz);
      const reply = healthReply(getDb);
      const body = JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "Cache-Control": "no-store",
        ...(secureCookies() ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    app(req, res);
  };
}
