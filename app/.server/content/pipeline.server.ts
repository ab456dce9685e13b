/** The content pipeline as the command line and the server use it: read, validate, import. */
import { userInfo } from "node:os";
import type { Db } from "../../../db/client";
import {
  formatContentError,
  formatContentWarning,
  sortContentErrors,
  type ContentError,
  type ContentWarning,
} from "~/domain/content/errors";
import { parseContentSet, type ContentSet } from "~/domain/content/validate";
import { readContentFiles } from "./files.server";
import { ContentConflictError, importContent, type ImportOrigin, type ImportSummary } from "./import.server";

export interface CheckResult {
  content: ContentSet;
  errors: ContentError[];
  /** Warnings about the files asked for (or, for a pair, naming one of them). */
  warnings: ContentWarning[];
  /** The files that were asked for (errors in other files, read only for references, are left out). */
  checkedFiles: string[];
}

export function checkContent(paths: readonly string[], options?: { cwd?: string; contentDir?: string }): CheckResult {
  const { files, errors: readErrors, explicit } = readContentFiles(paths, options);
  const { content, errors, warnings } = parseContentSet(files);
  return {
    content,
    errors: sortContentErrors([...readErrors, ...errors.filter((e) => explicit.has(e.file))]),
    warnings: warnings.filter((w) => explicit.has(w.file) || (w.related !== undefined && explicit.has(w.related.file))),
    checkedFiles: [...explicit],
  };
}

export type ImportResult =
  { ok: true; summary: ImportSummary; content: ContentSet; warnings: ContentWarning[] } | { ok: false; errors: ContentError[] };

/** Validates the whole content folder and imports it; on any error nothing is written. */
export function importContentDir(
  db: Db,
  { cwd, contentDir, ...origin }: ImportOrigin & { cwd?: string; contentDir?: string },
): ImportResult {
  const checked = checkContent([], { cwd, contentDir });
  if (checked.errors.length > 0) return { ok: false, errors: checked.errors };
  try {
    const summary = importContent(db, checked.content, origin);
    return { ok: true, summary, content: checked.content, warnings: checked.warnings };
  } catch (error) {
    if (error instanceof ContentConflictError) return { ok: false, errors: sortContentErrors(error.errors) };
    throw error;
  }
}

export function describeErrors(errors: readonly ContentError[]): string {
  return errors.map(formatContentError).join("\n");
}

export function describeWarnings(warnings: readonly ContentWarning[]): string {
  return warnings.map(formatContentWarning).join("\n");
}

/** The operating-system user running a command, for the audit log (null if it cannot be told). */
export function osUserName(): string | null {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? null;
  }
}
