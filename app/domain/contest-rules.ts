/**
 * What may change in a contest that may already be running: the one check every path that writes a
 * contest runs first (the console, `content:import`, the demo seed — through importContent), so a
 * change refused in one is refused in all. See docs/decisions/008-running-contest-rules.md.
 * - rounds must not overlap, and each closes after it opens (the same rules the content checker
 *   applies to a contest file: closesAfterOpens, quotaTotal, quotaProblem, overlappingRounds);
 * - a round draws no more questions from a bank than the bank has, and its quotas add up to the
 *   contest's questions per attempt;
 * - once a round has opened (or has attempts), its banks, quotas and opening time are fixed
 *   (members drew from them) and it cannot be removed;
 * - an open round's close may move later; earlier only to a time no earlier than `now + time limit`
 *   and the latest deadline of the attempts in progress, so nobody is cut short;
 * - a closed round's times never change: no reopening, no moving;
 * - the settings that decide fairness (time limit, attempts per round, questions per attempt, the
 *   prediction question and its target, ranking order, timezone) are fixed once the first round
 *   has opened;
 * - prize tiers and the minimum prize score are stored with a round's results when it closes; they
 *   cannot change in the moment between a round's close and that freeze (they would apply to it).
 */
import type { Contest, ContestRound } from "./content/contest";
import { windowsOverlap } from "./schedule";
import { formatDateTime } from "./time";
import { contestRuleMessages } from "~/i18n/contest-rules.vi";

export interface RuleViolation {
  /**
   * The form field the message belongs to, which is also the key in the contest file:
   * `rounds.<number>.closes`, `timeLimitMinutes`, `prizes`, …
   */
  field: string;
  message: string;
}

/** What the database knows about a stored round beyond its definition, passed in as data. */
export interface StoredRoundState {
  /** Members have attempts in it (it counts as opened whatever the clock says). */
  hasAttempts: boolean;
  /** The latest deadline of its attempts still in progress, or null when none is. */
  latestDeadline: number | null;
  /** Its results (and with them its prize tiers) are stored and frozen. */
  resultsFrozen: boolean;
}

export const ruleMessages = contestRuleMessages;

/* ---------- the shape of any contest, new or running: one rule each ---------- */
// The console (checkContestChange) and the content checker (content/contest.ts, validate.ts) both
// call these and both say ruleMessages; only where they report it differs (a field, a file line).

/** A round closes after it opens. */
export function closesAfterOpens(round: { opensAt: number; closesAt: number }): boolean {
  return round.closesAt > round.opensAt;
}

/** The questions a round draws from its banks; it must equal the contest's questions per attempt. */
export function quotaTotal(quotas: readonly { questionCount: number }[]): number {
  return quotas.reduce((total, q) => total + Math.max(0, q.questionCount), 0);
}

/** A quota against the bank it names: the bank must exist and hold at least that many questions. */
export function quotaProblem(
  quota: { bankId: string; questionCount: number },
  bankSizes: ReadonlyMap<string, number>,
): { kind: "unknown-bank" } | { kind: "too-large"; size: number } | null {
  const size = bankSizes.get(quota.bankId);
  if (size === undefined) return { kind: "unknown-bank" };
  return quota.questionCount > size ? { kind: "too-large", size } : null;
}

/** The pairs of rounds whose windows overlap, each as [opens first, opens later]. */
export function overlappingRounds<R extends { opensAt: number; closesAt: number }>(rounds: readonly R[]): [R, R][] {
  const sorted = [...rounds].sort((a, b) => a.opensAt - b.opensAt);
  const pairs: [R, R][] = [];
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) if (windowsOverlap(sorted[i]!, sorted[j]!)) pairs.push([sorted[i]!, sorted[j]!]);
  }
  return pairs;
}

/** The settings locked once the first round has opened, by form field / file key. */
const LOCKED_SETTINGS = {
  timeLimitMinutes: (c: Contest) => c.timeLimitSeconds,
  attemptsPerRound: (c: Contest) => c.attemptsPerRound,
  questionsPerAttempt: (c: Contest) => c.questionsPerAttempt,
  prediction: (c: Contest) => c.predictionEnabled,
  predictionTarget: (c: Contest) => c.predictionTarget,
  ranking: (c: Contest) => c.rankingOrder.join(","),
  timezone: (c: Contest) => c.timezone,
} as const satisfies Record<keyof typeof contestRuleMessages.settingLabels, (c: Contest) => unknown>;

const MINUTE = 60_000;

