/**
 * The server's clock: every rule that depends on time asks it, so integration tests can set the
 * time instead of sleeping (`setClock`). Production never sets it.
 */
declare global {
  var __cuocthiClock: (() => number) | undefined;
}

export function now(): number {
  return globalThis.__cuocthiClock ? globalThis.__cuocthiClock() : Date.now();
}

export function setClock(clock: (() => number) | undefined): void {
  globalThis.__cuocthiClock = clock;
}

/**
 * The real time, never the test clock: only for what must agree with a library that reads
 * `Date.now()` itself — Lucia decides a session's expiry and extension by it, so the prepared
 * session read (auth/session-read.server.ts) must too.
 */
export function wallNow(): number {
  return Date.now();
}
