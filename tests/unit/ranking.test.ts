/**
 * PRODUCT.md "Ranking within a round", "Overall ranking" and "Prizes", rule by rule, on hand-made
 * attempts whose expected order is worked out by hand.
 */
import { describe, expect, it } from "vitest";
import type { RankingCriterion } from "../../db/schema";
import {
  assignPrizes,
  bestAttemptPerMember,
  DEFAULT_RANKING,
  orderUnits,
  predictionActual,
  predictionDistance,
  rankOverall,
  rankRound,
  rankUnits,
  type RankableAttempt,
} from "~/domain/ranking";

const T0 = Date.UTC(2024, 9, 1, 3, 0);
let counter = 0;

/** A finalized attempt; by default 5/10, no prediction, 10 minutes, finalized at T0. */
function att(userId: string, fields: Partial<RankableAttempt> = {}): RankableAttempt {
  return {
    attemptId: fields.attemptId ?? `${userId}-a${++counter}`,
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

const users = (entries: { userId: string }[]) => entries.map((e) => e.userId);

const TIERS = [
  { name: "Giải Nhất", count: 1 },
  { name: "Giải Nhì", count: 2 },
  { name: "Giải Ba", count: 3 },
];

describe("predictionDistance / predictionActual", () => {
  it("is the absolute difference; no prediction counts as predicting 0", () => {
    expect(predictionDistance(120, 100)).toBe(20);
    expect(predictionDistance(80, 100)).toBe(20);
    expect(predictionDistance(100, 100)).toBe(0);
    expect(predictionDistance(null, 100)).toBe(100);
    expect(predictionDistance(0, 100)).toBe(100);
  });

  it("counts members for 'participants' and members with a perfect attempt for 'perfect-scores'", () => {
    const attempts = [
      { userId: "a", score: 10, maxScore: 10 },
      { userId: "a", score: 10, maxScore: 10 },
      { userId: "b", score: 9, maxScore: 10 },
      { userId: "c", score: 7, maxScore: 7 },
    ];
    expect(predictionActual("participants", attempts)).toBe(3);
    expect(predictionActual("perfect-scores", attempts)).toBe(2);
  });
});

describe("each member's best attempt", () => {
  it("keeps the higher score even when the other attempt is better on every tie-break", () => {
    const worse = att("m", { score: 6, prediction: 2, durationMs: 1_000, finalizedAt: T0 });
    const better = att("m", { score: 7, prediction: 500, durationMs: 900_000, finalizedAt: T0 + 1_000_000 });
    const { best, actual } = bestAttemptPerMember([worse, better, att("n")], DEFAULT_RANKING);
    expect(actual).toBe(2);
    expect(best.get("m")).toBe(better);
    expect(best.size).toBe(2);
  });

  it("on equal scores keeps the prediction closer to the number of members", () => {
    // Three members take part: actual = 3. Prediction 4 is 1 away, prediction 9 is 6 away.
    const far = att("m", { prediction: 9, durationMs: 1_000, finalizedAt: T0 });
    const near = att("m", { prediction: 4, durationMs: 900_000, finalizedAt: T0 + 5_000 });
    const { best, actual } = bestAttemptPerMember([far, near, att("n"), att("o")], DEFAULT_RANKING);
    expect(actual).toBe(3);
    expect(best.get("m")).toBe(near);
  });

  it("then the shorter duration, then the earlier finalization", () => {
    const slow = att("m", { prediction: 1, durationMs: 500_000, finalizedAt: T0 });
    const fast = att("m", { prediction: 1, durationMs: 400_000, finalizedAt: T0 + 9_000 });
    expect(bestAttemptPerMember([slow, fast], DEFAULT_RANKING).best.get("m")).toBe(fast);

    const late = att("m", { prediction: 1, finalizedAt: T0 + 1 });
    const early = att("m", { prediction: 1, finalizedAt: T0 });
    expect(bestAttemptPerMember([late, early], DEFAULT_RANKING).best.get("m")).toBe(early);
  });

  it("follows the contest's own order: without duration, the earlier finalization wins", () => {
    const shortButLate = att("m", { prediction: 1, durationMs: 100_000, finalizedAt: T0 + 60_000 });
    const longButEarly = att("m", { prediction: 1, durationMs: 900_000, finalizedAt: T0 });
    expect(bestAttemptPerMember([shortButLate, longButEarly], DEFAULT_RANKING).best.get("m")).toBe(shortButLate);
    expect(bestAttemptPerMember([shortButLate, longButEarly], ["score", "prediction", "finishedAt"]).best.get("m")).toBe(longButEarly);
  });

  it("ranks one entry per member with their best attempt", () => {
    const { entries, actual } = rankRound({
      attempts: [att("m", { score: 3 }), att("n", { score: 4 }), att("m", { score: 8, attemptId: "m-best" }), att("m", { score: 6 })],
    });
    expect(actual).toBe(2);
    expect(entries.map((e) => [e.userId, e.attemptId, e.score, e.rank])).toEqual([
      ["m", "m-best", 8, 1],
      ["n", expect.any(String), 4, 2],
    ]);
  });
});

describe("tie-breaks within a round, in order", () => {
  it("1. higher score first, whatever the other criteria", () => {
    const { entries } = rankRound({
      attempts: [
        att("low", { score: 4, prediction: 3, durationMs: 1_000, finalizedAt: T0 - 1_000 }),
        att("high", { score: 9, prediction: 999, durationMs: 1_200_000, finalizedAt: T0 + 1_000 }),
        att("mid", { score: 6 }),
      ],
    });
    expect(users(entries)).toEqual(["high", "mid", "low"]);
    expect(entries.map((e) => e.rank)).toEqual([1, 2, 3]);
  });

  it("2. prediction closer to the actual participants, who include disqualified members", () => {
    // Four members took part (dq had two attempts and is disqualified): actual = 4, not 3.
    const attempts = [
      att("a", { prediction: 3, durationMs: 100_000 }), // 1 away from 4 (0 away from 3)
      att("b", { prediction: 4, durationMs: 900_000 }), // 0 away from 4 (1 away from 3)
      att("c", { prediction: 10, durationMs: 50_000 }), // 6 away
      att("dq", { score: 9, prediction: 4 }),
      att("dq", { score: 2, prediction: 4 }),
    ];
    const { entries, actual } = rankRound({ attempts, disqualified: new Set(["dq"]) });
    expect(actual).toBe(4);
    expect(users(entries)).toEqual(["b", "a", "c"]);
    expect(entries.map((e) => e.predictionDistance)).toEqual([0, 1, 6]);
  });

  it("2. the prediction decides before the duration", () => {
    const { entries } = rankRound({
      attempts: [att("quick", { prediction: 5, durationMs: 1_000 }), att("close", { prediction: 2, durationMs: 1_000_000 })],
    });
    // actual = 2: "close" is 0 away, "quick" 3 away.
    expect(users(entries)).toEqual(["close", "quick"]);
  });

  it("3. shorter duration when score and prediction distance are equal, before finalization time", () => {
    // actual = 3; predictions 1 and 5 are both 2 away, 3 is 0 away but scored less.
    const { entries } = rankRound({
      attempts: [
        att("slow", { prediction: 1, durationMs: 700_000, finalizedAt: T0 }),
        att("fast", { prediction: 5, durationMs: 300_000, finalizedAt: T0 + 3_600_000 }),
        att("weak", { score: 4, prediction: 3, durationMs: 1_000 }),
      ],
    });
    expect(users(entries)).toEqual(["fast", "slow", "weak"]);
    expect(entries.map((e) => e.predictionDistance)).toEqual([2, 2, 0]);
  });

  it("4. earlier finalization when everything else is equal", () => {
    const { entries } = rankRound({
      attempts: [
        att("later", { prediction: 3, finalizedAt: T0 + 2 }),
        att("earliest", { prediction: 3, finalizedAt: T0 }),
        att("middle", { prediction: 3, finalizedAt: T0 + 1 }),
      ],
    });
    expect(users(entries)).toEqual(["earliest", "middle", "later"]);
  });

  it("a contest's order without duration: [score, prediction, finishedAt]", () => {
    const attempts = [
      att("short-late", { prediction: 2, durationMs: 100_000, finalizedAt: T0 + 60_000 }),
      att("long-early", { prediction: 2, durationMs: 900_000, finalizedAt: T0 }),
    ];
    expect(users(rankRound({ attempts }).entries)).toEqual(["short-late", "long-early"]);
    const order: RankingCriterion[] = ["score", "prediction", "finishedAt"];
    expect(users(rankRound({ attempts, order }).entries)).toEqual(["long-early", "short-late"]);
  });

  it("predictionTarget 'perfect-scores': actual = members whose best score is the maximum", () => {
    // a's best is 10 (also has a 6), b 10, c's best is 9, dq 10 but disqualified: actual = 3.
    const attempts = [
      att("a", { score: 6, prediction: 3 }),
      att("a", { score: 10, prediction: 3, durationMs: 900_000 }),
      att("b", { score: 10, prediction: 5, durationMs: 100_000 }),
      att("c", { score: 9, prediction: 3 }),
      att("c", { score: 2, prediction: 3 }),
      att("dq", { score: 10, prediction: 3 }),
    ];
    const perfect = rankRound({ attempts, target: "perfect-scores", disqualified: new Set(["dq"]) });
    expect(perfect.actual).toBe(3);
    expect(users(perfect.entries)).toEqual(["a", "b", "c"]);
    expect(perfect.entries.map((e) => e.predictionDistance)).toEqual([0, 2, 0]);

    // The same attempts predicting participants (4 members): b (1 away) before a (1 away) by duration.
    const participants = rankRound({ attempts, target: "participants", disqualified: new Set(["dq"]) });
    expect(participants.actual).toBe(4);
    expect(users(participants.entries)).toEqual(["b", "a", "c"]);
  });

  it("a null prediction counts as predicting 0", () => {
    // actual = 4: null is 4 away, 2 is 2 away, 9 is 5 away, 0 is 4 away (tied with null).
    const { entries } = rankRound({
      attempts: [
        att("far", { prediction: 9 }),
        att("none", { prediction: null, durationMs: 500_000 }),
        att("near", { prediction: 2 }),
        att("zero", { prediction: 0, durationMs: 400_000 }),
      ],
    });
    expect(users(entries)).toEqual(["near", "zero", "none", "far"]);
    expect(entries.map((e) => e.predictionDistance)).toEqual([2, 4, 4, 5]);
  });

  it("leaves disqualified members out and closes up the ranks", () => {
    const attempts = ["a", "b", "c", "d", "e"].map((u, i) => att(u, { score: 10 - i }));
    const all = rankRound({ attempts });
    expect(users(all.entries)).toEqual(["a", "b", "c", "d", "e"]);
    const without = rankRound({ attempts, disqualified: new Set(["b", "d"]) });
    expect(without.entries.map((e) => [e.userId, e.rank])).toEqual([
      ["a", 1],
      ["c", 2],
      ["e", 3],
    ]);
    expect(without.actual).toBe(all.actual);
  });

  it("gives a stable listing: identical attempts share rank 1, listed by member id whatever the input order", () => {
    const attempts = ["q", "c", "x", "a"].map((u) => att(u));
    const forward = rankRound({ attempts }).entries;
    const backward = rankRound({ attempts: [...attempts].reverse() }).entries;
    expect(users(forward)).toEqual(["a", "c", "q", "x"]);
    expect(forward.map((e) => [e.rank, e.position])).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
      [1, 4],
    ]);
    expect(backward).toEqual(forward);
  });
});

