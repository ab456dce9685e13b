/**
 * Reaching partner sites and chat apps: a partner page (on another origin: 127.0.0.1 and a port of
 * its own, while the site is at localhost) frames a contest's embed once an organizer lists it,
 * and is refused for a contest that does not list it and for every other page; share-card meta
 * and image; the organizers' cumulative chart; the judges' ranking using a desktop's width.
 */
import { createServer, type Server } from "node:http";
import { expect, test, type Page } from "@playwright/test";

const SITE_PORT = Number(process.env.E2E_PORT ?? 3100);
const PARTNER_PORT = SITE_PORT + 1;
const PARTNER = `http://127.0.0.1:${PARTNER_PORT}`;
const SITE = `http://localhost:${SITE_PORT}`;
const CONTEST = "nghi-quyet-dai-hoi-x";

let partner: Server;

test.beforeAll(async () => {
  // The partner's page: whatever path is asked for is framed, e.g. /?src=/nhung/thi-thu.
  partner = createServer((req, res) => {
    const url = new URL(req.url ?? "/", PARTNER);
    const frames = url.searchParams
      .getAll("src")
      .map((src, i) => `<iframe id="f${i}" src="${SITE}${src}" title="khung ${i}" width="100%" height="560"></iframe>`);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(
      `<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cổng thông tin đối tác</title></head><body style="margin:8px"><h1>Cổng thông tin Công đoàn</h1>${frames.join("")}</body></html>`,
    );
  });
  await new Promise<void>((resolve) => partner.listen(PARTNER_PORT, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => partner.close(resolve));
});

async function login(page: Page, phone: string, redirectTo: string) {
  await page.goto(`/dang-nhap?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(new RegExp(`${redirectTo}$`));
}

/** The child frame that loaded (or was refused) a URL of the site. */
async function frameState(page: Page, id: string): Promise<string> {
  const handle = await page.locator(`#${id}`).elementHandle();
  const frame = await handle!.contentFrame();
  return frame!.url();
}

test("an organizer lets a partner site frame the embed; it shows there, other pages and contests stay refused", async ({
  page,
  browser,
}) => {
  await login(page, "0912000002", `/to-chuc/cuoc-thi/${CONTEST}`);
  const section = page.getByRole("region", { name: "Nhúng vào trang đối tác" });
  const origins = section.getByLabel("Các trang được phép nhúng (mỗi dòng một địa chỉ)");

  // A page address instead of a site, and plain http on the public Internet: each refused by line.
  await origins.fill(`https://congdoan.lamdong.gov.vn/tin-tuc\nhttp://congdoan.example.vn`);
  await section.getByRole("button", { name: "Lưu danh sách trang nhúng" }).click();
  const error = page.locator("#embedOrigins-error");
  await expect(error).toContainText("Dòng 1:");
  await expect(error).toContainText("chỉ ghi tên miền: `https://congdoan.lamdong.gov.vn`");
  await expect(error).toContainText("Dòng 2:");
  await expect(error).toContainText("phải bắt đầu bằng `https://`");

  await page
    .getByRole("region", { name: "Nhúng vào trang đối tác" })
    .getByLabel("Các trang được phép nhúng (mỗi dòng một địa chỉ)")
    .fill(`https://congdoan.lamdong.gov.vn\n${PARTNER}/`);
  await page.getByRole("region", { name: "Nhúng vào trang đối tác" }).getByRole("button", { name: "Lưu danh sách trang nhúng" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu." })).toBeVisible();
  await expect(page.locator("#embedOrigins")).toHaveValue(`https://congdoan.lamdong.gov.vn\n${PARTNER}`);
  const snippet = await page.locator("#embed-snippet").inputValue();
  expect(snippet).toContain(`<iframe src="${SITE}/nhung/${CONTEST}"`);
  // The live preview: this site may always frame the embed.
  const preview = page.frameLocator(`iframe[title^="Xem trước"]`);
  await expect(preview.getByTestId("embed")).toContainText("10 người dẫn đầu Tuần thứ ba");
  await page.locator("#embed").scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/share-console-embed-360.png", fullPage: false });

  // The partner's page, a different origin, in a fresh browser context (no session).
  const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
  const visitor = await context.newPage();
  const embedResponse = visitor.waitForResponse((r) => r.url() === `${SITE}/nhung/${CONTEST}`);
  const refusedResponse = visitor.waitForResponse((r) => r.url() === `${SITE}/nhung/thi-thu`);
  const pageResponse = visitor.waitForResponse((r) => r.url() === `${SITE}/cuoc-thi/${CONTEST}`);
  await visitor.goto(`${PARTNER}/?src=/nhung/${CONTEST}&src=/nhung/thi-thu&src=/cuoc-thi/${CONTEST}`);

  const embed = visitor.frameLocator("#f0").getByTestId("embed");
  await expect(embed.getByRole("heading", { level: 1 })).toContainText("Tìm hiểu Nghị quyết");
  await expect(embed.getByTestId("embed-participants")).not.toHaveText("0");
  await expect(embed.getByRole("row")).toHaveCount(11); // header + top 10
  const join = embed.getByRole("link", { name: /Tham gia/ });
  await expect(join).toHaveAttribute("target", "_blank");
  const headers = (await embedResponse).headers();
  expect(headers["content-security-policy"]).toContain(`frame-ancestors 'self' https://congdoan.lamdong.gov.vn ${PARTNER}`);
  expect(headers["x-frame-options"]).toBeUndefined();
  expect(headers["cache-control"]).toMatch(/public, max-age=\d+/);
  expect(headers["set-cookie"]).toBeUndefined();
  expect(headers["x-cuocthi-frame-ancestors"]).toBeUndefined();

  // The practice contest lists no partner, and the contest page is never framed: the browser
  // refuses both (an error page in the frame, none of the site's content).
  expect((await refusedResponse).headers()["content-security-policy"]).toContain("frame-ancestors 'self'");
  expect((await refusedResponse).headers()["content-security-policy"]).not.toContain(PARTNER);
  expect((await pageResponse).headers()["x-frame-options"]).toBe("DENY");
  expect((await pageResponse).headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect.poll(() => frameState(visitor, "f1")).toMatch(/^chrome-error:/);
  await expect.poll(() => frameState(visitor, "f2")).toMatch(/^chrome-error:/);
  await expect(visitor.frameLocator("#f1").getByTestId("embed")).toHaveCount(0);
  await visitor.screenshot({ path: "test-results/screens/share-partner-360.png", fullPage: true });

  // Tapping "Tham gia" opens the contest in a new tab.
  const [tab] = await Promise.all([context.waitForEvent("page"), join.click()]);
  await expect(tab).toHaveURL(new RegExp(`/cuoc-thi/${CONTEST}$`));
  await context.close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the embed reads right without JavaScript: status, countdown text, participants", async ({ page }) => {
    await page.goto("/nhung/thi-thu");
    const embed = page.getByTestId("embed");
    await expect(embed).toContainText("Đang mở");
    await expect(embed.getByRole("timer")).toHaveText(/ngày|giờ|phút/);
    await expect(embed.getByRole("link", { name: /Tham gia/ })).toHaveAttribute("href", "/cuoc-thi/thi-thu/vong/1");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/screens/share-embed-nojs-360.png", fullPage: true });
  });
});

test("contest, round and leaderboard pages carry a share card with an absolute 1200×630 PNG", async ({ page, request }) => {
  for (const [path, title] of [
    [`/cuoc-thi/${CONTEST}`, "Tìm hiểu Nghị quyết"],
    [`/cuoc-thi/${CONTEST}/vong/2`, "Tuần thứ hai"],
    [`/cuoc-thi/${CONTEST}/xep-hang`, "Bảng xếp hạng"],
  ] as const) {
    await page.goto(path);
    const meta = async (attr: "property" | "name", key: string) => page.locator(`head meta[${attr}="${key}"]`).getAttribute("content");
    expect(await meta("property", "og:title")).toContain(title);
    expect(await meta("property", "og:url")).toBe(`${SITE}${path}`);
    expect(await meta("property", "og:description")).toMatch(/\d{2}\/\d{2}\/2024/);
    expect(await meta("name", "twitter:card")).toBe("summary_large_image");
    const image = (await meta("property", "og:image"))!;
    expect(image).toMatch(new RegExp(`^${SITE}/cuoc-thi/${CONTEST}/anh-chia-se\\.png\\?v=`));
    expect(await meta("name", "twitter:image")).toBe(image);

    const png = await request.get(image);
    expect(png.status()).toBe(200);
    expect(png.headers()["content-type"]).toBe("image/png");
    expect(png.headers()["cache-control"]).toContain("immutable");
    const body = await png.body();
    expect(body.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect([body.readUInt32BE(16), body.readUInt32BE(20)]).toEqual([1200, 630]);
    const again = await request.get(image, { headers: { "If-None-Match": png.headers()["etag"]! } });
    expect(again.status()).toBe(304);
  }
  await page.goto(`/cuoc-thi/${CONTEST}/anh-chia-se.png`);
  await page.screenshot({ path: "test-results/screens/share-card.png" });
});

for (const width of [360, 1280]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width === 360 ? 780 : 800 } });

    test(`the organizers' chart of participants over time, and the judges' ranking width (${width} px)`, async ({ page }) => {
      await login(page, "0912000004", "/to-chuc");
      await page.goto(`/to-chuc/theo-doi/${CONTEST}/1`);
      const chart = page.getByTestId("participants-chart");
      await expect(chart.getByRole("img", { name: /Người tham gia theo thời gian \(cộng dồn\)\. 420 người đã tham gia/ })).toBeVisible();
      // The numbers as text: the last row of the table is the total.
      const totals = await chart.locator("table tbody td").allInnerTexts();
      expect(totals.length).toBeGreaterThan(2);
      expect(totals.at(-1)).toBe("420");
      const numbers = totals.map((n) => Number(n.replace(/\./g, "")));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await chart.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screens/share-chart-${width}.png`, fullPage: false });

      await page.goto(`/giam-khao/${CONTEST}/vong/1`);
      const table = page.getByRole("region", { name: "Bảng xếp hạng" }).locator("div.overflow-x-auto").first();
      await expect(table).toBeVisible();
      const { scroll, client, main } = await table.evaluate((el) => ({
        scroll: el.scrollWidth,
        client: el.clientWidth,
        main: document.getElementById("main")!.clientWidth,
      }));
      if (width === 1280) {
        // The whole ranking fits: no sideways scrolling on a desktop.
        expect(main).toBeGreaterThan(1100);
        expect(scroll).toBeLessThanOrEqual(client);
      } else {
        // A phone keeps its one column, the table scrolling inside it, never the page.
        expect(main).toBeLessThanOrEqual(360);
        expect(scroll).toBeGreaterThan(client);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      }
      await table.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screens/share-judges-${width}.png`, fullPage: false });
    });
  });
}
