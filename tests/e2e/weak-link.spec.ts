/**
 * The quiz on a weak link, at 360 px (issue 15, docs/decisions/007-weak-link-quiz.md): the
 * connection cut and restored, saves that fail or arrive late, taps before the script has loaded,
 * and a phone whose clock is changed during the quiz. What counts is what the server stored: the
 * tests read the e2e server's SQLite file (tests/e2e/serve.ts).
 */
import { join } from "node:path";
import { expect, test, type Page, type Route } from "@playwright/test";
import Database from "better-sqlite3";
import { addMemberSession } from "./fixtures";
import { openE2eDatabase } from "./helpers";

const ROUND = "/cuoc-thi/thi-thu/vong/1";
const UNSAVED = "Chưa lưu — sẽ gửi lại khi có mạng";

async function startAttempt(page: Page, fullName: string): Promise<string> {
  await addMemberSession(page.context(), { fullName });
  await page.goto(ROUND);
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(page).toHaveURL(/\/bai-thi\/[0-9a-f-]{36}$/);
  return page.url().split("/").pop()!;
}

/** The answers the server holds, by position: option ids, or null. */
function storedAnswers(attemptId: string): Map<number, number[] | null> {
  const db = openE2eDatabase();
  try {
    const rows = db.prepare("select position, chosen from attempt_items where attempt_id = ? order by position").all(attemptId) as {
      position: number;
      chosen: string | null;
    }[];
    return new Map(rows.map((r) => [r.position, r.chosen ? (JSON.parse(r.chosen) as number[]) : null]));
  } finally {
    db.close();
  }
}

/** Moves an attempt's deadline in the e2e server's database (the test's only write to it). */
function setDeadline(attemptId: string, deadlineAt: number) {
  const db = new Database(join(import.meta.dirname, ".tmp", "e2e.sqlite"));
  try {
    db.prepare("update attempts set deadline_at = ? where id = ?").run(deadlineAt, attemptId);
  } finally {
    db.close();
  }
}

function attemptState(attemptId: string) {
  const db = openE2eDatabase();
  try {
    return db.prepare("select status, finalized_by as finalizedBy, prediction from attempts where id = ?").get(attemptId) as {
      status: string;
      finalizedBy: string | null;
      prediction: number | null;
    };
  } finally {
    db.close();
  }
}

/** Chooses option `index` of question `n` (0-based) and returns its option id. */
async function choose(page: Page, n: number, index = 0): Promise<number> {
  const input = page.locator("fieldset").nth(n).locator("input").nth(index);
  await input.check();
  return Number(await input.getAttribute("value"));
}

const question = (page: Page, n: number) => page.locator("fieldset").nth(n);

/** The first single-answer question (radio buttons): choosing again replaces the answer. */
async function singleAnswerQuestion(page: Page): Promise<number> {
  const count = await page.locator("fieldset").count();
  for (let n = 0; n < count; n++) {
    if ((await question(page, n).locator("input").first().getAttribute("type")) === "radio") return n;
  }
  throw new Error("no single-answer question in the attempt");
}

async function expectNoErrorPage(page: Page) {
  await expect(page.getByText("Đã có lỗi")).toHaveCount(0);
  await expect(page.locator("fieldset").first()).toBeVisible();
}

