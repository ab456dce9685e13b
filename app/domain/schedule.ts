/**
 * When rounds are open. A round is open on [opensAt, closesAt): it opens at its opening instant
 * and is closed at its closing instant. The server's clock decides; `now` is always passed in.
 */

export type RoundStatus = "upcoming" | "open" | "closed";

export interface RoundWindow {
  opensAt: number;
  closesAt: number;
}

export function roundStatus(round: RoundWindow, now: number): RoundStatus {
  if (now < round.opensAt) return "upcoming";
  if (now < round.closesAt) return "open";
  return "closed";
}

/** The next instant at which the round's status changes, or null once it has closed. */
export function nextStatusChange(round: RoundWindow, now: number): number | null {
  const status = roundStatus(round, now);
  if (status === "upcoming") return round.opensAt;
  if (status === "open") return round.closesAt;
  return null;
}

/** The first round that is open, else the next to open, else the last to have closed. */
export function currentRound<R extends RoundWindow>(rounds: readonly R[], now: number): R | undefined {
  const sorted = [...rounds].sort((a, b) => a.opensAt - b.opensAt);
  return sorted.find((r) => roundStatus(r, now) === "open") ?? sorted.find((r) => roundStatus(r, now) === "upcoming") ?? sorted.at(-1);
}

/** Whether two windows share any instant (touching ends do not: [a, b) and [b, c) are fine). */
export function windowsOverlap(a: RoundWindow, b: RoundWindow): boolean {
  return a.opensAt < b.closesAt && b.opensAt < a.closesAt;
}

export interface Duration {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function splitDuration(ms: number): Duration {
  const total = Math.max(0, Math.floor(ms / 1000));
  return {
    days: Math.floor(total / 86400),
    hours: Math.floor((total % 86400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/**
 * Answers arriving up to this long after an attempt's deadline still count: they were chosen in
 * time and were in flight on a slow link (docs/decisions/003-deadline-grace.md).
 */
export const ANSWER_GRACE_MS = 15_000;

/** An attempt's deadline: its time limit, but never past the round's close. */
export function attemptDeadline(startedAt: number, timeLimitSeconds: number, closesAt: number): number {
  return Math.min(startedAt + timeLimitSeconds * 1000, closesAt);
}

/** Whether a request arriving at `now` may still change the attempt. */
export function acceptsAnswers(deadlineAt: number, now: number): boolean {
  return now <= deadlineAt + ANSWER_GRACE_MS;
}

/**
 * Whether a round's results can be frozen at `now`: once no answer can still arrive, after its
 * close plus the answer grace. The one rule for the sweep, the store and the pages that wait for it.
 */
export function canFreeze(round: { closesAt: number }, now: number): boolean {
  return now > round.closesAt + ANSWER_GRACE_MS;
}

/** `canFreeze` as a bound for a query: the rounds that closed before this instant can be frozen. */
export function freezableClosedBefore(now: number): number {
  return now - ANSWER_GRACE_MS;
}

/** An attempt still in progress past its deadline and grace: the server finalizes it. */
export function isOverdue(deadlineAt: number, now: number): boolean {
  return !acceptsAnswers(deadlineAt, now);
}
