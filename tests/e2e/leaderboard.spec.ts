import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { parseCsv, readXlsx } from "../helpers/spreadsheets";

const BOARD = "/cuoc-thi/nghi-quyet-dai-hoi-x/xep-hang";

async function login(page: Page, phone: string, redirectTo: string) {
  await page.goto(`/dang-nhap?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(new RegExp(`${redirectTo.replace(/[?]/g, "\\?")}$`));
}

test("the public leaderboard of a closed round on a phone: masked phones, prizes, districts and branches", async ({ page }) => {
  await page.goto(`${BOARD}?vong=1`);
  await expect(page.getByRole("heading", { level: 1, name: "Bảng xếp hạng" })).toBeVisible();
  await expect(page.getByText("420 người tham gia")).toBeVisible();
  const rows = page
    .getByRole("list")
    .filter({ has: page.getByText("Giải Nhất") })
    .getByRole("listitem");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("Giải Nhất");
  // Public pages never show a whole phone number.
  const text = await page.locator("main").innerText();
  expect(text).toMatch(/0\d{2}\*{5}\d{2}/);
  expect(text).not.toMatch(/\b0\d{9}\b/);
  await expect(page.getByRole("img", { name: "Số người tham gia theo huyện, thành phố" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/screens/leaderboard-360.png", fullPage: false });

  // One district: the list narrows and the branch filter appears.
  await page.getByLabel("Huyện, thành phố", { exact: true }).selectOption({ label: "Huyện Đơn Dương" });
  await expect(page).toHaveURL(/huyen=don-duong/);
  await expect(page.getByRole("heading", { level: 2 })).toContainText("Huyện Đơn Dương");
  await expect(page.getByLabel("Công đoàn cơ sở")).toBeVisible();
  const districtText = await page.locator("ol").first().innerText();
  expect(districtText).toContain("Đơn Dương");
  expect(districtText).not.toContain("Bảo Lộc");

  // Units: districts by participation.
  await page.getByRole("link", { name: "Đơn vị" }).click();
  await expect(page.getByRole("heading", { name: /Công đoàn cơ sở — Huyện Đơn Dương/ })).toBeVisible();
  await page.getByLabel("Huyện, thành phố", { exact: true }).selectOption("");
  await expect(page.getByRole("table").first()).toContainText("Thành phố Đà Lạt");
  const participants = await page.locator("table").first().locator("tbody tr td:nth-child(3)").allInnerTexts();
  const counts = participants.map((p) => Number(p.replace(/\./g, "")));
  expect(counts).toEqual([...counts].sort((a, b) => b - a));

  // The whole contest.
  await page.getByRole("link", { name: "Toàn cuộc thi" }).click();
  // Wait for it: a click on "Cá nhân" before the navigation ends follows the old page's link.
  await expect(page).toHaveURL(/vong=tong/);
  await page.getByRole("link", { name: "Cá nhân" }).click();
  await expect(page.getByRole("heading", { level: 2 })).toContainText("Toàn cuộc thi");
  await expect(page.locator("ol li").first()).toContainText(/\d vòng/);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the district filter works as a plain form", async ({ page }) => {
    await page.goto(`${BOARD}?vong=2`);
    await page.getByLabel("Huyện, thành phố", { exact: true }).selectOption({ label: "Thành phố Bảo Lộc" });
    await page.getByRole("button", { name: "Lọc" }).click();
    await expect(page).toHaveURL(/huyen=bao-loc/);
    await expect(page.getByRole("heading", { level: 2 })).toContainText("Thành phố Bảo Lộc");
    await page.screenshot({ path: "test-results/screens/leaderboard-filter-360-nojs.png", fullPage: false });
  });
});

test("an open round shows participation only, not standings", async ({ page }) => {
  // The practice contest enables live standings; the real one does not, so use a member's view of it.
  await page.goto("/cuoc-thi/thi-thu/xep-hang");
  await expect(page.getByText(/người tham gia/)).toBeVisible();
  await expect(page.getByText("Bảng xếp hạng tạm thời, cập nhật trong khi vòng thi diễn ra.")).toBeVisible();
});

test("a judge downloads the week's winners and the full ranking, which open as spreadsheets", async ({ page }) => {
  await login(page, "0912000003", "/giam-khao");
  await page.getByRole("link", { name: "Tuần thứ nhất" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Tuần thứ nhất" })).toBeVisible();
  await expect(page.getByText(/420 người được xếp hạng/)).toBeVisible();

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Danh sách đoạt giải (CSV)" }).click();
  const csv = await csvDownload;
  const csvText = readFileSync((await csv.path())!, "utf8");
  expect(csvText.charCodeAt(0)).toBe(0xfeff);
  const table = parseCsv(csvText);
  expect(table[0]).toContain("Chênh lệch dự đoán");
  expect(table).toHaveLength(1 + 16); // 1 + 2 + 3 + 10 prizes
  expect(table[1]![1]).toBe("Giải Nhất");

  const xlsxDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "Toàn bộ xếp hạng (Excel)" }).click();
  const xlsx = await xlsxDownload;
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const sheets = readXlsx(new Uint8Array(readFileSync((await xlsx.path())!)));
  expect(sheets.map((s) => s.name)).toEqual(["Xếp hạng", "Bị loại", "Tập thể - Huyện", "Tập thể - CĐCS"]);
  expect(sheets[0]!.rows).toHaveLength(1 + 420);
});

test("members cannot reach the judges' desk or its files", async ({ page }) => {
  await login(page, "0912000001", "/cuoc-thi/thi-thu");
  const desk = await page.goto("/giam-khao/nghi-quyet-dai-hoi-x/vong/1");
  expect(desk?.status()).toBe(403);
  const file = await page.request.get("/giam-khao/nghi-quyet-dai-hoi-x/vong/1/tai/xep-hang.csv");
  expect(file.status()).toBe(403);
});

test("no page carries a stray U+0000 (React 18 streaming at buffer boundaries)", async ({ request }) => {
  for (const path of [
    `${BOARD}?vong=1`,
    `${BOARD}?vong=2&trang=3`,
    `${BOARD}`,
    `${BOARD}?vong=1&xem=don-vi`,
    "/cuoc-thi/nghi-quyet-dai-hoi-x",
    "/",
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    const html = await response.text();
    expect(html.length, path).toBeGreaterThan(2048);
    expect(html.includes("\u0000"), path).toBe(false);
  }
});
