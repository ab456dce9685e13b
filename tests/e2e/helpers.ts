import { join } from "node:path";
import { expect, type Page } from "@playwright/test";
import Database from "better-sqlite3";

/** The e2e server's database (tests/e2e/serve.ts), opened read-only to check what was stored. */
export function openE2eDatabase() {
  return new Database(join(import.meta.dirname, ".tmp", "e2e.sqlite"), { readonly: true, fileMustExist: true });
}

let counter = 0;
/** A Vietnamese mobile number no other test uses: 09 + 8 digits from the time and a counter. */
export function uniquePhone(): string {
  counter++;
  const digits = String((Date.now() * 10 + counter) % 100_000_000).padStart(8, "0");
  return `09${digits}`;
}

export async function register(
  page: Page,
  { fullName, phone, password = "matkhau123" }: { fullName: string; phone: string; password?: string },
) {
  await page.getByLabel("Họ và tên").fill(fullName);
  await page.getByLabel("Số điện thoại di động").fill(phone);
  await page.getByLabel("Huyện, thành phố").selectOption({ label: "Huyện Đơn Dương" });
  const branch = page.getByLabel("Công đoàn cơ sở");
  if (!(await branch.isEnabled())) {
    // Without JavaScript, choosing the district posts the form back to narrow the branch list.
    await page.getByRole("button", { name: "Tiếp tục" }).click();
  }
  await expect(branch).toBeEnabled();
  const options = branch.locator("option");
  await expect(options.nth(1)).toBeAttached();
  await branch.selectOption({ index: 1 });
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByLabel("Nhập lại mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng ký" }).click();
}

/** Expected score from what the server stored: the drawn versions' correct options vs the answers. */
export function storedScore(attemptId: string) {
  const db = openE2eDatabase();
  try {
    const items = db.prepare("select question_version_id as versionId, chosen from attempt_items where attempt_id = ?").all(attemptId) as {
      versionId: number;
      chosen: string | null;
    }[];
    let score = 0;
    let max = 0;
    for (const item of items) {
      const version = db.prepare("select points from question_versions where id = ?").get(item.versionId) as { points: number };
      const correct = (
        db.prepare("select id from question_options where version_id = ? and is_correct = 1 order by id").all(item.versionId) as {
          id: number;
        }[]
      ).map((o) => o.id);
      const chosen = item.chosen ? (JSON.parse(item.chosen) as number[]).sort((a, b) => a - b) : [];
      max += version.points;
      if (chosen.length > 0 && JSON.stringify(chosen) === JSON.stringify(correct)) score += version.points;
    }
    const row = db.prepare("select score, max_score as maxScore, status from attempts where id = ?").get(attemptId) as {
      score: number;
      maxScore: number;
      status: string;
    };
    return { expected: score, expectedMax: max, stored: row };
  } finally {
    db.close();
  }
}
