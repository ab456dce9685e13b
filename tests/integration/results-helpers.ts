/**
 * Shared by the results and judges integration tests: a contest with prizes and two weekly rounds,
 * attempts taken through the real attempt functions (so that re-scoring finds them consistent),
 * and an independent check of a stored round ranking against PRODUCT.md's rules.
 */
import { and, asc, eq, getTableColumns, ne, sql } from "drizzle-orm";
import { expect } from "vitest";
import { saveAnswer, startAttempt, submitAttempt } from "~/.server/attempts.server";
import type { Contest } from "~/domain/content/contest";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import type { Db } from "../../db/client";
import {
  attempts,
  disqualifications,
  roundResults,
  rounds,
  users,
  type PredictionTarget,
  type RankingCriterion,
  type Role,
} from "../../db/schema";
import { CLOSES_AT, contest, DAY, MINUTE, OPENS_AT, storedItems } from "./helpers";

export { ANSWER_GRACE_MS };

export const TIERS = [
  { name: "Giải Nhất", count: 1 },
  { name: "Giải Nhì", count: 2 },
  { name: "Giải Ba", count: 3 },
];
/** The prize of each position down the ranking: 1 Nhất, 2 Nhì, 3 Ba. */
export const SLOTS = TIERS.flatMap((tier) => Array.from({ length: tier.count }, () => tier.name));

export const ROUND2_OPENS_AT = CLOSES_AT;
export const ROUND2_CLOSES_AT = CLOSES_AT + 7 * DAY;
/** The first instant at which a closed round is frozen by the sweep. */
export const FREEZE_1 = CLOSES_AT + ANSWER_GRACE_MS + 1;
export const FREEZE_2 = ROUND2_CLOSES_AT + ANSWER_GRACE_MS + 1;

/** Contest c1 with the prize tiers above, two attempts per round, and two weekly rounds. */
export function resultsContest(overrides: Partial<Contest> = {}): Contest {
  const base = contest();
  const round1 = base.rounds[0]!;
  return contest({
    prizes: TIERS,
    attemptsPerRound: 2,
    rounds: [round1, { ...round1, number: 2, title: "Vòng 2", opensAt: ROUND2_OPENS_AT, closesAt: ROUND2_CLOSES_AT }],
    ...overrides,
  });
}

export function setRole(db: Db, userId: string, role: Role) {
  db.update(users).set({ role }).where(eq(users.id, userId)).run();
}

export function phoneOf(db: Db, userId: string): string {
  return db.select({ phone: users.phone }).from(users).where(eq(users.id, userId)).get()!.phone;
}

/**
 * Takes a round through the real functions: starts at `startAt`, answers (every question right,
 * none, or only the first 1-point single-answer question), submits at `finishAt` with the
 * prediction. With `finishAt` null the attempt is left in progress.
 */
export function takeRound(
  db: Db,
  {
    roundId,
    userId,
    startAt,
    finishAt,
    prediction,
    answers,
  }: {
    roundId: number;
    userId: string;
    startAt: number;
    finishAt: number | null;
    prediction: number | null;
    answers: "all" | "none" | "one";
  },
): string {
  const { attemptId } = startAttempt(db, { roundId, userId, now: startAt });
  const items = storedItems(db, attemptId);
  const chosenItems = answers === "all" ? items : answers === "one" ? [items.find((i) => i.points === 1 && !i.multipleAnswers)!] : [];
  chosenItems.forEach((item, k) =>
    saveAnswer(db, { attemptId, userId, position: item.position, chosen: item.correct, now: startAt + (k + 1) * 1000 }),
  );
  if (answers === "none")
    saveAnswer(db, { attemptId, userId, position: items[0]!.position, chosen: [items[0]!.wrong[0]!], now: startAt + 1000 });
  if (finishAt !== null) {
    const outcome = submitAttempt(db, { attemptId, userId, now: finishAt, prediction, confirmUnanswered: true });
    expect(outcome.kind).toBe("finalized");
  }
  return attemptId;
}

/** A start time inside round 1, `hours` after it opens. */
export const inRound1 = (hours: number) => OPENS_AT + hours * 60 * MINUTE;
export const inRound2 = (hours: number) => ROUND2_OPENS_AT + hours * 60 * MINUTE;

/**
 * The round's stored ranking rows, without the storage version (docs/decisions/020): it counts the
 * stores, so "stored again, identical" compares everything else.
 */
export function storedRows(db: Db, roundId: number) {
  const { version: _version, ...columns } = getTableColumns(roundResults);
  return db
    .select(columns)
    .from(roundResults)
    .where(eq(roundResults.roundId, roundId))
    .orderBy(asc(roundResults.rank), asc(roundResults.position))
    .all();
}

