/**
 * The attempt rules of PRODUCT.md ("Rules the server enforces"), against the query functions with
 * an injected `now`, one temporary database per test.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import {
  AttemptRefusal,
  computeScores,
  finalizeOverdueAttempts,
  finalizeOverdueAttemptsInTurns,
  getQuiz,
  getResult,
  getRound,
  memberRoundState,
  saveAnswer,
  startAttempt,
  submitAttempt,
  type RefusalCode,
} from "~/.server/attempts.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { scoreAttempt } from "~/domain/scoring";
import { attemptItems, attempts, questions, questionVersions } from "../../db/schema";
import {
  attemptRow,
  bankA,
  CLOSES_AT,
  contest,
  createUser,
  importTestContent,
  MINUTE,
  NOW,
  OPENS_AT,
  roundIdOf,
  seedContent,
  storedItems,
  TIME_LIMIT_SECONDS,
  useTestDatabase,
  type StoredItem,
} from "./helpers";

const ctx = useTestDatabase();
let userId: string;
/** Contest c1 round 1: one attempt per member. */
let roundId: number;
/** Contest c2 round 1, open at the same time: two attempts per member. */
let round2Id: number;

beforeEach(() => {
  seedContent(ctx.db, [contest(), contest({ id: "c2", file: "tests/contests/c2.md", attemptsPerRound: 2 })]);
  userId = createUser(ctx.db);
  roundId = roundIdOf(ctx.db, "c1");
  round2Id = roundIdOf(ctx.db, "c2");
});

const LIMIT_MS = TIME_LIMIT_SECONDS * 1000;

function start(at = NOW, user = userId, round = roundId) {
  return startAttempt(ctx.db, { roundId: round, userId: user, now: at });
}

function refusalOf(run: () => unknown): AttemptRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof AttemptRefusal) return error;
    throw error;
  }
  throw new Error("expected an AttemptRefusal, nothing was thrown");
}

function expectRefused(run: () => unknown, code: RefusalCode): AttemptRefusal {
  const refusal = refusalOf(run);
  expect(refusal.code).toBe(code);
  return refusal;
}

function save(attemptId: string, position: number, chosen: number[], at: number, user = userId) {
  return saveAnswer(ctx.db, { attemptId, userId: user, position, chosen, now: at });
}

/** Submits with a prediction and confirming unanswered questions. */
function submit(attemptId: string, at: number, extra: Partial<Parameters<typeof submitAttempt>[1]> = {}) {
  return submitAttempt(ctx.db, { attemptId, userId, now: at, prediction: 100, confirmUnanswered: true, ...extra });
}

function attemptCount(user = userId) {
  return ctx.db.select().from(attempts).where(eq(attempts.userId, user)).all().length;
}

const byStem = (items: StoredItem[], stem: string) => {
  const item = items.find((i) => i.stem === stem);
  if (!item) throw new Error(`no drawn item "${stem}"`);
  return item;
};

