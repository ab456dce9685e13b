/**
 * Migration 0005 (shared ranks) on a database that already has stored results: ranks become
 * positions too, the old "participant_count" (the prediction's answer) is kept as
 * prediction_answer, and participant_count becomes the members who took part.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { migrationsFolder } from "../../db/client";

function apply(sqlite: Database.Database, file: string) {
  const text = readFileSync(join(migrationsFolder(), file), "utf8");
  for (const statement of text.split("--> statement-breakpoint")) if (statement.trim()) sqlite.exec(statement);
}

describe("migration 0005", () => {
  it("keeps stored rankings as positions and separates the participant count from the prediction answer", () => {
    const sqlite = new Database(":memory:");
    for (const file of ["0000_init.sql", "0001_results.sql", "0002_bank_source.sql", "0003_fairness.sql", "0004_unit_history.sql"])
      apply(sqlite, file);
    sqlite.exec(`
      insert into districts (id, name, position) values ('d1', 'Huyện Một', 0);
      insert into branches (id, district_id, name, position) values ('b1', 'd1', 'Chi nhánh', 0);
      insert into users (id, phone, full_name, password_hash, district_id, branch_id, role, active, must_change_password, created_at)
        values ('u1', '0912000001', 'A', 'x', 'd1', 'b1', 'member', 1, 0, 0), ('u2', '0912000002', 'B', 'x', 'd1', 'b1', 'member', 1, 0, 0),
               ('u3', '0912000003', 'C', 'x', 'd1', 'b1', 'member', 1, 0, 0);
      insert into contests (id, title, time_limit_seconds, questions_per_attempt, prediction_target, created_at, updated_at) values ('c1', 'C', 600, 1, 'perfect-scores', 0, 0);
      insert into rounds (id, contest_id, number, title, opens_at, closes_at, results_computed_at, participant_count) values (1, 'c1', 1, 'V1', 0, 10, 20, 1);
      insert into attempts (id, round_id, user_id, attempt_number, started_at, deadline_at, status, max_score, question_count, district_id, branch_id)
        values ('a1', 1, 'u1', 1, 0, 1, 'submitted', 1, 1, 'd1', 'b1'), ('a2', 1, 'u2', 1, 0, 1, 'submitted', 1, 1, 'd1', 'b1'),
               ('a3', 1, 'u3', 1, 0, 1, 'in_progress', 1, 1, 'd1', 'b1');
      insert into round_results (round_id, user_id, attempt_id, rank, score, max_score, correct_count, prediction_distance, duration_ms, finalized_at, district_id, branch_id)
        values (1, 'u1', 'a1', 1, 1, 1, 1, 0, 5, 1, 'd1', 'b1'), (1, 'u2', 'a2', 2, 0, 1, 0, 1, 5, 1, 'd1', 'b1');
      insert into contest_results (contest_id, user_id, rank, total_score, rounds, prediction_distance, duration_ms, finalized_at, district_id, branch_id)
        values ('c1', 'u1', 1, 1, 1, 0, 5, 1, 'd1', 'b1'), ('c1', 'u2', 2, 0, 1, 1, 5, 1, 'd1', 'b1');
    `);
    apply(sqlite, "0005_shared_ranks.sql");
    expect(
      sqlite.prepare("select user_id as userId, rank, position, draw_pending as drawPending from round_results order by position").all(),
    ).toEqual([
      { userId: "u1", rank: 1, position: 1, drawPending: 0 },
      { userId: "u2", rank: 2, position: 2, drawPending: 0 },
    ]);
    expect(sqlite.prepare("select rank, position from contest_results order by position").all()).toEqual([
      { rank: 1, position: 1 },
      { rank: 2, position: 2 },
    ]);
    expect(sqlite.prepare("select participant_count as participants, prediction_answer as answer from rounds").get()).toEqual({
      participants: 2,
      answer: 1,
    });
    // Shared ranks are now allowed; the listing position stays unique.
    sqlite.exec("update round_results set rank = 1 where user_id = 'u2'");
    expect(() => sqlite.exec("update round_results set position = 1 where user_id = 'u2'")).toThrow(/UNIQUE/);
  });
});
