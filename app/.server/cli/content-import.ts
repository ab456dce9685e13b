/** `npm run content:import`: validates content/ and loads it into the database in one transaction. */
import { defaultDatabasePath, openDatabase } from "../../../db/client";
import { describeErrors, describeWarnings, importContentDir, osUserName } from "../content/pipeline.server";
import type { ImportSummary } from "../content/import.server";
import { runCli } from "./run";

export function describeSummary(s: ImportSummary): string {
  return [
    `Huyện, thành phố: ${s.districts.created} mới, ${s.districts.updated} cập nhật`,
    `Công đoàn cơ sở: ${s.branches.created} mới, ${s.branches.updated} cập nhật`,
    `Bộ câu hỏi: ${s.banks.created} mới, ${s.banks.updated} cập nhật, ${s.banks.unchanged} không đổi`,
    `Câu hỏi: ${s.questions.created} mới, ${s.questions.newVersions} có phiên bản mới, ${s.questions.retired} ngừng dùng`,
    `Cuộc thi: ${s.contests.created} mới, ${s.contests.updated} cập nhật, ${s.contests.unchanged} không đổi`,
    `Vòng thi: ${s.rounds.created} mới, ${s.rounds.updated} cập nhật, ${s.rounds.removed} xóa`,
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(() => {
    const db = openDatabase();
    // Audited as a content:import run by this OS user: there is no signed-in person at a terminal.
    const result = importContentDir(db, { now: Date.now(), via: "content:import", osUser: osUserName() });
    db.$client.close();
    if (!result.ok) {
      console.error(describeErrors(result.errors));
      console.error(`\nCó ${result.errors.length} lỗi; cơ sở dữ liệu không thay đổi gì.`);
      return 1;
    }
    // Warnings do not block an import; they are said, so that they get fixed.
    if (result.warnings.length > 0) console.warn(`${describeWarnings(result.warnings)}\n`);
    console.log(`Đã nạp nội dung vào ${defaultDatabasePath()}:\n${describeSummary(result.summary)}`);
    return 0;
  });
}
