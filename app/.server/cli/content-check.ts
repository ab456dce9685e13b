/** `npm run content:check [paths…]`: validates content and exits non-zero on any error. */
import { checkContent, describeErrors } from "../content/pipeline.server";
import { runCli } from "./run";

runCli(() => {
  const { content, errors, checkedFiles } = checkContent(process.argv.slice(2));
  if (errors.length > 0) {
    console.error(describeErrors(errors));
    const files = new Set(errors.map((e) => e.file)).size;
    console.error(`\nCó ${errors.length} lỗi trong ${files} tệp. Sửa các lỗi trên rồi chạy lại lệnh.`);
    return 1;
  }
  const checked = new Set(checkedFiles);
  const banks = content.banks.filter((b) => checked.has(b.file));
  const parts = [
    banks.length > 0 && `${banks.length} bộ câu hỏi (${banks.reduce((n, b) => n + b.questions.length, 0)} câu)`,
    content.contests.length > 0 &&
      `${content.contests.length} cuộc thi (${content.contests.reduce((n, c) => n + c.rounds.length, 0)} vòng)`,
    content.units &&
      `${content.units.districts.length} huyện, thành phố và ${content.units.branches.length} công đoàn cơ sở`,
  ].filter(Boolean);
  console.log(`Nội dung hợp lệ: ${parts.join(", ") || "không có tệp nào"}.`);
  return 0;
});
