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
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
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
