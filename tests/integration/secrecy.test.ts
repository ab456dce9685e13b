/**
 * The answer key stays secret while any round, in any contest, can still draw the question
 * (docs/decisions/005-answer-key-secrecy.md): the result page's loader data and its HTML, the
 * contest's reviewAfter and showScore settings, and practice contests.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { saveAnswer, startAttempt, submitAttempt } from "~/.server/attempts.server";
import { storeRoundResults } from "~/.server/results.server";
import { getContest } from "~/.server/contests.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { t } from "~/i18n/vi";
import * as resultRoute from "~/routes/bai-thi.$attemptId.ket-qua";
import * as roundRoute from "~/routes/cuoc-thi.$contestId.vong.$roundNumber";
import * as deskRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber";
import * as downloadRoute from "~/routes/giam-khao.$contestId.vong.$roundNumber.tai.$file";
import { contests, prizeTiers, roundResults, users } from "../../db/schema";
import {
  call,
  CLOSES_AT,
  context,
  contest,
  createUser,
  DAY,
  getRequest,
  MINUTE,
  NOW,
  OPENS_AT,
  roundIdOf,
  seedContent,
  sessionCookie,
  storedItems,
  useTestDatabase,
} from "./helpers";

// The page is rendered outside a Remix router: it reads the loader data given here.
const rendered = vi.hoisted(() => ({ data: null as unknown }));
vi.mock("@remix-run/react", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@remix-run/react")>();
  const { createElement: h } = await import("react");
  return {
    ...actual,
    useLoaderData: () => rendered.data,
    Link: ({ to, children, ...rest }: { to: string; children?: unknown }) => h("a", { href: to, ...rest }, children as never),
  };
});

const ctx = useTestDatabase();

const WEEK = 7 * DAY;
const ROUND2_CLOSES = CLOSES_AT + WEEK;
/** Round 1 is closed (and its grace passed); round 2, on the same banks, is open. */
const DURING_ROUND2 = CLOSES_AT + ANSWER_GRACE_MS + MINUTE;
const AFTER_ROUND2 = ROUND2_CLOSES + ANSWER_GRACE_MS;

const quotas = [
  { bankId: "bo-a", questionCount: 4, line: 1 },
  { bankId: "bo-b", questionCount: 3, line: 1 },
];

/** Contest c1: round 1 [OPENS_AT, CLOSES_AT), round 2 the week after, both on banks A and B. */
function twoWeeks(overrides: Parameters<typeof contest>[0] = {}) {
  return contest({
    rounds: [
      { number: 1, title: "Vòng 1", opensAt: OPENS_AT, closesAt: CLOSES_AT, quotas, line: 1 },
      { number: 2, title: "Vòng 2", opensAt: CLOSES_AT, closesAt: ROUND2_CLOSES, quotas, line: 1 },
    ],
    ...overrides,
  });
}

/** A member takes a round at `at`, answers every question correctly, and submits. */
async function takeRound(roundId: number, at = NOW) {
  const userId = createUser(ctx.db);
  const cookie = await sessionCookie(ctx.db, userId);
  const { attemptId } = startAttempt(ctx.db, { roundId, userId, now: at });
  const items = storedItems(ctx.db, attemptId);
  for (const item of items) saveAnswer(ctx.db, { attemptId, userId, position: item.position, chosen: item.correct, now: at + MINUTE });
  submitAttempt(ctx.db, { attemptId, userId, now: at + 2 * MINUTE, prediction: 10, confirmUnanswered: true });
  return { userId, cookie, attemptId, items };
}

type ResultData = Awaited<ReturnType<typeof resultRoute.loader>>;

async function resultPage(attemptId: string, cookie: string) {
  const result = await call<ResultData>(() =>
    resultRoute.loader({ request: getRequest(`/bai-thi/${attemptId}/ket-qua`, { cookie }), params: { attemptId }, context }),
  );
  expect(result.status).toBe(200);
  rendered.data = result.data;
  const html = renderToStaticMarkup(createElement(resultRoute.default));
  return { data: result.data!, json: JSON.stringify(result.data), html };
}

/** Nothing of a key: no correct-option flag, no explanation, no "correct answer" mark, no verdict. */
function expectNoKey(page: { json: string; html: string }, explanations: string[]) {
  expect(page.json).not.toMatch(/isCorrect/);
  expect(page.json).not.toContain("GIẢI-THÍCH");
  expect(page.html).not.toContain("GIẢI-THÍCH");
  expect(page.html).not.toContain(`✓ ${t.result.correctAnswer}`);
  expect(page.html).not.toContain(`>${t.result.right}<`);
  for (const text of explanations) expect(page.json).not.toContain(text);
}

