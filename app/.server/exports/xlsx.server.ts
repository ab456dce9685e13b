/**
 * A minimal Office Open XML workbook (.xlsx) for judges' exports, zipped with fflate.
 *
 * Strings are inline (`t="inlineStr"`), so there is no shared-strings part; numbers are `<v>`;
 * null and "" cells are left out. Row 1 is the header, bold and frozen. Inline strings are never
 * formulas, so unlike the CSV writer no text gets an apostrophe here.
 */
import { exportText } from "~/domain/names";
import { constants, crc32, deflateRawSync } from "node:zlib";
import { strToU8, Zip, zipSync, type AsyncFlateStreamHandler, type ZipInputFile } from "fflate";
import { contentDisposition, type Cell } from "./csv.server";

/** Rows produced as they are written (read from the database meanwhile), with their number known first. */
export interface SheetRows extends Iterable<Cell[]> {
  count: number;
}

export interface XlsxSheet {
  name: string;
  header: string[];
  /** Rows in memory, or streamed: then no row may be wider than the header. */
  rows: Cell[][] | SheetRows;
  /** Column widths in characters, by column from A; a missing or non-positive width keeps the default. */
  widths?: number[];
}

export const XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const MAX_CELL_CHARS = 32_767;
const MAX_SHEET_NAME = 31;

const NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** 0 → A, 25 → Z, 26 → AA, 27 → AB, … */
export function columnName(index: number): string {
  let n = index + 1;
  let name = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    name = String.fromCharCode(65 + rem) + name;
    n = Math.floor((n - 1) / 26);
  }
  return name;
}

/** Removes characters that XML 1.0 does not allow (most C0 controls, lone surrogates, U+FFFE/U+FFFF). */
export function stripInvalidXml(text: string): string {
  return text.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "");
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return "&#13;"; // a literal CR would be turned into LF by any XML parser
    }
  });
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * Text no step of cellText changes: printable ASCII without `"&'<>_`, and Latin letters with
 * Vietnamese diacritics (precomposed or combining). No control, format or XML-special character.
 */
