import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { contentDisposition, csvResponse, toCsv } from "~/.server/exports/csv.server";
import { columnName, sanitizeSheetNames, toXlsx, xlsxResponse, XLSX_CONTENT_TYPE } from "~/.server/exports/xlsx.server";
import { parseCsv, readXlsx } from "../helpers/spreadsheets";

type Cell = string | number | null;

const header = ["Hạng", "Họ và tên", "Đơn vị", "Điểm", "Thời gian (giây)", "Ghi chú"];
const rows: Cell[][] = [
  [1, "Nguyễn Thị Ánh Tuyết", "Công đoàn Trường THPT Bảo Lộc", 98.5, 312, null],
  [2, "Trần Văn Đức, Jr.", 'Trường "Chuyên" Lê Quý Đôn', 97, 1200, "dòng 1\ndòng 2"],
  [3, "=SUM(A1)", "+84912010801", -5, 0, "@cmd"],
  [4, "-1+1", "Lâm Đồng\r\nĐà Lạt", -0.25, null, "\tTab"],
  [5, "Phạm Thị Hồng Nhung", null, null, null, "ăn ở ư ơ ỹ Ỵ"],
];

/** What the CSV gives back: text as written (with an apostrophe where needed), numbers as digits. */
function csvExpected(h: string[], rs: Cell[][]): string[][] {
  const text = (c: Cell): string => {
    if (c === null) return "";
    if (typeof c === "number") return String(c);
    return /^[=+\-@\t\r]/.test(c) ? `'${c}` : c;
  };
  return [h, ...rs].map((r) => r.map(text));
}

const wide = (n: number) => Array.from({ length: n }, (_, i) => `Cột ${columnName(i)}`);

describe("toCsv", () => {
  it("starts with the UTF-8 BOM bytes and ends lines with CRLF", () => {
    const csv = toCsv(header, rows);
    const bytes = new TextEncoder().encode(csv);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.startsWith("\uFEFFHạng,Họ và tên,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    // every LF outside quoted fields is part of a CRLF
    const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, "");
    expect(outsideQuotes.match(/\n/g)?.length).toBe(rows.length + 1);
    expect(outsideQuotes).not.toMatch(/[^\r]\n/);
  });

  it("round-trips Vietnamese text, commas, quotes, newlines and null cells", () => {
    const parsed = parseCsv(toCsv(header, rows));
    expect(parsed).toEqual(csvExpected(header, rows));
    expect(parsed[1]![1]).toBe("Nguyễn Thị Ánh Tuyết");
    expect(parsed[1]![2]).toBe("Công đoàn Trường THPT Bảo Lộc");
    expect(parsed[2]![1]).toBe("Trần Văn Đức, Jr.");
    expect(parsed[2]![2]).toBe('Trường "Chuyên" Lê Quý Đôn');
    expect(parsed[2]![5]).toBe("dòng 1\ndòng 2");
    expect(parsed[4]![2]).toBe("Lâm Đồng\r\nĐà Lạt");
  });

  it("quotes per RFC 4180 and doubles quotes", () => {
    const csv = toCsv(["a", "b", "c", "d"], [["x,y", 'say "hi"', "l1\nl2", "plain"]]);
    expect(csv).toBe('\uFEFFa,b,c,d\r\n"x,y","say ""hi""","l1\nl2",plain\r\n');
  });

  it("neutralises formula injection in text but leaves numbers alone", () => {
    const csv = toCsv(["v"], [["=SUM(A1)"], ["+1"], ["-1"], ["@x"], ["\tx"], ["\rx"], [-5], [-0.25], ["a=b"], ["'quoted"]]);
    const lines = parseCsv(csv).map((r) => r[0]);
    expect(lines).toEqual(["v", "'=SUM(A1)", "'+1", "'-1", "'@x", "'\tx", "'\rx", "-5", "-0.25", "a=b", "'quoted"]);
    expect(csv).toContain("\r\n-5\r\n");
    expect(csv).toContain('\r\n"\'\rx"\r\n');
  });

  it("writes numbers as plain digits and null as empty", () => {
    const csv = toCsv(["a", "b", "c", "d", "e"], [[0, 1234567, 1e21, 1e-7, null]]);
    expect(csv.split("\r\n")[1]).toBe("0,1234567,1000000000000000000000,0.0000001,");
  });

  it("handles 30 columns", () => {
    const h = wide(30);
    const r: Cell[][] = [Array.from({ length: 30 }, (_, i) => (i % 2 ? i : `ô ${i}`))];
    const parsed = parseCsv(toCsv(h, r));
    expect(parsed).toEqual(csvExpected(h, r));
    expect(parsed[0]![26]).toBe("Cột AA");
  });
});

