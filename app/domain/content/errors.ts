/** A problem in a content file, reported as `file:line: message`. */
export interface ContentError {
  file: string;
  line: number;
  message: string;
}

export function formatContentError(error: ContentError): string {
  return `${error.file}:${error.line}: ${error.message}`;
}

/** Errors in reading order: by file, then line. */
export function sortContentErrors(errors: ContentError[]): ContentError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Collects errors for one file. */
export class ErrorSink {
  readonly errors: ContentError[] = [];
  constructor(readonly file: string) {}
  add(line: number, message: string): void {
    this.errors.push({ file: this.file, line, message });
  }
}

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Text as an organizer's editor may save it: with a byte-order mark, Windows line ends, or
 * Vietnamese letters in decomposed form. All of it becomes one canonical form before parsing, so
 * the same visible text always hashes the same.
 */
export function normalizeText(text: string): string {
  return text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").normalize("NFC");
}
