/**
 * What every request pays (issue 9, decision 013 "Fifth pass"): the observer's cheaper parts must
 * answer exactly as before — the route a path is counted under (for every route of the app), the
 * request log line (as pino wrote it), its timestamp, the log's order and flush — and the observer
 * on a real node server still gives the id, one line, the metric series and 499.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import remixConfig from "../../remix.config.js";
import { crossSiteReason } from "~/.server/front-door.server";
import { isoTimestamp, requestLogger } from "~/.server/log.server";
import { metricsText } from "~/.server/metrics.server";
import { LEAN_ROUTES, observeRequests, observeRoute, requestIdOf, routeFinder, routeOf, routePatterns } from "~/.server/observe.server";

const root = join(import.meta.dirname, "../..");
/** The app's routes in the shape of Remix's `build.routes` (ids, parents, paths), from app/routes. */
function appRoutes() {
  const manifest = flatRoutes(join(root, "app"), remixConfig.ignoredRouteFiles);
  return { root: { id: "root", path: "" }, ...manifest } as Record<
    string,
    { id: string; parentId?: string; path?: string; index?: boolean }
  >;
}

describe("the route a request is counted under, found without trying every pattern", () => {
  const routes = appRoutes();
  const patterns = routePatterns(routes);
  const find = routeFinder(patterns);

  it("has all the app's routes, and each of them finds its own pattern, as routeOf does", () => {
    expect(patterns.length).toBeGreaterThan(30);
    for (const { route } of patterns) {
      const path = route.replace(/:[^/]+/g, (_m) => "x1f");
      for (const variant of [path, path === "/" ? "/" : `${path}/`, path === "/" ? "/_root.data" : `${path}.data`]) {
        expect(find(variant), variant).toBe(route);
        expect(find(variant), variant).toBe(routeOf(patterns, variant));
      }
    }
  });

  it("answers as routeOf for the paths a server sees, odd ones included", () => {
    const paths = [
      "/",
      "",
      "/healthz",
      "/healthz/",
      "/healthzx",
      "/bai-thi/2f1c/tra-loi",
      "/bai-thi/2f1c/tra-loi/",
      "/bai-thi/2f1c",
      "/bai-thi/2f1c.data",
      "/bai-thi//tra-loi",
      "/bai-thi/2f1c/ket-qua",
      "/bai-thi",
      "/cuoc-thi/nghi-quyet",
      "/cuoc-thi/nghi-quyet/xep-hang",
      "/cuoc-thi/nghi-quyet/vong/2",
      "/cuoc-thi/nghi-quyet/anh-chia-se.png",
      "/cuoc-thi/nghi-quyet/anh-chia-seXpng",
      "/to-chuc/cuoc-thi/c1/vong/1/de-thi",
      "/to-chuc/cuoc-thi/c1/tai",
      "/to-chuc/bo-cau-hoi/b1/tai-docx",
      "/to-chuc",
      "/to-chuc/",
      "/to-chuc.data",
      "/giam-khao/c1/vong/1/tai/giai.csv",
      "/_root.data",
      "/assets/entry-abc.js",
      "/favicon.ico",
      "/khong/co/trang/nay",
      "/%2e%2e/etc",
      "//",
    ];
    for (const path of paths) expect(find(path), path).toBe(routeOf(patterns, path));
  });

  it("keeps routeOf's order with a splat and a parameter as first segment", () => {
    const table = {
      root: { id: "root", path: "" },
      "routes/$": { id: "routes/$", parentId: "root", path: "*" },
      "routes/$slug": { id: "routes/$slug", parentId: "root", path: ":slug" },
      "routes/$slug.tin": { id: "routes/$slug.tin", parentId: "root", path: ":slug/tin" },
      "routes/a.b": { id: "routes/a.b", parentId: "root", path: "a/b" },
      "routes/a.$x": { id: "routes/a.$x", parentId: "root", path: "a/:x" },
      "routes/healthz": { id: "routes/healthz", parentId: "root", path: "healthz" },
    };
    const p = routePatterns(table);
    const f = routeFinder(p);
    for (const path of ["/a/b", "/a/c", "/a/tin", "/z/tin", "/z", "/a", "/healthz", "/x/y/z", "/", "/a/b/c"]) {
      expect(f(path), path).toBe(routeOf(p, path));
    }
    expect(f("/khong/co")).toBe("/*");
  });

  it("the routes the lean path can name (observeRoute) are the app's patterns", () => {
    const names = new Set(patterns.map((p) => p.route));
    for (const route of Object.values(LEAN_ROUTES)) expect(names.has(route), route).toBe(true);
  });
});

