/** Reading an organizer's unit list: headers by meaning, generated codes, separators, merged cells. */
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { detectDelimiter, readUnitFile, xlsxRows } from "~/.server/unit-import.server";
import {
  buildUnitList,
  districtKey,
  foldVietnamese,
  generateCode,
  headerColumn,
  planUnitImport,
  readUnitSheet,
  slugify,
} from "~/domain/unit-list";
import { unitListMessages as m } from "~/i18n/units.vi";

describe("headers are found by their meaning", () => {
  it.each([
    ["STT", "stt"],
    ["Số TT", "stt"],
    ["Tên huyện", "districtName"],
    ["Huyện/Thành phố", "districtName"],
    ["  HUYỆN,  THÀNH PHỐ ", "districtName"],
    ["Quận/Huyện", "districtName"],
    ["Ten huyen", "districtName"],
    ["Tên công đoàn cơ sở", "branchName"],
    ["Công đoàn cơ sở", "branchName"],
    ["Tên CĐCS", "branchName"],
    ["Mã huyện", "districtCode"],
    ["Mã CĐCS", "branchCode"],
    ["Mã công đoàn cơ sở", "branchCode"],
    ["Tên quận, huyện", "districtName"],
    ["Mã số CĐCS", "branchCode"],
    ["Tên đơn vị công đoàn cơ sở", "branchName"],
    ["Ghi chú", null],
    ["Công đoàn UBND huyện Lâm Hà", null],
    ["Huyện Lâm Hà", null],
    ["Số đoàn viên", null],
  ])("%s → %s", (header, column) => {
    expect(headerColumn(header)).toBe(column);
  });
});

describe("names and codes", () => {
  it("folding ignores case, diacritics (composed or not) and spacing", () => {
    expect(foldVietnamese("  Nguyễn   VĂN\u00a0An ")).toBe("nguyen van an");
    expect(foldVietnamese("Nguye\u0302\u0303n Đà LẠT")).toBe("nguyen da lat");
    expect(foldVietnamese("Ủy ban nhân dân xã Đạ Tẻh")).toBe("uy ban nhan dan xa da teh");
    expect(foldVietnamese("x".repeat(5000) + " Ă")).toBe("x".repeat(5000) + " a");
  });

  it("district names match across TP./Thành phố/Huyện and without diacritics", () => {
    expect(districtKey("TP. Đà Lạt")).toBe("da lat");
    expect(districtKey("Thành phố  Đà Lạt")).toBe("da lat");
    expect(districtKey("thanh pho da lat")).toBe("da lat");
    expect(districtKey("Huyện Đức Trọng")).toBe("duc trong");
  });

  it("a generated code is the slug without the common first words, and depends only on the unit when taken", () => {
    expect(slugify("Công đoàn Sở Y tế")).toBe("cong-doan-so-y-te");
    expect(generateCode("branch", "Công đoàn Sở Y tế", "da-lat", () => false)).toBe("so-y-te");
    expect(generateCode("district", "Thành phố Bảo Lộc", "", () => false)).toBe("bao-loc");
    const taken = new Set(["truong-thcs-nguyen-du"]);
    const a = generateCode("branch", "Công đoàn Trường THCS Nguyễn Du", "lam-ha", (c) => taken.has(c));
    const b = generateCode("branch", "Công đoàn Trường THCS Nguyễn Du", "di-linh", (c) => taken.has(c));
    expect(a).toMatch(/^truong-thcs-nguyen-du-[0-9a-z]{6}$/);
    expect(b).not.toBe(a);
    // The same unit gets the same code whatever else was generated before it.
    expect(generateCode("branch", "Công đoàn Trường THCS Nguyễn Du", "lam-ha", (c) => taken.has(c) || c === b)).toBe(a);
    expect(
      generateCode("branch", "Công đoàn cơ quan Ủy ban nhân dân huyện Đạ Huoai tỉnh Lâm Đồng", "x", () => false).length,
    ).toBeLessThanOrEqual(40);
  });
});

