/**
 * The load benchmark (tests/bench/README.md):
 *
 *   npx tsx tests/bench/run.ts [--db tests/bench/.tmp/bench.sqlite] [--duration 5] [--connections 10]
 *                              [--warmup 3] [--export-runs 2] [--only leaderboard]
 *
 * Serves the production build (`npm run build` first) on a free port against a copy of the bench
 * database made by generate.ts, so every run starts from the same data. Then, with autocannon and
 * each for a bounded time or count: the public pages and leaderboards of the 100,000-member
 * round, the judges' desk and downloads, and the deadline write paths of the open practice round
 * (login, start, quiz page, answer save, submit), with many members each on their own attempt.
 * Prints a table and writes tests/bench/.tmp/results.json. Traffic goes to 127.0.0.1 only.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { join, relative, resolve } from "node:path";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import autocannon from "autocannon";
import { benchDir, codeVersion, defaultDbPath, metaPath, parseArgs, positiveInt, repoRoot, type BenchMeta } from "./args";

const args = parseArgs(process.argv.slice(2), {
  db: "",
  members: "",
  duration: "5",
  warmup: "3",
  connections: "10",
  "export-runs": "2",
  "slow-seconds": "3",
  only: "",
  reference: "",
  "reference-members": "20000",
  "submit-members": "10000",
});
const duration = positiveInt(args, "duration", 120);
const connections = positiveInt(args, "connections", 200);
/**
 * Seconds of the same load before each timed row, not counted, on both servers (0: none). A server
 * at a deadline has run for hours: its code is compiled and optimised. Timed from a cold start, the
 * app's quiz page spent its first seconds in V8's compiler (its background threads took a quarter
 * of the cores) and measured ~25 % fewer pages a second than warm; the reference, a few small
 * functions, is warm after a moment. Rows of a fixed count (login, start, submit: each member once)
 * have no warm-up on either side.
 */
const warmupSeconds = (() => {
  const n = Number(args.warmup);
  if (!Number.isInteger(n) || n < 0 || n > 60) {
    console.error(`--warmup must be a whole number from 0 to 60 (got ${args.warmup})`);
    process.exit(2);
  }
  return n;
})();

/** `--warmup` seconds of this load, its results dropped (see warmupSeconds). */
async function warmUpLoad(url: string, conns: number, request: autocannon.Request): Promise<void> {
  if (warmupSeconds === 0) return;
  const instance = autocannon({ url, connections: conns, duration: warmupSeconds, timeout: 30, requests: [request] });
  const guard = setTimeout(() => instance.stop(), (warmupSeconds + 30) * 1000);
  await instance;
  clearTimeout(guard);
}
const exportRuns = positiveInt(args, "export-runs", 5);
/** A page whose first request takes longer is timed alone (2 requests, 1 connection), not loaded. */
const slowSeconds = positiveInt(args, "slow-seconds", 600);
const only = args.only ? args.only.split(",") : null;
/**
 * `--members N` (without `--db`): the database `.tmp/bench-N.sqlite`, generated first when it is
 * missing (a quick run: `--members 5000` takes a few seconds, 100,000 about 75 s).
 */
const membersArg = args.members ? positiveInt(args, "members", 2_000_000) : null;
const dbPath = resolve(args.db || (membersArg ? join(benchDir, ".tmp", `bench-${membersArg}.sqlite`) : defaultDbPath));
if (membersArg && !args.db && !existsSync(metaPath(dbPath))) {
  console.log(`No bench database for ${membersArg} members yet: generating ${relative(process.cwd(), dbPath)}`);
  execFileSync(
    process.execPath,
    [
      join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs"),
      join(benchDir, "generate.ts"),
      "--members",
      String(membersArg),
      "--quiz-members",
      "600",
      "--db",
      dbPath,
    ],
    {
      cwd: repoRoot,
      stdio: "inherit",
    },
  );
}
/** The reference server's directory (`limit-seed.mjs`, `limit-server.mjs`); "off" skips it. */
const referenceDir = (() => {
  if (args.reference === "off") return null;
  const candidates = args.reference ? [resolve(args.reference)] : [resolve(repoRoot, "..", "shared", "bench"), "/work/shared/bench"];
  const found = candidates.find((dir) => existsSync(join(dir, "limit-server.mjs")) && existsSync(join(dir, "limit-seed.mjs")));
  if (!found && args.reference) fail(`No reference server in ${args.reference} (limit-seed.mjs, limit-server.mjs)`);
  return found ?? null;
})();
const referenceMembers = positiveInt(args, "reference-members", 200_000);
/** How many members submit in the submit row, each once (submit-seed.ts makes their sessions and attempts). */
const submitMembers = positiveInt(args, "submit-members", 200_000);
const tmpDir = join(benchDir, ".tmp");
const resultsPath = join(tmpDir, "results.json");

function fail(message: string): never {
  console.error(`\n✗ ${message}`);
  process.exit(1);
}

const serverBuild = join(repoRoot, "build", "server", "index.js");
if (!existsSync(serverBuild))
  fail(`No production build (${relative(process.cwd(), serverBuild)} is missing): run \`npm run build\` first.`);
