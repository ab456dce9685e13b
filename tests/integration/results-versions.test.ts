/**
 * Storing results in short write transactions (docs/decisions/020-results-versions.md): a store
 * writes the new ranking under a version readers do not see yet, a slice per transaction, switches
 * in one tiny transaction and deletes the old rows in slices. Another connection writes between
 * every two of the store's transactions with no busy wait at all (busy_timeout 0): if the store held
 * the write lock across them, that write would fail at once. No timing is measured.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { openDatabase, type Db } from "../../db/client";
import { contestResults, disqualifications, roundResults, rounds } from "../../db/schema";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { freezeClosedRounds, overallLeaderboardPage, roundLeaderboardAll, storeRoundResults } from "~/.server/results.server";
import type { StoreStep } from "~/.server/results/freeze.server";
import { roundIdOf, seedContent, useTestDatabase } from "./helpers";
import { FREEZE_1, resultsContest } from "./results-helpers";

const ctx = useTestDatabase();
const MEMBERS = 120;
const SLICE = 25;
const LATER = FREEZE_1 + 60_000;

let roundId: number;
/** A second connection to the same file, as another process (a cluster worker) would have. */
let other: Db;

beforeEach(() => {
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  expect(generateSyntheticAttempts(ctx.db, { roundId, members: MEMBERS })).toBe(MEMBERS);
  freezeClosedRounds(ctx.db, FREEZE_1);
  other = openDatabase(ctx.path);
  other.$client.pragma("busy_timeout = 0");
});

afterEach(() => other.$client.close());

/** The ranking as a reader sees it, through the other connection. */
const visibleRanking = () => roundLeaderboardAll(other, roundId).map((r) => `${r.rank}:${r.userId}:${r.prize ?? ""}`);
const visibleOverall = () => overallLeaderboardPage(other, "c1", {}, 1, 1000).rows.map((r) => `${r.rankLabel}:${r.userId}`);
/** A tiny write that may not wait for the lock at all. */
const writeNow = () => other.$client.exec("begin immediate; update rounds set title = title where id = -1; commit");
const versionsStored = () =>
  ctx.db.$client.prepare("select distinct version from round_results where round_id = ? order by version").pluck().all(roundId);

/** Disqualifies the top member without storing again (the store under test does that). */
function disqualifyTop(): string {
  const top = roundLeaderboardAll(ctx.db, roundId)[0]!.userId;
  ctx.db.insert(disqualifications).values({ roundId, userId: top, reason: "Thử", byUserId: top, createdAt: LATER }).run();
  return top;
}