describe("reading a sheet", () => {
  const sheet = (rows: string[][]) => rows.map((cells, i) => ({ line: i + 1, cells }));

  it("skips title rows, STT and empty rows; a row with only STT is not a unit", () => {
    const reading = readUnitSheet(
      sheet([
        ["DANH SÁCH CÔNG ĐOÀN CƠ SỞ", "", ""],
        ["STT", "Tên huyện", "Tên công đoàn cơ sở"],
        ["1", "Huyện Lâm Hà", "Công đoàn A"],
        ["2", "", ""],
        ["", "", ""],
        ["3", "Huyện Lâm Hà", "Công đoàn B"],
      ]),
    );
    expect(reading.errors).toEqual([]);
    expect(reading.rows.map((r) => [r.line, r.branchName])).toEqual([
      [3, "Công đoàn A"],
      [6, "Công đoàn B"],
    ]);
  });

  it("a district code given on one row counts for the district's other rows; two names for one code is an error", () => {
    const { list } = buildUnitList(
      readUnitSheet(
        sheet([
          ["Mã huyện", "Tên huyện", "Tên CĐCS"],
          ["", "Huyện Lâm Hà", "A"],
          ["lh", "Huyện Lâm Hà", "B"],
        ]),
      ).rows,
    );
    expect(list!.districts).toEqual([{ code: "lh", name: "Huyện Lâm Hà", key: "lam ha", line: 2 }]);
    const { errors } = buildUnitList(
      readUnitSheet(
        sheet([
          ["Mã huyện", "Tên huyện", "Tên CĐCS"],
          ["lh", "Huyện Lâm Hà", "A"],
          ["lh", "Huyện Di Linh", "B"],
        ]),
      ).rows,
    );
    expect(errors).toEqual([{ line: 3, message: m.districtCodeTwoNames("lh", "Huyện Lâm Hà", 2) }]);
  });

  it("without a code nothing is renamed: a district written differently keeps its stored name", () => {
    const { list } = buildUnitList(
      readUnitSheet(
        sheet([
          ["Huyện", "CĐCS"],
          ["TP Đà Lạt", "Công đoàn Sở Y tế"],
        ]),
      ).rows,
    );
    const { plan } = planUnitImport(list!, {
      districts: [{ id: "da-lat", name: "Thành phố Đà Lạt" }],
      branches: [{ id: "dl-y-te", name: "Công đoàn  sở Y tế", districtId: "da-lat", mergedIntoId: null, members: 4 }],
    });
    expect(plan!.districts).toEqual({ added: [], renamed: [], unchanged: 1, missing: [] });
    expect(plan!.branches).toMatchObject({ added: [], renamed: [], moved: [], unchanged: 1, missing: [] });
  });

  it("a code cannot rename a unit to the name of another one", () => {
    const now = {
      districts: [
        { id: "da-lat", name: "Thành phố Đà Lạt" },
        { id: "bao-loc", name: "Thành phố Bảo Lộc" },
      ],
      branches: [
        { id: "a", name: "Công đoàn A", districtId: "da-lat", mergedIntoId: null, members: 0 },
        { id: "b", name: "Công đoàn B", districtId: "da-lat", mergedIntoId: null, members: 0 },
      ],
    };
    const rows = [
      ["Mã huyện", "Tên huyện", "Mã CĐCS", "Tên CĐCS"],
      ["da-lat", "TP Bảo Lộc", "", ""],
    ];
    const { list } = buildUnitList(readUnitSheet(sheet(rows)).rows);
    expect(planUnitImport(list!, now).errors).toEqual([{ line: 2, message: m.districtExistsWithCode("Thành phố Bảo Lộc", "bao-loc") }]);
    const branchRows = [
      ["Mã huyện", "Tên huyện", "Mã CĐCS", "Tên CĐCS"],
      ["da-lat", "Thành phố Đà Lạt", "a", "Công đoàn B"],
    ];
    const { list: branchList } = buildUnitList(readUnitSheet(sheet(branchRows)).rows);
    expect(planUnitImport(branchList!, now).errors).toEqual([{ line: 2, message: m.branchExistsWithCode("Công đoàn B", "b") }]);
  });

  it("separators: semicolon, comma, tab, ignoring those inside quotes", () => {
    expect(detectDelimiter('STT;Tên huyện;"Tên, CĐCS"\n1,2,3,4')).toBe(";");
    expect(detectDelimiter('Tên huyện,"Tên; CĐCS"\n')).toBe(",");
    expect(detectDelimiter("Tên huyện\tTên CĐCS\n")).toBe("\t");
  });

  it("a CSV line error names its line", () => {
    const result = readUnitFile("x.csv", strToU8('Tên huyện;Tên CĐCS\nLâm Hà;"Công đoàn A\n'));
    expect(result).toEqual({ ok: false, errors: [{ line: expect.any(Number), message: m.unclosedQuote }] });
  });
});