describe("starting an attempt", () => {
  it("returns the same attempt when started twice, and stores one row", () => {
    const first = start(NOW);
    const second = start(NOW + MINUTE);
    expect(first.resumed).toBe(false);
    expect(second).toEqual({ attemptId: first.attemptId, resumed: true });
    expect(attemptCount()).toBe(1);
    const row = attemptRow(ctx.db, first.attemptId);
    expect(row).toMatchObject({ status: "in_progress", attemptNumber: 1, startedAt: NOW, questionCount: 7 });
  });

  it("stores the draw: every question of both banks once, options a permutation of the version's", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    expect(items.map((i) => i.position)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(items.map((i) => i.versionId)).size).toBe(7);
    expect(items.map((i) => i.stem).sort()).toEqual(
      ["a-001", "a-002", "a-003", "a-004", "b-001", "b-002", "b-003"].map((k) => `Câu hỏi ${k}?`),
    );
    for (const item of items) {
      expect([...item.optionOrder].sort((a, b) => a - b)).toEqual([...item.correct, ...item.wrong].sort((a, b) => a - b));
      expect(item.chosen).toBeNull();
    }
    // maxScore counts a-002's 2 points.
    expect(attemptRow(ctx.db, attemptId).maxScore).toBe(8);
  });

  it("refuses a second attempt while one is in progress in another round", () => {
    const first = start(NOW, userId, roundId);
    const refusal = expectRefused(() => start(NOW + MINUTE, userId, round2Id), "other_in_progress");
    expect(refusal.attemptId).toBe(first.attemptId);
    expect(refusal.status).toBe(409);
    expect(attemptCount()).toBe(1);
    // Once the first is submitted, the other round may be started.
    submit(first.attemptId, NOW + 2 * MINUTE);
    expect(start(NOW + 3 * MINUTE, userId, round2Id).resumed).toBe(false);
  });

  it("finalizes an overdue attempt in another round instead of refusing", () => {
    const first = start(NOW, userId, roundId);
    const later = NOW + LIMIT_MS + ANSWER_GRACE_MS + 1;
    const second = start(later, userId, round2Id);
    expect(second.attemptId).not.toBe(first.attemptId);
    expect(attemptRow(ctx.db, first.attemptId)).toMatchObject({ status: "expired", finalizedAt: NOW + LIMIT_MS });
  });

  it("refuses attempts beyond attemptsPerRound = 1", () => {
    const first = start(NOW);
    submit(first.attemptId, NOW + MINUTE);
    expectRefused(() => start(NOW + 2 * MINUTE), "no_attempts_left");
    expect(attemptCount()).toBe(1);
    const round = getRound(ctx.db, "c1", 1)!;
    expect(memberRoundState(ctx.db, round, userId, NOW + 2 * MINUTE).attemptsLeft).toBe(0);
  });

  it("counts an expired attempt as used", () => {
    start(NOW);
    expectRefused(() => start(NOW + LIMIT_MS + ANSWER_GRACE_MS + 1), "no_attempts_left");
  });

  it("allows exactly two attempts when attemptsPerRound = 2", () => {
    const round = getRound(ctx.db, "c2", 1)!;
    expect(memberRoundState(ctx.db, round, userId, NOW).attemptsLeft).toBe(2);
    const first = start(NOW, userId, round2Id);
    submit(first.attemptId, NOW + MINUTE);
    expect(memberRoundState(ctx.db, round, userId, NOW + MINUTE).attemptsLeft).toBe(1);
    const second = start(NOW + 2 * MINUTE, userId, round2Id);
    expect(second.attemptId).not.toBe(first.attemptId);
    expect(attemptRow(ctx.db, second.attemptId).attemptNumber).toBe(2);
    submit(second.attemptId, NOW + 3 * MINUTE);
    expectRefused(() => start(NOW + 4 * MINUTE, userId, round2Id), "no_attempts_left");
    expect(attemptCount()).toBe(2);
    expect(memberRoundState(ctx.db, round, userId, NOW + 4 * MINUTE).attemptsLeft).toBe(0);
  });

  it("refuses before the round opens and from its closing instant, but not at the opening instant", () => {
    expectRefused(() => start(OPENS_AT - 1), "round_not_open");
    expectRefused(() => start(CLOSES_AT), "round_not_open");
    expectRefused(() => start(CLOSES_AT + MINUTE), "round_not_open");
    expect(attemptCount()).toBe(0);
    expect(start(OPENS_AT).resumed).toBe(false);
  });

  it("refuses when a bank no longer has enough active questions", () => {
    // Bank B loses a question (retired directly: the import itself refuses to shrink a bank below
    // the quota of a round that has not closed); the round still draws 3 from it.
    ctx.db.update(questions).set({ active: false }).where(eq(questions.key, "b-003")).run();
    expectRefused(() => start(), "not_enough_questions");
    expect(attemptCount()).toBe(0);
  });

  it("sets the deadline to min(start + time limit, closesAt)", () => {
    const early = start(NOW);
    expect(attemptRow(ctx.db, early.attemptId).deadlineAt).toBe(NOW + LIMIT_MS);
    const late = start(CLOSES_AT - 5 * MINUTE, createUser(ctx.db));
    expect(attemptRow(ctx.db, late.attemptId).deadlineAt).toBe(CLOSES_AT);
  });
});