describe("the request log line", () => {
  afterEach(() => {
    globalThis.__cuocthiLog = undefined;
  });

  /** The process logger replaced by one that writes into `lines` (as create() does, JSON mode). */
  function capture(level = "info") {
    const lines: string[] = [];
    const stream = { write: (line: string) => void lines.push(line) };
    const logger = pino(
      { level, base: { pid: process.pid }, timestamp: () => isoTimestamp(Date.now()), serializers: { err: pino.stdSerializers.err } },
      stream,
    );
    globalThis.__cuocthiLog = { logger, write: stream.write, flush: () => Promise.resolve() };
    return { lines, logger };
  }

  it("is what pino wrote for logger.info(line, 'request'): same keys, order, values and escaping", () => {
    const { lines, logger } = capture();
    const write = requestLogger();
    const samples = [
      {
        reqId: "e79-1",
        method: "POST",
        route: "/bai-thi/:attemptId/tra-loi",
        path: "/bai-thi/2f1c/tra-loi",
        status: 200,
        ms: 3.2,
        ip: "::ffff:127.0.0.1",
      },
      { reqId: "e79-2", method: "GET", route: "static", path: '/a"b\\c\u0001d/\u00e9\u00ff', status: 404, ms: 0, ip: '"10.0.0.1\\' },
      { reqId: "e79-3", method: "GET", route: "/healthz", path: "/healthz", status: 499, ms: 120.5, ip: undefined },
      { reqId: "abc:def.1-2_3", method: "DELETE", route: "/", path: "/", status: 302, ms: 1234.5, ip: "2001:db8::1" },
    ];
    for (const line of samples) {
      write(line);
      logger.info(line, "request");
    }
    expect(lines).toHaveLength(samples.length * 2);
    for (let i = 0; i < samples.length; i++) {
      const ours = lines[2 * i]!;
      const pinos = lines[2 * i + 1]!;
      const strip = (l: string) => l.replace(/,"time":"[^"]+"/, "");
      expect(strip(ours)).toBe(strip(pinos));
      expect(ours.endsWith("}\n")).toBe(true);
      expect(JSON.parse(ours).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(JSON.parse(lines[4]!)).not.toHaveProperty("ip");
  });

  it("a 5xx is a warn line; below the logger's level nothing is written", () => {
    const { lines } = capture("warn");
    const write = requestLogger();
    write({ reqId: "a", method: "GET", route: "/", path: "/", status: 200, ms: 1, ip: "1.2.3.4" });
    write({ reqId: "b", method: "GET", route: "/", path: "/", status: 503, ms: 1, ip: "1.2.3.4" });
    expect(lines.map((l) => JSON.parse(l) as { reqId: string; level: number })).toEqual([
      expect.objectContaining({ reqId: "b", level: 40 }),
    ]);
  });

  it("its time is pino's ISO time, also across seconds and when the clock goes back", () => {
    const start = Date.UTC(2026, 11, 3, 23, 59, 58, 990);
    const times = [start, start + 5, start + 10, start + 11, start + 1009, start + 1010, start + 2010, start - 86_400_000, start + 99];
    for (let t = 0; t < 3000; t += 7) times.push(start + t);
    for (const at of times) expect(isoTimestamp(at)).toBe(`,"time":"${new Date(at).toISOString()}"`);
  });

  it("goes out in order with the other lines, and all of it at the flush (the production JSON log)", () => {
    // A child process: the JSON mode writes to fd 1.
    const script = `
      import { logger, requestLogger, flushLogs } from "./app/.server/log.server.ts";
      const write = requestLogger();
      for (let i = 0; i < 400; i++) {
        write({ reqId: "r" + i, method: "GET", route: "/", path: "/", status: 200, ms: 1, ip: "1.2.3.4" });
        if (i % 100 === 50) logger().warn("giua " + i);
      }
      await flushLogs();
      process.exit(0);
    `;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, LOG_FORMAT: "", LOG_LEVEL: "info" },
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { reqId?: string; msg: string });
    const expected: string[] = [];
    for (let i = 0; i < 400; i++) {
      expected.push(`r${i}`);
      if (i % 100 === 50) expected.push(`giua ${i}`);
    }
    expect(lines.map((l) => l.reqId ?? l.msg)).toEqual(expected);
  });
});

