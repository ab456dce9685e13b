/**
 * `npm run content:check [--strict] [paths…]`: validates content and exits non-zero on any error.
 * Warnings are printed and do not fail the check, unless `--strict` (content repositories' CI)
 * makes them errors.
 */
import { sortContentErrors } from "~/domain/content/errors";
import { contentMessages as m } from "~/i18n/content.vi";
import { checkContent, describeErrors, describeWarnings } from "../content/pipeline.server";
import { runCli } from "./run";

runCli(() => {
  const args = process.argv.slice(2);
  // `npm run content:check --strict` (without `--`) reaches the script only as npm's own setting.
  const strict = args.includes("--strict") || process.env.npm_config_strict === "true";
  const { content, errors, warnings, checkedFiles } = checkContent(args.filter((a) => a !== "--strict"));
  if (errors.length > 0 || (strict && warnings.length > 0)) {
    const all = sortContentErrors([...errors.map((e) => ({ ...e, warning: false })), ...warnings.map((w) => ({ ...w, warning: true }))]);
    console.error(all.map((e) => (e.warning ? describeWarnings([e]) : describeErrors([e]))).join("\n"));
    const files = new Set(all.map((e) => e.file)).size;
    console.error(
      `\n${errors.length > 0 ? m.checkSummaryErrors(errors.length, warnings.length, files) : m.strictWarnings(warnings.length)}`,
    );
    return 1;
  }
  if (warnings.length > 0) console.warn(`${describeWarnings(warnings)}\n\n${m.checkSummaryWarnings(warnings.length)}\n`);
  const checked = new Set(checkedFiles);
  const banks = content.banks.filter((b) => checked.has(b.file));
  const parts = [
    banks.length > 0 && `${banks.length} bộ câu hỏi (${banks.reduce((n, b) => n + b.questions.length, 0)} câu)`,
    content.contests.length > 0 &&
      `${content.contests.length} cuộc thi (${content.contests.reduce((n, c) => n + c.rounds.length, 0)} vòng)`,
    content.units && `${content.units.districts.length} huyện, thành phố và ${content.units.branches.length} công đoàn cơ sở`,
  ].filter(Boolean);
  console.log(`Nội dung hợp lệ: ${parts.join(", ") || "không có tệp nào"}.`);
  return 0;
});
