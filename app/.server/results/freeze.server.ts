/**
 * Freezing results: a round's ranking computed with app/domain/ranking.ts and stored in
 * `round_results`, then the contest's overall ranking in `contest_results`.
 *
 * A 100,000-row store must not hold SQLite's one write lock for seconds (answer saves in the next
 * round wait behind it, docs/decisions/020-results-versions.md). So a store:
 *   1. takes a new version number (one tiny transaction);
 *   2. reads and ranks in a read transaction (a snapshot: no write lock);
 *   3. removes what a crashed earlier store left, then writes its rows under the new version in
 *      slices of SLICE_ROWS, one short transaction each: readers do not see that version yet;
 *   4. switches the round to the new version in one tiny transaction, if no newer store began;
 *   5. deletes the old version's rows in slices.
 * Readers filter on the visible version (./versions.server.ts) and always see one whole ranking.
 */
import { and, asc, eq, gt, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { attempts, branches, contests, disqualifications, districts, rankDraws, rounds, users } from "../../../db/schema";
import type { FrozenPrizeTier } from "../../../db/schema";
import { rankOverall, rankRound, type RankableAttempt, type RankedEntry } from "~/domain/ranking";
import { canFreeze, freezableClosedBefore } from "~/domain/schedule";
import { finalizeOverdueAttempts } from "../attempts.server";
import { prizeTiersOf, roundWithContest, type RoundWithContest } from "../rounds.server";
import { visibleJoinSql } from "./versions.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

/** Rows written or deleted per transaction: 2,000 indexed rows take a few tens of milliseconds. */
export const SLICE_ROWS = 2000;

/** What a store did with the write lock, transaction by transaction (tests and the bench). */
export type StoreStep = "version" | "clean" | "write" | "switch" | "abandon" | "delete-old";

export interface StoreOptions {
  /** Rows per write transaction (tests use a few to make many slices). */
  sliceRows?: number;
  /** Called after each write transaction commits, with what it did and how many rows it touched. */
  afterWrite?: (step: StoreStep, rows: number) => void;
}

/* ---------- computing ---------- */

/**
 * Finalized attempts of a round, as the ranking needs them, with the units each attempt recorded
 * when it started (the member's present units only for an attempt that recorded none): a rename
 * or merge after the round never moves its results. Plain SQL: at 100,000 attempts the query
 * builder's row mapping cost more than the query.
 */
export function rankableAttempts(db: Conn, roundId: number): (RankableAttempt & { districtId: string; branchId: string })[] {
  return db.all(sql`
    select a.id as attemptId, a.user_id as userId, coalesce(a.score, 0) as score, a.max_score as maxScore,
           coalesce(a.correct_count, 0) as correctCount, a.prediction as prediction,
           coalesce(a.duration_ms, 0) as durationMs, coalesce(a.finalized_at, 0) as finalizedAt,
           coalesce(a.district_id, u.district_id) as districtId, coalesce(a.branch_id, u.branch_id) as branchId
    from ${attempts} a join ${users} u on u.id = a.user_id
    where a.round_id = ${roundId} and a.status != 'in_progress'`);
}

function disqualifiedIn(db: Conn, roundId: number): Set<string> {
  return new Set(
    db
      .select({ userId: disqualifications.userId })
      .from(disqualifications)
      .where(eq(disqualifications.roundId, roundId))
      .all()
      .map((d) => d.userId),
  );
}

/**
 * The prize rules a round is judged by: the tiers and minimum score stored when its results were
 * frozen, or (not frozen yet) the contest's current ones. A later edit of the contest's prizes never
 * rewrites a closed round's winners (docs/decisions/008-running-contest-rules.md).
 */
function prizeRulesOf(db: Conn, round: RoundWithContest): { tiers: FrozenPrizeTier[]; minPrizeScore: number | null } {
  if (round.frozenPrizeTiers) {
    return {
      tiers: round.frozenPrizeTiers.map(({ name, count }) => ({ name, count })),
      minPrizeScore: round.frozenPrizeTiers[0]?.minScore ?? null,
    };
  }
  return { tiers: prizeTiersOf(db, round.contestId), minPrizeScore: round.minPrizeScore };
}

/** With one prize per person: who already won in an earlier round of the contest (its visible results). */
function earlierWinners(db: Conn, round: RoundWithContest): Set<string> {
  if (!round.onePrizePerPerson) return new Set();
  return new Set(
    db
      .all<{ userId: string }>(
        sql`select r.user_id as userId from round_results r join ${rounds} ro on ${visibleJoinSql("r", "ro")}
            where ro.contest_id = ${round.contestId} and ro.number < ${round.number} and r.prize is not null`,
      )
      .map((r) => r.userId),
  );
}

/** The judges' recorded draws of a round: each tied group's members in drawn order. */
function drawsOf(db: Conn, roundId: number): string[][] {
  return db
    .select({ members: rankDraws.members })
    .from(rankDraws)
    .where(eq(rankDraws.roundId, roundId))
    .all()
    .map((d) => d.members);
}

/** The round's ranking computed now from its finalized attempts (not stored). */
export function computeRoundRanking(
  db: Conn,
  round: RoundWithContest,
  attempted = rankableAttempts(db, round.id),
): { entries: RankedEntry[]; actual: number; participants: number } {
  const { tiers, minPrizeScore } = prizeRulesOf(db, round);
  return rankRound({
    attempts: attempted,
    order: round.rankingOrder,
    target: round.predictionTarget,
    disqualified: disqualifiedIn(db, round.id),
    // A practice contest's ranking is for information: no prizes, no winners.
    prizes: round.practice ? [] : tiers,
    minPrizeScore,
    alreadyWon: earlierWinners(db, round),
    draws: drawsOf(db, round.id),
  });
}

/**
 * The names of the round's units as they are now, for every finalized attempt's units
 * (disqualified members' too: their export rows name them). Kept the first time the round's results
 * are stored; a later store keeps the names already kept, so renames never reach the past.
 */
function unitNamesNow(db: Conn, roundId: number) {
  const rows: { kind: "district" | "branch"; unitId: string; name: string; districtId: string | null }[] = [];
  for (const [kind, unitColumn, table, parent] of [
    ["district", sql`coalesce(a.district_id, u.district_id)`, districts, sql`null`],
    ["branch", sql`coalesce(a.branch_id, u.branch_id)`, branches, sql`coalesce(a.district_id, u.district_id)`],
  ] as const) {
    rows.push(
      ...db.all<{ kind: "district" | "branch"; unitId: string; name: string; districtId: string | null }>(sql`
        select distinct ${kind} as kind, x.id as unitId, x.name as name, ${parent} as districtId
        from ${attempts} a join ${users} u on u.id = a.user_id join ${table} x on x.id = ${unitColumn}
        where a.round_id = ${roundId} and a.status != 'in_progress'`),
    );
  }
  return rows;
}

/* ---------- storing in slices ---------- */

type Target = {
  table: "round_results" | "contest_results";
  owner: "rounds" | "contests";
  key: "round_id" | "contest_id";
  id: number | string;
};

function roundTarget(roundId: number): Target {
  return { table: "round_results", owner: "rounds", key: "round_id", id: roundId };
}

function contestTarget(contestId: string): Target {
  return { table: "contest_results", owner: "contests", key: "contest_id", id: contestId };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * One short write transaction, reported to `afterWrite` once committed, then a pause as long as it
 * held the lock (5–100 ms): a writer waiting in SQLite's busy handler polls every few tens of ms
 * (up to 100), and without a gap the next slice would take the lock again before it looks.
 */
function write<T>(db: Db, options: StoreOptions, step: StoreStep, work: (tx: Tx) => { result: T; rows: number }): T {
  const started = performance.now();
  const { result, rows } = db.transaction((tx) => work(tx), { behavior: "immediate" });
  const held = performance.now() - started;
  options.afterWrite?.(step, rows);
  // Synchronous on purpose: the store runs on the heavy-work thread (decision 014), never on a request.
  Atomics.wait(pause, 0, 0, Math.min(100, Math.max(5, held)));
  return result;
}

/** Takes the next version number for a new store of `target`; null if it no longer exists. */
function beginVersion(db: Db, target: Target, options: StoreOptions): number | null {
  return write(db, options, "version", () => {
    const row = db.$client
      .prepare(
        `update ${target.owner} set results_writing = max(results_writing, results_version) + 1 where id = ? returning results_writing as v`,
      )
      .get(target.id) as { v: number } | undefined;
    return { result: row?.v ?? null, rows: 0 };
  });
}

/** Deletes `target`'s rows matching `versionCondition` (over `version`, bound to `versionArgs`), a slice per transaction. */
function deleteInSlices(
  db: Db,
  target: Target,
  versionCondition: string,
  versionArgs: (number | string)[],
  step: StoreStep,
  options: StoreOptions,
) {
  const slice = options.sliceRows ?? SLICE_ROWS;
  const remove = db.$client.prepare(
    `delete from ${target.table} where rowid in
       (select rowid from ${target.table} where ${target.key} = ? and ${versionCondition} limit ?)`,
  );
  for (;;) {
    const removed = write(db, options, step, () => {
      const changes = remove.run(target.id, ...versionArgs, slice).changes;
      return { result: changes, rows: changes };
    });
    if (removed < slice) return;
  }
}

/** Writes `rows` (each the values after the key and version) under `version`, a slice per transaction. */
function writeInSlices(db: Db, target: Target, version: number, columns: string[], rows: unknown[][], options: StoreOptions) {
  const slice = options.sliceRows ?? SLICE_ROWS;
  // A prepared statement per row, a slice per transaction: 100,000 rows in about a second in all,
  // where building multi-row INSERTs through the query builder took many seconds.
  const insert = db.$client.prepare(
    `insert into ${target.table} (${target.key}, version, ${columns.join(", ")}) values (?, ?, ${columns.map(() => "?").join(", ")})`,
  );
  for (let start = 0; start < rows.length; start += slice) {
    const part = rows.slice(start, start + slice);
    write(db, options, "write", () => {
      for (const values of part) insert.run(target.id, version, ...values);
      return { result: undefined, rows: part.length };
    });
  }
}

/**
 * Steps 3–5 for one ranking: clean, write, switch (with `onSwitch` run inside the switch), delete
 * the old version. False when a newer store began meanwhile: its rows win, ours are removed.
 */
function storeVersion(
  db: Db,
  target: Target,
  version: number,
  columns: string[],
  rows: unknown[][],
  onSwitch: (tx: Tx) => void,
  options: StoreOptions,
): boolean {
  // What a store that stopped half-way (a crash, a killed worker) left: older than this one, not visible.
  deleteInSlices(
    db,
    target,
    `version < ? and version != (select results_version from ${target.owner} where id = ?)`,
    [version, target.id],
    "clean",
    options,
  );
  let switched: boolean;
  try {
    writeInSlices(db, target, version, columns, rows, options);
    switched = switchTo(db, target, version, onSwitch, options);
  } catch (error) {
    // A store that fails (an error, not a crash) removes what it wrote at once; the old version
    // stayed visible throughout. After a crash, the next store's first step removes it.
    try {
      const visible = db.$client.prepare(`select results_version from ${target.owner} where id = ?`).pluck().get(target.id);
      // (Unless the switch committed and only what followed it failed: then these rows are the visible ones.)
      if (visible !== version) deleteInSlices(db, target, "version = ?", [version], "abandon", {});
    } catch {
      // The next store cleans up; the error that matters is the first one.
    }
    throw error;
  }
  if (switched) deleteInSlices(db, target, "version < ?", [version], "delete-old", options);
  else deleteInSlices(db, target, "version = ?", [version], "abandon", options);
  return switched;
}

/** Step 4: makes `version` the visible one, with `onSwitch` in the same tiny transaction, if no newer store began. */
function switchTo(db: Db, target: Target, version: number, onSwitch: (tx: Tx) => void, options: StoreOptions): boolean {
  return write(db, options, "switch", (tx) => {
    const owner = db.$client.prepare(`select results_writing as writing from ${target.owner} where id = ?`).get(target.id) as
      { writing: number } | undefined;
    // Only the newest store may switch: it read the data after every older one did.
    if (owner?.writing !== version) return { result: false, rows: 0 };
    db.$client.prepare(`update ${target.owner} set results_version = ? where id = ?`).run(version, target.id);
    onSwitch(tx);
    return { result: true, rows: 0 };
  });
}

const roundColumns = [
  "user_id",
  "attempt_id",
  "rank",
  "position",
  "score",
  "max_score",
  "correct_count",
  "prediction",
  "prediction_distance",
  "duration_ms",
  "finalized_at",
  "prize",
  "draw_pending",
  "draw_place",
  "district_id",
  "branch_id",
];

/** Computes and stores one round's ranking (steps 1–5). The round as read, or undefined if gone. */
function storeOneRound(db: Db, roundId: number, now: number, options: StoreOptions): RoundWithContest | undefined {
  const version = beginVersion(db, roundTarget(roundId), options);
  if (version === null) return undefined;
  // A read transaction: one consistent snapshot of attempts, decisions and draws, and no write lock.
  const read = db.transaction((tx) => {
    const round = roundWithContest(tx, roundId);
    if (!round) return undefined;
    const attempted = rankableAttempts(tx, round.id);
    return {
      round,
      attempted,
      ranking: computeRoundRanking(tx, round, attempted),
      rules: prizeRulesOf(tx, round),
      names: unitNamesNow(tx, round.id),
    };
  });
  if (!read) return undefined;
  const { round, attempted, ranking, rules, names } = read;
  // The units of the attempt that counts, not of whichever attempt came last.
  const units = new Map(attempted.map((a) => [a.attemptId, a]));
  const rows = ranking.entries.map((e) => {
    const unit = units.get(e.attemptId)!;
    return [
      e.userId,
      e.attemptId,
      e.rank,
      e.position,
      e.score,
      e.maxScore,
      e.correctCount,
      e.prediction,
      e.predictionDistance,
      e.durationMs,
      e.finalizedAt,
      e.prize,
      e.drawPending ? 1 : 0,
      e.drawPlace,
      unit.districtId,
      unit.branchId,
    ];
  });
  // Frozen only once no answer can still arrive (the close plus the answer grace, as the sweep
  // waits). Stored earlier, they stay unfrozen, and the sweep stores them again with the attempts
  // submitted inside the grace.
  const frozen = canFreeze(round, now);
  // The prize tiers are frozen with the results, once: every later re-freeze reads them back.
  const prizeTiers = frozen ? (round.frozenPrizeTiers ?? rules.tiers.map((t) => ({ ...t, minScore: rules.minPrizeScore }))) : null;
  storeVersion(
    db,
    roundTarget(round.id),
    version,
    roundColumns,
    rows,
    (tx) => {
      const keep = db.$client.prepare(
        `insert or ignore into round_unit_names (round_id, kind, unit_id, name, district_id) values (?, ?, ?, ?, ?)`,
      );
      for (const n of names) keep.run(round.id, n.kind, n.unitId, n.name, n.districtId);
      // The members who took part and the prediction's answer are kept apart: with the
      // "perfect-scores" target they differ, and pages show the first while distances use the second.
      tx.update(rounds)
        .set({
          resultsComputedAt: frozen ? now : null,
          participantCount: ranking.participants,
          predictionAnswer: ranking.actual,
          prizeTiers,
        })
        .where(eq(rounds.id, round.id))
        .run();
    },
    options,
  );
  return round;
}

const contestColumns = [
  "user_id",
  "rank",
  "position",
  "total_score",
  "rounds",
  "prediction_distance",
  "duration_ms",
  "finalized_at",
  "district_id",
  "branch_id",
];

/** Recomputes and stores the contest's overall ranking from its rounds' visible results. */
function storeContestResults(db: Db, contestId: string, options: StoreOptions) {
  const version = beginVersion(db, contestTarget(contestId), options);
  if (version === null) return;
  const read = db.transaction((tx) => {
    const contest = tx.select({ rankingOrder: contests.rankingOrder }).from(contests).where(eq(contests.id, contestId)).get();
    if (!contest) return undefined;
    // Round order: a member's overall row carries their units of the latest round they took.
    const stored = tx.all<{
      roundId: number;
      userId: string;
      score: number;
      predictionDistance: number;
      durationMs: number;
      finalizedAt: number;
      districtId: string;
      branchId: string;
    }>(sql`
      select r.round_id as roundId, r.user_id as userId, r.score as score, r.prediction_distance as predictionDistance,
             r.duration_ms as durationMs, r.finalized_at as finalizedAt, r.district_id as districtId, r.branch_id as branchId
      from round_results r join ${rounds} ro on ${visibleJoinSql("r", "ro")}
      where ro.contest_id = ${contestId}
      order by ro.number`);
    return { contest, stored };
  });
  if (!read) return;
  const byRound = new Map<number, typeof read.stored>();
  const units = new Map<string, { districtId: string; branchId: string }>();
  for (const row of read.stored) {
    // Appending in place: copying the list per row would be quadratic at 100,000 members.
    const list = byRound.get(row.roundId);
    if (list) list.push(row);
    else byRound.set(row.roundId, [row]);
    units.set(row.userId, row);
  }
  const rows = rankOverall([...byRound.values()], read.contest.rankingOrder).map((o) => {
    const unit = units.get(o.userId)!;
    return [
      o.userId,
      o.rank,
      o.position,
      o.totalScore,
      o.rounds,
      o.predictionDistance,
      o.durationMs,
      o.finalizedAt,
      unit.districtId,
      unit.branchId,
    ];
  });
  storeVersion(db, contestTarget(contestId), version, contestColumns, rows, () => {}, options);
}

/**
 * Computes and stores a closed round's results (finalizing any attempt still open first), then
 * the rounds after it whose prizes depend on it, and the contest's overall ranking. Each in short
 * write transactions (see the top of this file).
 */
export function storeRoundResults(db: Db, roundId: number, now: number, options: StoreOptions = {}): void {
  finalizeOverdueAttempts(db, Math.max(now, 0));
  const round = storeOneRound(db, roundId, now, options);
  if (!round) return;
  if (round.onePrizePerPerson) {
    const later = db
      .select({ id: rounds.id })
      .from(rounds)
      .where(and(eq(rounds.contestId, round.contestId), gt(rounds.number, round.number), isNotNull(rounds.resultsComputedAt)))
      .orderBy(asc(rounds.number))
      .all();
    for (const { id } of later) storeOneRound(db, id, now, options);
  }
  storeContestResults(db, round.contestId, options);
}

/** Rounds closed (past the answer grace) whose results are not stored yet: store them. */
export function freezeClosedRounds(db: Db, now: number): number {
  const pending = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(isNull(rounds.resultsComputedAt), lt(rounds.closesAt, freezableClosedBefore(now))))
    .orderBy(asc(rounds.closesAt))
    .all();
  for (const { id } of pending) storeRoundResults(db, id, now);
  return pending.length;
}
