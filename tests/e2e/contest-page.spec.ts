import { expect, test } from "@playwright/test";

test.describe("contest pages on a 360 px phone", () => {
  test("the home page lists the contests and leads to the demo contest", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Các cuộc thi" })).toBeVisible();
    const contest = page.getByRole("link", { name: /Tìm hiểu Nghị quyết Đại hội X Công đoàn tỉnh và chuyển đổi số/ });
    await expect(contest).toBeVisible();
    await contest.click();
    await expect(page).toHaveURL(/\/cuoc-thi\/nghi-quyet-dai-hoi-x$/);
  });

  test("the demo contest shows its three rounds in Vietnam time, ended, and its rules", async ({ page }) => {
    await page.goto("/cuoc-thi/nghi-quyet-dai-hoi-x");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tìm hiểu Nghị quyết Đại hội X Công đoàn tỉnh và chuyển đổi số");
    const rounds = page.getByRole("region", { name: "Các vòng thi" }).getByRole("listitem");
    await expect(rounds).toHaveCount(3);
    await expect(rounds.nth(0)).toContainText("Tuần thứ nhất");
    await expect(rounds.nth(0)).toContainText("Mở lúc10:00 30/09/2024");
    await expect(rounds.nth(0)).toContainText("Đóng lúc09:30 07/10/2024");
    await expect(rounds.nth(2)).toContainText("Đóng lúc09:30 21/10/2024");
    for (let i = 0; i < 3; i++) await expect(rounds.nth(i)).toContainText("Đã kết thúc");
    await expect(page.getByText("Cuộc thi đã kết thúc")).toBeVisible();
    const rules = page.getByRole("region", { name: "Thể lệ" });
    await expect(rules.getByRole("heading", { name: "Cơ cấu giải thưởng mỗi tuần" })).toBeVisible();
    await expect(rules.locator("table")).toBeVisible();

    // Nothing is wider than the phone: no sideways scrolling of the page.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/screens/contest-360.png", fullPage: true });
  });

  test("the practice round is open now, with a countdown to its close", async ({ page }) => {
    await page.goto("/cuoc-thi/thi-thu");
    const round = page.getByRole("region", { name: "Các vòng thi" }).getByRole("listitem").first();
    await expect(round).toContainText("Đang mở");
    await expect(page.getByText(/Đóng sau/)).toBeVisible();
    await expect(page.getByRole("timer")).toHaveText(/\d+ (ngày|giờ|phút|giây)/);
  });

  test.describe("without JavaScript", () => {
    test.use({ javaScriptEnabled: false });
    test("the contest page renders fully from the server", async ({ page }) => {
      await page.goto("/cuoc-thi/thi-thu");
      await expect(page.getByText("Đang mở").first()).toBeVisible();
      await expect(page.getByRole("timer")).toHaveText(/\d+ (ngày|giờ|phút|giây)/);
      await page.screenshot({ path: "test-results/screens/practice-360-nojs.png", fullPage: true });
    });
  });

  test("an unknown contest is a kind 404 page", async ({ page }) => {
    const response = await page.goto("/cuoc-thi/khong-co");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("alert")).toContainText("Không tìm thấy cuộc thi này.");
  });
});