describe("the key of a question waits for every round that can still draw it", () => {
  beforeEach(() => seedContent(ctx.db, [twoWeeks()]));

  it("round 1 closed, round 2 open on the same banks: round 1's review shows the member's choices, no key", async () => {
    const { cookie, attemptId, items } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.now = DURING_ROUND2;
    const page = await resultPage(attemptId, cookie);
    expectNoKey(
      page,
      items.map((i) => i.explanation!),
    );
    expect(page.data.review).toHaveLength(7);
    for (const entry of page.data.review) {
      expect(entry).toMatchObject({ revealed: false, right: null, explanation: null, revealAt: "15/10/2024 07:00" });
      const item = items[entry.position]!;
      expect(
        entry.options
          .filter((o) => o.chosen)
          .map((o) => o.id)
          .sort((a, b) => a - b),
      ).toEqual(item.correct);
    }
    // The member's own choices, each question marked with when its key becomes known (Vietnam time).
    expect(page.html).toContain(secrecyStrings.keyHiddenUntil("15/10/2024 07:00"));
    expect(page.html).toContain(t.result.yourAnswer);
    // The score is the contest's default: shown at once.
    expect(page.data.attempt).toMatchObject({ score: 8, maxScore: 8, correctCount: 7 });
  });

  it("after round 2 closes (and its answer grace), round 1's review shows the correct options and explanations", async () => {
    const { cookie, attemptId, items } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.now = ROUND2_CLOSES; // round 2 has closed but answers in flight still count
    expectNoKey(await resultPage(attemptId, cookie), []);
    ctx.now = AFTER_ROUND2;
    const page = await resultPage(attemptId, cookie);
    for (const entry of page.data.review) {
      const item = items[entry.position]!;
      expect(entry).toMatchObject({ revealed: true, right: true, explanation: item.explanation });
      expect(
        entry.options
          .filter((o) => o.isCorrect)
          .map((o) => o.id)
          .sort((a, b) => a - b),
      ).toEqual(item.correct);
    }
    expect(page.html).toContain("GIẢI-THÍCH-a-001");
    expect(page.html).toContain(`✓ ${t.result.correctAnswer}`);
    expect(page.html).not.toContain(secrecyStrings.keyHidden);
  });

  it("a question only in banks no later round draws is revealed while the other bank waits", async () => {
    ctx.db.$client.prepare("delete from round_quotas where round_id = ? and bank_id = 'bo-b'").run(roundIdOf(ctx.db, "c1", 2));
    ctx.db.$client.prepare("update round_quotas set question_count = 7 where round_id = ?").run(roundIdOf(ctx.db, "c1", 2));
    const { cookie, attemptId, items } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.now = DURING_ROUND2;
    const page = await resultPage(attemptId, cookie);
    const byStem = new Map(page.data.review.map((entry) => [entry.stem, entry]));
    for (const item of items) {
      const entry = byStem.get(item.stem)!;
      const inBankB = item.stem.startsWith("Câu hỏi b-");
      expect(entry.revealed).toBe(inBankB);
      expect(entry.explanation).toBe(inBankB ? item.explanation : null);
    }
    expect(page.html).toContain("GIẢI-THÍCH-b-001");
    expect(page.html).not.toContain("GIẢI-THÍCH-a-001");
  });

  it("a question retired from its bank is revealed: no round can draw it any more", async () => {
    const { cookie, attemptId } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.db.$client.prepare("update questions set active = 0 where key = 'a-001'").run();
    ctx.now = DURING_ROUND2;
    const page = await resultPage(attemptId, cookie);
    expect(page.data.review.find((e) => e.stem === "Câu hỏi a-001?")).toMatchObject({ revealed: true, explanation: "GIẢI-THÍCH-a-001" });
    expect(page.data.review.filter((e) => e.revealed)).toHaveLength(1);
  });
});

describe("the judges' desk", () => {
  beforeEach(() => seedContent(ctx.db, [twoWeeks()]));

  it("carries no key of a closed round whose questions an open round still draws: page data and every download", async () => {
    const { items } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    const judge = createUser(ctx.db);
    ctx.db.update(users).set({ role: "judge" }).where(eq(users.id, judge)).run();
    const cookie = await sessionCookie(ctx.db, judge);
    ctx.now = DURING_ROUND2;
    storeRoundResults(ctx.db, roundIdOf(ctx.db, "c1", 1), ctx.now);
    const params = { contestId: "c1", roundNumber: "1" };
    const desk = await call(() => deskRoute.loader({ request: getRequest("/giam-khao/c1/vong/1", { cookie }), params, context }));
    expect(desk.status).toBe(200);
    const bodies = [JSON.stringify(desk.data)];
    for (const file of ["giai.csv", "xep-hang.csv"]) {
      const download = await call(() =>
        downloadRoute.loader({ request: getRequest(`/giam-khao/c1/vong/1/tai/${file}`, { cookie }), params: { ...params, file }, context }),
      );
      expect(download.status).toBe(200);
      bodies.push(await download.response!.text());
    }
    for (const body of bodies) {
      expect(body).not.toMatch(/isCorrect|GIẢI-THÍCH/);
      for (const item of items) expect(body).not.toContain(item.stem);
    }
  });
});

