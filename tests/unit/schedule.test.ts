import { describe, expect, it } from "vitest";
import { currentRound, nextStatusChange, roundStatus, splitDuration, windowsOverlap } from "~/domain/schedule";

const opensAt = Date.UTC(2024, 8, 30, 3, 0);
const closesAt = Date.UTC(2024, 9, 7, 2, 30);
const round = { opensAt, closesAt };

describe("roundStatus: a round is open on [opensAt, closesAt)", () => {
  it("is upcoming until the opening instant", () => {
    expect(roundStatus(round, opensAt - 86_400_000)).toBe("upcoming");
    expect(roundStatus(round, opensAt - 1)).toBe("upcoming");
  });

  it("is open from the opening instant, included", () => {
    expect(roundStatus(round, opensAt)).toBe("open");
    expect(roundStatus(round, opensAt + 1)).toBe("open");
    expect(roundStatus(round, closesAt - 1)).toBe("open");
  });

  it("is closed from the closing instant, included", () => {
    expect(roundStatus(round, closesAt)).toBe("closed");
    expect(roundStatus(round, closesAt + 1)).toBe("closed");
  });
});

describe("nextStatusChange", () => {
  it("is the opening while upcoming, the closing while open, none once closed", () => {
    expect(nextStatusChange(round, opensAt - 1)).toBe(opensAt);
    expect(nextStatusChange(round, opensAt)).toBe(closesAt);
    expect(nextStatusChange(round, closesAt - 1)).toBe(closesAt);
    expect(nextStatusChange(round, closesAt)).toBeNull();
    expect(nextStatusChange(round, closesAt + 1_000_000)).toBeNull();
  });
});

describe("currentRound", () => {
  const day = 86_400_000;
  const base = Date.UTC(2024, 9, 1);
  const r1 = { number: 1, opensAt: base, closesAt: base + 7 * day };
  const r2 = { number: 2, opensAt: base + 7 * day, closesAt: base + 14 * day };
  const r3 = { number: 3, opensAt: base + 20 * day, closesAt: base + 27 * day };
  // deliberately out of order: the function must not rely on the order it is given
  const rounds = [r3, r1, r2];

  it("is undefined without rounds", () => {
    expect(currentRound([], base)).toBeUndefined();
  });

  it("is the first round to open before any opened", () => {
    expect(currentRound(rounds, base - day)?.number).toBe(1);
  });

  it("is the open round", () => {
    expect(currentRound(rounds, base)?.number).toBe(1);
    expect(currentRound(rounds, base + 7 * day - 1)?.number).toBe(1);
    // at the instant round 1 closes and round 2 opens, round 2 is the current one
    expect(currentRound(rounds, base + 7 * day)?.number).toBe(2);
    expect(currentRound(rounds, base + 25 * day)?.number).toBe(3);
  });

  it("is the next to open between rounds", () => {
    expect(currentRound(rounds, base + 14 * day)?.number).toBe(3);
    expect(currentRound(rounds, base + 19 * day)?.number).toBe(3);
  });

  it("is the last round once all have closed", () => {
    expect(currentRound(rounds, base + 27 * day)?.number).toBe(3);
    expect(currentRound(rounds, base + 400 * day)?.number).toBe(3);
  });

  it("does not reorder its input", () => {
    const copy = [...rounds];
    currentRound(rounds, base);
    expect(rounds).toEqual(copy);
  });
});

describe("windowsOverlap", () => {
  const w = (a: number, b: number) => ({ opensAt: a, closesAt: b });

  it("touching windows [a, b) and [b, c) do not overlap", () => {
    expect(windowsOverlap(w(0, 10), w(10, 20))).toBe(false);
    expect(windowsOverlap(w(10, 20), w(0, 10))).toBe(false);
  });

  it("windows sharing any instant overlap, in either order", () => {
    expect(windowsOverlap(w(0, 10), w(9, 20))).toBe(true);
    expect(windowsOverlap(w(9, 20), w(0, 10))).toBe(true);
    expect(windowsOverlap(w(0, 100), w(40, 50))).toBe(true); // one inside the other
    expect(windowsOverlap(w(40, 50), w(0, 100))).toBe(true);
    expect(windowsOverlap(w(0, 10), w(0, 10))).toBe(true);
  });

  it("separate windows do not overlap", () => {
    expect(windowsOverlap(w(0, 10), w(11, 20))).toBe(false);
    expect(windowsOverlap(w(30, 40), w(0, 10))).toBe(false);
  });
});

describe("splitDuration", () => {
  it("splits milliseconds into days, hours, minutes and seconds, never negative", () => {
    expect(splitDuration(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000 + 999)).toEqual({ days: 2, hours: 3, minutes: 4, seconds: 5 });
    expect(splitDuration(0)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
    expect(splitDuration(-5000)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
  });
});
