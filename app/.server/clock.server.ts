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
