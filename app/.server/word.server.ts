/**
 * Reading and writing Word (.docx) question files. mammoth reads (its document model keeps bold,
 * underline and highlight for each run, and pictures); the font colour, which mammoth's model drops,
 * is read from the same file through mammoth's own unzip and XML reader and matched to mammoth's
 * paragraphs by their text. The `docx` package writes. The convention itself — what is a question,
 * an option, a mark — is app/domain/content/word.ts; here only files become blocks and back.
 */
import { createRequire } from "node:module";
import { unzipSync } from "fflate";
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import mammoth from "mammoth";
import { convertWordBank, type ConvertOptions, type WordBlock, type WordConversion, type WordRun } from "~/domain/content/word";
import { docxMessages as m } from "~/i18n/docx.vi";

/** The largest .docx accepted (under the 2 MB the front door lets a bank upload carry). */
export const MAX_DOCX_BYTES = 1536 * 1024;
/** A .docx whose parts unzip to more than this is not a question file (and may be a zip bomb). */
const MAX_UNZIPPED_BYTES = 40 * 1024 * 1024;

const require = createRequire(import.meta.url);

/** mammoth's own zip and XML readers (the ones convertToHtml uses), for the one property its model drops. */
interface XmlNode {
  type: "element" | "text";
  name?: string;
  value?: string;
  attributes?: Record<string, string>;
  children?: XmlNode[];
}
const mammothUnzip = require("mammoth/lib/unzip") as { openZip(input: { buffer: Buffer }): Promise<unknown> };
const mammothXml = require("mammoth/lib/docx/office-xml-reader") as {
  readXmlFromZipFile(zip: unknown, path: string): Promise<XmlNode | null>;
};

export function isDocxName(name: string): boolean {
  return /\.docx$/i.test(name);
}

/** A zip that holds word/document.xml and unzips to a sane size, checked before any XML is read. */
function looksLikeDocx(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  let hasDocument = false;
  let total = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        total += file.originalSize;
        if (file.name === "word/document.xml") hasDocument = true;
        return false;
      },
    });
  } catch {
    return false;
  }
  return hasDocument && total <= MAX_UNZIPPED_BYTES;
}

/* ---------- reading ---------- */

interface MammothElement {
  type: string;
  children?: MammothElement[];
  value?: string;
  isBold?: boolean;
  isUnderline?: boolean;
  highlight?: string | null;
  styleName?: string | null;
  breakType?: string;
}

interface CharRun {
  text: string;
  bold: boolean;
  underline: boolean;
  coloured: boolean;
}

interface ReadParagraph {
  runs: CharRun[];
  images: number;
}

