/**
 * How long storing a round's results holds SQLite's write lock (docs/decisions/020): on a copy of
 * the bench database (tests/bench/generate.ts), a worker thread with its own connection does what
 * an answer save needs of the lock — `BEGIN IMMEDIATE … COMMIT` — every 10 ms and records how long
 * each waited, while the main thread stores the 100,000-row round again (as after a judge's
 * decision: the rows are written and the old ones deleted) and then freezes it from nothing (as the
 * sweep at the close: `results_computed_at` cleared and the stored rows removed first).
 *
 *   npx tsx tests/bench/freeze-lock.ts [--db tests/bench/.tmp/bench.sqlite] [--root .]
 *
 * `--root` measures the results code of another checkout (an export of an earlier commit, with
 * node_modules linked) on the same database: the "before" of decision 020.
 */
import { copyFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { defaultDbPath, parseArgs, repoRoot } from "./args";

const args = parseArgs(process.argv.slice(2), { db: defaultDbPath, root: repoRoot });
const root = resolve(args.root!);
const copy = join(tmpdir(), `cuocthi-freeze-lock-${process.pid}.sqlite`);

// A consistent copy: checkpoint the source's WAL into the file first.
const source = new Database(resolve(args.db!));
source.pragma("wal_checkpoint(TRUNCATE)");
source.close();
copyFileSync(resolve(args.db!), copy);

const { openDatabase } = (await import(pathToFileURL(join(root, "db/client.ts")).href)) as typeof import("../../db/client");
const results = (await import(pathToFileURL(join(root, "app/.server/results.server.ts")).href)) as {
  storeRoundResults: (db: unknown, roundId: number, now: number) => void;
  freezeClosedRounds: (db: unknown, now: number) => number;
};
const db = openDatabase(copy);
const round = db.$client
  .prepare(
    "select r.id, r.closes_at as closesAt from rounds r join round_results x on x.round_id = r.id group by r.id order by count(*) desc limit 1",
  )
  .get() as { id: number; closesAt: number };
const rows = () => db.$client.prepare("select count(*) from round_results where round_id = ?").pluck().get(round.id) as number;
console.log(`code: ${root}\nround ${round.id}: ${rows().toLocaleString("en")} stored rows`);

/** The probe: a tiny write every 10 ms on its own connection and thread. */
function startProbe() {
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const Database = require(workerData.betterSqlite);
     const db = new Database(workerData.path);
     db.pragma("busy_timeout = 60000");
     const waits = [];
     let stop = false;
     parentPort.on("message", () => { stop = true; });
     (function tick() {
       if (stop) { db.close(); parentPort.postMessage(waits); return; }
       const t0 = performance.now();
       db.exec("begin immediate");
       db.exec("commit");
       waits.push(performance.now() - t0);
       setTimeout(tick, 10);
     })();`,
    { eval: true, workerData: { path: copy, betterSqlite: createRequire(import.meta.url).resolve("better-sqlite3") } },
  );
  return () =>
    new Promise<number[]>((done) => {
      // The worker listens for "stop", which keeps it alive: end it once it has answered.
      worker.once("message", (waits: number[]) => void worker.terminate().then(() => done(waits)));
      worker.postMessage("stop");
    });
}

async function measure(label: string, work: () => void) {
  const stop = startProbe();
  await new Promise((r) => setTimeout(r, 300));
  const t0 = performance.now();
  work();
  const took = performance.now() - t0;
  // The probe's last waits end after the store returns: let it see the lock free once more.
  await new Promise((r) => setTimeout(r, 300));
  const waits = (await stop()).sort((a, b) => a - b);
  const p = (q: number) => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))]!;
  console.log(
    `${label}: ${(took / 1000).toFixed(1)} s; probe writes ${waits.length}, wait p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${waits[waits.length - 1]!.toFixed(1)} ms`,
  );
}

const now = round.closesAt + 7 * 24 * 3600 * 1000;
await measure("store again (a decision)", () => results.storeRoundResults(db, round.id, now));
db.$client.prepare("update rounds set results_computed_at = null where id = ?").run(round.id);
db.$client.prepare("delete from round_results where round_id = ?").run(round.id);
await measure("freeze from nothing (the sweep at the close)", () => results.freezeClosedRounds(db, now));
console.log(`round ${round.id}: ${rows().toLocaleString("en")} stored rows after`);
db.$client.close();
for (const suffix of ["", "-wal", "-shm"]) rmSync(copy + suffix, { force: true });
