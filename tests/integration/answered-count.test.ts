/**
 * The answered count the save replies with, and the submit's form answers (decision 013, "Fourth
 * pass (writes)"): the count always equals the answers actually stored — after saves, a repeated
 * option, a cleared answer, a stale (older) answer — and a form submit writes only the answers
 * that changed (a repeated answer keeps the time it was stored).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { finalizeOverdueAttempts, saveAnswer, submitAttempt } from "~/.server/attempts.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { attemptRow, MINUTE, NOW, storedItems, TIME_LIMIT_SECONDS, useTestDatabase } from "./helpers";

import { memberWithAttempt } from "../helpers/member-attempt";

const ctx = useTestDatabase();
let userId: string;
let attemptId: string;

beforeEach(async () => {
  ({ userId, attemptId } = await memberWithAttempt(ctx.db));
});

/** What is actually stored: items with an answer. */
function storedAnswered(id = attemptId): number {
  return storedItems(ctx.db, id).filter((item) => item.chosen !== null && item.chosen.length > 0).length;
}
/** The count the last save replied with. */
let replied = 0;
function save(position: number, chosen: number[], at: number, chosenAt: number | null = null) {
  const reply = saveAnswer(ctx.db, { attemptId, userId, position, chosen, now: at, chosenAt });
  replied = reply.answeredCount;
  return reply;
}
const kept = () => replied;

describe("the answered count and the stored answers", () => {
  it("follows saves, a repeated option, a cleared answer and a stale answer, and the reply reports it", () => {
    const items = storedItems(ctx.db, attemptId);
    expect(items.length).toBeGreaterThanOrEqual(3);
    const [a, b, c] = items as [(typeof items)[0], (typeof items)[0], (typeof items)[0]];

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
    // The repeated answer kept the time it was saved; the changed one has the submit's.
    const after = storedItems(ctx.db, attemptId);
    expect(after[0]!.answeredAt).toBe(NOW + MINUTE);
    expect(after[1]!.answeredAt).toBe(NOW + 2 * MINUTE);
  });

  it("is unchanged by the sweep's finalization and refused late saves", () => {
    const items = storedItems(ctx.db, attemptId);
    expect(save(items[0]!.position, [items[0]!.optionOrder[0]!], NOW + MINUTE).answeredCount).toBe(1);
    const late = NOW + TIME_LIMIT_SECONDS * 1000 + ANSWER_GRACE_MS + MINUTE;
    expect(() => save(items[1]!.position, [items[1]!.optionOrder[0]!], late)).toThrow();
    expect(attemptRow(ctx.db, attemptId).status).toBe("expired");
    finalizeOverdueAttempts(ctx.db, late + MINUTE);
    expect(storedAnswered()).toBe(1);
  });
});
