/**
 * Issue 16 end to end: two members of week 3 made equal on every criterion at the last prize (16th
 * and 17th), the stored results cleared so the desk computes them again; at 360 px without
 * JavaScript the judge sees the group "Đồng hạng — cần bốc thăm", records the draw with a reason,
 * and the winners file names the outcome. Week 3 only, and the draw leaves 16 winners as before.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { parseCsv } from "../helpers/spreadsheets";

const DESK = "/giam-khao/nghi-quyet-dai-hoi-x/vong/3";

async function login(page: Page, phone: string, redirectTo: string) {
  await page.goto(`/dang-nhap?redirectTo=${encodeURIComponent(redirectTo)}`);
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(new RegExp(`${redirectTo}$`));
}

/** Makes the 17th of week 3 equal to the 16th on every criterion (same score already) and clears the stored results. */
function tieTheLastPrize(): string[] {
  const db = new Database(join(import.meta.dirname, ".tmp", "e2e.sqlite"));
  db.pragma("busy_timeout = 5000");
  try {
    const round = db.prepare("select r.id from rounds r where r.contest_id = 'nghi-quyet-dai-hoi-x' and r.number = 3").get() as {
      id: number;
    };
    const rows = db
      .prepare(
        `select rr.attempt_id as attemptId, rr.score, u.full_name as fullName from round_results rr join users u on u.id = rr.user_id
         where rr.round_id = ? and rr.position in (16, 17) order by rr.position`,
      )
      .all(round.id) as { attemptId: string; score: number; fullName: string }[];
    expect(rows).toHaveLength(2);
    expect(rows[0]!.score).toBe(rows[1]!.score);
    const first = db
      .prepare("select prediction, duration_ms as durationMs, finalized_at as finalizedAt from attempts where id = ?")
      .get(rows[0]!.attemptId) as {
      prediction: number | null;
      durationMs: number;
      finalizedAt: number;
    };
    db.prepare("update attempts set prediction = ?, duration_ms = ?, finalized_at = ? where id = ?").run(
      first.prediction,
      first.durationMs,
      first.finalizedAt,
      rows[1]!.attemptId,
    );
    db.prepare("update rounds set results_computed_at = null where id = ?").run(round.id);
    return rows.map((r) => r.fullName);
  } finally {
    db.close();
  }
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a tie at the last prize waits for the judges' draw, which a judge records on a phone", async ({ page }) => {
    const names = tieTheLastPrize();
    await login(page, "0912000003", DESK);
    const tied = page.getByRole("region", { name: "Đồng hạng — cần bốc thăm" });
    // The scheduled job (every 3 s on the test server) stores the round again; the page only reads.
    await expect(async () => {
      await page.reload();
      await expect(tied).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(tied.getByText("Hạng 16= · 2 thí sinh")).toBeVisible();
    for (const name of names) await expect(tied.getByText(name)).toBeVisible();
    await tied.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/screens/desk-tied-360-nojs.png", fullPage: false });
    // The page is no wider than the phone (the ranking table scrolls inside its own box).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    const winners = parseCsv(await (await page.request.get(`${DESK}/tai/giai.csv`)).text()).slice(1);
    expect(winners.filter((r) => r[0] === "16=").map((r) => [r[1], r[14]])).toEqual([
      ["Chưa quyết định", "Đồng hạng 16= — cần bốc thăm, giải chưa quyết định"],
      ["Chưa quyết định", "Đồng hạng 16= — cần bốc thăm, giải chưa quyết định"],
    ]);

    await tied.getByLabel(`Thứ tự bốc thăm: ${names[1]}`).fill("1");
    await tied.getByLabel(`Thứ tự bốc thăm: ${names[0]}`).fill("2");
    await tied.getByLabel("Biên bản / lý do (ai bốc, ở đâu)").fill("Bốc thăm công khai tại hội trường, có biên bản");
    await tied.getByRole("button", { name: "Ghi kết quả bốc thăm" }).click();
    await expect(page.getByText("Đã ghi kết quả bốc thăm cho nhóm đồng hạng 16=.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Đồng hạng — cần bốc thăm" })).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Các lần bốc thăm đã ghi" })).toContainText(`1. ${names[1]} · 2. ${names[0]}`);

    const after = parseCsv(await (await page.request.get(`${DESK}/tai/giai.csv`)).text()).slice(1);
    expect(after).toHaveLength(16);
    expect(after.filter((r) => r[0] === "16=").map((r) => [r[1], r[2], r[14]])).toEqual([
      ["Giải Khuyến khích", names[1], "Đồng hạng 16= — bốc thăm: thứ 1/2 (Bốc thăm công khai tại hội trường, có biên bản)"],
    ]);
  });
});
