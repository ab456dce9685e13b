/**
 * A fresh quiz load as a cheap phone on rural 4G sees it: Chromium at 360 px with Chrome DevTools'
 * "Slow 4G" network profile (562.5 ms round trip, 1.44 Mbit/s down, 675 kbit/s up) and the CPU
 * slowed 4×, cache disabled. Prints, per run and as the median: first paint, first contentful
 * paint, questions visible, a tap on an option registered (the plain form takes it before the
 * script runs), and that tap saved on the server (the script has hydrated and sent it).
 * A measurement, not a test: run it against a running server with the demo data.
 *
 *   npm run build && npm run demo            # (or tests/e2e/serve.ts with PORT)
 *   npx tsx tests/bench/quiz-slow-4g.ts [--base http://localhost:3000] [--runs 5]
 */
import { chromium, type BrowserContext } from "@playwright/test";
import { findChromium } from "../e2e/find-chromium.mjs";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const base = option("base", process.env.BASE_URL ?? "http://localhost:3000");
const runs = Number(option("runs", "5"));
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};

const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: ["--no-sandbox", "--disable-gpu"] });

/** Logs in as the demo member and returns the quiz page's path (starting or resuming an attempt). */
async function quizPath(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  await page.goto(`${base}/dang-nhap?redirectTo=%2Fcuoc-thi%2Fthi-thu%2Fvong%2F1`);
  await page.getByLabel("Số điện thoại di động").fill("0912000001");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL(/vong\/1/);
  const button = page.getByRole("button", { name: /Bắt đầu làm bài|Tiếp tục làm bài/ });
  const link = page.getByRole("link", { name: /Tiếp tục làm bài/ });
  if (await button.count()) await button.first().click();
  else await link.first().click();
  await page.waitForURL(/\/bai-thi\/[0-9a-f-]{36}$/);
  const path = new URL(page.url()).pathname;
  await page.close();
  return path;
}

const context = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true, locale: "vi-VN" });
const path = await quizPath(context);

type Timings = { firstPaint: number; questionsInHtml: number; questionsVisible: number; tapRegistered: number; tapSaved: number };
const results: Timings[] = [];
for (let run = 0; run < runs; run++) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Record, in the page's own time line, when the first question appears and when its state changes.
  await page.addInitScript(() => {
    const marks: Record<string, number> = {};
    (window as unknown as { __marks: Record<string, number> }).__marks = marks;
    new MutationObserver(() => {
      if (!marks.questions && document.querySelector("fieldset input")) marks.questions = performance.now();
      const state = document.querySelector("fieldset [data-save-state]")?.getAttribute("data-save-state");
      if (state === "saved" && !marks.saved) marks.saved = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    document.addEventListener("change", () => (marks.tap ??= performance.now()), true);
  });
  await page.goto(`${base}${path}`, { waitUntil: "commit" });
  const firstQuestion = page.locator("fieldset").first();
  const inputs = firstQuestion.locator("input");
  await inputs.first().waitFor({ state: "visible", timeout: 60_000 });
  // Tap, as soon as it can be seen, an option not chosen yet (or, all chosen, untick the first).
  const unchecked = await inputs.evaluateAll((els) => els.findIndex((e) => !(e as HTMLInputElement).checked));
  await inputs.nth(Math.max(0, unchecked)).click({ timeout: 60_000 });
  await page.waitForFunction(() => (window as unknown as { __marks: Record<string, number> }).__marks.saved, undefined, {
    timeout: 60_000,
    polling: 50,
  });
  const timing = await page.evaluate(() => {
    const marks = (window as unknown as { __marks: Record<string, number> }).__marks;
    // (No helper function here: the bundler would wrap it in a name helper the page does not have.)
    return {
      firstPaint: performance.getEntriesByName("first-paint")[0]?.startTime ?? NaN,
      questionsInHtml: marks.questions!,
      // Parsed is not seen: the questions show with the first contentful paint (after the CSS).
      questionsVisible: Math.max(marks.questions!, performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN),
      tapRegistered: marks.tap!,
      tapSaved: marks.saved!,
    };
  });
  results.push(timing);
  console.log(
    `run ${run + 1}:`,
    Object.entries(timing)
      .map(([k, v]) => `${k} ${Math.round(v)} ms`)
      .join(", "),
  );
  await page.close();
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `median of ${runs} (slow 4G, CPU 4×, 360 px, cache off):`,
  (Object.keys(results[0]!) as (keyof Timings)[]).map((k) => `${k} ${Math.round(median(results.map((r) => r[k])))} ms`).join(", "),
);
await browser.close();
