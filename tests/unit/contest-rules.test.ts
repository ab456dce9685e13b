/** The running-contest rules as a pure function (docs/decisions/008-running-contest-rules.md). */
import { describe, expect, it } from "vitest";
import { checkContestChange, ruleMessages, type StoredRoundState } from "~/domain/contest-rules";
import type { Contest } from "~/domain/content/contest";
import { formatDateTime } from "~/domain/time";

const MINUTE = 60_000;
const DAY = 86_400_000;
const OPENS = Date.UTC(2024, 9, 1, 0, 0);
const CLOSES = OPENS + 7 * DAY;
const TZ = "Asia/Ho_Chi_Minh";
const banks = new Map([["bo-a", 10]]);

function contest(changes: Partial<Contest> = {}): Contest {
  return {
    file: "c.md",
    id: "c",
    idLine: 1,
    title: "C",
    timezone: TZ,
    rulesMarkdown: "",
    timeLimitSeconds: 20 * 60,
    questionsPerAttempt: 5,
    attemptsPerRound: 1,
    predictionEnabled: true,
    predictionTarget: "participants",
    rankingOrder: ["score", "prediction", "duration", "finishedAt"],
    liveStandings: false,
    onePrizePerPerson: false,
    minPrizeScore: null,
    reviewAfter: "questions-unused",
    showScore: "immediately",
    practice: false,
    prizes: [{ name: "Giải Nhất", count: 1 }],
    rounds: [
      { number: 1, title: "V1", opensAt: OPENS, closesAt: CLOSES, quotas: [{ bankId: "bo-a", questionCount: 5, line: 1 }], line: 1 },
    ],
    ...changes,
  };
}
const withClose = (closesAt: number, opensAt = OPENS) => contest({ rounds: [{ ...contest().rounds[0]!, opensAt, closesAt }] });
const state = (s: Partial<StoredRoundState> = {}) =>
  new Map([[1, { hasAttempts: false, latestDeadline: null, resultsFrozen: false, ...s }]]);
const check = (after: Contest, now: number, rounds = state()) =>
  checkContestChange({ before: contest(), after, now, bankSizes: banks, rounds });

describe("an open round's close", () => {
  const now = OPENS + DAY;
  it("moves later freely", () => expect(check(withClose(CLOSES + DAY), now)).toEqual([]));
  it("moves earlier only to now + the time limit or later", () => {
    expect(check(withClose(now + 20 * MINUTE), now)).toEqual([]);
    expect(check(withClose(now + 19 * MINUTE), now)).toEqual([
      { field: "rounds.1.closes", message: ruleMessages.cutShort(1, formatDateTime(now + 20 * MINUTE, TZ), false) },
    ]);
  });
  it("never before the latest deadline of the attempts in progress", () => {
    const rounds = state({ hasAttempts: true, latestDeadline: now + 25 * MINUTE });
    expect(check(withClose(now + 20 * MINUTE), now, rounds)).toEqual([
      { field: "rounds.1.closes", message: ruleMessages.cutShort(1, formatDateTime(now + 25 * MINUTE, TZ), true) },
    ]);
    expect(check(withClose(now + 25 * MINUTE), now, rounds)).toEqual([]);
  });
  it("shows the earliest close rounded up to a minute an organizer can type", () => {
    const odd = now + 30_000;
    expect(check(withClose(odd + MINUTE), odd)[0]!.message).toBe(ruleMessages.cutShort(1, formatDateTime(now + 21 * MINUTE, TZ), false));
  });
});

describe("a closed round", () => {
  it("keeps both its times", () => {
    const now = CLOSES + DAY;
    const at = formatDateTime(CLOSES, TZ);
    expect(check(withClose(CLOSES + 30 * DAY), now)).toEqual([
      { field: "rounds.1.closes", message: ruleMessages.closedRoundLocked(1, "closes", at) },
    ]);
    expect(check(withClose(CLOSES, OPENS + MINUTE), now)).toEqual([
      { field: "rounds.1.opens", message: ruleMessages.closedRoundLocked(1, "opens", at) },
    ]);
  });
});