export function roundRow(db: Db, roundId: number) {
  return db.select().from(rounds).where(eq(rounds.id, roundId)).get()!;
}

/** Members with a finalized attempt in the round, counted by SQL (independently of the ranking code). */
export function participantsBySql(db: Db, roundId: number): number {
  return db
    .select({ n: sql<number>`count(distinct ${attempts.userId})` })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .get()!.n;
}

/** Members with at least one perfect finalized attempt in the round (any attempt), counted by SQL. */
export function perfectScorersBySql(db: Db, roundId: number): number {
  return (
    db.$client
      .prepare("select count(distinct user_id) as n from attempts where round_id = ? and status != 'in_progress' and score = max_score")
      .get(roundId) as { n: number }
  ).n;
}

/** One stored row per member, keyed by user id. */
export function byUser<T extends { userId: string }>(rows: T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.userId, r]));
}

/**
 * Checks a round's stored ranking against the rules, without the ranking code: one row per
 * non-disqualified participant holding their best attempt, ordered by the chain of criteria,
 * ranks 1..n, prediction distances from the SQL count of the target, prizes down the ranking
 * (passing over `alreadyWon`), and each member's units.
 */
export function expectRankingFollowsRules(
  db: Db,
  roundId: number,
  {
    order = ["score", "prediction", "duration", "finishedAt"],
    alreadyWon = new Set<string>(),
    target = "participants",
  }: { order?: RankingCriterion[]; alreadyWon?: Set<string>; target?: PredictionTarget } = {},
) {
  const rows = storedRows(db, roundId);
  const actual = target === "participants" ? participantsBySql(db, roundId) : perfectScorersBySql(db, roundId);
  expect(roundRow(db, roundId)).toMatchObject({ participantCount: participantsBySql(db, roundId), predictionAnswer: actual });

  const finalized = db
    .select()
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .all();
  const excluded = new Set(
    db
      .select()
      .from(disqualifications)
      .where(eq(disqualifications.roundId, roundId))
      .all()
      .map((d) => d.userId),
  );
  const expectedMembers = [...new Set(finalized.map((a) => a.userId))].filter((u) => !excluded.has(u)).sort();
  expect(rows.map((r) => r.userId).sort()).toEqual(expectedMembers);
  expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i + 1));

  const key = (a: { score: number | null; prediction: number | null; durationMs: number | null; finalizedAt: number | null }) =>
    order.map((c) =>
      c === "score"
        ? -(a.score ?? 0)
        : c === "prediction"
          ? Math.abs((a.prediction ?? 0) - actual)
          : c === "duration"
            ? (a.durationMs ?? 0)
            : (a.finalizedAt ?? 0),
    );
  const compareKeys = (x: number[], y: number[]) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return 0;
  };

  const people = new Map(
    db
      .select()
      .from(users)
      .all()
      .map((u) => [u.id, u]),
  );
  let slot = 0;
  rows.forEach((row, i) => {
    const attempt = finalized.find((a) => a.id === row.attemptId);
    expect(attempt, `row ${row.rank} holds a finalized attempt of the round`).toBeDefined();
    expect(attempt!.userId).toBe(row.userId);
    expect(row).toMatchObject({
      score: attempt!.score,
      maxScore: attempt!.maxScore,
      correctCount: attempt!.correctCount,
      prediction: attempt!.prediction,
      durationMs: attempt!.durationMs,
      finalizedAt: attempt!.finalizedAt,
      predictionDistance: Math.abs((attempt!.prediction ?? 0) - actual),
      districtId: people.get(row.userId)!.districtId,
      branchId: people.get(row.userId)!.branchId,
    });
    // No other attempt of the member is better.
    for (const other of finalized.filter((a) => a.userId === row.userId)) {
      expect(compareKeys(key(other), key(attempt!))).toBeGreaterThanOrEqual(0);
    }
    if (i > 0) expect(compareKeys(key(rows[i - 1]!), key(row))).toBeLessThanOrEqual(0);
    // Equal on every criterion: the same (shared) rank; otherwise the rank of its place.
    const tiedWithPrevious = i > 0 && compareKeys(key(rows[i - 1]!), key(row)) === 0;
    expect(row.rank, `rank of position ${row.position}`).toBe(tiedWithPrevious ? rows[i - 1]!.rank : i + 1);
    if (row.drawPending) {
      // A tied group across a prize boundary: its slots are held, its prizes undecided.
      expect(row.prize).toBeNull();
      slot++;
      return;
    }
    const expectedPrize = !alreadyWon.has(row.userId) && slot < SLOTS.length ? SLOTS[slot++]! : null;
    expect(row.prize, `prize of rank ${row.rank}`).toBe(expectedPrize);
  });
  return rows;
}
