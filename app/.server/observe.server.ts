/**
 * Every request, seen once when it ends (app/.server/serve.mjs mounts this first): one log line
 * (request id, method, route, status, duration, client address) and the request metrics. The
 * route is the app's route pattern (`/bai-thi/:attemptId/tra-loi`), never the raw path, so the
 * metrics have one series per route and the log can be grouped by it.
 *
 * Cheap on purpose (the answer save is the hot path): one `close` listener, a few regular
 * expressions over the ~30 route patterns, a buffered log write, a histogram observation.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import proxyaddr from "proxy-addr";
import { trustProxySetting } from "./env.server";
import { logger } from "./log.server";
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

const ANSWER_ROUTE = "/bai-thi/:attemptId/tra-loi";
const QUIZ_ROUTE = "/bai-thi/:attemptId";

/** Express's rule for `req.ip` under TRUST_PROXY, for the requests the lean path answers before Express. */
export function clientAddressOf(setting: false | number | string = trustProxySetting()): (req: IncomingMessage) => string {
  const trust =
    setting === false
      ? () => false
      : typeof setting === "number"
        ? (_address: string, hop: number) => hop < setting
        : proxyaddr.compile(setting.split(",").map((s) => s.trim()));
  return (req) => proxyaddr(req, trust);
}

export function observeRequests(routes: Record<string, BuildRoute | undefined>) {
  const patterns = routePatterns(routes);
  const clientAddress = clientAddressOf();
  const log = logger();
  const m = metrics();
  const prefix = process.pid.toString(36);
  let sequence = 0;
  // node's request and response: the lean path (app/lean-routes.server.ts) answers some before
  // Express sees them; for the others Express has added `path`, `ip` and `locals` by the time they end.
  return (req: IncomingMessage & Partial<ExpressRequest>, res: ServerResponse & Partial<ExpressResponse>): void => {
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    // A proxy's id (Caddy's {http.request.uuid}, for instance) joins the two logs; else our own.
    const id = typeof incoming === "string" && /^[\w.:-]{1,64}$/.test(incoming) ? incoming : `${prefix}-${(++sequence).toString(36)}`;
    res.setHeader("X-Request-Id", id);
    res.once("close", () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const path = req.path ?? (req.url ?? "/").split("?")[0] ?? "/";
      const route = routeOf(patterns, path);
      const status = res.writableFinished ? res.statusCode : 499; // 499: the client left first
      m.requests.observe({ route, method: req.method, status: String(status) }, ms / 1000);
      if (req.method === "POST" && status < 400) {
        if (route === ANSWER_ROUTE && status === 200) m.saves.inc();
        else if (route === QUIZ_ROUTE) {
          // The no-JavaScript quiz form: the front door kept the body; its intent says which.
          const body = res.locals?.body as Buffer | undefined;
          if (body?.includes("intent=submit")) m.submits.inc();
          else if (body?.includes("intent=save")) m.saves.inc();
        }
      }
      const line = { reqId: id, method: req.method, route, path, status, ms, ip: req.ip ?? clientAddress(req) };
      if (status >= 500) log.warn(line, "request");
      else log.info(line, "request");
    });
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
