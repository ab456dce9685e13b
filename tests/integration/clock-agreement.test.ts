/**
 * Every page reads the one injected clock (app/.server/clock.server.ts): under the test clock the
 * home page, the contest page and the round page say the same thing about a round. The contest
 * page used to read Date.now() and said "closed" while the round page said "open".
 */
import { describe, expect, it } from "vitest";
import * as homePage from "~/routes/_index";
import * as contestPage from "~/routes/cuoc-thi.$contestId._index";
import * as roundPage from "~/routes/cuoc-thi.$contestId.vong.$roundNumber";
import { call, CLOSES_AT, context, getRequest, MINUTE, OPENS_AT, seedContent, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();

type Status = "upcoming" | "open" | "closed";

async function statuses() {
  const home = await call<{ contests: { id: string; current: { status: Status } | null }[] }>(() => homePage.loader());
  const contest = await call<{ now: number; rounds: { number: number; status: Status }[] }>(() =>
    contestPage.loader({ request: getRequest("/cuoc-thi/c1"), params: { contestId: "c1" }, context }),
  );
  const round = await call<{ now: number; round: { status: Status } }>(() =>
    roundPage.loader({ request: getRequest("/cuoc-thi/c1/vong/1"), params: { contestId: "c1", roundNumber: "1" }, context }),
  );
  return {
    home: home.data!.contests.find((c) => c.id === "c1")!.current!.status,
    contest: contest.data!.rounds.find((r) => r.number === 1)!.status,
    round: round.data!.round.status,
    contestNow: contest.data!.now,
    roundNow: round.data!.now,
  };
}

describe("the contest page and the round page under the test clock", () => {
  it.each([
    { when: "before the round opens", at: OPENS_AT - MINUTE, expected: "upcoming" },
    { when: "while it is open", at: OPENS_AT + MINUTE, expected: "open" },
    { when: "in its last minute", at: CLOSES_AT - MINUTE, expected: "open" },
    { when: "after it closes", at: CLOSES_AT + MINUTE, expected: "closed" },
  ] as const)("$when, all three pages say $expected", async ({ at, expected }) => {
    seedContent(ctx.db);
    ctx.now = at;
    const seen = await statuses();
    expect(seen).toEqual({ home: expected, contest: expected, round: expected, contestNow: at, roundNow: at });
  });
});
