/**
 * Issue 11, part A, as people use it, at 360 px and at desktop width: an organizer opens a branch's
 * QR poster; the QR code is read back from a screenshot of the poster (jsQR); a phone follows it to
 * a registration form with the district and branch already chosen, registers and lands on the
 * contest page; the organizers' desk then counts that registration for the branch. The poster also
 * prints to exactly one A4 page. The judges download the winners' certificates and a member their
 * own certificate of participation; both PDFs are read back with pdf.js.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { openE2eDatabase, uniquePhone } from "./helpers";

const CONTEST = "nghi-quyet-dai-hoi-x";

// A registration hashes a password with argon2 and each test logs in: slow on a busy 2-core machine.
test.describe.configure({ timeout: 90_000 });
const SHOTS = join(import.meta.dirname, "../../test-results/print");

async function login(page: Page, phone: string, redirectTo: string) {
  await page.goto(`/dang-nhap?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(new RegExp(`${redirectTo.replace(/[?]/g, "\\?")}$`));
}

function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return (
    jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength), image.width, image.height)?.data ?? null
  );
}

async function pdfText(bytes: Uint8Array) {
  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str : ""))
        .join(" ")
        .replace(/\s+/g, " "),
    );
  }
  const size = (await pdf.getPage(1)).view;
  await pdf.destroy();
  return { pages, size };
}

async function download(page: Page, link: ReturnType<Page["getByRole"]>) {
  const [file] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return new Uint8Array(readFileSync((await file.path())!));
}

/** An organizer's poster for the first branch of Huyện Đơn Dương: its QR code, read from a screenshot. */
async function openPoster(page: Page, label: string) {
  await login(page, "0912000002", "/to-chuc");
  await page.getByRole("link", { name: "Áp phích QR" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Áp phích QR theo công đoàn cơ sở");
  await page.getByLabel("Huyện, thành phố", { exact: true }).selectOption({ label: "Huyện Đơn Dương" });
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page.getByRole("heading", { name: "Huyện Đơn Dương" })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, `desk-${label}.png`), fullPage: true });
  const firstPrint = page.getByRole("link", { name: /^In áp phích: / }).first();
  const branchName = (await firstPrint.getAttribute("aria-label"))!.replace("In áp phích: ", "");
  await firstPrint.click();
  const poster = page.locator("article.poster");
  await expect(poster).toBeVisible();
  await expect(poster).toContainText("Quét mã để đăng ký và dự thi");
  await expect(poster).toContainText(branchName);
  const shot = await poster.screenshot({ path: join(SHOTS, `poster-${label}.png`) });
  const link = decodeQr(shot);
  expect(link, "the QR code in the poster's screenshot decodes").not.toBeNull();
  // The link printed under the code is the one in it.
  await expect(poster.locator(".poster-link")).toHaveText(link!.replace(/^https?:\/\//, ""));
  return { link: link!, branchName };
}

async function registerThroughPoster(browser: Browser, link: string, viewport: { width: number; height: number }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(link);
  await expect(page).toHaveURL(/\/dang-ky\?qua=/);
  await expect(page.getByText("Bạn đăng ký qua áp phích của")).toBeVisible();
  const districtValue = await page.getByLabel("Huyện, thành phố").inputValue();
  const branchValue = await page.getByLabel("Công đoàn cơ sở").inputValue();
  expect(districtValue).toBe("don-duong");
  expect(link.endsWith(`/${branchValue}`)).toBe(true);
  await page.screenshot({ path: join(SHOTS, `register-${viewport.width}.png`), fullPage: true });
  const phone = uniquePhone();
  await page.getByLabel("Họ và tên").fill("Lê Thị Quét Mã");
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu", { exact: true }).fill("matkhau123");
  await page.getByLabel("Nhập lại mật khẩu").fill("matkhau123");
  await page.getByRole("button", { name: "Đăng ký" }).click();
  await expect(page).toHaveURL(new RegExp(`/cuoc-thi/${CONTEST}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Tìm hiểu Nghị quyết");
  await context.close();
  return { phone, branchId: branchValue };
}

function viaBranchOf(phone: string) {
  const db = openE2eDatabase();
  try {
    return (db.prepare("select via_branch_id as via from users where phone = ?").get(phone) as { via: string | null }).via;
  } finally {
    db.close();
  }
}

for (const viewport of [
  { width: 360, height: 780 },
  { width: 1280, height: 900 },
]) {
  test.describe(`at ${viewport.width} px`, () => {
    test.use({ viewport });

    test("a branch's QR poster leads a phone to a prefilled registration, counted for the branch", async ({ page, browser }) => {
      const { link } = await openPoster(page, String(viewport.width));
      expect(link).toMatch(new RegExp(`^http://localhost:\\d+/dk/${CONTEST}/[a-z0-9-]+$`));
      const { phone, branchId } = await registerThroughPoster(browser, link, { width: 360, height: 780 });
      expect(viaBranchOf(phone)).toBe(branchId);

      // Back at the desk, the branch has a registration through its poster.
      await page.goto(`/to-chuc/ap-phich/${CONTEST}?huyen=don-duong`);
      const row = page.getByRole("row").filter({ hasText: link.replace(/^https?:\/\//, "") });
      await expect(row.getByRole("cell").nth(1)).not.toHaveText("chưa có");
    });

    test("the poster prints on one A4 page without the site's header", async ({ page }) => {
      await openPoster(page, `print-${viewport.width}`);
      await page.emulateMedia({ media: "print" });
      await expect(page.locator("body > header")).toBeHidden();
      await page.screenshot({ path: join(SHOTS, `poster-print-media-${viewport.width}.png`), fullPage: true });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      const { pages, size } = await pdfText(new Uint8Array(pdf));
      expect(pages).toHaveLength(1);
      expect(pages[0]).toContain("Quét mã để đăng ký và dự thi");
      expect(pages[0]).not.toContain("Đăng xuất");
      // A4 portrait, in points.
      expect(Math.round(size[2]!)).toBe(595);
      expect(Math.round(size[3]!)).toBe(842);
    });

    test("the district sheet has every branch's QR code", async ({ page }) => {
      await login(page, "0912000002", "/to-chuc");
      await page.goto(`/to-chuc/ap-phich/${CONTEST}/in?huyen=don-duong`);
      const cards = page.locator(".sheet-card");
      const count = await cards.count();
      expect(count).toBeGreaterThan(1);
      await page.screenshot({ path: join(SHOTS, `district-sheet-${viewport.width}.png`), fullPage: true });
      const last = cards.nth(count - 1);
      const decoded = decodeQr(await last.locator(".poster-qr").screenshot());
      expect(decoded).not.toBeNull();
      await expect(last).toContainText(decoded!.replace(/^https?:\/\//, ""));
    });

    test("the judges download the winners' certificates, one page each", async ({ page }) => {
      await login(page, "0912000003", `/giam-khao/${CONTEST}/vong/1`);
      const db = openE2eDatabase();
      const winners = db
        .prepare(
          `select u.full_name as name from round_results r join users u on u.id = r.user_id join rounds ro on ro.id = r.round_id
           where ro.contest_id = ? and ro.number = 1 and r.prize is not null and r.draw_pending = 0 order by r.rank, r.position`,
        )
        .all(CONTEST) as { name: string }[];
      db.close();
      expect(winners.length).toBeGreaterThan(0);
      const bytes = await download(page, page.getByRole("link", { name: "Giấy chứng nhận đoạt giải (.pdf)" }));
      const { pages, size } = await pdfText(bytes);
      expect(pages).toHaveLength(winners.length);
      winners.forEach((w, i) => expect(pages[i]).toContain(w.name));
      expect(pages[0]).toContain("Đã đạt Giải Nhất");
      expect(pages[0]).toContain("TRƯỞNG BAN GIÁM KHẢO");
      expect(Math.round(size[2]!)).toBe(842); // landscape
    });
  });
}

test("a member downloads their certificate of participation from their result page", async ({ page }) => {
  // A participant of the demo's week 1, given the demo password so the test can log in as them.
  const db = new Database(join(import.meta.dirname, ".tmp", "e2e.sqlite"));
  db.pragma("busy_timeout = 5000");
  const member = db
    .prepare(
      `select u.id, u.phone, u.full_name as name, r.attempt_id as attemptId from round_results r join users u on u.id = r.user_id join rounds ro on ro.id = r.round_id
       where ro.contest_id = ? and ro.number = 1 and r.prize is null order by r.rank desc limit 1`,
    )
    .get(CONTEST) as { id: string; phone: string; name: string; attemptId: string };
  const demoHash = (db.prepare("select password_hash as h from users where phone = '0912000001'").get() as { h: string }).h;
  db.prepare("update users set password_hash = ? where id = ?").run(demoHash, member.id);
  db.close();

  await login(page, member.phone, `/bai-thi/${member.attemptId}/ket-qua`);
  const link = page.getByRole("link", { name: "Tải giấy chứng nhận tham gia (.pdf)" });
  await expect(link).toBeVisible();
  await page.screenshot({ path: join(SHOTS, "result-page-360.png") });
  const { pages } = await pdfText(await download(page, link));
  expect(pages).toHaveLength(1);
  expect(pages[0]).toContain(member.name);
  expect(pages[0]).toContain("Đã tham gia Tuần thứ nhất");
});
