// A second process writing steadily to a database file, for the operating tests (tests/integration/
// ops-*.test.ts): one small committed insert every millisecond or so, "ready" on stdout after the
// first, the number of commits on stdout when it stops. Bounded: it stops when its stdin closes
// or after --max-ms (default 20 s), whichever comes first.
import Database from "better-sqlite3";

const [path, maxMsRaw] = process.argv.slice(2);
const maxMs = Number(maxMsRaw ?? 20_000);
const db = new Database(path, { fileMustExist: true });
db.pragma("journal_mode = WAL");
db.pragma("busy_timeout = 5000");
db.exec("create table if not exists ops_test_load (id integer primary key, at integer not null, payload blob not null)");
const insert = db.prepare("insert into ops_test_load (at, payload) values (?, randomblob(512))");
let commits = 0;
let stopping = false;
const started = Date.now();
function stop() {
  if (stopping) return;
  stopping = true;
  db.close();
  process.stdout.write(`commits ${commits}\n`);
  process.exit(0);
}
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
function tick() {
  if (stopping) return;
  if (Date.now() - started > maxMs) return stop();
  insert.run(Date.now());
  commits++;
  if (commits === 1) process.stdout.write("ready\n");
  setTimeout(tick, 1);
}
tick();
