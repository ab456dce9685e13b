/**
 * The YAML front matter of a content file, with the line of every key so that errors point at
 * the line an organizer has to change.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node as YamlNode } from "yaml";
import { contentMessages as m } from "~/i18n/content.vi";
import type { ErrorSink } from "./errors";

export interface FrontMatter {
  /** Plain JavaScript value of the YAML. */
  data: unknown;
  /** The line (1-based, in the whole file) of the node at a path, or of its nearest parent. */
  lineOf(path: readonly (string | number)[]): number;
  /** The body after the closing `---`, and the line it starts on. */
  body: string;
  bodyStartLine: number;
}

/** The front matter if it could be read, and the body, which is checked even when it could not. */
export interface FileParts {
  frontMatter: FrontMatter | null;
  body: string;
  bodyStartLine: number;
}

export function splitFrontMatter(text: string, sink: ErrorSink): FrontMatter | null {
  return readFileParts(text, sink).frontMatter;
}

/**
 * Splits a file into front matter and body. A broken front matter (a YAML mistake, a missing or
 * unclosed `---`) is reported, and the body is still returned so its errors are reported too.
 */
export function readFileParts(text: string, sink: ErrorSink): FileParts {
  const lines = text.split("\n");
  const bodyAfter = (index: number): Omit<FileParts, "frontMatter"> => ({
    body: lines.slice(index + 1).join("\n"),
    bodyStartLine: index + 2,
  });
  if (lines[0]?.trim() !== "---") {
    sink.add(1, m.frontMatterMissing);
    // A forgotten opening `---`: the body starts after the closing one, if there is one.
    const closing = lines.findIndex((line) => line.trim() === "---");
    const headingBefore = closing >= 0 && lines.slice(0, closing).some((line) => /^#{1,6}\s/.test(line));
    return { frontMatter: null, ...(closing >= 0 && !headingBefore ? bodyAfter(closing) : { body: text, bodyStartLine: 1 }) };
  }
  const closing = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  if (closing < 0) {
    // The body starts at the first heading: what comes before it was meant as the front matter.
    const heading = lines.findIndex((line) => /^#{1,6}\s/.test(line));
    sink.add(1, m.frontMatterUnclosed);
    return { frontMatter: null, ...(heading >= 0 ? bodyAfter(heading - 1) : { body: "", bodyStartLine: lines.length + 1 }) };
  }
  const parts = bodyAfter(closing);
  const yamlText = lines.slice(1, closing).join("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // Line 1 of the YAML is line 2 of the file.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    // The YAML library often reports one mistake twice on the same line: say it once.
    const reported = new Set<number>();
    for (const error of doc.errors) {
      const line = fileLine(error.pos[0]);
      if (reported.has(line)) continue;
      reported.add(line);
      sink.add(line, yamlMessage(error.code, lines[line - 1] ?? ""));
    }
    return { frontMatter: null, ...parts };
  }
  let data: unknown;
  try {
    // An "alias bomb" (aliases of aliases) would expand to millions of values: bounded here.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    let aliasLine = 2;
    visit(doc, {
      Alias(_, node) {
        if (node.range) aliasLine = fileLine(node.range[0]);
        return visit.BREAK;
      },
    });
    sink.add(aliasLine, m.yamlAliases);
    return { frontMatter: null, ...parts };
  }
  if (data !== null && data !== undefined && (typeof data !== "object" || Array.isArray(data))) {
    sink.add(2, m.frontMatterNotMap);
    return { frontMatter: null, ...parts };
  }
  const lineOf = (path: readonly (string | number)[]): number => {
    for (let length = path.length; length > 0; length--) {
      // The line of the key itself: a value that is a block (`banks:` then indented lines) starts
      // on the next line, and a key whose value is empty has no value node at all.
      const parent = length > 1 ? doc.getIn(path.slice(0, length - 1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[length - 1]));
        if (pair && isScalar(pair.key) && pair.key.range) return fileLine(pair.key.range[0]);
      }
      const node = doc.getIn(path.slice(0, length), true) as YamlNode | undefined;
      if (node && typeof node === "object" && "range" in node && node.range) {
        return fileLine(node.range[0]);
      }
      if (isSeq(parent) && typeof path[length - 1] === "number") {
        const item = parent.items[path[length - 1] as number] as YamlNode | undefined;
        if (item && "range" in item && item.range) return fileLine(item.range[0]);
      }
    }
    return 2;
  };
  return { frontMatter: { data: data ?? {}, lineOf, ...parts }, ...parts };
}

/**
 * A YAML mistake in words an organizer can act on: the library's own message is an English code,
 * and its advice would only repeat what the author wrote.
 */
function yamlMessage(code: string, lineText: string): string {
  const pair = /^\s*([^:#]+?)\s*:\s+(.*)$/.exec(lineText);
  if (code === "TAB_AS_INDENT" || /^\s*\t/.test(lineText)) return m.yamlTab;
  if (code === "DUPLICATE_KEY") return m.yamlDuplicateKey(pair?.[1] ?? lineText.split(":")[0]!.trim());
  // `title: Chuyển đổi số: con đường` — a second colon makes YAML read a second key.
  if (pair && /:(\s|$)/.test(pair[2]!) && !/^["']/.test(pair[2]!)) return m.yamlColonInValue(pair[1]!);
  if (code === "MISSING_CHAR" || code === "BAD_DQ_ESCAPE") return m.yamlUnclosed;
  if (code === "BAD_SCALAR_START" && pair) return m.yamlSpecialStart(pair[1]!);
  if (code === "BAD_INDENT" || code === "BLOCK_AS_IMPLICIT_KEY" || code === "MULTILINE_IMPLICIT_KEY") {
    return m.yamlIndent;
  }
  return m.yamlLine;
}
