/**
 * The write paths' cost (answer save, form submit), measured so that other work on the machine
 * matters little: the server's own CPU milliseconds per request (from /proc, one worker) and,
 * with --profile, a CPU profile of where they go (self time by package and by function).
 *
 *   npm run build && npx tsx tests/bench/write-profile.ts --path save|submit
 *       [--db tests/bench/.tmp/bench-5000.sqlite] [--members 1000] [--duration 8] [--connections 20]
 *       [--workers 1] [--profile] [--root <another checkout, built>]
 *
 * Copies the bench database (generate.ts), and in the copy, through the app's own functions, makes
 * a session (Lucia's `createSession`, no argon2 login) and starts an attempt on the open practice
 * round (`startAttempt`) for --members members; then serves the production build with
 * WEB_CONCURRENCY=--workers (1: the server's CPU is one process; `node --cpu-prof` with --profile).
 *   save:   --duration seconds of answer saves as the quiz script posts them (position, option,
 *           chosenAt), rotating members, questions and options (the save's rate limit is 120 a
 *           minute per member: keep members × 120 / 60 above the rate);
 *   submit: one form submit per member (every answer, prediction, confirm=1, `?index`), after a
 *           warm-up of a tenth of them that is not counted: the warm path.
 * Prints req/s, p50/p99, the statuses, and the server's CPU milliseconds per request.
 * Everything it writes is under tests/bench/.tmp/ (the profile in .tmp/write-profile/).
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { summarizeProfiles } from "./cpu-profile";
import { openDatabase } from "../../db/client";
import { luciaFor } from "~/.server/auth/lucia.server";
import { startAttempt } from "~/.server/attempts.server";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "tests/bench/.tmp/bench-5000.sqlite" },
    path: { type: "string", default: "save" },
    members: { type: "string" },
    duration: { type: "string", default: "8" },
    connections: { type: "string", default: "20" },
    workers: { type: "string", default: "1" },
    profile: { type: "boolean", default: false },
    // Serve another checkout's build (an export of an older commit, with its own `npm run build`
    // and node_modules linked) against the same members: before/after on one machine, minutes apart.
    root: { type: "string" },
  },
});
if (!["save", "submit", "healthz"].includes(args.path)) throw new Error("--path save|submit|healthz");
const submitting = args.path === "submit";
const memberCount = Number(args.members ?? (submitting ? 4000 : args.path === "save" ? 1000 : 10));
const root = resolve(import.meta.dirname, "../..");
const serveRoot = resolve(args.root ?? root);
const tmp = join(root, "tests/bench/.tmp");
const profileDir = join(tmp, "write-profile");
const runDb = join(tmp, "write-profile.sqlite");
const meta = JSON.parse(readFileSync(`${args.db}.bench.json`, "utf8")) as { practiceContestId: string };

const port = await new Promise<number>((done) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => done(p));
  });
});
const form = (cookie: string) => ({
  host: `localhost:${port}`,
  origin: `http://localhost:${port}`,
  "content-type": "application/x-www-form-urlencoded",
  cookie,
});

function get(path: string) {
  return new Promise<number>((done, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, headers: { host: `localhost:${port}` } }, (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** User + system CPU time of a process and its children that ended (Linux), in milliseconds. */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime stime cutime cstime, in clock ticks of 1/100 s
  return ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}
