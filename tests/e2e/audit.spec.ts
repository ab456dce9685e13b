import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";

/** A rename as the console records it, written straight into the e2e server's database. */
function recordRename(): { branchId: string; name: string } {
  const db = new Database(join(import.meta.dirname, ".tmp", "e2e.sqlite"), { fileMustExist: true });
  try {
    const branch = db.prepare("select id, name from branches where merged_into_id is null order by position limit 1").get() as {
      id: string;
      name: string;
    };
    const organizer = db.prepare("select id from users where phone = '0912000002'").get() as { id: string };
    db.prepare(
      "insert into audit_log (at, actor_user_id, action, subject, subject_kind, before, after, details) values (?, ?, 'branch.rename', ?, 'unit', ?, ?, ?)",
    ).run(
      Date.now(),
      organizer.id,
      `unit:${branch.id}`,
      JSON.stringify({ name: "Tên cũ thử nghiệm" }),
      JSON.stringify({ name: branch.name }),
      JSON.stringify({ level: "branch" }),
    );
    return { branchId: branch.id, name: branch.name };
  } finally {
    db.close();
  }
}

test("a judge reads the audit log on a phone: filters by a unit, reads before → after, is told about a bad date, downloads the CSV", async ({
  page,
}) => {
  const { branchId, name } = recordRename();
  await page.goto("/dang-nhap?redirectTo=%2Fgiam-khao");
  await page.getByLabel("Số điện thoại di động").fill("0912000003");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.getByRole("link", { name: "Nhật ký thay đổi" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nhật ký thay đổi" })).toBeVisible();

  await page.getByLabel("Đối tượng", { exact: true }).selectOption({ label: "Đơn vị" });
  await page.getByLabel("Mã đối tượng").fill(branchId);
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`loai=unit&ma=${branchId}`));
  const entry = page.getByRole("listitem").filter({ hasText: "Đổi tên công đoàn cơ sở" }).first();
  await expect(entry).toContainText("Trần Thị Bình");
  await expect(entry).toContainText(`Tên: Tên cũ thử nghiệm → ${name}`);
  // Nothing wider than the phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: "test-results/screens/audit-360.png", fullPage: true });

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải về (.csv)" }).click();
  const download = await downloading;
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString("utf8")).toContain(`Tên: Tên cũ thử nghiệm → ${name}`);

  const from = page.getByLabel("Từ ngày (dd/mm/yyyy)");
  await from.fill("31/02/2024");
  await page.getByRole("button", { name: "Lọc", exact: true }).click();
  await expect(page.getByLabel("Từ ngày (dd/mm/yyyy)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Ngày phải có dạng dd/mm/yyyy, ví dụ 05/10/2024.")).toBeVisible();
});
