/**
 * Word files for the tests, built in code with the same `docx` package the export uses: each
 * paragraph is a string (plain), or a list of pieces where `**x**` is bold, `__x__` underlined,
 * `!!x!!` red, `==x==` highlighted, `\t` a tab, and `{image}` a small picture.
 */
import { Document, ImageRun, Packer, Paragraph, Tab, Table, TableCell, TableRow, TextRun } from "docx";
import { PNG } from "pngjs";

const PIECE = /\*\*(.+?)\*\*|__(.+?)__|!!(.+?)!!|==(.+?)==|\{image\}/g;

function tinyPng(): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

function runsOf(line: string): (TextRun | ImageRun)[] {
  const runs: (TextRun | ImageRun)[] = [];
  let at = 0;
  for (const match of line.matchAll(PIECE)) {
    if (match.index! > at) runs.push(new TextRun(line.slice(at, match.index)));
    if (match[1]) runs.push(new TextRun({ text: match[1], bold: true }));
    else if (match[2]) runs.push(new TextRun({ text: match[2], underline: {} }));
    else if (match[3]) runs.push(new TextRun({ text: match[3], color: "FF0000" }));
    else if (match[4]) runs.push(new TextRun({ text: match[4], highlight: "yellow" }));
    else runs.push(new ImageRun({ type: "png", data: tinyPng(), transformation: { width: 40, height: 40 } }));
    at = match.index! + match[0].length;
  }
  if (at < line.length) runs.push(new TextRun(line.slice(at)));
  return runs;
}

function paragraphOf(line: string): Paragraph {
  if (!line.includes("\t")) return new Paragraph({ children: runsOf(line) });
  const children: (TextRun | ImageRun)[] = [];
  line.split("\t").forEach((part, i) => {
    if (i > 0) children.push(new TextRun({ children: [new Tab()] }));
    children.push(...runsOf(part));
  });
  return new Paragraph({ children });
}

export type FixtureBlock = string | { table: string[][] };

/** A .docx of the given paragraphs (and tables: rows of cell texts, same markup). */
export async function docxOf(blocks: FixtureBlock[]): Promise<Buffer> {
  const children = blocks.map((block) =>
    typeof block === "string"
      ? paragraphOf(block)
      : new Table({
          rows: block.table.map((row) => new TableRow({ children: row.map((cell) => new TableCell({ children: [paragraphOf(cell)] })) })),
        }),
  );
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}
