/**
 * Waiting for SQLite's write lock without blocking the event loop (decision 013, "Fourth pass
 * (writes)"). With several server processes on one database, a BEGIN IMMEDIATE that finds the
 * lock taken by another process waits in SQLite's busy handler, which *sleeps the thread* (1, 2,
 * 5, 10 … ms) — every other request of that worker waits with it, while the other process holds
 * the lock for a fraction of a millisecond. The hot writes (answer save, lean submit) instead try
 * the lock without waiting (`busy_timeout = 0` for that BEGIN) and, when it is taken, give the
 * event loop a turn and try again (`retryWhileBusy`), for as long as the connection's own busy
 * timeout would have waited; after that the BUSY error goes up as before (a 503 "not saved").
 */
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { isWriteLockBusy } from "./storage-health.server";

type Switch = { noWait: Statement<[], unknown>; restore: Statement<[], unknown>; timeoutMs: number };
const switches = new WeakMap<Database.Database, Switch>();

function switchOf(client: Database.Database): Switch {
  let found = switches.get(client);
  if (!found) {
    const timeoutMs = Number(client.pragma("busy_timeout", { simple: true })) || 0;
    found = {
      noWait: client.prepare("pragma busy_timeout = 0"),
      restore: client.prepare(`pragma busy_timeout = ${timeoutMs}`),
      timeoutMs,
    };
    switches.set(client, found);
  }
  return found;
}

/** The connection's busy timeout (ms) as it was configured: how long `retryWhileBusy` keeps trying. */
export function busyTimeoutOf(client: Database.Database): number {
  return switchOf(client).timeoutMs;
}

/**
 * Runs `run` (which begins an immediate transaction on `client`) with the busy timeout at 0: when
 * another process holds the write lock it throws SQLITE_BUSY at once instead of sleeping. Inside a
 * transaction that holds the write lock nothing else waits on it (WAL: readers never block).
 */
export function withoutWaiting<T>(client: Database.Database, run: () => T): T {
  const s = switchOf(client);
  s.noWait.get();
  try {
    return run();
  } finally {
    s.restore.get();
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The delay before try number `attempt` (0-based) once the lock was found taken: the first on the
 * next turn of the event loop (another process holds it for well under a millisecond), then 1, 2,
 * 4 … ms up to 20 ms (a long holder: a results store, a checkpoint) — timers, not a spin: a
 * failed try costs a little CPU, which the other worker needs to finish and let go.
 */
export function retryDelayMs(attempt: number): number {
  return attempt < 1 ? 0 : Math.min(20, 2 ** (attempt - 1));
}

/**
 * Calls `tryOnce` until it does not throw SQLITE_BUSY, yielding to the event loop between tries;
 * after `budgetMs` of delays (the connection's busy timeout) the BUSY error is thrown as it is.
 */
export async function retryWhileBusy<T>(tryOnce: () => T, budgetMs: number, wait: (ms: number) => Promise<void> = defaultWait): Promise<T> {
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return tryOnce();
    } catch (error) {
      if (!isWriteLockBusy(error) || waited >= budgetMs) throw error;
    }
    const delay = retryDelayMs(attempt);
    await wait(delay);
    waited += delay;
  }
}

function defaultWait(ms: number): Promise<void> {
  return ms === 0 ? nextTurn() : pause(ms);
}