if (!existsSync(dbPath) || !existsSync(metaPath(dbPath))) {
  fail(`No bench database at ${relative(process.cwd(), dbPath)}: run \`npx tsx tests/bench/generate.ts --members 100000\` first.`);
}
const meta = JSON.parse(readFileSync(metaPath(dbPath), "utf8")) as BenchMeta;

/* ---------- the server, and stopping it whatever happens ---------- */

mkdirSync(tmpDir, { recursive: true });
const runDb = join(tmpDir, `run-${process.pid}.sqlite`);
const serverLogPath = join(tmpDir, "server.log");
let server: ChildProcess | null = null;
let serverExited = false;

function removeRunDb() {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
}

async function stopServer() {
  const child = server;
  server = null;
  if (child && !serverExited) {
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 6000);
    await exited;
    clearTimeout(timer);
  }
  removeRunDb();
}

process.on("exit", () => {
  if (server && !serverExited) server.kill("SIGKILL");
  removeRunDb();
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the server`);
    void stopServer().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
}

function serverRssMiB(): number | null {
  if (!server?.pid) return null;
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/* ---------- plain requests (logins, downloads, set-up) ---------- */

let port = 0;
const host = () => `localhost:${port}`;
const origin = () => `http://localhost:${port}`;
/**
 * What a phone's browser sends with every page; the server compresses for it. The user agent
 * matters: for a bot (isbot) the server waits for the whole page before answering.
 */
const PHONE_USER_AGENT = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const browserHeaders = () => ({ host: host(), "accept-encoding": "gzip, deflate, br", "user-agent": PHONE_USER_AGENT });
const formHeaders = (cookie?: string) => ({
  ...browserHeaders(),
  origin: origin(),
  "content-type": "application/x-www-form-urlencoded",
  ...(cookie ? { cookie } : {}),
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  seconds: number;
  firstByteSeconds: number;
}

/** One request; `fresh` opens a new connection (a reused idle one may be reset by a server busy for longer than its keep-alive timeout). */
function request(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  timeoutMs = 300_000,
  fresh = false,
): Promise<Reply> {
  return new Promise((done, reject) => {
    const started = performance.now();
    let firstByte = 0;
    const options: http.RequestOptions = {
      host: "127.0.0.1",
      port,
      method,
      path,
      headers: {
        ...headers,
        ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}),
        ...(fresh ? { connection: "close" } : {}),
      },
      ...(fresh ? { agent: false } : {}),
    };
    const req = http.request(options, (res) => {
      firstByte = performance.now();
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        done({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          seconds: (performance.now() - started) / 1000,
          firstByteSeconds: (firstByte - started) / 1000,
        }),
      );
      res.on("error", reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end(body);
  });
}

function decoded(reply: Reply): Buffer {
  const encoding = reply.headers["content-encoding"];
  if (encoding === "gzip") return gunzipSync(reply.body);
  if (encoding === "br") return brotliDecompressSync(reply.body);
  if (encoding === "deflate") return inflateSync(reply.body);
  return reply.body;
}

function sessionCookie(setCookie: string | string[] | undefined): string | null {
  for (const line of [setCookie ?? []].flat()) {
    const match = /^(cuocthi_session=[^;]+)/.exec(line);
    if (match && match[1] !== "cuocthi_session=") return match[1]!;
  }
  return null;
}

async function login(phone: string, password: string): Promise<string> {
  const reply = await request("POST", "/dang-nhap", formHeaders(), new URLSearchParams({ phone, password }).toString());
  const cookie = sessionCookie(reply.headers["set-cookie"]);
  if (reply.status !== 302 || !cookie)
    fail(`login as ${phone} failed: HTTP ${reply.status} ${decoded(reply).toString("utf8").slice(0, 200)}`);
  return cookie;
}

async function waitForHealth(timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (serverExited) fail(`the server exited during start-up; see ${relative(process.cwd(), serverLogPath)}`);
    try {
      const reply = await request("GET", "/healthz", { host: host() }, undefined, 2000);
      if (reply.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`/healthz did not answer 200 within ${timeoutMs / 1000} s; see ${relative(process.cwd(), serverLogPath)}`);
}

/**
 * Runs `work` while asking /healthz every 250 ms on another connection: the longest answer is how
 * long everybody else waited meanwhile (the server runs JavaScript on one thread).
 */
async function withStallProbe<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let running = true;
  let stallMs = 0;
  const probe = (async () => {
    while (running) {
      try {
        const reply = await request("GET", "/healthz", { host: host() }, undefined, 600_000, true);
        stallMs = Math.max(stallMs, Math.round(reply.seconds * 1000));
      } catch {
        // counted by the work itself
      }
      if (running) await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    const value = await work();
    running = false;
    await probe; // the probe's last request may still be waiting on the server
    return { value, stallMs };
  } finally {
    running = false;
  }
}

/* ---------- measuring ---------- */

interface Row {
  name: string;
  method: string;
  path: string;
  /** "duration" runs for --duration seconds; "count" sends exactly `requests` (one per member). */
  mode: "duration" | "count";
  connections: number;
  /** Completed requests (answered before the end of the run). */
  requests: number;
  /** Sent requests: more than completed when the run ended with requests still waiting. */
  sent: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  statusCodes: Record<string, number>;
  non2xx: number;
  /** Transport errors, timeouts, answers other than the expected status, and server-logged errors. */
  errors: number;
  /** Errors the server logged during this row (included in errors). */
  serverErrors: number;
  expected: number[];
  kbPerRequest: number;
  firstRequestMs: number | null;
  /** Size of the page (decompressed) from the first request. */
  pageKiB: number | null;
  note: string;
  /** For pages timed alone: the longest /healthz answer meanwhile (how long others waited). */
  healthzStallMs: number | null;
  serverRssMiB: number | null;
}

const rows: Row[] = [];

/** Errors the server logged since the last call (e.g. a render aborted after 5 s). */
let logOffset = 0;
async function newServerErrors(): Promise<number> {
  await new Promise((r) => setTimeout(r, 200));
  if (!existsSync(serverLogPath)) return 0;
  const text = readFileSync(serverLogPath, "utf8");
  const fresh = text.slice(logOffset);
  logOffset = text.length;
  return fresh.split("\n").filter((line) => /^\S*Error\b|^\[?error/i.test(line)).length;
}
/** React's marker of a streamed part of the page that was aborted: the page will not hydrate. */
const abortedRender = (reply: Reply) => (reply.headers["content-type"] ?? "").includes("text/html") && decoded(reply).includes('$RX("');
const wanted = (name: string) => !only || only.some((word) => name.includes(word));

interface Scenario {
  name: string;
  method?: string;
  /** Shown in the table; the real path may vary per request (setupRequest). */
  path: string;
  expected?: number[];
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: autocannon.Request["setupRequest"];
  onResponse?: autocannon.Request["onResponse"];
  /** Exactly this many requests instead of --duration seconds. */
  amount?: number;
  /** A request sent once before (its time is reported as the first request). */
  warmUp?: () => Promise<Reply>;
}

async function measure(scenario: Scenario): Promise<Row | null> {
  if (!wanted(scenario.name)) return null;
  if (serverExited) fail("the server has exited; see the server log");
  const expected = scenario.expected ?? [200];
  let firstRequestMs: number | null = null;
  let pageKiB: number | null = null;
  const amount = scenario.amount;
  const conns = amount ? Math.max(1, Math.min(connections, amount)) : connections;
  if (scenario.warmUp) {
    const first = await scenario.warmUp();
    firstRequestMs = Math.round(first.seconds * 1000);
    pageKiB = Math.round(decoded(first).length / 1024);
    if (!expected.includes(first.status)) console.warn(`  ! ${scenario.name}: first request answered ${first.status}`);
    if (first.seconds > slowSeconds) {
      // Under load a page this slow would only pile up work the server goes on doing after the
      // run: time it alone instead, twice more, one request at a time.
      const note = `slow: first request ${first.seconds.toFixed(1)} s; timed alone, 3 requests in a row`;
      console.log(`  ! ${scenario.name}: ${note}`);
      const warmUp = scenario.warmUp;
      const { value: more, stallMs } = await withStallProbe(async () => [await warmUp(), await warmUp()]);
      return sequential(scenario, expected, [first, ...more], `${note}; /healthz waited up to ${stallMs} ms meanwhile`, pageKiB, stallMs);
    }
  }
  process.stdout.write(`${scenario.name} (${amount ? `${amount} requests` : `${duration} s`}, ${conns} connections) … `);
  const requestSpec: autocannon.Request = {
    method: (scenario.method ?? "GET") as autocannon.Request["method"],
    path: scenario.path,
    headers: { ...browserHeaders(), ...scenario.headers },
    ...(scenario.body ? { body: scenario.body } : {}),
    ...(scenario.setupRequest ? { setupRequest: scenario.setupRequest } : {}),
    ...(scenario.onResponse ? { onResponse: scenario.onResponse } : {}),
  };
  if (!amount) await warmUpLoad(`http://127.0.0.1:${port}`, conns, requestSpec);
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: conns,
    ...(amount ? { amount } : { duration }),
    timeout: 30,
    // autocannon notices the end at its sampling ticks: 100 ms keeps the measured duration (and
    // so the rate of the fixed-count runs) within 0.1 s of the truth.
    sampleInt: 100,
    requests: [requestSpec],
  });
  // A hard bound whatever the server does.
  const guard = setTimeout(
    () => {
      console.warn(`\n  ! ${scenario.name}: stopped by the time guard`);
      instance.stop();
    },
    (amount ? 600 : duration + 60) * 1000,
  );
  const result = await instance;
  clearTimeout(guard);

  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const completed = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const unexpected = Object.entries(statusCodes)
    .filter(([code]) => !expected.includes(Number(code)))
    .reduce((n, [, count]) => n + count, 0);
  const serverErrors = await newServerErrors();
  const row: Row = {
    name: scenario.name,
    method: scenario.method ?? "GET",
    path: scenario.path,
    mode: amount ? "count" : "duration",
    connections: conns,
    requests: completed,
    sent: result.requests.sent,
    seconds: result.duration,
    rps: result.duration > 0 ? Math.round((completed / result.duration) * 10) / 10 : 0,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    statusCodes,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts + unexpected + serverErrors,
    serverErrors,
    expected,
    kbPerRequest: completed ? Math.round((result.throughput.total / completed / 1024) * 10) / 10 : 0,
    firstRequestMs,
    pageKiB,
    note: completed === 0 ? "no request completed within the run" : "",
    healthzStallMs: null,
    serverRssMiB: serverRssMiB(),
  };
  rows.push(row);
  console.log(
    `${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms` +
      `${row.errors ? `, ${row.errors} errors ${JSON.stringify(statusCodes)}` : ""}` +
      `${row.sent > completed ? `, ${row.sent - completed} still unanswered at the end` : ""}`,
  );
  return row;
}

/** A row from requests sent one at a time (for pages too slow to load concurrently). */
async function sequential(
  scenario: Scenario,
  expected: number[],
  replies: Reply[],
  note: string,
  pageKiB: number | null,
  stallMs: number,
): Promise<Row> {
  const serverErrors = await newServerErrors();
  const aborted = replies.filter(abortedRender).length;
  if (aborted) note += `; ${aborted} of ${replies.length} pages had their streamed data aborted (they cannot hydrate)`;
  const ms = replies.map((r) => Math.round(r.seconds * 1000)).sort((a, b) => a - b);
  const seconds = replies.reduce((sum, r) => sum + r.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const r of replies) statusCodes[r.status] = (statusCodes[r.status] ?? 0) + 1;
  const row: Row = {
    name: scenario.name,
    method: scenario.method ?? "GET",
    path: scenario.path,
    mode: "count",
    connections: 1,
    requests: replies.length,
    sent: replies.length,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round((replies.length / seconds) * 100) / 100,
    p50: ms[Math.floor(ms.length / 2)]!,
    p90: ms.at(-1)!,
    p99: ms.at(-1)!,
    max: ms.at(-1)!,
    statusCodes,
    non2xx: replies.filter((r) => r.status < 200 || r.status > 299).length,
    errors: Math.max(replies.filter((r) => !expected.includes(r.status) || abortedRender(r)).length, serverErrors),
    serverErrors,
    expected,
    kbPerRequest: Math.round(replies.reduce((sum, r) => sum + r.body.length, 0) / replies.length / 102.4) / 10,
    firstRequestMs: ms.length ? Math.round(replies[0]!.seconds * 1000) : null,
    pageKiB,
    note,
    healthzStallMs: stallMs,
    serverRssMiB: serverRssMiB(),
  };
  rows.push(row);
  console.log(`${scenario.name}: ${ms.join(", ")} ms; ${JSON.stringify(statusCodes)}${aborted ? `; ${aborted} aborted renders` : ""}`);
  return row;
}

interface ExportRow {
  file: string;
  path: string;
  runs: {
    seconds: number;
    firstByteSeconds: number;
    status: number;
    transferredBytes: number;
    fileBytes: number;
    rows: number | null;
    /** The longest /healthz answer during the download: how long everybody else waited. */
    healthzStallMs: number;
  }[];
  serverErrors: number;
}
const exportRows: ExportRow[] = [];

/* ---------- the reference server ("the limit", ../shared/bench) ---------- */

interface ReferenceRow {
  scenario: "hello" | "quiz" | "answer" | "submit";
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}
const referenceRows: ReferenceRow[] = [];

/**
 * Serves the reference server (raw node:http + better-sqlite3: the least work each request needs)
 * on a seeded copy and loads its four scenarios with the same connections and duration as the
 * app's rows, so the two are compared in one run on the same machine. Loopback only, bounded.
 */
async function measureReference(): Promise<void> {
  if (!referenceDir) {
    console.log("No reference server found (../shared/bench): only the app is measured (--reference <dir>)\n");
    return;
  }
  const dir = join(tmpDir, "limit");
  mkdirSync(dir, { recursive: true });
  // shared/ is read-only: run copies (they find better-sqlite3 in this repository's node_modules).
  for (const file of ["limit-seed.mjs", "limit-server.mjs"]) copyFileSync(join(referenceDir, file), join(dir, file));
  const seeded = join(dir, `limit-${referenceMembers}.db`);
  if (!existsSync(seeded)) {
    process.stdout.write(`Seeding the reference database (${referenceMembers.toLocaleString("en")} members) … `);
    execFileSync(process.execPath, [join(dir, "limit-seed.mjs"), seeded, String(referenceMembers)], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    console.log("done");
  }
  const runFile = join(dir, `run-${process.pid}.db`);
  const cleanup = () => {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(runFile + suffix, { force: true });
  };
  cleanup();
  copyFileSync(seeded, runFile); // submit finalizes attempts: every run starts from open ones
  const refPort = await freePort();
  const child = spawn(process.execPath, [join(dir, "limit-server.mjs"), runFile, String(refPort)], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stopChild = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  process.once("exit", stopChild);
  try {
    await new Promise<void>((ready, reject) => {
      const timer = setTimeout(() => reject(new Error("the reference server did not start in 10 s")), 10_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("limit server on")) {
          clearTimeout(timer);
          ready();
        }
      });
      child.once("exit", (code) => reject(new Error(`the reference server exited (${code})`)));
    });
    let k = 0;
    const member = () => 1 + (k++ % referenceMembers);
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const scenarios: [ReferenceRow["scenario"], autocannon.Request, number | null][] = [
      ["hello", { path: "/hello" }, null],
      [
        "quiz",
        {
          setupRequest: (r) => {
            const i = member();
            return { ...r, path: `/quiz/${i}`, headers: { cookie: `sid=s${i}` } };
          },
        },
        null,
      ],
      [
        "answer",
        {
          setupRequest: (r) => {
            const i = member();
            return {
              ...r,
              method: "POST",
              path: `/answer/${i}`,
              headers: { cookie: `sid=s${i}`, ...form },
              body: `idx=${k % 20}&option=${1 + (i % 800)}`,
            };
          },
        },
        null,
      ],
      // One submit per open attempt, as many as the app's submit row sends at most (each member once).
      [
        "submit",
        {
          setupRequest: (r) => {
            const i = member();
            return { ...r, method: "POST", path: `/submit/${i}`, headers: { cookie: `sid=s${i}`, ...form }, body: "prediction=12345" };
          },
        },
        referenceMembers,
      ],
    ];
    for (const [scenario, requestSpec, amount] of scenarios) {
      if (!wanted(referenceRowFor[scenario])) continue;
      k = 0;
      process.stdout.write(`reference ${scenario} (${amount ? `${amount} requests` : `${duration} s`}, ${connections} connections) … `);
      if (!amount) await warmUpLoad(`http://127.0.0.1:${refPort}`, connections, requestSpec);
      const instance = autocannon({
        url: `http://127.0.0.1:${refPort}`,
        connections,
        ...(amount ? { amount } : { duration }),
        timeout: 30,
        sampleInt: 100,
        requests: [requestSpec],
      });
      const guard = setTimeout(() => instance.stop(), (amount ? 120 : duration + 30) * 1000);
      const result = await instance;
      clearTimeout(guard);
      const completed = Object.values(result.statusCodeStats).reduce((n, { count }) => n + count, 0);
      const row: ReferenceRow = {
        scenario,
        rps: result.duration > 0 ? Math.round((completed / result.duration) * 10) / 10 : 0,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: completed,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      };
      referenceRows.push(row);
      console.log(`${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms${row.non2xx ? `, ${row.non2xx} non-2xx` : ""}`);
    }
  } finally {
    stopChild();
    process.off("exit", stopChild);
    await new Promise((r) => setTimeout(r, 200));
    cleanup();
  }
  console.log("");
}

/** Which app row each reference scenario is compared with (by name). */
const referenceRowFor: Record<ReferenceRow["scenario"], string> = {
  hello: "trivial response (/healthz)",
  quiz: "quiz page (HTML), rotating members",
  answer: "answer save (JSON route), rotating answers",
  submit: "submit (form POST with all answers), one per member",
};

/* ---------- the run ---------- */

async function main() {
  const started = performance.now();
  const loadBefore = os.loadavg();
  if (loadBefore[0]! > os.cpus().length * 0.5) {
    console.warn(
      `! load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} CPUs: other work is running, figures will be lower`,
    );
  }
  await measureReference();
  const dbBytes = statSync(dbPath).size;
  process.stdout.write(`Copying the bench database (${(dbBytes / 1024 / 1024).toFixed(0)} MiB) … `);
  removeRunDb();
  copyFileSync(dbPath, runDb);
  console.log("done");

  port = await freePort();
  const log = createWriteStream(serverLogPath);
  server = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
      join(repoRoot, "app", ".server", "serve.mjs"),
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: runDb, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);
  server.on("exit", (code, signal) => {
    serverExited = true;
    if (server) console.error(`\n✗ the server exited (${signal ?? code}); see ${relative(process.cwd(), serverLogPath)}`);
  });
  const startedServer = performance.now();
  await waitForHealth(120_000);
  const startupSeconds = (performance.now() - startedServer) / 1000;
  await newServerErrors(); // start-up output (its errors are in serverLogErrorLines)
  console.log(`Server on http://localhost:${port} (pid ${server.pid}), healthy after ${startupSeconds.toFixed(2)} s`);
  const code = codeVersion();
  const builtAt = statSync(serverBuild).mtime.toISOString();
  console.log(
    `Code: ${code.commit}${code.changedFiles.length ? ` + changes in ${code.changedFiles.join(", ")}` : ""}; build of ${builtAt}`,
  );
  console.log(
    `${meta.members.toLocaleString("en")} members in ${meta.contestId} round ${meta.roundNumber}; ${duration} s per page${warmupSeconds ? ` after ${warmupSeconds} s of the same load not counted` : ""}, ${connections} connections\n`,
  );

  const c = meta.contestId;
  const board = `/cuoc-thi/${c}/xep-hang`;
  const page = (name: string, path: string, headers?: Record<string, string>) =>
    measure({ name, path, headers, warmUp: () => request("GET", path, { ...browserHeaders(), ...headers }) });

  await measure({ name: referenceRowFor.hello, path: "/healthz" });

  /* Public pages of the closed 100,000-member round. */
  await page("contest page", `/cuoc-thi/${c}`);
  await page("leaderboard round 1, page 1", `${board}?vong=${meta.roundNumber}`);
  await page("leaderboard round 1, page 1500", `${board}?vong=${meta.roundNumber}&trang=1500`);
  await page("leaderboard round 1, district da-lat", `${board}?vong=${meta.roundNumber}&huyen=da-lat`);
  await page("leaderboard round 1, units view", `${board}?vong=${meta.roundNumber}&xem=don-vi`);
  await page("leaderboard overall, page 1", `${board}?vong=tong`);
  await page("leaderboard overall, page 1500", `${board}?vong=tong&trang=1500`);

  /* Judges. */
  const desk = `/giam-khao/${c}/vong/${meta.roundNumber}`;
  if (wanted("judges") || wanted("export") || wanted("disqualify")) {
    const judge = await login(meta.judge.phone, meta.judge.password);
    await page("judges' desk, page 1", desk, { cookie: judge });
    if (wanted("export")) {
      for (const file of ["giai.csv", "giai.xlsx", "xep-hang.csv", "xep-hang.xlsx"]) {
        const path = `${desk}/tai/${file}`;
        const entry: ExportRow = { file, path, runs: [], serverErrors: 0 };
        exportRows.push(entry);
        for (let i = 0; i < exportRuns; i++) {
          if (serverExited) fail("the server has exited; see the server log");
          const { value: reply, stallMs } = await withStallProbe(() => request("GET", path, { ...browserHeaders(), cookie: judge }));
          const body = decoded(reply);
          const rowsInFile = file.endsWith(".csv")
            ? body
                .toString("utf8")
                .split("\n")
                .filter((l) => l.trim()).length - 1
            : null;
          entry.runs.push({
            seconds: Math.round(reply.seconds * 1000) / 1000,
            firstByteSeconds: Math.round(reply.firstByteSeconds * 1000) / 1000,
            status: reply.status,
            transferredBytes: reply.body.length,
            fileBytes: body.length,
            rows: rowsInFile,
            healthzStallMs: stallMs,
          });
          console.log(
            `export ${file} #${i + 1}: HTTP ${reply.status}, ${reply.seconds.toFixed(2)} s (first byte ${reply.firstByteSeconds.toFixed(2)} s), ` +
              `${(body.length / 1024 / 1024).toFixed(2)} MiB${reply.body.length !== body.length ? ` (${(reply.body.length / 1024 / 1024).toFixed(2)} MiB gzip)` : ""}` +
              `${rowsInFile !== null ? `, ${rowsInFile.toLocaleString("en")} rows` : ""}; /healthz waited up to ${(stallMs / 1000).toFixed(2)} s`,
          );
        }
        entry.serverErrors = await newServerErrors();
      }
    }
    if (wanted("disqualify")) {
      // A judge's decision stores the whole round's results (and the overall ranking) again.
      const phone = "0380000001";
      const entry: ExportRow = { file: "disqualify (POST)", path: desk, runs: [], serverErrors: 0 };
      exportRows.push(entry);
      const body = new URLSearchParams({ intent: "disqualify", phone, reason: "Kiểm tra tải: loại thử một thành viên" }).toString();
      const { value: reply, stallMs } = await withStallProbe(() => request("POST", desk, formHeaders(judge), body));
      entry.runs.push({
        seconds: Math.round(reply.seconds * 1000) / 1000,
        firstByteSeconds: Math.round(reply.firstByteSeconds * 1000) / 1000,
        status: reply.status,
        transferredBytes: reply.body.length,
        fileBytes: decoded(reply).length,
        rows: null,
        healthzStallMs: stallMs,
      });
      entry.serverErrors = await newServerErrors();
      console.log(
        `judge disqualifies ${phone}: HTTP ${reply.status}, ${reply.seconds.toFixed(2)} s; /healthz waited up to ${(stallMs / 1000).toFixed(2)} s`,
      );
    }
  }

  /* The deadline: many members on the open practice round, each on their own attempt. */
  if (wanted("quiz") || wanted("login") || wanted("start") || wanted("save") || wanted("submit")) {
    const phones = meta.quizMembers.phones;
    const members = phones.map((phone) => ({ phone, cookie: "", attemptId: "", options: [] as number[][] }));
    const formBody = (fields: [string, string][]) => new URLSearchParams(fields).toString();
    let next = 0;
    const take = (context: Record<string, unknown>) => {
      const index = next++ % members.length;
      context.member = index;
      return members[index]!;
    };

    next = 0;
    await measure({
      name: "login (argon2), one per member",
      method: "POST",
      path: "/dang-nhap",
      expected: [302],
      amount: members.length,
      headers: formHeaders(),
      setupRequest: (req, context) => {
        const m = take(context);
        return {
          ...req,
          body: formBody([
            ["phone", m.phone],
            ["password", meta.quizMembers.password],
          ]),
        };
      },
      onResponse: (_status, _body, context, headers) => {
        const cookie = sessionCookie(headers["set-cookie"]);
        if (cookie) members[context.member as number]!.cookie = cookie;
      },
    });
    const missing = members.filter((m) => !m.cookie);
    for (const m of missing) m.cookie = await login(m.phone, meta.quizMembers.password);

    const roundPath = `/cuoc-thi/${meta.practiceContestId}/vong/1`;
    next = 0;
    await measure({
      name: "start attempt, one per member",
      method: "POST",
      path: roundPath,
      expected: [302],
      amount: members.length,
      body: "intent=start",
      setupRequest: (req, context) => ({ ...req, headers: { ...req.headers, ...formHeaders(take(context).cookie) } }),
      onResponse: (_status, _body, context, headers) => {
        const location = String(headers.location ?? "");
        const match = /\/bai-thi\/([^/?]+)/.exec(location);
        if (match) members[context.member as number]!.attemptId = match[1]!;
      },
    });
    for (const m of members.filter((m) => !m.attemptId)) {
      const reply = await request("POST", roundPath, formHeaders(m.cookie), "intent=start");
      const match = /\/bai-thi\/([^/?]+)/.exec(String(reply.headers.location ?? ""));
      if (!match) fail(`could not start an attempt for ${m.phone}: HTTP ${reply.status} ${decoded(reply).toString("utf8").slice(0, 300)}`);
      m.attemptId = match[1]!;
    }
    // Each member's questions and option ids, read from their quiz page as a browser would.
    for (const m of members) {
      const reply = await request("GET", `/bai-thi/${m.attemptId}`, { ...browserHeaders(), cookie: m.cookie });
      const html = decoded(reply).toString("utf8");
      for (const match of html.matchAll(/<input[^>]*\bname="q-(\d+)"[^>]*\bvalue="(\d+)"/g)) {
        const position = Number(match[1]);
        (m.options[position] ??= []).push(Number(match[2]));
      }
      if (reply.status !== 200 || m.options.length === 0) fail(`quiz page of ${m.phone} has no questions: HTTP ${reply.status}`);
    }
    const questionCount = members[0]!.options.length;
    console.log(`${members.length} members logged in, each with an attempt of ${questionCount} questions`);

    const quizPath = (m: (typeof members)[number]) => `/bai-thi/${m.attemptId}`;
    next = 0;
    await measure({
      name: referenceRowFor.quiz,
      path: "/bai-thi/<attempt>",
      setupRequest: (req, context) => {
        const m = take(context);
        return { ...req, path: quizPath(m), headers: { ...req.headers, cookie: m.cookie } };
      },
    });
    next = 0;
    await measure({
      name: referenceRowFor.answer,
      method: "POST",
      path: "/bai-thi/<attempt>/tra-loi position=…&option=…",
      setupRequest: (req, context) => {
        const k = next;
        const m = take(context);
        const pass = Math.floor(k / members.length);
        const position = (pass + (context.member as number)) % m.options.length;
        const choices = m.options[position]!;
        const option = choices[(pass + position) % choices.length]!;
        return {
          ...req,
          // As app/components/quiz/send-answer.ts sends it: one small form POST, a JSON answer.
          path: `${quizPath(m)}/tra-loi`,
          headers: { ...req.headers, ...formHeaders(m.cookie), accept: "application/json" },
          body: formBody([
            ["position", String(position)],
            ["option", String(option)],
            ["chosenAt", String(Date.now())],
          ]),
        };
      },
    });
    // The submit row: like the reference's (one submit per seeded open attempt, thousands of them),
    // members whose sessions and attempts submit-seed.ts made with the app's own functions on the
    // run's database just now: 600 logins' worth of submits would be a cold burst (decision 013).
    if (wanted(referenceRowFor.submit)) {
      process.stdout.write(
        `Seeding ${Math.min(submitMembers, meta.members).toLocaleString("en")} members with an open attempt for the submit row … `,
      );
      const seedOut = join(tmpDir, `submit-seed-${process.pid}.json`);
      execFileSync(
        process.execPath,
        [
          join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs"),
          join(benchDir, "submit-seed.ts"),
          "--db",
          runDb,
          "--count",
          String(Math.min(submitMembers, meta.members)),
          "--out",
          seedOut,
        ],
        { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] },
      );
      const submitters = JSON.parse(readFileSync(seedOut, "utf8")) as { cookie: string; attemptId: string; answers: [number, number][] }[];
      rmSync(seedOut, { force: true });
      console.log("done");
      let nextSubmitter = 0;
      await measure({
        name: referenceRowFor.submit,
        method: "POST",
        path: "/bai-thi/<attempt>?index intent=submit",
        expected: [302],
        amount: submitters.length,
        setupRequest: (req) => {
          const m = submitters[nextSubmitter++ % submitters.length]!;
          const answers = m.answers.map(([position, option]): [string, string] => [`q-${position}`, String(option)]);
          return {
            ...req,
            path: `/bai-thi/${m.attemptId}?index`,
            headers: { ...req.headers, ...formHeaders(m.cookie) },
            body: formBody([...answers, ["prediction", "12345"], ["confirm", "1"], ["intent", "submit"]]),
          };
        },
      });
    }
    await page("open practice round leaderboard (live)", `/cuoc-thi/${meta.practiceContestId}/xep-hang`);
  }

  const serverErrors = (existsSync(serverLogPath) ? readFileSync(serverLogPath, "utf8") : "")
    .split("\n")
    .filter((line) => /error|exception|unhandled/i.test(line));
  await stopServer();
  printTable();
  printComparison();

  const output = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "",
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
      loadAverageAfter: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    settings: { duration, warmupSeconds, connections, exportRuns, only },
    database: {
      path: relative(repoRoot, dbPath),
      bytes: dbBytes,
      members: meta.members,
      generated: meta.createdAt,
      generationSeconds: meta.timings,
      generatedWithCode: meta.code ?? null,
    },
    code: { ...code, buildModifiedAt: builtAt },
    serverStartupSeconds: Math.round(startupSeconds * 1000) / 1000,
    results: rows,
    reference: referenceDir ? { dir: referenceDir, members: referenceMembers, rows: referenceRows } : null,
    exports: exportRows,
    serverLogErrorLines: serverErrors.slice(0, 50),
    totalSeconds: Math.round(performance.now() - started) / 1000,
  };
  writeFileSync(resultsPath, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`\nResults: ${relative(process.cwd(), resultsPath)} (total ${output.totalSeconds.toFixed(0)} s)`);
  const failed = rows.filter((r) => r.errors > 0);
  const failedExports = exportRows.filter((e) => e.serverErrors > 0 || e.runs.some((r) => r.status !== 200));
  if (serverErrors.length) console.log(`Server log has ${serverErrors.length} error lines: ${relative(process.cwd(), serverLogPath)}`);
  if (failed.length || failedExports.length) {
    console.log(`Requests failed in: ${[...failed.map((r) => r.name), ...failedExports.map((e) => e.file)].join("; ")}`);
    process.exitCode = 1;
  }
}

function printTable() {
  const header = ["path", "req/s", "p50 ms", "p99 ms", "max ms", "first ms", "KiB", "done/sent", "non-2xx", "errors", "status codes"];
  const body = rows.map((r) => [
    r.name,
    r.rps < 1 ? r.rps.toFixed(2) : r.rps.toFixed(1),
    String(r.p50),
    String(r.p99),
    String(r.max),
    r.firstRequestMs === null ? "" : String(r.firstRequestMs),
    r.pageKiB === null ? "" : String(r.pageKiB),
    r.sent > r.requests ? `${r.requests}/${r.sent}` : String(r.requests),
    String(r.non2xx),
    String(r.errors),
    Object.entries(r.statusCodes)
      .map(([code, n]) => `${code}×${n}`)
      .join(" ") + (r.note ? `  (${r.note})` : ""),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  console.log(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const row of body) console.log(line(row));
  if (exportRows.length) {
    console.log("\none at a time       seconds (each run)        first byte  size        rows     /healthz waited (s)");
    for (const e of exportRows) {
      const last = e.runs.at(-1)!;
      console.log(
        `${e.file.padEnd(18)}  ${e.runs
          .map((r) => r.seconds.toFixed(2))
          .join(", ")
          .padEnd(24)}  ${last.firstByteSeconds.toFixed(2).padStart(10)}  ` +
          `${`${(last.fileBytes / 1024 / 1024).toFixed(2)} MiB`.padStart(10)}  ${String(last.rows ?? "").padEnd(7)}  ${e.runs.map((r) => (r.healthzStallMs / 1000).toFixed(2)).join(", ")}`,
      );
    }
  }
}

/** The reference and the app side by side: the ratio is what to compare between machines. */
function printComparison() {
  if (!referenceRows.length) return;
  const header = ["path", "reference req/s", "app req/s", "app / reference", "reference p99", "app p50", "app p99"];
  const table: string[][] = [];
  for (const ref of referenceRows) {
    const app = rows.find((r) => r.name === referenceRowFor[ref.scenario]);
    if (!app) continue;
    table.push([
      app.name,
      ref.rps.toFixed(0),
      app.rps.toFixed(0),
      `${((app.rps / ref.rps) * 100).toFixed(1)} %`,
      `${ref.p99} ms`,
      `${app.p50} ms`,
      `${app.p99} ms`,
    ]);
  }
  for (const app of rows.filter((r) => r.name.startsWith("leaderboard"))) {
    table.push([app.name, "—", app.rps.toFixed(0), "—", "—", `${app.p50} ms`, `${app.p99} ms`]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(" | ")} |`;
  console.log(
    `\nReference (${referenceMembers.toLocaleString("en")} members) and app (${meta.members.toLocaleString("en")} members), ${connections} connections, ${duration} s a row:\n`,
  );
  console.log(line(header));
  console.log(`| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`);
  for (const row of table) console.log(line(row));
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await stopServer();
}
