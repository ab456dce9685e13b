/**
 * A round's stored ranking read row by row for the downloads (decision 014, "The XLSX, streamed from
 * the query"): one prepared statement stepped with `.iterate()`, so the file's first bytes leave as
 * soon as the first rows are read and the 100,000 rows are never all in memory as objects (holding
 * them was a third of the export's time: better-sqlite3 building 100,000 × 17-property objects
 * that all live until the end, and the garbage collector moving them).
 *
 * The rows are exactly those of `roundLeaderboardAll` (app/.server/results.server.ts), same columns
 * and order: tests/integration/heavy-work.test.ts compares the streamed files with the whole-file
 * writers, which read through that function.
 */
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { Db } from "../../../db/client";
import type { roundLeaderboardAll } from "../results.server";

export type RankingRecord = ReturnType<typeof roundLeaderboardAll>[number];

type Params = { roundId: number; prizedOnly: 0 | 1 };
/** A row as read: the unit ids, whose names (as the round knew them) are looked up in memory. */
type RawRecord = Omit<RankingRecord, "district" | "branch"> & { districtId: string; branchId: string };

const PRIZED = `(@prizedOnly = 0 or r.prize is not null or r.draw_pending = 1)`;

interface Statements {
  rows: Statement<[Params], RawRecord>;
  unitNames: Statement<[{ roundId: number }], { kind: "district" | "branch"; id: string; name: string }>;
  count: Statement<[Params], number>;
  shared: Statement<[{ roundId: number }], { rank: number; size: number }>;
}

const statements = new WeakMap<Database.Database, Statements>();

function statementsFor(db: Db): Statements {
  const client = db.$client;
  let found = statements.get(client);
  if (!found) {
    found = {
      // The units (a few thousand at most) are joined in memory: four index searches a row fewer.
      rows: client.prepare<[Params], RawRecord>(
        `select r.rank as rank, r.draw_pending as drawPending, r.draw_place as drawPlace, r.user_id as userId,
                u.full_name as fullName, u.phone as phone, r.district_id as districtId, r.branch_id as branchId,
                r.score as score, r.max_score as maxScore, r.correct_count as correctCount,
                r.prediction as prediction, r.prediction_distance as predictionDistance, r.duration_ms as durationMs,
                r.finalized_at as finalizedAt, r.prize as prize, r.attempt_id as attemptId
         from round_results r
         join users u on u.id = r.user_id
         where r.round_id = @roundId and r.version = (select results_version from rounds where id = @roundId) and ${PRIZED}
         order by r.rank, r.position`,
      ),
      // A unit's name as the round's stored results knew it, else today's (as roundLeaderboardAll).
      unitNames: client.prepare<[{ roundId: number }], { kind: "district" | "branch"; id: string; name: string }>(
        `select 'district' as kind, d.id as id, coalesce(n.name, d.name) as name from districts d
           left join round_unit_names n on n.round_id = @roundId and n.kind = 'district' and n.unit_id = d.id
         union all
         select 'branch', b.id, coalesce(n.name, b.name) from branches b
           left join round_unit_names n on n.round_id = @roundId and n.kind = 'branch' and n.unit_id = b.id`,
      ),
      count: client
        .prepare<[Params], number>(
          `select count(*) from round_results r where r.round_id = @roundId and r.version = (select results_version from rounds where id = @roundId) and ${PRIZED}`,
        )
        .pluck(),
      shared: client.prepare<[{ roundId: number }], { rank: number; size: number }>(
        `select r.rank as rank, count(*) as size from round_results r where r.round_id = @roundId and r.version = (select results_version from rounds where id = @roundId)
          group by r.rank having count(*) > 1`,
      ),
    };
    statements.set(client, found);
  }
  return found;
}

/** How many rows `iterateRanking` yields. */
export function countRanking(db: Db, roundId: number, { prizedOnly }: { prizedOnly: boolean }): number {
  return statementsFor(db).count.get({ roundId, prizedOnly: prizedOnly ? 1 : 0 })!;
}

/** The ranks held by more than one member in the whole ranking, with how many hold each. */
export function sharedRanks(db: Db, roundId: number): Map<number, number> {
  return new Map(
    statementsFor(db)
      .shared.all({ roundId })
      .map((r) => [r.rank, r.size]),
  );
}

/**
 * The ranking's rows in order, read as they are consumed. The connection runs nothing else until
 * the iteration ends (better-sqlite3 refuses): read everything else first.
 */
export function* iterateRanking(db: Db, roundId: number, { prizedOnly }: { prizedOnly: boolean }): Generator<RankingRecord> {
  const statements = statementsFor(db);
  const districtNames = new Map<string, string>();
  const branchNames = new Map<string, string>();
  for (const unit of statements.unitNames.all({ roundId }))
    (unit.kind === "district" ? districtNames : branchNames).set(unit.id, unit.name);
  for (const row of statements.rows.iterate({ roundId, prizedOnly: prizedOnly ? 1 : 0 })) {
    // Every result names existing units (foreign keys); a missing one would be a broken database.
    const district = districtNames.get(row.districtId);
    const branch = branchNames.get(row.branchId);
    if (district === undefined || branch === undefined) throw new Error(`round ${roundId}: unknown unit ${row.districtId}/${row.branchId}`);
    // The row object is this iteration's own: completed in place rather than copied.
    const record = row as unknown as RankingRecord;
    record.district = district;
    record.branch = branch;
    yield record;
  }
}
