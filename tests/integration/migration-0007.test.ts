/**
 * Migration 0007 (results versions, docs/decisions/020-results-versions.md) on a database that
 * already has stored results: every row is kept as version 0, which rounds and contests point at,
 * so the visible rankings are exactly the stored ones; the keys now include the version.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrationsFolder, type Db } from "../../db/client";
import { overallLeaderboardPage, roundLeaderboardAll } from "~/.server/results.server";

function apply(sqlite: Database.Database, file: string) {
  const text = readFileSync(join(migrationsFolder(), file), "utf8");
  for (const statement of text.split("--> statement-breakpoint")) if (statement.trim()) sqlite.exec(statement);
}

describe("migration 0007", () => {
  it("keeps stored rankings as the visible version 0", () => {
    const sqlite = new Database(":memory:");
    const before = ["0000_init.sql", "0001_results.sql", "0002_bank_source.sql", "0003_fairness.sql", "0004_unit_history.sql"];
    for (const file of [...before, "0005_shared_ranks.sql", "0006_reach.sql"]) apply(sqlite, file);
    sqlite.exec(`
      insert into districts (id, name, position) values ('d1', 'Huyện Một', 0);
      insert into branches (id, district_id, name, position) values ('b1', 'd1', 'Chi nhánh', 0);
      insert into users (id, phone, full_name, password_hash, district_id, branch_id, role, active, must_change_password, created_at)
        values ('u1', '0912000001', 'A', 'x', 'd1', 'b1', 'member', 1, 0, 0), ('u2', '0912000002', 'B', 'x', 'd1', 'b1', 'member', 1, 0, 0);
      insert into contests (id, title, time_limit_seconds, questions_per_attempt, created_at, updated_at) values ('c1', 'C', 600, 1, 0, 0);
      insert into rounds (id, contest_id, number, title, opens_at, closes_at, results_computed_at, participant_count) values (1, 'c1', 1, 'V1', 0, 10, 20, 2);
      insert into attempts (id, round_id, user_id, attempt_number, started_at, deadline_at, status, max_score, question_count, district_id, branch_id)
        values ('a1', 1, 'u1', 1, 0, 1, 'submitted', 1, 1, 'd1', 'b1'), ('a2', 1, 'u2', 1, 0, 1, 'submitted', 1, 1, 'd1', 'b1');
      insert into round_results (round_id, user_id, attempt_id, rank, position, score, max_score, correct_count, prediction_distance, duration_ms, finalized_at, prize, district_id, branch_id)
        values (1, 'u1', 'a1', 1, 1, 1, 1, 1, 0, 5, 1, 'Giải Nhất', 'd1', 'b1'), (1, 'u2', 'a2', 2, 2, 0, 1, 0, 1, 5, 1, null, 'd1', 'b1');
      insert into contest_results (contest_id, user_id, rank, position, total_score, rounds, prediction_distance, duration_ms, finalized_at, district_id, branch_id)
        values ('c1', 'u1', 1, 1, 1, 1, 0, 5, 1, 'd1', 'b1'), ('c1', 'u2', 2, 2, 0, 1, 1, 5, 1, 'd1', 'b1');
    `);
    apply(sqlite, "0007_results_versions.sql");
    expect(sqlite.prepare("select user_id as userId, version, rank, position, prize from round_results order by position").all()).toEqual([
      { userId: "u1", version: 0, rank: 1, position: 1, prize: "Giải Nhất" },
      { userId: "u2", version: 0, rank: 2, position: 2, prize: null },
    ]);
    expect(sqlite.prepare("select results_version as v, results_writing as w from rounds").get()).toEqual({ v: 0, w: 0 });
    expect(sqlite.prepare("select results_version as v, results_writing as w from contests").get()).toEqual({ v: 0, w: 0 });
    // Read as the pages and exports read them: the visible version.
    const db = drizzle(sqlite) as unknown as Db;
    expect(roundLeaderboardAll(db, 1).map((r) => [r.rank, r.userId, r.prize])).toEqual([
      [1, "u1", "Giải Nhất"],
      [2, "u2", null],
    ]);
    expect(overallLeaderboardPage(db, "c1", {}, 1, 50).rows.map((r) => [r.rankLabel, r.userId])).toEqual([
      ["1", "u1"],
      ["2", "u2"],
    ]);
    // A second version of the same member may now sit beside the first (a store in progress).
    sqlite.exec(`insert into round_results (round_id, version, user_id, attempt_id, rank, position, score, max_score, correct_count,
      prediction_distance, duration_ms, finalized_at, district_id, branch_id) values (1, 1, 'u1', 'a1', 1, 1, 1, 1, 1, 0, 5, 1, 'd1', 'b1')`);
    expect(roundLeaderboardAll(db, 1)).toHaveLength(2);
  });
});
