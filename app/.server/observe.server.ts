/**
 * Every request, seen once when it ends (app/.server/serve.mjs mounts this first): one log line
 * (request id, method, route, status, duration, client address) and the request metrics. The
 * route is the app's route pattern (`/bai-thi/:attemptId/tra-loi`), never the raw path, so the
 * metrics have one series per route and the log can be grouped by it.
 *
 * Cheap on purpose (every request pays it; the answer save is the hot path): one shared `close`
 * listener, the route by exact match or among the patterns of the path's first segment, a kept
 * labelled series, a request line from one template written in batches (log.server.ts). What
 * each part cost and what it costs now: decision 013, "Fifth pass"; tests/bench/observe-ab.ts.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import proxyaddr from "proxy-addr";
import { trustProxySetting } from "./env.server";
import { logger, requestLogger } from "./log.server";
import { countSqliteError, metrics } from "./metrics.server";
import { ops } from "~/i18n/ops.vi";

interface BuildRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}

interface Pattern {
  route: string;
  regex: RegExp;
  /** More static segments win; a splat loses to anything else. */
  weight: number;
}

/** The route patterns of the Remix build (`build.routes`), as full paths. */
export function routePatterns(routes: Record<string, BuildRoute | undefined>): Pattern[] {
  const fullPath = (route: BuildRoute | undefined): string => {
    if (!route) return "";
    const parent = route.parentId ? fullPath(routes[route.parentId]) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  const patterns: Pattern[] = [];
  for (const route of Object.values(routes)) {
    if (!route || route.id === "root" || (route.path === undefined && !route.index)) continue;
    const segments = fullPath(route).split("/").filter(Boolean);
    let weight = 0;
    const regex = segments
      .map((segment) => {
        if (segment === "*") {
          weight -= 100;
          return "(?:/.*)?";
        }
        if (segment.startsWith(":")) return "/[^/]+";
        weight += 2;
        return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      })
      .join("");
    patterns.push({ route: `/${segments.join("/")}`, regex: new RegExp(`^${regex}/?$`), weight });
  }
  return patterns.sort((a, b) => b.weight - a.weight);
}

/** The route pattern a path belongs to (assets and other files grouped as `/assets` and `static`). */
export function routeOf(patterns: Pattern[], path: string): string {
  if (path.startsWith("/assets/")) return "/assets";
  // Remix's single fetch asks for a page's data at `<path>.data` (`/_root.data` for `/`).
  if (path.endsWith(".data")) path = path === "/_root.data" ? "/" : path.slice(0, -5);
  for (const pattern of patterns) if (pattern.regex.test(path)) return pattern.route;
  return "static";
}

/**
 * `routeOf` for one route table, with the same answer for every path but without trying every
 * pattern: a path that is exactly a route without parameters (`/healthz`, `/dang-nhap`, with or
 * without its trailing slash) is one Map lookup; any other path tries, in `routeOf`'s order, only
 * the patterns whose first segment is its first segment, or is a parameter or a splat. Exactness:
 * a static pattern of k segments has the highest weight a k-segment path can match (2k) and only
 * itself reaches it, so no pattern `routeOf` tries before it can match; the other patterns are
 * tried in the same order minus those whose first segment cannot match.
 */
export function routeFinder(patterns: Pattern[]): (path: string) => string {
  const exact = new Map<string, string>();
  const byFirst = new Map<string, Pattern[]>();
  const anyFirst: Pattern[] = [];
  const firstOf = (route: string) => route.slice(1).split("/")[0]!;
  const isStatic = (segment: string) => segment !== "*" && !segment.startsWith(":");
  for (const pattern of patterns) {
    const segments = pattern.route.split("/").filter(Boolean);
    if (segments.every(isStatic)) {
      for (const key of [pattern.route, pattern.route === "/" ? "" : `${pattern.route}/`])
        if (!exact.has(key)) exact.set(key, pattern.route);
    }
  }
  for (const pattern of patterns) {
    const first = firstOf(pattern.route);
    if (first === "" || !isStatic(first)) anyFirst.push(pattern);
    else if (!byFirst.has(first)) byFirst.set(first, []);
  }
  // Each first segment's list keeps `routeOf`'s order (weight, then the build's order).
  for (const [first, list] of byFirst) {
    for (const pattern of patterns) {
      const head = firstOf(pattern.route);
      if (head === first || head === "" || !isStatic(head)) list.push(pattern);
    }
  }
  return (raw) => {
    if (raw.startsWith("/assets/")) return "/assets";
    const path = raw.endsWith(".data") ? (raw === "/_root.data" ? "/" : raw.slice(0, -5)) : raw;
    const hit = exact.get(path);
    if (hit !== undefined) return hit;
    const end = path.indexOf("/", 1);
    const candidates = byFirst.get(end < 0 ? path.slice(1) : path.slice(1, end)) ?? anyFirst;
    for (const pattern of candidates) if (pattern.regex.test(path)) return pattern.route;
    return "static";
  };
}

/**
 * The route patterns the lean path answers (app/lean-routes.server.ts), for `observeRoute`:
 * the same strings `routePatterns` gives these routes (tests/integration/observe-cost.test.ts).
 */
export const LEAN_ROUTES = {
  answerSave: "/bai-thi/:attemptId/tra-loi",
  quizPage: "/bai-thi/:attemptId",
  healthz: "/healthz",
  leaderboard: "/cuoc-thi/:contestId/xep-hang",
} as const;
export type LeanRoute = (typeof LEAN_ROUTES)[keyof typeof LEAN_ROUTES];

// Symbol.for: the same key in every copy of this module (the build, a test, a bench loading two builds).
const ROUTE = Symbol.for("cuocthi.observedRoute");
type Observed = ServerResponse & { [ROUTE]?: LeanRoute };

/**
 * Tells `observeRequests` which route answered (a handler that knows it, such as the lean path),
 * so the request's end does not look the path up. Optional: without it the route is found from the path.
 */
export function observeRoute(res: ServerResponse, route: LeanRoute): void {
  (res as Observed)[ROUTE] = route;
}

const ANSWER_ROUTE = LEAN_ROUTES.answerSave;
const QUIZ_ROUTE = LEAN_ROUTES.quizPage;

/** Express's rule for `req.ip` under TRUST_PROXY, for the requests the lean path answers before Express. */
export function clientAddressOf(setting: false | number | string = trustProxySetting()): (req: IncomingMessage) => string {
  // No proxy trusted: the socket's address, which is what proxy-addr answers then (without
  // parsing X-Forwarded-For first).
  if (setting === false) return (req) => req.socket?.remoteAddress as string;
  const trust =
    typeof setting === "number"
      ? (_address: string, hop: number) => hop < setting
      : proxyaddr.compile(setting.split(",").map((s) => s.trim()));
  return (req) => proxyaddr(req, trust);
}

type Child = { observe(value: number): void };

/**
 * `histogram.observe({ route, method, status }, v)` builds and hashes a labels object on every
 * call; the labelled child of each (route, method, status) is kept here, in nested maps.
 */
function seriesOf(histogram: ReturnType<typeof metrics>["requests"]) {
  const byRoute = new Map<string, Map<string, Map<number, Child>>>();
  return (route: string, method: string, status: number): Child => {
    let byMethod = byRoute.get(route);
    if (!byMethod) byRoute.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (!child) byStatus.set(status, (child = histogram.labels(route, method, String(status))));
    return child;
  };
}

const STARTED = Symbol.for("cuocthi.observedStart");
const ID = Symbol.for("cuocthi.requestId");
type Tracked = Observed & Partial<ExpressResponse> & { [STARTED]?: number; [ID]?: string; req: IncomingMessage & Partial<ExpressRequest> };

/** The request id `observeRequests` gave this response (the `X-Request-Id` it answers with). */
export function requestIdOf(res: ServerResponse): string | undefined {
  return (res as Tracked)[ID];
}

export interface ObserveOptions {
  /**
   * false: the observer does not set `X-Request-Id` itself; the caller does, with `requestIdOf(res)`
   * — in the header object of its `writeHead` (the lean path), or with `setHeader` before handing
   * the request on (Express). Node writes a `writeHead(status, headers)` answer straight from that
   * object only if nothing was set before with `setHeader`; otherwise it goes through `setHeader`
   * for every header (tests/bench/observe-ab.ts measures what that costs). Default true.
   */
  setIdHeader?: boolean;
}

/**
 * Node's request listener that sees every request once when it ends (serve.mjs mounts it first,
 * through `leanFirst`): the request id, one log line, the request metrics. One `close` listener,
 * the same function for every response (its state on the response, no closure per request).
 */
export function observeRequests(routes: Record<string, BuildRoute | undefined>, options: ObserveOptions = {}) {
  const findRoute = routeFinder(routePatterns(routes));
  const clientAddress = clientAddressOf();
  const writeLine = requestLogger();
  const m = metrics();
  const series = seriesOf(m.requests);
  const setIdHeader = options.setIdHeader ?? true;
  const prefix = `${process.pid.toString(36)}-`;
  let sequence = 0;

  // node's request and response: the lean path (app/lean-routes.server.ts) answers some before
  // Express sees them; for the others Express has added `path`, `ip` and `locals` by the time they end.
  function ended(this: Tracked): void {
    const req = this.req;
    const ms = Math.round((performance.now() - this[STARTED]!) * 10) / 10;
    let path = req.path;
    if (path === undefined) {
      const url = req.url ?? "/";
      const query = url.indexOf("?");
      path = query < 0 ? url : url.slice(0, query);
    }
    const route = this[ROUTE] ?? findRoute(path);
    const status = this.writableFinished ? this.statusCode : 499; // 499: the client left first
    const method = req.method ?? "GET";
    series(route, method, status).observe(ms / 1000);
    if (method === "POST" && status < 400) {
      if (route === ANSWER_ROUTE && status === 200) m.saves.inc();
      else if (route === QUIZ_ROUTE) {
        // The no-JavaScript quiz form: the front door kept the body; its intent says which.
        const body = this.locals?.body as Buffer | undefined;
        if (body?.includes("intent=submit")) m.submits.inc();
        else if (body?.includes("intent=save")) m.saves.inc();
      }
    }
    writeLine({ reqId: this[ID]!, method, route, path, status, ms, ip: req.ip ?? clientAddress(req) });
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const tracked = res as Tracked;
    tracked[STARTED] = performance.now();
    const incoming = req.headers["x-request-id"];
    // A proxy's id (Caddy's {http.request.uuid}, for instance) joins the two logs; else our own.
    const id = typeof incoming === "string" && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : prefix + (++sequence).toString(36);
    tracked[ID] = id;
    if (setIdHeader) res.setHeader("X-Request-Id", id);
    res.on("close", ended);
  };
}

/**
 * Express's last handler: an error no route answered (the lean path's, a broken stream) is logged
 * once with its stack and the request id, and answered with a plain 500 in Vietnamese.
 */
export function unexpectedError() {
  const log = logger();
  return (error: unknown, req: ExpressRequest, res: ExpressResponse, _next: NextFunction): void => {
    countSqliteError(error);
    log.error({ err: error, reqId: res.getHeader("X-Request-Id"), method: req.method, path: req.path }, "unexpected error");
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).type("text/plain; charset=utf-8").setHeader("Cache-Control", "no-store");
    res.end(ops.unexpected);
  };
}