describe("parseCsv", () => {
  it("handles the BOM, quotes, CRLF, LF and a missing final line end", () => {
    expect(parseCsv('\uFEFFa,"b ""c""",d\r\n1,"x\r\ny",\n3,4,5')).toEqual([
      ["a", 'b "c"', "d"],
      ["1", "x\r\ny", ""],
      ["3", "4", "5"],
    ]);
  });
});

describe("columnName", () => {
  it("names columns like a spreadsheet", () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702, 16383].map(columnName)).toEqual([
      "A",
      "B",
      "Z",
      "AA",
      "AB",
      "AZ",
      "BA",
      "ZZ",
      "AAA",
      "XFD",
    ]);
  });
});

describe("toXlsx", () => {
  const sheets = [
    { name: "Xếp hạng vòng 1", header, rows, widths: [8, 30, 40, 10, 16, 20] },
    {
      name: "Đoạt giải",
      header: ["Giải", "Họ và tên"],
      rows: [
        ["Nhất", "Nguyễn Thị Ánh Tuyết"],
        ["Nhì", null],
      ] as Cell[][],
    },
  ];

  it("is a zip with the required parts", () => {
    const bytes = toXlsx(sheets);
    expect(strFromU8(bytes.slice(0, 2), true)).toBe("PK");
    const parts = Object.keys(unzipSync(bytes)).sort();
    expect(parts).toEqual(
      [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
      ].sort(),
    );
  });

  it("round-trips rows exactly, across two sheets", () => {
    const book = readXlsx(toXlsx(sheets));
    expect(book.map((s) => s.name)).toEqual(["Xếp hạng vòng 1", "Đoạt giải"]);
    expect(book[0]!.rows).toEqual([header, ...rows]);
    expect(book[1]!.rows).toEqual([
      ["Giải", "Họ và tên"],
      ["Nhất", "Nguyễn Thị Ánh Tuyết"],
      ["Nhì", null],
    ]);
    // no apostrophe in xlsx: inline strings are never formulas
    expect(book[0]!.rows[3]![1]).toBe("=SUM(A1)");
    expect(book[0]!.rows[3]![3]).toBe(-5);
    expect(book[0]!.rows[4]![2]).toBe("Lâm Đồng\r\nĐà Lạt");
  });

  it("writes inline strings, numbers as <v>, omits empty cells, bolds and freezes the header, sets widths", () => {
    const files = unzipSync(toXlsx(sheets));
    const sheet1 = strFromU8(files["xl/worksheets/sheet1.xml"]!);
    expect(sheet1).toContain('<c r="B2" t="inlineStr"><is><t xml:space="preserve">Nguyễn Thị Ánh Tuyết</t></is></c>');
    expect(sheet1).toContain('<c r="D4"><v>-5</v></c>');
    expect(sheet1).toContain('<c r="A1" s="1" t="inlineStr">');
    expect(sheet1).not.toContain('r="F2"'); // null cell omitted
    expect(sheet1).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(sheet1).toContain('<col min="2" max="2" width="30" customWidth="1"/>');
    expect(sheet1).toContain("&quot;Chuyên&quot;");
    const styles = strFromU8(files["xl/styles.xml"]!);
    expect(styles).toMatch(/<font><b\/>/);
    const types = strFromU8(files["[Content_Types].xml"]!);
    expect(types).toContain('PartName="/xl/worksheets/sheet2.xml"');
  });

  it("uses AA/AB references for 30 columns", () => {
    const h = wide(30);
    const r: Cell[][] = [Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? null : i % 2 ? i * 1.5 : `Ô ${i}`))];
    const bytes = toXlsx([{ name: "Rộng", header: h, rows: r }]);
    const xml = strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"]!);
    expect(xml).toContain('<c r="AA1" s="1" t="inlineStr"><is><t xml:space="preserve">Cột AA</t>');
    expect(xml).toContain('<c r="AB2"><v>40.5</v></c>');
    expect(xml).toContain('<c r="AA1" s="1"');
    expect(xml).not.toContain('r="AA2"'); // null
    expect(xml).not.toContain('r="AD2"'); // a trailing null: the row comes back padded from <dimension>
    expect(xml).toContain('<dimension ref="A1:AD2"/>');
    expect(readXlsx(bytes)[0]!.rows).toEqual([h, ...r]);
  });

  it("escapes XML, keeps _xHHHH_ literal and strips characters invalid in XML 1.0", () => {
    const tricky = ["a & b < c > d \"e\" 'f'", "_x0041_ stays", "bell\u0007\u0000nul\uFFFE\uD800", "emoji 🏆 ok"];
    const bytes = toXlsx([{ name: "X", header: ["t"], rows: tricky.map((t) => [t]) }]);
    const xml = strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"]!);
    expect(xml).toContain("a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
    expect(xml).toContain("_x005F_x0041_ stays");
    // eslint-disable-next-line no-control-regex -- no control character may reach the sheet
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE]/);
    expect(readXlsx(bytes)[0]!.rows.map((r) => r[0])).toEqual(["t", tricky[0], "_x0041_ stays", "bellnul", "emoji 🏆 ok"]);
  });

  it("sanitises sheet names", () => {
    expect(
      sanitizeSheetNames([
        "Kết quả [vòng 1]: A/B\\C*?",
        "Danh sách thí sinh đoạt giải vòng chung kết toàn quốc",
        "",
        "'quoted'",
        "Trùng",
        "trùng",
        "History",
      ]),
    ).toEqual(["Kết quả vòng 1 A B C", "Danh sách thí sinh đoạt giải vò", "Sheet3", "quoted", "Trùng", "trùng (2)", "History 1"]);
    const names = readXlsx(toXlsx([{ name: "a/b:c", header: ["x"], rows: [] }])).map((s) => s.name);
    expect(names).toEqual(["a b c"]);
  });

  it("refuses an empty workbook", () => {
    expect(() => toXlsx([])).toThrow(RangeError);
  });
});