describe("saving answers", () => {
  it("stores an answer given in time, sorted, with the time it arrived", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    const multi = items.find((i) => i.multipleAnswers)!;
    const single = items.find((i) => !i.multipleAnswers)!;
    expect(save(attemptId, single.position, [single.wrong[0]!], NOW + MINUTE)).toMatchObject({ answeredCount: 1, stale: false });
    expect(save(attemptId, multi.position, [...multi.correct].reverse(), NOW + 2 * MINUTE)).toMatchObject({
      answeredCount: 2,
      stale: false,
    });
    const after = storedItems(ctx.db, attemptId);
    expect(after[single.position]).toMatchObject({ chosen: [single.wrong[0]], answeredAt: NOW + MINUTE });
    expect(after[multi.position]).toMatchObject({ chosen: multi.correct, answeredAt: NOW + 2 * MINUTE });
    // Changing one's mind replaces the answer; an empty choice clears it.
    save(attemptId, single.position, single.correct, NOW + 3 * MINUTE);
    expect(storedItems(ctx.db, attemptId)[single.position]!.chosen).toEqual(single.correct);
    expect(save(attemptId, single.position, [], NOW + 4 * MINUTE)).toMatchObject({ answeredCount: 1, chosen: [] });
    expect(storedItems(ctx.db, attemptId)[single.position]!.chosen).toBeNull();
  });

  it("accepts an answer at deadline + grace; refuses one at deadline + grace + 1 and finalizes with the answers saved before", () => {
    const { attemptId } = start(NOW);
    const deadline = NOW + LIMIT_MS;
    const [q0, q1, q2] = storedItems(ctx.db, attemptId);
    save(attemptId, q0!.position, q0!.correct, NOW + MINUTE);
    expect(save(attemptId, q1!.position, q1!.correct, deadline + ANSWER_GRACE_MS)).toMatchObject({ answeredCount: 2 });
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");

    const refusal = expectRefused(() => save(attemptId, q2!.position, q2!.correct, deadline + ANSWER_GRACE_MS + 1), "deadline_passed");
    expect(refusal.status).toBe(409);

    const row = attemptRow(ctx.db, attemptId);
    expect(row).toMatchObject({
      status: "expired",
      finalizedAt: deadline,
      durationMs: LIMIT_MS,
      score: q0!.points + q1!.points,
      correctCount: 2,
    });
    const after = storedItems(ctx.db, attemptId);
    expect(after[q2!.position]!.chosen).toBeNull();
    expect(after[q1!.position]!.chosen).toEqual(q1!.correct);
    // And nothing more is accepted.
    expectRefused(() => save(attemptId, q2!.position, q2!.correct, deadline + ANSWER_GRACE_MS + 2), "already_submitted");
  });

  it("refuses an option of another question, and changes nothing", () => {
    const { attemptId } = start();
    const [q0, q1] = storedItems(ctx.db, attemptId);
    const foreign = q1!.optionOrder.find((id) => !q0!.optionOrder.includes(id))!;
    expectRefused(() => save(attemptId, q0!.position, [foreign], NOW + MINUTE), "bad_answer");
    expectRefused(() => save(attemptId, q0!.position, [999_999], NOW + MINUTE), "bad_answer");
    expectRefused(() => save(attemptId, 42, [q0!.optionOrder[0]!], NOW + MINUTE), "bad_answer");
    expect(storedItems(ctx.db, attemptId).every((i) => i.chosen === null)).toBe(true);
  });

  it("refuses two options on a single-answer question, but takes them on a multi-answer one", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    const single = items.find((i) => !i.multipleAnswers)!;
    const multi = items.find((i) => i.multipleAnswers)!;
    const refusal = expectRefused(() => save(attemptId, single.position, single.optionOrder.slice(0, 2), NOW + MINUTE), "bad_answer");
    expect(refusal.status).toBe(400);
    expectRefused(() => save(attemptId, multi.position, [multi.optionOrder[0]!, multi.optionOrder[0]!], NOW + MINUTE), "bad_answer");
    expect(storedItems(ctx.db, attemptId).every((i) => i.chosen === null)).toBe(true);
    save(attemptId, multi.position, multi.optionOrder.slice(0, 2), NOW + MINUTE);
    expect(storedItems(ctx.db, attemptId)[multi.position]!.chosen).toEqual([...multi.optionOrder.slice(0, 2)].sort((a, b) => a - b));
  });
});

