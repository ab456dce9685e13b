// The production HTTP server (`npm start`): Express serving the Remix build, with compression,
// immutable caching of hashed assets, the client's IP for rate limits, and a clean shutdown.
// Plain JavaScript so it runs with node alone; the app itself is the built bundle.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const build = await import(pathToFileURL(join(root, "build", "server", "index.js")).href);
// Opens and migrates the database and starts the deadline sweep before the first request.
build.entry.module.onServerStart?.();

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, set TRUST_PROXY (e.g. "1" or its address) so req.ip is the client's.
app.set("trust proxy", process.env.TRUST_PROXY ?? "loopback");
app.use(compression());
app.use("/assets", express.static(join(root, "build", "client", "assets"), { immutable: true, maxAge: "1y" }));
app.use(express.static(join(root, "build", "client"), { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: "production",
    getLoadContext: (req) => ({ clientIp: req.ip ?? "unknown" }),
  }),
);

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
