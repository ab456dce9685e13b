/**
 * Backups that finish while the server writes, and a restore that checks what it is given
 * (issue 13, section 2). The "server" is a second process writing steadily to the same file.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupDatabase, BackupTimeout, checkBackupFile, databaseInUse, pruneBackups, restoreDatabase } from "~/.server/backup.server";
import { ops } from "~/i18n/ops.vi";
import { openDatabase } from "../../db/client";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { roundIdOf, seedContent, useTestDatabase } from "./helpers";

const MEMBERS = 3000;
const root = join(import.meta.dirname, "..", "..");

/** Starts the steady writer on `path` and resolves once it has committed its first row. */
function startWriter(path: string): Promise<{ child: ChildProcessWithoutNullStreams; stop: () => Promise<number> }> {
  const child = spawn(process.execPath, [join(root, "tests/helpers/steady-writer.mjs"), path, "20000"]);
  let out = "";
  const finished = new Promise<number>((resolve) => child.on("exit", () => resolve(Number(/commits (\d+)/.exec(out)?.[1] ?? -1))));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => reject(new Error(String(chunk))));
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
      if (out.includes("ready")) resolve({ child, stop: () => (child.stdin.end(), finished) });
    });
  });
}

const count = (sqlite: Database.Database, table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe("backups under write load, and restores", () => {
  const ctx = useTestDatabase();
  let dir: string;
  beforeEach(() => {
    dir = join(tmpdir(), `cuocthi-ops-${randomUUID()}`);
    mkdirSync(dir, { recursive: true });
    seedContent(ctx.db);
    generateSyntheticAttempts(ctx.db, { roundId: roundIdOf(ctx.db), members: MEMBERS });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("finishes a backup while another process commits every millisecond, and the backup restores", async () => {
    const writer = await startWriter(ctx.path);
    const source = new Database(ctx.path, { fileMustExist: true });
    const target = join(dir, "under-load.sqlite");
    let commitsDuringBackup = 0;
    try {
      const before = count(source, "ops_test_load");
      // Small steps: the writer commits between most of them; a backup that restarted on every
      // write from another process would never finish and hit the timeout instead.
      let restarts = 0;
      let copied = 0;
      const result = await backupDatabase(source, target, {
        timeoutMs: 8_000,
        pagesPerStep: 1,
        onProgress: ({ copiedPages }) => {
          if (copiedPages < copied) restarts++;
          copied = copiedPages;
        },
      });
      commitsDuringBackup = count(source, "ops_test_load") - before;
      expect(result.pages).toBeGreaterThan(100);
      expect(restarts).toBe(0);
    } finally {
      source.close();
    }
    const commits = await writer.stop();
    expect(commits).toBeGreaterThan(0);
    expect(commitsDuringBackup).toBeGreaterThan(0);

    // A complete, single-file copy of one moment: the members are all there.
    expect(readdirSync(dir)).toEqual(["under-load.sqlite"]);
    const check = checkBackupFile(target);
    expect(check).toMatchObject({ ok: true });

    const restoredPath = join(dir, "restored.sqlite");
    expect(restoreDatabase(target, restoredPath)).toEqual({ previous: null });
    const restored = openDatabase(restoredPath);
    try {
      expect(count(restored.$client, "users")).toBe(count(ctx.db.$client, "users"));
      expect(count(restored.$client, "attempts")).toBe(MEMBERS);
      expect(restored.$client.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      restored.$client.close();
    }
  }, 30_000);

  it("gives up at the timeout and leaves no partial file", async () => {
    const source = new Database(ctx.path, { fileMustExist: true });
    let t = 0;
    try {
      await expect(
        backupDatabase(source, join(dir, "slow.sqlite"), { timeoutMs: 5, pagesPerStep: 1, clock: () => (t += 1) }),
      ).rejects.toBeInstanceOf(BackupTimeout);
    } finally {
      source.close();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a file that is not a cuocthi database, and a damaged one", () => {
    const text = join(dir, "notes.sqlite");
    writeFileSync(text, "không phải cơ sở dữ liệu ".repeat(100));
    expect(checkBackupFile(text)).toEqual({ ok: false, reason: expect.stringContaining("không phải cơ sở dữ liệu SQLite") });

    const other = join(dir, "other.sqlite");
    const sqlite = new Database(other);
    sqlite.exec("create table notes (text)");
    sqlite.close();
    expect(checkBackupFile(other)).toEqual({ ok: false, reason: expect.stringContaining("không phải cơ sở dữ liệu của cuocthi") });

    const damaged = join(dir, "damaged.sqlite");
    ctx.db.$client.exec(`vacuum into '${damaged}'`);
    const bytes = readFileSync(damaged);
    bytes.fill(0x5a, 8 * 4096, 12 * 4096);
    writeFileSync(damaged, bytes);
    expect(checkBackupFile(damaged)).toEqual({ ok: false, reason: expect.stringContaining("bị hỏng") });

    expect(checkBackupFile(join(dir, "missing.sqlite"))).toEqual({ ok: false, reason: ops.restore.missing(join(dir, "missing.sqlite")) });
  });

  it("knows a database is in use while a server holds it open, and restoring keeps the previous file", () => {
    expect(databaseInUse(ctx.path)).toBe(true);
    const backup = join(dir, "b.sqlite");
    ctx.db.$client.exec(`vacuum into '${backup}'`);
    const target = join(dir, "live.sqlite");
    const live = openDatabase(target);
    live.$client.close();
    expect(databaseInUse(target)).toBe(false);
    const { previous } = restoreDatabase(backup, target, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(previous).toBe(`${target}.before-restore-2026-01-02T03-04-05-000Z`);
    expect(existsSync(previous!)).toBe(true);
    expect(checkBackupFile(target)).toMatchObject({ ok: true });
  });

  it("restores over a damaged database (not taken for one in use), keeping the damaged file", () => {
    const backup = join(dir, "b.sqlite");
    ctx.db.$client.exec(`vacuum into '${backup}'`);
    const target = join(dir, "damaged.sqlite");
    writeFileSync(target, "hỏng ".repeat(2000));
    expect(databaseInUse(target)).toBe(false);
    const { previous } = restoreDatabase(backup, target);
    expect(readFileSync(previous!, "utf8")).toBe("hỏng ".repeat(2000));
    expect(checkBackupFile(target)).toMatchObject({ ok: true });
  });

  it("keeps only the newest backups", () => {
    for (const day of ["01", "02", "03", "04"]) writeFileSync(join(dir, `cuocthi-2026-01-${day}T00-00-00-000Z.sqlite`), "");
    writeFileSync(join(dir, "other-file.txt"), "");
    const removed = pruneBackups(dir, 2);
    expect(removed.map((f) => f.slice(dir.length + 1))).toEqual([
      "cuocthi-2026-01-02T00-00-00-000Z.sqlite",
      "cuocthi-2026-01-01T00-00-00-000Z.sqlite",
    ]);
    expect(readdirSync(dir).sort()).toEqual([
      "cuocthi-2026-01-03T00-00-00-000Z.sqlite",
      "cuocthi-2026-01-04T00-00-00-000Z.sqlite",
      "other-file.txt",
    ]);
  });

  it("npm run db:restore refuses in Vietnamese, with exit code 1, a file that is not a cuocthi database and a database in use", () => {
    const other = join(dir, "other.sqlite");
    const sqlite = new Database(other);
    sqlite.exec("create table notes (text)");
    sqlite.close();
    const run = (file: string) =>
      spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "app/.server/cli/db-restore.ts"), file], {
        env: { ...process.env, DATABASE_PATH: ctx.path },
        encoding: "utf8",
      });
    const notOurs = run(other);
    expect(notOurs.status).toBe(1);
    expect(notOurs.stderr.trim()).toBe(
      `Lỗi: ${ops.restore.notCuocthi(other, ["__drizzle_migrations", "users", "contests", "rounds", "attempts", "attempt_items"])}`,
    );

    const backup = join(dir, "b.sqlite");
    ctx.db.$client.exec(`vacuum into '${backup}'`);
    const inUse = run(backup);
    expect(inUse.status).toBe(1);
    expect(inUse.stderr.trim()).toBe(`Lỗi: ${ops.restore.inUse(ctx.path)}`);
  }, 20_000);
});