describe("submitting", () => {
  it("asks for the prediction, then confirmation of unanswered questions, then finalizes", () => {
    const { attemptId } = start();
    const [q0] = storedItems(ctx.db, attemptId);
    save(attemptId, q0!.position, q0!.correct, NOW + MINUTE);
    expect(submitAttempt(ctx.db, { attemptId, userId, now: NOW + 2 * MINUTE, prediction: null })).toEqual({ kind: "needs_prediction" });
    expect(submitAttempt(ctx.db, { attemptId, userId, now: NOW + 2 * MINUTE, prediction: 50 })).toEqual({
      kind: "needs_confirmation",
      unanswered: 6,
    });
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");
    expect(submit(attemptId, NOW + 3 * MINUTE, { prediction: 50 })).toEqual({ kind: "finalized", attemptId });
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({
      status: "submitted",
      finalizedAt: NOW + 3 * MINUTE,
      durationMs: 3 * MINUTE,
      prediction: 50,
      score: q0!.points,
      correctCount: 1,
    });
  });

  it("scores once: a second submission is already_finalized and changes nothing", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    for (const item of items) save(attemptId, item.position, item.correct, NOW + MINUTE);
    expect(submit(attemptId, NOW + 2 * MINUTE, { prediction: 123 }).kind).toBe("finalized");
    const before = attemptRow(ctx.db, attemptId);
    expect(before).toMatchObject({ score: 8, maxScore: 8, correctCount: 7 });

    const wrongAnswers = new Map(items.map((i) => [i.position, [i.wrong[0]!]]));
    expect(submit(attemptId, NOW + 3 * MINUTE, { prediction: 999, answers: wrongAnswers })).toEqual({
      kind: "already_finalized",
      attemptId,
    });
    expect(attemptRow(ctx.db, attemptId)).toEqual(before);
    expect(storedItems(ctx.db, attemptId).map((i) => i.chosen)).toEqual(items.map((i) => i.correct));
  });

  it("believes the page's automatic submission only near the deadline", () => {
    const { attemptId } = start(NOW);
    const deadline = NOW + LIMIT_MS;
    // A client claiming "time is up" long before the deadline still has to answer the prediction.
    expect(submitAttempt(ctx.db, { attemptId, userId, now: NOW + MINUTE, prediction: null, automatic: true })).toEqual({
      kind: "needs_prediction",
    });
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "in_progress" });
    // At zero on the page (a few seconds early by the server's clock), it submits as it is.
    expect(submitAttempt(ctx.db, { attemptId, userId, now: deadline - 5_000, prediction: null, automatic: true })).toEqual({
      kind: "finalized",
      attemptId,
    });
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "submitted", prediction: null });
  });

  it("inside the grace, submits without asking, finalized at the deadline", () => {
    const { attemptId } = start(NOW);
    const deadline = NOW + LIMIT_MS;
    expect(submitAttempt(ctx.db, { attemptId, userId, now: deadline + ANSWER_GRACE_MS, prediction: null })).toEqual({
      kind: "finalized",
      attemptId,
    });
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "submitted", finalizedAt: deadline, durationMs: LIMIT_MS, score: 0 });
  });

  it("after the deadline + grace: late, expired at the deadline with only the answers saved in time", () => {
    const { attemptId } = start(NOW);
    const deadline = NOW + LIMIT_MS;
    const items = storedItems(ctx.db, attemptId);
    const q0 = items[0]!;
    save(attemptId, q0.position, q0.correct, NOW + MINUTE);
    const allCorrect = new Map(items.map((i) => [i.position, i.correct]));
    expect(submit(attemptId, deadline + ANSWER_GRACE_MS + 1, { answers: allCorrect, prediction: 77 })).toEqual({
      kind: "late",
      attemptId,
    });
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({
      status: "expired",
      finalizedAt: deadline,
      durationMs: LIMIT_MS,
      score: q0.points,
      correctCount: 1,
      prediction: null,
    });
    const after = storedItems(ctx.db, attemptId);
    expect(after.filter((i) => i.chosen !== null).map((i) => i.position)).toEqual([q0.position]);
  });

  it("a form with a bad answer is refused whole: nothing of it is stored", () => {
    const { attemptId } = start();
    const [q0, q1] = storedItems(ctx.db, attemptId);
    const answers = new Map([
      [q0!.position, q0!.correct],
      [q1!.position, [999_999]],
    ]);
    expectRefused(() => submit(attemptId, NOW + MINUTE, { answers }), "bad_answer");
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");
    expect(storedItems(ctx.db, attemptId).every((i) => i.chosen === null)).toBe(true);
  });
});