describe("prizes", () => {
  const eight = ["a", "b", "c", "d", "e", "f", "g", "h"].map((u, i) => att(u, { score: 20 - i, maxScore: 20 }));

  it("gives the tiers down the ranking: 1 Nhất, 2 Nhì, 3 Ba, then nothing", () => {
    const { entries } = rankRound({ attempts: eight, prizes: TIERS });
    expect(entries.map((e) => [e.rank, e.prize])).toEqual([
      [1, "Giải Nhất"],
      [2, "Giải Nhì"],
      [3, "Giải Nhì"],
      [4, "Giải Ba"],
      [5, "Giải Ba"],
      [6, "Giải Ba"],
      [7, null],
      [8, null],
    ]);
  });

  it("with fewer entrants than prizes, the lower tiers stay partly unawarded", () => {
    const { entries } = rankRound({ attempts: eight.slice(0, 4), prizes: TIERS });
    expect(entries.map((e) => e.prize)).toEqual(["Giải Nhất", "Giải Nhì", "Giải Nhì", "Giải Ba"]);
    expect(rankRound({ attempts: [], prizes: TIERS }).entries).toEqual([]);
  });

  it("moves prizes down when a winner is disqualified", () => {
    const { entries } = rankRound({ attempts: eight, prizes: TIERS, disqualified: new Set(["a"]) });
    expect(entries.map((e) => [e.userId, e.prize])).toEqual([
      ["b", "Giải Nhất"],
      ["c", "Giải Nhì"],
      ["d", "Giải Nhì"],
      ["e", "Giải Ba"],
      ["f", "Giải Ba"],
      ["g", "Giải Ba"],
      ["h", null],
    ]);
  });

  it("one prize per person: earlier winners keep their rank but are passed over", () => {
    const { entries } = rankRound({ attempts: eight, prizes: TIERS, alreadyWon: new Set(["a", "c"]) });
    expect(entries.map((e) => [e.userId, e.rank, e.prize])).toEqual([
      ["a", 1, null],
      ["b", 2, "Giải Nhất"],
      ["c", 3, null],
      ["d", 4, "Giải Nhì"],
      ["e", 5, "Giải Nhì"],
      ["f", 6, "Giải Ba"],
      ["g", 7, "Giải Ba"],
      ["h", 8, "Giải Ba"],
    ]);
  });

  it("assignPrizes keeps the entries' other fields and order", () => {
    const out = assignPrizes(
      [
        { userId: "x", n: 1 },
        { userId: "y", n: 2 },
        { userId: "z", n: 3 },
      ],
      [{ name: "KK", count: 2 }],
      new Set(["x"]),
    );
    expect(out).toEqual([
      { userId: "x", n: 1, prize: null, drawPending: false, drawPlace: null },
      { userId: "y", n: 2, prize: "KK", drawPending: false, drawPlace: null },
      { userId: "z", n: 3, prize: "KK", drawPending: false, drawPlace: null },
    ]);
  });
});

