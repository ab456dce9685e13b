/**
 * The answer key stays secret while another round can still ask the question: a member who took
 * round 1 does not read round 2's key in their review (HTML and the `.data` response), and reads it
 * once round 2 has closed. The test makes its own bank and contest on the e2e server's database,
 * with round 2 closing a few seconds after the test starts.
 */
import { expect, test } from "@playwright/test";
import { join } from "node:path";
import { openDatabase, type Db } from "../../db/client";
import { users } from "../../db/schema";
import { eq } from "drizzle-orm";
import { saveAnswer, startAttempt, submitAttempt } from "~/.server/attempts.server";
import { importContent } from "~/.server/content/import.server";
import type { Bank } from "~/domain/content/bank";
import type { Contest } from "~/domain/content/contest";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { register, uniquePhone } from "./helpers";

const MINUTE = 60_000;
/** Round 2 closes this long after the contest is created: enough to look at the hidden review. */
const ROUND2_OPEN_FOR_MS = 8_000;

function openWritable(): Db {
  // The server's own file (tests/e2e/serve.ts); WAL lets both processes use it.
  return openDatabase(join(import.meta.dirname, ".tmp", "e2e.sqlite"));
}

/** A bank of its own and a contest with two rounds drawing both its questions. */
function createContest(db: Db, suffix: string, now: number) {
  const bankId = `bi-mat-${suffix}`;
  const bank: Bank = {
    file: `tests/e2e/${bankId}.md`,
    id: bankId,
    idLine: 1,
    title: "Bộ câu hỏi bí mật",
    topic: null,
    source: null,
    description: null,
    sourceMarkdown: `# ${bankId}`,
    questions: ["001", "002"].map((n) => ({
      key: `bm-${n}`,
      line: 1,
      stem: `Câu hỏi bí mật ${n}?`,
      options: [
        { text: `Phương án đúng ${n}`, isCorrect: true, pinned: false, line: 1 },
        { text: `Phương án sai ${n}`, isCorrect: false, pinned: false, line: 1 },
      ],
      explanation: `LỜI-GIẢI-BÍ-MẬT-${n}`,
      source: null,
      points: 1,
      multipleAnswers: false,
    })),
  };
  const quotas = [{ bankId, questionCount: 2, line: 1 }];
  const contest: Contest = {
    file: `tests/e2e/${bankId}-contest.md`,
    id: bankId,
    idLine: 1,
    title: "Cuộc thi giữ bí mật đáp án",
    timezone: "Asia/Ho_Chi_Minh",
    rulesMarkdown: "Hai vòng dùng chung một bộ câu hỏi.",
    timeLimitSeconds: 10 * 60,
    questionsPerAttempt: 2,
    attemptsPerRound: 1,
    predictionEnabled: false,
    predictionTarget: "participants",
    rankingOrder: ["score", "prediction", "duration", "finishedAt"],
    liveStandings: false,
    onePrizePerPerson: false,
    reviewAfter: "questions-unused",
    showScore: "immediately",
    practice: false,
    prizes: [],
    rounds: [
      { number: 1, title: "Vòng 1", opensAt: now - 120 * MINUTE, closesAt: now - 60 * MINUTE, quotas, line: 1 },
      { number: 2, title: "Vòng 2", opensAt: now - 60 * MINUTE, closesAt: now + ROUND2_OPEN_FOR_MS, quotas, line: 1 },
    ],
  };
  importContent(db, { banks: [bank], contests: [contest], units: null }, { now: now - 180 * MINUTE });
  const round1 = db.$client.prepare("select id from rounds where contest_id = ? and number = 1").get(contest.id) as { id: number };
  return { contestId: contest.id, round1: round1.id, round2ClosesAt: now + ROUND2_OPEN_FOR_MS };
}

