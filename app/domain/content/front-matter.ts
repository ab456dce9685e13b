/**
 * The YAML front matter of a content file, with the line of every key so that errors point at
 * the line an organizer has to change.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
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

export function splitFrontMatter(text: string, sink: ErrorSink): FrontMatter | null {
  const lines = text.split("\n");
  if (lines[0]?.trim() !== "---") {
    sink.add(1, m.frontMatterMissing);
    return null;
  }
  const closing = lines.findIndex((line, i) => i > 0 && line.trim() === "---");
  if (closing < 0) {
    sink.add(1, m.frontMatterUnclosed);
    return null;
  }
  const yamlText = lines.slice(1, closing).join("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // Line 1 of the YAML is line 2 of the file.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const detail = error.code === "DUPLICATE_KEY" ? "một khóa được ghi hai lần" : error.code;
      sink.add(fileLine(error.pos[0]), m.yamlSyntax(detail));
    }
    return null;
  }
  const data: unknown = doc.toJS();
  if (data !== null && data !== undefined && (typeof data !== "object" || Array.isArray(data))) {
    sink.add(2, m.frontMatterNotMap);
    return null;
  }
  const lineOf = (path: readonly (string | number)[]): number => {
    for (let length = path.length; length > 0; length--) {
      // The line of the key itself: a value that is a block (`banks:` then indented lines) starts
      // on the next line, and a key whose value is empty has no value node at all.
      const parent = length > 1 ? doc.getIn(path.slice(0, length - 1), true) : doc.contents;
      if (isMap(parent)) {
        const pair = parent.items.find(
          (p) => isScalar(p.key) && String(p.key.value) === String(path[length - 1]),
        );
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
  return {
    data: data ?? {},
    lineOf,
    body: lines.slice(closing + 1).join("\n"),
    bodyStartLine: closing + 2,
  };
}
