import { expect, test } from "@playwright/test";
import { docxOf } from "../helpers/docx-fixtures";

test("an organizer uploads a Word file, sees the flagged question, fixes it in the editor and imports; the bank and a round's paper download as .docx", async ({
  page,
}) => {
  await page.goto("/dang-nhap?redirectTo=%2Fto-chuc");
  await page.getByLabel("Số điện thoại di động").fill("0912000002");
  await page.getByLabel("Mật khẩu").fill("demo1234");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ban tổ chức" })).toBeVisible();
  await page.getByRole("link", { name: "Thêm bộ câu hỏi" }).click();

  // Questions of its own: the organizer spec's bank must not meet a duplicate of its stems or answers here.
  const word = await docxOf([
    "Mã bộ câu hỏi: bo-word-e2e",
    "Bộ câu hỏi từ Word",
    "Câu 1. Ứng dụng định danh điện tử quốc gia có tên là gì?",
    "A. VssID",
    "**B.** VNeID",
    "C. eTax",
    "Lời giải: VNeID do Bộ Công an phát triển.",
    "Câu 2. Mã QR trên thẻ căn cước dùng để làm gì?",
    "A. Đọc nhanh thông tin của thẻ",
    "B. Thanh toán tiền điện",
  ]);
  await page.getByLabel("Tải lên tệp .md hoặc .docx (không bắt buộc)").setInputFiles({
    name: "Bộ câu hỏi từ Word.docx",
    mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    buffer: word,
  });
  // Even "Nạp" only converts and shows a Word file: nothing is imported before the organizer has looked.
  await page.getByRole("button", { name: "Nạp vào hệ thống" }).click();

  const notes = page.locator("#word-notes");
  await expect(notes.getByRole("heading")).toHaveText("Chuyển từ Word: 1 điều cần xem lại");
  await expect(notes).toContainText("Câu 2: không thấy đáp án đúng — in đậm hoặc gạch chân chữ cái của đáp án đúng");
  await expect(page.locator("#bank-errors")).toContainText("bo-word-e2e-002");
  await expect(page.getByRole("region", { name: "Xem trước" })).toContainText("VNeID");
  await page.screenshot({ path: "test-results/screens/bank-word-notes-360.png", fullPage: false });

  // "Dòng N" puts the cursor on the flagged question in the editor; the fix is made there.
  await notes.getByRole("button", { name: /^Dòng \d+$/ }).click();
  const editor = page.getByLabel("Nội dung bộ câu hỏi (markdown)");
  await expect(editor).toBeFocused();
  const converted = await editor.inputValue();
  expect(converted).toContain("## bo-word-e2e-001");
  expect(converted).toContain("- [x] VNeID");
  await editor.fill(converted.replace("- [ ] Đọc nhanh thông tin của thẻ", "- [x] Đọc nhanh thông tin của thẻ"));
  await page.getByRole("button", { name: "Kiểm tra" }).click();
  await expect(page.getByRole("status")).toHaveText("Không có lỗi: 2 câu hỏi sẵn sàng để nạp.");
  await expect(page.locator("#word-notes")).toHaveCount(0);
  await page.getByRole("button", { name: "Nạp vào hệ thống" }).click();
  await expect(page).toHaveURL(/\/to-chuc\/bo-cau-hoi\/bo-word-e2e/);
  await expect(page.getByRole("status")).toContainText("Đã nạp: 2 câu mới");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải về (.docx, có đáp án)" }).click();
  expect((await download).suggestedFilename()).toBe("bo-word-e2e.docx");

  await page.goto("/to-chuc");
  const paper = page.waitForEvent("download");
  await page.getByRole("link", { name: "Đề in: Tuần thứ nhất" }).click();
  expect((await paper).suggestedFilename()).toBe("nghi-quyet-dai-hoi-x-vong-1-de-thi.docx");
});
