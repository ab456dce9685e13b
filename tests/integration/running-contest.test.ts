/**
 * A running contest is protected in the console (issue 17, docs/decisions/008): an open round is not
 * cut short under members who are answering, a closed round keeps its times, the fairness settings
 * are locked once the first round has opened, a closed round keeps the prize tiers and minimum
 * score it closed with at every later judge decision, and every change is audited with its values.
 * The same rules through `content:import`: running-contest-import.test.ts.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { saveAnswer } from "~/.server/attempts.server";
import { disqualify, freezeClosedRounds } from "~/.server/results.server";
import { ruleMessages } from "~/domain/contest-rules";
import { formatDateTime, formatLocalDateTime } from "~/domain/time";
import { contestRulesUi } from "~/i18n/contest-rules.vi";
import * as contestPage from "~/routes/cuoc-thi.$contestId._index";
import * as editor from "~/routes/to-chuc.cuoc-thi.$contestId";
import { auditLog, contests } from "../../db/schema";
import {
  attemptRow,
  call,
  CLOSES_AT,
  context,
  createUser,
  DAY,
  getRequest,
  MINUTE,
  NOW,
  OPENS_AT,
  postRequest,
  roundIdOf,
  seedContent,
  sessionCookie,
  storedItems,
  useTestDatabase,
} from "./helpers";
import { FREEZE_1, inRound1, resultsContest, roundRow, setRole, SLOTS, storedRows, takeRound, TIERS } from "./results-helpers";

const ctx = useTestDatabase();
const TZ = "Asia/Ho_Chi_Minh";
const vn = (instant: number) => formatLocalDateTime(instant, TZ);
const labels = ruleMessages.settingLabels;

let organizer: string;
let cookie: string;
let roundId: number;

beforeEach(async () => {
  // c1: prizes 1 Nhất, 2 Nhì, 3 Ba; round 1 open 1–8 Oct 2024 (NOW is inside), round 2 the week after.
  seedContent(ctx.db, [resultsContest()]);
  roundId = roundIdOf(ctx.db, "c1", 1);
  organizer = createUser(ctx.db);
  setRole(ctx.db, organizer, "organizer");
  cookie = await sessionCookie(ctx.db, organizer);
});

type EditorResult = { errors: Record<string, string>; saved: boolean };

function post(fields: [string, string][]) {
  return call<EditorResult>(() =>
    editor.action({ request: postRequest("/to-chuc/cuoc-thi/c1", fields, { cookie }), params: { contestId: "c1" }, context }),
  );
}

/** Round 1 as the form sends it, with the times given. */
function saveRound1({ opens = OPENS_AT, closes }: { opens?: number; closes: number }) {
  return post([
    ["intent", "save-round"],
    ["number", "1"],
    ["title", "Vòng 1"],
    ["opens", vn(opens)],
    ["closes", vn(closes)],
    ["bank.bo-a", "4"],
    ["bank.bo-b", "3"],
  ]);
}

/** The settings form as stored, with changes; a value of null leaves the field out (an unticked box). */
function saveSettings(changes: Record<string, string | null> = {}) {
  const fields: Record<string, string | null> = {
    intent: "settings",
    title: "Cuộc thi thử nghiệm",
    timezone: TZ,
    timeLimitMinutes: "20",
    questionsPerAttempt: "7",
    attemptsPerRound: "2",
    prediction: "on",
    rulesMarkdown: "",
    prizes: "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3",
    minPrizeScore: "",
    ...changes,
  };
  return post(Object.entries(fields).filter((e): e is [string, string] => e[1] !== null));
}

const contestRow = () => ctx.db.select().from(contests).where(eq(contests.id, "c1")).get()!;
const auditOf = (action: string) => ctx.db.select().from(auditLog).where(eq(auditLog.action, action)).all();

