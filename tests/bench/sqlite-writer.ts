/**
 * The single-writer limit of SQLite on this machine (decision 019): how many answer saves per
 * second the database file itself can take, whatever the web server around it does. A save is
 * what `saveAnswer` does inside its immediate transaction: read the attempt, read the item, update
 * the item. Same settings as the app (WAL, synchronous=NORMAL, busy_timeout 5000 ms), on a file of
 * 10,000 attempts × 20 items, by 1, 2 and 4 processes at once (one writer at a time: they queue on
 * the write lock).
 *
 *   npx tsx tests/bench/sqlite-writer.ts [--saves 20000]
 */
import { fork } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

const ATTEMPTS = 10_000;
const ITEMS = 20;

function open(path: string) {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  return db;
}

function create(path: string) {
  const db = open(path);
  db.exec(`CREATE TABLE attempts (id TEXT PRIMARY KEY, status TEXT NOT NULL, deadline_at INTEGER NOT NULL);
    CREATE TABLE attempt_items (attempt_id TEXT NOT NULL, position INTEGER NOT NULL, option_order TEXT NOT NULL,
      chosen TEXT, answered_at INTEGER, PRIMARY KEY (attempt_id, position));`);
  const attempt = db.prepare("INSERT INTO attempts VALUES (?, 'in_progress', ?)");
  const item = db.prepare("INSERT INTO attempt_items (attempt_id, position, option_order) VALUES (?, ?, '[3,1,0,2]')");
  db.transaction(() => {
    for (let a = 0; a < ATTEMPTS; a++) {
      attempt.run(`a${a}`, Date.now() + 3_600_000);
      for (let p = 0; p < ITEMS; p++) item.run(`a${a}`, p);
    }
  })();
  db.close();
}

/** `saves` saves in a row; returns how long they took and how many failed with SQLITE_BUSY. */
function run(path: string, saves: number, seed: number) {
  const db = open(path);
  const readAttempt = db.prepare("SELECT status, deadline_at FROM attempts WHERE id = ?");
  const readItem = db.prepare("SELECT chosen, answered_at FROM attempt_items WHERE attempt_id = ? AND position = ?");
  const write = db.prepare("UPDATE attempt_items SET chosen = ?, answered_at = ? WHERE attempt_id = ? AND position = ?");
  const save = db.transaction((attemptId: string, position: number, option: number) => {
    const attempt = readAttempt.get(attemptId) as { status: string; deadline_at: number };
    if (attempt.status !== "in_progress") return;
    readItem.get(attemptId, position);
    write.run(JSON.stringify([option]), Date.now(), attemptId, position);
  });
  let busy = 0;
  const started = performance.now();
  for (let i = 0; i < saves; i++) {
    const n = (i * 7919 + seed * 104729) % (ATTEMPTS * ITEMS);
    try {
      save.immediate(`a${Math.floor(n / ITEMS)}`, n % ITEMS, i % 4);
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_BUSY") busy++;
      else throw error;
    }
  }
  const ms = performance.now() - started;
  db.close();
  return { ms, busy };
}

if (process.argv[2] === "--child") {
  const [, , , path, saves, seed] = process.argv;
  process.send!(run(path!, Number(saves), Number(seed)));
  process.exit(0);
} else {
  const arg = process.argv.indexOf("--saves");
  const saves = arg > 0 ? Number(process.argv[arg + 1]) : 20_000;
  const path = join(tmpdir(), `cuocthi-writer-${process.pid}.sqlite`);
  create(path);
  console.log(
    `SQLite ${new Database(":memory:").prepare("select sqlite_version() v").pluck().get()}, ${ATTEMPTS * ITEMS} items, ${saves} saves per run`,
  );
  for (const processes of [1, 2, 4]) {
    const started = performance.now();
    const results = await Promise.all(
      Array.from(
        { length: processes },
        (_, i) =>
          new Promise<{ ms: number; busy: number }>((resolve, reject) => {
            const child = fork(process.argv[1]!, ["--child", path, String(Math.floor(saves / processes)), String(i + 1)], {
              execArgv: process.execArgv,
            });
            child.once("message", (m) => resolve(m as { ms: number; busy: number }));
            child.once("error", reject);
          }),
      ),
    );
    const wall = performance.now() - started;
    const done = Math.floor(saves / processes) * processes - results.reduce((n, r) => n + r.busy, 0);
    console.log(
      `${processes} process${processes > 1 ? "es" : ""}: ${Math.round(done / (Math.max(...results.map((r) => r.ms)) / 1000))} saves/s ` +
        `(${done} in ${(Math.max(...results.map((r) => r.ms)) / 1000).toFixed(2)} s of writing, ${(wall / 1000).toFixed(2)} s with start-up), ` +
        `SQLITE_BUSY: ${results.reduce((n, r) => n + r.busy, 0)}`,
    );
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}
