/**
 * The hot writes wait for another process's write lock without sleeping the event loop
 * (app/.server/write-lock.server.ts, decision 013 "Fourth pass (writes)"): the answer save and
 * the lean submit try BEGIN IMMEDIATE without SQLite's busy handler and retry on later turns.
 */
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { handleAnswerSave } from "~/.server/answer-save.server";
import { saveAnswer, submitAttemptIfFinal } from "~/.server/attempts.server";
import { limitersFor } from "~/.server/rate-limit.server";
import { busyTimeoutOf, retryDelayMs, retryWhileBusy } from "~/.server/write-lock.server";
import { MINUTE, NOW, storedItems, useTestDatabase } from "./helpers";

import { memberWithAttempt } from "../helpers/member-attempt";

const ctx = useTestDatabase();
let userId: string;
let attemptId: string;

beforeEach(async () => {
  ({ userId, attemptId } = await memberWithAttempt(ctx.db));
});

const busy = () => Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });

describe("retryWhileBusy", () => {
  it("tries again on later turns while the lock is taken, then returns the result", async () => {
    const waits: number[] = [];
    let tries = 0;
    const result = await retryWhileBusy(
      () => {
        if (++tries <= 5) throw busy();
        return "stored";
      },
      5000,
      async (ms) => void waits.push(ms),
    );
    expect(result).toBe("stored");
    expect(waits).toEqual([0, 1, 2, 4, 8]);
  });

  it("gives up with the BUSY error once the budget is spent, and never retries another error", async () => {
    const waits: number[] = [];
    await expect(
      retryWhileBusy(
        () => {
          throw busy();
        },
        50,
        async (ms) => void waits.push(ms),
      ),
    ).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...waits)).toBeLessThanOrEqual(20);
    let tries = 0;
    await expect(
      retryWhileBusy(() => {
        tries++;
        throw new Error("disk I/O error");
      }, 5000),
    ).rejects.toThrow("disk I/O error");
    expect(tries).toBe(1);
    expect(retryDelayMs(0)).toBe(0);
    expect(retryDelayMs(100)).toBe(20);
  });
});

describe("a save while another process holds the write lock", () => {
  it("fails at once without waiting (wait: false), and leaves the connection's busy timeout as it was", () => {
    const other = new Database(ctx.path);
    const item = storedItems(ctx.db, attemptId)[0]!;
    other.exec("begin immediate");
    try {
      expect(() =>
        saveAnswer(ctx.db, { attemptId, userId, position: item.position, chosen: [item.optionOrder[0]!], now: NOW + MINUTE, wait: false }),
      ).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
      expect(() =>
        submitAttemptIfFinal(ctx.db, { attemptId, userId, now: NOW + MINUTE, prediction: 1, confirmUnanswered: true }, { wait: false }),
      ).toThrow(expect.objectContaining({ code: "SQLITE_BUSY" }));
    } finally {
      other.exec("rollback");
      other.close();
    }
    expect(ctx.db.$client.pragma("busy_timeout", { simple: true })).toBe(busyTimeoutOf(ctx.db.$client));
    expect(busyTimeoutOf(ctx.db.$client)).toBeGreaterThan(0);
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
  });

  it("keeps the event loop turning while it waits, and is stored once the other process commits", async () => {
    // The limits' table is made at their first use (a write of its own): made before the lock is taken.
    limitersFor(ctx.db);
    const other = new Database(ctx.path);
    const item = storedItems(ctx.db, attemptId)[0]!;
    other.exec("begin immediate");
    const form = new URLSearchParams([
      ["position", String(item.position)],
      ["option", String(item.optionOrder[0]!)],
    ]);
    let settled = false;
    const reply = handleAnswerSave(ctx.db, { userId, attemptId, form, now: () => NOW + MINUTE }).finally(() => (settled = true));
    // Other callbacks run meanwhile: the worker is not asleep in SQLite's busy handler.
    let turns = 0;
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(() => (turns++, resolve())));
    expect(turns).toBe(5);
    expect(settled).toBe(false);
    other.exec("commit");
    other.close();
    const { status, body } = await reply;
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, answeredCount: 1 });
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toEqual([item.optionOrder[0]!]);
  });
});
