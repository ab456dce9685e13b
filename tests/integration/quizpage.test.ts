/**
 * The quiz page's data (getQuiz) after it moved to prepared statements and a per-connection cache
 * of question versions (decision 013, "Quiz page (third pass)"): what it shows is what the database
 * holds now: the member's latest choices, the version the attempt drew even after an edit, the
 * deadline rule applied first; never the key.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { AttemptRefusal, getQuiz, getRound, saveAnswer, startAttempt } from "~/.server/attempts.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { contests, questions } from "../../db/schema";
import {
  attemptRow,
  bankA,
  contest,
  createUser,
  importTestContent,
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
let roundId: number;

beforeEach(() => {
  seedContent(ctx.db, [contest()]);
  userId = createUser(ctx.db);
  roundId = roundIdOf(ctx.db, "c1");
});

const start = (at = NOW, user = userId) => startAttempt(ctx.db, { roundId, userId: user, now: at }).attemptId;

describe("getQuiz", () => {
  it("shows the member's latest saved choices on every load, the question texts read once", () => {
    const attemptId = start();
    const items = storedItems(ctx.db, attemptId);
    const first = getQuiz(ctx.db, attemptId, userId, NOW + MINUTE);
    expect(first.questions.every((q) => q.chosen.length === 0)).toBe(true);

    saveAnswer(ctx.db, { attemptId, userId, position: items[0]!.position, chosen: items[0]!.wrong.slice(0, 1), now: NOW + MINUTE });
    expect(getQuiz(ctx.db, attemptId, userId, NOW + MINUTE).questions[0]!.chosen).toEqual(items[0]!.wrong.slice(0, 1));
    saveAnswer(ctx.db, { attemptId, userId, position: items[0]!.position, chosen: items[0]!.correct, now: NOW + 2 * MINUTE });
    saveAnswer(ctx.db, { attemptId, userId, position: items[1]!.position, chosen: [], now: NOW + 2 * MINUTE });
    const again = getQuiz(ctx.db, attemptId, userId, NOW + 2 * MINUTE);
    expect(again.questions[0]!.chosen).toEqual(items[0]!.correct);
    expect(again.questions[1]!.chosen).toEqual([]);
    // Same stems, options in the member's order, points and kind as the drawn versions.
    again.questions.forEach((q, i) => {
      expect(q.position).toBe(items[i]!.position);
      expect(q.stem).toBe(items[i]!.stem);
      expect(q.points).toBe(items[i]!.points);
      expect(q.multipleAnswers).toBe(items[i]!.multipleAnswers);
      expect(q.options.map((o) => o.id)).toEqual(items[i]!.optionOrder);
      expect(q.options.every((o) => o.text.length > 0)).toBe(true);
    });
  });

  it("keeps showing the version an attempt drew after the organizer edits the question, and a new attempt shows the new one", () => {
    const attemptId = start();
    const before = getQuiz(ctx.db, attemptId, userId, NOW + MINUTE);
    const drawnStems = before.questions.map((q) => q.stem);
    expect(drawnStems).toContain("Câu hỏi a-002?");
    importTestContent(
      ctx.db,
      { banks: [bankA({ "a-002": { stem: "Câu hỏi đã sửa?", options: ["*10 tháng 9", "10 tháng 10", "10 tháng 11"] } })] },
      NOW + 2 * MINUTE,
    );
    const after = getQuiz(ctx.db, attemptId, userId, NOW + 3 * MINUTE);
    expect(after.questions.map((q) => q.stem)).toEqual(drawnStems);
    expect(JSON.stringify(after)).not.toContain("Câu hỏi đã sửa?");

    const other = createUser(ctx.db);
    const fresh = start(NOW + 4 * MINUTE, other);
    const shown = getQuiz(ctx.db, fresh, other, NOW + 4 * MINUTE);
    expect(shown.questions.map((q) => q.stem)).toContain("Câu hỏi đã sửa?");
    const edited = shown.questions.find((q) => q.stem === "Câu hỏi đã sửa?")!;
    expect(edited.options.map((o) => o.text).sort()).toEqual(["10 tháng 10", "10 tháng 11", "10 tháng 9"]);
    const current = ctx.db.select({ id: questions.currentVersionId }).from(questions).where(eq(questions.key, "a-002")).get()!;
    expect(storedItems(ctx.db, fresh).find((i) => i.stem === "Câu hỏi đã sửa?")!.versionId).toBe(current.id);
  });

  it("finalizes the attempt first when its deadline and grace have passed (the page then goes to the result)", () => {
    const attemptId = start();
    const deadline = NOW + TIME_LIMIT_SECONDS * 1000;
    expect(getQuiz(ctx.db, attemptId, userId, deadline + ANSWER_GRACE_MS).attempt.status).toBe("in_progress");
    const late = getQuiz(ctx.db, attemptId, userId, deadline + ANSWER_GRACE_MS + 1);
    expect(late.attempt.status).not.toBe("in_progress");
    expect(attemptRow(ctx.db, attemptId).status).toBe(late.attempt.status);
    expect(attemptRow(ctx.db, attemptId).finalizedBy).toBe("server");
  });

  it("gives the round as getRound does, with the contest's settings read now", () => {
    const attemptId = start();
    const round = getRound(ctx.db, "c1", 1)!;
    expect(getQuiz(ctx.db, attemptId, userId, NOW + MINUTE).round).toEqual(round);
    ctx.db.update(contests).set({ predictionEnabled: !round.predictionEnabled }).where(eq(contests.id, "c1")).run();
    expect(getQuiz(ctx.db, attemptId, userId, NOW + MINUTE).round.predictionEnabled).toBe(!round.predictionEnabled);
  });

  it("refuses another member's attempt and an unknown one as not found", () => {
    const attemptId = start();
    for (const [id, user] of [
      [attemptId, createUser(ctx.db)],
      ["no-such-attempt", userId],
    ] as const) {
      expect(() => getQuiz(ctx.db, id, user, NOW + MINUTE)).toThrow(AttemptRefusal);
    }
  });

  it("never carries the key: no correct flags, no explanations", () => {
    const attemptId = start();
    const json = JSON.stringify(getQuiz(ctx.db, attemptId, userId, NOW + MINUTE));
    expect(json).not.toMatch(/isCorrect|is_correct|explanation/i);
    for (const item of storedItems(ctx.db, attemptId)) if (item.explanation) expect(json).not.toContain(item.explanation);
  });
});
