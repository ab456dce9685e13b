/**
 * Importing an organizer's list of districts and branches: read the file (.xlsx, CSV or units.md)
 * into rows, show what it would change, and write exactly that once confirmed, in one transaction
 * (docs/decisions/010-unit-list-import.md).
 */
import { createHash } from "node:crypto";
import { parse as parseCsv } from "csv-parse/sync";
import { eq, sql } from "drizzle-orm";
import { strFromU8, unzipSync } from "fflate";
import type { Db } from "../../db/client";
import { branches, districts, users } from "../../db/schema";
import { parseUnits } from "~/domain/content/units";
import {
  buildUnitList,
  planUnitImport,
  readUnitSheet,
  type LineError,
  type SheetRow,
  type UnitPlan,
  type UnitRow,
  type UnitsNow,
} from "~/domain/unit-list";
import { unitListMessages as m } from "~/i18n/units.vi";
import { recordAudit } from "./audit.server";

const MAX_ROWS = 100_000;
/** An .xlsx part larger than this unzipped is not a unit list (and may be a zip bomb). */
const MAX_PART_BYTES = 64 * 1024 * 1024;

export type FileReading = { ok: true; rows: UnitRow[]; ignoredColumns: string[] } | { ok: false; errors: LineError[] };

/* ---------- reading the file ---------- */

/** The separator of a CSV file: whichever of `,` `;` tab appears most outside quotes in its first line. */
export function detectDelimiter(text: string): "," | ";" | "\t" {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) {
      if (counts[","] + counts[";"] + counts["\t"] > 0) break;
    } else if (!quoted && ch in counts) counts[ch as keyof typeof counts]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","]) return "\t";
  return ",";
}

function csvRows(bytes: Uint8Array): { rows: SheetRow[] } | { errors: LineError[] } {
  let text: string;
  try {
    // The decoder drops a leading BOM: Excel's "CSV UTF-8" writes one, other tools do not.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { errors: [{ line: 1, message: m.notUtf8 }] };
  }
  try {
    const records = parseCsv(text, {
      delimiter: detectDelimiter(text),
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
    if (records.length > MAX_ROWS) return { errors: [{ line: MAX_ROWS + 1, message: m.tooManyRows(MAX_ROWS) }] };
    return { rows: records.map((r) => ({ line: r.info.lines, cells: r.record })) };
  } catch (error) {
    const e = error as { code?: string; lines?: number; message?: string };
    const line = typeof e.lines === "number" ? e.lines : 1;
    return { errors: [{ line, message: e.code === "CSV_QUOTE_NOT_CLOSED" ? m.unclosedQuote : m.csvError(e.code ?? "") }] };
  }
}

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text
    .replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g, (_m, dec?: string, hex?: string, name?: string) => {
      if (dec !== undefined) return String.fromCodePoint(Number.parseInt(dec, 10));
      if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
      return XML_ENTITIES[name!]!;
    })
    .replace(/_x([0-9a-fA-F]{4})_/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

/** The text of a string item (`<si>` or `<is>`): its `<t>` runs, phonetic runs left out. */
function stringItem(xml: string): string {
  let out = "";
  for (const t of xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "").matchAll(/<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/g)) out += t[1] ?? "";
  return unescapeXml(out);
}

function attr(attrs: string, name: string): string | undefined {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs)?.[1];
}

/** "C12" → [row 12, column 2] (row 1-based, column 0-based). */
function cellRef(ref: string): [number, number] | null {
  const match = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!match) return null;
  let col = 0;
  for (const ch of match[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(match[2]), col - 1];
}

/**
 * The first sheet of a workbook as rows. Merged cells (a district name written once beside all its
 * branches) give their value to every cell they cover.
 */
