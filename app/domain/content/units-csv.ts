/**
 * Units from a CSV an organizer exported from a spreadsheet: one branch a row, with its district,
 *   Mã huyện,Tên huyện,Mã CĐCS,Tên CĐCS
 *   da-lat,Thành phố Đà Lạt,dl-so-tttt,Công đoàn Sở Thông tin và Truyền thông
 * A header row is recognised and skipped. Errors name the line, like every content error.
 */
import { contentMessages as m, unitWords } from "~/i18n/content.vi";
import { ErrorSink, ID_PATTERN, normalizeText, type ContentError } from "./errors";
import type { Units } from "./units";

/** RFC 4180 fields of one line (quotes, doubled quotes); `;` also accepted, as some spreadsheets write. */
function splitCsvLine(line: string): string[] {
  const separator = line.includes(",") || !line.includes(";") ? "," : ";";
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === separator) {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

export function parseUnitsCsv(file: string, rawText: string): { units: Units | null; errors: ContentError[] } {
  const sink = new ErrorSink(file);
  const districts = new Map<string, { id: string; name: string; line: number }>();
  const branches: Units["branches"] = [];
  const seenBranches = new Map<string, number>();
  normalizeText(rawText)
    .split("\n")
    .forEach((line, index) => {
      const lineNumber = index + 1;
      if (!line.trim()) return;
      const cells = splitCsvLine(line);
      if (lineNumber === 1 && !ID_PATTERN.test(cells[0] ?? "")) return; // the header
      if (cells.length !== 4) {
        sink.add(lineNumber, m.unitsTableRow(4, cells.length));
        return;
      }
      const [districtId = "", districtName = "", branchId = "", branchName = ""] = cells;
      if (!ID_PATTERN.test(districtId)) return sink.add(lineNumber, m.badId(`mã ${unitWords.district}`, districtId));
      if (!ID_PATTERN.test(branchId)) return sink.add(lineNumber, m.badId(`mã ${unitWords.branch}`, branchId));
      if (!districtName || !branchName) return sink.add(lineNumber, m.emptyUnitName);
      const district = districts.get(districtId);
      if (!district) districts.set(districtId, { id: districtId, name: districtName, line: lineNumber });
      else if (district.name !== districtName) {
        return sink.add(lineNumber, m.districtNameMismatch(districtId, district.name, district.line));
      }
      const earlier = seenBranches.get(branchId);
      if (earlier !== undefined) return sink.add(lineNumber, m.duplicateUnitId(unitWords.branch, branchId, earlier));
      seenBranches.set(branchId, lineNumber);
      branches.push({ id: branchId, name: branchName, districtId, line: lineNumber });
    });
  if (sink.errors.length > 0) return { units: null, errors: sink.errors };
  return { units: { file, districts: [...districts.values()], branches }, errors: [] };
}
