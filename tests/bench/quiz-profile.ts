/**
 * The quiz page's cost, measured so that other work on the machine matters little: the server's
 * own CPU time per page (from /proc, one worker) and a CPU profile of where it goes.
 *
 *   npm run build && npx tsx tests/bench/quiz-profile.ts [--db tests/bench/.tmp/bench-5000.sqlite]
 *       [--members 60] [--duration 8] [--connections 20] [--profile] [--encoding "gzip, deflate, br"]
 *       [--workers 1] [--warmup 0]
 *
 * Copies the bench database (generate.ts), serves the production build with WEB_CONCURRENCY=--workers
 * (1 by default; `node --cpu-prof` with --profile, every worker profiled), logs members in, starts one attempt each on the practice
 * round, loads their quiz pages rotating (first for --warmup seconds not counted: the server's code
 * optimised, as at a deadline; then for --duration seconds), then prints req/s, p50/p99, the
 * server's CPU milliseconds per page, and with --profile the self time by package and by function.
 * Everything it writes is under tests/bench/.tmp/ (the profile in .tmp/quiz-profile/).
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { summarizeProfiles } from "./cpu-profile";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "tests/bench/.tmp/bench-5000.sqlite" },
    members: { type: "string", default: "60" },
    duration: { type: "string", default: "8" },
    connections: { type: "string", default: "20" },
    profile: { type: "boolean", default: false },
    encoding: { type: "string", default: "gzip, deflate, br" },
    workers: { type: "string", default: "1" },
    warmup: { type: "string", default: "0" },
  },
});
const root = resolve(import.meta.dirname, "../..");
const tmp = join(root, "tests/bench/.tmp");
const profileDir = join(tmp, "quiz-profile");
const runDb = join(tmp, "quiz-profile.sqlite");
const meta = JSON.parse(readFileSync(`${args.db}.bench.json`, "utf8")) as {
  practiceContestId: string;
  quizMembers: { phones: string[]; password: string };
};

const port = await new Promise<number>((done) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => done(p));
  });
});
const UA = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
const browser = { host: `localhost:${port}`, "accept-encoding": args.encoding, "user-agent": UA };
const form = (cookie?: string) => ({
  ...browser,
  origin: `http://localhost:${port}`,
  "content-type": "application/x-www-form-urlencoded",
  ...(cookie ? { cookie } : {}),
});

function request(method: string, path: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((done, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        headers: { ...headers, ...(body ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
      },
      (res) => {
        res.resume();
        res.on("end", () => done({ status: res.statusCode ?? 0, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** User + system CPU time of a process in milliseconds (Linux). */
function cpuMs(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
}

/** The same for a process and its children (with --workers above 1: the cluster's primary and its workers). */
function treeCpuMs(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
  } catch {
    // the process is gone
  }
  return cpuMs(pid) + children.reduce((sum, child) => sum + treeCpuMs(child), 0);
}

/**
 * CPU milliseconds so far of a process tree's threads: the processes' main threads (where the
 * JavaScript of every request runs) and the others by name (Linux `comm`: V8's helpers for garbage
 * collection and compilation, libuv's pool, worker threads; node leaves most of them named "node").
 */
function cpuByThread(pid: number, into = new Map<string, number>()): Map<string, number> {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      const key = tid === String(pid) ? "JavaScript main threads" : `other threads (${name})`;
      into.set(key, (into.get(key) ?? 0) + ms);
    }
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number))
      cpuByThread(child, into);
  } catch {
    // the process or thread is gone
  }
  return into;
}

/** Each process of the tree with its CPU milliseconds so far (the primary first). */
function cpuByProcess(pid: number): Map<number, number> {
  const all = new Map([[pid, cpuMs(pid)]]);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number))
      for (const [p, ms] of cpuByProcess(child)) all.set(p, ms);
  } catch {
    // the process is gone
  }
  return all;
}

