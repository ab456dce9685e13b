/**
 * When the answer key of a question may reach a browser (docs/decisions/005-answer-key-secrecy.md).
 *
 * A question's correct options and explanation stay secret while any round, in any contest, that
 * has not closed can still draw it: the question is active in a bank that is in the round's pool.
 * Weekly rounds draw from the same banks, so "my round has closed" is not enough. A round still
 * "uses" a question during the answer grace after its close, while answers in flight count.
 * A contest may also hold every review back until its own last round has closed.
 */
import { ANSWER_GRACE_MS } from "./schedule";

/** When the correct options of a question may be shown (docs/decisions/005-answer-key-secrecy.md). */
export type ReviewAfter = "questions-unused" | "contest-end";
/** When a member sees their own score: at once, or only when the round has closed. */
export type ShowScore = "immediately" | "after-close";

export interface SecrecyQuestion {
  /** The bank the question belongs to now. */
  bankId: string;
  /** False once retired from its bank: no round draws it any more. */
  active: boolean;
}

export interface SecrecyRound {
  contestId: string;
  closesAt: number;
  /** The banks in the round's pool (those with a quota). */
  bankIds: readonly string[];
}

export interface SecrecyContest {
  id: string;
  reviewAfter: ReviewAfter;
}

export type KeyVisibility = { revealed: true } | { revealed: false; revealAt: number };

/** The instant from which a round no longer uses its questions: its close plus the answer grace. */
export function roundReleaseAt(round: { closesAt: number }): number {
  return round.closesAt + ANSWER_GRACE_MS;
}

/**
 * Whether the key of `question`, met in an attempt of `contest`, may be shown at `now`; if not,
 * from when it will be (as far as the rounds known now tell). `rounds` are all rounds of all
 * contests: the function picks those that still matter.
 */
export function keyVisibility(input: {
  question: SecrecyQuestion;
  contest: SecrecyContest;
  rounds: readonly SecrecyRound[];
  now: number;
}): KeyVisibility {
  const { question, contest, rounds, now } = input;
  let revealAt = Number.NEGATIVE_INFINITY;
  if (question.active) {
    for (const round of rounds) {
      const releaseAt = roundReleaseAt(round);
      if (releaseAt > now && round.bankIds.includes(question.bankId)) revealAt = Math.max(revealAt, releaseAt);
    }
  }
  if (contest.reviewAfter === "contest-end") {
    for (const round of rounds) {
      if (round.contestId === contest.id) revealAt = Math.max(revealAt, roundReleaseAt(round));
    }
  }
  return revealAt > now ? { revealed: false, revealAt } : { revealed: true };
}

/**
 * Whether a member sees their own score (and the correct count, and anything derived from it) of
 * an attempt in `round` at `now`. With "after-close", not before the round has closed and its
 * answer grace passed: an open round's score plus free registrations is an oracle for the key.
 */
export function scoreVisibility(showScore: ShowScore, round: { closesAt: number }, now: number): KeyVisibility {
  if (showScore === "immediately") return { revealed: true };
  const revealAt = roundReleaseAt(round);
  return now >= revealAt ? { revealed: true } : { revealed: false, revealAt };
}
