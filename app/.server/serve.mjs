// The production HTTP server (`npm start`): Express serving the Remix build, with compression,
// immutable caching of hashed assets, the client's IP for rate limits, the front door's checks
// (body caps, cross-site posts, broken bodies: app/.server/front-door.server.ts), and a clean
// shutdown. Plain JavaScript so it runs with node alone; the app itself is the built bundle.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createReadableStreamFromReadable, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const build = await import(pathToFileURL(join(root, "build", "server", "index.js")).href);
// Opens and migrates the database and starts the deadline sweep before the first request.
build.entry.module.onServerStart?.();

const app = express();
app.disable("x-powered-by");
// No proxy is trusted unless TRUST_PROXY says which (see README, "Deployment"): otherwise anyone
// could send X-Forwarded-For and pick the address every per-address limit counts under.
app.set("trust proxy", build.entry.module.trustProxySetting());
app.use(build.entry.module.frontDoor());
app.use(compression());
app.use("/assets", express.static(join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(join(root, "build", "client"), { maxAge: "1h" }));
const handleRequest = createRequestHandler(build, "production");
app.all("*", async (req, res, next) => {
  try {
    const response = await handleRequest(remixRequest(req, res), { clientIp: req.ip ?? "unknown" });
    res.statusMessage = response.statusText;
    res.status(response.status);
    for (const [key, value] of response.headers.entries()) res.append(key, value);
    if (response.body) await writeReadableStreamToWritable(response.body, res);
    else res.end();
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

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, () => console.log(`[cuocthi] http://localhost:${port}`));
// Node closes idle keep-alive connections after 5 s; a phone that sends its next answer on such a
// connection just then gets a reset (browsers retry GETs, not POSTs). Keep them open longer.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