test.describe("the connection cut and restored", () => {
  test("answers chosen offline are kept, shown as unsaved, and all reach the server when the link is back; a submission offline waits and goes through", async ({
    page,
    context,
  }) => {
    const attemptId = await startAttempt(page, "Lò Văn Mạnh");

    // Online: one request per answer, no page data fetched after it.
    const requests: string[] = [];
    // Only what the page's script or a navigation asks for: the browser's own late `GET /favicon.svg`
    // (an image) arrived here on a loaded machine and is not page data.
    page.on("request", (request) => {
      if (["fetch", "xhr", "document"].includes(request.resourceType()))
        requests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    const first = await choose(page, 0);
    await expect(question(page, 0).getByText("Đã lưu")).toBeVisible();
    expect(requests).toEqual([`POST /bai-thi/${attemptId}/tra-loi`]);

    await context.setOffline(true);
    const second = await choose(page, 1);
    const third = await choose(page, 2, 1);
    await expect(question(page, 1).getByText(UNSAVED)).toBeVisible();
    await expect(question(page, 2).getByText(UNSAVED)).toBeVisible();
    await expect(page.getByTestId("unsaved-banner")).toContainText("2 câu chưa lưu");
    await expectNoErrorPage(page);
    await page.screenshot({ path: "test-results/screens/weak-link-offline-360.png" });
    // Kept in the browser's storage too, keyed by the attempt.
    const kept = await page.evaluate((key) => localStorage.getItem(key), `cuocthi:bai-thi:${attemptId}`);
    expect(JSON.parse(kept ?? "{}").answers).toHaveProperty("1");

    await context.setOffline(false);
    await expect(question(page, 1).getByText("Đã lưu")).toBeVisible();
    await expect(question(page, 2).getByText("Đã lưu")).toBeVisible();
    await expect(page.getByTestId("unsaved-banner")).toHaveCount(0);
    const stored = storedAnswers(attemptId);
    expect(stored.get(0)).toEqual([first]);
    expect(stored.get(1)).toEqual([second]);
    expect(stored.get(2)).toEqual([third]);

    // Submitting offline: the page, the prediction and the member's name stay; it says not submitted.
    await context.setOffline(true);
    await page.getByLabel("Dự đoán: có bao nhiêu người tham gia vòng thi này?").fill("1234");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Nộp bài" }).click();
    await expect(page.getByTestId("not-submitted")).toContainText("CHƯA được nộp");
    await expectNoErrorPage(page);
    await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}(\\?index)?$`));
    await expect(page.getByLabel("Dự đoán: có bao nhiêu người tham gia vòng thi này?")).toHaveValue("1234");
    await expect(page.getByRole("navigation", { name: "Tài khoản" })).toContainText("Lò Văn Mạnh");
    await expect(page.getByRole("link", { name: "Đăng nhập" })).toHaveCount(0);
    expect(attemptState(attemptId).status).toBe("in_progress");
    await page.screenshot({ path: "test-results/screens/weak-link-not-submitted-360.png" });

    await context.setOffline(false);
    await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}/ket-qua$`), { timeout: 15_000 });
    expect(attemptState(attemptId)).toMatchObject({ status: "submitted", finalizedBy: "member", prediction: 1234 });
    await expect(page.getByTestId("uncounted")).toHaveCount(0);
  });
});

