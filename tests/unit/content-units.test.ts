import { describe, expect, it } from "vitest";
import type { ContentError } from "~/domain/content/errors";
import { parseUnits, type Units } from "~/domain/content/units";
import { lineOf } from "../helpers/text";

const FILE = "content/units.md";

const DISTRICT_HEAD = ["## Huyện, thành phố", "", "| Mã | Tên |", "| --- | --- |"];
const BRANCH_HEAD = ["## Công đoàn cơ sở", "", "| Mã | Tên | Huyện, thành phố |", "| --- | --- | --- |"];

function units(districtRows: string[], branchRows: string[]): string {
  return ["# Đơn vị tham gia", "", "Giới thiệu.", "", ...DISTRICT_HEAD, ...districtRows, "", ...BRANCH_HEAD, ...branchRows, ""].join("\n");
}

const DISTRICTS = ["| da-lat | Thành phố Đà Lạt |", "| don-duong | Huyện Đơn Dương |"];
const BRANCHES = [
  "| dl-so-tttt | Công đoàn Sở Thông tin và Truyền thông | da-lat |",
  "| dd-ubnd | Công đoàn cơ quan UBND huyện Đơn Dương | don-duong |",
];

function parseErrors(text: string): ContentError[] {
  const result = parseUnits(FILE, text);
  expect(result.units).toBeNull();
  return result.errors;
}

function expectOnlyError(text: string, line: number, fragment: string) {
  expect(parseErrors(text)).toEqual([{ file: FILE, line, message: expect.stringContaining(fragment) }]);
}

