import { describe, expect, it } from "vitest";
import { parseBank, type Bank } from "~/domain/content/bank";
import type { ContentError } from "~/domain/content/errors";
import { lineOf } from "../helpers/text";

const FILE = "content/banks/mau.md";

/** The 1-based line of the first line of `text` equal to `exact` (after trimming the right side). */
const FRONT = ["---", "id: mau", "title: Bộ câu hỏi mẫu", "---", ""];

/** A bank file: the usual front matter, then the given body lines. */
function bank(...body: string[]): string {
  return [...FRONT, ...body].join("\n");
}

/** A good question, to put beside a broken one. */
const GOOD_QUESTION = ["## tot-001", "", "Câu hỏi tốt?", "", "- [x] Có", "- [ ] Không", ""];

function parseErrors(text: string): ContentError[] {
  const result = parseBank(FILE, text);
  expect(result.bank).toBeNull();
  return result.errors;
}

/** Exactly one error, on `line`, whose message contains `fragment`. */
function expectOnlyError(text: string, line: number, fragment: string) {
  const errors = parseErrors(text);
  expect(errors).toEqual([{ file: FILE, line, message: expect.stringContaining(fragment) }]);
}

const VALID = [
  "---",
  "id: chuyen-doi-so",
  "title: Chuyển đổi số trong đời sống",
  "topic: Chuyển đổi số",
  "source: Các bài viết về Ngày Chuyển đổi số",
  "---",
  "",
  "# Giới thiệu",
  "",
  "Bộ câu hỏi tìm hiểu về chuyển đổi số,",
  "viết trên hai dòng.",
  "",
  "## cds-001",
  "",
  "Tổ công nghệ số cộng đồng",
  "được thành lập ở cấp nào?",
  "",
  "- [ ] Cấp tỉnh",
  "- [ ] Cấp huyện",
  "- [x] Cấp xã, thôn, tổ dân phố",
  "- [ ] Tất cả các đáp án trên {cố định}",
  "",
  "Giải thích: Tổ công nghệ số cộng đồng được thành lập tại thôn, tổ dân phố,",
  "do UBND cấp xã quyết định.",
  "Nguồn: 003_d9b3302642c045f9.txt",
  "Điểm: 5",
  "",
  "## cds-002",
  "",
  "Những kỹ năng nào thuộc 5 kỹ năng số cơ bản?",
  "",
  "- [X] Sử dụng dịch vụ công trực tuyến",
  "* [x] Thanh toán trực tuyến",
  "- [ ] Lập trình phần mềm",
  "",
  "Nhiều đáp án: có",
  "",
].join("\n");

