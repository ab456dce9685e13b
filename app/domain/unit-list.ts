/**
 * The list of districts and union branches an organizer actually has: a spreadsheet (CSV or
 * .xlsx) whose columns are found by their Vietnamese headers, codes optional. Three pure steps:
 *   readUnitSheet(rows)      the sheet's rows → one entry per data row (header found, STT ignored)
 *   buildUnitList(rows)      those entries → districts and branches, checked for contradictions
 *   planUnitImport(list, db) what importing it would change: added, renamed, moved, missing
 * The server shows the plan, and writes exactly it only once the organizer confirms
 * (docs/decisions/010-unit-list-import.md).
 */
import { unitListMessages as m } from "~/i18n/units.vi";
import { ID_PATTERN } from "./content/errors";

/* ---------- names and codes ---------- */

/**
 * For each UTF-16 unit below U+1F00 (Latin, with every Vietnamese letter, precomposed or as a base
 * letter and combining marks): its lower-case letter without diacritics, 0 to drop it (a combining
 * mark), or 0xFFFF to keep it as it is.
 */
let foldTable: Uint16Array | null = null;

function buildFoldTable(): Uint16Array {
  const table = new Uint16Array(0x1f00);
  for (let c = 0; c < 0x1f00; c++) {
    const folded = String.fromCharCode(c)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase();
    table[c] = folded.length === 1 ? folded.charCodeAt(0) : folded.length === 0 ? 0 : 0xffff;
  }
  return table;
}

const FOLD_BUFFER = 4096;
const foldBuffer = new Uint16Array(FOLD_BUFFER);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0x202f || (c >= 0x2000 && c <= 0x200a);

/**
 * Lower case, no diacritics (đ → d), one space between words: how names and headers are compared.
 * A table lookup per character into a reused buffer, since a search folds every branch name of the
 * province (about 3 times faster than normalizing each name).
 */
export function foldVietnamese(text: string): string {
  if (text.length > FOLD_BUFFER) {
    return text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }
  const table = (foldTable ??= buildFoldTable());
  const out = foldBuffer;
  let n = 0;
  let afterSpace = true;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x1f00) {
      const folded = table[c]!;
      if (folded === 0) continue;
      if (folded !== 0xffff) c = folded;
    } else if (c < 0xd800 || c > 0xdfff) {
      c = String.fromCharCode(c).toLowerCase().charCodeAt(0);
    }
    if (isSpace(c)) {
      if (afterSpace) continue;
      afterSpace = true;
      out[n++] = 32;
    } else {
      afterSpace = false;
      out[n++] = c;
    }
  }
  if (n > 0 && out[n - 1] === 32) n--;
  let result = "";
  // In slices: String.fromCharCode takes its units as arguments.
  for (let i = 0; i < n; i += 1024) result += String.fromCharCode(...out.subarray(i, Math.min(n, i + 1024)));
  return result;
}

