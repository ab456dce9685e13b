import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { register, storedScore, uniquePhone } from "./helpers";

const ROUND = "/cuoc-thi/thi-thu/vong/1";

/** Answers every question on the quiz page: the first option (and, for multi-answer, the first two). */
async function answerAll(page: Page, { waitForSave }: { waitForSave: boolean }) {
  const questions = page.locator("fieldset");
  const count = await questions.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    const question = questions.nth(i);
    const inputs = question.locator("input");
    await inputs.first().check();
    if ((await inputs.first().getAttribute("type")) === "checkbox") await inputs.nth(1).check();
    if (waitForSave) await expect(question.getByText("Đã lưu")).toBeVisible();
  }
  return count;
}

test("a member registers, takes the open round with JavaScript, and sees a server-computed score", async ({ page }) => {
  await page.goto(ROUND);
  await expect(page.getByRole("heading", { level: 1, name: "Vòng thi thử" })).toBeVisible();
  await page.getByRole("link", { name: "Đăng ký dự thi" }).click();
  await register(page, { fullName: "Hoàng Thị Lan", phone: uniquePhone() });

  // Back on the round page, logged in, with the rules and a start button.
  await expect(page).toHaveURL(new RegExp(`${ROUND}$`));
  await expect(page.getByText("Bạn còn 3/3 lượt thi trong vòng này.")).toBeVisible();
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(page).toHaveURL(/\/bai-thi\/[0-9a-f-]{36}$/);
  const attemptId = page.url().split("/").pop()!;

  await expect(page.getByRole("timer")).toHaveText(/\d+ phút/);
  const total = await answerAll(page, { waitForSave: true });
  await expect(page.getByText(`Đã trả lời ${total}/${total} câu`)).toBeVisible();
  await page.screenshot({ path: "test-results/screens/quiz-360.png", fullPage: false });

  // Reloading keeps every saved answer: nothing chosen is lost.
  await page.reload();
  await expect(page.getByText(`Đã trả lời ${total}/${total} câu`)).toBeVisible();

  await page.getByLabel("Dự đoán: có bao nhiêu người tham gia vòng thi này?").fill("1500");
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}/ket-qua$`));

  const { expected, expectedMax, stored } = storedScore(attemptId);
  expect(stored.status).toBe("submitted");
  expect(stored.score).toBe(expected);
  await expect(page.getByTestId("score")).toHaveText(`${expected}/${expectedMax}`);
  // The round is open: the review shows the member's choices, each key withheld (docs/decisions/005).
  await expect(page.getByTestId("key-hidden").first()).toContainText("Đáp án sẽ công bố sau khi kết thúc các vòng thi còn dùng câu này");
  // Exact: the review now lists the drawn options, and one of the demo's reads "Hơn 1.500 điểm bán…".
  await expect(page.getByText("1.500", { exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/result-360.png", fullPage: true });

  // The round page now lists the attempt and one fewer attempt left.
  await page.goto(ROUND);
  await expect(page.getByText("Bạn còn 2/3 lượt thi trong vòng này.")).toBeVisible();
  await expect(page.getByText(`${expected}/${expectedMax} điểm`)).toBeVisible();
});

test("submitting with unanswered questions asks for confirmation first", async ({ page, member: _member }) => {
  await page.goto(ROUND);
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await page.locator("fieldset").first().locator("input").first().check();
  await expect(page.locator("fieldset").first().getByText("Đã lưu")).toBeVisible();
  await page.getByLabel("Dự đoán: có bao nhiêu người tham gia vòng thi này?").fill("800");

  let dialogText = "";
  page.once("dialog", async (dialog) => {
    dialogText = dialog.message();
    await dialog.dismiss();
  });
  await page.getByRole("button", { name: "Nộp bài" }).click();
  expect(dialogText).toMatch(/Bạn còn \d+ câu chưa trả lời\. Vẫn nộp bài\?/);
  await expect(page).toHaveURL(/\/bai-thi\/[0-9a-f-]{36}$/);

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page).toHaveURL(/\/ket-qua$/);
  await expect(page.getByTestId("correct-count")).toHaveText(/^[01]\/\d+$/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member takes the round with plain forms and sees the score", async ({ page, member: _member }) => {
    await page.goto(ROUND);
    await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
    await expect(page).toHaveURL(/\/bai-thi\/[0-9a-f-]{36}$/);
    const attemptId = page.url().split("/").pop()!;
    // The notice is in <noscript> (so it never flashes on a slow phone whose script is loading). A
    // browser with scripting off shows it; Playwright's switch only stops scripts, so read the page.
    expect(await page.content()).toMatch(/<noscript><p[^>]*>Trình duyệt của bạn không chạy JavaScript/);

    // Leave the last question unanswered: the server asks to confirm.
    const questions = page.locator("fieldset");
    const total = await questions.count();
    for (let i = 0; i < total - 1; i++) {
      const inputs = questions.nth(i).locator("input");
      await inputs.first().check();
      if ((await inputs.first().getAttribute("type")) === "checkbox") await inputs.nth(1).check();
    }
    await page.getByLabel("Dự đoán: có bao nhiêu người tham gia vòng thi này?").fill("2000");
    await page.getByRole("button", { name: "Nộp bài" }).click();
    await expect(page.getByText("Bạn còn 1 câu chưa trả lời.")).toBeVisible();
    await page.screenshot({ path: "test-results/screens/quiz-confirm-360-nojs.png", fullPage: false });
    // The answers sent with the form were saved: they are still checked after the round trip.
    await expect(questions.nth(0).locator("input:checked").first()).toBeAttached();

    await page.getByLabel("Dự đoán: có bao nhiêu người tham gia vòng thi này?").fill("2000");
    await page.getByRole("button", { name: "Vẫn nộp bài" }).click();
    await expect(page).toHaveURL(new RegExp(`/bai-thi/${attemptId}/ket-qua$`));
    const { expected, expectedMax, stored } = storedScore(attemptId);
    expect(stored.score).toBe(expected);
    await expect(page.getByTestId("score")).toHaveText(`${expected}/${expectedMax}`);
    await page.screenshot({ path: "test-results/screens/result-360-nojs.png", fullPage: true });
  });
});

test("a logged-out visitor who tries to start is sent to log in and comes back", async ({ page }) => {
  await page.goto("/dang-nhap?redirectTo=%2Fcuoc-thi%2Fthi-thu%2Fvong%2F1");
  await page.getByLabel("Số điện thoại di động").fill("0912 000 001");
  await page.getByLabel("Mật khẩu").fill("sai-mat-khau");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toHaveText("Số điện thoại hoặc mật khẩu không đúng.");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(new RegExp(`${ROUND}$`));
  await expect(page.getByRole("navigation", { name: "Tài khoản" })).toContainText("Nguyễn Văn An");
});
