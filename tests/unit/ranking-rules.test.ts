/**
 * Issue 16, "the ranking rules, settled" (docs/decisions/012-ranking-rules-settled.md): the cases
 * the rules were silent on, each on hand-made data whose expected outcome is worked out by hand.
 */
import { describe, expect, it } from "vitest";
import {
  assignPrizes,
  orderUnits,
  rankLabel,
  rankOverall,
  rankRound,
  rankUnits,
  sharedRanks,
  type RankableAttempt,
} from "~/domain/ranking";

const T0 = Date.UTC(2026, 9, 1, 3, 0);
let counter = 0;
function att(userId: string, fields: Partial<RankableAttempt> = {}): RankableAttempt {
  return {
    attemptId: `${userId}-a${++counter}`,
    userId,
    score: 5,
    maxScore: 10,
    correctCount: 5,
    prediction: null,
    durationMs: 600_000,
    finalizedAt: T0,
    ...fields,
  };
}
const e = (userId: string, score: number, predictionDistance = 0, durationMs = 600_000, finalizedAt = T0) => ({
  userId,
  score,
  predictionDistance,
  durationMs,
  finalizedAt,
});

describe("1. overall ranking: ties favour taking part", () => {
  it("on equal totals, more rounds taken wins even against smaller summed tie-breaks", () => {
    // a: one round of 10, no distance, 1 minute. b: two rounds of 5, distances 40, 20 minutes.
    const overall = rankOverall([[e("a", 10, 0, 60_000), e("b", 5, 20, 600_000)], [e("b", 5, 20, 600_000)]]);
    expect(overall.map((o) => [o.userId, o.rank, o.totalScore, o.rounds])).toEqual([
      ["b", 1, 10, 2],
      ["a", 2, 10, 1],
    ]);
  });

  it("then summed distances, then summed durations, then the earliest LAST finalization", () => {
    // x and y: same totals, rounds, distances, durations; x finished round 1 early but round 2 last.
    const overall = rankOverall([
      [e("x", 5, 1, 100, T0 - 1_000_000), e("y", 5, 1, 100, T0)],
      [e("x", 5, 1, 100, T0 + 20), e("y", 5, 1, 100, T0 + 10)],
    ]);
    expect(overall.map((o) => [o.userId, o.rank, o.finalizedAt])).toEqual([
      ["y", 1, T0 + 10],
      ["x", 2, T0 + 20],
    ]);
  });

  it("a total below another's is never saved by more rounds", () => {
    const overall = rankOverall([[e("one", 9)], [e("two", 4)], [e("two", 4)]]);
    expect(overall.map((o) => o.userId)).toEqual(["one", "two"]);
  });
});

describe("2. complete ties share the rank, and a draw decides a prize boundary", () => {
  it("sharedRanks: 1, 2, 2, 4 and the label '2='", () => {
    expect(sharedRanks([10, 8, 8, 5], (a, b) => a === b)).toEqual([1, 2, 2, 4]);
    expect(rankLabel(2, true)).toBe("2=");
    expect(rankLabel(4, false)).toBe("4");
  });

  it("members equal on every criterion share the rank; a difference in any criterion separates them", () => {
    const attempts = [att("z", { score: 9 }), att("b", { score: 8 }), att("a", { score: 8 }), att("c", { score: 8, durationMs: 600_001 })];
    const { entries } = rankRound({ attempts });
    expect(entries.map((x) => [x.userId, x.rank, x.position])).toEqual([
      ["z", 1, 1],
      ["a", 2, 2],
      ["b", 2, 3],
      ["c", 4, 4],
    ]);
  });

  it("a criterion outside the contest's order does not separate: without duration, duration differences tie", () => {
    const attempts = [att("a", { durationMs: 1 }), att("b", { durationMs: 999_999 })];
    expect(rankRound({ attempts, order: ["score", "prediction", "finishedAt"] }).entries.map((x) => x.rank)).toEqual([1, 1]);
    expect(rankRound({ attempts }).entries.map((x) => x.rank)).toEqual([1, 2]);
  });

  it("a shared rank inside one prize gets it for everyone in the group", () => {
    const attempts = [att("a", { score: 9 }), att("b", { score: 9 }), att("c", { score: 8 })];
    const { entries } = rankRound({ attempts, prizes: [{ name: "Nhất", count: 3 }] });
    expect(entries.map((x) => [x.userId, x.rank, x.prize, x.drawPending])).toEqual([
      ["a", 1, "Nhất", false],
      ["b", 1, "Nhất", false],
      ["c", 3, "Nhất", false],
    ]);
  });

  it("a shared rank straddling a prize boundary is held undecided (its slots reserved) until a draw", () => {
    const attempts = [att("a", { score: 9 }), att("b", { score: 8 }), att("c", { score: 8 }), att("d", { score: 7 })];
    const prizes = [
      { name: "Nhất", count: 1 },
      { name: "Nhì", count: 1 },
      { name: "Ba", count: 1 },
    ];
    const pending = rankRound({ attempts, prizes }).entries;
    expect(pending.map((x) => [x.userId, x.rank, x.prize, x.drawPending])).toEqual([
      ["a", 1, "Nhất", false],
      ["b", 2, null, true],
      ["c", 2, null, true],
      ["d", 4, null, false], // the group holds Nhì and Ba
    ]);
    // The draw put c first: c takes Nhì, b Ba; both still rank "2=", and d gets nothing.
    const decided = rankRound({ attempts, prizes, draws: [["c", "b"]] }).entries;
    expect(decided.map((x) => [x.userId, x.rank, x.prize, x.drawPending, x.drawPlace])).toEqual([
      ["a", 1, "Nhất", false, null],
      ["b", 2, "Ba", false, 2],
      ["c", 2, "Nhì", false, 1],
      ["d", 4, null, false, null],
    ]);
  });

  it("the last prize slot shared by a group of three: a draw gives it to one, the others get nothing", () => {
    const ranked = [
      { userId: "a", rank: 1 },
      { userId: "b", rank: 2 },
      { userId: "c", rank: 2 },
      { userId: "d", rank: 2 },
    ];
    const tiers = [{ name: "KK", count: 2 }];
    expect(assignPrizes(ranked, tiers).map((x) => [x.userId, x.prize, x.drawPending])).toEqual([
      ["a", "KK", false],
      ["b", null, true],
      ["c", null, true],
      ["d", null, true],
    ]);
    expect(assignPrizes(ranked, tiers, new Set(), null, [["d", "b", "c"]]).map((x) => [x.userId, x.prize])).toEqual([
      ["a", "KK"],
      ["b", null],
      ["c", null],
      ["d", "KK"],
    ]);
  });

  it("a draw for a different group (a member since disqualified) no longer applies", () => {
    const ranked = [
      { userId: "b", rank: 1 },
      { userId: "c", rank: 1 },
    ];
    const out = assignPrizes(ranked, [{ name: "Nhất", count: 1 }], new Set(), null, [["b", "c", "x"]]);
    expect(out.map((x) => x.drawPending)).toEqual([true, true]);
  });

  it("with one prize per person, an earlier winner in the group is passed over and the rest may fit", () => {
    const ranked = [
      { userId: "a", rank: 1 },
      { userId: "b", rank: 1 },
    ];
    expect(assignPrizes(ranked, [{ name: "Nhất", count: 1 }], new Set(["a"])).map((x) => [x.userId, x.prize, x.drawPending])).toEqual([
      ["a", null, false],
      ["b", "Nhất", false],
    ]);
  });
});