describe("overall ranking across rounds", () => {
  const e = (userId: string, score: number, predictionDistance = 0, durationMs = 600_000, finalizedAt = T0) => ({
    userId,
    score,
    predictionDistance,
    durationMs,
    finalizedAt,
  });

  it("sums each member's round scores and counts their rounds; fewer rounds can still win on points", () => {
    const overall = rankOverall([[e("a", 8), e("b", 6), e("c", 10)], [e("a", 7), e("b", 9)], [e("d", 16)]]);
    expect(overall.map((o) => [o.userId, o.rank, o.totalScore, o.rounds])).toEqual([
      ["d", 1, 16, 1],
      ["a", 2, 15, 2],
      ["b", 2, 15, 2], // equal on every criterion: a shared rank
      ["c", 4, 10, 1],
    ]);
  });

  it("breaks equal totals by summed prediction distances, then durations, then the earliest last finalization", () => {
    const rounds = [
      [e("p", 5, 3, 100, T0), e("q", 5, 1, 900, T0 + 50), e("r", 5, 2, 500, T0), e("s", 5, 2, 500, T0)],
      [e("p", 5, 0, 100, T0), e("q", 5, 1, 900, T0 + 50), e("r", 5, 2, 400, T0 + 10), e("s", 5, 2, 400, T0 + 5)],
    ];
    // distances: p 3, q 2, r 4, s 4; durations r = s = 900; last finalization r = T0+10 > s = T0+5.
    const overall = rankOverall(rounds);
    expect(overall.map((o) => o.userId)).toEqual(["q", "p", "s", "r"]);
    expect(overall.find((o) => o.userId === "q")).toMatchObject({
      totalScore: 10,
      predictionDistance: 2,
      durationMs: 1800,
      finalizedAt: T0 + 50,
      rounds: 2,
    });
  });

  it("breaks equal totals and distances by summed durations before finalization", () => {
    const overall = rankOverall([
      [e("slow", 5, 1, 800, T0 - 10_000), e("fast", 5, 1, 200, T0 + 10_000)],
      [e("slow", 5, 1, 800, T0), e("fast", 5, 1, 300, T0)],
    ]);
    expect(overall.map((o) => o.userId)).toEqual(["fast", "slow"]);
    // The same contest without duration goes by finalization time.
    expect(
      rankOverall([[e("slow", 5, 1, 800, T0 - 10_000), e("fast", 5, 1, 200, T0 + 10_000)]], ["score", "prediction", "finishedAt"]).map(
        (o) => o.userId,
      ),
    ).toEqual(["slow", "fast"]);
  });

  it("lists positions 1..n with no gaps, complete ties share the rank, and is empty without rounds", () => {
    expect(rankOverall([])).toEqual([]);
    const overall = rankOverall([[e("a", 1), e("b", 1), e("c", 1)]]);
    expect(overall.map((o) => o.rank)).toEqual([1, 1, 1]);
    expect(overall.map((o) => o.position)).toEqual([1, 2, 3]);
    expect(overall.map((o) => o.userId)).toEqual(["a", "b", "c"]);
  });
});