test("when the link comes back after the deadline and grace, the result page says which answers did not count", async ({
  page,
  context,
}) => {
  const attemptId = await startAttempt(page, "Lường Văn Khánh");
  const counted = await choose(page, 0);
  await expect(question(page, 0).getByText("Đã lưu")).toBeVisible();
  await context.setOffline(true);
  await choose(page, 1);
  await expect(question(page, 1).getByText(UNSAVED)).toBeVisible();
  // The link stays down past the deadline and its 15 s grace.
  setDeadline(attemptId, Date.now() - 16_000);
  await context.setOffline(false);
  await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}/ket-qua`));
  await expect(page.getByTestId("finalized-by")).toContainText("Hệ thống đã tự chốt bài");
  await expect(page.getByTestId("uncounted")).toContainText("Câu 2/");
  await expect(page.getByTestId("uncounted")).not.toContainText("Câu 1/");
  expect(attemptState(attemptId)).toMatchObject({ status: "expired", finalizedBy: "server" });
  const stored = storedAnswers(attemptId);
  expect(stored.get(0)).toEqual([counted]);
  expect(stored.get(1)).toBeNull();
  await page.screenshot({ path: "test-results/screens/weak-link-uncounted-360.png", fullPage: true });
});

test.describe("saves that fail or arrive late", () => {
  test("a 500, a 429 and a timeout are retried until saved, with no error page", async ({ page }) => {
    const attemptId = await startAttempt(page, "Vi Thị Hoa");
    const failures = [
      (route: Route) => route.fulfill({ status: 500, body: "lỗi máy chủ" }),
      (route: Route) => route.fulfill({ status: 429, headers: { "Retry-After": "1" }, body: "{}" }),
      (route: Route) => route.abort("timedout"),
    ];
    await page.route("**/tra-loi", async (route) => {
      const fail = failures.shift();
      if (fail) await fail(route);
      else await route.continue();
    });
    const chosen = await choose(page, 0, 1);
    await expect(question(page, 0).getByText(UNSAVED)).toBeVisible();
    await expectNoErrorPage(page);
    await expect(question(page, 0).getByText("Đã lưu")).toBeVisible({ timeout: 20_000 });
    expect(failures).toHaveLength(0);
    expect(storedAnswers(attemptId).get(0)).toEqual([chosen]);
  });

  test("a late save of an older choice never replaces the newer one", async ({ page }) => {
    const attemptId = await startAttempt(page, "Hà Văn Tuấn");
    let held: Route | null = null;
    await page.route("**/tra-loi", async (route) => {
      if (!held)
        held = route; // the first save hangs in the network
      else await route.continue();
    });
    const n = await singleAnswerQuestion(page);
    await choose(page, n, 0);
    await expect.poll(() => held !== null).toBe(true);
    const newer = await choose(page, n, 1);
    await expect(question(page, n).getByText("Đã lưu")).toBeVisible();
    expect(storedAnswers(attemptId).get(n)).toEqual([newer]);
    // The older choice's request finally arrives: the server ignores it.
    const late = page.waitForResponse("**/tra-loi");
    await held!.continue();
    expect(await (await late).json()).toMatchObject({ ok: true, stale: true, chosen: [newer] });
    expect(storedAnswers(attemptId).get(n)).toEqual([newer]);
    await expect(question(page, n).getByText("Đã lưu")).toBeVisible();
    await page.reload();
    await expect(question(page, n).locator("input").nth(1)).toBeChecked();
  });

  test("an answer not yet saved survives a reload and is sent by the new page", async ({ page }) => {
    const attemptId = await startAttempt(page, "Sầm Thị Mai");
    await page.route("**/tra-loi", (route) => route.abort("internetdisconnected"));
    const chosen = await choose(page, 3);
    await expect(question(page, 3).getByText(UNSAVED)).toBeVisible();
    expect(storedAnswers(attemptId).get(3)).toBeNull();
    await page.unroute("**/tra-loi");
    await page.reload();
    await expect(question(page, 3).locator("input").first()).toBeChecked();
    await expect(question(page, 3).getByText("Đã lưu")).toBeVisible();
    expect(storedAnswers(attemptId).get(3)).toEqual([chosen]);
  });
});

test("a tap made before the page's script has loaded is kept and saved", async ({ page }) => {
  const attemptId = await startAttempt(page, "Nông Văn Dũng");
  let release: () => void = () => {};
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/assets/*.js", async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto(`/bai-thi/${attemptId}`, { waitUntil: "commit" });
  await expect(question(page, 0)).toBeVisible();
  // No "no JavaScript" notice while the script is only slow.
  await expect(page.getByText("Trình duyệt của bạn không chạy JavaScript")).toBeHidden();
  const tapped = await choose(page, 0, 2);
  release();
  await expect(question(page, 0).getByText("Đã lưu")).toBeVisible();
  await expect(question(page, 0).locator("input").nth(2)).toBeChecked();
  expect(storedAnswers(attemptId).get(0)).toEqual([tapped]);
});

test("changing the phone's clock does not move the timer, and the timer still submits at zero", async ({ page }) => {
  const attemptId = await startAttempt(page, "Mông Thị Xuân");
  // The attempt has 8 seconds left (the server believes an automatic submission up to 10 s early).
  setDeadline(attemptId, Date.now() + 8_000);

  await page.clock.install();
  await page.goto(`/bai-thi/${attemptId}`);
  const timer = page.getByRole("timer");
  await expect(timer).toHaveText(/^\d giây$/);
  await page.clock.pauseAt(Date.now() + 1_000);
  const before = await timer.textContent();
  // The phone's clock jumps an hour ahead, then a day back: the countdown does not move.
  await page.clock.setSystemTime(Date.now() + 3_600_000);
  await page.clock.runFor(100);
  await expect(timer).toHaveText(before!);
  await page.clock.setSystemTime(Date.now() - 86_400_000);
  await page.clock.runFor(100);
  await expect(timer).toHaveText(before!);
  await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}$`));

  // Eight seconds of monotonic time later the timer reaches zero and submits by itself.
  await page.clock.runFor(9_000);
  await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}/ket-qua`));
  await expect(page.getByTestId("finalized-by")).toContainText("tự động nộp khi đồng hồ trên trang về 0");
  expect(attemptState(attemptId)).toMatchObject({ status: "submitted", finalizedBy: "timer" });
});