describe("finalizeOverdueAttempts", () => {
  it("finalizes an abandoned attempt with its saved answers and leaves attempts in time alone", () => {
    const abandoned = start(NOW).attemptId;
    const other = createUser(ctx.db);
    const inTime = start(NOW + 30 * MINUTE, other).attemptId;
    const items = storedItems(ctx.db, abandoned);
    const twoPoints = items.find((i) => i.points === 2)!;
    const wrong = items.find((i) => i.points === 1)!;
    save(abandoned, twoPoints.position, twoPoints.correct, NOW + MINUTE);
    save(abandoned, wrong.position, [wrong.wrong[0]!], NOW + 2 * MINUTE);

    const deadline = NOW + LIMIT_MS;
    expect(finalizeOverdueAttempts(ctx.db, deadline + ANSWER_GRACE_MS)).toBe(0);
    expect(attemptRow(ctx.db, abandoned).status).toBe("in_progress");

    expect(finalizeOverdueAttempts(ctx.db, deadline + ANSWER_GRACE_MS + 1)).toBe(1);
    expect(attemptRow(ctx.db, abandoned)).toMatchObject({
      status: "expired",
      finalizedAt: deadline,
      durationMs: LIMIT_MS,
      score: 2,
      correctCount: 1,
    });
    expect(attemptRow(ctx.db, inTime)).toMatchObject({ status: "in_progress", score: null, finalizedAt: null });
    expect(finalizeOverdueAttempts(ctx.db, deadline + ANSWER_GRACE_MS + 2)).toBe(0);
  });

  it("with a userId, finalizes only that member's attempts", () => {
    const mine = start(NOW).attemptId;
    const other = createUser(ctx.db);
    const theirs = start(NOW, other).attemptId;
    const later = NOW + LIMIT_MS + ANSWER_GRACE_MS + 1;
    expect(finalizeOverdueAttempts(ctx.db, later, { userId: other })).toBe(1);
    expect(attemptRow(ctx.db, theirs).status).toBe("expired");
    expect(attemptRow(ctx.db, mine).status).toBe("in_progress");
  });
});

describe("finalizeOverdueAttemptsInTurns (the periodic sweep)", () => {
  it("finalizes every overdue attempt in slices of 200, giving the event loop a turn after each", async () => {
    const ids = Array.from({ length: 450 }, () => start(NOW, createUser(ctx.db)).attemptId);
    const inTime = start(NOW + 30 * MINUTE, createUser(ctx.db)).attemptId;
    const after = NOW + LIMIT_MS + ANSWER_GRACE_MS + 1;
    // What the other work of the process sees between the slices: how many are closed by then.
    const seen: number[] = [];
    const closed = ctx.db.$client.prepare("select count(*) from attempts where status = 'expired'").pluck();
    let done = false;
    const watch = () => {
      if (done) return;
      seen.push(closed.get() as number);
      setImmediate(watch);
    };
    setImmediate(watch);
    expect(await finalizeOverdueAttemptsInTurns(ctx.db, after)).toBe(450);
    done = true;
    expect(seen).toEqual([200, 400, 450]);
    expect(ids.every((id) => attemptRow(ctx.db, id).status === "expired")).toBe(true);
    expect(attemptRow(ctx.db, inTime).status).toBe("in_progress");
    expect(await finalizeOverdueAttemptsInTurns(ctx.db, after + 1)).toBe(0);
  });
});

describe("ownership", () => {
  it("answers attempt_not_found to another member for getQuiz, saveAnswer, submitAttempt and getResult", () => {
    const { attemptId } = start();
    const stranger = createUser(ctx.db);
    const [q0] = storedItems(ctx.db, attemptId);
    const cases: [string, () => unknown][] = [
      ["getQuiz", () => getQuiz(ctx.db, attemptId, stranger, NOW + MINUTE)],
      ["saveAnswer", () => save(attemptId, q0!.position, q0!.correct, NOW + MINUTE, stranger)],
      [
        "submitAttempt",
        () => submitAttempt(ctx.db, { attemptId, userId: stranger, now: NOW + MINUTE, prediction: 1, confirmUnanswered: true }),
      ],
      ["getResult", () => getResult(ctx.db, attemptId, stranger, CLOSES_AT + MINUTE)],
    ];
    for (const [name, run] of cases) {
      const refusal = refusalOf(run);
      expect(refusal.code, name).toBe("attempt_not_found");
      expect(refusal.status, name).toBe(404);
    }
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "in_progress", score: null });
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
    // The owner still sees it.
    expect(getQuiz(ctx.db, attemptId, userId, NOW + MINUTE).attempt.id).toBe(attemptId);
  });

  it("answers attempt_not_found for an id that does not exist", () => {
    expectRefused(() => getQuiz(ctx.db, "no-such-attempt", userId, NOW), "attempt_not_found");
  });
});

