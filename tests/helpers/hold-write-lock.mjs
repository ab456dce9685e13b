// Another process holding the write lock of a database file for a while (tests/integration/
// ops-failures.test.ts): BEGIN IMMEDIATE, one insert, "locked" on stdout, COMMIT after --ms.
import Database from "better-sqlite3";

const [path, msRaw] = process.argv.slice(2);
const db = new Database(path, { fileMustExist: true });
db.pragma("busy_timeout = 5000");
db.exec("create table if not exists ops_test_lock (at integer not null)");
db.exec("BEGIN IMMEDIATE");
db.prepare("insert into ops_test_lock (at) values (?)").run(Date.now());
process.stdout.write("locked\n");
setTimeout(
  () => {
    db.exec("COMMIT");
    db.close();
    process.exit(0);
  },
  Number(msRaw ?? 300),
);
