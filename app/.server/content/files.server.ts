/** Reading content files from disk: the only I/O of the content pipeline besides the import. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { ContentFile } from "~/domain/content/validate";
import type { ContentError } from "~/domain/content/errors";
import { contentMessages as m } from "~/i18n/content.vi";

/**
 * The kind of a content file: from the folder it sits in (banks/, contests/, units.md), else, for
 * a draft kept elsewhere, from what it holds. Null for a file that is not content.
 */
export function contentKind(path: string, text?: string): ContentFile["kind"] | null {
  const name = basename(path);
  if (!name.endsWith(".md") || name.toLowerCase() === "readme.md") return null;
  const folder = resolve(path).split(sep).at(-2);
  if (folder === "banks") return "bank";
  if (folder === "contests") return "contest";
  if (name === "units.md") return "units";
  if (text === undefined) return null;
  const normalized = text.replace(/^\uFEFF/, "");
  if (/^##\s*Huyện, thành phố\s*$/imu.test(normalized)) return "units";
  if (!normalized.startsWith("---")) return null;
  const frontMatter = normalized.split(/\r?\n---\s*(\r?\n|$)/)[0] ?? "";
  return /^rounds\s*:/m.test(frontMatter) ? "contest" : "bank";
}

function readContentFile(path: string, shownAs: string, kind: ContentFile["kind"]): ContentFile | ContentError {
  try {
    const bytes = readFileSync(path);
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return { path: shownAs, kind, text };
  } catch (error) {
    const reason = error instanceof TypeError ? m.notUtf8 : m.readFailed((error as Error).message);
    return { file: shownAs, line: 1, message: reason };
  }
}

const isError = (x: ContentFile | ContentError): x is ContentError => "message" in x;

/** Every content file under a content folder: banks/*.md, contests/*.md, units.md. */
export function listContentFiles(contentDir: string): string[] {
  const found: string[] = [];
  for (const folder of ["banks", "contests"]) {
    const dir = join(contentDir, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith(".md") && name.toLowerCase() !== "readme.md") found.push(join(dir, name));
    }
  }
  const units = join(contentDir, "units.md");
  if (existsSync(units)) found.push(units);
  return found;
}

/**
 * The files a folder named on the command line stands for: a content folder (with banks/,
 * contests/) is searched like content/; any other folder (content/banks, a drafts folder) gives
 * every .md file in it.
 */
function listFolder(dir: string): string[] {
  const found = listContentFiles(dir);
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith(".md") && name.toLowerCase() !== "readme.md" && !found.includes(path) && statSync(path).isFile()) {
      found.push(path);
    }
  }
  return found;
}

/**
 * Reads the given paths (files or folders; a folder is searched like content/) and, for the
 * references they make, every bank of the content folder too. Paths are shown relative to `cwd`.
 */
export function readContentFiles(
  paths: readonly string[],
  { cwd = process.cwd(), contentDir = join(cwd, "content") } = {},
): { files: ContentFile[]; errors: ContentError[]; explicit: Set<string> } {
  const files: ContentFile[] = [];
  const errors: ContentError[] = [];
  const explicit = new Set<string>();
  const shown = (p: string) => relative(cwd, resolve(p)) || p;
  const add = (path: string) => {
    if (files.some((f) => f.path === shown(path))) return;
    const result = readContentFile(path, shown(path), "bank");
    if (isError(result)) {
      errors.push(result);
      return;
    }
    const kind = contentKind(path, result.text);
    if (!kind) errors.push({ file: shown(path), line: 1, message: m.notAContentFile(shown(path)) });
    else files.push({ ...result, kind });
  };

  const targets = paths.length > 0 ? paths : [contentDir];
  for (const target of targets) {
    if (!existsSync(target)) {
      errors.push({ file: shown(target), line: 1, message: m.pathNotFound(shown(target)) });
      continue;
    }
    const listed = statSync(target).isDirectory() ? listFolder(target) : [target];
    if (listed.length === 0) errors.push({ file: shown(target), line: 1, message: m.emptyFolder(shown(target)) });
    for (const path of listed) {
      add(path);
      explicit.add(shown(path));
    }
  }
  // Quotas may name banks that were not given on the command line: read the folder's banks too.
  for (const target of targets) {
    const dir = statSync(target, { throwIfNoEntry: false })?.isDirectory() ? target : dirname(dirname(resolve(target)));
    for (const path of listContentFiles(existsSync(join(dir, "banks")) ? dir : contentDir)) {
      if (contentKind(path) === "bank" && !files.some((f) => f.path === shown(path))) {
        const result = readContentFile(path, shown(path), "bank");
        if (!isError(result)) files.push({ ...result, reference: true });
      }
    }
  }
  return { files, errors, explicit };
}