// eslint-disable-next-line no-misleading-character-class -- combining diacritics are allowed one by one
const PLAIN_TEXT = /^[ !#-%(-;=?-^`-~\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]*$/;

/**
 * Cell text as XML: invalid characters dropped, Excel's cell limit applied, a literal `_xHHHH_`
 * protected (Excel would decode it as an escaped character), then XML-escaped.
 */
function cellText(text: string): string {
  // Most cells (names, phones, ids, dates) hold nothing any step below changes: skip them.
  if (text.length <= MAX_CELL_CHARS && PLAIN_TEXT.test(text)) return text;
  const clean = truncate(stripInvalidXml(exportText(text)), MAX_CELL_CHARS);
  return escapeXml(clean.replace(/_(x[0-9a-fA-F]{4}_)/g, "_x005F_$1"));
}

/**
 * A name Excel accepts: no `[]:*?/\`, no control characters, not starting or ending with `'`,
 * at most 31 characters, not empty, not "History", and unique (case-insensitively) in the workbook.
 */
export function sanitizeSheetNames(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((raw, i) => {
    let base = stripInvalidXml(raw)
      // eslint-disable-next-line no-control-regex -- replacing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
      .replace(/[[\]:*?/\\]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .replace(/^'+|'+$/g, "")
      .trim();
    base = truncate(base, MAX_SHEET_NAME).replace(/'+$/, "").trim();
    if (base === "") base = `Sheet${i + 1}`;
    if (base.toLowerCase() === "history") base = `${base} 1`;
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) {
      const suffix = ` (${k})`;
      name = truncate(base, MAX_SHEET_NAME - suffix.length).trimEnd() + suffix;
    }
    used.add(name.toLowerCase());
    return name;
  });
}

function cellXml(ref: string, cell: Cell, style: number): string {
  if (cell === null || cell === undefined) return "";
  const s = style ? ` s="${style}"` : "";
  if (typeof cell === "number") {
    return Number.isFinite(cell) ? `<c r="${ref}"${s}><v>${String(cell)}</v></c>` : "";
  }
  if (cell === "") return "";
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${cellText(cell)}</t></is></c>`;
}

/** Rows of a sheet per part of its XML when streamed. */
const SHEET_SLICE_ROWS = 2000;

/**
 * A worksheet's XML in parts (the opening, slices of rows, the end): joined, the whole part; streamed
 * (xlsxChunks), never all in memory at once. The limits are checked before the first part.
 */
function sheetXmlParts(sheet: XlsxSheet): Iterable<string> {
  const rows = sheet.rows;
  const count = Array.isArray(rows) ? rows.length : (rows as SheetRows).count;
  const total = count + 1;
  if (total > MAX_ROWS) throw new RangeError(`sheet "${sheet.name}" has ${total} rows; Excel allows ${MAX_ROWS}`);
  const width = Array.isArray(rows)
    ? rows.reduce((max, r) => Math.max(max, r.length), Math.max(1, sheet.header.length))
    : Math.max(1, sheet.header.length);
  if (width > MAX_COLUMNS) throw new RangeError(`sheet "${sheet.name}" has ${width} columns; Excel allows ${MAX_COLUMNS}`);

  const columns = Array.from({ length: width }, (_, c) => columnName(c));
  const rowXml = (row: Cell[], r: number) => {
    if (row.length > width) throw new RangeError(`sheet "${sheet.name}": row ${r + 1} is wider than its header`);
    let cells = "";
    for (let c = 0; c < row.length; c++) cells += cellXml(`${columns[c]}${r + 1}`, row[c] as Cell, r === 0 ? 1 : 0);
    return cells !== "" ? `<row r="${r + 1}">${cells}</row>` : "";
  };

  const cols = (sheet.widths ?? [])
    .map((w, i) =>
      Number.isFinite(w) && w > 0
        ? `<col min="${i + 1}" max="${i + 1}" width="${Math.min(255, Math.round(w * 100) / 100)}" customWidth="1"/>`
        : "",
    )
    .join("");

  const opening =
    XML_DECL +
    `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<dimension ref="A1:${columnName(width - 1)}${total}"/>` +
    `<sheetViews><sheetView workbookViewId="0">` +
    `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
    `<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>` +
    `</sheetView></sheetViews>` +
    `<sheetFormatPr defaultRowHeight="15"/>` +
    (cols ? `<cols>${cols}</cols>` : "") +
    `<sheetData>` +
    rowXml(sheet.header, 0);

  return (function* () {
    yield opening;
    let part = "";
    let r = 0;
    for (const row of rows) {
      part += rowXml(row, ++r);
      if (r % SHEET_SLICE_ROWS === 0) {
        yield part;
        part = "";
      }
    }
    // A streamed sheet that turned out longer or shorter than announced: never a silently wrong file.
    if (r !== count) throw new Error(`sheet "${sheet.name}": ${r} rows written, ${count} announced`);
    if (part !== "") yield part;
    yield `</sheetData></worksheet>`;
  })();
}

const STYLES_XML =
  XML_DECL +
  `<styleSheet xmlns="${NS_MAIN}">` +
  `<fonts count="2">` +
  `<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
  `<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
  `</fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="2">` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
  `</cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
  `</styleSheet>`;

/** The files of the workbook's zip, in order, each as parts of its text. */
function workbookEntries(sheets: XlsxSheet[]): [string, Iterable<string>][] {
  if (sheets.length === 0) throw new RangeError("a workbook needs at least one sheet");
  const names = sanitizeSheetNames(sheets.map((s) => s.name));
  const n = sheets.length;

  const contentTypes =
    XML_DECL +
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
    sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join("") +
    `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
    `</Types>`;

  const rootRels =
    XML_DECL +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
    `</Relationships>`;

  const workbook =
    XML_DECL +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    `<bookViews><workbookView activeTab="0"/></bookViews>` +
    `<sheets>` +
    names.map((name, i) => `<sheet name="${escapeXml(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("") +
    `</sheets>` +
    `</workbook>`;

  const workbookRels =
    XML_DECL +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join("") +
    `<Relationship Id="rId${n + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    `</Relationships>`;

  // Every sheet's limits are checked here, before anything is written or streamed.
  const sheetParts = sheets.map(sheetXmlParts);
  return [
    ["[Content_Types].xml", [contentTypes]],
    ["_rels/.rels", [rootRels]],
    ["xl/workbook.xml", [workbook]],
    ["xl/_rels/workbook.xml.rels", [workbookRels]],
    ["xl/styles.xml", [STYLES_XML]],
    ...sheetParts.map((parts, i): [string, Iterable<string>] => [`xl/worksheets/sheet${i + 1}.xml`, parts]),
  ];
}

// Level 1: a 100,000-row ranking compresses several times faster, for a file a little larger.
const ZIP_LEVEL = 1;

/** The workbook as .xlsx bytes (a zip starting with "PK"). */
export function toXlsx(sheets: XlsxSheet[]): Uint8Array<ArrayBuffer> {
  const files: Record<string, Uint8Array> = {};
  for (const [name, parts] of workbookEntries(sheets)) files[name] = strToU8([...parts].join(""));
  return zipSync(files, { level: ZIP_LEVEL });
}

/**
 * The same workbook (the same files with the same content) as a streamed zip: each sheet is
 * compressed slice by slice and the zip's bytes go to `push` as they come, so neither the XML nor
 * the file is ever whole in memory and the download starts at once.
 */
export function xlsxChunks(sheets: XlsxSheet[], push: (chunk: Uint8Array) => void): void {
  const entries = workbookEntries(sheets);
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else if (chunk.byteLength > 0) push(chunk);
  });
  for (const [name, parts] of entries) {
    const file = new NodeDeflateEntry(name);
    zip.add(file);
    for (const part of parts) file.push(Buffer.from(part, "utf8"), false);
    file.push(new Uint8Array(0), true);
    if (failure) throw failure;
  }
  zip.end();
  if (failure) throw failure;
}

/**
 * A zip entry for fflate's streaming Zip, compressed by node's zlib (native: about four times
 * faster than fflate's deflate on a 75 MB sheet). Each part is deflated on its own and ended with a
 * sync flush (byte-aligned, no final block); the last part ends the stream. Concatenated, the parts
 * are one valid deflate stream (as pigz does), with the CRC-32 and size for the data descriptor.
 */
class NodeDeflateEntry implements ZipInputFile {
  readonly compression = 8;
  size = 0;
  crc = 0;
  ondata?: AsyncFlateStreamHandler;
  constructor(readonly filename: string) {}

  push(data: Uint8Array, final: boolean) {
    this.size += data.byteLength;
    this.crc = crc32(data, this.crc);
    const out = deflateRawSync(data, { level: ZIP_LEVEL, ...(final ? {} : { finishFlush: constants.Z_SYNC_FLUSH }) });
    this.ondata!(null, new Uint8Array(out.buffer, out.byteOffset, out.byteLength), final);
  }
}

export function xlsxResponse(filename: string, bytes: Uint8Array | ReadableStream<Uint8Array>): Response {
  const body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> =
    bytes instanceof ReadableStream ? bytes : bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": XLSX_CONTENT_TYPE,
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