rmSync(runDb, { force: true });
copyFileSync(args.db, runDb);
rmSync(profileDir, { recursive: true, force: true });
mkdirSync(profileDir, { recursive: true });
const server = spawn(
  process.execPath,
  [...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), join(root, "app/.server/serve.mjs")],
  {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: runDb, PORT: String(port), WEB_CONCURRENCY: args.workers },
    stdio: "ignore",
  },
);
// When the load ran, on the monotonic clock V8's profile uses too (microseconds).
let loadFrom = 0n;
let loadTo = 0n;
try {
  for (let i = 0; ; i++) {
    try {
      if ((await request("GET", "/healthz", browser)).status === 200) break;
    } catch {
      if (i > 600) throw new Error("the server did not start");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const members: { cookie: string; path: string }[] = [];
  for (const phone of meta.quizMembers.phones.slice(0, Number(args.members))) {
    const login = await request(
      "POST",
      "/dang-nhap",
      form(),
      new URLSearchParams({ phone, password: meta.quizMembers.password }).toString(),
    );
    const cookie = /^(cuocthi_session=[^;]+)/.exec([login.headers["set-cookie"] ?? []].flat().join("\n"))?.[1];
    if (!cookie) throw new Error(`login of ${phone}: HTTP ${login.status}`);
    const start = await request("POST", `/cuoc-thi/${meta.practiceContestId}/vong/1`, form(cookie), "intent=start");
    const path = /\/bai-thi\/[^/?]+/.exec(String(start.headers.location ?? ""))?.[0];
    if (!path) throw new Error(`start for ${phone}: HTTP ${start.status}`);
    members.push({ cookie, path });
  }
  let next = 0;
  const warm = () => members.map((m) => request("GET", m.path, { ...browser, cookie: m.cookie }));
  await Promise.all(warm());
  const one = await fetch(`http://127.0.0.1:${port}${members[0]!.path}`, { headers: { cookie: members[0]!.cookie, "user-agent": UA } });
  const html = await one.text();
  writeFileSync(join(tmp, "quiz-page.html"), html);
  console.log(`one quiz page: ${html.length.toLocaleString("en")} characters of HTML (tests/bench/.tmp/quiz-page.html)`);
  // What one page costs on the wire, per coding a browser may accept (the body as sent, headers excluded).
  const wire: string[] = [];
  for (const coding of ["br", "gzip", "identity"]) {
    const sent = await new Promise<{ encoding: string; bytes: number }>((done, reject) => {
      const m = members[0]!;
      http
        .get({ host: "127.0.0.1", port, path: m.path, headers: { ...browser, "accept-encoding": coding, cookie: m.cookie } }, (res) => {
          let bytes = 0;
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.on("end", () => done({ encoding: String(res.headers["content-encoding"] ?? "identity"), bytes }));
        })
        .on("error", reject);
    });
    wire.push(`${coding} → ${sent.encoding} ${sent.bytes.toLocaleString("en")} B`);
  }
  console.log(`on the wire: ${wire.join(", ")}`);
  // Quiz pages of the members in turn, for `seconds`.
  const load = (seconds: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: Number(args.connections),
      duration: seconds,
      headers: browser,
      requests: [
        {
          setupRequest: (req) => {
            const m = members[next++ % members.length]!;
            return { ...req, path: m.path, headers: { ...req.headers, cookie: m.cookie } };
          },
        },
      ],
    });
  // The same load first, not counted: a server at a deadline has run for hours, its code optimised.
  if (Number(args.warmup) > 0) await load(Number(args.warmup));
  const before = treeCpuMs(server.pid!);
  const beforeByProcess = cpuByProcess(server.pid!);
  const beforeByThread = cpuByThread(server.pid!);
  const loaderBefore = process.cpuUsage();
  loadFrom = process.hrtime.bigint();
  const result = await load(Number(args.duration));
  loadTo = process.hrtime.bigint();
  const cpu = treeCpuMs(server.pid!) - before;
  const afterByProcess = cpuByProcess(server.pid!);
  const afterByThread = cpuByThread(server.pid!);
  const loader = process.cpuUsage(loaderBefore);
  const done = result.requests.total;
  const seconds = Number(loadTo - loadFrom) / 1e9;
  console.log(
    `quiz page: ${result.requests.average.toFixed(1)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `${done} pages (${result.non2xx} not 2xx, ${result.errors} errors); server CPU ${(cpu / done).toFixed(2)} ms a page`,
  );
  // On a 2-core machine the load generator (autocannon, in this process) shares the cores with
  // the server: how many of them each used tells whether more workers could have served more.
  console.log(
    `cores busy during the load: server ${(cpu / 1000 / seconds).toFixed(2)} (${args.workers} worker${args.workers === "1" ? "" : "s"}), ` +
      `load generator ${((loader.user + loader.system) / 1e6 / seconds).toFixed(2)}`,
  );
  if (afterByProcess.size > 1) {
    const shares = [...afterByProcess].map(
      ([p, ms], i) => `${i === 0 ? "primary" : `worker ${p}`} ${((ms - (beforeByProcess.get(p) ?? 0)) / 1000 / seconds).toFixed(2)}`,
    );
    console.log(`  by process: ${shares.join(", ")}`);
  }
  const threads = [...afterByThread]
    .map(([name, ms]) => [name, (ms - (beforeByThread.get(name) ?? 0)) / 1000 / seconds] as const)
    .filter(([, cores]) => cores >= 0.005)
    .sort((a, b) => b[1] - a[1]);
  console.log(`  by thread (all processes): ${threads.map(([name, cores]) => `${name} ${cores.toFixed(2)}`).join(", ")}`);
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  rmSync(runDb, { force: true });
  for (const suffix of ["-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
}

if (args.profile) {
  const summary = summarizeProfiles(profileDir, loadFrom, loadTo, root);
  summary.show("self time by package", summary.byWhere, 16);
  summary.show("node internals by module", summary.byNodeModule, 10);
  summary.show("self time by function", summary.byFunction, 40);
  // Route matching is bundled into the server build since decision 022: count its functions by
  // name wherever they are (the package before, build/server after), so runs compare.
  const matching = new Set(["matchRoutes", "matchRoutesImpl", "flattenRoutes", "flattenRoute", "explodeOptionalSegments"]);
  for (const name of ["rankRouteBranches", "computeScore", "compareIndexes", "matchRouteBranch", "matchPath", "compilePath"])
    matching.add(name);
  for (const name of ["joinPaths", "__cuocthiRankedBranches", "__cuocthiCompilePathUncached"]) matching.add(name);
  const matched = summary.selfOf(matching, (w) => w === "@remix-run/router" || w === "app (build/server)");
  console.log(`\nroute matching (@remix-run/router's matching functions, self time): ${((100 * matched) / summary.busy).toFixed(1)} %`);
}
