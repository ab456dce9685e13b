/**
 * `attempts.answered_count` (migration 0008, decision 013 "Fourth pass (writes)"): kept by
 * triggers on attempt_items, it always equals the number of items holding an answer, whatever
 * wrote them — saves, a repeated option, a cleared answer, a stale (older) answer, a form submit,
 * the sweep's finalization — and the save's reply reports it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { migrationsFolder } from "../../db/client";
import { finalizeOverdueAttempts, saveAnswer, startAttempt, submitAttempt } from "~/.server/attempts.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import {
  attemptRow,
  contest,
  createUser,
  MINUTE,
  NOW,
  roundIdOf,
  seedContent,
  storedItems,
  TIME_LIMIT_SECONDS,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();
let userId: string;
let attemptId: string;

beforeEach(() => {
  seedContent(ctx.db, [contest()]);
  userId = createUser(ctx.db);
  attemptId = startAttempt(ctx.db, { roundId: roundIdOf(ctx.db, "c1"), userId, now: NOW }).attemptId;
});

/** What is actually stored: items with an answer. */
function storedAnswered(id = attemptId): number {
  return storedItems(ctx.db, id).filter((item) => item.chosen !== null && item.chosen.length > 0).length;
}
function kept(id = attemptId): number {
  return attemptRow(ctx.db, id).answeredCount;
}
function save(position: number, chosen: number[], at: number, chosenAt: number | null = null) {
  return saveAnswer(ctx.db, { attemptId, userId, position, chosen, now: at, chosenAt });
}