describe("an open round's close", () => {
  it("cannot be cut short under a member who is answering; the member keeps answering", async () => {
    // One member finished, one is answering: started 5 minutes ago, 20-minute limit.
    const finished = createUser(ctx.db);
    const answering = createUser(ctx.db);
    takeRound(ctx.db, {
      roundId,
      userId: finished,
      startAt: NOW - 60 * MINUTE,
      finishAt: NOW - 50 * MINUTE,
      prediction: 2,
      answers: "all",
    });
    const attemptId = takeRound(ctx.db, {
      roundId,
      userId: answering,
      startAt: NOW - 5 * MINUTE,
      finishAt: null,
      prediction: null,
      answers: "none",
    });

    const cut = await saveRound1({ closes: NOW + 5 * MINUTE });
    expect(cut.status).toBe(409);
    expect(cut.data!.errors["rounds.1.closes"]).toBe(ruleMessages.cutShort(1, formatDateTime(NOW + 20 * MINUTE, TZ), true));
    expect(roundRow(ctx.db, roundId).closesAt).toBe(CLOSES_AT);
    expect(auditOf("round.update")).toEqual([]);

    // Ten minutes later the member still answers, past the refused close.
    const item = storedItems(ctx.db, attemptId)[1]!;
    expect(() =>
      saveAnswer(ctx.db, { attemptId, userId: answering, position: item.position, chosen: item.correct, now: NOW + 10 * MINUTE }),
    ).not.toThrow();

    // Earlier, but not before now + the time limit: allowed, and audited with the old and new close.
    expect((await saveRound1({ closes: NOW + 20 * MINUTE })).status).toBe(200);
    expect(roundRow(ctx.db, roundId).closesAt).toBe(NOW + 20 * MINUTE);
    expect(auditOf("round.update")).toMatchObject([
      {
        actorUserId: organizer,
        subject: `round:${roundId}`,
        subjectKind: "round",
        before: { closesAt: CLOSES_AT },
        after: { closesAt: NOW + 20 * MINUTE },
        details: { via: "console", change: "save-round", number: 1 },
      },
    ]);
    // Later is always allowed.
    expect((await saveRound1({ closes: CLOSES_AT })).status).toBe(200);
    expect(roundRow(ctx.db, roundId).closesAt).toBe(CLOSES_AT);
  });

  it("moved later gives a member whose attempt ended at the old close their full time", async () => {
    const late = createUser(ctx.db);
    const attemptId = takeRound(ctx.db, {
      roundId,
      userId: late,
      startAt: CLOSES_AT - 5 * MINUTE,
      finishAt: null,
      prediction: null,
      answers: "none",
    });
    expect(attemptRow(ctx.db, attemptId).deadlineAt).toBe(CLOSES_AT);
    ctx.now = CLOSES_AT - 4 * MINUTE;
    // Round 2 opens at round 1's close: move it a day first, then round 1's close an hour later.
    const round2 = await post([
      ["intent", "save-round"],
      ["number", "2"],
      ["title", "Vòng 2"],
      ["opens", vn(CLOSES_AT + DAY)],
      ["closes", vn(CLOSES_AT + 8 * DAY)],
      ["bank.bo-a", "4"],
      ["bank.bo-b", "3"],
    ]);
    expect(round2.status).toBe(200);
    expect((await saveRound1({ closes: CLOSES_AT + 60 * MINUTE })).status).toBe(200);
    expect(attemptRow(ctx.db, attemptId).deadlineAt).toBe(CLOSES_AT + 15 * MINUTE);
  });

  it("cannot be cut short even when nobody is answering: who starts now gets the full time", async () => {
    const cut = await saveRound1({ closes: NOW + 19 * MINUTE });
    expect(cut.status).toBe(409);
    expect(cut.data!.errors["rounds.1.closes"]).toBe(ruleMessages.cutShort(1, formatDateTime(NOW + 20 * MINUTE, TZ), false));
  });
});

