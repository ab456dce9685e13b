/** The organizer's contest editor sets reviewAfter, showScore and practice; the download keeps them. */
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { parseContest } from "~/domain/content/contest";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import * as editor from "~/routes/to-chuc.cuoc-thi.$contestId";
import * as download from "~/routes/to-chuc.cuoc-thi.$contestId.tai";
import { contests, users } from "../../db/schema";
import { call, context, contest, createUser, getRequest, postRequest, seedContent, sessionCookie, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
let cookie: string;

beforeEach(async () => {
  seedContent(ctx.db, [contest()]);
  const id = createUser(ctx.db);
  ctx.db.update(users).set({ role: "organizer" }).where(eq(users.id, id)).run();
  cookie = await sessionCookie(ctx.db, id);
});

const settings = (extra: [string, string][], prizes = ""): [string, string][] => [
  ["intent", "settings"],
  ["title", "Cuộc thi"],
  ["timezone", "Asia/Ho_Chi_Minh"],
  ["timeLimitMinutes", "20"],
  ["questionsPerAttempt", "7"],
  ["attemptsPerRound", "1"],
  ["prediction", "on"],
  ["rulesMarkdown", "## Thể lệ"],
  ["prizes", prizes],
  ...extra,
];

function post(fields: [string, string][]) {
  return call<{ errors: Record<string, string>; saved: boolean }>(() =>
    editor.action({ request: postRequest("/to-chuc/cuoc-thi/c1", fields, { cookie }), params: { contestId: "c1" }, context }),
  );
}

const stored = () =>
  ctx.db
    .select({ reviewAfter: contests.reviewAfter, showScore: contests.showScore, practice: contests.practice })
    .from(contests)
    .where(eq(contests.id, "c1"))
    .get();

describe("the contest editor", () => {
  it("loads and saves the key and score settings and the practice flag; the download carries them", async () => {
    const loaded = await call<Awaited<ReturnType<typeof editor.loader>>>(() =>
      editor.loader({ request: getRequest("/to-chuc/cuoc-thi/c1", { cookie }), params: { contestId: "c1" }, context }),
    );
    expect(loaded.data!.contest).toMatchObject({ reviewAfter: "questions-unused", showScore: "immediately", practice: false });

    const saved = await post(
      settings([
        ["reviewAfter", "contest-end"],
        ["showScore", "after-close"],
        ["practice", "on"],
      ]),
    );
    expect(saved.status).toBe(200);
    expect(stored()).toEqual({ reviewAfter: "contest-end", showScore: "after-close", practice: true });

    const downloaded = await call(() =>
      download.loader({ request: getRequest("/to-chuc/cuoc-thi/c1/tai", { cookie }), params: { contestId: "c1" }, context }),
    );
    const { contest: parsed, errors } = parseContest("content/contests/c1.md", await downloaded.response!.text());
    expect(errors).toEqual([]);
    expect(parsed).toMatchObject({ reviewAfter: "contest-end", showScore: "after-close", practice: true });
  });

  it("keeps the stored settings when an older form leaves them out", async () => {
    ctx.db.update(contests).set({ reviewAfter: "contest-end", showScore: "after-close" }).where(eq(contests.id, "c1")).run();
    expect((await post(settings([]))).status).toBe(200);
    expect(stored()).toEqual({ reviewAfter: "contest-end", showScore: "after-close", practice: false });
  });

  it("refuses an unknown value and a practice contest with prizes, and writes nothing", async () => {
    const unknown = await post(settings([["showScore", "never"]]));
    expect(unknown.status).toBe(400);
    expect(unknown.data!.errors.showScore).toBe(secrecyStrings.editor.badChoice);
    const withPrizes = await post(settings([["practice", "on"]], "Giải Nhất: 1"));
    expect(withPrizes.status).toBe(400);
    expect(withPrizes.data!.errors.prizes).toBe(secrecyStrings.editor.practiceWithPrizes);
    expect(stored()).toEqual({ reviewAfter: "questions-unused", showScore: "immediately", practice: false });
  });
});
