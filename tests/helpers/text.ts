/** Finding things in the text of a fixture (a bank, a contest, a units file) the way an error names them. */
import { readFileSync } from "node:fs";

/** The 1-based number of the `occurrence`-th line that reads `exact` (trailing spaces aside). */
export function lineOf(text: string, exact: string, occurrence = 1): number {
  const lines = text.split("\n");
  let seen = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trimEnd() === exact && ++seen === occurrence) return i + 1;
  }
  throw new Error(`line not found in fixture: ${exact}`);
}

/** The same, in a file on disk. */
export function lineOfFile(path: string, exact: string, occurrence = 1): number {
  return lineOf(readFileSync(path, "utf8"), exact, occurrence);
}
