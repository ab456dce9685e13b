/**
 * Migration 0004 on a database that already has history: closed rounds keep the unit names they
 * were closed with (a rename recorded after the close is undone for them), and old audit entries
 * get a subject kind and, for renames, their before/after values.
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

describe("migration 0004", () => {
  it("keeps closed rounds' unit names and converts old audit entries", () => {
    const sqlite = new Database(":memory:");
    for (const file of ["0000_init.sql", "0001_results.sql", "0002_bank_source.sql", "0003_fairness.sql"]) apply(sqlite, file);
    const closesAt = Date.UTC(2024, 9, 8);
    sqlite.exec(`
      insert into districts (id, name, position) values ('d1', 'Huyện Một', 0);
      insert into branches (id, district_id, name, position) values ('b1', 'd1', 'Tên mới', 0), ('b2', 'd1', 'Chi nhánh Hai', 1);
      insert into users (id, phone, full_name, password_hash, district_id, branch_id, role, active, must_change_password, created_at)
        values ('u1', '0912000001', 'A', 'x', 'd1', 'b1', 'member', 1, 0, 0), ('u2', '0912000002', 'B', 'x', 'd1', 'b2', 'member', 1, 0, 0);
      insert into contests (id, title, time_limit_seconds, questions_per_attempt, created_at, updated_at) values ('c1', 'C', 600, 1, 0, 0);
      insert into rounds (id, contest_id, number, title, opens_at, closes_at, results_computed_at) values (1, 'c1', 1, 'V1', 0, ${closesAt}, ${closesAt + 60000});
      insert into attempts (id, round_id, user_id, attempt_number, started_at, deadline_at, status, max_score, question_count, district_id, branch_id)
        values ('a1', 1, 'u1', 1, 0, 1, 'submitted', 1, 1, 'd1', 'b1'), ('a2', 1, 'u2', 1, 0, 1, 'submitted', 1, 1, 'd1', 'b2');
      insert into audit_log (at, actor_user_id, action, subject, details) values
        (${closesAt - 1000}, 'u1', 'branch.rename', 'branch:b1', '{"from":"Tên rất cũ","to":"Tên cũ"}'),
        (${closesAt + 1000}, 'u1', 'branch.rename', 'branch:b1', '{"from":"Tên cũ","to":"Tên mới"}'),
        (${closesAt + 2000}, 'u1', 'user.set_role', 'user:u2', '{"role":"judge"}'),
        (${closesAt + 3000}, null, 'content.import', 'content', '{}');
    `);
    apply(sqlite, "0004_unit_history.sql");
    expect(sqlite.prepare("select kind, unit_id as unitId, name from round_unit_names order by kind, unit_id").all()).toEqual([
      { kind: "branch", unitId: "b1", name: "Tên cũ" },
      { kind: "branch", unitId: "b2", name: "Chi nhánh Hai" },
      { kind: "district", unitId: "d1", name: "Huyện Một" },
    ]);
    expect(sqlite.prepare("select subject, subject_kind as kind, before, after from audit_log order by id").all()).toEqual([
      { subject: "unit:b1", kind: "unit", before: '{"name":"Tên rất cũ"}', after: '{"name":"Tên cũ"}' },
      { subject: "unit:b1", kind: "unit", before: '{"name":"Tên cũ"}', after: '{"name":"Tên mới"}' },
      { subject: "member:u2", kind: "member", before: null, after: null },
      { subject: "content:", kind: "content", before: null, after: null },
    ]);
  });
});
