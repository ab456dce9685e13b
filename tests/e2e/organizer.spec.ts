import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { register, uniquePhone } from "./helpers";

const BANK_WITH_MISTAKE = `---
id: bo-thu-e2e
title: Bộ câu hỏi thử nghiệm
topic: Chuyển đổi số
---

## e2e-001

Ngày Chuyển đổi số quốc gia là ngày nào?

- [ ] Ngày 1 tháng 10
- [ ] Ngày 10 tháng 10
- [ ] Ngày 20 tháng 10

Nguồn: 003_d9b3302642c045f9.txt

## e2e-002

Tổ công nghệ số cộng đồng hướng dẫn người dân làm gì?

- [x] Sử dụng dịch vụ công trực tuyến
- [ ] Trồng cà phê
`;

test("an organizer uploads a bank with a mistake, sees the error line, fixes it, imports it and downloads it back", async ({ page }) => {
  await page.goto("/dang-nhap?redirectTo=%2Fto-chuc");
  await page.getByLabel("Số điện thoại di động").fill("0912000002");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ban tổ chức" })).toBeVisible();
  await page.getByRole("link", { name: "Thêm bộ câu hỏi" }).click();

  await page.getByLabel("Tải lên tệp .md hoặc .docx (không bắt buộc)").setInputFiles({
    name: "bo-thu-e2e.md",
    mimeType: "text/markdown",
    buffer: Buffer.from(BANK_WITH_MISTAKE, "utf8"),
  });
  await page.getByRole("button", { name: "Kiểm tra" }).click();

  const errors = page.locator("#bank-errors");
  await expect(errors.getByRole("heading")).toHaveText("1 lỗi cần sửa");
  await expect(errors).toContainText("Dòng 7");
  // Rendered: the id in a code span, not raw backticks.
  await expect(errors).toContainText("câu e2e-001 chưa có đáp án đúng");
  await expect(errors.locator("code", { hasText: "e2e-001" })).toBeVisible();
  // The preview still shows what could be read, the correct option of the other question marked.
  await expect(page.getByRole("region", { name: "Xem trước" })).toContainText("Sử dụng dịch vụ công trực tuyến");
  await page.screenshot({ path: "test-results/screens/bank-editor-error-360.png", fullPage: false });

  // Fix it in the editor: the uploaded text is there to edit.
  // A misspelled pinned mark is a warning: shown, and it does not block the import.
  const fixed = BANK_WITH_MISTAKE.replace("- [ ] Ngày 10 tháng 10", "- [x] Ngày 10 tháng 10").replace(
    "- [ ] Trồng cà phê",
    "- [ ] Trồng cà phê {co dinh}",
  );
  await page.getByLabel("Nội dung bộ câu hỏi (markdown)").fill(fixed);
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  await expect(page.getByRole("status")).toHaveText("Không có lỗi: 2 câu hỏi sẵn sàng để nạp.");
  const warnings = page.locator("#bank-warnings");
  await expect(warnings.getByRole("heading")).toHaveText("1 cảnh báo (không chặn việc nạp)");
  await expect(warnings).toContainText("Dòng 22");
  await expect(warnings.locator("code", { hasText: "{co dinh}" })).toBeVisible();
  await page.getByRole("button", { name: "Nạp vào hệ thống" }).click();
  await expect(page).toHaveURL(/\/to-chuc\/bo-cau-hoi\/bo-thu-e2e/);
  await expect(page.getByRole("status")).toContainText("Đã nạp: 2 câu mới");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải về (.md)" }).click();
  const file = await download;
  expect(readFileSync((await file.path())!, "utf8")).toBe(fixed);

  await page.goto("/to-chuc");
  await expect(page.getByRole("link", { name: "Bộ câu hỏi thử nghiệm" })).toBeVisible();
});

test("members and judges cannot reach the organizers' console", async ({ page }) => {
  for (const phone of ["0912000001", "0912000003"]) {
    await page.context().clearCookies();
    await page.goto("/dang-nhap");
    await page.getByLabel("Số điện thoại di động").fill(phone);
    await page.getByLabel("Mật khẩu").fill("demo1234");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
    const response = await page.goto("/to-chuc/bo-cau-hoi/moi");
    expect(response?.status()).toBe(403);
  }
});

test("a member who forgot the password gets a temporary one from an organizer and must replace it", async ({ page, browser }) => {
  const phone = uniquePhone();
  await page.goto("/dang-ky");
  await register(page, { fullName: "Lý Thị Quên", phone, password: "matkhaucu1" });
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();

  const organizer = await browser.newPage();
  await organizer.goto("/dang-nhap?redirectTo=%2Fto-chuc%2Fthanh-vien");
  await organizer.getByLabel("Số điện thoại di động").fill("0912000002");
  await organizer.getByLabel("Mật khẩu").fill("demo1234");
  await organizer.getByRole("button", { name: "Đăng nhập" }).click();
  await organizer.getByLabel("Họ tên hoặc số điện thoại").fill(phone);
  await organizer.getByRole("button", { name: "Tìm" }).click();
  await expect(organizer.getByText("Lý Thị Quên")).toBeVisible();
  await organizer.getByRole("button", { name: "Cấp mật khẩu tạm" }).click();
  const status = organizer.getByRole("status");
  await expect(status).toContainText("chỉ hiện một lần");
  const temporary = /: ([a-z0-9]{10}) —/.exec((await status.innerText()) ?? "")![1]!;
  await organizer.close();

  // The member's old session is gone; the temporary password works once, then must be replaced.
  await page.reload();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await page.goto("/dang-nhap");
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu").fill(temporary);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { name: "Đổi mật khẩu" })).toBeVisible();
  await page.getByLabel("Mật khẩu hiện tại").fill(temporary);
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill("matkhaumoi2");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("matkhaumoi2");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
});

test("the participation dashboard shows a round's figures by unit and refreshes itself", async ({ page }) => {
  await page.goto("/dang-nhap?redirectTo=%2Fto-chuc");
  await page.getByLabel("Số điện thoại di động").fill("0912000002");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByRole("link", { name: "Theo dõi: Tuần thứ nhất" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Theo dõi: Tuần thứ nhất" })).toBeVisible();
  const participants = page.locator("dl > div").filter({ hasText: "Người tham gia" }).locator("dd");
  await expect(participants).toHaveText("420");
  const districts = page.getByRole("region", { name: "Theo huyện, thành phố" }).locator("tbody tr");
  await expect(districts).toHaveCount(12);
  await expect(page.getByText("Trang tự cập nhật mỗi 30 giây.")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/monitor-360.png", fullPage: false });
});