/** A cell as shown: NFC, one space between words. */
export function cleanCell(value: string): string {
  return value.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** "TP. Đà Lạt", "Thành phố Đà Lạt" and "thanh pho da lat" name the same district. */
const DISTRICT_PREFIX = /^(thanh pho|tp|thi xa|tx|huyen|quan|h)\b\.? ?/;

export function districtKey(name: string): string {
  const folded = foldVietnamese(name)
    .replace(/[.,;:]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return folded.replace(DISTRICT_PREFIX, "").trim() || folded;
}

export function branchKey(name: string): string {
  return foldVietnamese(name)
    .replace(/[.,;:"“”]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Letters, digits and single hyphens: "Công đoàn Sở Y tế" → "cong-doan-so-y-te". */
export function slugify(text: string): string {
  return foldVietnamese(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const MAX_CODE = 40;

/** Cuts a slug to `max` characters at a hyphen where possible. */
function cutSlug(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max);
  const hyphen = cut.lastIndexOf("-");
  return (hyphen >= max / 2 ? cut.slice(0, hyphen) : cut).replace(/-+$/, "");
}

/** FNV-1a, 32 bits, as 6 base-36 characters: a short suffix that depends only on its input. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(6, "0").slice(-6);
}

/**
 * A code for a unit whose row has none: the slug of its name without the words every name starts
 * with ("Công đoàn", "Huyện", "Thành phố"), at most 40 characters. When that code is taken, a hash of
 * the district and the name is appended, so the code depends on the unit and not on the file's
 * order; `-2`, `-3`, … only if even that is taken.
 */
export function generateCode(kind: "district" | "branch", name: string, scope: string, taken: (code: string) => boolean): string {
  let slug = slugify(name);
  const stripped =
    kind === "district" ? slug.replace(/^(thanh-pho|tp|thi-xa|tx|huyen|quan)-/, "") : slug.replace(/^cong-doan-(co-so-)?/, "");
  if (stripped) slug = stripped;
  if (!slug) slug = kind === "district" ? "huyen" : "cdcs";
  const base = cutSlug(slug, MAX_CODE);
  if (!taken(base)) return base;
  const hashed = `${cutSlug(slug, MAX_CODE - 7)}-${shortHash(`${scope}|${name}`)}`;
  if (!taken(hashed)) return hashed;
  for (let n = 2; ; n++) {
    const numbered = `${cutSlug(hashed, MAX_CODE - String(n).length - 1)}-${n}`;
    if (!taken(numbered)) return numbered;
  }
}

/** A code as an organizer may type it ("DL-01", "dl 01") in the canonical form, or null if none can be made. */
export function normalizeCode(raw: string): string | null {
  const code = slugify(raw);
  return ID_PATTERN.test(code) ? code : null;
}

/* ---------- 1. the sheet's rows → entries ---------- */

export type Column = "stt" | "districtCode" | "districtName" | "branchCode" | "branchName";

const DISTRICT_WORDS = new Set(["huyen", "quan", "thanh", "pho", "thi", "xa", "tp", "tx"]);
const BRANCH_WORDS = new Set(["cong", "doan", "co", "so", "cdcs", "cd"]);
const only = (words: string[], allowed: Set<string>) => words.length > 0 && words.every((w) => allowed.has(w));

/**
 * What a header cell means, from its words without case, diacritics or punctuation: "Tên" or "Mã"
 * then only the words of a district ("Huyện/Thành phố", "Quận, huyện") or of a branch ("Công đoàn
 * cơ sở", "CĐCS"). A data cell such as "Công đoàn UBND huyện Lâm Hà" has other words, so a list
 * without a header row is not mistaken for one.
 */
export function headerColumn(header: string): Column | null {
  const h = foldVietnamese(header)
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  if (!h) return null;
  if (/^(stt|tt|so tt|so thu tu|thu tu)$/.test(h)) return "stt";
  const words = h.split(" ");
  const isCode = words[0] === "ma";
  const rest = words[0] === "ma" || words[0] === "ten" ? words.slice(1) : words;
  // "Mã số CĐCS", "Tên đơn vị công đoàn cơ sở": a filler word after the first is allowed.
  const core = rest[0] === "so" && rest.length > 1 && isCode ? rest.slice(1) : rest[0] === "don" && rest[1] === "vi" ? rest.slice(2) : rest;
  const branchy = only(core, BRANCH_WORDS) && (core.includes("doan") || core.includes("cdcs") || core.includes("cd"));
  const districty = only(core, DISTRICT_WORDS);
  if (isCode && branchy) return "branchCode";
  if (isCode && districty) return "districtCode";
  if (branchy) return "branchName";
  if (districty) return "districtName";
  return null;
}

export interface SheetRow {
  /** The row's line in the file (CSV) or its row number (.xlsx), as the organizer sees it. */
  line: number;
  cells: string[];
}

export interface UnitRow {
  line: number;
  districtCode: string | null;
  districtName: string;
  branchCode: string | null;
  /** Null for a row that only names a district. */
  branchName: string | null;
}

export interface LineError {
  line: number;
  message: string;
}

export interface SheetReading {
  rows: UnitRow[];
  /** Headers of columns that were not used (besides STT), to show in the preview. */
  ignoredColumns: string[];
  errors: LineError[];
}

const HEADER_SEARCH_ROWS = 20;
const LEGACY_COLUMNS: Column[] = ["districtCode", "districtName", "branchCode", "branchName"];

/**
 * Finds the header row (the first of the first 20 rows naming both a district column and a branch
 * column; title rows above it are skipped) and reads every row below it. A file without such a
 * header but whose first row is `code, name, code, name` is read in that order (the earlier format).
 */
export function readUnitSheet(sheet: SheetRow[]): SheetReading {
  const rows = sheet.filter((r) => r.cells.some((c) => cleanCell(c) !== ""));
  if (rows.length === 0) return { rows: [], ignoredColumns: [], errors: [{ line: 1, message: m.emptyFile }] };

  let headerIndex = -1;
  let columns: (Column | null)[] = [];
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const found = rows[i]!.cells.map(headerColumn);
    if (found.includes("districtName") && found.includes("branchName")) {
      headerIndex = i;
      columns = found;
      break;
    }
  }
  let ignoredColumns: string[] = [];
  if (headerIndex === -1) {
    const first = rows[0]!.cells.map(cleanCell);
    const legacy = first.length === 4 && ID_PATTERN.test(first[0]!) && ID_PATTERN.test(first[2]!);
    if (!legacy) return { rows: [], ignoredColumns: [], errors: [{ line: rows[0]!.line, message: m.headerMissing }] };
    columns = LEGACY_COLUMNS;
  } else {
    const header = rows[headerIndex]!.cells;
    const seen = new Set<Column>();
    columns = columns.map((c, i) => {
      if (c === null) {
        if (cleanCell(header[i] ?? "")) ignoredColumns.push(cleanCell(header[i] ?? ""));
        return null;
      }
      if (seen.has(c)) {
        ignoredColumns.push(cleanCell(header[i] ?? ""));
        return null; // a second column of the same meaning: the first one counts
      }
      seen.add(c);
      return c;
    });
    ignoredColumns = ignoredColumns.filter(Boolean);
  }

  const at = (cells: string[], column: Column) => {
    const index = columns.indexOf(column);
    return index === -1 ? "" : cleanCell(cells[index] ?? "");
  };
  const errors: LineError[] = [];
  const out: UnitRow[] = [];
  for (const row of rows.slice(headerIndex + 1)) {
    const districtName = at(row.cells, "districtName");
    const branchName = at(row.cells, "branchName");
    const rawDistrictCode = at(row.cells, "districtCode");
    const rawBranchCode = at(row.cells, "branchCode");
    if (!districtName && !branchName && !rawDistrictCode && !rawBranchCode) continue; // only STT or notes
    if (!districtName) {
      errors.push({ line: row.line, message: m.districtNameMissing });
      continue;
    }
    const districtCode = rawDistrictCode ? normalizeCode(rawDistrictCode) : null;
    if (rawDistrictCode && !districtCode) {
      errors.push({ line: row.line, message: m.badCode(rawDistrictCode) });
      continue;
    }
    const branchCode = rawBranchCode ? normalizeCode(rawBranchCode) : null;
    if (rawBranchCode && !branchCode) {
      errors.push({ line: row.line, message: m.badCode(rawBranchCode) });
      continue;
    }
    if (rawBranchCode && !branchName) {
      errors.push({ line: row.line, message: m.branchNameMissing });
      continue;
    }
    if (districtName.length > 200 || branchName.length > 200) {
      errors.push({ line: row.line, message: m.nameTooLong });
      continue;
    }
    out.push({ line: row.line, districtCode, districtName, branchCode, branchName: branchName || null });
  }
  if (out.length === 0 && errors.length === 0) errors.push({ line: rows[headerIndex]?.line ?? 1, message: m.noRows });
  return { rows: out, ignoredColumns, errors };
}

/* ---------- 2. entries → a consistent list ---------- */

export interface ListedDistrict {
  code: string | null;
  name: string;
  key: string;
  line: number;
}

export interface ListedBranch {
  code: string | null;
  name: string;
  key: string;
  /** Index into `districts`. */
  district: number;
  line: number;
}

export interface UnitList {
  districts: ListedDistrict[];
  branches: ListedBranch[];
}

/**
 * One district per name (or code), one branch per code and per name within its district. A code
 * given on one row of a district counts for its other rows too; contradictions are errors.
 */
export function buildUnitList(rows: UnitRow[]): { list: UnitList | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const districts: ListedDistrict[] = [];
  const byKey = new Map<string, number>();
  const byCode = new Map<string, number>();
  const branches: ListedBranch[] = [];
  const branchByCode = new Map<string, number>();
  const branchByKey = new Map<string, number>();

  // Codes first, so a row without one finds the code another row gave its district.
  for (const row of rows) {
    const key = districtKey(row.districtName);
    const sameName = byKey.get(key);
    if (row.districtCode) {
      const sameCode = byCode.get(row.districtCode);
      if (sameCode !== undefined) {
        const d = districts[sameCode]!;
        if (d.key !== key) errors.push({ line: row.line, message: m.districtCodeTwoNames(row.districtCode, d.name, d.line) });
        continue;
      }
      if (sameName !== undefined) {
        const d = districts[sameName]!;
        if (d.code && d.code !== row.districtCode) {
          errors.push({ line: row.line, message: m.districtNameTwoCodes(d.name, d.code, d.line) });
        } else {
          d.code = row.districtCode;
          byCode.set(row.districtCode, sameName);
        }
        continue;
      }
    } else if (sameName !== undefined) continue;
    districts.push({ code: row.districtCode, name: row.districtName, key, line: row.line });
    byKey.set(key, districts.length - 1);
    if (row.districtCode) byCode.set(row.districtCode, districts.length - 1);
  }
  if (errors.length > 0) return { list: null, errors };

  for (const row of rows) {
    if (!row.branchName) continue;
    const district = row.districtCode ? byCode.get(row.districtCode)! : byKey.get(districtKey(row.districtName))!;
    const key = branchKey(row.branchName);
    const scoped = `${district}|${key}`;
    const earlierByName = branchByKey.get(scoped);
    if (earlierByName !== undefined) {
      errors.push({ line: row.line, message: m.duplicateBranch(branches[earlierByName]!.line) });
      continue;
    }
    if (row.branchCode) {
      const earlier = branchByCode.get(row.branchCode);
      if (earlier !== undefined) {
        errors.push({ line: row.line, message: m.duplicateCode(row.branchCode, branches[earlier]!.line) });
        continue;
      }
      branchByCode.set(row.branchCode, branches.length);
    }
    branchByKey.set(scoped, branches.length);
    branches.push({ code: row.branchCode, name: row.branchName, key, district, line: row.line });
  }
  if (errors.length > 0) return { list: null, errors };
  return { list: { districts, branches }, errors: [] };
}

/* ---------- 3. what importing the list would change ---------- */

export interface CurrentDistrict {
  id: string;
  name: string;
}

export interface CurrentBranch {
  id: string;
  name: string;
  districtId: string;
  mergedIntoId: string | null;
  members: number;
}

export interface UnitsNow {
  districts: CurrentDistrict[];
  branches: CurrentBranch[];
}

export interface UnitRef {
  id: string;
  name: string;
}

export interface UnitPlan {
  districts: {
    added: (UnitRef & { line: number })[];
    renamed: (UnitRef & { from: string; line: number })[];
    unchanged: number;
    missing: UnitRef[];
  };
  branches: {
    added: (UnitRef & { district: UnitRef; line: number; sameNameIn: string | null })[];
    renamed: (UnitRef & { from: string; district: UnitRef; line: number })[];
    moved: (UnitRef & { from: UnitRef; to: UnitRef; members: number; line: number })[];
    unchanged: number;
    missing: (UnitRef & { district: UnitRef; members: number })[];
    /** Rows naming a branch that was merged into another: left as they are. */
    merged: (UnitRef & { into: UnitRef; line: number })[];
  };
  /** Members whose district changes with a moved branch: the import needs the organizer's explicit yes. */
  membersMoving: number;
}

export const planHasChanges = (plan: UnitPlan) =>
  plan.districts.added.length +
    plan.districts.renamed.length +
    plan.branches.added.length +
    plan.branches.renamed.length +
    plan.branches.moved.length >
  0;

/**
 * Matches the list against the units as they are. A row with a code is that unit: a different name
 * is a rename, a different district a move. A row without a code is matched by name (district by
 * name anywhere, branch by name within its district) and never renames or moves anything; an
 * unmatched row is added with a generated code. Units not in the file are reported, never removed.
 */
export function planUnitImport(list: UnitList, now: UnitsNow): { plan: UnitPlan | null; errors: LineError[] } {
  const errors: LineError[] = [];
  const districtById = new Map(now.districts.map((d) => [d.id, d]));
  const districtsByKey = new Map<string, CurrentDistrict[]>();
  for (const d of now.districts) {
    const key = districtKey(d.name);
    districtsByKey.set(key, [...(districtsByKey.get(key) ?? []), d]);
  }
  const branchById = new Map(now.branches.map((b) => [b.id, b]));
  const branchesByScopedKey = new Map<string, CurrentBranch[]>();
  const activeDistrictsByBranchKey = new Map<string, string[]>();
  for (const b of now.branches) {
    const name = branchKey(b.name);
    const key = `${b.districtId}|${name}`;
    const scoped = branchesByScopedKey.get(key);
    if (scoped) scoped.push(b);
    else branchesByScopedKey.set(key, [b]);
    if (!b.mergedIntoId) {
      const elsewhere = activeDistrictsByBranchKey.get(name);
      if (elsewhere) elsewhere.push(b.districtId);
      else activeDistrictsByBranchKey.set(name, [b.districtId]);
    }
  }
  // Codes already used by any unit (or given by the file): generated codes avoid them all.
  const taken = new Set<string>([...districtById.keys(), ...branchById.keys()]);
  for (const d of list.districts) if (d.code) taken.add(d.code);
  for (const b of list.branches) if (b.code) taken.add(b.code);

  const plan: UnitPlan = {
    districts: { added: [], renamed: [], unchanged: 0, missing: [] },
    branches: { added: [], renamed: [], moved: [], unchanged: 0, missing: [], merged: [] },
    membersMoving: 0,
  };

  // Districts: the id each listed district will have.
  const districtIds: string[] = [];
  const districtNames = new Map(now.districts.map((d) => [d.id, d.name]));
  const matchedDistricts = new Set<string>();
  for (const d of list.districts) {
    const sameName = districtsByKey.get(d.key) ?? [];
    let id: string;
    if (d.code) {
      const existing = districtById.get(d.code);
      const namesake = sameName.find((s) => s.id !== d.code);
      if (existing && namesake) {
        // Renaming it to another district's name would leave two districts no one can tell apart.
        errors.push({ line: d.line, message: m.districtExistsWithCode(namesake.name, namesake.id) });
      } else if (existing) {
        if (existing.name !== d.name) plan.districts.renamed.push({ id: existing.id, name: d.name, from: existing.name, line: d.line });
        else plan.districts.unchanged++;
      } else if (sameName.length > 0) {
        errors.push({ line: d.line, message: m.districtExistsWithCode(sameName[0]!.name, sameName[0]!.id) });
      } else {
        plan.districts.added.push({ id: d.code, name: d.name, line: d.line });
      }
      id = d.code;
    } else if (sameName.length === 1) {
      id = sameName[0]!.id;
      plan.districts.unchanged++;
    } else if (sameName.length > 1) {
      errors.push({
        line: d.line,
        message: m.districtAmbiguous(
          d.name,
          sameName.map((s) => s.id),
        ),
      });
      id = sameName[0]!.id;
    } else {
      id = generateCode("district", d.name, "", (code) => taken.has(code));
      taken.add(id);
      plan.districts.added.push({ id, name: d.name, line: d.line });
    }
    if (matchedDistricts.has(id)) errors.push({ line: d.line, message: m.districtListedTwice(id) });
    matchedDistricts.add(id);
    districtIds.push(id);
    if (!districtNames.has(id) || d.code) districtNames.set(id, d.name);
  }
  const ref = (id: string): UnitRef => ({ id, name: districtNames.get(id) ?? id });

  // Branches.
  const matchedBranches = new Map<string, number>();
  for (const b of list.branches) {
    const districtId = districtIds[b.district]!;
    const candidates = branchesByScopedKey.get(`${districtId}|${b.key}`) ?? [];
    const active = candidates.filter((c) => !c.mergedIntoId);
    let id: string;
    if (b.code) {
      const existing = branchById.get(b.code);
      id = b.code;
      if (existing?.mergedIntoId) {
        const into = branchById.get(existing.mergedIntoId);
        plan.branches.merged.push({
          id,
          name: existing.name,
          into: { id: existing.mergedIntoId, name: into?.name ?? existing.mergedIntoId },
          line: b.line,
        });
      } else if (existing && active.some((c) => c.id !== id)) {
        const namesake = active.find((c) => c.id !== id)!;
        errors.push({ line: b.line, message: m.branchExistsWithCode(namesake.name, namesake.id) });
      } else if (existing) {
        if (existing.districtId !== districtId) {
          plan.branches.moved.push({
            id,
            name: b.name,
            from: ref(existing.districtId),
            to: ref(districtId),
            members: existing.members,
            line: b.line,
          });
          plan.membersMoving += existing.members;
        }
        if (existing.name !== b.name)
          plan.branches.renamed.push({ id, name: b.name, from: existing.name, district: ref(districtId), line: b.line });
        if (existing.districtId === districtId && existing.name === b.name) plan.branches.unchanged++;
      } else if (active.length > 0) {
        errors.push({ line: b.line, message: m.branchExistsWithCode(active[0]!.name, active[0]!.id) });
      } else {
        plan.branches.added.push({ id, name: b.name, district: ref(districtId), line: b.line, sameNameIn: null });
      }
    } else if (active.length > 0) {
      id = active[0]!.id;
      plan.branches.unchanged++;
    } else if (candidates.length > 0) {
      const merged = candidates[0]!;
      id = merged.id;
      const into = branchById.get(merged.mergedIntoId!);
      plan.branches.merged.push({
        id,
        name: merged.name,
        into: { id: merged.mergedIntoId!, name: into?.name ?? merged.mergedIntoId! },
        line: b.line,
      });
    } else {
      id = generateCode("branch", b.name, districtId, (code) => taken.has(code));
      taken.add(id);
      const elsewhere = (activeDistrictsByBranchKey.get(b.key) ?? []).find((d) => d !== districtId);
      plan.branches.added.push({
        id,
        name: b.name,
        district: ref(districtId),
        line: b.line,
        sameNameIn: elsewhere ? (districtNames.get(elsewhere) ?? elsewhere) : null,
      });
    }
    const earlier = matchedBranches.get(id);
    if (earlier !== undefined) errors.push({ line: b.line, message: m.branchListedTwice(id, earlier) });
    matchedBranches.set(id, b.line);
  }

  for (const d of now.districts) if (!matchedDistricts.has(d.id)) plan.districts.missing.push({ id: d.id, name: d.name });
  for (const b of now.branches) {
    if (b.mergedIntoId || matchedBranches.has(b.id)) continue;
    plan.branches.missing.push({ id: b.id, name: b.name, district: ref(b.districtId), members: b.members });
  }
  if (errors.length > 0) return { plan: null, errors: errors.sort((a, b) => a.line - b.line) };
  return { plan, errors: [] };
}