export function xlsxRows(bytes: Uint8Array): { rows: SheetRow[] } | { errors: LineError[] } {
  const bad = { errors: [{ line: 1, message: m.badXlsx }] };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) =>
        f.originalSize <= MAX_PART_BYTES &&
        (f.name === "xl/workbook.xml" ||
          f.name === "xl/_rels/workbook.xml.rels" ||
          f.name === "xl/sharedStrings.xml" ||
          f.name.startsWith("xl/worksheets/")),
    });
  } catch {
    return bad;
  }
  const text = (path: string) => (files[path] ? strFromU8(files[path]!) : null);
  const workbook = text("xl/workbook.xml");
  const rels = text("xl/_rels/workbook.xml.rels");
  if (!workbook || !rels) return bad;
  const firstSheet = /<sheet\b([^>]*?)\/?>/.exec(workbook)?.[1];
  const rid = firstSheet ? attr(firstSheet, "r:id") : undefined;
  let target: string | undefined;
  for (const rel of rels.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    if (attr(rel[1]!, "Id") === rid) target = attr(rel[1]!, "Target");
  }
  if (!target) return bad;
  const path = target.startsWith("/") ? target.slice(1) : `xl/${target.replace(/^\.\//, "")}`;
  const xml = text(path);
  if (!xml) return bad;

  const shared: string[] = [];
  const sharedXml = text("xl/sharedStrings.xml");
  if (sharedXml) for (const si of sharedXml.matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(stringItem(si[1] ?? ""));

  const grid = new Map<number, string[]>();
  const put = (row: number, col: number, value: string) => {
    const cells = grid.get(row) ?? [];
    cells[col] = value;
    grid.set(row, cells);
  };
  const sheetData = /<sheetData\b[^>]*(?:\/>|>([\s\S]*?)<\/sheetData>)/.exec(xml)?.[1] ?? "";
  for (const c of sheetData.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const ref = cellRef(attr(c[1]!, "r") ?? "");
    if (!ref) return bad;
    const type = attr(c[1]!, "t") ?? "n";
    const body = c[2] ?? "";
    const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
    let value = "";
    if (type === "inlineStr") value = stringItem(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? "");
    else if (type === "s") value = v === undefined ? "" : (shared[Number(v)] ?? "");
    else if (v !== undefined) value = unescapeXml(v);
    if (value !== "") put(ref[0], ref[1], value);
    if (grid.size > MAX_ROWS) return { errors: [{ line: MAX_ROWS + 1, message: m.tooManyRows(MAX_ROWS) }] };
  }
  for (const merge of xml.matchAll(/<mergeCell\b[^>]*ref="([A-Z]+\d+):([A-Z]+\d+)"/g)) {
    const from = cellRef(merge[1]!);
    const to = cellRef(merge[2]!);
    if (!from || !to || to[0] - from[0] > MAX_ROWS) continue;
    const value = grid.get(from[0])?.[from[1]];
    if (value === undefined) continue;
    for (let r = from[0]; r <= to[0]; r++)
      for (let col = from[1]; col <= to[1]; col++) if (r !== from[0] || col !== from[1]) put(r, col, value);
  }
  const rows = [...grid.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, cells]) => ({ line, cells: Array.from({ length: cells.length }, (_, i) => cells[i] ?? "") }));
  return { rows };
}

function markdownRows(fileName: string, bytes: Uint8Array): FileReading {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, errors: [{ line: 1, message: m.notUtf8 }] };
  }
  const { units, errors } = parseUnits(fileName, text);
  if (!units) return { ok: false, errors: errors.map((e) => ({ line: e.line, message: e.message })) };
  const names = new Map(units.districts.map((d) => [d.id, d.name]));
  const withBranches = new Set(units.branches.map((b) => b.districtId));
  const rows: UnitRow[] = [
    ...units.districts
      .filter((d) => !withBranches.has(d.id))
      .map((d) => ({ line: d.line, districtCode: d.id, districtName: d.name, branchCode: null, branchName: null })),
    ...units.branches.map((b) => ({
      line: b.line,
      districtCode: b.districtId,
      districtName: names.get(b.districtId)!,
      branchCode: b.id,
      branchName: b.name,
    })),
  ];
  // Districts first, in the file's order, so new ones keep it.
  rows.sort((a, b) => a.line - b.line);
  return { ok: true, rows, ignoredColumns: [] };
}

const isZip = (b: Uint8Array) => b[0] === 0x50 && b[1] === 0x4b;
const isOldOffice = (b: Uint8Array) => b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

/** A unit list file, recognised by its content first (an .xlsx is a zip) and then by its name. */
export function readUnitFile(fileName: string, bytes: Uint8Array): FileReading {
  if (isOldOffice(bytes)) return { ok: false, errors: [{ line: 1, message: m.oldXls }] };
  const name = fileName.toLowerCase();
  if (name.endsWith(".md")) return markdownRows(fileName, bytes);
  const sheet = isZip(bytes) || name.endsWith(".xlsx") ? xlsxRows(bytes) : csvRows(bytes);
  if ("errors" in sheet) return { ok: false, errors: sheet.errors };
  const reading = readUnitSheet(sheet.rows);
  if (reading.errors.length > 0) return { ok: false, errors: reading.errors };
  return { ok: true, rows: reading.rows, ignoredColumns: reading.ignoredColumns };
}

/* ---------- what it would do, and doing it ---------- */

type Conn = Pick<Db, "select">;

export function currentUnits(db: Conn): UnitsNow {
  const counts = new Map(
    db
      .select({ branchId: users.branchId, n: sql<number>`count(*)` })
      .from(users)
      .groupBy(users.branchId)
      .all()
      .map((r) => [r.branchId, r.n]),
  );
  return {
    districts: db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(districts.position).all(),
    branches: db
      .select({ id: branches.id, name: branches.name, districtId: branches.districtId, mergedIntoId: branches.mergedIntoId })
      .from(branches)
      .orderBy(branches.position)
      .all()
      .map((b) => ({ ...b, members: counts.get(b.id) ?? 0 })),
  };
}

