/**
 * What `observeRequests` (app/.server/observe.server.ts: the request id, the log line, the
 * request metrics) costs a request on a real HTTP server, this build against another's, measured
 * so that the machine's other work moves the comparison little: ONE server process holds both
 * builds' observers and switches between them (and no observer at all) every `--slice` ms while
 * a load generator in another process sends the requests; the process's CPU time of each slice is
 * counted for the observer that served it. So every variant sees the same load on the machine,
 * interleaved, and the difference between two variants is what their observers cost.
 *
 *   npm run build && npx tsx tests/bench/observe-ab.ts --base <an export of another commit, built>
 *       [--path save|healthz] [--seconds 30] [--connections 20] [--slice 200] [--variants none,base,this,…] > /dev/null
 *
 * The request handler behind the observer is a stand-in for the lean path's (the body read, a
 * small JSON answer with the same four headers `sendJson` writes): the route's own work is not
 * measured. Variants: `none`, `base` (the other build's observer), `this`, `this+route` (this
 * build's, the handler telling it the route with `observeRoute`, as the lean path can),
 * `this+route+id` (also `setIdHeader: false`, the handler writing `X-Request-Id` in its
 * `writeHead` object with `requestIdOf`). The log
 * lines go to stdout (throw it away); the figures are printed on stderr.
 */
import { spawn } from "node:child_process";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    base: { type: "string" },
    path: { type: "string", default: "save" },
    seconds: { type: "string", default: "30" },
    connections: { type: "string", default: "20" },
    slice: { type: "string", default: "200" },
    // comma-separated names: only these variants (e.g. one alone, under --cpu-prof)
    variants: { type: "string" },
  },
});
if (!args.base) throw new Error("--base <directory of another checkout, with its build>");
const root = resolve(import.meta.dirname, "../..");
type Observer = (req: IncomingMessage, res: ServerResponse) => void;
type Entry = { observeRequests: (routes: unknown, options?: { setIdHeader?: boolean }) => Observer };
const load = async (dir: string) =>
  (await import(pathToFileURL(join(dir, "build", "server", "index.js")).href)) as { routes: unknown; entry: { module: Entry } };

// Each build's observer with its own logger (log.server.ts keeps the process's logger on globalThis).
const g = globalThis as { __cuocthiLog?: unknown };
const baseBuild = await load(resolve(args.base));
const baseObserver = baseBuild.entry.module.observeRequests(baseBuild.routes);
g.__cuocthiLog = undefined;
const thisBuild = await load(root);
const thisObserver = thisBuild.entry.module.observeRequests(thisBuild.routes);
// The observer that leaves `X-Request-Id` to the handler (`setIdHeader: false`, `requestIdOf`).
const idLeftObserver = thisBuild.entry.module.observeRequests(thisBuild.routes, { setIdHeader: false });
const ROUTE = Symbol.for("cuocthi.observedRoute");
const ID = Symbol.for("cuocthi.requestId");

type Variant = { name: string; observe: Observer | null; hint: boolean; idInHead?: boolean };
const variants: Variant[] = [
  { name: "none", observe: null, hint: false },
  { name: "base", observe: baseObserver, hint: false },
  { name: "this", observe: thisObserver, hint: false },
  { name: "this+route", observe: thisObserver, hint: true },
  { name: "this+route+id", observe: idLeftObserver, hint: true, idInHead: true },
].filter((v) => !args.variants || args.variants.split(",").includes(v.name));
const totals = variants.map(() => ({ cpuUs: 0, requests: 0 }));
let current = 0;
let requests = 0;

const saving = args.path === "save";
const attemptPath = "/bai-thi/2f1c9a7e-7a1b-4bb0-9d39-0c5a3b4f1e22/tra-loi";
const reply = saving ? JSON.stringify({ ok: true, answered: 7 }) : JSON.stringify({ ok: true });

function answer(res: ServerResponse, idInHead: boolean | undefined) {
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(reply),
    "Cache-Control": "no-store",
    ...(idInHead ? { "X-Request-Id": (res as unknown as Record<symbol, string>)[ID]! } : {}),
  });
  res.end(reply);
}

const server = http.createServer((req, res) => {
  requests++;
  const variant = variants[current]!;
  variant.observe?.(req, res);
  if (variant.hint) (res as unknown as Record<symbol, string>)[ROUTE] = saving ? "/bai-thi/:attemptId/tra-loi" : "/healthz";
  if (req.method === "POST") {
    req.on("data", () => {});
    req.on("end", () => answer(res, variant.idInHead));
  } else answer(res, variant.idInHead);
});
await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
server.keepAliveTimeout = 65_000;
const port = (server.address() as AddressInfo).port;

const cannon = join(root, "node_modules/autocannon/autocannon.js");
const url = `http://127.0.0.1:${port}${saving ? attemptPath : "/healthz"}`;
const loadArgs = ["-c", args.connections, "-d", String(Number(args.seconds) + 2), "-j", url];
if (saving) loadArgs.unshift("-m", "POST", "-H", "content-type=application/x-www-form-urlencoded", "-b", "position=3&option=2&chosenAt=1");
const generator = spawn(process.execPath, [cannon, ...loadArgs], { stdio: ["ignore", "ignore", "ignore"] });

// Two seconds of warm-up (every variant in turn), then the counted slices.
const sliceMs = Number(args.slice);
const startedAt = performance.now();
let last = process.cpuUsage();
await new Promise<void>((done) => {
  const timer = setInterval(() => {
    const cpu = process.cpuUsage(last);
    last = process.cpuUsage();
    if (performance.now() - startedAt > 2_000) {
      totals[current]!.cpuUs += cpu.user + cpu.system;
      totals[current]!.requests += requests;
    }
    requests = 0;
    current = (current + 1) % variants.length;
    if (performance.now() - startedAt > 2_000 + Number(args.seconds) * 1000) {
      clearInterval(timer);
      done();
    }
  }, sliceMs);
});
generator.kill();
server.closeAllConnections();
server.close();

const none = variants[0]!.name === "none" ? totals[0]!.cpuUs / Math.max(1, totals[0]!.requests) : 0;
process.stderr.write(`${args.path}: ${args.seconds} s, slices of ${sliceMs} ms, ${args.connections} connections\n`);
for (const [i, variant] of variants.entries()) {
  const t = totals[i]!;
  const perRequest = t.cpuUs / Math.max(1, t.requests);
  process.stderr.write(
    `  ${variant.name.padEnd(11)} ${t.requests.toString().padStart(7)} requests  ${perRequest.toFixed(1).padStart(6)} µs CPU a request` +
      (variant.name === "none" || !none ? "\n" : `  (observer: ${(perRequest - none).toFixed(1)} µs)\n`),
  );
}
process.exit(0);
