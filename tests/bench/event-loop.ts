/**
 * Does heavy work block the server? (issue 9, "Nothing blocks the event loop for more than 100 ms";
 * docs/decisions/014-heavy-work-off-the-event-loop.md)
 *
 *   npm run build && npx tsx tests/bench/event-loop.ts [--db tests/bench/.tmp/bench.sqlite] [--root .] [--interval 10]
 *                                                     [--only live] [--live-seconds 40] [--live-connections 10] [--live-pause 100]
 *
 * Serves the production build of `--root` (default: this repository) against a copy of the bench
 * database (generate.ts) and, one at a time, triggers the heavy operations: the sweep freezing the
 * 100,000-member round (its stored results are cleared in the copy; the server sweeps every
 * second), a judge's disqualification, a re-scoring, and each of the four downloads. Meanwhile a
 * second connection asks `GET /healthz` every `--interval` ms: its p99 and max latency during each
 * operation is how long everyone else waited. Last, the live board: round 1 is made open in the copy
 * with live standings on, and `--live-connections` clients ask its leaderboard for `--live-seconds`
 * (long enough for the 15 s standings to be recomputed twice), each waiting `--live-pause` ms between
 * its requests: an audience, not a saturating load, so /healthz measures blocking, not a queue. `--only` keeps the operations whose
 * name contains one of its comma-separated words. Exits non-zero when a p99 is 100 ms or more, or an
 * operation failed. Writes tests/bench/.tmp/event-loop.json. Traffic goes to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { benchDir, codeVersion, defaultDbPath, metaPath, parseArgs, positiveInt, repoRoot, type BenchMeta } from "./args";

const require = createRequire(import.meta.url);
const args = parseArgs(process.argv.slice(2), {
  db: defaultDbPath,
  root: repoRoot,
  interval: "10",
  only: "",
  "live-seconds": "40",
  "live-connections": "10",
  "live-pause": "100",
});
const dbPath = resolve(args.db!);
const root = resolve(args.root!);
const interval = positiveInt(args, "interval", 1000);
const liveSeconds = positiveInt(args, "live-seconds", 600);
const liveConnections = positiveInt(args, "live-connections", 100);
const livePause = Number(args["live-pause"]);
if (!Number.isInteger(livePause) || livePause < 0) fail("--live-pause must be a whole number of milliseconds");
const only = args.only!.split(",").filter(Boolean);
const wanted = (operation: string) => only.length === 0 || only.some((word) => operation.includes(word));
const LIMIT_MS = 100;
// Declared before `fail`, which the checks below call: `stopServer` reads them.
const tmpDir = join(benchDir, ".tmp");
mkdirSync(tmpDir, { recursive: true });
const runDb = join(tmpDir, `event-loop-${process.pid}.sqlite`);
let server: ChildProcess | null = null;

function fail(message: string): never {
  console.error(`\n✗ ${message}`);
  stopServer();
  process.exit(1);
}
if (!existsSync(join(root, "build", "server", "index.js"))) fail(`No production build in ${root}: run \`npm run build\` first.`);
if (!existsSync(dbPath) || !existsSync(metaPath(dbPath)))
  fail(`No bench database at ${dbPath}: run \`npx tsx tests/bench/generate.ts\` first.`);
const meta = JSON.parse(readFileSync(metaPath(dbPath), "utf8")) as BenchMeta;

function stopServer() {
  if (server && server.exitCode === null) server.kill("SIGTERM");
  server = null;
  for (const suffix of ["", "-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
}
process.on("SIGINT", () => fail("interrupted"));

let port = 0;
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: number;
  body: Buffer;
  ms: number;
  firstByteMs: number;
}

function request(method: string, path: string, headers: Record<string, string> = {}, body?: string, agent?: http.Agent): Promise<Reply> {
  return new Promise((done, reject) => {
    const started = performance.now();
    let firstByteMs = 0;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: agent ?? false,
        headers: { host: `localhost:${port}`, ...headers, ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        firstByteMs = performance.now() - started;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const all = Buffer.concat(chunks);
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes: all.length,
            body: all,
            ms: performance.now() - started,
            firstByteMs,
          });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path}: no answer in 300 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

const form = (cookie?: string) => ({
  origin: `http://localhost:${port}`,
  "content-type": "application/x-www-form-urlencoded",
  ...(cookie ? { cookie } : {}),
});

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => done(p));
    });
  });
}

/**
 * What a write from the server's main thread would wait meanwhile (better-sqlite3 waits for SQLite's
 * lock synchronously, blocking that thread): another process takes the write lock (`begin
 * immediate`) and commits at once every 100 ms, and reports the longest wait.
 */
