/**
 * Accounts and bad input, in the browser against the production server: an organizer finds people
 * without typing diacritics and sees no buttons on a judge's account; a cross-site post, an
 * oversized form and an unreadable session cookie each get a page in Vietnamese, never a 500.
 */
import { expect, test, type Page } from "@playwright/test";

async function logIn(page: Page, phone: string, redirectTo = "/") {
  await page.goto(`/dang-nhap?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("button", { name: "Đăng xuất" })).toBeVisible();
}

test("an organizer finds people without diacritics, and may act on members only", async ({ page }) => {
  await logIn(page, "0912000002", "/to-chuc/thanh-vien");
  const search = async (q: string) => {
    await page.getByLabel("Họ tên hoặc số điện thoại").fill(q);
    await page.getByRole("button", { name: "Tìm", exact: true }).click();
  };
  await search("le van cuong");
  const judge = page.getByRole("listitem").filter({ hasText: "Lê Văn Cường" });
  await expect(judge).toContainText("Giám khảo");
  await expect(judge.getByRole("button")).toHaveCount(0);

  await search("NGUYEN VAN AN");
  const member = page.getByRole("listitem").filter({ hasText: "Nguyễn Văn An" }).first();
  await expect(member.getByRole("button", { name: "Cấp mật khẩu tạm" })).toBeVisible();
  await expect(member.getByRole("button", { name: "Khóa tài khoản" })).toBeVisible();
  await expect(member.getByRole("button", { name: "Đổi vai trò" })).toHaveCount(0);
});

test("a post from another site gets a Vietnamese 403 page", async ({ request }) => {
  const response = await request.post("/dang-nhap", {
    headers: { Origin: "https://evil.example" },
    form: { phone: "0912000001", password: "demo1234" },
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain("không gửi từ trang của cuộc thi");
});

test("a form over 1 MB gets a Vietnamese 413 page", async ({ request, baseURL }) => {
  const response = await request.post("/dang-nhap", {
    headers: { Origin: baseURL! },
    form: { phone: "0912000001", password: "x".repeat(1_100_000) },
  });
  expect(response.status()).toBe(413);
  expect(await response.text()).toContain("quá lớn");
});

test("an unreadable session cookie does not lock anyone out", async ({ page, baseURL }) => {
  await page.context().addCookies([{ name: "cuocthi_session", value: "%E0%A4%A", url: baseURL! }]);
  const response = await page.goto("/dang-nhap");
  expect(response?.status()).toBe(200);
  await logIn(page, "0912000001");
});
