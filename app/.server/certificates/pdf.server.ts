/**
 * Certificates as PDF: one A4 landscape page per certificate, laid out with pdfkit, text in DejaVu
 * Serif (embedded, subset: every Vietnamese letter with its diacritics). The text comes from
 * app/domain/certificates.ts; this file only places it.
 *
 * Written page by page: after each page the bytes pdfkit has produced so far go to `push`, so a
 * caller streams a thousand pages without holding them (the heavy-work thread runs it:
 * docs/decisions/017-posters-and-certificates.md).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import type { CertificateText } from "~/domain/certificates";
import { printVi } from "~/i18n/print.vi";

const FONT_FILES = { regular: "DejaVuSerif.ttf", bold: "DejaVuSerif-Bold.ttf", italic: "DejaVuSerif-Italic.ttf" } as const;
type FontName = keyof typeof FONT_FILES;

let fonts: Record<FontName, Buffer> | undefined;

/** The font files, read once per process (about 1 MB together). */
function fontData(): Record<FontName, Buffer> {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const read = (file: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`));
    fonts = { regular: read(FONT_FILES.regular), bold: read(FONT_FILES.bold), italic: read(FONT_FILES.italic) };
  }
  return fonts;
}

const BRAND = "#174c99";
const RED = "#9f1239";
const INK = "#0f172a";

/** A4 landscape in points. */
const PAGE = { width: 841.89, height: 595.28 };
const MARGIN = 56;

function drain(doc: PDFKit.PDFDocument, push: (chunk: Uint8Array) => void) {
  // pdfkit is a Readable: what it has written so far is buffered until read.
  let chunk: Buffer | null;
  while ((chunk = doc.read() as Buffer | null) !== null) push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
}

function drawPage(doc: PDFKit.PDFDocument, c: CertificateText) {
  doc.addPage({ size: "A4", layout: "landscape", margin: 0 });
  const width = PAGE.width - 2 * MARGIN;
  // Frame: a thick line and a thin one inside it.
  doc
    .lineWidth(4)
    .strokeColor(BRAND)
    .rect(22, 22, PAGE.width - 44, PAGE.height - 44)
    .stroke();
  doc
    .lineWidth(1)
    .strokeColor(BRAND)
    .rect(30, 30, PAGE.width - 60, PAGE.height - 60)
    .stroke();

  const centered = (text: string, font: FontName, size: number, color = INK, gap = 4) => {
    doc.font(font).fontSize(size).fillColor(color).text(text, MARGIN, doc.y, { width, align: "center" });
    doc.y += gap;
  };

  doc.y = 48;
  centered(c.country, "bold", 12, INK, 0);
  centered(c.motto, "bold", 12, INK, 0);
  const mottoWidth = doc.font("bold").fontSize(12).widthOfString(c.motto);
  doc
    .lineWidth(0.8)
    .strokeColor(INK)
    .moveTo(PAGE.width / 2 - mottoWidth / 2, doc.y + 1)
    .lineTo(PAGE.width / 2 + mottoWidth / 2, doc.y + 1)
    .stroke();
  doc.y += 22;
  centered(c.heading, "bold", 34, RED, 10);
  centered(c.awardedTo, "italic", 14, INK, 6);
  centered(c.name, "bold", 28, BRAND, 6);
  centered(c.unit, "regular", 14, INK, 12);
  centered(c.reason, "bold", 17, INK, 6);
  if (c.score) centered(c.score, "regular", 13, INK, 4);
  centered(c.contest, "regular", 14, INK, 2);
  centered(c.roundDates, "italic", 12, INK, 0);

  // The date and the signature blocks share the bottom of the page.
  const bottom = PAGE.height - 56;
  const signers = c.signers;
  const dateY = Math.max(doc.y + 14, bottom - 120);
  const columns = Math.max(signers.length, 1);
  const columnWidth = width / columns;
  // The date stands above the right-most signer, as on a Vietnamese official document.
  doc
    .font("italic")
    .fontSize(12)
    .fillColor(INK)
    .text(c.date, MARGIN + columnWidth * (columns - 1), dateY, { width: columnWidth, align: "center" });
  signers.forEach((signer, i) => {
    const x = MARGIN + columnWidth * i;
    doc
      .font("bold")
      .fontSize(12)
      .fillColor(INK)
      .text(signer.title, x + 8, dateY + 20, { width: columnWidth - 16, align: "center" });
    doc
      .font("bold")
      .fontSize(13)
      .text(signer.name, x + 8, bottom - 18, { width: columnWidth - 16, align: "center", lineBreak: false });
  });
}

/**
 * Writes the certificates as one PDF, pushing its bytes as they are made. `createdAt` is the
 * document's date (the round's close), so the same certificates are the same file.
 */
export function writeCertificatesPdf(certificates: CertificateText[], createdAt: number, push: (chunk: Uint8Array) => void): void {
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    info: { Title: printVi.certificate.title, Creator: "cuocthi", Producer: "cuocthi", CreationDate: new Date(createdAt) },
  });
  const data = fontData();
  for (const name of Object.keys(FONT_FILES) as FontName[]) doc.registerFont(name, data[name]);
  for (const certificate of certificates) {
    drawPage(doc, certificate);
    drain(doc, push);
  }
  doc.end();
  drain(doc, push);
}