function writeProbe(): { stop: () => Promise<number> } {
  const code = `
    const Database = require(${JSON.stringify(require.resolve("better-sqlite3"))});
    const db = new Database(${JSON.stringify(runDb)});
    db.pragma("busy_timeout = 60000");
    let max = 0, running = true;
    process.on("message", () => { running = false; });
    (async () => {
      while (running) {
        const t = performance.now();
        db.exec("begin immediate"); db.exec("commit");
        max = Math.max(max, performance.now() - t);
        await new Promise((r) => setTimeout(r, 100));
      }
      process.send(max, () => process.exit(0));
    })();`;
  const child = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return {
    stop: () =>
      new Promise((done) => {
        child.once("message", (max) => done(Number(max)));
        child.send("stop");
      }),
  };
}

/** Asks /healthz every `interval` ms on its own keep-alive connection while `work` runs. */
async function probed<T>(work: () => Promise<T>): Promise<{ value: T; latencies: number[]; writeWaitMs: number }> {
  const latencies: number[] = [];
  const writes = writeProbe();
  let running = true;
  const probe = (async () => {
    while (running) {
      const reply = await request("GET", "/healthz", {}, undefined, keepAlive).catch(() => null);
      if (reply) latencies.push(reply.ms);
      await new Promise((r) => setTimeout(r, interval));
    }
  })();
  try {
    const value = await work();
    running = false;
    await probe;
    return { value, latencies, writeWaitMs: await writes.stop() };
  } finally {
    running = false;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Row {
  operation: string;
  status: number;
  seconds: number;
  firstByteSeconds: number | null;
  bytes: number | null;
  probes: number;
  healthzP50Ms: number;
  healthzP99Ms: number;
  healthzMaxMs: number;
  /** The longest a write (another connection's `begin immediate`) waited for the lock meanwhile. */
  writeWaitMaxMs: number;
  /** For the live board: its own requests, their latency, and how many said "đang tổng hợp". */
  page?: {
    requests: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    compiling: number;
    failed: number;
    /** Seconds from the first request to the first answer that was not "đang tổng hợp". */
    firstStandingsSeconds: number | null;
    /**
     * The server's own event-loop delay meanwhile (prom-client's histogram behind /metrics, reset
     * by the scrape before the row): how long a timer waited for the loop, i.e. the longest task —
     * unlike /healthz, which also waits behind the other requests queued on the worker.
     */
    loopDelayP99Ms: number | null;
    loopDelayMaxMs: number | null;
  };
}
const rows: Row[] = [];

async function measure(
  operation: string,
  work: () => Promise<{ status: number; firstByteMs?: number; bytes?: number; page?: Row["page"] }>,
) {
  if (!wanted(operation) && !operation.startsWith("idle")) return;
  const started = performance.now();
  const { value, latencies, writeWaitMs } = await probed(work);
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  const row: Row = {
    operation,
    status: value.status,
    seconds,
    firstByteSeconds: value.firstByteMs === undefined ? null : value.firstByteMs / 1000,
    bytes: value.bytes ?? null,
    probes: sorted.length,
    healthzP50Ms: percentile(sorted, 50),
    healthzP99Ms: percentile(sorted, 99),
    healthzMaxMs: sorted.at(-1) ?? 0,
    writeWaitMaxMs: writeWaitMs,
    ...(value.page ? { page: value.page } : {}),
  };
  rows.push(row);
  console.log(
    `${operation.padEnd(30)} ${String(row.status).padEnd(4)} ${seconds.toFixed(2).padStart(6)} s  ` +
      `${row.firstByteSeconds === null ? "      " : `${row.firstByteSeconds.toFixed(2).padStart(5)}s`}  ` +
      `${row.bytes === null ? "         " : `${(row.bytes / 1024 / 1024).toFixed(2).padStart(6)} MiB`}  ` +
      `${String(row.probes).padStart(5)}  ${row.healthzP50Ms.toFixed(1).padStart(7)}  ${row.healthzP99Ms.toFixed(1).padStart(7)}  ${row.healthzMaxMs.toFixed(1).padStart(7)}  ${row.writeWaitMaxMs.toFixed(0).padStart(7)}`,
  );
  if (row.page) {
    const p = row.page;
    console.log(
      `${"".padEnd(30)} the board itself: ${p.requests} requests (${(p.requests / seconds).toFixed(1)}/s), p50 ${p.p50Ms.toFixed(0)} ms, ` +
        `p99 ${p.p99Ms.toFixed(0)} ms, max ${p.maxMs.toFixed(0)} ms; ${p.compiling} said "đang tổng hợp"` +
        `${p.firstStandingsSeconds === null ? "" : ` (standings from ${p.firstStandingsSeconds.toFixed(1)} s)`}; ${p.failed} not 200; ` +
        `server event-loop delay p99 ${p.loopDelayP99Ms?.toFixed(0) ?? "?"} ms, max ${p.loopDelayMaxMs?.toFixed(0) ?? "?"} ms`,
    );
  }
}

/** The server's event-loop delay since the last scrape of /metrics (allowed from this machine), in ms. */
async function loopDelay(): Promise<{ p99Ms: number | null; maxMs: number | null }> {
  const reply = await request("GET", "/metrics").catch(() => null);
  const text = reply?.status === 200 ? reply.body.toString("utf8") : "";
  const value = (name: string) => {
    const match = new RegExp(`^${name} ([0-9.e+-]+)`, "m").exec(text);
    return match ? Number(match[1]) * 1000 : null;
  };
  return { p99Ms: value("nodejs_eventloop_lag_p99_seconds"), maxMs: value("nodejs_eventloop_lag_max_seconds") };
}

/**
 * `liveConnections` clients asking `path` one request at a time each for `liveSeconds`: the live
 * board under its audience. Counts the answers that said "đang tổng hợp" (the first requests of a
 * large round before its standings were ever computed, decision 014).
 */
async function loadLiveBoard(path: string): Promise<{ status: number; page: NonNullable<Row["page"]> }> {
  await loopDelay(); // resets the server's histogram
  const latencies: number[] = [];
  let compiling = 0;
  let failed = 0;
  let firstStandings: number | null = null;
  const started = performance.now();
  const until = started + liveSeconds * 1000;
  await Promise.all(
    Array.from({ length: liveConnections }, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      while (performance.now() < until) {
        const reply = await request("GET", path, {}, undefined, agent).catch(() => null);
        if (!reply || reply.status !== 200) failed++;
        else {
          latencies.push(reply.ms);
          if (reply.body.includes("Đang tổng hợp")) compiling++;
          else firstStandings ??= performance.now() - started;
        }
        if (livePause) await new Promise((r) => setTimeout(r, livePause));
      }
      agent.destroy();
    }),
  );
  const sorted = latencies.sort((a, b) => a - b);
  const loop = await loopDelay();
  return {
    status: failed ? 500 : 200,
    page: {
      requests: sorted.length + failed,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? 0,
      compiling,
      failed,
      firstStandingsSeconds: firstStandings === null ? null : firstStandings / 1000,
      loopDelayP99Ms: loop.p99Ms,
      loopDelayMaxMs: loop.maxMs,
    },
  };
}

try {
  copyFileSync(dbPath, runDb);
  port = await freePort();
  const log = createWriteStream(join(tmpDir, "event-loop-server.log"));
  server = spawn(process.execPath, [join(root, "app", ".server", "serve.mjs")], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: runDb, PORT: String(port), SWEEP_INTERVAL_SECONDS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await request("GET", "/healthz").then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || server.exitCode !== null) fail("the server did not start; see tests/bench/.tmp/event-loop-server.log");
    await new Promise((r) => setTimeout(r, 200));
  }
  const code = root === repoRoot ? codeVersion() : { commit: `the build in ${root}`, changedFiles: [] };
  console.log(
    `Serving ${root} (${code.commit}) on port ${port}; ${meta.members.toLocaleString("en")} members; /healthz every ${interval} ms\n`,
  );

  const login = await request(
    "POST",
    "/dang-nhap",
    form(),
    new URLSearchParams({ phone: meta.judge.phone, password: meta.judge.password }).toString(),
  );
  const cookie = [login.headers["set-cookie"] ?? []]
    .flat()
    .map((l) => /^(cuocthi_session=[^;]+)/.exec(l)?.[1])
    .find(Boolean);
  if (!cookie) fail(`judge login failed: HTTP ${login.status}`);
  const desk = `/giam-khao/${meta.contestId}/vong/${meta.roundNumber}`;

  console.log(`${"operation".padEnd(30)} HTTP   total   1st byte  size        /healthz: n    p50 ms   p99 ms   max ms  write waited ms`);
  // Idle baseline.
  await measure("idle (2 s)", async () => {
    await new Promise((r) => setTimeout(r, 2000));
    return { status: 200 };
  });

  // The sweep freezes the round again: its stored results cleared in the copy, from outside.
  const bench = new Database(runDb);
  bench.pragma("busy_timeout = 10000");
  await measure("freeze 100,000-row round (sweep)", async () => {
    bench.prepare("update rounds set results_computed_at = null where id = ?").run(meta.roundId);
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const row = bench.prepare("select results_computed_at as at from rounds where id = ?").get(meta.roundId) as { at: number | null };
      if (row.at !== null) return { status: 200 };
    }
  });
  bench.close();

  await measure("disqualify (POST)", async () => {
    const body = new URLSearchParams({ intent: "disqualify", phone: "0380000001", reason: "Kiểm tra: loại thử một thành viên" }).toString();
    const r = await request("POST", desk, form(cookie), body);
    return { status: r.status };
  });
  await measure("rescore (POST)", async () => {
    const r = await request("POST", desk, form(cookie), "intent=rescore");
    return { status: r.status };
  });
  for (const file of ["giai.csv", "giai.xlsx", "xep-hang.csv", "xep-hang.xlsx"]) {
    await measure(`download ${file}`, async () => {
      const r = await request("GET", `${desk}/tai/${file}`, { cookie: cookie! });
      return { status: r.status, firstByteMs: r.firstByteMs, bytes: r.bytes };
    });
  }

  // The live board of a large open round (decision 014, "The live board off the event loop"):
  // round 1 opened in the copy (a week around now) with live standings on, then asked by
  // `--live-connections` clients. Every server worker ranks the round's 100,000 finalized attempts.
  const liveOperation = `live board, open ${meta.members.toLocaleString("en")}-entry round`;
  if (wanted(liveOperation)) {
    const live = new Database(runDb);
    live.pragma("busy_timeout = 10000");
    const day = 86_400_000;
    live.prepare("update rounds set opens_at = ?, closes_at = ? where id = ?").run(Date.now() - day, Date.now() + 7 * day, meta.roundId);
    live.prepare("update contests set live_standings = 1, show_score = 'immediately' where id = ?").run(meta.contestId);
    live.close();
    console.log(`(${liveConnections} connections for ${liveSeconds} s, ${livePause} ms between one's requests)`);
    await measure(liveOperation, () => loadLiveBoard(`/cuoc-thi/${meta.contestId}/xep-hang?vong=${meta.roundNumber}`));
  }

  const failed = rows.filter((r) => r.status !== 200 && r.status !== 204);
  const slow = rows.filter((r) => r.healthzP99Ms >= LIMIT_MS);
  writeFileSync(
    join(tmpDir, "event-loop.json"),
    JSON.stringify({ at: new Date().toISOString(), root, code, interval, liveSeconds, liveConnections, livePause, rows }, null, 2),
  );
  console.log(`\nWritten to tests/bench/.tmp/event-loop.json`);
  if (failed.length) console.error(`✗ failed: ${failed.map((r) => `${r.operation} (HTTP ${r.status})`).join(", ")}`);
  if (slow.length) console.error(`✗ /healthz p99 ≥ ${LIMIT_MS} ms during: ${slow.map((r) => r.operation).join(", ")}`);
  else console.log(`✓ /healthz p99 < ${LIMIT_MS} ms during every operation`);
  stopServer();
  process.exit(failed.length || slow.length ? 1 : 0);
} catch (error) {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
