/**
 * Backups and restores of the database file (`npm run db:backup`, `npm run db:restore`).
 *
 * The backup copies pages with SQLite's online backup while the copying connection holds ONE read
 * transaction from the first page to the last: every page comes from the same snapshot, and a
 * write by the server (another process) neither shows up in the copy nor makes the backup start
 * over, which it otherwise does at every step (docs/decisions/015-operating-it.md). In WAL mode
 * the read transaction does not block the server's writes.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, copyFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import Database from "better-sqlite3";
import { ops } from "~/i18n/ops.vi";

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
}

export interface BackupOptions {
  /** Gives up (and removes the partial copy) after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Pages copied per step; between steps other work of this process may run. */
  pagesPerStep?: number;
  onProgress?: (progress: BackupProgress) => void;
  /** For tests: the clock that measures the timeout. */
  clock?: () => number;
}

export class BackupTimeout extends Error {}

/** Where `npm run db:backup` writes by default: backups/ next to the database. */
export function defaultBackupDir(databasePath: string): string {
  return join(dirname(databasePath), "backups");
}

export function backupFileName(at: Date = new Date()): string {
  return `cuocthi-${at.toISOString().replace(/[:.]/g, "-")}.sqlite`;
}

/**
 * Copies the database `source` is connected to into `target` (written as `target.partial` and
 * renamed at the end, so a file with the final name is always complete). Returns pages and time.
 */
export async function backupDatabase(
  source: Database.Database,
  target: string,
  // A stopwatch for the timeout, not the contest's time: the wall clock is what it measures.
  // eslint-disable-next-line no-restricted-properties
  { timeoutMs = 600_000, pagesPerStep = 4096, onProgress, clock = Date.now }: BackupOptions = {},
): Promise<{ pages: number; bytes: number; ms: number }> {
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const started = clock();
  // One snapshot for the whole copy: the transaction starts reading at the first statement.
  source.exec("BEGIN");
  try {
    source.prepare("select count(*) from sqlite_schema").get();
    const result = await source.backup(partial, {
      progress({ totalPages, remainingPages }) {
        onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        if (clock() - started > timeoutMs) throw new BackupTimeout(ops.backup.timeout(Math.round(timeoutMs / 1000)));
        return pagesPerStep;
      },
    });
    onProgress?.({ copiedPages: result.totalPages, totalPages: result.totalPages });
    // One self-contained file (no -wal/-shm beside it) that can be copied anywhere as it is.
    const copy = new Database(partial);
    try {
      copy.pragma("journal_mode = DELETE");
    } finally {
      copy.close();
    }
    renameSync(partial, target);
    return { pages: result.totalPages, bytes: statSync(target).size, ms: clock() - started };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    source.exec("COMMIT");
  }
}

/** Keeps the `keep` newest backups (by the time in their name) in `dir`; returns the removed files. */
export function pruneBackups(dir: string, keep: number): string[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((name) => /^cuocthi-.*\.sqlite$/.test(name))
    .sort()
    .reverse();
  const removed = files.slice(Math.max(0, keep)).map((name) => join(dir, name));
  for (const file of removed) rmSync(file, { force: true });
  return removed;
}

/** The tables a cuocthi database has whatever its version; a file without them is something else. */
const EXPECTED_TABLES = ["__drizzle_migrations", "users", "contests", "rounds", "attempts", "attempt_items"];

export type BackupCheck = { ok: true; migrations: number } | { ok: false; reason: string };

/** Is `file` an intact cuocthi database? Opened read-only: checking never changes it. */
export function checkBackupFile(file: string): BackupCheck {
  if (!existsSync(file)) return { ok: false, reason: ops.restore.missing(file) };
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, reason: ops.restore.notDatabase(file, causeOf(error)) };
  }
  try {
    let tables: string[];
    try {
      tables = (sqlite.prepare("select name from sqlite_schema where type = 'table'").all() as { name: string }[]).map((r) => r.name);
    } catch (error) {
      return { ok: false, reason: ops.restore.notDatabase(file, causeOf(error)) };
    }
    const missing = EXPECTED_TABLES.filter((name) => !tables.includes(name));
    if (missing.length > 0) return { ok: false, reason: ops.restore.notCuocthi(file, missing) };
    try {
      const problems = (sqlite.prepare("pragma integrity_check").all() as { integrity_check: string }[]).map((r) => r.integrity_check);
      if (problems.length !== 1 || problems[0] !== "ok")
        return { ok: false, reason: ops.restore.corrupt(file, problems.slice(0, 3).join("; ")) };
      const { n } = sqlite.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
      return { ok: true, migrations: n };
    } catch (error) {
      // A page damaged badly enough stops the check itself ("database disk image is malformed").
      return { ok: false, reason: ops.restore.corrupt(file, causeOf(error)) };
    }
  } finally {
    sqlite.close();
  }
}

/**
 * Is a process using the database at `path` right now? A running server keeps a read snapshot or
 * the WAL open; the sign we can test without it is an exclusive lock we cannot take.
 */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(path, { fileMustExist: true, timeout: 0 });
    // In WAL mode every connection holds a shared lock on the -shm "DMS" byte while open: taking
    // the file out of WAL mode needs it exclusively, so this fails while anyone else is connected.
    sqlite.pragma("journal_mode = DELETE");
    sqlite.pragma("journal_mode = WAL");
    return false;
  } catch (error) {
    // Busy or locked: someone has it open. Anything else (a damaged file, the one being replaced)
    // says nothing about other processes.
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
  } finally {
    sqlite?.close();
  }
}

/**
 * Puts a checked backup in place of the database at `target`: the current file (if any) is kept
 * next to it as `<name>.before-restore-<time>`, the WAL and shared-memory files are removed.
 */
export function restoreDatabase(backup: string, target: string, at: Date = new Date()): { previous: string | null } {
  mkdirSync(dirname(target), { recursive: true });
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = join(dirname(target), `${basename(target)}.before-restore-${at.toISOString().replace(/[:.]/g, "-")}`);
    // Through SQLite, so the kept file includes what is still in the WAL; a damaged file (often the
    // reason for restoring) is kept as it is.
    try {
      const current = new Database(target, { fileMustExist: true });
      try {
        current.pragma("wal_checkpoint(TRUNCATE)");
      } finally {
        current.close();
      }
    } catch {
      // kept without the checkpoint
    }
    renameSync(target, previous);
  }
  for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(target + suffix, { force: true });
  const partial = `${target}.restoring`;
  copyFileSync(backup, partial);
  renameSync(partial, target);
  return { previous };
}

function causeOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
