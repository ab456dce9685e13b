/**
 * `npm run db:backup -- [file] [--keep N] [--timeout seconds]`: a consistent copy of the live
 * database, safe and finishing while the server writes (one read snapshot, see
 * app/.server/backup.server.ts). Default: backups/cuocthi-<UTC time>.sqlite next to the database.
 * With --keep N only the N newest backups in that folder stay (the systemd timer in the README
 * runs it so). Exits 1 with a one-line message on a timeout or any failure.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { backupDatabase, backupFileName, checkBackupFile, defaultBackupDir, pruneBackups } from "../backup.server";
import { DatabaseOpenError, defaultDatabasePath } from "../../../db/client";
import { ops } from "~/i18n/ops.vi";
import { runCli } from "./run";

runCli(async () => {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const [, value] = args.splice(at, 2);
    return value ?? "";
  };
  const keepRaw = option("--keep");
  const timeoutRaw = option("--timeout");
  const keep = keepRaw === undefined ? undefined : Number(keepRaw);
  if (keep !== undefined && !(Number.isInteger(keep) && keep > 0)) throw new Error(ops.backup.badKeep);
  const timeoutSeconds = timeoutRaw === undefined ? 600 : Number(timeoutRaw);
  if (!(timeoutSeconds > 0)) throw new Error(ops.backup.badTimeout);

  const databasePath = defaultDatabasePath();
  const dir = defaultBackupDir(databasePath);
  const target = args[0] ?? join(dir, backupFileName());
  // The live file as it is: no migration, and a missing database is an error, not a new file.
  let source: Database.Database;
  try {
    source = new Database(databasePath, { fileMustExist: true });
    source.pragma("busy_timeout = 5000");
  } catch (error) {
    throw new DatabaseOpenError(databasePath, error);
  }
  let lastShown = -1;
  const interactive = process.stdout.isTTY;
  try {
    const { bytes, ms } = await backupDatabase(source, target, {
      timeoutMs: timeoutSeconds * 1000,
      onProgress: ({ copiedPages, totalPages }) => {
        const percent = totalPages === 0 ? 100 : Math.floor((copiedPages / totalPages) * 100);
        // A log line every 10 % (a journal or a file); on a terminal, every percent in place.
        if (interactive) process.stdout.write(`\r${ops.backup.progress(percent)}`);
        else if (percent >= lastShown + 10 || (percent === 100 && lastShown < 100)) {
          console.log(ops.backup.progress(percent));
          lastShown = percent;
        }
      },
    });
    if (interactive) process.stdout.write("\n");
    const check = checkBackupFile(target);
    if (!check.ok) throw new Error(check.reason);
    console.log(ops.backup.done(target, bytes, ms / 1000));
  } finally {
    source.close();
  }
  if (keep !== undefined && args[0] === undefined) {
    const removed = pruneBackups(dir, keep);
    if (removed.length > 0) console.log(ops.backup.pruned(removed.length, keep));
  }
});
