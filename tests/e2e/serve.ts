/**
 * The server the browser tests talk to: the production build, on a database file of its own made
 * afresh from content/ and the demo seed, so the tests never depend on a developer's data or on
 * when they run (the practice round is opened relative to now).
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../db/client";
import { seedDemoAccounts, seedDemoResults, seedPracticeContest } from "~/.server/demo/seed-demo.server";
import { importContentDir } from "~/.server/content/pipeline.server";

const dir = join(import.meta.dirname, ".tmp");
const databasePath = join(dir, "e2e.sqlite");
mkdirSync(dir, { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });

const now = Date.now();
const db = openDatabase(databasePath);
const result = importContentDir(db, { now });
if (!result.ok) throw new Error(result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("\n"));
await seedDemoAccounts(db, now);
seedPracticeContest(db, now);
seedDemoResults(db, now);
db.$client.close();

const child = spawn(process.execPath, ["app/.server/serve.mjs"], {
  // A short sweep: a test that makes a round need storing again sees it stored within seconds (pages never store).
  // Human log lines: warnings and errors on stderr, which Playwright shows.
  env: {
    WEB_CONCURRENCY: "1",
    SWEEP_INTERVAL_SECONDS: "3",
    LOG_FORMAT: "pretty",
    ...process.env,
    NODE_ENV: "production",
    DATABASE_PATH: databasePath,
  },
  stdio: "inherit",
});
const cleanUp = () => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
};
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    child.kill(signal);
  });
}
child.on("exit", (code) => {
  cleanUp();
  process.exit(code ?? 0);
});
