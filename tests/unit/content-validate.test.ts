import { describe, expect, it } from "vitest";
import { parseContentSet, type ContentFile } from "~/domain/content/validate";
import { ruleMessages } from "~/domain/contest-rules";
import { lineOf } from "../helpers/text";

/** A bank file with `count` good questions. */
function bankText(id: string, count: number): string {
  const questions = Array.from({ length: count }, (_, i) => [
    `## ${id}-${i + 1}`,
    "",
    `Câu hỏi số ${i + 1}?`,
    "",
    "- [x] Đúng",
    "- [ ] Sai",
    "",
  ]).flat();
  return ["---", `id: ${id}`, `title: Bộ ${id}`, "---", "", ...questions].join("\n");
}

function contestText(id: string, quotas: string[], questionsPerAttempt: number): string {
  return [
    "---",
    `id: ${id}`,
    "title: Cuộc thi",
    "timeLimitMinutes: 10",
    `questionsPerAttempt: ${questionsPerAttempt}`,
    "rounds:",
    "  - number: 1",
    "    opens: 30/09/2024 10:00",
    "    closes: 07/10/2024 09:30",
    "    banks:",
    ...quotas.map((q) => `      ${q}`),
    "---",
    "",
    "Thể lệ.",
  ].join("\n");
}

const UNITS = [
  "## Huyện, thành phố",
  "| Mã | Tên |",
  "| --- | --- |",
  "| da-lat | Thành phố Đà Lạt |",
  "## Công đoàn cơ sở",
  "| Mã | Tên | Huyện, thành phố |",
  "| --- | --- | --- |",
  "| dl-ubnd | Công đoàn cơ quan UBND thành phố Đà Lạt | da-lat |",
].join("\n");

const bankFile = (path: string, text: string): ContentFile => ({ path, kind: "bank", text });
const contestFile = (path: string, text: string): ContentFile => ({ path, kind: "contest", text });

