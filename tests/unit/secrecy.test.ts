import { describe, expect, it } from "vitest";
import { keyVisibility, roundReleaseAt, scoreVisibility, type SecrecyRound } from "~/domain/secrecy";
import { ANSWER_GRACE_MS } from "~/domain/schedule";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2024, 9, 7, 2, 30);

const live = { id: "live", reviewAfter: "questions-unused" as const };
const liveHeldBack = { id: "live", reviewAfter: "contest-end" as const };
const question = { bankId: "bank-a", active: true };

/** Week 1 closed at t0, week 2 open until t0 + 7 days, week 3 scheduled until t0 + 14 days. */
function weekly(banks: { w1?: string[]; w2?: string[]; w3?: string[] } = {}): SecrecyRound[] {
  return [
    { contestId: "live", closesAt: t0, bankIds: banks.w1 ?? ["bank-a", "bank-b"] },
    { contestId: "live", closesAt: t0 + 7 * DAY, bankIds: banks.w2 ?? ["bank-a", "bank-b"] },
    { contestId: "live", closesAt: t0 + 14 * DAY, bankIds: banks.w3 ?? ["bank-a", "bank-b"] },
  ];
}

describe("keyVisibility: the key waits for every round that can still draw the question", () => {
  it("stays hidden after the question's own round closed while later rounds draw from its bank", () => {
    const v = keyVisibility({ question, contest: live, rounds: weekly(), now: t0 + HOUR });
    expect(v).toEqual({ revealed: false, revealAt: t0 + 14 * DAY + ANSWER_GRACE_MS });
  });

  it("names the latest close among the rounds still using it, not the next one", () => {
    const rounds = weekly({ w3: ["bank-b"] });
    expect(keyVisibility({ question, contest: live, rounds, now: t0 + HOUR })).toEqual({
      revealed: false,
      revealAt: t0 + 7 * DAY + ANSWER_GRACE_MS,
    });
  });

  it("is shown once no open or scheduled round draws from its bank", () => {
    const rounds = weekly({ w2: ["bank-b"], w3: ["bank-b"] });
    expect(keyVisibility({ question, contest: live, rounds, now: t0 + HOUR })).toEqual({ revealed: true });
  });

  it("counts a round that has not opened yet", () => {
    const rounds: SecrecyRound[] = [
      { contestId: "live", closesAt: t0, bankIds: ["bank-a"] },
      { contestId: "live", closesAt: t0 + 30 * DAY, bankIds: ["bank-a"] },
    ];
    expect(keyVisibility({ question, contest: live, rounds, now: t0 + HOUR })).toEqual({
      revealed: false,
      revealAt: t0 + 30 * DAY + ANSWER_GRACE_MS,
    });
  });

  it("counts rounds of every contest: a practice round never reveals what a live round still asks", () => {
    const rounds: SecrecyRound[] = [
      { contestId: "practice", closesAt: t0, bankIds: ["bank-a"] },
      { contestId: "live", closesAt: t0 + 7 * DAY, bankIds: ["bank-a"] },
    ];
    const practice = { id: "practice", reviewAfter: "questions-unused" as const };
    expect(keyVisibility({ question, contest: practice, rounds, now: t0 + HOUR })).toEqual({
      revealed: false,
      revealAt: t0 + 7 * DAY + ANSWER_GRACE_MS,
    });
  });

  it("keeps the key through the answer grace after the last round's close, and shows it after", () => {
    const rounds = weekly();
    const lastClose = t0 + 14 * DAY;
    expect(keyVisibility({ question, contest: live, rounds, now: lastClose - 1 }).revealed).toBe(false);
    expect(keyVisibility({ question, contest: live, rounds, now: lastClose }).revealed).toBe(false);
    expect(keyVisibility({ question, contest: live, rounds, now: lastClose + ANSWER_GRACE_MS - 1 }).revealed).toBe(false);
    expect(keyVisibility({ question, contest: live, rounds, now: lastClose + ANSWER_GRACE_MS })).toEqual({ revealed: true });
  });

  it("shows a retired question's key: no round can draw it any more", () => {
    const retired = { bankId: "bank-a", active: false };
    expect(keyVisibility({ question: retired, contest: live, rounds: weekly(), now: t0 + HOUR })).toEqual({ revealed: true });
  });

  it("ignores rounds whose pool does not hold the question's bank", () => {
    const rounds: SecrecyRound[] = [{ contestId: "other", closesAt: t0 + 7 * DAY, bankIds: ["bank-b", "bank-c"] }];
    expect(keyVisibility({ question, contest: live, rounds, now: t0 + HOUR })).toEqual({ revealed: true });
  });

  it("is shown with no rounds at all", () => {
    expect(keyVisibility({ question, contest: live, rounds: [], now: t0 })).toEqual({ revealed: true });
  });
});

describe("keyVisibility with reviewAfter: contest-end", () => {
  const rounds: SecrecyRound[] = [
    { contestId: "live", closesAt: t0, bankIds: ["bank-a"] },
    { contestId: "live", closesAt: t0 + 7 * DAY, bankIds: ["bank-b"] },
    { contestId: "other", closesAt: t0 + 30 * DAY, bankIds: ["bank-c"] },
  ];

  it("waits for the contest's last round even when no round draws the question any more", () => {
    expect(keyVisibility({ question, contest: liveHeldBack, rounds, now: t0 + HOUR })).toEqual({
      revealed: false,
      revealAt: t0 + 7 * DAY + ANSWER_GRACE_MS,
    });
    // The same question under the default rule is free already.
    expect(keyVisibility({ question, contest: live, rounds, now: t0 + HOUR })).toEqual({ revealed: true });
  });

  it("waits for a retired question too", () => {
    const retired = { bankId: "bank-a", active: false };
    expect(keyVisibility({ question: retired, contest: liveHeldBack, rounds, now: t0 + HOUR }).revealed).toBe(false);
  });

  it("ignores other contests' rounds that do not draw the question", () => {
    expect(keyVisibility({ question, contest: liveHeldBack, rounds, now: t0 + 7 * DAY + ANSWER_GRACE_MS })).toEqual({ revealed: true });
  });

  it("takes the later of the contest's end and another contest still drawing the question", () => {
    const shared: SecrecyRound[] = [...rounds, { contestId: "other", closesAt: t0 + 20 * DAY, bankIds: ["bank-a"] }];
    expect(keyVisibility({ question, contest: liveHeldBack, rounds: shared, now: t0 + HOUR })).toEqual({
      revealed: false,
      revealAt: t0 + 20 * DAY + ANSWER_GRACE_MS,
    });
  });
});

describe("roundReleaseAt", () => {
  it("is the close plus the answer grace", () => {
    expect(roundReleaseAt({ closesAt: t0 })).toBe(t0 + ANSWER_GRACE_MS);
  });
});

describe("scoreVisibility", () => {
  const round = { closesAt: t0 };

  it("shows the score at once by default", () => {
    expect(scoreVisibility("immediately", round, t0 - DAY)).toEqual({ revealed: true });
  });

  it("with after-close, hides it until the round has closed and its grace passed", () => {
    expect(scoreVisibility("after-close", round, t0 - DAY)).toEqual({ revealed: false, revealAt: t0 + ANSWER_GRACE_MS });
    expect(scoreVisibility("after-close", round, t0).revealed).toBe(false);
    expect(scoreVisibility("after-close", round, t0 + ANSWER_GRACE_MS)).toEqual({ revealed: true });
  });
});
