import { expect, test } from "@playwright/test";
import { openE2eDatabase } from "./helpers";

/** `dd/mm/yyyy HH:mm` in Vietnam time, as the console's time fields are written. */
function vietnamTime(instant: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Ho_Chi_Minh",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

function practiceRoundClose(): number {
  const db = openE2eDatabase();
  try {
    return (
      db.prepare("select closes_at as closesAt from rounds where contest_id = 'thi-thu' and number = 1").get() as { closesAt: number }
    ).closesAt;
  } finally {
    db.close();
  }
}

test("an organizer tries to cut the running practice round short and reads the refusal on the closing time", async ({ page }) => {
  const closesBefore = practiceRoundClose();
  await page.goto("/dang-nhap?redirectTo=%2Fto-chuc%2Fcuoc-thi%2Fthi-thu");
  await page.getByLabel("Số điện thoại di động").fill("0912000002");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Thi thử");
  // The settings say what is locked now that the round has opened.
  await expect(page.getByText(/Vòng đầu tiên đã mở lúc/)).toBeVisible();
  await expect(page.getByLabel("Điểm tối thiểu để nhận giải (để trống: không giới hạn)")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/running-contest-settings-360.png", fullPage: true });

  // The practice round is open and gives 10 minutes: closing it in 2 minutes would cut members short.
  const round = page.getByRole("article", { name: "Vòng thi thử" });
  const closes = round.getByLabel("Đóng lúc (dd/mm/yyyy HH:mm)");
  await closes.fill(vietnamTime(Date.now() + 2 * 60_000));
  await round.getByRole("button", { name: "Lưu vòng thi" }).click();

  await expect(closes).toHaveAttribute("aria-invalid", "true");
  const error = round.locator(`#${await closes.getAttribute("aria-describedby")}`);
  await expect(error).toContainText("Giờ đóng vòng 1: vòng đang mở");
  await expect(error).toContainText("để không ai bị cắt ngang khi đang làm bài");
  await expect(page.getByText("Đã lưu.")).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/running-round-refusal-360.png", fullPage: false });

  // Nothing changed: the round still closes when it did.
  expect(practiceRoundClose()).toBe(closesBefore);
  // The page fits a 360 px phone: nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});
