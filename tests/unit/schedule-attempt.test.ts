import { describe, expect, it } from "vitest";
import { acceptsAnswers, ANSWER_GRACE_MS, attemptDeadline, isOverdue } from "~/domain/schedule";

const MIN = 60_000;
const start = Date.UTC(2024, 9, 1, 3, 0);

describe("attemptDeadline = min(start + time limit, closesAt)", () => {
  it("is start + limit when the round closes later", () => {
    expect(attemptDeadline(start, 20 * 60, start + 60 * MIN)).toBe(start + 20 * MIN);
  });
  it("is the round's close when the limit would run past it", () => {
    expect(attemptDeadline(start, 20 * 60, start + 5 * MIN)).toBe(start + 5 * MIN);
  });
  it("is either when they coincide", () => {
    expect(attemptDeadline(start, 600, start + 10 * MIN)).toBe(start + 10 * MIN);
  });
  it("counts the limit in seconds", () => {
    expect(attemptDeadline(start, 1, start + MIN)).toBe(start + 1000);
  });
});

describe("acceptsAnswers and isOverdue", () => {
  const deadline = start + 20 * MIN;

  it("has a grace of 15 seconds", () => {
    expect(ANSWER_GRACE_MS).toBe(15_000);
  });

  it("accepts before, at, and up to deadline + grace included", () => {
    expect(acceptsAnswers(deadline, start)).toBe(true);
    expect(acceptsAnswers(deadline, deadline)).toBe(true);
    expect(acceptsAnswers(deadline, deadline + 1)).toBe(true);
    expect(acceptsAnswers(deadline, deadline + ANSWER_GRACE_MS)).toBe(true);
  });

  it("refuses one millisecond after deadline + grace", () => {
    expect(acceptsAnswers(deadline, deadline + ANSWER_GRACE_MS + 1)).toBe(false);
    expect(acceptsAnswers(deadline, deadline + 60 * MIN)).toBe(false);
  });

  it("isOverdue is exactly the complement", () => {
    for (const now of [start, deadline, deadline + ANSWER_GRACE_MS, deadline + ANSWER_GRACE_MS + 1, deadline + 60 * MIN]) {
      expect(isOverdue(deadline, now)).toBe(!acceptsAnswers(deadline, now));
    }
    expect(isOverdue(deadline, deadline + ANSWER_GRACE_MS)).toBe(false);
    expect(isOverdue(deadline, deadline + ANSWER_GRACE_MS + 1)).toBe(true);
  });
});