describe("parseUnits", () => {
  it("parses districts and branches with their lines", () => {
    const text = units(DISTRICTS, BRANCHES);
    const { units: parsed, errors } = parseUnits(FILE, text);
    expect(errors).toEqual([]);
    const expected: Units = {
      file: FILE,
      districts: [
        { id: "da-lat", name: "Thành phố Đà Lạt", line: 9 },
        { id: "don-duong", name: "Huyện Đơn Dương", line: 10 },
      ],
      branches: [
        { id: "dl-so-tttt", name: "Công đoàn Sở Thông tin và Truyền thông", districtId: "da-lat", line: 16 },
        { id: "dd-ubnd", name: "Công đoàn cơ quan UBND huyện Đơn Dương", districtId: "don-duong", line: 17 },
      ],
    };
    expect(parsed).toEqual(expected);
  });

  it("accepts rows without outer pipes, aligned separators, CRLF and decomposed letters", () => {
    const text = [
      "## Huyện, thành phố",
      "Mã | Tên",
      ":---|---:",
      "da-lat | Thành phố Đà Lạt",
      "| bao-loc | Thành phố Bảo Lộc |",
      "",
      "## Công đoàn cơ sở",
      "| Mã | Tên | Huyện, thành phố |",
      "| :--- | :---: | --- |",
      "dl-ubnd | Công đoàn cơ quan UBND thành phố Đà Lạt | da-lat",
      "| bl-ubnd | Công đoàn cơ quan UBND thành phố Bảo Lộc | bao-loc |",
    ].join("\r\n");
    const { units: parsed, errors } = parseUnits(FILE, text.normalize("NFD"));
    expect(errors).toEqual([]);
    expect(parsed!.districts).toEqual([
      { id: "da-lat", name: "Thành phố Đà Lạt", line: 4 },
      { id: "bao-loc", name: "Thành phố Bảo Lộc", line: 5 },
    ]);
    expect(parsed!.branches).toEqual([
      { id: "dl-ubnd", name: "Công đoàn cơ quan UBND thành phố Đà Lạt", districtId: "da-lat", line: 10 },
      { id: "bl-ubnd", name: "Công đoàn cơ quan UBND thành phố Bảo Lộc", districtId: "bao-loc", line: 11 },
    ]);
  });

  it("ignores text without pipes around the tables", () => {
    const text = units(DISTRICTS, BRANCHES)
      .replace("| --- | --- | --- |", "| --- | --- | --- |\n")
      .replace("## Công đoàn cơ sở", "## Công đoàn cơ sở\n\nDanh sách công đoàn cơ sở, mỗi dòng một đơn vị.");
    const { units: parsed, errors } = parseUnits(FILE, text);
    expect(errors).toEqual([]);
    expect(parsed!.branches.map((b) => b.id)).toEqual(["dl-so-tttt", "dd-ubnd"]);
  });

  it("a table without its header row: the first unit is not silently taken for a header", () => {
    const text = units(DISTRICTS, BRANCHES).replace("| Mã | Tên |\n| --- | --- |\n", "");
    expectOnlyError(text, lineOf(text, DISTRICTS[0]!), "bảng thiếu dòng tiêu đề");
  });

  it("a branch in a district that does not exist", () => {
    const text = units(DISTRICTS, [...BRANCHES, "| lh-ubnd | Công đoàn cơ quan UBND huyện Lâm Hà | lam-ha |"]);
    expectOnlyError(
      text,
      lineOf(text, "| lh-ubnd | Công đoàn cơ quan UBND huyện Lâm Hà | lam-ha |"),
      "công đoàn cơ sở thuộc huyện, thành phố mã `lam-ha`, nhưng mã này không có trong bảng `## Huyện, thành phố`",
    );
  });

  it("a duplicate district id, naming the first line", () => {
    const text = units([...DISTRICTS, "| da-lat | Đà Lạt lần hai |"], BRANCHES);
    expectOnlyError(
      text,
      lineOf(text, "| da-lat | Đà Lạt lần hai |"),
      `mã huyện, thành phố \`da-lat\` đã dùng ở dòng ${lineOf(text, DISTRICTS[0]!)}`,
    );
  });

  it("a duplicate branch id, naming the first line", () => {
    const text = units(DISTRICTS, [...BRANCHES, "| dd-ubnd | Trùng mã | don-duong |"]);
    expectOnlyError(
      text,
      lineOf(text, "| dd-ubnd | Trùng mã | don-duong |"),
      `mã công đoàn cơ sở \`dd-ubnd\` đã dùng ở dòng ${lineOf(text, BRANCHES[1]!)}`,
    );
  });

  it("a bad id", () => {
    const text = units([...DISTRICTS, "| Lâm Hà | Huyện Lâm Hà |"], BRANCHES);
    expectOnlyError(text, lineOf(text, "| Lâm Hà | Huyện Lâm Hà |"), "mã huyện, thành phố `Lâm Hà` không hợp lệ");
  });

  it("a row with the wrong number of columns", () => {
    const text = units(DISTRICTS, [...BRANCHES, "| dd-ttyt | Trung tâm Y tế |"]);
    expectOnlyError(text, lineOf(text, "| dd-ttyt | Trung tâm Y tế |"), "dòng bảng có 2 cột, cần 3 cột");
  });

  it("an empty name", () => {
    const text = units([...DISTRICTS, "| lam-ha |  |"], BRANCHES);
    expectOnlyError(text, lineOf(text, "| lam-ha |  |"), "tên đơn vị để trống");
  });

  it("a missing section", () => {
    const text = ["## Huyện, thành phố", "", "| Mã | Tên |", "| --- | --- |", ...DISTRICTS, ""].join("\n");
    expectOnlyError(text, 1, "thiếu phần `## Công đoàn cơ sở`");
  });

  it("an empty file lacks both sections", () => {
    expect(parseErrors("")).toEqual([
      { file: FILE, line: 1, message: expect.stringContaining("thiếu phần `## Huyện, thành phố`") },
      { file: FILE, line: 1, message: expect.stringContaining("thiếu phần `## Công đoàn cơ sở`") },
    ]);
  });

  it("an unknown section", () => {
    const text = units(DISTRICTS, BRANCHES) + "\n## Ghi chú\n\nKhông có bảng.\n";
    expectOnlyError(text, lineOf(text, "## Ghi chú"), "phần `Ghi chú` không được hỗ trợ");
  });

  it("a table outside any section", () => {
    const text = ["| Mã | Tên |", "| --- | --- |", ...units(DISTRICTS, BRANCHES).split("\n")].join("\n");
    const errors = parseErrors(text);
    expect(errors).toEqual([
      { file: FILE, line: 1, message: expect.stringContaining("dòng bảng nằm ngoài phần nào") },
      { file: FILE, line: 2, message: expect.stringContaining("dòng bảng nằm ngoài phần nào") },
    ]);
  });

  it("section titles are matched ignoring case and spacing", () => {
    const text = units(DISTRICTS, BRANCHES).replace("## Huyện, thành phố", "##  HUYỆN,  Thành Phố ");
    expect(parseUnits(FILE, text).errors).toEqual([]);
  });
});