describe("parseBank: a valid bank", () => {
  it("parses the front matter, the introduction and every field of every question", () => {
    const { bank: parsed, errors } = parseBank(FILE, VALID);
    expect(errors).toEqual([]);
    const expected: Bank = {
      file: FILE,
      sourceMarkdown: VALID,
      id: "chuyen-doi-so",
      idLine: 2,
      title: "Chuyển đổi số trong đời sống",
      topic: "Chuyển đổi số",
      source: "Các bài viết về Ngày Chuyển đổi số",
      description: "# Giới thiệu\n\nBộ câu hỏi tìm hiểu về chuyển đổi số,\nviết trên hai dòng.",
      questions: [
        {
          key: "cds-001",
          line: 13,
          stem: "Tổ công nghệ số cộng đồng\nđược thành lập ở cấp nào?",
          options: [
            { text: "Cấp tỉnh", isCorrect: false, pinned: false, line: 18 },
            { text: "Cấp huyện", isCorrect: false, pinned: false, line: 19 },
            { text: "Cấp xã, thôn, tổ dân phố", isCorrect: true, pinned: false, line: 20 },
            { text: "Tất cả các đáp án trên", isCorrect: false, pinned: true, line: 21 },
          ],
          explanation: "Tổ công nghệ số cộng đồng được thành lập tại thôn, tổ dân phố,\ndo UBND cấp xã quyết định.",
          source: "003_d9b3302642c045f9.txt",
          points: 5,
          multipleAnswers: false,
        },
        {
          key: "cds-002",
          line: 28,
          stem: "Những kỹ năng nào thuộc 5 kỹ năng số cơ bản?",
          options: [
            { text: "Sử dụng dịch vụ công trực tuyến", isCorrect: true, pinned: false, line: 32 },
            { text: "Thanh toán trực tuyến", isCorrect: true, pinned: false, line: 33 },
            { text: "Lập trình phần mềm", isCorrect: false, pinned: false, line: 34 },
          ],
          explanation: null,
          source: null,
          points: 1,
          multipleAnswers: true,
        },
      ],
    };
    expect(parsed).toEqual(expected);
  });

  it("leaves optional front matter and details out when absent", () => {
    const { bank: parsed, errors } = parseBank(FILE, bank(...GOOD_QUESTION));
    expect(errors).toEqual([]);
    expect(parsed).toMatchObject({ id: "mau", topic: null, source: null, description: null });
    expect(parsed!.questions[0]).toMatchObject({ explanation: null, source: null, points: 1, multipleAnswers: false });
  });

  it("accepts `Nhiều đáp án: không` on a question with one correct option", () => {
    const { bank: parsed, errors } = parseBank(FILE, bank("## q-1", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", "Nhiều đáp án: không"));
    expect(errors).toEqual([]);
    expect(parsed!.questions[0]!.multipleAnswers).toBe(false);
  });

  it("reads a BOM, Windows line ends and decomposed Vietnamese letters as the same bank", () => {
    const clean = parseBank(FILE, VALID);
    const nfd = VALID.normalize("NFD");
    expect(nfd).not.toBe(VALID); // the fixture does contain composed letters
    const messy = `\uFEFF${nfd.replace(/\n/g, "\r\n")}`;
    expect(parseBank(FILE, messy)).toEqual(clean);
    expect(parseBank(FILE, nfd)).toEqual(clean);
    expect(parseBank(FILE, VALID.replace(/\n/g, "\r\n"))).toEqual(clean);
    expect(parseBank(FILE, `\uFEFF${VALID}`)).toEqual(clean);
  });
});

describe("parseBank: front matter errors", () => {
  it("a file not starting with --- ", () => {
    expectOnlyError(["id: mau", "title: Mẫu", "", ...GOOD_QUESTION].join("\n"), 1, "tệp phải bắt đầu bằng dòng `---`");
  });

  it("front matter that is never closed", () => {
    expectOnlyError(["---", "id: mau", "title: Mẫu", "", ...GOOD_QUESTION].join("\n"), 1, "không có dòng `---` đóng lại");
  });

  it("a YAML syntax error, on its line", () => {
    const text = ["---", "id: mau", "title: Mẫu", "topic: Chuyển đổi số: đời sống", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 4, "giá trị của `topic` có dấu hai chấm — đặt giá trị trong dấu ngoặc kép");
  });

  it("a tab used as indentation, on its line", () => {
    const text = ["---", "id: mau", "title: Mẫu", "\ttopic: Thử", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 4, "dòng này thụt lề bằng phím tab");
  });

  it("a key written twice, on the second one", () => {
    const text = ["---", "id: mau", "title: Mẫu", "id: mau-khac", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 4, "khóa `id` được ghi hai lần");
  });

  it("an unknown key, listing the keys that exist", () => {
    const text = ["---", "id: mau", "title: Mẫu", "chude: Chuyển đổi số", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 4, "khóa `chude` không được hỗ trợ — các khóa dùng được: `id`, `title`, `topic`, `source`.");
  });

  it("a missing id", () => {
    const text = ["---", "title: Mẫu", "topic: Thử", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 2, "thiếu khóa `id` — thêm dòng `id: chuyen-doi-so`");
  });

  it("a missing title", () => {
    const text = ["---", "id: mau", "topic: Thử", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 2, "thiếu khóa `title`");
  });

  it("an empty title", () => {
    const text = ["---", "id: mau", "title: ' '", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 3, "`title` không được để trống");
  });

  it("a bank id that is not lower-case ascii", () => {
    const text = ["---", "title: Mẫu", "id: Chuyển Đổi Số", "---", "", ...GOOD_QUESTION].join("\n");
    expectOnlyError(text, 3, "mã bộ câu hỏi `Chuyển Đổi Số` không hợp lệ");
  });
});

describe("parseBank: question errors", () => {
  it("a bad question id", () => {
    const text = bank(...GOOD_QUESTION, "## Câu 2", "", "Hỏi?", "", "- [x] A", "- [ ] B");
    expectOnlyError(text, lineOf(text, "## Câu 2"), "mã câu hỏi `Câu 2` không hợp lệ");
  });

  it("a question id longer than 40 characters", () => {
    const id = `q-${"a".repeat(40)}`;
    const text = bank(`## ${id}`, "", "Hỏi?", "", "- [x] A", "- [ ] B");
    expectOnlyError(text, 6, `mã câu hỏi \`${id}\` không hợp lệ`);
  });

  it("a duplicate question id, naming the first one's line", () => {
    const text = bank(...GOOD_QUESTION, "## tot-001", "", "Hỏi lại?", "", "- [x] A", "- [ ] B");
    expectOnlyError(text, lineOf(text, "## tot-001", 2), "mã câu hỏi `tot-001` đã dùng ở dòng 6");
  });

  it("a heading of another level inside a question", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "### Phần phụ", "Hỏi?", "", "- [x] A", "- [ ] B");
    expectOnlyError(text, lineOf(text, "### Phần phụ"), "tiêu đề này không phải câu hỏi");
  });

  it("an empty stem, on the heading", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "- [x] A", "- [ ] B");
    expectOnlyError(text, lineOf(text, "## q-2"), "câu `q-2` chưa có nội dung câu hỏi");
  });

  it("no options", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi mà không có lựa chọn?", "");
    expectOnlyError(text, lineOf(text, "## q-2"), "câu `q-2` chưa có lựa chọn nào");
  });

  it("a single option", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] Chỉ một");
    expectOnlyError(text, lineOf(text, "## q-2"), "câu `q-2` chỉ có 1 lựa chọn — cần từ 2 đến 8 lựa chọn");
  });

  it("eight options are fine, nine are too many", () => {
    const eight = ["- [x] L1", ...[2, 3, 4, 5, 6, 7, 8].map((i) => `- [ ] L${i}`)];
    const ok = parseBank(FILE, bank("## q-8", "", "Hỏi?", "", ...eight));
    expect(ok.errors).toEqual([]);
    expect(ok.bank!.questions[0]!.options).toHaveLength(8);

    const text = bank(...GOOD_QUESTION, "## q-9", "", "Hỏi?", "", ...eight, "- [ ] L9");
    expectOnlyError(text, lineOf(text, "## q-9"), "câu `q-9` có 9 lựa chọn — tối đa 8; hãy bỏ bớt 1 lựa chọn");
  });

  it("no correct option", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [ ] A", "- [ ] B");
    expectOnlyError(text, lineOf(text, "## q-2"), "câu `q-2` chưa có đáp án đúng");
  });

  it("two [x] without `Nhiều đáp án: có`", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [x] B", "- [ ] C");
    expectOnlyError(text, lineOf(text, "## q-2"), "câu `q-2` có 2 đáp án đúng (`[x]`)");
  });

  it("two [x] with `Nhiều đáp án: không`", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [x] B", "- [ ] C", "", "Nhiều đáp án: không");
    expectOnlyError(text, lineOf(text, "## q-2"), "câu `q-2` có 2 đáp án đúng (`[x]`)");
  });

  it("an empty option", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ]", "- [ ] B");
    expectOnlyError(text, lineOf(text, "- [ ]"), "lựa chọn để trống");
  });

  it("an option that is only the pinned mark is empty too", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "- [ ] {cố định}");
    expectOnlyError(text, lineOf(text, "- [ ] {cố định}"), "lựa chọn để trống");
  });

  it("duplicate options, ignoring case and spacing", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] Thành phố Đà Lạt", "- [ ] thành  phố ĐÀ LẠT");
    const first = lineOf(text, "- [x] Thành phố Đà Lạt");
    expectOnlyError(text, first + 1, `lựa chọn này trùng với lựa chọn ở dòng ${first}`);
  });

  it("a malformed checkbox `- []`", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [] B", "- [ ] C");
    expectOnlyError(text, lineOf(text, "- [] B"), "ô đánh dấu viết sai");
  });

  it("a bullet without a checkbox among the options", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- B", "- [ ] C");
    expectOnlyError(text, lineOf(text, "- B"), "dòng này giống một lựa chọn nhưng thiếu ô đánh dấu");
  });

  it("stray text after the options", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", "Ghi chú thêm");
    expectOnlyError(text, lineOf(text, "Ghi chú thêm"), "dòng này đứng sau các lựa chọn nhưng không bắt đầu bằng");
  });

  it("stray text after a blank line ending an explanation", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", "Giải thích: vì A.", "", "Đoạn lạc");
    expectOnlyError(text, lineOf(text, "Đoạn lạc"), "dòng này đứng sau các lựa chọn");
  });

  it("an option after the details", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", "Nguồn: x.txt", "- [ ] C");
    expectOnlyError(text, lineOf(text, "- [ ] C"), "lựa chọn phải đứng trước các dòng `Giải thích:`");
  });

  it("a detail written twice", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", "Nguồn: a.txt", "Nguồn: b.txt");
    const first = lineOf(text, "Nguồn: a.txt");
    expectOnlyError(text, first + 1, `\`Nguồn:\` đã có ở dòng ${first}`);
  });

  it("an empty explanation", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", "Giải thích:", "", "Điểm: 2");
    expectOnlyError(text, lineOf(text, "Giải thích:"), "`Giải thích:` để trống");
  });

  it.each(["0", "101", "hai", "1.5", "-3"])("bad points `Điểm: %s`", (value) => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", `Điểm: ${value}`);
    expectOnlyError(text, lineOf(text, `Điểm: ${value}`), `\`Điểm: ${value}\` không hợp lệ — điểm là số nguyên từ 1 đến 100`);
  });

  it.each(["1", "100"])("points at the bounds `Điểm: %s` are accepted", (value) => {
    const { bank: parsed, errors } = parseBank(FILE, bank("## q-2", "", "Hỏi?", "", "- [x] A", "- [ ] B", "", `Điểm: ${value}`));
    expect(errors).toEqual([]);
    expect(parsed!.questions[0]!.points).toBe(Number(value));
  });

  it("a bad `Nhiều đáp án:` value", () => {
    const text = bank(...GOOD_QUESTION, "## q-2", "", "Hỏi?", "", "- [x] A", "- [x] B", "", "Nhiều đáp án: vâng");
    expectOnlyError(text, lineOf(text, "Nhiều đáp án: vâng"), "`Nhiều đáp án: vâng` không hợp lệ");
  });

  it("a bank with no questions, at the end of its front matter", () => {
    const text = [...FRONT, "Chỉ có giới thiệu.", ""].join("\n");
    expectOnlyError(text, 4, "bộ câu hỏi chưa có câu hỏi nào");
  });

  it("an option before the first question", () => {
    const text = bank("Giới thiệu", "- [x] lạc chỗ", "", ...GOOD_QUESTION);
    expectOnlyError(text, lineOf(text, "- [x] lạc chỗ"), "dòng này nằm ngoài câu hỏi");
  });
});

