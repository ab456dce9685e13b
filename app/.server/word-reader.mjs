// Reading a .docx into the converter's blocks (app/domain/content/word.ts: paragraphs and tables of
// runs marked bold/underline/coloured, with picture counts), on a worker thread of its own so that
// mammoth's second or so of work never holds up the server's event loop (decision 014's rule;
// docs/decisions/016-word-files.md). Plain JavaScript that only imports npm packages, so node runs
// it as it is next to the sources and in production alike.
//
// mammoth's document model (`transformDocument`) gives each run's bold, underline and highlight,
// line breaks, tabs, tables and pictures. It drops the font colour, so the colour is read from the
// same file with mammoth's own unzip and XML reader and matched to mammoth's paragraphs by text.
import { createRequire } from "node:module";
import { parentPort } from "node:worker_threads";
import mammoth from "mammoth";

const require = createRequire(import.meta.url);
const mammothUnzip = require("mammoth/lib/unzip");
const mammothXml = require("mammoth/lib/docx/office-xml-reader");

/** A paragraph's runs in mammoth's model: text, tabs and line breaks with their run's marks; pictures counted. */
function readMammothParagraph(paragraph) {
  const runs = [];
  let images = 0;
  const visit = (element, run) => {
    if (element.type === "run") {
      for (const child of element.children ?? []) visit(child, element);
      return;
    }
    if (element.type === "image") {
      images++;
      return;
    }
    const piece =
      element.type === "text"
        ? (element.value ?? "")
        : element.type === "tab"
          ? "\t"
          : element.type === "break" && element.breakType === "line"
            ? "\n"
            : "";
    if (piece && run) {
      runs.push({
        text: piece,
        bold: !!run.isBold || /strong|bold|đậm/i.test(run.styleName ?? ""),
        underline: !!run.isUnderline,
        coloured: !!run.highlight,
      });
      return;
    }
    for (const child of element.children ?? []) visit(child, run);
  };
  for (const child of paragraph.children ?? []) visit(child, null);
  return { runs, images };
}

/** Every w:p of document.xml in document order: its text and, per character, whether its colour is not automatic/black. */
function colouredParagraphs(root) {
  const paragraphs = [];
  const walk = (node) => {
    if (node.type !== "element" || node.name === "w:del") return;
    if (node.name === "w:p") {
      const para = { text: "", coloured: [] };
      const inRun = (run) => {
        const props = run.children?.find((c) => c.name === "w:rPr");
        const color = props?.children?.find((c) => c.name === "w:color")?.attributes?.["w:val"];
        const coloured = !!color && !/^(auto|0{6})$/i.test(color);
        for (const child of run.children ?? []) {
          const piece =
            child.name === "w:t"
              ? (child.children ?? []).map((t) => t.value ?? "").join("")
              : child.name === "w:tab"
                ? "\t"
                : child.name === "w:br" && !child.attributes?.["w:type"]
                  ? "\n"
                  : "";
          para.text += piece;
          for (let i = 0; i < piece.length; i++) para.coloured.push(coloured);
        }
      };
      const inParagraph = (n) => {
        for (const child of n.children ?? []) {
          if (child.name === "w:r") inRun(child);
          else if (child.name !== "w:del" && child.name !== "w:pPr") inParagraph(child);
        }
      };
      inParagraph(node);
      paragraphs.push(para);
      return;
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(root);
  return paragraphs;
}

function toWordRuns(paragraph, coloured) {
  const runs = [];
  let at = 0;
  for (const run of paragraph.runs) {
    for (const ch of run.text) {
      const mark = { bold: run.bold, underline: run.underline, coloured: run.coloured || !!coloured?.[at] };
      const last = runs[runs.length - 1];
      if (last && last.bold === mark.bold && last.underline === mark.underline && last.coloured === mark.coloured) last.text += ch;
      else runs.push({ text: ch, ...mark });
      at += ch.length;
    }
  }
  return runs;
}

/** The blocks of a .docx; throws on a file mammoth cannot read. */
export async function readDocxBlocks(buffer) {
  let document = null;
  await mammoth.convertToHtml(
    { buffer },
    {
      transformDocument: (element) => {
        document = element;
        return element;
      },
      // The HTML is not used: do not spend time encoding pictures.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })),
    },
  );
  const xml = await mammothXml.readXmlFromZipFile(await mammothUnzip.openZip({ buffer }), "word/document.xml");
  const coloured = xml ? colouredParagraphs(xml) : [];
  let xmlAt = 0;
  /** The colours of the next w:p with the same text, if one is near (mammoth skips a few kinds of paragraph). */
  const coloursFor = (text) => {
    for (let i = xmlAt; i < Math.min(coloured.length, xmlAt + 20); i++) {
      if (coloured[i].text === text) {
        xmlAt = i + 1;
        return coloured[i].coloured;
      }
    }
    return null;
  };
  const readBlock = (element) => {
    if (element.type === "paragraph") {
      const read = readMammothParagraph(element);
      const text = read.runs.map((r) => r.text).join("");
      return [{ kind: "paragraph", runs: toWordRuns(read, coloursFor(text)), images: read.images }];
    }
    if (element.type === "table") {
      let images = 0;
      const rows = (element.children ?? [])
        .filter((row) => row.type === "tableRow")
        .map((row) =>
          (row.children ?? [])
            .filter((cell) => cell.type === "tableCell")
            .map((cell) =>
              (cell.children ?? []).flatMap(readBlock).flatMap((block, i) => {
                images += block.images ?? 0;
                const runs = block.kind === "paragraph" ? block.runs : block.rows.flat(2);
                return i > 0 ? [{ text: "\n" }, ...runs] : runs;
              }),
            ),
        );
      return [{ kind: "table", rows, images }];
    }
    return (element.children ?? []).flatMap(readBlock);
  };
  return (document?.children ?? []).flatMap(readBlock);
}

// As a worker: one file in, its blocks (or a failure) out.
if (parentPort) {
  parentPort.once("message", async (bytes) => {
    try {
      parentPort.postMessage({ ok: true, blocks: await readDocxBlocks(Buffer.from(bytes)) });
    } catch {
      parentPort.postMessage({ ok: false });
    }
  });
}
