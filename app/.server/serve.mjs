// The production HTTP server (`npm start`): Express serving the Remix build, with compression,
// immutable caching of hashed assets, the client's IP for rate limits, the front door's checks
// (body caps, cross-site posts, broken bodies: app/.server/front-door.server.ts), and a clean
// shutdown. Plain JavaScript so it runs with node alone; the app itself is the built bundle.
import cluster from "node:cluster";
import { readdirSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createReadableStreamFromReadable } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { superviseWorkers, webConcurrency } from "./cluster.mjs";
import { drainable, drainTimeoutMs } from "./lifecycle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const build = await import(pathToFileURL(join(root, "build", "server", "index.js")).href);
const entry = build.entry.module;
const text = entry.opsText.lifecycle;
const port = Number(process.env.PORT ?? 3000);
const workers = webConcurrency();
const drainMs = drainTimeoutMs();
const metricsAllowProblem = entry.metricsAllowProblem();
if (metricsAllowProblem) {
  console.error(`[cuocthi] ${metricsAllowProblem}`);
  process.exit(2);
}
// From here every console line is one JSON log line (app/.server/log.server.ts).
entry.routeConsoleToLogger();
// Opens and migrates the database and starts the background jobs before the first request: in
// the primary only, so with a cluster they run in exactly one process (app/.server/cluster.mjs).
if (cluster.isPrimary) build.entry.module.onServerStart?.();
if (cluster.isPrimary && workers > 1) {
  // The answer saves and submits of every worker are written here, by one connection (decision 023).
  entry.serveHotWrites();
  superviseWorkers(workers, port, {
    drainMs,
    text,
    onStop: entry.onServerStop,
    flushLogs: entry.flushLogs,
    serveMetrics: entry.serveClusterMetrics,
  });
  // The primary serves nothing: the rest of this module is the workers' HTTP server. It stays
  // here (the event loop is kept alive by the workers) until a stop signal exits the process.
  await new Promise(() => {});
}

const app = express();
app.disable("x-powered-by");
// No proxy is trusted unless TRUST_PROXY says which (see README, "Deployment"): otherwise anyone
// could send X-Forwarded-For and pick the address every per-address limit counts under.
app.set("trust proxy", build.entry.module.trustProxySetting());
app.use(build.entry.module.frontDoor());
// Compress what is worth it: compressible types (HTML, JSON, CSS, JS, SVG, CSV) of at least 1 KB.
// Small JSON answers (an answer save, /healthz) carry a Content-Length (see below) and go as they
// are: gzip setup costs more than the bytes saved. A reverse proxy may compress instead (README).
app.use(compression({ threshold: 1024 }));
// Static files only where they are: hashed assets under /assets, and the few files at the root of
// build/client (favicons), by exact path. No disk lookup for any other URL (decision 013).
const clientDir = join(root, "build", "client");
app.use("/assets", express.static(join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
const rootFiles = new Set(
  readdirSync(clientDir, { withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => `/${f.name}`),
);
const rootStatic = express.static(clientDir, { maxAge: "1h", index: false });
app.use((req, res, next) => (rootFiles.has(req.path) ? rootStatic(req, res, next) : next()));
// The answer save and /healthz without Remix's pipeline, same route code (decision 013).
app.use(build.entry.module.leanRoutes());
// The build's own request handler: its route matching is computed once per route tree (decision 022).
const handleRequest = build.entry.module.createRequestHandler(build, "production");
app.all("*", async (req, res, next) => {
  try {
    const response = await handleRequest(remixRequest(req, res), { clientIp: req.ip ?? "unknown" });
    res.statusMessage = response.statusText;
    res.status(response.status);
    // Remix's headers replace what the front door set before (Strict-Transport-Security: one header,
    // not two); only Set-Cookie may repeat, and Headers gives each cookie apart.
    for (const [key, value] of response.headers.entries()) {
      if (key === "set-cookie") res.append(key, value);
      else res.setHeader(key, value);
    }
    await entry.writeBody(response, res);
  } catch (error) {
    next(error);
  }
});

/**
 * The Fetch request Remix gets (as @remix-run/express builds it), with the body the front door
 * has already read and measured (`res.locals.body`) instead of the socket.
 */
function remixRequest(req, res) {
  const port = (req.get("X-Forwarded-Host") ?? req.get("Host") ?? "").split(":")[1];
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    if (res.locals.body) init.body = res.locals.body;
    else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  return new Request(url.href, init);
}

// An error no route turned into an answer: logged once (with its stack), a plain 500.
app.use(entry.unexpectedError());

// Every request is observed first (one log line, the metrics); the quiz script's plain answer save
// and /healthz are then served before Express (decision 013); the rest is the app.
const server = createServer(build.entry.module.leanFirst(app, entry.observeRequests(build.routes))).listen(port, () => {
  if (cluster.isPrimary) console.log(`[cuocthi] http://localhost:${port}`);
});
// Node closes idle keep-alive connections after 5 s; a phone that sends its next answer on such a
// connection just then gets a reset (browsers retry GETs, not POSTs). Keep them open longer.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// Stopping drops nothing that was received (app/.server/lifecycle.mjs): exit 0 once every request
// is answered and the database closed; exit 1 if DRAIN_TIMEOUT_SECONDS ran out first.
const drainer = drainable(server);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    if (cluster.isPrimary) console.log(text.stopping(signal));
    // A cluster worker leaves the round robin at once but tells its clients to reconnect only
    // when the primary says every worker has left (cluster.mjs, "close-connections"): a client
    // reconnecting earlier would land in the primary's queue of accepted connections, which is
    // dropped when the last worker leaves. Capped, should the primary not answer.
    const closeAfter = cluster.isWorker && process.connected ? primaryRelease() : undefined;
    const draining = drainer.drain(drainMs, { closeAfter });
    if (closeAfter) process.send({ cuocthi: "left" }, () => {});
    const left = await draining;
    if (left > 0) console.error(text.forced(left, drainMs / 1000));
    else if (cluster.isPrimary) console.log(text.drained(Date.now() - started));
    entry.onServerStop();
    await entry.flushLogs();
    process.exit(left > 0 ? 1 : 0);
  });
}
if (cluster.isPrimary) process.on("SIGHUP", () => console.warn(text.rollingNeedsCluster));

/** Resolves when the primary sends "close-connections" (see the SIGTERM handler), or after 5 s. */
function primaryRelease() {
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message?.cuocthi !== "close-connections") return;
      process.off("message", onMessage);
      resolve();
    };
    process.on("message", onMessage);
    setTimeout(resolve, Math.min(5_000, drainMs)).unref();
  });
}