describe("a closed round", () => {
  it("keeps its times: its close cannot move to the future (no reopening), nor its opening", async () => {
    const member = createUser(ctx.db);
    takeRound(ctx.db, { roundId, userId: member, startAt: inRound1(3), finishAt: inRound1(3) + 5 * MINUTE, prediction: 1, answers: "all" });
    ctx.now = FREEZE_1 + DAY;
    freezeClosedRounds(ctx.db, ctx.now);
    const results = storedRows(ctx.db, roundId);

    const reopen = await saveRound1({ closes: Date.UTC(2026, 0, 1) });
    expect(reopen.status).toBe(409);
    const closedAt = formatDateTime(CLOSES_AT, TZ);
    expect(reopen.data!.errors["rounds.1.closes"]).toBe(ruleMessages.closedRoundLocked(1, "closes", closedAt));
    const moved = await saveRound1({ opens: OPENS_AT - DAY, closes: CLOSES_AT - DAY });
    expect(moved.data!.errors["rounds.1.opens"]).toBe(ruleMessages.closedRoundLocked(1, "opens", closedAt));
    expect(moved.data!.errors["rounds.1.closes"]).toBe(ruleMessages.closedRoundLocked(1, "closes", closedAt));

    expect(roundRow(ctx.db, roundId)).toMatchObject({ opensAt: OPENS_AT, closesAt: CLOSES_AT });
    expect(storedRows(ctx.db, roundId)).toEqual(results);
  });
});

describe("the settings that decide fairness", () => {
  it("are locked once the first round has opened, each refusal on its field", async () => {
    const before = contestRow();
    const result = await saveSettings({
      timeLimitMinutes: "30",
      attemptsPerRound: "3",
      questionsPerAttempt: "6",
      prediction: null,
      timezone: "Asia/Bangkok",
    });
    expect(result.status).toBe(409);
    const opened = formatDateTime(OPENS_AT, TZ);
    expect(result.data!.errors).toMatchObject({
      timeLimitMinutes: ruleMessages.settingLocked(labels.timeLimitMinutes, opened),
      attemptsPerRound: ruleMessages.settingLocked(labels.attemptsPerRound, opened),
      questionsPerAttempt: ruleMessages.settingLocked(labels.questionsPerAttempt, opened),
      prediction: ruleMessages.settingLocked(labels.prediction, opened),
      timezone: ruleMessages.settingLocked(labels.timezone, opened),
    });
    expect(contestRow()).toEqual(before);
    expect(auditOf("contest.update")).toEqual([]);
  });

  it("may change before the first round opens", async () => {
    ctx.now = OPENS_AT - DAY;
    const result = await saveSettings({ timeLimitMinutes: "30", attemptsPerRound: "3", prediction: null, timezone: "Asia/Bangkok" });
    expect(result.status).toBe(200);
    expect(contestRow()).toMatchObject({ timeLimitSeconds: 1800, attemptsPerRound: 3, predictionEnabled: false, timezone: "Asia/Bangkok" });
    expect(auditOf("contest.update")).toMatchObject([
      {
        actorUserId: organizer,
        subjectKind: "contest",
        before: { timeLimitSeconds: 1200, attemptsPerRound: 2, predictionEnabled: true, timezone: TZ },
        after: { timeLimitSeconds: 1800, attemptsPerRound: 3, predictionEnabled: false, timezone: "Asia/Bangkok" },
        details: { via: "console", change: "settings" },
      },
    ]);
  });
});

/** Seven members finish round 1, best first (all right and quickest first). */
function sevenFinish(): string[] {
  return Array.from({ length: 7 }, (_, i) => {
    const userId = createUser(ctx.db);
    takeRound(ctx.db, {
      roundId,
      userId,
      startAt: inRound1(i + 1),
      finishAt: inRound1(i + 1) + (i + 1) * MINUTE,
      prediction: 7,
      answers: i < 6 ? "all" : "one",
    });
    return userId;
  });
}