describe("scoring from the stored draw", () => {
  it("stores the score that scoreAttempt gives over the stored draw and answers", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    const multi = items.find((i) => i.multipleAnswers)!;
    const twoPoints = items.find((i) => i.points === 2)!;
    const singles = items.filter((i) => !i.multipleAnswers && i.points === 1);
    save(attemptId, multi.position, [multi.correct[0]!], NOW + MINUTE); // a subset: wrong
    save(attemptId, twoPoints.position, twoPoints.correct, NOW + MINUTE); // right, 2 points
    save(attemptId, singles[0]!.position, singles[0]!.correct, NOW + MINUTE); // right
    save(attemptId, singles[1]!.position, [singles[1]!.wrong[0]!], NOW + MINUTE); // wrong
    submit(attemptId, NOW + 2 * MINUTE);

    const stored = storedItems(ctx.db, attemptId);
    const expected = scoreAttempt(stored.map((i) => ({ points: i.points, correctOptionIds: i.correct, chosen: i.chosen })));
    expect(expected).toEqual({ score: 3, maxScore: 8, correctCount: 2, questionCount: 7 });
    const row = attemptRow(ctx.db, attemptId);
    expect({ score: row.score, maxScore: row.maxScore, correctCount: row.correctCount, questionCount: row.questionCount }).toEqual(
      expected,
    );
    // A judge's re-score from the stored data gives the same numbers.
    expect(computeScores(ctx.db, [attemptId]).get(attemptId)).toEqual(expected);
  });

  it("keeps a stored result and its review when the bank is edited afterwards", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    const edited = byStem(items, "Câu hỏi a-002?");
    save(attemptId, edited.position, edited.correct, NOW + MINUTE);
    submit(attemptId, NOW + 2 * MINUTE);
    const before = attemptRow(ctx.db, attemptId);
    expect(before.score).toBe(2);

    // The organizer changes a-002: another correct option, another stem and explanation.
    const summary = importTestContent(
      ctx.db,
      {
        banks: [
          bankA({
            "a-002": {
              stem: "Câu hỏi đã sửa?",
              options: ["*10 tháng 9", "10 tháng 10", "10 tháng 11"],
              explanation: "GIẢI-THÍCH-MỚI",
            },
          }),
        ],
      },
      NOW + 3 * MINUTE,
    );
    expect(summary.questions.newVersions).toBe(1);
    const current = ctx.db.select({ versionId: questions.currentVersionId }).from(questions).where(eq(questions.key, "a-002")).get()!;
    expect(current.versionId).not.toBe(edited.versionId);

    expect(attemptRow(ctx.db, attemptId)).toEqual(before);
    expect(computeScores(ctx.db, [attemptId]).get(attemptId)).toMatchObject({ score: 2, correctCount: 1 });
    expect(storedItems(ctx.db, attemptId)[edited.position]!.versionId).toBe(edited.versionId);

    const { review } = getResult(ctx.db, attemptId, userId, CLOSES_AT + ANSWER_GRACE_MS);
    const shown = review!.find((r) => r.position === edited.position)!;
    expect(shown.stem).toBe("Câu hỏi a-002?");
    expect(shown.explanation).toBe("GIẢI-THÍCH-a-002");
    expect(shown.right).toBe(true);
    expect(shown.options.filter((o) => o.isCorrect).map((o) => o.text)).toEqual(["10 tháng 10"]);
    expect(shown.options.map((o) => o.id)).toEqual(edited.optionOrder);
    expect(JSON.stringify(review)).not.toContain("GIẢI-THÍCH-MỚI");

    // A new attempt draws the new version.
    const fresh = start(NOW + 4 * MINUTE, createUser(ctx.db)).attemptId;
    expect(byStem(storedItems(ctx.db, fresh), "Câu hỏi đã sửa?").versionId).toBe(current.versionId);
  });
});

