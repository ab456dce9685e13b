/**
 * The units file (content/units.md): a table of districts, then a table of union branches, each
 * naming the district it belongs to by code.
 */
import { contentMessages as m, unitWords } from "~/i18n/content.vi";
import { ErrorSink, ID_PATTERN, normalizeText, type ContentError } from "./errors";

export interface District {
  id: string;
  name: string;
  line: number;
}

export interface Branch {
  id: string;
  name: string;
  districtId: string;
  line: number;
}

export interface Units {
  file: string;
  districts: District[];
  branches: Branch[];
}

const SECTIONS = {
  districts: "Huyện, thành phố",
  branches: "Công đoàn cơ sở",
} as const;

const sectionKey = (title: string): keyof typeof SECTIONS | null => {
  const normalized = title.toLocaleLowerCase("vi").replace(/\s+/g, " ").trim();
  for (const [key, label] of Object.entries(SECTIONS)) {
    if (normalized === label.toLocaleLowerCase("vi")) return key as keyof typeof SECTIONS;
  }
  return null;
};

const SEPARATOR_ROW = /^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?$/;

function cells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|")) row = row.slice(0, -1);
  return row.split("|").map((c) => c.trim());
}

export function parseUnits(file: string, rawText: string): { units: Units | null; errors: ContentError[] } {
  const sink = new ErrorSink(file);
  const text = normalizeText(rawText);
  const districts: District[] = [];
  const branches: Branch[] = [];
  const seen = { districts: new Map<string, number>(), branches: new Map<string, number>() };
  const found = new Set<keyof typeof SECTIONS>();
  let section: keyof typeof SECTIONS | null = null;
  let headerSeen = false;

  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const trimmed = line.trim();
    const heading = /^##(?!#)\s*(.*)$/.exec(trimmed);
    if (heading) {
      section = sectionKey(heading[1] ?? "");
      headerSeen = false;
      if (section) found.add(section);
      else sink.add(lineNumber, m.unitsUnknownSection((heading[1] ?? "").trim()));
      return;
    }
    // Markdown lets a table row leave out its outer pipes: inside a section such a row still counts,
    // rather than a district or branch silently disappearing.
    if (!trimmed.startsWith("|") && !(section && trimmed.includes("|"))) return;
    if (!section) {
      sink.add(lineNumber, m.unitsRowOutsideSection);
      return;
    }
    // The first row of a table is its header, the second its `| --- |` separator. A table written
    // without them would lose its first unit silently: say so instead.
    if (!headerSeen) {
      headerSeen = true;
      if (SEPARATOR_ROW.test((lines[index + 1] ?? "").trim())) return;
      // Still read the row as a unit, so one missing header does not cascade into more errors.
      sink.add(lineNumber, m.unitsTableHeaderMissing);
    }
    if (SEPARATOR_ROW.test(trimmed)) return;

    const row = cells(trimmed);
    const expected = section === "districts" ? 2 : 3;
    if (row.length !== expected) {
      sink.add(lineNumber, m.unitsTableRow(expected, row.length));
      return;
    }
    const [id = "", name = "", districtId = ""] = row;
    const what = unitWords[section === "districts" ? "district" : "branch"];
    if (!ID_PATTERN.test(id)) {
      sink.add(lineNumber, m.badId(`mã ${what}`, id));
      return;
    }
    const earlier = seen[section].get(id);
    if (earlier !== undefined) {
      sink.add(lineNumber, m.duplicateUnitId(what, id, earlier));
      return;
    }
    seen[section].set(id, lineNumber);
    if (!name) {
      sink.add(lineNumber, m.emptyUnitName);
      return;
    }
    if (section === "districts") districts.push({ id, name, line: lineNumber });
    else branches.push({ id, name, districtId, line: lineNumber });
  });

  for (const key of ["districts", "branches"] as const) {
    if (!found.has(key)) sink.add(1, m.unitsSectionMissing(SECTIONS[key]));
  }
  const districtIds = new Set(districts.map((d) => d.id));
  for (const branch of branches) {
    if (!districtIds.has(branch.districtId)) sink.add(branch.line, m.unknownDistrict(branch.districtId));
  }

  if (sink.errors.length > 0) return { units: null, errors: sink.errors };
  return { units: { file, districts, branches }, errors: [] };
}
