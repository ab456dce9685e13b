import { describe, expect, it } from "vitest";
import { isAnswerCorrect, scoreAttempt } from "~/domain/scoring";

describe("isAnswerCorrect: single answer", () => {
  it("is right with the correct option", () => {
    expect(isAnswerCorrect([11], [11])).toBe(true);
  });
  it("is wrong with another option", () => {
    expect(isAnswerCorrect([11], [12])).toBe(false);
  });
  it("is wrong when unanswered (null or empty)", () => {
    expect(isAnswerCorrect([11], null)).toBe(false);
    expect(isAnswerCorrect([11], [])).toBe(false);
  });
  it("is wrong when the correct option is picked together with another", () => {
    expect(isAnswerCorrect([11], [11, 12])).toBe(false);
  });
});

describe("isAnswerCorrect: multi-answer, all or nothing", () => {
  const correct = [21, 22, 24];
  it("is right with exactly the correct set, in any order", () => {
    expect(isAnswerCorrect(correct, [21, 22, 24])).toBe(true);
    expect(isAnswerCorrect(correct, [24, 21, 22])).toBe(true);
  });
  it("is wrong with a subset", () => {
    expect(isAnswerCorrect(correct, [21, 22])).toBe(false);
    expect(isAnswerCorrect(correct, [24])).toBe(false);
  });
  it("is wrong with a superset", () => {
    expect(isAnswerCorrect(correct, [21, 22, 23, 24])).toBe(false);
  });
  it("is wrong with the right count but a wrong option", () => {
    expect(isAnswerCorrect(correct, [21, 22, 23])).toBe(false);
  });
  it("does not count duplicates: a repeated option is not the correct set", () => {
    expect(isAnswerCorrect([21, 22], [21, 21])).toBe(false);
    expect(isAnswerCorrect([21, 22], [21, 22, 22])).toBe(false);
    expect(isAnswerCorrect([21], [21, 21])).toBe(false);
  });
});

describe("scoreAttempt", () => {
  it("sums points of the right answers, with maxScore, correctCount and questionCount", () => {
    const result = scoreAttempt([
      { points: 1, correctOptionIds: [1], chosen: [1] }, // right
      { points: 2, correctOptionIds: [5], chosen: [5] }, // right, worth 2
      { points: 3, correctOptionIds: [7, 8], chosen: [7] }, // subset: wrong
      { points: 1, correctOptionIds: [9], chosen: null }, // unanswered
      { points: 5, correctOptionIds: [10, 11], chosen: [11, 10] }, // right, worth 5
    ]);
    expect(result).toEqual({ score: 8, maxScore: 12, correctCount: 3, questionCount: 5 });
  });

  it("weights by points, not by count", () => {
    const heavyWrong = scoreAttempt([
      { points: 1, correctOptionIds: [1], chosen: [1] },
      { points: 4, correctOptionIds: [2], chosen: [3] },
    ]);
    const heavyRight = scoreAttempt([
      { points: 1, correctOptionIds: [1], chosen: [2] },
      { points: 4, correctOptionIds: [2], chosen: [2] },
    ]);
    expect(heavyWrong).toMatchObject({ score: 1, correctCount: 1, maxScore: 5 });
    expect(heavyRight).toMatchObject({ score: 4, correctCount: 1, maxScore: 5 });
  });

  it("scores nothing for an attempt with nothing answered, and zero of zero for no questions", () => {
    expect(
      scoreAttempt([
        { points: 2, correctOptionIds: [1], chosen: null },
        { points: 1, correctOptionIds: [2], chosen: [] },
      ]),
    ).toEqual({ score: 0, maxScore: 3, correctCount: 0, questionCount: 2 });
    expect(scoreAttempt([])).toEqual({ score: 0, maxScore: 0, correctCount: 0, questionCount: 0 });
  });

  it("does not score duplicated picks", () => {
    expect(scoreAttempt([{ points: 1, correctOptionIds: [1, 2], chosen: [1, 1] }])).toMatchObject({ score: 0, correctCount: 0 });
  });
});