function sameQuotas(a: ContestRound, b: ContestRound): boolean {
  const key = (r: ContestRound) =>
    r.quotas
      .filter((q) => q.questionCount > 0)
      .map((q) => `${q.bankId}:${q.questionCount}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}

const samePrizes = (a: Contest, b: Contest) =>
  JSON.stringify(a.prizes.map((p) => [p.name, p.count])) === JSON.stringify(b.prizes.map((p) => [p.name, p.count]));

/** Shown to the minute, rounded up: the earliest close an organizer can actually type. */
const ceilToMinute = (instant: number) => Math.ceil(instant / MINUTE) * MINUTE;

export function checkContestChange({
  before,
  after,
  now,
  bankSizes,
  rounds = new Map(),
}: {
  before: Contest | null;
  after: Contest;
  now: number;
  bankSizes: ReadonlyMap<string, number>;
  /** By round number, for the rounds of `before`. */
  rounds?: ReadonlyMap<number, StoredRoundState>;
}): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });
  const tz = before?.timezone ?? after.timezone;
  const started = (r: ContestRound) => r.opensAt <= now || (rounds.get(r.number)?.hasAttempts ?? false);

  for (const round of after.rounds) {
    const f = (name: string) => `rounds.${round.number}.${name}`;
    if (!closesAfterOpens(round)) add(f("closes"), ruleMessages.closesBeforeOpens(round.number));
    const quotas = round.quotas.filter((q) => q.questionCount > 0);
    if (quotas.length === 0) add(f("banks"), ruleMessages.noQuotas(round.number));
    for (const quota of quotas) {
      const problem = quotaProblem(quota, bankSizes);
      if (problem?.kind === "unknown-bank") add(f(`bank.${quota.bankId}`), ruleMessages.unknownBank(round.number, quota.bankId));
      else if (problem?.kind === "too-large") {
        add(f(`bank.${quota.bankId}`), ruleMessages.quotaTooLarge(round.number, quota.bankId, quota.questionCount, problem.size));
      }
    }
    const sum = quotaTotal(quotas);
    if (quotas.length > 0 && sum !== after.questionsPerAttempt)
      add(f("banks"), ruleMessages.quotaSum(round.number, sum, after.questionsPerAttempt));

    const previous = before?.rounds.find((r) => r.number === round.number);
    if (previous && previous.closesAt <= now) {
      // Closed: its results were frozen with these times; moving either would reopen or rewrite it.
      const closedAt = formatDateTime(previous.closesAt, tz);
      if (previous.opensAt !== round.opensAt) add(f("opens"), ruleMessages.closedRoundLocked(round.number, "opens", closedAt));
      if (previous.closesAt !== round.closesAt) add(f("closes"), ruleMessages.closedRoundLocked(round.number, "closes", closedAt));
      if (!sameQuotas(previous, round)) add(f("banks"), ruleMessages.quotasLocked(round.number));
      continue;
    }
    if (previous && started(previous)) {
      if (!sameQuotas(previous, round)) add(f("banks"), ruleMessages.quotasLocked(round.number));
      if (previous.opensAt !== round.opensAt) add(f("opens"), ruleMessages.opensLocked(round.number));
      if (round.closesAt < previous.closesAt) {
        const limitMs = Math.max(before?.timeLimitSeconds ?? 0, after.timeLimitSeconds) * 1000;
        const latestDeadline = rounds.get(round.number)?.latestDeadline ?? null;
        const byLimit = now + limitMs;
        const earliest = Math.max(byLimit, latestDeadline ?? 0);
        if (round.closesAt < now) add(f("closes"), ruleMessages.closeInPast(round.number));
        else if (round.closesAt < earliest) {
          const answering = latestDeadline !== null && latestDeadline > now;
          add(f("closes"), ruleMessages.cutShort(round.number, formatDateTime(ceilToMinute(earliest), tz), answering));
        }
      }
      continue;
    }
    // A new contest may bring its past rounds (a contest imported after it ran); an existing one
    // gains no round that is already over.
    if (before && round.closesAt < now && (!previous || previous.closesAt !== round.closesAt)) {
      add(f("closes"), ruleMessages.closeInPast(round.number));
    }
  }

  for (const [first, later] of overlappingRounds(after.rounds))
    add(`rounds.${later.number}.opens`, ruleMessages.overlap(first.number, later.number));

  for (const previous of before?.rounds ?? []) {
    if (!after.rounds.some((r) => r.number === previous.number) && started(previous)) {
      add(`rounds.${previous.number}.remove`, ruleMessages.removeOpened(previous.number));
    }
  }

  if (before) {
    const opened = before.rounds.filter(started);
    if (opened.length > 0) {
      const firstOpenedAt = formatDateTime(Math.min(...opened.map((r) => r.opensAt)), tz);
      for (const [field, value] of Object.entries(LOCKED_SETTINGS) as [keyof typeof LOCKED_SETTINGS, (c: Contest) => unknown][]) {
        if (value(before) !== value(after)) add(field, ruleMessages.settingLocked(ruleMessages.settingLabels[field], firstOpenedAt));
      }
    }
    // Between a round's close and the freeze that stores its tiers, a change would still apply to it.
    const freezing = before.rounds.find((r) => r.closesAt <= now && rounds.has(r.number) && !rounds.get(r.number)!.resultsFrozen);
    if (freezing) {
      if (!samePrizes(before, after)) add("prizes", ruleMessages.prizesBeingFrozen(freezing.number, "prizes"));
      if ((before.minPrizeScore ?? null) !== (after.minPrizeScore ?? null)) {
        add("minPrizeScore", ruleMessages.prizesBeingFrozen(freezing.number, "minPrizeScore"));
      }
    }
  }
  return violations;
}

/** The moment the contest's first round opened, or null while none has (the settings lock). */
export function firstOpenedAt(contest: Pick<Contest, "rounds">, now: number): number | null {
  const opened = contest.rounds.filter((r) => r.opensAt <= now).map((r) => r.opensAt);
  return opened.length > 0 ? Math.min(...opened) : null;
}
