/**
 * `npm run db:restore -- <backup file> [--force]`: checks the backup (a SQLite file, the tables
 * of cuocthi, `PRAGMA integrity_check`) and puts it in place of the database at DATABASE_PATH,
 * keeping the current file next to it. Refuses while a server uses the database, unless --force.
 * The procedure: stop the server, restore, start the server (which migrates if needed).
 */
import { resolve } from "node:path";
import { checkBackupFile, databaseInUse, restoreDatabase } from "../backup.server";
import { defaultDatabasePath } from "../../../db/client";
import { ops } from "~/i18n/ops.vi";
import { runCli } from "./run";

runCli(() => {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const files = args.filter((a) => a !== "--force");
  if (files.length !== 1) throw new Error(ops.restore.usage);
  const backup = resolve(files[0]!);
  const target = defaultDatabasePath();

  const check = checkBackupFile(backup);
  if (!check.ok) throw new Error(check.reason);
  console.log(ops.restore.checked(backup, check.migrations));
  if (!force && databaseInUse(target)) throw new Error(ops.restore.inUse(target));
  const { previous } = restoreDatabase(backup, target);
  if (previous) console.log(ops.restore.previousKept(previous));
  console.log(ops.restore.done(target));
});