describe(".xlsx as spreadsheets write it", () => {
  /** A workbook with shared strings and a district cell merged down beside its branches. */
  function workbook(): Uint8Array {
    const strings = [
      "Danh sách năm 2025",
      "STT",
      "Huyện/Thành phố",
      "Công đoàn cơ sở",
      "Huyện Lâm Hà",
      "Công đoàn A &amp; B",
      "Công đoàn C",
    ];
    const s = (r: string, i: number) => `<c r="${r}" t="s"><v>${i}</v></c>`;
    const sheetXml =
      `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
      `<row r="1">${s("A1", 0)}</row>` +
      `<row r="3">${s("A3", 1)}${s("B3", 2)}${s("C3", 3)}</row>` +
      `<row r="4"><c r="A4"><v>1</v></c>${s("B4", 4)}${s("C4", 5)}</row>` +
      `<row r="5"><c r="A5"><v>2</v></c><c r="C5" t="inlineStr"><is><t>Công đoàn C</t></is></c></row>` +
      `</sheetData><mergeCells count="1"><mergeCell ref="B4:B5"/></mergeCells></worksheet>`;
    return zipSync({
      "[Content_Types].xml": strToU8("<Types/>"),
      "xl/workbook.xml": strToU8(`<workbook xmlns:r="r"><sheets><sheet name="DS" sheetId="1" r:id="rId7"/></sheets></workbook>`),
      "xl/_rels/workbook.xml.rels": strToU8(
        `<Relationships><Relationship Id="rId7" Type="x" Target="worksheets/sheet1.xml"/></Relationships>`,
      ),
      "xl/sharedStrings.xml": strToU8(`<sst>${strings.map((t) => `<si><t>${t}</t></si>`).join("")}</sst>`),
      "xl/worksheets/sheet1.xml": strToU8(sheetXml),
    });
  }

  it("reads shared strings, numbers and inline strings by row number; a merged cell covers its range", () => {
    const read = xlsxRows(workbook());
    expect(read).toEqual({
      rows: [
        { line: 1, cells: ["Danh sách năm 2025"] },
        { line: 3, cells: ["STT", "Huyện/Thành phố", "Công đoàn cơ sở"] },
        { line: 4, cells: ["1", "Huyện Lâm Hà", "Công đoàn A & B"] },
        { line: 5, cells: ["2", "Huyện Lâm Hà", "Công đoàn C"] },
      ],
    });
    const file = readUnitFile("ds.xlsx", workbook());
    expect(file.ok && file.rows.map((r) => [r.line, r.districtName, r.branchName])).toEqual([
      [4, "Huyện Lâm Hà", "Công đoàn A & B"],
      [5, "Huyện Lâm Hà", "Công đoàn C"],
    ]);
  });

  it("a damaged file is one clear error", () => {
    expect(readUnitFile("x.xlsx", new Uint8Array([0x50, 0x4b, 1, 2, 3]))).toEqual({ ok: false, errors: [{ line: 1, message: m.badXlsx }] });
  });
});