describe("a closed round's prize tiers", () => {
  it("are stored with its results, and an edit afterwards does not change its winners at the next judge decision", async () => {
    const members = sevenFinish();
    ctx.now = FREEZE_1;
    freezeClosedRounds(ctx.db, ctx.now);
    expect(roundRow(ctx.db, roundId).prizeTiers).toEqual(TIERS.map((t) => ({ ...t, minScore: null })));
    expect(storedRows(ctx.db, roundId).map((r) => r.prize)).toEqual([...SLOTS, null]);

    // The organizer cuts the tiers to one prize (for the rounds to come): allowed.
    ctx.now = FREEZE_1 + DAY;
    expect((await saveSettings({ prizes: "Giải Nhất: 1" })).status).toBe(200);
    // A judge disqualifies the winner: round 1 is ranked again, with the tiers it closed with.
    disqualify(ctx.db, { roundId, userId: members[0]!, reason: "Thi hộ", byUserId: organizer, now: ctx.now });
    const rows = storedRows(ctx.db, roundId);
    expect(rows.map((r) => r.userId)).toEqual(members.slice(1));
    expect(rows.map((r) => r.prize)).toEqual(SLOTS);
    // Round 2, not closed yet, will use the new tiers.
    expect(roundRow(ctx.db, roundIdOf(ctx.db, "c1", 2)).prizeTiers).toBeNull();
  });

  it("cannot change between the close and the freeze that stores them", async () => {
    ctx.now = CLOSES_AT + 1000;
    const result = await saveSettings({ prizes: "Giải Nhất: 1" });
    expect(result.status).toBe(409);
    expect(result.data!.errors.prizes).toBe(ruleMessages.prizesBeingFrozen(1, "prizes"));
  });
});

describe("a minimum score for prizes", () => {
  it("keeps abandoned 0-point attempts from winning, also after it is changed", async () => {
    expect((await saveSettings({ minPrizeScore: "1" })).status).toBe(200);
    expect(contestRow().minPrizeScore).toBe(1);
    expect(auditOf("contest.update")).toMatchObject([{ before: { minPrizeScore: null }, after: { minPrizeScore: 1 } }]);
    // The public contest page says so, under the prizes.
    const page = await call<{ contest: { minPrizeNote: string | null } }>(() =>
      contestPage.loader({ request: getRequest("/cuoc-thi/c1"), params: { contestId: "c1" }, context }),
    );
    expect(page.data!.contest.minPrizeNote).toBe(contestRulesUi.minPrizeNote(1));

    const best = createUser(ctx.db);
    const second = createUser(ctx.db);
    takeRound(ctx.db, { roundId, userId: best, startAt: inRound1(1), finishAt: inRound1(1) + 3 * MINUTE, prediction: 5, answers: "all" });
    takeRound(ctx.db, { roundId, userId: second, startAt: inRound1(2), finishAt: inRound1(2) + 3 * MINUTE, prediction: 5, answers: "one" });
    // Three members open the quiz, leave it, and the server finalizes them with 0 points.
    const abandoned = [3, 4, 5].map((hour) => {
      const userId = createUser(ctx.db);
      takeRound(ctx.db, { roundId, userId, startAt: inRound1(hour), finishAt: null, prediction: null, answers: "none" });
      return userId;
    });

    ctx.now = FREEZE_1;
    freezeClosedRounds(ctx.db, ctx.now);
    const prizeOf = () => new Map(storedRows(ctx.db, roundId).map((r) => [r.userId, r.prize]));
    expect(
      storedRows(ctx.db, roundId)
        .filter((r) => abandoned.includes(r.userId))
        .map((r) => r.score),
    ).toEqual([0, 0, 0]);
    expect(prizeOf()).toEqual(new Map([[best, "Giải Nhất"], [second, "Giải Nhì"], ...abandoned.map((u) => [u, null] as const)]));
    expect(roundRow(ctx.db, roundId).prizeTiers).toEqual(TIERS.map((t) => ({ ...t, minScore: 1 })));

    // The minimum is removed later; a judge decision on round 1 keeps the minimum it closed with.
    ctx.now = FREEZE_1 + DAY;
    expect((await saveSettings({ minPrizeScore: "" })).status).toBe(200);
    disqualify(ctx.db, { roundId, userId: best, reason: "Thi hộ", byUserId: organizer, now: ctx.now });
    expect(prizeOf()).toEqual(new Map([[second, "Giải Nhất"], ...abandoned.map((u) => [u, null] as const)]));
  });

  it("refuses a value that is not a whole number", async () => {
    const result = await saveSettings({ minPrizeScore: "-1" });
    expect(result.status).toBe(400);
    expect(result.data!.errors.minPrizeScore).toMatch(/số nguyên/);
    expect(contestRow().minPrizeScore).toBeNull();
  });
});