describe("a store in short transactions", () => {
  it("writes in slices; another connection writes between every two of them; readers see the old ranking, then the new one, never a mix", () => {
    const before = visibleRanking();
    const overallBefore = visibleOverall();
    expect(before).toHaveLength(MEMBERS);
    const top = disqualifyTop();
    const steps: { step: StoreStep; rows: number; seen: string[] }[] = [];
    storeRoundResults(ctx.db, roundId, LATER, {
      sliceRows: SLICE,
      afterWrite: (step, rows) => {
        writeNow();
        steps.push({ step, rows, seen: visibleRanking() });
      },
    });
    const after = visibleRanking();
    expect(after).toHaveLength(MEMBERS - 1);
    expect(after.some((r) => r.includes(top))).toBe(false);

    // The round, then the overall ranking: each a version number, the writes, one switch, the deletes.
    const names = steps.map((s) => s.step);
    expect(names.filter((s) => s === "switch")).toHaveLength(2);
    expect(names.filter((s) => s === "version")).toHaveLength(2);
    const switchAt = names.indexOf("switch");
    const roundWrites = steps.slice(0, switchAt).filter((s) => s.step === "write");
    expect(roundWrites).toHaveLength(Math.ceil((MEMBERS - 1) / SLICE));
    expect(roundWrites.reduce((n, s) => n + s.rows, 0)).toBe(MEMBERS - 1);
    // No transaction wrote or deleted more than a slice.
    for (const s of steps) expect(s.rows).toBeLessThanOrEqual(SLICE);
    // The round's old rows go after its switch, before the overall ranking's store begins.
    const roundDeletes = steps.slice(switchAt, names.indexOf("version", switchAt)).filter((s) => s.step === "delete-old");
    expect(roundDeletes.reduce((n, s) => n + s.rows, 0)).toBe(MEMBERS);
    expect(roundDeletes.length).toBeGreaterThan(MEMBERS / SLICE);
    // Before the switch every reader saw the whole old ranking; from it on, the whole new one.
    for (const s of steps.slice(0, switchAt)) expect(s.seen).toEqual(before);
    for (const s of steps.slice(switchAt)) expect(s.seen).toEqual(after);
    // Only the new version is left, and the overall ranking followed.
    expect(versionsStored()).toHaveLength(1);
    expect(visibleOverall()).toHaveLength(overallBefore.length - 1);
    expect(ctx.db.$client.prepare("select count(distinct version) from contest_results where contest_id = 'c1'").pluck().get()).toBe(1);
  });

  it("a store that fails half-way removes what it wrote; the old ranking stays visible throughout", () => {
    const before = visibleRanking();
    disqualifyTop();
    let writes = 0;
    const seen: string[][] = [];
    expect(() =>
      storeRoundResults(ctx.db, roundId, LATER, {
        sliceRows: SLICE,
        afterWrite: (step) => {
          seen.push(visibleRanking());
          if (step === "write" && ++writes === 3) throw new Error("the disk is full");
        },
      }),
    ).toThrow("the disk is full");
    for (const ranking of seen) expect(ranking).toEqual(before);
    expect(visibleRanking()).toEqual(before);
    expect(versionsStored()).toHaveLength(1);
    expect(ctx.db.$client.prepare("select count(*) from round_results where round_id = ?").pluck().get(roundId)).toBe(MEMBERS);
    expect(ctx.db.select({ at: rounds.resultsComputedAt }).from(rounds).where(eq(rounds.id, roundId)).get()!.at).toBe(FREEZE_1);
  });

  it("what a store killed half-way left (rows of a version never switched to) is removed by the next store", () => {
    const before = visibleRanking();
    const top = disqualifyTop();
    // The state a killed worker leaves: a newer version begun, 3 slices of it written, never switched to.
    ctx.db.$client.exec(`update rounds set results_writing = results_writing + 1 where id = ${roundId}`);
    ctx.db.$client.exec(
      `insert into round_results select round_id, (select results_writing from rounds where id = ${roundId}), user_id, attempt_id, rank, position,
         score, max_score, correct_count, prediction, prediction_distance, duration_ms, finalized_at, prize, draw_pending, draw_place,
         district_id, branch_id from round_results where round_id = ${roundId} order by rank limit ${3 * SLICE}`,
    );
    expect(versionsStored()).toHaveLength(2);
    expect(visibleRanking()).toEqual(before);

    const steps: StoreStep[] = [];
    storeRoundResults(ctx.db, roundId, LATER, { sliceRows: SLICE, afterWrite: (step) => steps.push(step) });
    expect(steps.filter((s) => s === "clean").length).toBeGreaterThan(1);
    expect(versionsStored()).toHaveLength(1);
    expect(ctx.db.$client.prepare("select count(*) from round_results where round_id = ?").pluck().get(roundId)).toBe(MEMBERS - 1);
    expect(visibleRanking().some((r) => r.includes(top))).toBe(false);
  });

  it("when a newer store begins while one is writing, the newer one's ranking is kept and the older one's rows are removed", () => {
    const top = disqualifyTop();
    let nested = false;
    storeRoundResults(ctx.db, roundId, LATER, {
      sliceRows: SLICE,
      afterWrite: (step) => {
        if (step !== "write" || nested) return;
        nested = true;
        // A judge's reinstatement and its store, while the first store is still writing.
        ctx.db.delete(disqualifications).run();
        storeRoundResults(ctx.db, roundId, LATER + 1);
      },
    });
    // The first store read the disqualification, the second the reinstatement: the second is kept.
    expect(visibleRanking()).toHaveLength(MEMBERS);
    expect(visibleRanking().some((r) => r.includes(top))).toBe(true);
    expect(versionsStored()).toHaveLength(1);
    expect(ctx.db.select().from(roundResults).where(eq(roundResults.roundId, roundId)).orderBy(asc(roundResults.rank)).all()).toHaveLength(
      MEMBERS,
    );
    expect(ctx.db.select().from(contestResults).all()).toHaveLength(MEMBERS);
  });
});