/** The server's processes: the primary and, with workers, its children. */
function serverPids(primary: number): number[] {
  const children = existsSync(`/proc/${primary}/task/${primary}/children`)
    ? readFileSync(`/proc/${primary}/task/${primary}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)
    : [];
  return [primary, ...children];
}
function cpuSplit(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}
const serverCpu = (primary: number) => serverPids(primary).reduce((sum, pid) => sum + cpuMs(pid), 0);

/* ---------- the members: sessions and attempts made in the copy, through the app's functions ---------- */

rmSync(runDb, { force: true });
for (const suffix of ["-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
copyFileSync(args.db, runDb);
type Member = { cookie: string; attemptId: string; options: number[][] };
const members: Member[] = [];
{
  const db = openDatabase(runDb);
  const lucia = luciaFor(db);
  const roundId = db.$client
    .prepare<[string, number, number], number>(
      "select id from rounds where contest_id = ? and opens_at <= ? and closes_at > ? order by number limit 1",
    )
    .pluck()
    .get(meta.practiceContestId, Date.now(), Date.now());
  if (!roundId) throw new Error("the practice round is not open in this database: generate it again (generate.ts)");
  const userIds = db.$client
    .prepare<[number], string>(
      `select id from users where role = 'member' and active = 1 and must_change_password = 0
       and not exists (select 1 from attempts a where a.user_id = users.id and a.status = 'in_progress') limit ?`,
    )
    .pluck()
    .all(memberCount);
  if (userIds.length < memberCount) throw new Error(`only ${userIds.length} members available`);
  const items = db.$client.prepare<[string], { optionOrder: string }>(
    "select option_order as optionOrder from attempt_items where attempt_id = ? order by position",
  );
  const started = performance.now();
  for (const userId of userIds) {
    const session = await lucia.createSession(userId, {});
    const { attemptId } = startAttempt(db, { roundId, userId, now: Date.now() });
    const options = items.all(attemptId).map((item) => JSON.parse(item.optionOrder) as number[]);
    members.push({ cookie: `cuocthi_session=${session.id}`, attemptId, options });
  }
  db.$client.close();
  console.log(
    `${members.length} members with a session and an attempt of ${members[0]!.options.length} questions ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

const saveRequest = (k: number) => {
  const index = k % members.length;
  const m = members[index]!;
  const pass = Math.floor(k / members.length);
  const position = (pass + index) % m.options.length;
  const choices = m.options[position]!;
  return {
    method: "POST" as const,
    path: `/bai-thi/${m.attemptId}/tra-loi`,
    headers: { ...form(m.cookie), accept: "application/json" },
    body: new URLSearchParams([
      ["position", String(position)],
      ["option", String(choices[(pass + position) % choices.length]!)],
      ["chosenAt", String(Date.now())],
    ]).toString(),
  };
};
const healthz = <T extends object>(req: T) => ({
  ...req,
  method: "GET" as const,
  path: "/healthz",
  headers: { host: `localhost:${port}` },
});
const submitRequest = (m: Member) => ({
  method: "POST" as const,
  path: `/bai-thi/${m.attemptId}?index`,
  headers: form(m.cookie),
  body: new URLSearchParams([
    ...m.options.map((choices, position): [string, string] => [`q-${position}`, String(choices[0]!)]),
    ["prediction", "12345"],
    ["confirm", "1"],
    ["intent", "submit"],
  ]).toString(),
});

/* ---------- the server and the load ---------- */

rmSync(profileDir, { recursive: true, force: true });
mkdirSync(profileDir, { recursive: true });
const server = spawn(
  process.execPath,
  [...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), join(serveRoot, "app/.server/serve.mjs")],
  {
    cwd: serveRoot,
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: runDb, PORT: String(port), WEB_CONCURRENCY: args.workers },
    stdio: "ignore",
  },
);
// When the load ran, on the monotonic clock V8's profile uses too (microseconds).
let loadFrom = 0n;
let loadTo = 0n;
const statuses = new Map<number, number>();
try {
  for (let i = 0; ; i++) {
    try {
      if ((await get("/healthz")) === 200) break;
    } catch {
      if (i > 600) throw new Error("the server did not start");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const load = (options: Omit<autocannon.Options, "url">) =>
    autocannon({ url: `http://127.0.0.1:${port}`, connections: Number(args.connections), ...options });
  let measured: Member[] = members;
  let k = 0;
  if (submitting) {
    const warm = members.slice(0, Math.ceil(members.length / 10));
    measured = members.slice(warm.length);
    let w = 0;
    await load({ amount: warm.length, requests: [{ setupRequest: (req) => ({ ...req, ...submitRequest(warm[w++]!) }) }] });
  } else {
    // Warm-up: two seconds of saves, not counted (each member's window still has room after it).
    await load({
      duration: 2,
      requests: [{ setupRequest: (req) => (args.path === "healthz" ? healthz(req) : { ...req, ...saveRequest(k++) }) }],
    });
  }
  const before = serverCpu(server.pid!);
  const beforeSplit = cpuSplit(server.pid!);
  loadFrom = process.hrtime.bigint();
  let s = 0;
  const instance = load({
    ...(submitting ? { amount: measured.length } : { duration: Number(args.duration) }),
    requests: [
      {
        setupRequest: (req) =>
          args.path === "healthz" ? healthz(req) : { ...req, ...(submitting ? submitRequest(measured[s++]!) : saveRequest(k++)) },
        onResponse: (status) => statuses.set(status, (statuses.get(status) ?? 0) + 1),
      },
    ],
  });
  const result = await instance;
  loadTo = process.hrtime.bigint();
  const cpu = serverCpu(server.pid!) - before;
  const afterSplit = cpuSplit(server.pid!);
  const done = result.requests.total;
  const seconds = Number(loadTo - loadFrom) / 1e9;
  console.log(
    `${args.path}: ${(done / seconds).toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `${done} requests (${[...statuses].map(([st, n]) => `${n} × ${st}`).join(", ")}, ${result.errors} errors); ` +
      `server CPU ${(cpu / done).toFixed(3)} ms a request (${cpu.toFixed(0)} ms in ${seconds.toFixed(1)} s, ${args.workers} worker(s); ` +
      `primary user ${((afterSplit.user - beforeSplit.user) / done).toFixed(3)} + system ${((afterSplit.system - beforeSplit.system) / done).toFixed(3)} ms)`,
  );
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(runDb, { force: true });
  for (const suffix of ["-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
}

if (args.profile) {
  // Every process's main thread (the primary only waits with one worker; its samples are idle).
  const summary = summarizeProfiles(profileDir, loadFrom, loadTo, serveRoot);
  summary.show("self time by package", summary.byWhere, 16);
  summary.show("self time by function", summary.byFunction, 45);
  summary.show("inclusive time by function", summary.inclusive, 45);
}
