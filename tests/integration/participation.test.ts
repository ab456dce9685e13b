/**
 * Participation over time, as the leaderboard charts and the organizers' dashboard draw it: whole
 * days and whole hours in the contest's timezone, every attempt counted once.
 */
import { beforeEach, expect, it } from "vitest";
import { activityByHour, roundTotals } from "~/.server/participation.server";
import { participationByDay } from "~/.server/results.server";
import { timezoneOffset } from "~/domain/time";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { CLOSES_AT, OPENS_AT, roundIdOf, seedContent, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
const MEMBERS = 300;
let roundId: number;

beforeEach(() => {
  seedContent(ctx.db);
  roundId = roundIdOf(ctx.db);
  generateSyntheticAttempts(ctx.db, { roundId, members: MEMBERS });
});

const offset = timezoneOffset(OPENS_AT, "Asia/Ho_Chi_Minh");

it("groups finalized attempts by whole days, each attempt counted once", () => {
  const days = participationByDay(ctx.db, roundId, offset);
  const roundDays = Math.ceil((CLOSES_AT - OPENS_AT) / 86_400_000) + 1;
  expect(days.length).toBeGreaterThan(1);
  expect(days.length).toBeLessThanOrEqual(roundDays);
  expect(days.reduce((n, d) => n + d.attempts, 0)).toBe(MEMBERS);
  for (const d of days) expect((d.dayStart + offset) % 86_400_000).toBe(0);
});

it("groups starts and submissions by whole hours", () => {
  const hours = activityByHour(ctx.db, roundId, offset);
  expect(hours.length).toBeLessThanOrEqual((CLOSES_AT - OPENS_AT) / 3_600_000 + 1);
  expect(hours.reduce((n, h) => n + h.starts, 0)).toBe(MEMBERS);
  expect(hours.reduce((n, h) => n + h.submissions, 0)).toBe(MEMBERS);
  for (const h of hours) expect((h.hourStart + offset) % 3_600_000).toBe(0);
  expect(roundTotals(ctx.db, roundId)).toEqual({ starts: MEMBERS, inProgress: 0, submissions: MEMBERS, expired: 0, participants: MEMBERS });
});
