/**
 * When the database cannot take writes (disk full, a read-only file or file system, an I/O error),
 * requests say so: 503 with Retry-After and a message that nothing was saved, instead of a 500
 * "system error" a member cannot act on; and /healthz turns 503 so a monitor notices
 * (docs/decisions/015-operating-it.md).
 */
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { Db } from "../../db/client";
import { now } from "./clock.server";
import { countSqliteError } from "./metrics.server";
import { ops } from "~/i18n/ops.vi";

/** How long to wait before trying again: long enough for an operator to free some space. */
export const RETRY_AFTER_SECONDS = 30;
/** /healthz stays 503 this long after the last refused write. */
export const WRITE_FAILURE_WINDOW_MS = 60_000;

const LOG_AGAIN_AFTER_MS = 60_000;
const STORAGE_CODE = /^SQLITE_(FULL|READONLY|IOERR)/;

/** The SQLite code when `error` (or its cause, as drizzle wraps it) says the storage refused. */
export function storageFailureCode(error: unknown): string | null {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && STORAGE_CODE.test(code)) return code;
  }
  return null;
}

/**
 * Another connection held the write lock for longer than the busy timeout (a long store of a
 * closed round's results in another process): nothing was written, trying again soon will work.
 * Not a storage failure (/healthz stays 200), but answered the same way: 503, Retry-After, "not saved".
 */
export function isWriteLockBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_BUSY")) return true;
  }
  return false;
}

declare global {
  var __cuocthiLastWriteFailure: { code: string; at: number } | undefined;
}

/** Remembers a storage failure for /healthz; returns its code, or null for any other error. */
export function noteStorageFailure(error: unknown): string | null {
  const code = storageFailureCode(error);
  if (!code) return null;
  countSqliteError(error);
  const at = now();
  const last = globalThis.__cuocthiLastWriteFailure;
  // One log line when writes start failing (or fail differently), not one per refused request.
  if (!last || last.code !== code || at - last.at > LOG_AGAIN_AFTER_MS) {
    console.error(ops.unavailable.logged(code, error instanceof Error ? error.message : String(error)));
  }
  globalThis.__cuocthiLastWriteFailure = { code, at };
  return code;
}

/** The last storage failure if it happened within the window, else null. */
export function recentStorageFailure(at: number = now()): { code: string; at: number } | null {
  const last = globalThis.__cuocthiLastWriteFailure;
  return last && at - last.at < WRITE_FAILURE_WINDOW_MS ? last : null;
}

/** For tests: forget the last failure. */
export function forgetStorageFailures(): void {
  globalThis.__cuocthiLastWriteFailure = undefined;
}

export const retryAfterHeaders = { "Retry-After": String(RETRY_AFTER_SECONDS) };

export type DatabaseHealth = { ok: true } | { ok: false; database: "not-writable"; error: string };

/** At most one real write probe per connection in this long; the requests between reuse its result. */
export const PROBE_INTERVAL_MS = 1000;

type Probes = { read: Statement<[], unknown>; lastWrite: { at: number; failed: string | null } | null };
const probes = new WeakMap<Database.Database, Probes>();

function probesOf(client: Database.Database): Probes {
  let kept = probes.get(client);
  if (!kept) probes.set(client, (kept = { read: client.prepare("select 1"), lastWrite: null }));
  return kept;
}

/**
 * What /healthz reports: the database answers a read, takes a tiny write (at most once a second:
 * `PROBE_INTERVAL_MS`, the result kept meanwhile), and no request's write failed on storage in
 * the last minute (a full disk may still take the tiny write while every real one fails; a
 * request's failed write turns it 503 at once). Throws when the database cannot be read at all.
 */
export function databaseHealth(db: Db, at: number = now()): DatabaseHealth {
  const kept = probesOf(db.$client);
  kept.read.get();
  const last = kept.lastWrite;
  let probed: string | null;
  if (last && at >= last.at && at - last.at < PROBE_INTERVAL_MS) probed = last.failed;
  else {
    probed = probeWrite(db);
    kept.lastWrite = { at, failed: probed };
  }
  const failed = probed ?? recentStorageFailure(at)?.code;
  return failed ? { ok: false, database: "not-writable", error: failed } : { ok: true };
}

export type HealthReply = { status: 200 | 503; body: Record<string, string> };

/**
 * /healthz's answer: 200 "ok" while `databaseHealth` is, else 503 and why ("unreachable": the
 * database could not be opened or read). Takes the opener so that a failure to open is a 503 too.
 */
export function healthReply(openDb: () => Db): HealthReply {
  try {
    const health = databaseHealth(openDb());
    if (!health.ok) return { status: 503, body: { status: "error", database: health.database, error: health.error } };
    return { status: 200, body: { status: "ok", database: "ok", time: new Date().toISOString() } };
  } catch {
    return { status: 503, body: { status: "error", database: "unreachable" } };
  }
}

/**
 * A tiny write: setting user_version to the value it has takes the write lock and writes a page,
 * so a read-only file, file system or connection fails it. Returns the failure's code or null.
 */
export function probeWrite(db: Db): string | null {
  try {
    const version = db.$client.pragma("user_version", { simple: true }) as number;
    db.$client.pragma(`user_version = ${Number(version) | 0}`);
    return null;
  } catch (error) {
    return noteStorageFailure(error) ?? (error as { code?: string }).code ?? "unknown";
  }
}

/**
 * For the answer save's JSON route, around work done before the save itself (the session check may
 * extend the session, a write): a storage failure becomes the same 503 reply as a refused save.
 */
export function rethrowAsAnswerUnavailable(error: unknown): never {
  if (noteStorageFailure(error)) {
    throw Response.json(
      { ok: false, code: "unavailable", error: ops.unavailable.answerNotSaved, retryAfter: RETRY_AFTER_SECONDS },
      { status: 503, headers: { "Cache-Control": "no-store", ...retryAfterHeaders } },
    );
  }
  throw error;
}
