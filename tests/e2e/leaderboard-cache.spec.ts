import { expect, test } from "@playwright/test";

// A closed round's leaderboard seen without a session: rendered once, then the same bytes for every
// visitor (decision 013). Its inline scripts are allowed by hash (no shared nonce), and they run.
const BOARD = "/cuoc-thi/nghi-quyet-dai-hoi-x/xep-hang?vong=1";

test("a frozen leaderboard is served from the cache with ETag, 304 and hashed scripts that still run", async ({ page, request }) => {
  const first = await request.get(BOARD);
  expect(first.status()).toBe(200);
  const etag = first.headers()["etag"]!;
  expect(etag).toMatch(/^W\/"/);
  expect(first.headers()["cache-control"]).toBe("public, max-age=0, must-revalidate");
  expect(first.headers()["vary"]).toContain("Cookie");
  const csp = first.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(csp).not.toContain("nonce-");

  const second = await request.get(BOARD);
  expect(second.headers()["etag"]).toBe(etag);
  expect(await second.text()).toBe(await first.text());
  const revalidated = await request.get(BOARD, { headers: { "If-None-Match": etag } });
  expect(revalidated.status()).toBe(304);
  expect(await revalidated.body()).toHaveLength(0);

  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(BOARD);
  await expect(page.getByRole("heading", { level: 1, name: "Bảng xếp hạng" })).toBeVisible();
  // The district filter submits on change through the page's script: it hydrated under the hashes.
  await page.getByLabel("Huyện, thành phố", { exact: true }).selectOption({ label: "Huyện Đơn Dương" });
  await expect(page).toHaveURL(/huyen=don-duong/);
  await expect(page.getByRole("heading", { level: 2 })).toContainText("Huyện Đơn Dương");
  expect(violations).toEqual([]);
});

test("the next anonymous visitor gets the same page and headers, compressed as asked, before the framework", async ({ request }) => {
  // A page no other test asks for: the first request is rendered by Remix, the next ones are kept bytes.
  const url = `${BOARD}&trang=3`;
  const perResponse = new Set([
    "date",
    "x-request-id",
    "content-length",
    "transfer-encoding",
    "content-encoding",
    "connection",
    "keep-alive",
  ]);
  // Every other header the same on both paths, Strict-Transport-Security once on each.
  const pageHeaders = (headers: Record<string, string>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !perResponse.has(name)));
  const first = await request.get(url, { headers: { "Accept-Encoding": "gzip, br" } });
  expect(first.status()).toBe(200);
  const html = await first.text();
  for (const encoding of ["br", "gzip", "identity"]) {
    const next = await request.get(url, { headers: { "Accept-Encoding": encoding } });
    expect(next.status()).toBe(200);
    expect(await next.text()).toBe(html);
    expect(pageHeaders(next.headers())).toEqual(pageHeaders(first.headers()));
    if (encoding !== "identity") expect([encoding, undefined]).toContain(next.headers()["content-encoding"]);
  }
  expect(first.headers()["content-security-policy"]).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/);
  expect(first.headers()["vary"]).toBe("Cookie, Accept-Encoding");
  const revalidated = await request.get(url, { headers: { "If-None-Match": first.headers()["etag"]! } });
  expect(revalidated.status()).toBe(304);
});

test("a member's leaderboard is not public: no ETag, their own nonce", async ({ page }) => {
  await page.goto("/dang-nhap?redirectTo=%2F");
  await page.getByLabel("Số điện thoại di động").fill("0912000001");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/$/);
  const response = await page.goto(BOARD);
  expect(response!.headers()["etag"]).toBeUndefined();
  expect(response!.headers()["content-security-policy"]).toContain("nonce-");
});