describe("secrecy", () => {
  it("getQuiz carries no correct-option flags and no explanations", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    save(attemptId, items[0]!.position, items[0]!.correct, NOW + MINUTE);
    const quiz = getQuiz(ctx.db, attemptId, userId, NOW + 2 * MINUTE);
    expect(quiz.questions).toHaveLength(7);
    expect(quiz.questions[0]!.chosen).toEqual(items[0]!.correct);
    quiz.questions.forEach((q, i) => expect(q.options.map((o) => o.id)).toEqual(items[i]!.optionOrder));
    const json = JSON.stringify(quiz);
    expect(json).not.toMatch(/isCorrect/i);
    expect(json).not.toMatch(/explanation/i);
    const explanations = items.map((i) => i.explanation).filter((e): e is string => !!e);
    expect(explanations).toHaveLength(7);
    for (const text of explanations) expect(json).not.toContain(text);
    expect(json).not.toContain("GIẢI-THÍCH");
  });

  it("getResult gives only the member's choices before the round closes, and the full review once it closed and its grace passed", () => {
    const { attemptId } = start();
    const items = storedItems(ctx.db, attemptId);
    const multi = items.find((i) => i.multipleAnswers)!;
    save(attemptId, multi.position, multi.correct, NOW + MINUTE);
    save(attemptId, items.find((i) => !i.multipleAnswers)!.position, [items.find((i) => !i.multipleAnswers)!.wrong[0]!], NOW + MINUTE);
    submit(attemptId, NOW + 2 * MINUTE);

    const early = getResult(ctx.db, attemptId, userId, CLOSES_AT - 1);
    expect(early.review).toHaveLength(7);
    expect(early.review!.every((item) => !item.revealed && item.right === null && item.explanation === null)).toBe(true);
    expect(
      early
        .review!.find((item) => item.position === multi.position)!
        .options.filter((o) => o.chosen)
        .map((o) => o.id)
        .sort((a, b) => a - b),
    ).toEqual(multi.correct);
    expect(early.attempt).toMatchObject({ status: "submitted", score: 1 });
    const earlyJson = JSON.stringify(early);
    expect(earlyJson).not.toMatch(/isCorrect/);
    expect(earlyJson).not.toContain("GIẢI-THÍCH");

    // Answers in flight still count during the grace after the close: the key waits for it.
    expect(JSON.stringify(getResult(ctx.db, attemptId, userId, CLOSES_AT))).not.toContain("GIẢI-THÍCH");
    const { review } = getResult(ctx.db, attemptId, userId, CLOSES_AT + ANSWER_GRACE_MS);
    expect(review).toHaveLength(7);
    const after = storedItems(ctx.db, attemptId);
    for (const entry of review!) {
      const item = after[entry.position]!;
      expect(entry.explanation).toBe(item.explanation);
      expect(entry.options.map((o) => o.id)).toEqual(item.optionOrder);
      expect(
        entry.options
          .filter((o) => o.isCorrect)
          .map((o) => o.id)
          .sort((a, b) => a - b),
      ).toEqual(item.correct);
      expect(
        entry.options
          .filter((o) => o.chosen)
          .map((o) => o.id)
          .sort((a, b) => a - b),
      ).toEqual(item.chosen ?? []);
      expect(entry.answered).toBe(item.chosen !== null);
      expect(entry.right).toBe(entry.position === multi.position);
    }
  });

  it("getResult of another member's attempt in a closed round is still refused", () => {
    const { attemptId } = start();
    submit(attemptId, NOW + MINUTE);
    expectRefused(() => getResult(ctx.db, attemptId, createUser(ctx.db), CLOSES_AT + 1), "attempt_not_found");
  });
});

describe("stored rows", () => {
  it("keeps one item row per drawn question and one version per item", () => {
    const { attemptId } = start();
    const rows = ctx.db.select().from(attemptItems).where(eq(attemptItems.attemptId, attemptId)).all();
    expect(rows).toHaveLength(7);
    const versions = ctx.db
      .select({ id: questionVersions.id })
      .from(questionVersions)
      .all()
      .map((v) => v.id);
    for (const row of rows) expect(versions).toContain(row.questionVersionId);
  });
});
