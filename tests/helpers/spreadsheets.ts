/**
 * Test-only readers for the files that app/.server/exports writes: enough of CSV (RFC 4180) and of
 * .xlsx (inline strings, shared strings, numbers, booleans) to check what a judge would see.
 */
import { strFromU8, unzipSync } from "fflate";

/** Rows of fields; a leading BOM is dropped, CRLF / LF / CR end records, quotes as in RFC 4180. */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let pending = false; // something of the current record has been read
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    rows.push(row);
    row = [];
    pending = false;
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '"' && field === "") {
      // a quoted field
      pending = true;
      i++;
      for (;;) {
        if (i >= src.length) throw new Error("parseCsv: unterminated quoted field");
        const c = src[i]!;
        if (c === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
        throw new Error(`parseCsv: unexpected ${JSON.stringify(next)} after a quoted field at ${i}`);
      }
      continue;
    }
    if (ch === ",") {
      pending = true;
      endField();
      i++;
    } else if (ch === "\r" || ch === "\n") {
      endRecord();
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
    } else {
      pending = true;
      field += ch;
      i++;
    }
  }
  if (pending) endRecord();
  return rows;
}

const XML_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(?:#(\d+)|#x([0-9a-fA-F]+)|(lt|gt|amp|quot|apos));/g, (_m, dec: string, hex: string, name: string) => {
    if (dec !== undefined) return String.fromCodePoint(Number.parseInt(dec, 10));
    if (hex !== undefined) return String.fromCodePoint(Number.parseInt(hex, 16));
    return XML_ENTITIES[name]!;
  });
}

/** Excel's ST_Xstring escapes: `_xHHHH_` is the character U+HHHH (`_x005F_` is "_"). */
function decodeXstring(text: string): string {
  return text.replace(/_x([0-9a-fA-F]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The text of a string item (`<is>` or `<si>`): all its `<t>` runs, phonetic runs left out. */
function stringItemText(xml: string): string {
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, "");
  let out = "";
  for (const m of withoutPhonetic.matchAll(/<t(?:\s[^>]*)?(?:\/>|>([\s\S]*?)<\/t>)/g)) out += m[1] ?? "";
  return decodeXstring(unescapeXml(out));
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attrs);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** "B3" → [row 2, column 1] (0-based); "AA1" → [0, 26]. */
function parseRef(ref: string): [number, number] {
  const m = /^([A-Z]+)(\d+)$/.exec(ref);
  if (!m) throw new Error(`readXlsx: bad cell reference ${ref}`);
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]) - 1, col - 1];
}

function resolvePart(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}

/**
 * Every sheet in workbook order with its rows, header row included. Values are placed by their cell
 * reference; missing cells are null; rows are padded to the sheet's width (its `<dimension>` when
 * there is one, else the widest row).
 */
export function readXlsx(bytes: Uint8Array): { name: string; rows: (string | number | null)[][] }[] {
  const files = unzipSync(bytes);
  const text = (path: string): string => {
    const data = files[path];
    if (!data) throw new Error(`readXlsx: missing part ${path}`);
    return strFromU8(data);
  };

  const rels = new Map<string, string>();
  for (const m of text("xl/_rels/workbook.xml.rels").matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = attr(m[1]!, "Id");
    const target = attr(m[1]!, "Target");
    if (id && target) rels.set(id, resolvePart("xl/workbook.xml", target));
  }

  const shared: string[] = [];
  if (files["xl/sharedStrings.xml"]) {
    for (const m of text("xl/sharedStrings.xml").matchAll(/<si>([\s\S]*?)<\/si>|<si\/>/g)) shared.push(stringItemText(m[1] ?? ""));
  }

  const sheets: { name: string; rows: (string | number | null)[][] }[] = [];
  for (const m of text("xl/workbook.xml").matchAll(/<sheet\b([^>]*?)\/?>/g)) {
    const attrs = m[1]!;
    const name = attr(attrs, "name") ?? "";
    const rid = attr(attrs, "r:id");
    const path = rid ? rels.get(rid) : undefined;
    if (!path) throw new Error(`readXlsx: no part for sheet ${name}`);
    const xml = text(path);

    const grid: (string | number | null)[][] = [];
    let width = 0;
    let height = 0;
    const dim = /<dimension\s+ref="(?:[A-Z]+\d+:)?([A-Z]+\d+)"/.exec(xml);
    if (dim) [height, width] = parseRef(dim[1]!).map((v) => v + 1) as [number, number];

    const sheetData = /<sheetData\b[^>]*(?:\/>|>([\s\S]*?)<\/sheetData>)/.exec(xml)?.[1] ?? "";
    for (const c of sheetData.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const cattrs = c[1]!;
      const body = c[2] ?? "";
      const ref = attr(cattrs, "r");
      if (!ref) throw new Error("readXlsx: a cell without a reference");
      const [r, col] = parseRef(ref);
      const type = attr(cattrs, "t") ?? "n";
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: string | number | null;
      if (type === "inlineStr") {
        const is = /<is>([\s\S]*?)<\/is>/.exec(body)?.[1];
        value = is === undefined ? null : stringItemText(is);
      } else if (type === "s") {
        value = v === undefined ? null : (shared[Number(v)] ?? null);
      } else if (type === "str" || type === "e") {
        value = v === undefined ? null : decodeXstring(unescapeXml(v));
      } else if (type === "b") {
        value = v === undefined ? null : Number(v);
      } else {
        value = v === undefined ? null : Number(v);
      }
      while (grid.length <= r) grid.push([]);
      grid[r]![col] = value;
      width = Math.max(width, col + 1);
      height = Math.max(height, r + 1);
    }

    const rows: (string | number | null)[][] = [];
    for (let r = 0; r < height; r++) {
      const src = grid[r] ?? [];
      rows.push(Array.from({ length: width }, (_, c) => src[c] ?? null));
    }
    sheets.push({ name, rows });
  }
  return sheets;
}
