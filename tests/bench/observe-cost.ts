/**
 * What the request log line and the request metrics cost per request (decision 015, "Logs";
 * decision 013, "Fifth pass": on a real server under load, tests/bench/observe-ab.ts):
 * the work `observeRequests` does when a request ends — the route match over the build's route
 * patterns, the histogram observation, the buffered pino line — timed in a loop, without the
 * network. Run after a build, with stdout thrown away (the log lines go there):
 *
 *   npx remix vite:build && npx tsx tests/bench/observe-cost.ts > /dev/null
 *
 * The figures are printed on stderr.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const build = await import(pathToFileURL(join(import.meta.dirname, "..", "..", "build", "server", "index.js")).href);
const { routePatterns, routeOf, routeFinder } = await import("~/.server/observe.server");
const { metrics } = await import("~/.server/metrics.server");
const { logger, flushLogs, requestLogger } = await import("~/.server/log.server");

const patterns = routePatterns(build.routes);
const findRoute = routeFinder(patterns);
const writeLine = requestLogger();
const child = metrics().requests.labels("/bai-thi/:attemptId/tra-loi", "POST", "200");
const m = metrics();
const log = logger();
const paths = [
  "/bai-thi/2f1c9a7e-7a1b-4bb0-9d39-0c5a3b4f1e22/tra-loi",
  "/healthz",
  "/cuoc-thi/nghi-quyet/vong/1",
  "/assets/entry.client-abc.js",
];
const N = 200_000;

function time(label: string, step: (i: number) => void) {
  for (let i = 0; i < 10_000; i++) step(i); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) step(i);
  const ns = Number(process.hrtime.bigint() - started) / N;
  process.stderr.write(`${label}: ${(ns / 1000).toFixed(2)} µs per request\n`);
}

time("route match (every pattern in turn)", (i) => routeOf(patterns, paths[i % paths.length]!));
time("route match (routeFinder)", (i) => findRoute(paths[i % paths.length]!));
time("histogram observe", (i) =>
  m.requests.observe({ route: "/bai-thi/:attemptId/tra-loi", method: "POST", status: "200" }, (i % 50) / 1000),
);
time("histogram, labelled child kept", (i) => child.observe((i % 50) / 1000));
time("request line (requestLogger)", (i) =>
  writeLine({
    reqId: `x-${i}`,
    method: "POST",
    route: "/bai-thi/:attemptId/tra-loi",
    path: paths[0]!,
    status: 200,
    ms: 3.2,
    ip: "203.0.113.7",
  }),
);
time("log line through pino (buffered)", (i) =>
  log.info(
    { reqId: `x-${i}`, method: "POST", route: "/bai-thi/:attemptId/tra-loi", path: paths[0], status: 200, ms: 3.2, ip: "203.0.113.7" },
    "request",
  ),
);
time("all three, as observe did before", (i) => {
  const route = routeOf(patterns, paths[i % paths.length]!);
  m.requests.observe({ route, method: "POST", status: "200" }, 0.003);
  log.info({ reqId: `x-${i}`, method: "POST", route, path: paths[i % paths.length], status: 200, ms: 3.2, ip: "203.0.113.7" }, "request");
});
time("all three, as observe does now", (i) => {
  const route = findRoute(paths[i % paths.length]!);
  child.observe(0.003);
  writeLine({ reqId: `x-${i}`, method: "POST", route, path: paths[i % paths.length]!, status: 200, ms: 3.2, ip: "203.0.113.7" });
});
await flushLogs();
process.exit(0);
