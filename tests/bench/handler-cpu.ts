/**
 * The CPU one quiz page costs inside Remix's request handler, measured in process (decision 022):
 * no HTTP, no compression, no other connection, so it moves far less with the load other work puts
 * on the machine than the server's CPU per page over HTTP (quiz-profile.ts).
 *
 *   npm run build && npx tsx tests/bench/handler-cpu.ts [--root .] [--db tests/bench/.tmp/bench-5000.sqlite]
 *       [--members 20] [--rounds 20]
 *
 * Loads `<root>/build/server/index.js` against a copy of the bench database, logs `--members` quiz
 * members in and starts their attempts through the handler, then asks each member's quiz page
 * `--rounds` times, as a document (`GET /bai-thi/:id`) and as data (`GET /bai-thi/:id.data`, a
 * client navigation), and prints the median and mean `process.cpuUsage()` per request. `--root`
 * may point at an export of another commit (with its own `npm run build`) to compare.
 */
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    root: { type: "string", default: "." },
    db: { type: "string", default: "tests/bench/.tmp/bench-5000.sqlite" },
    members: { type: "string", default: "20" },
    rounds: { type: "string", default: "20" },
  },
});
const root = resolve(args.root);
const dbPath = resolve(args.db);
const meta = JSON.parse(readFileSync(`${dbPath}.bench.json`, "utf8")) as {
  practiceContestId: string;
  quizMembers: { phones: string[]; password: string };
};
const runDb = join(resolve("tests/bench/.tmp"), "handler-cpu.sqlite");
rmSync(runDb, { force: true });
for (const suffix of ["-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
copyFileSync(dbPath, runDb);
process.env.DATABASE_PATH = runDb;
process.env.NODE_ENV = "production";

type Handler = (request: Request, context: unknown) => Promise<Response>;
type Build = { entry: { module: { createRequestHandler?: (build: unknown, mode: string) => Handler } } };
const build = (await import(pathToFileURL(join(root, "build/server/index.js")).href)) as Build;
// Since decision 022 the build brings its own handler (with the patched route matching); before,
// serve.mjs took @remix-run/node's.
const create = build.entry.module.createRequestHandler ?? (await import("@remix-run/node")).createRequestHandler;
const handle = create(build as never, "production") as Handler;
const context = { clientIp: "127.0.0.1" };
const ORIGIN = "http://localhost";

function post(path: string, body: Record<string, string>, cookie?: string) {
  const headers = new Headers({ Origin: ORIGIN, Host: "localhost", "Content-Type": "application/x-www-form-urlencoded" });
  if (cookie) headers.set("Cookie", cookie);
  return handle(new Request(`${ORIGIN}${path}`, { method: "POST", headers, body: new URLSearchParams(body) }), context);
}

const members: { cookie: string; path: string }[] = [];
for (const phone of meta.quizMembers.phones.slice(0, Number(args.members))) {
  const login = await post("/dang-nhap", { phone, password: meta.quizMembers.password });
  const cookie = /^(cuocthi_session=[^;]+)/.exec(login.headers.get("Set-Cookie") ?? "")?.[1];
  if (!cookie) throw new Error(`login of ${phone}: HTTP ${login.status}`);
  const start = await post(`/cuoc-thi/${meta.practiceContestId}/vong/1`, { intent: "start" }, cookie);
  const path = /\/bai-thi\/[^/?]+/.exec(start.headers.get("Location") ?? "")?.[0];
  if (!path) throw new Error(`start for ${phone}: HTTP ${start.status}`);
  members.push({ cookie, path });
}

async function cpuOf(url: string, cookie: string): Promise<number> {
  const before = process.cpuUsage();
  const response = await handle(new Request(url, { headers: { Cookie: cookie, Host: "localhost" } }), context);
  await response.arrayBuffer();
  const used = process.cpuUsage(before);
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return (used.user + used.system) / 1000;
}

const documents: number[] = [];
const data: number[] = [];
for (let round = -2; round < Number(args.rounds); round++) {
  for (const m of members) {
    const page = await cpuOf(`${ORIGIN}${m.path}`, m.cookie);
    const loaders = await cpuOf(`${ORIGIN}${m.path}.data`, m.cookie);
    if (round < 0) continue; // two rounds of warm-up
    documents.push(page);
    data.push(loaders);
  }
}
const report = (what: string, values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  console.log(`${what}: median ${median.toFixed(2)} ms, mean ${mean.toFixed(2)} ms CPU (${values.length} requests)`);
};
report("quiz page, document", documents);
report("quiz page, data (.data)", data);
rmSync(runDb, { force: true });
for (const suffix of ["-wal", "-shm"]) rmSync(runDb + suffix, { force: true });
process.exit(0);