describe("3. perfect-score target counts members with any perfect attempt", () => {
  it("members with a perfect attempt count once each, not once per attempt", () => {
    // m and n have a perfect attempt (n two of them, counted once); o never does.
    const attempts = [att("m", { score: 10 }), att("n", { score: 10 }), att("n", { score: 10, durationMs: 1 }), att("o", { score: 9 })];
    const result = rankRound({ attempts, target: "perfect-scores" });
    expect(result.actual).toBe(2);
    expect(result.participants).toBe(3);
  });

  it("counts a perfect attempt of a disqualified member and the target stays put", () => {
    const attempts = [att("m", { score: 10, prediction: 2 }), att("n", { score: 10, prediction: 1 }), att("o", { score: 3 })];
    const all = rankRound({ attempts, target: "perfect-scores" });
    const without = rankRound({ attempts, target: "perfect-scores", disqualified: new Set(["m"]) });
    expect([all.actual, without.actual, without.participants]).toEqual([2, 2, 3]);
    expect(without.entries.map((x) => [x.userId, x.predictionDistance])).toEqual([
      ["n", 1],
      ["o", 2],
    ]);
  });

  it("an attempt with a perfect score on a smaller maximum still counts (score equals its maximum)", () => {
    const attempts = [att("m", { score: 7, maxScore: 7 }), att("m", { score: 9, maxScore: 10 })];
    expect(rankRound({ attempts, target: "perfect-scores" }).actual).toBe(1);
  });
});

describe("4. collective prizes", () => {
  it("units tie on participants → higher average → more branches represented → name", () => {
    const rows = [
      { unitId: "d-z", name: "Xã Zê", participants: 3, averageScore: 6, branchesRepresented: 2 },
      { unitId: "d-b", name: "Bảo Lộc", participants: 3, averageScore: 6, branchesRepresented: 2 },
      { unitId: "d-c", name: "Cát Tiên", participants: 3, averageScore: 6, branchesRepresented: 3 },
      { unitId: "d-a", name: "Âu", participants: 3, averageScore: 7, branchesRepresented: 1 },
      { unitId: "d-x", name: "Đà Lạt", participants: 4, averageScore: 1, branchesRepresented: 1 },
    ];
    expect(orderUnits(rows, "participants").map((u) => [u.rank, u.unitId])).toEqual([
      [1, "d-x"],
      [2, "d-a"],
      [3, "d-c"],
      [4, "d-b"],
      [5, "d-z"],
    ]);
  });

  it("the average is per round taken: a member's two rounds count twice in the average, once as a participant", () => {
    // Unit A: m took rounds 1 and 2 (10 and 10), n took round 1 (4) → 2 participants, average 8
    // (not (20 + 4) / 2 = 12 of totals). Unit B: p, q one round each (9, 9) → 2, average 9.
    const entries = [
      { unitId: "A", userId: "m", branchId: "a1", score: 10 },
      { unitId: "A", userId: "m", branchId: "a1", score: 10 },
      { unitId: "A", userId: "n", branchId: "a2", score: 4 },
      { unitId: "B", userId: "p", branchId: "b1", score: 9 },
      { unitId: "B", userId: "q", branchId: "b1", score: 9 },
    ];
    expect(rankUnits(entries).map((u) => [u.rank, u.unitId, u.participants, u.averageScore, u.branchesRepresented])).toEqual([
      [1, "B", 2, 9, 1],
      [2, "A", 2, 8, 2],
    ]);
  });

  it("disqualified members are not in the entries (rankRound leaves them out), so units count only ranked members", () => {
    const attempts = [att("m", { score: 10 }), att("n", { score: 2 })];
    const ranked = rankRound({ attempts, disqualified: new Set(["m"]) }).entries;
    expect(rankUnits(ranked.map((x) => ({ unitId: "A", userId: x.userId, score: x.score })))).toMatchObject([
      { unitId: "A", participants: 1, averageScore: 2 },
    ]);
  });
});