/** A paragraph's runs in mammoth's model: text, tabs and line breaks with their run's marks; pictures counted. */
function readMammothParagraph(paragraph: MammothElement): ReadParagraph {
  const runs: CharRun[] = [];
  let images = 0;
  const visit = (element: MammothElement, run: MammothElement | null) => {
    if (element.type === "run") {
      for (const child of element.children ?? []) visit(child, element);
      return;
    }
    if (element.type === "image") {
      images++;
      return;
    }
    const piece = element.type === "text" ? (element.value ?? "") : element.type === "tab" ? "\t" : element.type === "break" && element.breakType === "line" ? "\n" : "";
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

/** Every w:p of document.xml in document order, as its text and, per character, whether its colour is not automatic/black. */
function colouredParagraphs(root: XmlNode): { text: string; coloured: boolean[] }[] {
  const paragraphs: { text: string; coloured: boolean[] }[] = [];
  const walk = (node: XmlNode) => {
    if (node.type !== "element") return;
    if (node.name === "w:del") return;
    if (node.name === "w:p") {
      const para = { text: "", coloured: [] as boolean[] };
      const inRun = (run: XmlNode) => {
        const props = run.children?.find((c) => c.name === "w:rPr");
        const color = props?.children?.find((c) => c.name === "w:color")?.attributes?.["w:val"];
        const coloured = !!color && !/^(auto|0{6})$/i.test(color);
        for (const child of run.children ?? []) {
          const piece = child.name === "w:t" ? (child.children ?? []).map((t) => t.value ?? "").join("") : child.name === "w:tab" ? "\t" : child.name === "w:br" && !child.attributes?.["w:type"] ? "\n" : "";
          para.text += piece;
          for (let i = 0; i < piece.length; i++) para.coloured.push(coloured);
        }
      };
      const inParagraph = (n: XmlNode) => {
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

function toWordRuns(paragraph: ReadParagraph, coloured: boolean[] | null): WordRun[] {
  const runs: WordRun[] = [];
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

/**
 * Converts an uploaded .docx to bank markdown and the converter's notes, or says why the file
 * cannot be read. Never throws on a bad file.
 */
export async function convertDocx(bytes: Uint8Array, options: ConvertOptions): Promise<{ ok: true; conversion: WordConversion } | { ok: false; message: string }> {
  if (bytes.length > MAX_DOCX_BYTES) return { ok: false, message: m.docxTooLarge("1,5") };
  if (!looksLikeDocx(bytes)) return { ok: false, message: m.notDocx };
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    let document: MammothElement | null = null;
    await mammoth.convertToHtml(
      { buffer },
      {
        transformDocument: (element: MammothElement) => {
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
    /** The colours of the next w:p with the same text, if any is near (mammoth skips a few kinds of paragraph). */
    const coloursFor = (text: string): boolean[] | null => {
      for (let i = xmlAt; i < Math.min(coloured.length, xmlAt + 20); i++) {
        if (coloured[i]!.text === text) {
          xmlAt = i + 1;
          return coloured[i]!.coloured;
        }
      }
      return null;
    };
    const blocks: WordBlock[] = [];
    const readBlock = (element: MammothElement): WordBlock[] => {
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
              .map((cell) => {
                const inner = (cell.children ?? []).flatMap(readBlock);
                return inner.flatMap((block, i) => {
                  images += block.images ?? 0;
                  const runs = block.kind === "paragraph" ? block.runs : block.rows.flat(2);
                  return i > 0 ? [{ text: "\n" }, ...runs] : runs;
                });
              }),
          );
        return [{ kind: "table", rows, images }];
      }
      return (element.children ?? []).flatMap(readBlock);
    };
    const root = document as MammothElement | null;
    for (const child of root?.children ?? []) blocks.push(...readBlock(child));
    return { ok: true, conversion: convertWordBank(blocks, options) };
  } catch {
    return { ok: false, message: m.notDocx };
  }
}

/* ---------- writing ---------- */

const FONT = "Times New Roman";

function textRuns(runs: WordRun[]): TextRun[] {
  return runs.map(
    (run) =>
      new TextRun({
        text: run.text,
        bold: run.bold,
        underline: run.underline ? {} : undefined,
        font: FONT,
        size: run.quiet ? 20 : 26,
        color: run.quiet ? "555555" : undefined,
      }),
  );
}

function toDocx(block: WordBlock): Paragraph | Table {
  if (block.kind === "paragraph") {
    return new Paragraph({
      children: textRuns(block.runs),
      alignment: block.style === "title" || block.style === "centered" ? AlignmentType.CENTER : undefined,
      spacing: { after: block.style === "title" || block.style === "heading" ? 160 : 40 },
      keepNext: block.style === "heading",
    });
  }
  const border = { style: BorderStyle.SINGLE, size: 4, color: "888888" };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: block.rows.map(
      (row) =>
        new TableRow({
          children: row.map(
            (cell) =>
              new TableCell({
                children: [new Paragraph({ children: textRuns(cell), alignment: AlignmentType.CENTER })],
                borders: { top: border, bottom: border, left: border, right: border },
              }),
          ),
        }),
    ),
  });
}

/** A .docx of the blocks (A4, Times New Roman 13 pt, as Vietnamese administrative documents are printed). */
export async function writeDocx(blocks: WordBlock[], title: string): Promise<Buffer> {
  const doc = new Document({
    title,
    creator: "cuocthi",
    styles: { default: { document: { run: { font: FONT, size: 26 } } } },
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1418, right: 1134 } } },
        children: blocks.map(toDocx),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
