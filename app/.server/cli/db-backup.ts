/**
 * `npm run db:backup [file]`: a consistent copy of the live database with SQLite's online backup,
 * safe while the server is running. Default: db/backups/cuocthi-<UTC time>.sqlite.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { defaultDatabasePath, openDatabase } from "../../../db/client";
import { runCli } from "./run";

runCli(async () => {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const target = process.argv[2] ?? join(dirname(defaultDatabasePath()), "backups", `cuocthi-${stamp}.sqlite`);
  mkdirSync(dirname(target), { recursive: true });
  const db = openDatabase();
  await db.$client.backup(target);
  db.$client.close();
  console.log(`Đã sao lưu vào ${target}`);
});