describe("the observer on node's server", () => {
  afterEach(() => {
    globalThis.__cuocthiLog = undefined;
  });

  async function serve(options: Parameters<typeof observeRequests>[1], handler: http.RequestListener) {
    const lines: string[] = [];
    const logger = pino({ base: { pid: process.pid } }, { write: (l: string) => void lines.push(l) });
    globalThis.__cuocthiLog = { logger, write: (l) => void lines.push(l), flush: () => Promise.resolve() };
    const observe = observeRequests(appRoutes(), options);
    const server = http.createServer((req, res) => {
      observe(req, res);
      handler(req, res);
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as AddressInfo).port;
    return { lines, port, close: () => new Promise((r) => server.close(r)) };
  }
  function request(port: number, method: string, path: string, headers: Record<string, string> = {}) {
    return new Promise<http.IncomingMessage & { body: string }>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve(Object.assign(res, { body })));
      });
      req.on("error", reject);
      req.end();
    });
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));

  it("gives each request an id (or the proxy's), one line with its route, and counts it in the series", async () => {
    const { lines, port, close } = await serve({}, (req, res) => {
      if (req.url?.startsWith("/healthz")) observeRoute(res, LEAN_ROUTES.healthz);
      res.writeHead(req.url === "/khong-co" ? 404 : 200, { "Content-Type": "application/json", "Content-Length": 2 });
      res.end("{}");
    });
    const a = await request(port, "GET", "/healthz?x=1");
    const b = await request(port, "GET", "/cuoc-thi/c1/xep-hang?vong=1", { "X-Request-Id": "caddy-42" });
    const c = await request(port, "POST", "/bai-thi/9f/tra-loi");
    const d = await request(port, "GET", "/khong-co", { "X-Request-Id": "bad id with spaces" });
    await settle();
    await close();
    expect(a.headers["x-request-id"]).toMatch(/^[0-9a-z]+-[0-9a-z]+$/);
    expect(b.headers["x-request-id"]).toBe("caddy-42");
    expect(d.headers["x-request-id"]).not.toBe("bad id with spaces");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map(({ reqId, method, route, path, status }) => ({ reqId, method, route, path, status }))).toEqual([
      { reqId: a.headers["x-request-id"], method: "GET", route: "/healthz", path: "/healthz", status: 200 },
      { reqId: "caddy-42", method: "GET", route: "/cuoc-thi/:contestId/xep-hang", path: "/cuoc-thi/c1/xep-hang", status: 200 },
      { reqId: c.headers["x-request-id"], method: "POST", route: "/bai-thi/:attemptId/tra-loi", path: "/bai-thi/9f/tra-loi", status: 200 },
      { reqId: d.headers["x-request-id"], method: "GET", route: "/*", path: "/khong-co", status: 404 },
    ]);
    for (const line of parsed) expect(line).toMatchObject({ level: 30, msg: "request", ip: "127.0.0.1", ms: expect.any(Number) });
    const text = await metricsText();
    expect(text).toMatch(/^cuocthi_http_request_duration_seconds_count\{route="\/healthz",method="GET",status="200"\} [1-9]\d*$/m);
    expect(text).toMatch(
      /^cuocthi_http_request_duration_seconds_count\{route="\/bai-thi\/:attemptId\/tra-loi",method="POST",status="200"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^cuocthi_http_request_duration_seconds_bucket\{le="\+Inf",route="\/\*",method="GET",status="404"\} [1-9]\d*$/m);
    expect(text).toMatch(/^cuocthi_answer_saves_total [1-9]\d*$/m);
  });

  it("a client gone before the answer is 499", async () => {
    let answered!: () => void;
    const { lines, port, close } = await serve({}, (_req, res) => {
      answered = () => res.end("late");
    });
    const gone = new Promise<void>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/bai-thi/1" });
      req.on("error", () => resolve());
      req.end();
      setTimeout(() => req.destroy(), 50);
    });
    await gone;
    await settle();
    answered();
    await close();
    expect(lines.map((l) => JSON.parse(l) as { status: number; route: string })).toEqual([
      expect.objectContaining({ status: 499, route: "/bai-thi/:attemptId" }),
    ]);
  });

  it("with setIdHeader false the handler writes the id it reads with requestIdOf", async () => {
    const { lines, port, close } = await serve({ setIdHeader: false }, (_req, res) => {
      expect(res.getHeader("X-Request-Id")).toBeUndefined();
      res.writeHead(200, { "Content-Length": 2, "X-Request-Id": requestIdOf(res)! });
      res.end("{}");
    });
    const r = await request(port, "GET", "/healthz");
    await settle();
    await close();
    expect(r.headers["x-request-id"]).toBe((JSON.parse(lines[0]!) as { reqId: string }).reqId);
  });
});

describe("the Origin check with the origins' hosts remembered", () => {
  it("answers the same the first time, the second time, and after many other origins", () => {
    const cases: [string, string, boolean][] = [
      ["https://thi.example.vn", "thi.example.vn", true],
      ["https://thi.example.vn:8443", "thi.example.vn", false],
      ["https://thi.example.vn:8443", "thi.example.vn:8443", true],
      ["https://evil.example", "thi.example.vn", false],
      ["http://localhost:3000", "localhost:3000", true],
    ];
    const check = () => {
      for (const [origin, host, same] of cases) expect(crossSiteReason(origin, host) === null, `${origin} ${host}`).toBe(same);
      expect(crossSiteReason("khong phai url", "thi.example.vn")).toBe("Origin không đọc được (khong phai url)");
      expect(crossSiteReason("https://thi.example.vn", null)).toBe("Origin https://thi.example.vn khác (không có Host)");
      expect(crossSiteReason("null", "thi.example.vn")).toBe("Origin null");
      expect(crossSiteReason(undefined, "thi.example.vn")).toBeNull();
    };
    check();
    check();
    for (let i = 0; i < 600; i++) expect(crossSiteReason(`https://h${i}.example`, `h${i}.example`)).toBeNull();
    check();
  });
});