describe("parseBank: every error at once", () => {
  it("reports all five planted mistakes with their lines, in order", () => {
    const text = [
      "---",
      "id: mau",
      "title: Mẫu",
      "mota: không có khóa này", // 4: unknown key
      "---",
      "",
      "## q-1",
      "",
      "Hỏi một?",
      "",
      "- [x] A",
      "- [] B", // 12: malformed checkbox
      "- [ ] C",
      "",
      "## q-2",
      "",
      "Hỏi hai?",
      "",
      "- [ ] A",
      "- [ ] B",
      "",
      "Điểm: không", // 22: bad points; 15: no correct option
      "",
      "## q-1", // 24: duplicate id
      "",
      "Hỏi ba?",
      "",
      "- [x] A",
      "- [ ] B",
      "",
    ].join("\n");
    const errors = parseErrors(text);
    expect([...errors].sort((a, b) => a.line - b.line)).toEqual([
      { file: FILE, line: 4, message: expect.stringContaining("khóa `mota` không được hỗ trợ") },
      { file: FILE, line: 12, message: expect.stringContaining("ô đánh dấu viết sai") },
      { file: FILE, line: 15, message: expect.stringContaining("câu `q-2` chưa có đáp án đúng") },
      { file: FILE, line: 22, message: expect.stringContaining("`Điểm: không` không hợp lệ") },
      { file: FILE, line: 24, message: expect.stringContaining("mã câu hỏi `q-1` đã dùng ở dòng 7") },
    ]);
  });
});

describe("parseBank: details written before the options", () => {
  it("is an error on that line, not part of the question", () => {
    const text = bank("## q-001", "", "Câu hỏi?", "Giải thích: viết nhầm chỗ", "", "- [x] Có", "- [ ] Không");
    expectOnlyError(text, lineOf(text, "Giải thích: viết nhầm chỗ"), "`Giải thích:` đứng trước các lựa chọn");
  });
});
