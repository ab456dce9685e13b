/**
 * Abuse limits (rate-limiter-flexible, and SqliteWindowLimit for the answer save). Every limit is kept in the
 * SQLite database, so it is one count for all the server's processes and a restart does not reset it. Per-address limits count
 * under `addressKey` (an IPv6 client's whole /64). See docs/decisions/006-accounts-limits-and-input.md.
 */
import type { HeadersFunction } from "@remix-run/node";
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Db } from "../../db/client";
import { addressKey } from "~/domain/network";

export { addressKey };

export interface Limiters {
  /** Consecutive failed logins for one phone from one IP: blocked after 10, reset on success. */
  loginFailuresByPhoneIp: RateLimiterAbstract;
  /** Failed logins from one IP in a day, whatever the phone. */
  loginFailuresByIp: RateLimiterAbstract;
  /**
   * Failed logins for one phone number from any address: slow guessing spread over many addresses.
   * Not reset by a success (the attacker never succeeds; the owner logging in must not reopen it).
   */
  loginFailuresByPhone: RateLimiterAbstract;
  /** New accounts from one IP (a union office registers its members from one connection). */
  registrationsByIp: RateLimiterAbstract;
  /**
   * Registrations that hit an existing number, from one address: each one confirms that a number
   * is registered, so they are few (the masked number on the leaderboard plus this answer must not
   * turn into the full number).
   */
  registrationProbesByIp: RateLimiterAbstract;
  /** Registrations that hit one existing number, from any address. */
  registrationProbesByPhone: RateLimiterAbstract;
  attemptStarts: RateLimiterAbstract;
  answerSaves: SqliteWindowLimit;
}

/**
 * A fixed-window count kept in the `rate_limits` table (one row per key: the points used and when
 * the window ends, in ms), counted by ONE prepared upsert. Unlike rate-limiter-flexible's
 * limiters it can run inside another immediate transaction: the answer save counts itself in its
 * own transaction (`countIn`), so the limit is global across the server's processes at the cost of
 * one more row written in a commit that happens anyway (decision 013).
 */
export class SqliteWindowLimit {
  private readonly upsert: Statement<[{ key: string; points: number; now: number; duration: number }], { points: number; expire: number }>;
  constructor(
    client: Database.Database,
    readonly keyPrefix: string,
    readonly points: number,
    readonly durationMs: number,
  ) {
    // A window that has ended starts again at 1; otherwise one more point in the same window.
    this.upsert = client.prepare(
      `INSERT INTO rate_limits (key, points, expire) VALUES (@key, @points, @now + @duration)
       ON CONFLICT(key) DO UPDATE SET
         points = CASE WHEN rate_limits.expire IS NULL OR rate_limits.expire <= @now THEN excluded.points ELSE rate_limits.points + excluded.points END,
         expire = CASE WHEN rate_limits.expire IS NULL OR rate_limits.expire <= @now THEN excluded.expire ELSE rate_limits.expire END
       RETURNING points, expire`,
    );
  }

  /**
   * Counts `points` for `key` at `nowMs` (run it inside the caller's transaction, or alone);
   * throws RateLimited when the window's points are used up.
   */
  countIn(key: string, nowMs: number, message: (seconds: number) => string, points = 1): void {
    const row = this.upsert.get({ key: `${this.keyPrefix}:${key}`, points, now: nowMs, duration: this.durationMs })!;
    if (row.points > this.points) {
      const seconds = Math.max(1, Math.ceil((row.expire - nowMs) / 1000));
      throw new RateLimited(seconds, message(seconds));
    }
  }

  /** Counts points now, as rate-limiter-flexible's `consume` does (tests fill a window with it). */
  async consume(key: string, points = 1): Promise<void> {
    // eslint-disable-next-line no-restricted-properties -- limits count real seconds (see countIn's callers)
    this.countIn(key, Date.now(), () => "", points);
  }
}

function createLimiters(db: Db): Limiters {
  // The library creates its table asynchronously, so a request right after start-up could find it
  // missing: create it here, synchronously, with the library's own definition.
  db.$client.exec("CREATE TABLE IF NOT EXISTS rate_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)");
  const sqlite = (keyPrefix: string, points: number, duration: number, blockDuration = 0) =>
    new RateLimiterSQLite({
      storeClient: db.$client,
      storeType: "better-sqlite3",
      tableName: "rate_limits",
      tableCreated: true,
      keyPrefix,
      points,
      duration,
      blockDuration,
    });
  return {
    loginFailuresByPhoneIp: sqlite("login_phone_ip", 10, 60 * 60 * 24, 60 * 15),
    loginFailuresByIp: sqlite("login_ip", 100, 60 * 60 * 24),
    loginFailuresByPhone: sqlite("login_phone", 30, 60 * 60 * 24, 60 * 60),
    registrationsByIp: sqlite("register_ip", 30, 60 * 60),
    registrationProbesByIp: sqlite("register_taken_ip", 10, 60 * 60 * 24, 60 * 60 * 24),
    registrationProbesByPhone: sqlite("register_taken_phone", 5, 60 * 60 * 24, 60 * 60 * 24),
    // Kept in the database too, so that several server processes share one count per member.
    attemptStarts: sqlite("attempt_start", 10, 60),
    // The hot path (every click on an option): counted inside the save's own transaction, so it
    // is one count for all the processes without a commit of its own (SqliteWindowLimit).
    answerSaves: new SqliteWindowLimit(db.$client, "answer_save", 120, 60_000),
  };
}

const perDb = new WeakMap<Db, Limiters>();

export function limitersFor(db: Db): Limiters {
  let limiters = perDb.get(db);
  if (!limiters) {
    limiters = createLimiters(db);
    perDb.set(db, limiters);
  }
  return limiters;
}

/** A limited request: answer 429 with Retry-After and a Vietnamese message. */
export class RateLimited extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

/** Seconds until a key may try again, or 0 if it is not limited now. */
export async function blockedFor(limiter: RateLimiterAbstract, key: string): Promise<number> {
  const res = await limiter.get(key);
  if (!res || res.consumedPoints < limiter.points) return 0;
  return Math.ceil(res.msBeforeNext / 1000);
}

/** Counts one event; throws RateLimited when the key has used up its points. */
export async function consume(limiter: RateLimiterAbstract, key: string, message: (seconds: number) => string) {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new RateLimited(seconds, message(seconds));
    }
    throw error;
  }
}

/**
 * Records a failure without throwing; the limit is enforced by `blockedFor` on the next try. The
 * failure that uses up the last point starts the limiter's block (15 minutes for logins), instead
 * of leaving the key locked for the rest of its counting window.
 */
export async function penalize(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    const res = await limiter.consume(key);
    if (res.remainingPoints === 0 && limiter.blockDuration > 0) await limiter.block(key, limiter.blockDuration);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

/**
 * The route's `headers` export for limited routes: Remix drops an action's or loader's headers other
 * than Set-Cookie unless the route passes them on, so without this a 429 would lose its Retry-After.
 */
export const passRetryAfter: HeadersFunction = ({ actionHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers();
  for (const source of [errorHeaders, actionHeaders, loaderHeaders]) {
    const value = source?.get("Retry-After");
    if (value) {
      headers.set("Retry-After", value);
      break;
    }
  }
  return headers;
};

export function tooManyRequests(limited: RateLimited, body: unknown): Response {
  return Response.json(body, { status: 429, headers: { "Retry-After": String(limited.retryAfterSeconds) } });
}
