/**
 * Authoring you can trust (issue 10): each mistake an organizer makes is a fixture, and the test
 * asserts the message and the line — warnings that do not block, errors that no longer hide each
 * other, and the lint across banks.
 */
import { describe, expect, it } from "vitest";
import { MAX_OPTION_LENGTH, MAX_STEM_LENGTH, parseBank, type Bank } from "~/domain/content/bank";
import { lintBanks, type LintRound } from "~/domain/content/lint";
import { parseContentSet, type ContentFile } from "~/domain/content/validate";
import { lineOf } from "../helpers/text";

const FILE = "content/banks/mau.md";

/** The 1-based line of the first line equal to `exact` (right side trimmed). */
const FRONT = ["---", "id: mau", "title: Bộ câu hỏi mẫu", "---", ""];
const bankText = (...body: string[]) => [...FRONT, ...body].join("\n");
const QUESTION = ["## q-1", "", "Câu hỏi?", "", "- [x] Có", "- [ ] Không"];

function only<T>(list: T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

describe("near-miss pinned marks: a warning saying what was meant, and the option is pinned", () => {
  it.each([
    ["{co dinh}", "- [ ] Tất cả các đáp án trên {co dinh}"],
    ["{cố  định}", "- [ ] Tất cả các đáp án trên {cố  định}"],
    ["{Cố định}", "- [ ] Tất cả các đáp án trên {Cố định}"],
    ["{cố định}", "- [ ] {cố định} Tất cả các đáp án trên"],
    ["(cố định)", "- [ ] Tất cả các đáp án trên (cố định)"],
    ["{codinh}", "- [ ] Tất cả các đáp án trên {codinh}"],
  ])("%s in %s", (written, optionLine) => {
    const text = bankText(...QUESTION, optionLine, "");
    const { bank, errors, warnings } = parseBank(FILE, text);
    expect(errors).toEqual([]);
    expect(only(warnings)).toEqual({
      file: FILE,
      line: lineOf(text, optionLine),
      message: `\`${written}\` được hiểu là đánh dấu cố định — viết đúng \`{cố định}\` (chữ thường, có dấu, một dấu cách) ở cuối dòng lựa chọn.`,
    });
    // The warning does not block: the bank is there, the option pinned and its text clean.
    const option = bank!.questions[0]!.options.at(-1)!;
    expect(option).toMatchObject({ text: "Tất cả các đáp án trên", pinned: true });
  });

  it("the exact mark at the end is no warning", () => {
    const { warnings, bank } = parseBank(FILE, bankText(...QUESTION, "- [ ] Tất cả các đáp án trên {cố định}", ""));
    expect(warnings).toEqual([]);
    expect(bank!.questions[0]!.options.at(-1)!.pinned).toBe(true);
  });

  it("braces around other words are option text", () => {
    const { warnings, bank } = parseBank(FILE, bankText(...QUESTION, "- [ ] Công thức {a + b}", ""));
    expect(warnings).toEqual([]);
    expect(bank!.questions[0]!.options.at(-1)).toMatchObject({ text: "Công thức {a + b}", pinned: false });
  });
});

describe("a line after Giải thích: / Nguồn: that reads as a key of its own", () => {
  it("an internal note under the explanation is an error on its line, and not shown to members", () => {
    const text = bankText(...QUESTION, "", "Giải thích: Vì đó là quy định.", "Ghi chú: cần kiểm tra lại", "");
    const { errors, preview } = parseBank(FILE, text);
    expect(only(errors)).toEqual({
      file: FILE,
      line: lineOf(text, "Ghi chú: cần kiểm tra lại"),
      message:
        "dòng `Ghi chú: …` nằm ngay sau `Giải thích:` nên sẽ bị ghép vào lời giải thích mà người thi đọc được. Nếu là ghi chú nội bộ, hãy xóa dòng; nếu là phần tiếp của lời giải thích, hãy thụt đầu dòng bằng hai dấu cách (hoặc viết liền vào dòng trên).",
    });
    expect(preview[0]!.explanation).toBe("Vì đó là quy định.");
  });

  it("`Diem: 2` under the source says `Điểm:` was meant", () => {
    const text = bankText(...QUESTION, "", "Nguồn: 000_4fb49d2fe72c3003.txt", "Diem: 2", "");
    const { errors, preview } = parseBank(FILE, text);
    expect(only(errors)).toEqual({
      file: FILE,
      line: lineOf(text, "Diem: 2"),
      message:
        "dòng `Diem: …` nằm ngay sau `Nguồn:` nên sẽ bị ghép vào đó — có phải ý bạn là `Điểm:`? Viết đúng `Điểm:` (có dấu) trên một dòng riêng.",
    });
    expect(preview[0]!.source).toBe("000_4fb49d2fe72c3003.txt");
  });

  it("`Diem: 2` after a detail that does not continue also says what was meant", () => {
    const text = bankText(...QUESTION, "", "Điểm: 1", "Diem: 2", "");
    const error = only(parseBank(FILE, text).errors);
    expect(error.line).toBe(lineOf(text, "Diem: 2"));
    expect(error.message).toContain("có phải ý bạn là `Điểm:`");
  });

  it("an indented line, or a line that is plainly prose, continues the explanation", () => {
    const text = bankText(
      ...QUESTION,
      "",
      "Giải thích: Bài viết nêu hai điều.",
      "  Thứ nhất: tổ được thành lập ở mọi thôn.",
      "thứ hai: tổ có 9.088 thành viên.",
      "",
    );
    const { bank, errors } = parseBank(FILE, text);
    expect(errors).toEqual([]);
    expect(bank!.questions[0]!.explanation).toBe(
      "Bài viết nêu hai điều.\nThứ nhất: tổ được thành lập ở mọi thôn.\nthứ hai: tổ có 9.088 thành viên.",
    );
  });
});

describe("other warnings", () => {
  it("`Nhiều đáp án: có` with a single [x]", () => {
    const text = bankText(...QUESTION, "", "Nhiều đáp án: có", "");
    const { bank, warnings } = parseBank(FILE, text);
    expect(bank).not.toBeNull();
    expect(only(warnings)).toMatchObject({ line: lineOf(text, "Nhiều đáp án: có"), message: expect.stringContaining("chỉ có một `[x]`") });
  });

  it("a stem over the length limit, on the question's line", () => {
    const text = bankText("## q-1", "", "Câu ".repeat(300) + "?", "", "- [x] Có", "- [ ] Không", "");
    const warning = only(parseBank(FILE, text).warnings);
    expect(warning.line).toBe(lineOf(text, "## q-1"));
    expect(warning.message).toContain(`nên dưới ${MAX_STEM_LENGTH}`);
  });

  it("a 100,000-character option, on its line", () => {
    const long = "x".repeat(100_000);
    const text = bankText(...QUESTION, `- [ ] ${long}`, "");
    const warning = only(parseBank(FILE, text).warnings);
    expect(warning).toEqual({
      file: FILE,
      line: lineOf(text, `- [ ] ${long}`),
      message: `lựa chọn dài 100000 ký tự (nên dưới ${MAX_OPTION_LENGTH}) — hãy rút gọn.`,
    });
  });
});

describe("all errors at once", () => {
  const BODY_WITH_ERROR = ["## q-1", "", "Câu hỏi?", "", "- [x] Có", "- [x] Không", ""];
  const bodyErrorLine = (text: string) => lineOf(text, "## q-1");

  it.each([
    [
      "a YAML mistake",
      ["---", "id: mau", "title: Chuyển đổi số: con đường", "---", ""],
      3,
      "giá trị của `title` có dấu hai chấm — đặt giá trị trong dấu ngoặc kép",
    ],
    ["a tab", ["---", "id: mau", "\ttitle: Mẫu", "---", ""], 3, "thụt lề bằng phím tab"],
    ["no opening ---", ["id: mau", "title: Mẫu", "---", ""], 1, "tệp phải bắt đầu bằng dòng `---`"],
    ["no closing ---", ["---", "id: mau", "title: Mẫu", ""], 1, "không có dòng `---` đóng lại"],
  ])("%s in the front matter still lets the body be checked", (_, front, line, fragment) => {
    const text = [...front, ...BODY_WITH_ERROR].join("\n");
    const { errors, preview } = parseBank(FILE, text);
    expect(errors).toEqual([
      { file: FILE, line, message: expect.stringContaining(fragment) },
      { file: FILE, line: bodyErrorLine(text), message: expect.stringContaining("có 2 đáp án đúng") },
    ]);
    expect(preview.map((q) => q.key)).toEqual(["q-1"]);
  });

  it("a YAML alias bomb is bounded and reported on its line", () => {
    const front = [
      "---",
      "id: mau",
      "title: Mẫu",
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "---",
      "",
    ];
    const started = performance.now();
    const { errors } = parseBank(FILE, [...front, ...QUESTION, ""].join("\n"));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(only(errors)).toEqual({
      file: FILE,
      line: 5,
      message: expect.stringContaining("tham chiếu YAML (`&tên`, `*tên`) lồng nhau quá nhiều"),
    });
  });

  it.each(["#", "###"])("a `%s` question heading is reported once and the question still parsed", (hashes) => {
    const text = bankText(`${hashes} q-1`, "", "Câu hỏi?", "", "- [x] Có", "- [ ] Không", "", "Giải thích: Vì vậy.", "");
    const { errors, preview } = parseBank(FILE, text);
    expect(only(errors)).toEqual({
      file: FILE,
      line: lineOf(text, `${hashes} q-1`),
      message: `tiêu đề câu hỏi \`${hashes} q-1\` có ${hashes.length} dấu # — viết \`## q-1\` (đúng hai dấu #). Câu hỏi vẫn được đọc để kiểm tra tiếp.`,
    });
    expect(preview[0]).toMatchObject({ key: "q-1", stem: "Câu hỏi?", explanation: "Vì vậy." });
  });

  it("an introduction title `# Giới thiệu` is still welcome", () => {
    expect(parseBank(FILE, bankText("# Giới thiệu", "", ...QUESTION, "")).errors).toEqual([]);
  });
});

/* ---------- lint across banks ---------- */

function makeBank(id: string, questions: string[][], file = `content/banks/${id}.md`): Bank {
  const text = ["---", `id: ${id}`, `title: Bộ ${id}`, "---", "", ...questions.flatMap((q) => [...q, ""])].join("\n");
  const { bank, errors } = parseBank(file, text);
  expect(errors).toEqual([]);
  return bank!;
}
const q = (key: string, stem: string, options: string[], ...details: string[]) => [
  `## ${key}`,
  "",
  stem,
  "",
  ...options,
  ...(details.length ? ["", ...details] : []),
];
const round = (...quotas: [string, number, number][]): LintRound => ({
  file: "content/contests/c.md",
  number: 1,
  quotas: quotas.map(([bankId, questionCount, line]) => ({ bankId, questionCount, line })),
});

describe("lint: the same question in two banks", () => {
  it("the same stem, with both locations", () => {
    const a = makeBank("bo-a", [q("a-1", "Nghị quyết số 12-NQ/TU được ban hành ngày nào?", ["- [x] 25/5/2022", "- [ ] 03/8/2022"])]);
    const b = makeBank("bo-b", [q("b-1", "Nghị quyết số 12-NQ/TU được ban hành ngày nào?", ["- [x] 25/5/2022", "- [ ] 25/5/2021"])]);
    expect(lintBanks([a, b], [])).toEqual([
      {
        file: "content/banks/bo-b.md",
        line: 6,
        related: { file: "content/banks/bo-a.md", line: 6 },
        message: expect.stringContaining("câu `b-1` có cùng nội dung câu hỏi với câu `a-1` ở content/banks/bo-a.md:6"),
      },
    ]);
  });

  it("the same answer to a reworded stem", () => {
    const a = makeBank("bo-a", [
      q("a-1", "Tỉnh Sơn La đã thành lập bao nhiêu tổ chuyển đổi số cộng đồng đến hết năm 2023?", ["- [x] 3.090 tổ", "- [ ] 2.886 tổ"]),
    ]);
    const b = makeBank("bo-b", [
      q("b-1", "Đến hết năm 2023, số tổ chuyển đổi số cộng đồng ở Sơn La là bao nhiêu?", ["- [ ] 204 tổ", "- [x] 3.090 tổ"]),
    ]);
    const warning = only(lintBanks([a, b], []));
    expect(warning).toMatchObject({ file: "content/banks/bo-b.md", line: 6, related: { file: "content/banks/bo-a.md", line: 6 } });
    expect(warning.message).toContain("hỏi lại điều (cùng đáp án) của câu `a-1`");
  });

  it("the same wording about another document is another question", () => {
    const a = makeBank("bo-a", [
      q("a-1", "Quyết định số 749/QĐ-TTg của Thủ tướng Chính phủ được ban hành ngày nào?", ["- [x] 03/6/2020", "- [ ] 05/3/2022"]),
    ]);
    const b = makeBank("bo-b", [
      q("b-1", "Quyết định số 1690/QĐ-TTg của Thủ tướng Chính phủ được ban hành ngày nào?", ["- [x] 26/12/2023", "- [ ] 23/6/2023"]),
    ]);
    expect(lintBanks([a, b], [])).toEqual([]);
  });

  it("two different questions with a common answer word are not the same question", () => {
    const a = makeBank("bo-a", [
      q("a-1", "Ai chủ trì xây dựng 05 nội dung kỹ năng số cơ bản?", ["- [x] Sở Thông tin và Truyền thông", "- [ ] Sở Nội vụ"]),
    ]);
    const b = makeBank("bo-b", [
      q("b-1", "Cơ quan nào khảo sát hoạt động của tổ ở xã Xuân Thọ cùng Cục Chuyển đổi số quốc gia?", [
        "- [x] Sở Thông tin và Truyền thông",
        "- [ ] Sở Nội vụ",
      ]),
    ]);
    expect(lintBanks([a, b], [])).toEqual([]);
  });
});

describe("lint: a stem that prints another question's answer", () => {
  const a = makeBank("bo-a", [q("a-1", "Nghị quyết số 12-NQ/TU được ban hành ngày nào?", ["- [x] 25/5/2022", "- [ ] 03/8/2022"])]);
  const b = makeBank("bo-b", [
    q("b-1", "Nghị quyết ngày 25/5/2022 là văn bản của cơ quan nào?", ["- [x] Tỉnh ủy", "- [ ] Hội đồng nhân dân"]),
  ]);

  it("is a warning on the stem that gives it away when a round draws from both banks", () => {
    expect(lintBanks([a, b], [round(["bo-a", 1, 10], ["bo-b", 1, 11])])).toEqual([
      {
        file: "content/banks/bo-b.md",
        line: 6,
        related: { file: "content/banks/bo-a.md", line: 6 },
        message: expect.stringContaining("nội dung câu `b-1` có chứa “25/5/2022”, là đáp án của câu `a-1` ở content/banks/bo-a.md:6"),
      },
    ]);
  });

  it("is nothing when no round draws from both", () => {
    expect(lintBanks([a, b], [round(["bo-a", 1, 10]), round(["bo-b", 1, 11])])).toEqual([]);
  });

  it("a list answer printed in another order still counts", () => {
    const listed = makeBank("bo-d", [
      q("d-1", "Mô hình được xây dựng tại ba xã nào của huyện Đơn Dương?", [
        "- [ ] Ka Đơn, Pró, Quảng Lập",
        "- [x] Đạ Ròn, Tu Tra, Lạc Xuân",
      ]),
      q("d-2", "Mô hình ra mắt tại ba xã Đạ Ròn, Lạc Xuân, Tu Tra là mô hình thứ mấy của tỉnh?", ["- [x] Đầu tiên", "- [ ] Thứ hai"]),
    ]);
    expect(only(lintBanks([listed], [])).message).toContain("nội dung câu `d-2` có chứa “Đạ Ròn, Tu Tra, Lạc Xuân”");
  });

  it("within one bank it always counts", () => {
    const both = makeBank("bo-c", [
      q("c-1", "Nghị quyết số 12-NQ/TU được ban hành ngày nào?", ["- [x] 25/5/2022", "- [ ] 03/8/2022"]),
      q("c-2", "Nghị quyết ngày 25/5/2022 là văn bản của cơ quan nào?", ["- [x] Tỉnh ủy", "- [ ] Hội đồng nhân dân"]),
    ]);
    expect(only(lintBanks([both], [])).message).toContain("nội dung câu `c-2` có chứa “25/5/2022”");
  });
});

describe("lint: a round whose maximum score depends on the draw", () => {
  it("names the range and the quotas that fix it, on the quota's line", () => {
    const mixed = makeBank("bo-a", [
      ...Array.from({ length: 6 }, (_, i) => q(`a-${i}`, `Câu một điểm số ${i}?`, ["- [x] Có", "- [ ] Không"])),
      ...Array.from({ length: 4 }, (_, i) => q(`b-${i}`, `Câu hai điểm số ${i}?`, ["- [x] Có", "- [ ] Không"], "Điểm: 2")),
    ]);
    const warning = only(lintBanks([mixed], [round(["bo-a", 5, 12])]));
    expect(warning).toEqual({
      file: "content/contests/c.md",
      line: 12,
      related: { file: "content/banks/bo-a.md", line: 2 },
      message:
        "vòng 1: bộ `bo-a` (content/banks/bo-a.md) có câu hỏi khác số điểm nên điểm tối đa của một bài thay đổi từ 5 đến 9 tùy câu được rút — xếp hạng theo điểm sẽ không công bằng. Cách sửa: cho mọi câu của bộ cùng một số điểm; hoặc lấy đủ cả 10 câu (`bo-a: 10`); hoặc tách bộ thành các bộ riêng theo điểm và lấy 3 câu 1 điểm (trong 6 câu), 2 câu 2 điểm (trong 4 câu).",
    });
  });

  it("drawing the whole pool, or a pool of equal points, is fair", () => {
    const mixed = makeBank("bo-a", [
      q("a-1", "Câu một?", ["- [x] Đúng", "- [ ] Sai"]),
      q("a-2", "Câu hai?", ["- [x] Đúng", "- [ ] Sai"], "Điểm: 2"),
    ]);
    const twos = makeBank("bo-b", [
      q("b-1", "Câu ba?", ["- [x] Đúng", "- [ ] Sai"], "Điểm: 2"),
      q("b-2", "Câu bốn?", ["- [x] Đúng", "- [ ] Sai"], "Điểm: 2"),
    ]);
    expect(lintBanks([mixed, twos], [round(["bo-a", 2, 10], ["bo-b", 1, 11])])).toEqual([]);
  });
});

describe("lint: answers members learn to guess", () => {
  it("the correct answer is the longest option in most questions", () => {
    const bank = makeBank(
      "bo-a",
      Array.from({ length: 5 }, (_, i) =>
        q(`a-${i}`, `Câu hỏi thứ ${i}?`, [`- [x] Đáp án số ${i} dài hơn hẳn`, "- [ ] Ngắn", "- [ ] Cũng ngắn"]),
      ),
    );
    expect(only(lintBanks([bank], []))).toEqual({
      file: "content/banks/bo-a.md",
      line: 2,
      message:
        "đáp án đúng là lựa chọn dài nhất ở 5/5 câu (100%) — người thi sẽ học được mẹo chọn câu dài nhất; hãy viết các lựa chọn sai dài tương đương.",
    });
  });

  it("“Tất cả các đáp án trên” is nearly always right", () => {
    const bank = makeBank(
      "bo-a",
      Array.from({ length: 3 }, (_, i) =>
        q(`a-${i}`, `Câu hỏi thứ ${i}?`, ["- [ ] Thứ nhất", "- [ ] Thứ hai", "- [x] Tất cả các đáp án trên {cố định}"]),
      ),
    );
    expect(only(lintBanks([bank], [])).message).toBe(
      "“Tất cả các đáp án trên” là đáp án đúng ở 3/3 câu có lựa chọn này — người thi sẽ học được mẹo chọn nó; hãy dùng nó cả khi nó sai, hoặc bỏ bớt.",
    );
  });
});

describe("a bank id used by another file", () => {
  const bankFile = (path: string, id: string, count: number, extra: Partial<ContentFile> = {}): ContentFile => ({
    path,
    kind: "bank",
    text: [
      "---",
      `id: ${id}`,
      `title: Bộ ${id}`,
      "---",
      "",
      ...Array.from({ length: count }, (_, i) => q(`${id}-${i}`, `Câu ${id} số ${i}?`, ["- [x] Đúng", "- [ ] Sai"]).concat("")).flat(),
    ].join("\n"),
    ...extra,
  });
  const contestFile: ContentFile = {
    path: "content/contests/c.md",
    kind: "contest",
    text: [
      "---",
      "id: c",
      "title: Cuộc thi",
      "timeLimitMinutes: 10",
      "questionsPerAttempt: 5",
      "rounds:",
      "  - number: 1",
      "    opens: 30/09/2024 10:00",
      "    closes: 07/10/2024 09:30",
      "    banks:",
      "      bo-a: 5",
      "---",
      "",
    ].join("\n"),
  };

  it("is reported once, on the draft's id line, and quotas are checked against the real bank", () => {
    const files = [bankFile("drafts/nhap.md", "bo-a", 2), bankFile("content/banks/bo-a.md", "bo-a", 6), contestFile];
    const { errors, content } = parseContentSet(files);
    expect(errors).toEqual([
      {
        file: "drafts/nhap.md",
        line: 2,
        message: "mã bộ câu hỏi `bo-a` đã được dùng trong content/banks/bo-a.md — đặt một mã khác cho một trong hai bộ.",
      },
    ]);
    expect(content.banks.map((b) => b.file)).toEqual(["content/banks/bo-a.md"]);
  });

  it("a file read only for reference keeps the id even from another file in banks/", () => {
    const files = [
      bankFile("content/banks/ban-nhap.md", "bo-a", 2),
      bankFile("content/banks/bo-a.md", "bo-a", 6, { reference: true }),
      contestFile,
    ];
    expect(only(parseContentSet(files).errors)).toMatchObject({ file: "content/banks/ban-nhap.md", line: 2 });
  });
});
