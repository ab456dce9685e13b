/**
 * People's names as they are typed into forms (registration, an organizer's correction): one
 * rule for what is accepted, how it is stored, and how it is searched.
 */
import { foldVietnamese } from "./unit-list";

export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 100;

export type NameProblem = "required" | "too_long" | "control" | "invisible";

/**
 * Control characters (NUL, BEL, ESC…, C0 and C1) other than the white space the form collapses.
 * They break terminals, logs and exports and can never be part of a name.
 */
const CONTROL = /\p{Cc}/u;
/**
 * Format characters: bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069, which make
 * "Nguyễn Văn An" display as something else), zero-width joiners and spaces, the BOM. Vietnamese
 * never needs one; on a leaderboard they are a way to impersonate someone.
 */
const INVISIBLE = /[\p{Cf}\u2028\u2029]/u;

/**
 * Collapses white space, trims, NFC-normalizes (a name typed with combining accents equals the same
 * name typed precomposed) and checks it. Returns the name to store, or why it is refused.
 */
export function cleanName(raw: string): { ok: true; name: string } | { ok: false; problem: NameProblem } {
  if (CONTROL.test(raw.replace(/[\t\n\r\v\f]/g, " "))) return { ok: false, problem: "control" };
  if (INVISIBLE.test(raw)) return { ok: false, problem: "invisible" };
  const name = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  if (name.length < NAME_MIN_LENGTH) return { ok: false, problem: "required" };
  if (name.length > NAME_MAX_LENGTH) return { ok: false, problem: "too_long" };
  return { ok: true, name };
}

/**
 * The form of a name (or a search query) that search compares: lower case, diacritics removed,
 * đ → d, one space between words. "Nguyễn Văn An" and "nguyen  van AN" have the same key.
 */
export function searchKey(text: string): string {
  // One folding of Vietnamese for every search (unit names too): foldVietnamese, then words only.
  return foldVietnamese(text)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * Text for a spreadsheet cell (CSV or XLSX) that came from a person: control characters other than
 * tab and line breaks, and format characters (bidirectional overrides, zero-width ones), removed, so an export shows what the name
 * really is. Formula prefixes are handled by the CSV writer (they are text cells in XLSX).
 */
export function exportText(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === "\t" || c === "\n" || c === "\r" ? c : ""));
}