/** What the confirmation must still find: the writes, and whether members move with them. */
function fingerprint(plan: UnitPlan): string {
  const writes = {
    d: plan.districts.added.map((d) => [d.id, d.name]),
    dr: plan.districts.renamed.map((d) => [d.id, d.from, d.name]),
    b: plan.branches.added.map((b) => [b.id, b.name, b.district.id]),
    br: plan.branches.renamed.map((b) => [b.id, b.from, b.name]),
    bm: plan.branches.moved.map((b) => [b.id, b.from.id, b.to.id, b.members > 0]),
  };
  return createHash("sha256").update(JSON.stringify(writes)).digest("hex").slice(0, 32);
}

export type Preview = { ok: true; plan: UnitPlan; fingerprint: string } | { ok: false; errors: LineError[] };

export function previewUnitImport(db: Conn, rows: UnitRow[]): Preview {
  const { list, errors } = buildUnitList(rows);
  if (!list) return { ok: false, errors };
  const planned = planUnitImport(list, currentUnits(db));
  if (!planned.plan) return { ok: false, errors: planned.errors };
  return { ok: true, plan: planned.plan, fingerprint: fingerprint(planned.plan) };
}

export type ApplyResult =
  | { status: "imported"; plan: UnitPlan }
  /** The units changed since the preview: nothing written, here is the new preview. */
  | { status: "changed"; preview: Preview }
  | { status: "moves-need-consent"; preview: Preview & { ok: true } };

/**
 * Writes the plan the organizer saw, in one immediate transaction, after computing it again: if the
 * database changed since the preview, nothing is written. New units go after the existing ones;
 * existing units keep their place. A moved branch takes its members' district with it.
 */
export function applyUnitImport(
  db: Db,
  {
    rows,
    fingerprint: seen,
    allowMoves,
    fileName,
    actorUserId,
    now,
  }: {
    rows: UnitRow[];
    fingerprint: string;
    allowMoves: boolean;
    fileName: string;
    actorUserId: string;
    now: number;
  },
): ApplyResult {
  return db.transaction(
    (tx) => {
      const preview = previewUnitImport(tx, rows);
      if (!preview.ok || preview.fingerprint !== seen) return { status: "changed", preview };
      const { plan } = preview;
      if (plan.membersMoving > 0 && !allowMoves) return { status: "moves-need-consent", preview };

      const next = (table: typeof districts | typeof branches) =>
        (tx
          .select({ max: sql<number | null>`max(${table.position})` })
          .from(table)
          .get()?.max ?? -1) + 1;
      const audit = (
        action: string,
        subjectId: string,
        kind: "district" | "branch",
        before: Record<string, unknown> | null,
        after: Record<string, unknown> | null,
      ) =>
        recordAudit(tx, {
          at: now,
          actorUserId,
          action,
          subjectKind: "unit",
          subjectId,
          before,
          after,
          details: { level: kind, file: fileName, via: "units.import" },
        });

      let position = next(districts);
      for (const d of plan.districts.added) {
        tx.insert(districts).values({ id: d.id, name: d.name, position: position++ }).run();
        audit("district.create", d.id, "district", null, { name: d.name });
      }
      for (const d of plan.districts.renamed) {
        tx.update(districts).set({ name: d.name }).where(eq(districts.id, d.id)).run();
        audit("district.rename", d.id, "district", { name: d.from }, { name: d.name });
      }
      position = next(branches);
      for (const b of plan.branches.added) {
        tx.insert(branches).values({ id: b.id, name: b.name, districtId: b.district.id, position: position++ }).run();
        audit("branch.create", b.id, "branch", null, { name: b.name, districtId: b.district.id });
      }
      for (const b of plan.branches.renamed) {
        tx.update(branches).set({ name: b.name }).where(eq(branches.id, b.id)).run();
        audit("branch.rename", b.id, "branch", { name: b.from }, { name: b.name });
      }
      for (const b of plan.branches.moved) {
        tx.update(branches).set({ districtId: b.to.id }).where(eq(branches.id, b.id)).run();
        const moved = tx.update(users).set({ districtId: b.to.id }).where(eq(users.branchId, b.id)).run().changes;
        audit("branch.move", b.id, "branch", { districtId: b.from.id }, { districtId: b.to.id, movedMembers: moved });
      }
      recordAudit(tx, {
        at: now,
        actorUserId,
        action: "units.import",
        subjectKind: "unit",
        subjectId: "*",
        details: {
          file: fileName,
          districtsAdded: plan.districts.added.length,
          districtsRenamed: plan.districts.renamed.length,
          branchesAdded: plan.branches.added.length,
          branchesRenamed: plan.branches.renamed.length,
          branchesMoved: plan.branches.moved.length,
          missingBranches: plan.branches.missing.length,
        },
      });
      return { status: "imported", plan };
    },
    { behavior: "immediate" },
  );
}
