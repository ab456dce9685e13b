/** The Word convention on the converter's own document model (no file): layouts seen in real question files. */
import { describe, expect, it } from "vitest";
import { parseBank } from "~/domain/content/bank";
import { convertWordBank, questionIdFor, refersToOtherOptions, type WordBlock, type WordRun } from "~/domain/content/word";

const p = (...runs: (string | WordRun)[]): WordBlock => ({
  kind: "paragraph",
  runs: runs.map((r) => (typeof r === "string" ? { text: r } : r)),
});
const bold = (text: string): WordRun => ({ text, bold: true });
const correctOf = (blocks: WordBlock[]) => {
  const c = convertWordBank(blocks, { bankId: "t" });
  const { bank, errors } = parseBank("t.md", c.markdown);
  expect(errors).toEqual([]);
  return { notes: c.notes, answers: bank!.questions.map((q) => q.options.filter((o) => o.isCorrect).map((o) => o.text)) };
};

describe("layouts of real Word question files", () => {
  it("a bold stem does not mark anything; options laid out in a 2×2 Word table keep their marks", () => {
    const table: WordBlock = {
      kind: "table",
      rows: [
        [[{ text: "A. Huế" }], [bold("B."), { text: " Hà Nội" }]],
        [[{ text: "C. Đà Lạt" }], [{ text: "D. Vinh" }]],
      ],
    };
    expect(correctOf([p(bold("Câu 1: Thủ đô của Việt Nam là?")), table])).toEqual({ notes: [], answers: [["Hà Nội"]] });
  });

  it("a question and its options in one paragraph with line breaks (Shift+Enter)", () => {
    expect(correctOf([p("Câu 1. Một cộng một?\nA. 1\n", bold("B. 2"), "\nC. 3")])).toEqual({ notes: [], answers: [["2"]] });
  });

  it("one emphasised word inside an option is not a mark; a whole bold option is", () => {
    const c = convertWordBank([p("Câu 1. Chọn?"), p("A. Chỉ ", bold("một"), " từ đậm"), p("B. Không")], { bankId: "t" });
    expect(c.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^Câu 1: không thấy đáp án đúng/)]);
  });

  it("a numbered list inside an explanation stays in the explanation; “HẾT” ends the paper", () => {
    const c = convertWordBank(
      [
        p("1. Câu một?"),
        p(bold("A."), " Có"),
        p("B. Không"),
        p("Giải thích: hai lý do:"),
        p("1. Lý do một."),
        p("2. Lý do hai."),
        p("----- HẾT -----"),
      ],
      { bankId: "t" },
    );
    expect(c.notes).toEqual([]);
    expect(parseBank("t.md", c.markdown).bank!.questions.map((q) => q.explanation)).toEqual(["hai lý do:\n1. Lý do một.\n2. Lý do hai."]);
    // …while the next "N." followed by options is the next question.
    const next = convertWordBank(
      [
        p("1. Câu một?"),
        p(bold("A."), " Có"),
        p("B. Không"),
        p("Giải thích: vì vậy."),
        p("2. Câu hai?"),
        p("A. Có"),
        p(bold("B."), " Không"),
      ],
      { bankId: "t" },
    );
    expect(next.notes).toEqual([]);
    expect(parseBank("t.md", next.markdown).bank!.questions.map((q) => [q.key, q.explanation])).toEqual([
      ["t-001", "vì vậy."],
      ["t-002", null],
    ]);
  });

  it("the id fits the 40-character limit however long the bank id", () => {
    expect(questionIdFor("a".repeat(40), 12, null)).toBe(`${"a".repeat(36)}-012`);
    expect(questionIdFor("bo-dai", 3, 2)).toBe("bo-dai-2-003");
  });

  it("options that refer to the others are recognised", () => {
    for (const text of ["Tất cả các đáp án trên", "Cả A và B đều đúng", "Không có đáp án nào đúng", "Cả ba ý trên", "A và C"])
      expect(refersToOtherOptions(text)).toBe(true);
    for (const text of ["Hà Nội", "Tất cả người dân", "Trên 60 tuổi"]) expect(refersToOtherOptions(text)).toBe(false);
  });
});
