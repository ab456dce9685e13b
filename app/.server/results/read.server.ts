/**
 * Reading the stored rankings (a round's, the contest's): pages, standings, every row for the
 * exports, the collective standings, and the open round's participation counts. Only the visible
 * version of the results is read (./versions.server.ts).
 */
import { type SQL, and, asc, between, count, eq, inArray, isNotNull, lt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../db/client";
import { attempts, branches, contestResults, contests, districts, roundResults, roundUnitNames, rounds, users } from "../../../db/schema";
import { rankLabel } from "~/domain/ranking";
import { visibleContestRows, visibleJoinSql, visibleRoundRows, visibleRoundSql } from "./versions.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

/** A closed round's unit names as kept with its results, by kind then id. */
export function roundUnitNameMap(db: Conn, roundId: number) {
  const names = { district: new Map<string, string>(), branch: new Map<string, string>() };
  for (const row of db.select().from(roundUnitNames).where(eq(roundUnitNames.roundId, roundId)).all())
    names[row.kind].set(row.unitId, row.name);
  return names;
}

/**
 * The contest's unit names for its overall ranking: each unit as the latest of its closed rounds
 * kept it (the overall ranking is made of those rounds only).
 */
export function contestUnitNameMap(db: Conn, contestId: string) {
  const names = { district: new Map<string, string>(), branch: new Map<string, string>() };
  const rows = db
    .select({ kind: roundUnitNames.kind, unitId: roundUnitNames.unitId, name: roundUnitNames.name })
    .from(roundUnitNames)
    .innerJoin(rounds, eq(rounds.id, roundUnitNames.roundId))
    .where(eq(rounds.contestId, contestId))
    .orderBy(asc(rounds.number))
    .all();
  for (const row of rows) names[row.kind].set(row.unitId, row.name);
  return names;
}

export interface LeaderboardFilter {
  districtId?: string;
  branchId?: string;
}

/** A round's unit names as it kept them (the present name only for a round stored before 0004). */
const districtAsKept = alias(roundUnitNames, "district_as_kept");
const branchAsKept = alias(roundUnitNames, "branch_as_kept");

const entryColumns = {
  rank: roundResults.rank,
  position: roundResults.position,
  drawPending: roundResults.drawPending,
  userId: roundResults.userId,
  fullName: users.fullName,
  phone: users.phone,
  district: sql<string>`coalesce(${districtAsKept.name}, ${districts.name})`,
  branch: sql<string>`coalesce(${branchAsKept.name}, ${branches.name})`,
  score: roundResults.score,
  maxScore: roundResults.maxScore,
  correctCount: roundResults.correctCount,
  prediction: roundResults.prediction,
  predictionDistance: roundResults.predictionDistance,
  durationMs: roundResults.durationMs,
  finalizedAt: roundResults.finalizedAt,
  prize: roundResults.prize,
  attemptId: roundResults.attemptId,
};

function roundFilter(roundId: number, filter: LeaderboardFilter) {
  return and(
    visibleRoundRows(roundId),
    filter.districtId ? eq(roundResults.districtId, filter.districtId) : undefined,
    filter.branchId ? eq(roundResults.branchId, filter.branchId) : undefined,
  );
}

/**
 * Both stored rankings (a round's, the contest's) are read the same way: a page of ranks walked on
 * the covering (scope, [unit,] rank) index before any join, and a member's position as a count.
 */
type RankedTable = typeof roundResults | typeof contestResults;

function pageOfRanks(db: Conn, table: RankedTable, where: SQL | undefined, page: number, pageSize: number) {
  const total = db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
  // (rank, position) is the listing order, and the covering index's: a shared rank spans rows.
  const keys = db
    .select({ rank: table.rank, position: table.position })
    .from(table)
    .where(where)
    .orderBy(asc(table.rank), asc(table.position))
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .all();
  const positions = keys.map((r) => r.position);
  // The rows are then fetched on the (scope, rank, position) index: a rank range, then the positions.
  const onPage = (scope: SQL) =>
    keys.length ? and(scope, between(table.rank, keys[0]!.rank, keys[keys.length - 1]!.rank), inArray(table.position, positions)) : scope;
  return { total, positions, onPage };
}

/**
 * Rank labels for a page of rows in listing order, within the filtered scope: a row's rank is one
 * more than the rows ranked strictly before it there ("3", or "3=" when another row of the scope
 * shares it). One count before the page and one per edge group: never a count per row.
 */
export function labelRanks<R extends { rank: number; position: number }>(
  db: Conn,
  table: RankedTable,
  where: SQL | undefined,
  rows: readonly R[],
): (R & { rankInScope: number; shared: boolean; rankLabel: string })[] {
  if (rows.length === 0) return [];
  const countWhere = (extra: SQL | undefined) => db.select({ n: count() }).from(table).where(and(where, extra)).get()?.n ?? 0;
  const first = rows[0]!.rank;
  const last = rows[rows.length - 1]!.rank;
  const before = countWhere(lt(table.rank, first));
  // Rows of the scope before the page (the first group may have begun on the page before).
  const start = before + countWhere(and(eq(table.rank, first), lt(table.position, rows[0]!.position)));
  const edge = new Map<number, number>([[first, countWhere(eq(table.rank, first))]]);
  if (last !== first) edge.set(last, countWhere(eq(table.rank, last)));
  const inPage = new Map<number, number>();
  for (const r of rows) inPage.set(r.rank, (inPage.get(r.rank) ?? 0) + 1);
  let rankInScope = before + 1;
  return rows.map((r, i) => {
    if (i > 0 && r.rank !== rows[i - 1]!.rank) rankInScope = start + i + 1;
    const shared = (edge.get(r.rank) ?? inPage.get(r.rank)!) > 1;
    return { ...r, rankInScope, shared, rankLabel: rankLabel(rankInScope, shared) };
  });
}

/** Where a member stands within a filtered ranking: their row (for the page) and their shared rank. */
function standingIn(
  db: Conn,
  table: RankedTable,
  where: SQL | undefined,
  userId: string,
): { row: number; rank: number; shared: boolean } | null {
  const mine = db
    .select({ rank: table.rank, position: table.position })
    .from(table)
    .where(and(where, eq(table.userId, userId)))
    .get();
  if (!mine) return null;
  const before =
    db
      .select({ n: count() })
      .from(table)
      .where(and(where, lt(table.rank, mine.rank)))
      .get()?.n ?? 0;
  const same =
    db
      .select({ n: count() })
      .from(table)
      .where(and(where, eq(table.rank, mine.rank), lt(table.position, mine.position)))
      .get()?.n ?? 0;
  const sharing =
    db
      .select({ n: count() })
      .from(table)
      .where(and(where, eq(table.rank, mine.rank)))
      .get()?.n ?? 1;
  return { row: before + same + 1, rank: before + 1, shared: sharing > 1 };
}

function positionIn(db: Conn, table: RankedTable, where: SQL | undefined, userId: string): number | null {
  return standingIn(db, table, where, userId)?.row ?? null;
}

/** One page of a round's stored ranking (rank order), with the total for the pager. */
export function roundLeaderboardPage(db: Conn, roundId: number, filter: LeaderboardFilter, page: number, pageSize: number) {
  const where = roundFilter(roundId, filter);
  const { total, positions, onPage } = pageOfRanks(db, roundResults, where, page, pageSize);
  if (positions.length === 0) return { total, rows: [] };
  const rows = db
    .select(entryColumns)
    .from(roundResults)
    .innerJoin(users, eq(users.id, roundResults.userId))
    .innerJoin(districts, eq(districts.id, roundResults.districtId))
    .innerJoin(branches, eq(branches.id, roundResults.branchId))
    .leftJoin(
      districtAsKept,
      and(
        eq(districtAsKept.roundId, roundResults.roundId),
        eq(districtAsKept.kind, "district"),
        eq(districtAsKept.unitId, roundResults.districtId),
      ),
    )
    .leftJoin(
      branchAsKept,
      and(eq(branchAsKept.roundId, roundResults.roundId), eq(branchAsKept.kind, "branch"), eq(branchAsKept.unitId, roundResults.branchId)),
    )
    .where(onPage(visibleRoundRows(roundId)))
    .orderBy(asc(roundResults.rank), asc(roundResults.position))
    .all();
  return { total, rows: labelRanks(db, roundResults, where, rows) };
}

/** Every row of a round's ranking, for exports (plain SQL: 100,000 rows). */
export function roundLeaderboardAll(db: Conn, roundId: number, { prizedOnly = false } = {}) {
  return db.all<{
    rank: number;
    userId: string;
    fullName: string;
    phone: string;
    district: string;
    branch: string;
    score: number;
    maxScore: number;
    correctCount: number;
    prediction: number | null;
    predictionDistance: number;
    durationMs: number;
    finalizedAt: number;
    prize: string | null;
    drawPending: number;
    drawPlace: number | null;
    attemptId: string;
  }>(sql`
    select r.rank as rank, r.draw_pending as drawPending, r.draw_place as drawPlace, r.user_id as userId, u.full_name as fullName, u.phone as phone, coalesce(dn.name, d.name) as district,
           coalesce(bn.name, b.name) as branch, r.score as score, r.max_score as maxScore, r.correct_count as correctCount,
           r.prediction as prediction, r.prediction_distance as predictionDistance, r.duration_ms as durationMs,
           r.finalized_at as finalizedAt, r.prize as prize, r.attempt_id as attemptId
    from ${roundResults} r
    join ${users} u on u.id = r.user_id
    join ${districts} d on d.id = r.district_id
    join ${branches} b on b.id = r.branch_id
    left join ${roundUnitNames} dn on dn.round_id = r.round_id and dn.kind = 'district' and dn.unit_id = r.district_id
    left join ${roundUnitNames} bn on bn.round_id = r.round_id and bn.kind = 'branch' and bn.unit_id = r.branch_id
    where ${visibleRoundSql("r", roundId)} ${prizedOnly ? sql`and (r.prize is not null or r.draw_pending = 1)` : sql``}
    order by r.rank, r.position`);
}

/** Where a member stands within a filtered round ranking (1-based), or null if not ranked. */
export function roundPosition(db: Conn, roundId: number, userId: string, filter: LeaderboardFilter): number | null {
  return positionIn(db, roundResults, roundFilter(roundId, filter), userId);
}

/** A member's shared rank within a filtered round ranking ("3=" when shared), or null. */
export function roundStanding(db: Conn, roundId: number, userId: string, filter: LeaderboardFilter) {
  return standingIn(db, roundResults, roundFilter(roundId, filter), userId);
}

/** A member's shared rank within the filtered overall ranking, or null. */
export function overallStanding(db: Conn, contestId: string, userId: string, filter: LeaderboardFilter) {
  return standingIn(db, contestResults, contestFilter(contestId, filter), userId);
}

function contestFilter(contestId: string, filter: LeaderboardFilter) {
  return and(
    visibleContestRows(contestId),
    filter.districtId ? eq(contestResults.districtId, filter.districtId) : undefined,
    filter.branchId ? eq(contestResults.branchId, filter.branchId) : undefined,
  );
}

export function overallLeaderboardPage(db: Conn, contestId: string, filter: LeaderboardFilter, page: number, pageSize: number) {
  const where = contestFilter(contestId, filter);
  const { total, positions, onPage } = pageOfRanks(db, contestResults, where, page, pageSize);
  if (positions.length === 0) return { total, rows: [] };
  const rows = db
    .select({
      rank: contestResults.rank,
      position: contestResults.position,
      userId: contestResults.userId,
      fullName: users.fullName,
      phone: users.phone,
      district: districts.name,
      branch: branches.name,
      totalScore: contestResults.totalScore,
      rounds: contestResults.rounds,
      predictionDistance: contestResults.predictionDistance,
      durationMs: contestResults.durationMs,
    })
    .from(contestResults)
    .innerJoin(users, eq(users.id, contestResults.userId))
    .innerJoin(districts, eq(districts.id, contestResults.districtId))
    .innerJoin(branches, eq(branches.id, contestResults.branchId))
    .where(onPage(visibleContestRows(contestId)))
    .orderBy(asc(contestResults.rank), asc(contestResults.position))
    .all();
  const kept = contestUnitNameMap(db, contestId);
  const districtIds = new Map(
    db
      .select({ userId: contestResults.userId, districtId: contestResults.districtId, branchId: contestResults.branchId })
      .from(contestResults)
      .where(onPage(visibleContestRows(contestId)))
      .all()
      .map((r) => [r.userId, r]),
  );
  return {
    total,
    rows: labelRanks(db, contestResults, where, rows).map((r) => {
      const unit = districtIds.get(r.userId);
      return {
        ...r,
        district: (unit && kept.district.get(unit.districtId)) ?? r.district,
        branch: (unit && kept.branch.get(unit.branchId)) ?? r.branch,
      };
    }),
  };
}

export function overallPosition(db: Conn, contestId: string, userId: string, filter: LeaderboardFilter): number | null {
  return positionIn(db, contestResults, contestFilter(contestId, filter), userId);
}

export interface UnitRow {
  unitId: string;
  name: string;
  participants: number;
  averageScore: number;
  /** For a district, how many of its branches have a ranked member (a collective-prize tie-break). */
  branchesRepresented: number;
}

/**
 * Districts or branches of a round (or of the whole contest with `roundId` null): participants and
 * average score, from the stored rankings, so disqualified members count in neither. Over the whole
 * contest each member counts once as a participant (in their latest unit) and the average is per
 * round taken (the mean of their round scores, not of totals): a unit gains nothing from members
 * who played more rounds.
 */
export function unitStandings(
  db: Conn,
  {
    contestId,
    roundId,
    level,
    districtId,
  }: { contestId: string; roundId: number | null; level: "district" | "branch"; districtId?: string },
): UnitRow[] {
  const unit = sql.raw(level === "district" ? "district_id" : "branch_id");
  const grouped =
    roundId === null
      ? db.all<{ unitId: string; participants: number; averageScore: number | null; branchesRepresented: number }>(sql`
          select c.${unit} as unitId, count(distinct c.user_id) as participants, avg(r.score) as averageScore,
                 count(distinct c.branch_id) as branchesRepresented
          from ${contestResults} c
          join ${roundResults} r on r.user_id = c.user_id
          join ${rounds} ro on ${visibleJoinSql("r", "ro")} and ro.contest_id = ${contestId}
          where c.contest_id = ${contestId} and c.version = (select results_version from ${contests} where id = ${contestId})
            ${districtId ? sql`and c.district_id = ${districtId}` : sql``}
          group by c.${unit}`)
      : db.all<{ unitId: string; participants: number; averageScore: number | null; branchesRepresented: number }>(sql`
          select r.${unit} as unitId, count(*) as participants, avg(r.score) as averageScore, count(distinct r.branch_id) as branchesRepresented
          from ${roundResults} r
          where ${visibleRoundSql("r", roundId)} ${districtId ? sql`and r.district_id = ${districtId}` : sql``}
          group by r.${unit}`);
  const present = new Map(
    (level === "district"
      ? db.select({ id: districts.id, name: districts.name }).from(districts).all()
      : db
          .select({ id: branches.id, name: branches.name })
          .from(branches)
          .where(
            inArray(
              branches.id,
              grouped.map((g) => g.unitId),
            ),
          )
          .all()
    ).map((u) => [u.id, u.name]),
  );
  // Names as the round (or the contest's rounds) kept them; the present name for anything older.
  const kept = (roundId === null ? contestUnitNameMap(db, contestId) : roundUnitNameMap(db, roundId))[level];
  return grouped.map((g) => ({
    unitId: g.unitId,
    name: kept.get(g.unitId) ?? present.get(g.unitId) ?? g.unitId,
    participants: g.participants,
    averageScore: g.averageScore ?? 0,
    branchesRepresented: g.branchesRepresented,
  }));
}

/** Members with a finalized attempt in an open round: total and by district (counts only). */
export function liveParticipation(db: Conn, roundId: number) {
  const byDistrict = db
    .select({ unitId: users.districtId, participants: sql<number>`count(distinct ${attempts.userId})` })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
    .groupBy(users.districtId)
    .all();
  const total =
    db
      .select({ n: sql<number>`count(distinct ${attempts.userId})` })
      .from(attempts)
      .where(and(eq(attempts.roundId, roundId), ne(attempts.status, "in_progress")))
      .get()?.n ?? 0;
  return { total, byDistrict };
}

/** Finalized attempts per day (in the contest's timezone), for the participation chart. */
export function participationByDay(db: Conn, roundId: number, offsetMs: number) {
  // better-sqlite3 binds JavaScript numbers as REAL: cast, or the division is not a whole day.
  const day = sql<number>`(${attempts.finalizedAt} + cast(${offsetMs} as integer)) / 86400000`;
  return db
    .select({ day, attempts: count() })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), isNotNull(attempts.finalizedAt)))
    .groupBy(day)
    .orderBy(asc(day))
    .all()
    .map((r) => ({ dayStart: r.day * 86400000 - offsetMs, attempts: r.attempts }));
}

/** The visible version of the contest's overall ranking: it changes whenever that ranking is stored again. */
export function contestResultsVersion(db: Conn, contestId: string): number {
  return db.select({ v: contests.resultsVersion }).from(contests).where(eq(contests.id, contestId)).get()?.v ?? 0;
}
