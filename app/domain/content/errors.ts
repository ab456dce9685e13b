/** A problem in a content file, reported as `file:line: message`. */
export interface ContentError {
  file: string;
  line: number;
  message: string;
}

/**
 * Something that is probably a mistake but does not stop an import: printed by `content:check`,
 * shown in the console, and an error under `content:check --strict`. A warning about two places
 * (the same question in two banks) names the other one in `related`.
 */
export interface ContentWarning extends ContentError {
  related?: { file: string; line: number };
}

export function formatContentError(error: ContentError): string {
  return `${error.file}:${error.line}: ${error.message}`;
}

export function formatContentWarning(warning: ContentWarning): string {
  return `${warning.file}:${warning.line}: cảnh báo: ${warning.message}`;
}

/** Errors in reading order: by file, then line. */
export function sortContentErrors<T extends ContentError>(errors: T[]): T[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Collects errors and warnings for one file. */
export class ErrorSink {
  readonly errors: ContentError[] = [];
  readonly warnings: ContentWarning[] = [];
  constructor(readonly file: string) {}
  add(line: number, message: string): void {
    this.errors.push({ file: this.file, line, message });
  }
  warn(line: number, message: string): void {
    this.warnings.push({ file: this.file, line, message });
  }
}

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Text as an organizer's editor may save it: with a byte-order mark, Windows line ends, or
 * Vietnamese letters in decomposed form. All of it becomes one canonical form before parsing, so
 * the same visible text always hashes the same.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .normalize("NFC");
}
