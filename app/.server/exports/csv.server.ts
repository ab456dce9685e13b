/**
 * CSV export for judges (winners, full rankings): UTF-8 with a BOM so that Excel shows Vietnamese
 * names correctly, CRLF line ends and RFC 4180 quoting. Text cells that a spreadsheet would run as
 * a formula get a leading apostrophe (CSV/formula injection); numbers are written as they are.
 */

import { exportText } from "~/domain/names";

export type Cell = string | number | null;

const BOM = "\uFEFF";
/**
 * A text cell starting with one of these is read as a formula (or DDE) by Excel/LibreOffice, also
 * after leading spaces, and in their full-width forms (Excel in some locales).
 */
const FORMULA_START = /^[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A finite number as plain digits, never in exponent form; NaN and ±Infinity give an empty cell. */
export function plainNumber(n: number): string {
  if (!Number.isFinite(n)) return "";
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 });
}

function csvField(cell: Cell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return plainNumber(cell);
  // Control and direction characters go first (exportText), so a hidden one cannot shield a formula.
  const clean = exportText(cell);
  const text = FORMULA_START.test(clean) ? `'${clean}` : clean;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file as text: BOM, header, rows, each line ended by CRLF. */
export function toCsv(header: string[], rows: Cell[][]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(","));
  return BOM + lines.map((line) => `${line}\r\n`).join("");
}

/** Rows per chunk of a streamed CSV: about half a megabyte of a ranking. */
export const CSV_SLICE_ROWS = 2000;

/**
 * The same file as toCsv, as UTF-8 chunks of `CSV_SLICE_ROWS` rows handed to `push` one by one, so
 * the whole text never has to exist at once and the download starts with the first slice.
 */
export function csvChunks(header: string[], rows: Iterable<Cell[]>, push: (chunk: Uint8Array) => void): void {
  const encoder = new TextEncoder();
  let text = BOM + header.map(csvField).join(",") + "\r\n";
  let r = 0;
  for (const row of rows) {
    text += row.map(csvField).join(",") + "\r\n";
    if (++r % CSV_SLICE_ROWS === 0) {
      push(encoder.encode(text));
      text = "";
    }
  }
  if (text !== "") push(encoder.encode(text));
}

/** Encodes as RFC 5987 / RFC 8187 ext-value characters (attr-char stays, the rest is %XX of UTF-8). */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>`.
 * The fallback drops Vietnamese diacritics ("Kết quả vòng 1.xlsx" → "Ket qua vong 1.xlsx") and turns
 * whatever is left outside printable ASCII, and `"` `\` `%`, into `_`. Control characters and path
 * separators are removed from both forms.
 */
export function contentDisposition(filename: string): string {
  const cleaned =
    filename
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f]/g, "")
      .replace(/[/\\]/g, "_")
      .trim() || "download";
  const ascii = cleaned
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]|["\\%]/gu, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(cleaned.normalize("NFC"))}`;
}

export function csvResponse(filename: string, body: string | ReadableStream<Uint8Array>): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": contentDisposition(filename),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
