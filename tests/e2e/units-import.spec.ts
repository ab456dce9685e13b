import { expect, test, type Page } from "@playwright/test";
import { openE2eDatabase } from "./helpers";

/** A semicolon CSV as Excel writes it on a Vietnamese Windows: BOM, a title row, STT, no codes but one. */
const CSV =
  "\uFEFF" +
  [
    "Danh sách công đoàn cơ sở năm 2025;;;",
    "STT;Tên huyện;Mã CĐCS;Tên công đoàn cơ sở",
    "1;Huyện Lạc Dương;;Công đoàn Trường Mầm non Hoa Ban E2E",
    "2;Huyện Bảo Thuận E2E;;Công đoàn UBND xã Bảo Thuận E2E",
    "3;Huyện Lạc Dương;dl-so-noi-vu;Công đoàn Sở Nội vụ",
  ].join("\r\n");

async function login(page: Page) {
  await page.goto("/dang-nhap?redirectTo=%2Fto-chuc%2Fdon-vi");
  await page.getByLabel("Số điện thoại di động").fill("0912000002");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Huyện, thành phố và công đoàn cơ sở" })).toBeVisible();
}

test("an organizer previews a unit list at 360 px without JavaScript, confirms the move, and finds the new branch", async ({ browser }) => {
  const db = openE2eDatabase();
  const members = (db.prepare("select count(*) as n from users where branch_id = 'dl-so-noi-vu'").get() as { n: number }).n;
  const active = (db.prepare("select count(*) as n from branches where merged_into_id is null").get() as { n: number }).n;
  db.close();
  expect(members).toBeGreaterThan(0);

  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 780 }, locale: "vi-VN" });
  const page = await context.newPage();
  await login(page);

  await page
    .getByLabel("Tệp danh sách (.xlsx, .csv hoặc .md)")
    .setInputFiles({ name: "danh-sach.csv", mimeType: "text/csv", buffer: Buffer.from(CSV, "utf8") });
  await page.getByRole("button", { name: "Xem trước" }).click();

  const preview = page.getByRole("region", { name: "Xem trước: danh-sach.csv" });
  await expect(preview).toContainText("Huyện, thành phố thêm mới: 1");
  await expect(preview).toContainText("Công đoàn cơ sở thêm mới: 2");
  await expect(preview).toContainText("Công đoàn cơ sở chuyển huyện: 1");
  await expect(preview).toContainText(`Công đoàn Sở Nội vụ: Thành phố Đà Lạt → Huyện Lạc Dương (${members} đoàn viên)`);
  await expect(preview).toContainText(`Công đoàn cơ sở có trong hệ thống nhưng không có trong tệp (giữ nguyên, không xóa): ${active - 1}`);
  // Nothing is cut off or scrolls sideways on a 360 px phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/screens/units-import-preview-360.png", fullPage: true });

  // The move of a branch with members needs its checkbox.
  await preview.getByRole("button", { name: "Xác nhận nhập" }).click();
  await expect(page.getByRole("alert").first()).toContainText("hãy đánh dấu ô đồng ý");
  await page.getByRole("checkbox", { name: /Tôi đồng ý chuyển 1 công đoàn cơ sở có đoàn viên/ }).check();
  await page.getByRole("button", { name: "Xác nhận nhập" }).click();
  await expect(
    page.getByText("Đã nhập: 1 huyện mới, 2 công đoàn cơ sở mới; đổi tên 0 huyện, 0 công đoàn cơ sở; chuyển huyện 1 công đoàn cơ sở."),
  ).toBeVisible();

  // Found again without diacritics, in its district.
  await page.getByLabel("Tìm huyện hoặc công đoàn cơ sở").fill("mam non hoa ban e2e");
  await page.getByRole("button", { name: "Tìm", exact: true }).click();
  await expect(page.getByText("Công đoàn Trường Mầm non Hoa Ban E2E")).toBeVisible();
  await expect(page.getByText("mam-non-hoa-ban-e2e · Huyện Lạc Dương")).toBeVisible();

  // One district's branches, with the rename and merge forms open, still fits a phone.
  await page.goto("/to-chuc/don-vi?huyen=lac-duong");
  await expect(page.getByRole("heading", { name: /Huyện Lạc Dương · Công đoàn cơ sở \(\d+\)/ })).toBeVisible();
  await page.locator("summary", { hasText: "Đổi tên / Gộp vào" }).first().click();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/screens/units-district-360.png", fullPage: false });
  await context.close();

  const after = openE2eDatabase();
  const moved = after.prepare("select district_id as districtId from branches where id = 'dl-so-noi-vu'").get() as { districtId: string };
  after.close();
  expect(moved.districtId).toBe("lac-duong");
});