describe("responses", () => {
  it("csvResponse sends UTF-8 CSV as an attachment with an ASCII fallback name", async () => {
    const res = csvResponse("xep-hang-vong-1.csv", toCsv(header, rows));
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="xep-hang-vong-1.csv"; filename*=UTF-8''xep-hang-vong-1.csv`);
    const body = new Uint8Array(await res.arrayBuffer());
    expect([...body.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(new TextDecoder().decode(body))).toEqual(csvExpected(header, rows));
  });

  it("xlsxResponse sends the workbook with a Vietnamese filename", async () => {
    const bytes = toXlsx([{ name: "Kết quả", header, rows }]);
    const res = xlsxResponse("Kết quả vòng 1.xlsx", bytes);
    expect(res.headers.get("Content-Type")).toBe(XLSX_CONTENT_TYPE);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="Ket qua vong 1.xlsx"; filename*=UTF-8''K%E1%BA%BFt%20qu%E1%BA%A3%20v%C3%B2ng%201.xlsx`,
    );
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body).toEqual(bytes);
    expect(readXlsx(body)[0]!.rows).toEqual([header, ...rows]);
  });

  it("contentDisposition handles đ, quotes, slashes and non-Latin names", () => {
    expect(contentDisposition('Đoàn đội "A" 100%.csv')).toBe(
      `attachment; filename="Doan doi _A_ 100_.csv"; filename*=UTF-8''%C4%90o%C3%A0n%20%C4%91%E1%BB%99i%20%22A%22%20100%25.csv`,
    );
    expect(contentDisposition("../bad\r\nname(1)*.csv")).toBe(
      `attachment; filename=".._badname(1)*.csv"; filename*=UTF-8''.._badname%281%29%2A.csv`,
    );
    const decoded = decodeURIComponent(contentDisposition("Kết quả vòng 1.xlsx").split("UTF-8''")[1]!);
    expect(decoded).toBe("Kết quả vòng 1.xlsx");
  });
});
