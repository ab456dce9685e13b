/**
 * Contests and rounds edited in the browser: every refusal that protects a running contest, the
 * audit trail, and the download in the authoring format.
 */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ruleMessages } from "~/domain/contest-rules";
import { parseContest } from "~/domain/content/contest";
import * as editor from "~/routes/to-chuc.cuoc-thi.$contestId";
import * as download from "~/routes/to-chuc.cuoc-thi.$contestId.tai";
import { auditLog, roundQuotas, rounds, users } from "../../db/schema";
import {
  call,
  CLOSES_AT,
  context,
  contest,
  createUser,
  DAY,
  getRequest,
  NOW,
  OPENS_AT,
  postRequest,
  seedContent,
  sessionCookie,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();
let cookie: string;

/** 01/10/2024 07:00 in Vietnam is OPENS_AT (00:00 UTC). */
const VN = (d: string) => d;

beforeEach(async () => {
  // c1 round 1 is open at NOW (1–8 Oct 2024); round 2 has not opened yet.
  seedContent(ctx.db, [
    contest({
      rounds: [
        ...contest().rounds,
        {
          number: 2,
          title: "Vòng 2",
          opensAt: CLOSES_AT,
          closesAt: CLOSES_AT + 7 * DAY,
          quotas: [
            { bankId: "bo-a", questionCount: 4, line: 1 },
            { bankId: "bo-b", questionCount: 3, line: 1 },
          ],
          line: 1,
        },
      ],
    }),
  ]);
  const id = createUser(ctx.db);
  ctx.db.update(users).set({ role: "organizer" }).where(eq(users.id, id)).run();
  cookie = await sessionCookie(ctx.db, id);
});

const roundsOf = () => ctx.db.select().from(rounds).orderBy(rounds.number).all();
const quotasOf = () => ctx.db.select().from(roundQuotas).all();

async function post(fields: [string, string][]) {
  return call<{ errors: Record<string, string>; saved: boolean }>(() =>
    editor.action({ request: postRequest("/to-chuc/cuoc-thi/c1", fields, { cookie }), params: { contestId: "c1" }, context }),
  );
}

const round2 = (changes: Record<string, string> = {}): [string, string][] =>
  Object.entries({
    intent: "save-round",
    number: "2",
    title: "Vòng 2",
    opens: VN("08/10/2024 07:00"),
    closes: VN("15/10/2024 07:00"),
    "bank.bo-a": "4",
    "bank.bo-b": "3",
    ...changes,
  });

describe("refusals that protect a running contest", () => {
  it("refuses overlapping rounds, and writes nothing", async () => {
    const before = roundsOf();
    const result = await post(round2({ opens: "07/10/2024 07:00" }));
    expect(result.status).toBe(409);
    expect(result.data!.errors["rounds.2.opens"]).toBe(ruleMessages.overlap(1, 2));
    expect(roundsOf()).toEqual(before);
  });

  it("refuses a quota larger than its bank", async () => {
    const result = await post(round2({ "bank.bo-a": "9", "bank.bo-b": "0" }));
    expect(result.status).toBe(409);
    expect(result.data!.errors["rounds.2.bank.bo-a"]).toBe(ruleMessages.quotaTooLarge(2, "bo-a", 9, 4));
  });

  it("refuses changing the banks or quotas of a round that has opened, but allows it before", async () => {
    const opened = await post([
      ["intent", "save-round"],
      ["number", "1"],
      ["title", "Vòng 1"],
      ["opens", "01/10/2024 07:00"],
      ["closes", "08/10/2024 07:00"],
      ["bank.bo-a", "3"],
      ["bank.bo-b", "4"],
    ]);
    expect(opened.status).toBe(409);
    expect(opened.data!.errors["rounds.1.banks"]).toBe(ruleMessages.quotasLocked(1));

    const notYet = await post(round2({ "bank.bo-a": "4", "bank.bo-b": "3", title: "Tuần thứ hai" }));
    expect(notYet.status).toBe(200);
    expect(roundsOf()[1]!.title).toBe("Tuần thứ hai");
  });

  it("refuses moving a close time into the past, but allows extending an open round", async () => {
    const past = await post([
      ["intent", "save-round"],
      ["number", "1"],
      ["title", "Vòng 1"],
      ["opens", "01/10/2024 07:00"],
      ["closes", "02/10/2024 06:00"],
      ["bank.bo-a", "4"],
      ["bank.bo-b", "3"],
    ]);
    expect(past.status).toBe(409);
    expect(past.data!.errors["rounds.1.closes"]).toBe(ruleMessages.closeInPast(1));
    expect(roundsOf()[0]!.closesAt).toBe(CLOSES_AT);
  });

  it("refuses removing an opened round; removes one that has not opened", async () => {
    expect(
      (
        await post([
          ["intent", "remove-round"],
          ["number", "1"],
        ])
      ).status,
    ).toBe(409);
    expect(
      (
        await post([
          ["intent", "remove-round"],
          ["number", "2"],
        ])
      ).status,
    ).toBe(200);
    expect(roundsOf().map((r) => r.number)).toEqual([1]);
  });

  it("says which field holds a malformed time", async () => {
    const result = await post(round2({ closes: "15/10/2024" }));
    expect(result.status).toBe(400);
    expect(Object.keys(result.data!.errors)).toEqual(["rounds.2.closes"]);
  });
});

describe("changes that are allowed", () => {
  it("adds a round with its quotas, and records who did it", async () => {
    const result = await post([
      ["intent", "add-round"],
      ["number", "3"],
      ["title", "Vòng 3"],
      ["opens", "15/10/2024 07:00"],
      ["closes", "22/10/2024 07:00"],
      ["bank.bo-a", "4"],
      ["bank.bo-b", "3"],
    ]);
    expect(result.status).toBe(200);
    expect(roundsOf().map((r) => r.number)).toEqual([1, 2, 3]);
    expect(quotasOf().filter((q) => q.roundId === roundsOf()[2]!.id)).toHaveLength(2);
    const entry = ctx.db.select().from(auditLog).where(eq(auditLog.action, "round.create")).get();
    expect(entry?.actorUserId).toBeTruthy();
    expect(entry?.at).toBe(NOW);
    expect(entry).toMatchObject({ subjectKind: "round", before: null, details: { via: "console", change: "add-round", number: 3 } });
  });

  it("saves settings and prize tiers; refuses a bad prize line", async () => {
    // Before the first round opens: afterwards the time limit and attempts are locked (008).
    ctx.now = OPENS_AT - DAY;
    const settings = (prizes: string): [string, string][] => [
      ["intent", "settings"],
      ["title", "Cuộc thi đã đổi tên"],
      ["timezone", "Asia/Ho_Chi_Minh"],
      ["timeLimitMinutes", "25"],
      ["questionsPerAttempt", "7"],
      ["attemptsPerRound", "2"],
      ["prediction", "on"],
      ["rulesMarkdown", "## Thể lệ"],
      ["prizes", prizes],
    ];
    const bad = await post(settings("Giải Nhất một"));
    expect(bad.status).toBe(400);
    expect(bad.data!.errors.prizes).toMatch(/Tên giải: số giải/);
    expect((await post(settings("Giải Nhất: 1\nGiải Nhì: 2"))).status).toBe(200);
    const downloaded = await call(() =>
      download.loader({ request: getRequest("/to-chuc/cuoc-thi/c1/tai", { cookie }), params: { contestId: "c1" }, context }),
    );
    const text = await downloaded.response!.text();
    // The download reads back, through the same parser as content/, to the contest as saved.
    const { contest: parsed, errors } = parseContest("content/contests/c1.md", text);
    expect(errors).toEqual([]);
    expect(parsed).toMatchObject({
      id: "c1",
      title: "Cuộc thi đã đổi tên",
      timeLimitSeconds: 25 * 60,
      attemptsPerRound: 2,
      liveStandings: false,
      rulesMarkdown: "## Thể lệ",
      prizes: [
        { name: "Giải Nhất", count: 1 },
        { name: "Giải Nhì", count: 2 },
      ],
    });
    expect(parsed!.rounds.map((r) => [r.number, r.opensAt, r.closesAt])).toEqual(roundsOf().map((r) => [r.number, r.opensAt, r.closesAt]));
  });

  it("creates a new contest", async () => {
    const result = await call(() =>
      editor.action({
        request: postRequest(
          "/to-chuc/cuoc-thi/moi",
          [
            ["intent", "settings"],
            ["id", "cuoc-thi-moi"],
            ["title", "Cuộc thi mới"],
            ["timezone", "Asia/Ho_Chi_Minh"],
            ["timeLimitMinutes", "15"],
            ["questionsPerAttempt", "5"],
            ["attemptsPerRound", "1"],
            ["rulesMarkdown", ""],
            ["prizes", ""],
          ],
          { cookie },
        ),
        params: { contestId: "moi" },
        context,
      }),
    );
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toBe("/to-chuc/cuoc-thi/cuoc-thi-moi");
  });
});