describe("fairness settings", () => {
  const changes: [string, Partial<Contest>][] = [
    ["timeLimitMinutes", { timeLimitSeconds: 30 * 60 }],
    ["attemptsPerRound", { attemptsPerRound: 2 }],
    ["prediction", { predictionEnabled: false }],
    ["predictionTarget", { predictionTarget: "perfect-scores" }],
    ["ranking", { rankingOrder: ["score", "duration"] }],
    ["timezone", { timezone: "Asia/Bangkok" }],
  ];
  it.each(changes)("%s is locked once a round has opened, free before", (field, change) => {
    expect(check(contest(change), OPENS - MINUTE)).toEqual([]);
    expect(check(contest(change), OPENS)).toEqual([
      {
        field,
        message: ruleMessages.settingLocked(
          ruleMessages.settingLabels[field as keyof typeof ruleMessages.settingLabels],
          formatDateTime(OPENS, TZ),
        ),
      },
    ]);
  });
  it("a round with attempts counts as opened whatever the clock says", () => {
    expect(check(contest({ timeLimitSeconds: 60 }), OPENS - DAY, state({ hasAttempts: true }))).toHaveLength(1);
  });
  it("the title, rules, prizes and minimum prize score stay editable in a running round", () => {
    expect(check(contest({ title: "Mới", rulesMarkdown: "x", prizes: [], minPrizeScore: 3 }), OPENS + DAY)).toEqual([]);
  });
});

describe("prize tiers", () => {
  it("cannot change between a round's close and the freeze that stores them", () => {
    const now = CLOSES + 1000;
    expect(check(contest({ prizes: [] }), now)).toEqual([{ field: "prizes", message: ruleMessages.prizesBeingFrozen(1, "prizes") }]);
    expect(check(contest({ minPrizeScore: 1 }), now)).toEqual([
      { field: "minPrizeScore", message: ruleMessages.prizesBeingFrozen(1, "minPrizeScore") },
    ]);
    expect(check(contest({ prizes: [] }), now, state({ resultsFrozen: true }))).toEqual([]);
  });
});

describe("a new contest", () => {
  it("may bring rounds that are already over (imported after it ran)", () => {
    expect(checkContestChange({ before: null, after: contest(), now: CLOSES + 365 * DAY, bankSizes: banks })).toEqual([]);
  });
});

describe("a minimum prize score (ranking)", () => {
  it("passes over entries below it and gives their prize further down", async () => {
    const { rankRound } = await import("~/domain/ranking");
    const attempt = (userId: string, score: number, durationMs: number) => ({
      attemptId: userId,
      userId,
      score,
      maxScore: 10,
      correctCount: score,
      prediction: 3,
      durationMs,
      finalizedAt: durationMs,
    });
    // d abandoned the quiz at 0 points: without a minimum, the last Giải Nhì is theirs.
    const attempts = [attempt("a", 9, 500), attempt("b", 2, 400), attempt("c", 1, 300), attempt("d", 0, 100)];
    const prizes = [
      { name: "Nhất", count: 1 },
      { name: "Nhì", count: 3 },
    ];
    const prizeOf = (minPrizeScore: number | null) =>
      rankRound({ attempts, prizes, minPrizeScore }).entries.map((e) => [e.userId, e.prize]);
    expect(prizeOf(null)).toEqual([
      ["a", "Nhất"],
      ["b", "Nhì"],
      ["c", "Nhì"],
      ["d", "Nhì"],
    ]);
    expect(prizeOf(1)).toEqual([
      ["a", "Nhất"],
      ["b", "Nhì"],
      ["c", "Nhì"],
      ["d", null],
    ]);
    expect(prizeOf(2)).toEqual([
      ["a", "Nhất"],
      ["b", "Nhì"],
      ["c", null],
      ["d", null],
    ]);
  });
});