describe("parseContentSet", () => {
  it("accepts a consistent set and returns every parsed file", () => {
    const { content, errors } = parseContentSet([
      bankFile("content/banks/a.md", bankText("bo-a", 3)),
      bankFile("content/banks/b.md", bankText("bo-b", 2)),
      contestFile("content/contests/x.md", contestText("thi-x", ["bo-a: 3", "bo-b: 2"], 5)),
      { path: "content/units.md", kind: "units", text: UNITS },
    ]);
    expect(errors).toEqual([]);
    expect(content.banks.map((b) => [b.id, b.questions.length])).toEqual([
      ["bo-a", 3],
      ["bo-b", 2],
    ]);
    expect(content.contests.map((c) => c.id)).toEqual(["thi-x"]);
    expect(content.units!.branches.map((b) => b.id)).toEqual(["dl-ubnd"]);
  });

  it("a quota naming an unknown bank, on the quota's line, listing the banks", () => {
    const contest = contestText("thi-x", ["bo-a: 2", "bo-khong-co: 3"], 5);
    const { errors } = parseContentSet([
      bankFile("content/banks/a.md", bankText("bo-a", 3)),
      bankFile("content/banks/b.md", bankText("bo-b", 2)),
      contestFile("content/contests/x.md", contest),
    ]);
    expect(errors).toEqual([
      {
        file: "content/contests/x.md",
        line: lineOf(contest, "      bo-khong-co: 3"),
        message: "Vòng 1: không có bộ câu hỏi “bo-khong-co” — các bộ hiện có: “bo-a”, “bo-b”.",
      },
    ]);
  });

  it("a bank known only to the database satisfies a quota", () => {
    const { errors } = parseContentSet(
      [contestFile("content/contests/x.md", contestText("thi-x", ["bo-cu: 5"], 5))],
      new Map([["bo-cu", 5]]),
    );
    expect(errors).toEqual([]);
  });

  it("a quota larger than its bank", () => {
    const contest = contestText("thi-x", ["bo-a: 4", "bo-b: 1"], 5);
    const { errors } = parseContentSet([
      bankFile("content/banks/a.md", bankText("bo-a", 3)),
      bankFile("content/banks/b.md", bankText("bo-b", 2)),
      contestFile("content/contests/x.md", contest),
    ]);
    expect(errors).toEqual([
      {
        file: "content/contests/x.md",
        line: lineOf(contest, "      bo-a: 4"),
        message: ruleMessages.quotaTooLarge(1, "bo-a", 4, 3),
      },
    ]);
  });

  it("a quota equal to its bank's size is fine", () => {
    const { errors } = parseContentSet([
      bankFile("content/banks/a.md", bankText("bo-a", 3)),
      contestFile("content/contests/x.md", contestText("thi-x", ["bo-a: 3"], 3)),
    ]);
    expect(errors).toEqual([]);
  });

  it("the same bank id in two files, on the second file's id line", () => {
    const second = ["---", "title: Bộ khác", "id: bo-a", "---", "", "## k-1", "", "Hỏi?", "", "- [x] A", "- [ ] B"].join("\n");
    const { errors } = parseContentSet([bankFile("content/banks/a.md", bankText("bo-a", 3)), bankFile("content/banks/z.md", second)]);
    expect(errors).toEqual([
      {
        file: "content/banks/z.md",
        line: 3,
        message: expect.stringContaining("mã bộ câu hỏi `bo-a` đã được dùng trong content/banks/a.md"),
      },
    ]);
  });

  it("the same contest id in two files", () => {
    const { errors } = parseContentSet([
      bankFile("content/banks/a.md", bankText("bo-a", 3)),
      contestFile("content/contests/x.md", contestText("thi-x", ["bo-a: 3"], 3)),
      contestFile("content/contests/y.md", contestText("thi-x", ["bo-a: 2"], 2)),
    ]);
    expect(errors).toEqual([
      {
        file: "content/contests/y.md",
        line: 2,
        message: expect.stringContaining("mã cuộc thi `thi-x` đã được dùng trong content/contests/x.md"),
      },
    ]);
  });

  it("a broken bank does not also make every quota naming it an error", () => {
    const broken = bankText("bo-a", 3).replace("- [x] Đúng", "- [ ] Đúng");
    const { errors } = parseContentSet([
      bankFile("content/banks/a.md", broken),
      contestFile("content/contests/x.md", contestText("thi-x", ["bo-a: 3"], 3)),
    ]);
    expect(errors).toEqual([{ file: "content/banks/a.md", line: 6, message: expect.stringContaining("chưa có đáp án đúng") }]);
  });

  it("sorts errors by file, then line, whatever the order of the files and checks", () => {
    const contestY = contestText("thi-y", ["bo-a: 9", "bo-khong-co: 1"], 10);
    // line 11: malformed checkbox; line 6: so its question has a single option
    const bankB = bankText("bo-b", 2).replace("- [ ] Sai", "- [] Sai");
    // line 4: one column; line 8: so the branch's district is unknown
    const units = UNITS.replace("| da-lat | Thành phố Đà Lạt |", "| da-lat |");
    const { errors } = parseContentSet([
      contestFile("content/contests/y.md", contestY),
      { path: "content/units.md", kind: "units", text: units },
      bankFile("content/banks/b.md", bankB),
      bankFile("content/banks/a.md", bankText("bo-a", 3).replace("title: Bộ bo-a", "title: Bộ bo-a\nfoo: 1")),
    ]);
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      ["content/banks/a.md", 4],
      ["content/banks/b.md", 6],
      ["content/banks/b.md", 11],
      ["content/units.md", 4],
      ["content/units.md", 8],
    ]);
    // No quota errors: with a bank broken, references are not checked (the bank may hold them).
    expect(errors.some((e) => e.file === "content/contests/y.md")).toBe(false);
  });

  it("sorts cross-file errors among a file's own errors by line", () => {
    const contest = [
      "---",
      "id: thi-x",
      "title: Cuộc thi",
      "timeLimitMinutes: 10",
      "questionsPerAttempt: 5",
      "rounds:",
      "  - number: 1",
      "    opens: 30/09/2024 10:00",
      "    closes: 07/10/2024 09:30",
      "    banks:",
      "      bo-a: 5", // 11: too large (cross-file)
      "  - number: 2",
      "    opens: 07/10/2024 10:00",
      "    closes: 14/10/2024 09:30",
      "    banks:",
      "      bo-x: 5", // 16: unknown (cross-file)
      "---",
    ].join("\n");
    const { errors } = parseContentSet([
      contestFile("content/contests/x.md", contest),
      contestFile("content/contests/a.md", contestText("thi-a", ["bo-a: 4"], 4)),
      bankFile("content/banks/a.md", bankText("bo-a", 3)),
    ]);
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      ["content/contests/a.md", 11],
      ["content/contests/x.md", 11],
      ["content/contests/x.md", 16],
    ]);
  });
});