describe("reviewAfter: contest-end", () => {
  it("holds the review until the contest's last round closes, even when no round draws the question", async () => {
    // Round 2 draws only bank B: under the default rule, bank A's keys would show once round 1 closed.
    // (A contest file must draw the full count each round, so bank A leaves round 2 behind the importer's back.)
    seedContent(ctx.db, [
      contest({
        questionsPerAttempt: 7,
        reviewAfter: "contest-end",
        rounds: [
          { number: 1, title: "Vòng 1", opensAt: OPENS_AT, closesAt: CLOSES_AT, quotas, line: 1 },
          { number: 2, title: "Vòng 2", opensAt: CLOSES_AT, closesAt: ROUND2_CLOSES, quotas, line: 1 },
        ],
      }),
    ]);
    ctx.db.$client.prepare("delete from round_quotas where round_id = ? and bank_id = 'bo-a'").run(roundIdOf(ctx.db, "c1", 2));
    const { cookie, attemptId } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.now = DURING_ROUND2;
    const page = await resultPage(attemptId, cookie);
    expectNoKey(page, []);
    expect(page.data.review.every((e) => e.revealAt === "15/10/2024 07:00")).toBe(true);

    ctx.db.update(contests).set({ reviewAfter: "questions-unused" }).where(eq(contests.id, "c1")).run();
    const byDefault = await resultPage(attemptId, cookie);
    expect(byDefault.data.review.filter((e) => e.revealed)).toHaveLength(4);

    ctx.db.update(contests).set({ reviewAfter: "contest-end" }).where(eq(contests.id, "c1")).run();
    ctx.now = AFTER_ROUND2;
    expect((await resultPage(attemptId, cookie)).data.review.every((e) => e.revealed)).toBe(true);
  });
});

describe("showScore: after-close", () => {
  beforeEach(() => seedContent(ctx.db, [twoWeeks({ showScore: "after-close" })]));

  it("leaves the score and correct count out of the result page's data until the round closes", async () => {
    const { cookie, attemptId } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.now = NOW + 3 * MINUTE;
    const open = await resultPage(attemptId, cookie);
    expect(open.data.attempt).toMatchObject({ score: null, correctCount: null, maxScore: 8 });
    expect(open.data.scoreLater).toBe("08/10/2024 07:00");
    expect(open.json).not.toMatch(/"score":8|"correctCount":7/);
    expect(open.html).toContain(secrecyStrings.scoreLater("08/10/2024 07:00"));
    expect(open.html).not.toContain("8/8");

    ctx.now = CLOSES_AT + ANSWER_GRACE_MS;
    const closed = await resultPage(attemptId, cookie);
    expect(closed.data.attempt).toMatchObject({ score: 8, correctCount: 7 });
    expect(closed.data.scoreLater).toBeNull();
    expect(closed.html).toContain("8/8");
  });

  it("leaves the score out of the round page's data too", async () => {
    const { cookie, attemptId } = await takeRound(roundIdOf(ctx.db, "c1", 1));
    ctx.now = NOW + 3 * MINUTE;
    const page = await call<Awaited<ReturnType<typeof roundRoute.loader>>>(() =>
      roundRoute.loader({ request: getRequest("/cuoc-thi/c1/vong/1", { cookie }), params: { contestId: "c1", roundNumber: "1" }, context }),
    );
    expect(page.data!.member!.attempts).toEqual([expect.objectContaining({ id: attemptId, score: null, correctCount: null })]);
  });
});

describe("a practice contest", () => {
  it("sharing the live contest's bank reveals nothing while the live round is open", async () => {
    // The live contest's round runs a week after the practice round, on the same banks.
    const practice = contest({
      id: "thi-thu",
      file: "tests/contests/thi-thu.md",
      practice: true,
      rounds: [{ number: 1, title: "Thi thử", opensAt: OPENS_AT, closesAt: CLOSES_AT, quotas, line: 1 }],
    });
    const live = contest({
      rounds: [{ number: 1, title: "Vòng 1", opensAt: CLOSES_AT, closesAt: ROUND2_CLOSES, quotas, line: 1 }],
    });
    seedContent(ctx.db, [practice, live]);
    const { cookie, attemptId } = await takeRound(roundIdOf(ctx.db, "thi-thu", 1));
    ctx.now = DURING_ROUND2;
    const page = await resultPage(attemptId, cookie);
    expectNoKey(page, []);
    expect(page.data.practice).toBe(true);
    expect(page.html).toContain(secrecyStrings.practiceBadge);

    ctx.now = AFTER_ROUND2;
    expect((await resultPage(attemptId, cookie)).data.review.every((e) => e.revealed)).toBe(true);
  });

  it("gives no prizes and no winners, even with prize tiers stored", async () => {
    seedContent(ctx.db, [contest({ practice: true })]);
    ctx.db.insert(prizeTiers).values({ contestId: "c1", position: 0, name: "Giải Nhất", count: 1 }).run();
    await takeRound(roundIdOf(ctx.db, "c1", 1));
    storeRoundResults(ctx.db, roundIdOf(ctx.db, "c1", 1), CLOSES_AT + ANSWER_GRACE_MS);
    const results = ctx.db.select().from(roundResults).all();
    expect(results).toHaveLength(1);
    expect(results[0]!.prize).toBeNull();
    expect(getContest(ctx.db, "c1")).toMatchObject({ practice: true, prizes: [] });
  });
});