describe("the answered count kept in attempts", () => {
  it("follows saves, a repeated option, a cleared answer and a stale answer, and the reply reports it", () => {
    const items = storedItems(ctx.db, attemptId);
    expect(items.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = items as [(typeof items)[0], (typeof items)[0], (typeof items)[0]];
    expect(kept()).toBe(0);

    expect(save(a.position, [a.optionOrder[0]!], NOW + MINUTE).answeredCount).toBe(1);
    expect(save(b.position, [b.optionOrder[1]!], NOW + MINUTE + 1).answeredCount).toBe(2);
    // The same option again, then another option of an answered question: still two.
    expect(save(b.position, [b.optionOrder[1]!], NOW + MINUTE + 2).answeredCount).toBe(2);
    expect(save(b.position, [b.optionOrder[0]!], NOW + MINUTE + 3).answeredCount).toBe(2);
    expect(kept()).toBe(2);
    expect(storedAnswered()).toBe(2);

    // A late retry of an older choice changes nothing.
    const stale = save(a.position, [], NOW + 2 * MINUTE, NOW + MINUTE - 1000);
    expect(stale).toMatchObject({ stale: true, answeredCount: 2 });
    expect(kept()).toBe(2);

    // Cleared: one fewer; answered again: back.
    expect(save(a.position, [], NOW + 3 * MINUTE).answeredCount).toBe(1);
    expect(kept()).toBe(1);
    expect(save(c.position, [c.optionOrder[0]!], NOW + 3 * MINUTE + 1).answeredCount).toBe(2);
    expect(kept()).toBe(storedAnswered());
  });

  it("equals the stored answers after a form submit that answers, changes and repeats answers", () => {
    const items = storedItems(ctx.db, attemptId);
    save(items[0]!.position, [items[0]!.optionOrder[0]!], NOW + MINUTE);
    save(items[1]!.position, [items[1]!.optionOrder[0]!], NOW + MINUTE);
    // The form repeats the first, changes the second, answers the third.
    const answers = new Map<number, number[]>([
      [items[0]!.position, [items[0]!.optionOrder[0]!]],
      [items[1]!.position, [items[1]!.optionOrder[1]!]],
      [items[2]!.position, [items[2]!.optionOrder[0]!]],
    ]);
    const outcome = submitAttempt(ctx.db, { attemptId, userId, now: NOW + 2 * MINUTE, answers, prediction: 100, confirmUnanswered: true });
    expect(outcome.kind).toBe("finalized");
    expect(storedAnswered()).toBe(3);
    expect(kept()).toBe(3);
    // The repeated answer kept the time it was saved; the changed one has the submit's.
    const after = storedItems(ctx.db, attemptId);
    expect(after[0]!.answeredAt).toBe(NOW + MINUTE);
    expect(after[1]!.answeredAt).toBe(NOW + 2 * MINUTE);
  });

  it("is unchanged by the sweep's finalization and refused late saves", () => {
    const items = storedItems(ctx.db, attemptId);
    save(items[0]!.position, [items[0]!.optionOrder[0]!], NOW + MINUTE);
    const late = NOW + TIME_LIMIT_SECONDS * 1000 + ANSWER_GRACE_MS + MINUTE;
    expect(() => save(items[1]!.position, [items[1]!.optionOrder[0]!], late)).toThrow();
    expect(attemptRow(ctx.db, attemptId).status).toBe("expired");
    finalizeOverdueAttempts(ctx.db, late + MINUTE);
    expect(kept()).toBe(1);
    expect(storedAnswered()).toBe(1);
  });

  it("counts answers written by any statement (an insert with an answer, a delete), through the triggers", () => {
    const sqlite = ctx.db.$client;
    const item = storedItems(ctx.db, attemptId)[0]!;
    sqlite
      .prepare("update attempt_items set chosen = ? where attempt_id = ? and position = ?")
      .run(`[${item.optionOrder[0]}]`, attemptId, item.position);
    expect(kept()).toBe(1);
    sqlite.prepare("delete from attempt_items where attempt_id = ? and position = ?").run(attemptId, item.position);
    expect(kept()).toBe(0);
    sqlite
      .prepare("insert into attempt_items (attempt_id, position, question_version_id, option_order, chosen) values (?, ?, ?, ?, ?)")
      .run(attemptId, item.position, item.versionId, JSON.stringify(item.optionOrder), `[${item.optionOrder[0]}]`);
    expect(kept()).toBe(1);
    expect(kept()).toBe(storedAnswered());
  });
});

describe("migration 0008", () => {
  it("fills the count of attempts that already hold answers", () => {
    const sqlite = new Database(":memory:");
    const apply = (file: string) => {
      const text = readFileSync(join(migrationsFolder(), file), "utf8");
      for (const statement of text.split("--> statement-breakpoint")) if (statement.trim()) sqlite.exec(statement);
    };
    for (const file of ["0000_init", "0001_results", "0002_bank_source", "0003_fairness", "0004_unit_history", "0005_shared_ranks"])
      apply(`${file}.sql`);
    apply("0006_reach.sql");
    apply("0007_results_versions.sql");
    sqlite.exec(`
      insert into districts (id, name, position) values ('d1', 'Huyện Một', 0);
      insert into branches (id, district_id, name, position) values ('b1', 'd1', 'Chi nhánh', 0);
      insert into users (id, phone, full_name, password_hash, district_id, branch_id, role, active, must_change_password, created_at)
        values ('u1', '0912000001', 'A', 'x', 'd1', 'b1', 'member', 1, 0, 0);
      insert into contests (id, title, time_limit_seconds, questions_per_attempt, created_at, updated_at) values ('c1', 'C', 600, 3, 0, 0);
      insert into rounds (id, contest_id, number, title, opens_at, closes_at) values (1, 'c1', 1, 'V1', 0, 10);
      insert into attempts (id, round_id, user_id, attempt_number, started_at, deadline_at, status, max_score, question_count, district_id, branch_id)
        values ('a1', 1, 'u1', 1, 0, 1, 'submitted', 3, 3, 'd1', 'b1'), ('a2', 1, 'u1', 2, 0, 1, 'submitted', 3, 3, 'd1', 'b1');
    `);
    // The items' versions do not matter here: without the foreign keys, three items of a1 (two answered), one of a2 (not).
    sqlite.pragma("foreign_keys = OFF");
    sqlite.exec(`
      insert into attempt_items (attempt_id, position, question_version_id, option_order, chosen)
        values ('a1', 0, 1, '[1,2]', '[1]'), ('a1', 1, 1, '[1,2]', null), ('a1', 2, 1, '[1,2]', '[2]'), ('a2', 0, 1, '[1,2]', null);
    `);
    apply("0008_answered_count.sql");
    expect(sqlite.prepare("select answered_count from attempts order by id").pluck().all()).toEqual([2, 0]);
  });
});
