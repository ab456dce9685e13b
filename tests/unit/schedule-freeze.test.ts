import { describe, expect, it } from "vitest";
import { ANSWER_GRACE_MS, canFreeze, freezableClosedBefore } from "~/domain/schedule";

describe("when a round's results can be frozen", () => {
  const round = { closesAt: 1_000_000 };
  it("not before its close plus the answer grace, from the next instant on", () => {
    expect(canFreeze(round, round.closesAt)).toBe(false);
    expect(canFreeze(round, round.closesAt + ANSWER_GRACE_MS)).toBe(false);
    expect(canFreeze(round, round.closesAt + ANSWER_GRACE_MS + 1)).toBe(true);
  });
  it("the query bound says the same: closesAt < freezableClosedBefore(now) exactly when canFreeze", () => {
    for (const now of [round.closesAt, round.closesAt + ANSWER_GRACE_MS, round.closesAt + ANSWER_GRACE_MS + 1]) {
      expect(round.closesAt < freezableClosedBefore(now)).toBe(canFreeze(round, now));
    }
  });
});
