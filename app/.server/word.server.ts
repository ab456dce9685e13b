/**
 * Reading and writing Word (.docx) question files. Reading runs on a worker thread
 * (app/.server/word-reader.mjs: mammoth, plus the font colour through mammoth's own XML reader);
 * the `docx` package writes. The convention itself — what is a question, an option, a mark — is
 * app/domain/content/word.ts; here only files become blocks and back.
 */
import { Worker } from "node:worker_threads";
import { unzipSync } from "fflate";
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { convertWordBank, type ConvertOptions, type WordBlock, type WordConversion, type WordRun } from "~/domain/content/word";
import { docxMessages as m } from "~/i18n/docx.vi";

/** The largest .docx accepted (under the 2 MB the front door lets a bank upload carry). */
export const MAX_DOCX_BYTES = 1536 * 1024;
/** A .docx whose parts unzip to more than this is not a question file (and may be a zip bomb). */
const MAX_UNZIPPED_BYTES = 40 * 1024 * 1024;
/** A file that takes longer than this to read is given up on (the worker is stopped). */
const READ_TIMEOUT_MS = 30_000;

export function isDocxName(name: string): boolean {
  return /\.docx$/i.test(name);
}

/** A zip that holds word/document.xml and unzips to a sane size, checked (without inflating) before any XML is read. */
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

/** The reader's entry: next to this file (sources), or shipped beside the server build, as the heavy-work worker is. */
function readerEntry(): URL {
  const here = import.meta.url;
  if (/\.tsx?$/.test(new URL(here).pathname)) return new URL("./word-reader.mjs", here);
  return new URL("../../app/.server/word-reader.mjs", here);
}

/** Reads the file on a thread of its own, so mammoth's work never holds up the server's event loop. */
function readBlocks(bytes: Uint8Array): Promise<WordBlock[] | null> {
  return new Promise((resolve) => {
    const worker = new Worker(readerEntry(), { name: "cuocthi-word" });
    const done = (blocks: WordBlock[] | null) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(blocks);
    };
    const timer = setTimeout(() => done(null), READ_TIMEOUT_MS);
    worker.once("message", (reply: { ok: boolean; blocks?: WordBlock[] }) => done(reply.ok ? reply.blocks! : null));
    worker.once("error", () => done(null));
    // A copy of its own (a Buffer's slice would share, and transferring would empty, the caller's memory).
    const copy = new Uint8Array(bytes);
    worker.postMessage(copy, [copy.buffer]);
  });
}

/**
 * Converts an uploaded .docx to bank markdown and the converter's notes, or says why the file
 * cannot be read. Never throws on a bad file.
 */
export async function convertDocx(
  bytes: Uint8Array,
  options: ConvertOptions,
): Promise<{ ok: true; conversion: WordConversion } | { ok: false; message: string }> {
  if (bytes.length > MAX_DOCX_BYTES) return { ok: false, message: m.docxTooLarge("1,5") };
  if (!looksLikeDocx(bytes)) return { ok: false, message: m.notDocx };
  const blocks = await readBlocks(bytes);
  if (!blocks) return { ok: false, message: m.notDocx };
  return { ok: true, conversion: convertWordBank(blocks, options) };
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
