/**
 * The one database client: better-sqlite3 with WAL, foreign keys and a busy timeout, migrated on
 * first use so the server, the command-line tools and the tests all start from the same schema.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { ops } from "../app/i18n/ops.vi";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * The migrations folder, found from this module's own location so that it resolves the same from
 * the sources (db/client.ts), the server build (build/server/index.js) or any working directory.
 */
export function migrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "db", "migrations");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    const here = join(dir, "migrations");
    if (existsSync(join(here, "meta", "_journal.json"))) return here;
    dir = dirname(dir);
  }
  throw new Error("Không tìm thấy thư mục db/migrations.");
}

export function defaultDatabasePath(): string {
  return resolve(process.env.DATABASE_PATH ?? join(dirname(migrationsFolder()), "cuocthi.sqlite"));
}

/**
 * The database could not be opened or migrated: the message is one line with the path and the
 * cause, which the server (entry.server.tsx onServerStart) and the command-line tools print as it is.
 */
export class DatabaseOpenError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as { code?: unknown })?.code;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(ops.startup.cannotOpen(path, `${reason}${typeof code === "string" ? ` (${code})` : ""}`), { cause });
  }
}

/** Opens (creating if needed) and migrates a database file; ":memory:" works too. */
export function openDatabase(path: string = defaultDatabasePath()): Db {
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    sqlite = new Database(path);
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma("busy_timeout = 5000");
    // WAL makes NORMAL durable against application crashes, and much faster than FULL.
    sqlite.pragma("synchronous = NORMAL");
    const db = drizzle(sqlite, { schema }) as Db;
    migrate(db, { migrationsFolder: migrationsFolder() });
    return db;
  } catch (error) {
    sqlite?.close();
    throw new DatabaseOpenError(path, error);
  }
}

declare global {
  var __cuocthiDb: Db | undefined;
}

/** The process-wide client, cached across dev-server reloads. */
export function getDb(): Db {
  globalThis.__cuocthiDb ??= openDatabase();
  return globalThis.__cuocthiDb;
}