describe("units", () => {
  const entries = [
    { unitId: "u-a", score: 10 },
    { unitId: "u-a", score: 2 },
    { unitId: "u-a", score: 3 }, // 3 participants, average 5
    { unitId: "u-b", score: 9 },
    { unitId: "u-b", score: 7 }, // 2, average 8
    { unitId: "u-c", score: 4 },
    { unitId: "u-c", score: 8 }, // 2, average 6
    { unitId: "u-d", score: 8 }, // 1, average 8
  ];

  it("rankUnits by participants: more participants first, ties by higher average", () => {
    const ranked = rankUnits(entries, "participants");
    expect(ranked.map((u) => [u.rank, u.unitId, u.participants, u.totalScore, u.averageScore])).toEqual([
      [1, "u-a", 3, 15, 5],
      [2, "u-b", 2, 16, 8],
      [3, "u-c", 2, 12, 6],
      [4, "u-d", 1, 8, 8],
    ]);
    expect(rankUnits(entries)).toEqual(ranked);
  });

  it("rankUnits by average: higher average first, ties by more participants", () => {
    expect(rankUnits(entries, "average").map((u) => [u.rank, u.unitId])).toEqual([
      [1, "u-b"],
      [2, "u-d"],
      [3, "u-c"],
      [4, "u-a"],
    ]);
  });

  it("orderUnits ranks aggregated rows, keeps their fields, and orders full ties by id", () => {
    const rows = [
      { unitId: "z", name: "Zeta", participants: 4, averageScore: 5 },
      { unitId: "m", name: "Mu", participants: 4, averageScore: 5 },
      { unitId: "k", name: "Kappa", participants: 9, averageScore: 1 },
      { unitId: "b", name: "Beta", participants: 2, averageScore: 7.5 },
    ];
    expect(orderUnits(rows, "participants").map((u) => [u.rank, u.unitId, u.name])).toEqual([
      [1, "k", "Kappa"],
      [2, "m", "Mu"],
      [3, "z", "Zeta"],
      [4, "b", "Beta"],
    ]);
    expect(orderUnits(rows, "average").map((u) => u.unitId)).toEqual(["b", "m", "z", "k"]);
    expect(rows.map((r) => r.unitId)).toEqual(["z", "m", "k", "b"]); // the input is not reordered
  });
});