test("round 1's review hides the key while round 2 draws the same questions, and shows it once round 2 has closed", async ({ page }) => {
  test.setTimeout(60_000);
  const phone = uniquePhone();
  await page.goto("/dang-ky");
  await register(page, { fullName: "Đặng Thị Mai", phone });
  await expect(page).not.toHaveURL(/dang-ky/);

  // The member took round 1 while it was open (an hour ago), answering both questions correctly.
  const db = openWritable();
  let attemptId: string;
  let round2ClosesAt: number;
  try {
    const now = Date.now();
    const created = createContest(db, String(now), now);
    round2ClosesAt = created.round2ClosesAt;
    const userId = db.select({ id: users.id }).from(users).where(eq(users.phone, phone)).get()!.id;
    const takenAt = now - 100 * MINUTE;
    attemptId = startAttempt(db, { roundId: created.round1, userId, now: takenAt }).attemptId;
    const items = db.$client
      .prepare(
        `select ai.position as position, o.id as optionId from attempt_items ai
         join question_options o on o.version_id = ai.question_version_id and o.is_correct = 1
         where ai.attempt_id = ?`,
      )
      .all(attemptId) as { position: number; optionId: number }[];
    for (const item of items)
      saveAnswer(db, { attemptId, userId, position: item.position, chosen: [item.optionId], now: takenAt + MINUTE });
    submitAttempt(db, { attemptId, userId, now: takenAt + 2 * MINUTE, prediction: null, confirmUnanswered: true });
  } finally {
    db.$client.close();
  }

  // Round 1 has closed, round 2 is open on the same bank: the member sees their choices, no key.
  const resultUrl = `/bai-thi/${attemptId}/ket-qua`;
  await page.goto(resultUrl);
  await expect(page.getByRole("heading", { level: 1, name: "Kết quả bài thi" })).toBeVisible();
  await expect(page.getByTestId("score")).toHaveText("2/2");
  await expect(page.getByTestId("review-item")).toHaveCount(2);
  await expect(page.getByTestId("key-hidden")).toHaveCount(2);
  await expect(page.getByTestId("key-hidden").first()).toContainText(
    "đáp án sẽ công bố sau khi kết thúc các vòng thi còn dùng câu này".replace(/^đ/, "Đ"),
  );
  await expect(page.getByText("Bạn chọn")).toHaveCount(2);
  await expect(page.getByText("✓ Đáp án đúng")).toHaveCount(0);
  const hiddenHtml = await page.content();
  expect(hiddenHtml).not.toContain("LỜI-GIẢI-BÍ-MẬT");
  expect(hiddenHtml).not.toContain("isCorrect");
  // The single-fetch data a client navigation reads carries no key either.
  const hiddenData = await (await page.request.get(`${resultUrl}.data`)).text();
  expect(hiddenData).toContain("Câu hỏi bí mật 001?");
  expect(hiddenData).not.toContain("LỜI-GIẢI-BÍ-MẬT");
  expect(hiddenData).not.toContain("isCorrect");
  // Nothing is wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/screens/review-key-hidden-360.png", fullPage: true });

  // Round 2 closes (and its answer grace passes): the key and the explanations appear.
  expect(Date.now()).toBeLessThan(round2ClosesAt! + ANSWER_GRACE_MS);
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.getByText("✓ Đáp án đúng").count();
      },
      { timeout: ROUND2_OPEN_FOR_MS + ANSWER_GRACE_MS + 20_000, intervals: [2_000] },
    )
    .toBe(2);
  await expect(page.getByTestId("key-hidden")).toHaveCount(0);
  await expect(page.getByText("LỜI-GIẢI-BÍ-MẬT-001")).toBeVisible();
  await expect(page.getByText("Đúng", { exact: true })).toHaveCount(2);
  const shownData = await (await page.request.get(`${resultUrl}.data`)).text();
  expect(shownData).toContain("LỜI-GIẢI-BÍ-MẬT-002");
  await page.screenshot({ path: "test-results/screens/review-key-shown-360.png", fullPage: true });
});
