/**
 * `npm run content:convert -- <file.docx> [out.md]`: converts a Word question file to the bank
 * format, as the console's upload does, so a bank can be converted once and then kept in
 * content/banks/ under review. Prints every doubt as `out.md:line: …` and exits 1 if any is an
 * error (the file is still written, for fixing); without `out.md` the markdown goes to stdout.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { docxMessages as m } from "~/i18n/docx.vi";
import { convertDocx } from "../word.server";
import { runCli } from "./run";

runCli(async () => {
  const [input, output] = process.argv.slice(2).filter((a) => a !== "--");
  if (!input) {
    console.error(m.cliUsage);
    return 2;
  }
  const result = await convertDocx(readFileSync(input), { fileName: basename(input) });
  if (!result.ok) {
    console.error(`${input}: ${result.message}`);
    return 1;
  }
  const { markdown, notes, questionCount } = result.conversion;
  const target = output ?? "-";
  for (const note of notes) {
    console.error(`${target === "-" ? input : target}:${note.line}: ${note.severity === "warning" ? "cảnh báo: " : ""}${note.message}`);
  }
  if (output) {
    writeFileSync(output, markdown);
    console.error(m.cliWritten(output, questionCount));
  } else {
    process.stdout.write(markdown);
  }
  const errors = notes.filter((n) => n.severity === "error").length;
  if (notes.length > 0) console.error(m.cliSummary(errors, notes.length - errors));
  return errors > 0 ? 1 : 0;
});
