/**
 * Word question files (issue 14): .docx fixtures built in code with the `docx` package, read with
 * mammoth, converted to bank markdown; every convention and every mistake, with the markdown and
 * the messages an organizer sees. Then the console (upload → preview, nothing imported), the
 * downloads, and the round trip bank → .docx → markdown.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mammoth from "mammoth";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { convertDocx, writeDocx } from "~/.server/word.server";
import { parseBank, questionContent } from "~/domain/content/bank";
import { bankToMarkdown, bankToWordBlocks, drawPaper } from "~/domain/content/word";
import { loader as bankDocxLoader } from "~/routes/to-chuc.bo-cau-hoi.$bankId.tai-docx";
import { action as bankAction } from "~/routes/to-chuc.bo-cau-hoi.$bankId";
import { loader as paperLoader } from "~/routes/to-chuc.cuoc-thi.$contestId.vong.$roundNumber.de-thi";
import { eq } from "drizzle-orm";
import { banks, roundQuotas, users } from "../../db/schema";
import { docxOf, type FixtureBlock } from "../helpers/docx-fixtures";
import {
  ORIGIN,
  call,
  context,
  contest,
  createUser,
  getRequest,
  importTestContent,
  roundIdOf,
  sessionCookie,
  useTestDatabase,
  UNITS,
} from "./helpers";

async function convert(blocks: FixtureBlock[], options: { bankId?: string; fileName?: string } = { bankId: "thu" }) {
  const result = await convertDocx(await docxOf(blocks), options);
  if (!result.ok) throw new Error(result.message);
  return result.conversion;
}

const messages = (c: { notes: { message: string; severity: string }[] }) => c.notes.map((n) => `${n.severity}: ${n.message}`);

describe("reading the convention", () => {
  it("reads “Câu N.”, options A.–D., a bold letter, “Lời giải” and a preamble title", async () => {
    const c = await convert([
      "Đề kiểm tra chuyển đổi số",
      "Câu 1. Ngày Chuyển đổi số quốc gia là ngày nào?",
      "A. Ngày 1 tháng 10",
      "**B.** Ngày 10 tháng 10",
      "C. Ngày 20 tháng 10",
      "Lời giải: Thủ tướng chọn ngày 10/10 hằng năm.",
      "Quyết định 505/QĐ-TTg năm 2022.",
      "Câu 2: Tổ công nghệ số cộng đồng hướng dẫn người dân làm gì?",
      "A. **Sử dụng dịch vụ công trực tuyến**",
      "B. Trồng cà phê",
    ]);
    expect(c.markdown).toBe(
      [
        "---",
        "id: thu",
        "title: Đề kiểm tra chuyển đổi số",
        "---",
        "",
        "## thu-001",
        "",
        "Ngày Chuyển đổi số quốc gia là ngày nào?",
        "",
        "- [ ] Ngày 1 tháng 10",
        "- [x] Ngày 10 tháng 10",
        "- [ ] Ngày 20 tháng 10",
        "",
        "Giải thích: Thủ tướng chọn ngày 10/10 hằng năm.",
        "Quyết định 505/QĐ-TTg năm 2022.",
        "",
        "## thu-002",
        "",
        "Tổ công nghệ số cộng đồng hướng dẫn người dân làm gì?",
        "",
        "- [x] Sử dụng dịch vụ công trực tuyến",
        "- [ ] Trồng cà phê",
        "",
      ].join("\n"),
    );
    expect(c.notes).toEqual([]);
    expect(parseBank("thu.md", c.markdown).errors).toEqual([]);
  });

  it("reads “Bài N”, “Question N”, options “A)”, underline, colour and highlight as marks, “Giải thích” and “Hướng dẫn”", async () => {
    const c = await convert([
      "Bài 1: Câu gạch chân?",
      "A) Sai",
      "B) __Đúng__",
      "Giải thích: gạch chân.",
      "Question 2. Câu tô màu chữ?",
      "A) !!Đúng!!",
      "B) Sai",
      "Hướng dẫn: chữ màu đỏ.",
      "Câu 3. Câu tô nền?",
      "A. Sai",
      "B. Sai nữa",
      "==C.== Đúng",
    ]);
    const { bank, errors } = parseBank("thu.md", c.markdown);
    expect(errors).toEqual([]);
    expect(bank!.questions.map((q) => [q.key, q.options.filter((o) => o.isCorrect).map((o) => o.text), q.explanation])).toEqual([
      ["thu-001", ["Đúng"], "gạch chân."],
      ["thu-002", ["Đúng"], "chữ màu đỏ."],
      ["thu-003", ["Đúng"], null],
    ]);
    expect(c.notes).toEqual([]);
  });

  it("reads “N.” numbering, several options on one line, and a “Đáp án: B” line", async () => {
    const c = await convert([
      "1. Thủ đô của Việt Nam?",
      "A. Huế\tB. Hà Nội\tC. Đà Lạt\tD. Sài Gòn",
      "Đáp án: B",
      "2. Một cộng một bằng mấy?",
      "A. 1    **B. 2**    C. 3",
    ]);
    const { bank, errors } = parseBank("thu.md", c.markdown);
    expect(errors).toEqual([]);
    expect(bank!.questions.map((q) => q.options.map((o) => `${o.isCorrect ? "x" : " "}${o.text}`))).toEqual([
      [" Huế", "xHà Nội", " Đà Lạt", " Sài Gòn"],
      [" 1", "x2", " 3"],
    ]);
    expect(c.notes).toEqual([]);
  });

  it("takes the answers from a table at the end, written “1-A”, “1.A”, “1a” or as a Word table", async () => {
    const questions = (n: number) => [`Câu ${n}. Câu số ${n}?`, "A. Một", "B. Hai", "C. Ba"];
    const text = await convert([...questions(1), ...questions(2), ...questions(3), "ĐÁP ÁN", "1-A   2.B   3c"]);
    expect(parseBank("thu.md", text.markdown).bank!.questions.map((q) => q.options.findIndex((o) => o.isCorrect))).toEqual([0, 1, 2]);
    expect(text.notes).toEqual([]);
    const table = await convert([
      ...questions(1),
      ...questions(2),
      ...questions(3),
      "BẢNG ĐÁP ÁN",
      {
        table: [
          ["Câu", "1", "2", "3"],
          ["Đáp án", "C", "A", "B"],
        ],
      },
    ]);
    expect(parseBank("thu.md", table.markdown).bank!.questions.map((q) => q.options.findIndex((o) => o.isCorrect))).toEqual([2, 0, 1]);
    expect(table.notes).toEqual([]);
  });

  it("keeps “Tất cả các đáp án trên” in place, and says so", async () => {
    const c = await convert(["Câu 1. Chọn đáp án?", "A. Một", "B. Hai", "**C.** Tất cả các đáp án trên"]);
    expect(c.markdown).toContain("- [x] Tất cả các đáp án trên {cố định}\n");
    expect(messages(c)).toEqual([
      "warning: Câu 1: lựa chọn «Tất cả các đáp án trên» được giữ cố định ở vị trí của nó khi xáo trộn (`{cố định}`) — xóa `{cố định}` nếu không muốn vậy.",
    ]);
    expect(parseBank("thu.md", c.markdown).bank!.questions[0]!.options[2]!.pinned).toBe(true);
  });

  it("reads groups “Phần I”/“Nhóm 1”/“I.”: numbering that restarts gets ids per part, and the parts are reported", async () => {
    const c = await convert([
      "Phần I. Kiến thức chung",
      "Câu 1. Câu một phần một?",
      "**A.** Có",
      "B. Không",
      "Phần II. Chuyển đổi số",
      "Câu 1. Câu một phần hai?",
      "A. Có",
      "**B.** Không",
    ]);
    expect(parseBank("thu.md", c.markdown).bank!.questions.map((q) => q.key)).toEqual(["thu-1-001", "thu-2-001"]);
    expect(messages(c)).toEqual([
      expect.stringMatching(/^warning: tệp chia thành 2 phần \(Phần I\. Kiến thức chung; Phần II\. Chuyển đổi số\)/),
    ]);
  });

  it("reads “Nhiều đáp án: có” and marks two answers; takes ids and the bank from the file when it states them", async () => {
    const c = await convert(
      [
        "Mã bộ câu hỏi: ky-nang-so",
        "Kỹ năng số",
        "Câu 7. Kỹ năng số cơ bản gồm những gì?",
        "**A.** Dịch vụ công trực tuyến",
        "**B.** Thanh toán trực tuyến",
        "C. Lập trình",
        "Nhiều đáp án: có",
        "Mã câu hỏi: kns-007",
      ],
      { fileName: "Bộ câu hỏi.docx" },
    );
    const { bank, errors } = parseBank("x.md", c.markdown);
    expect(errors).toEqual([]);
    expect(bank!.id).toBe("ky-nang-so");
    expect(bank!.questions[0]).toMatchObject({ key: "kns-007", multipleAnswers: true });
    expect(c.notes).toEqual([]);
  });

  it("makes a bank id and title from the file name when the file has neither", async () => {
    const c = await convert(["Câu 1. Hỏi?", "**A.** Có", "B. Không"], { fileName: "Đề thi tuần 1.docx" });
    expect(c.bankId).toBe("de-thi-tuan-1");
    expect(c.markdown.startsWith("---\nid: de-thi-tuan-1\ntitle: Đề thi tuần 1\n---\n")).toBe(true);
  });
});

describe("every doubt is an error or a warning naming the question", () => {
  it("no mark: an error with how to fix it, and no [x] (the checker refuses it too)", async () => {
    const c = await convert(["Câu 1. Có đánh dấu?", "**A.** Có", "B. Không", "Câu 12. Không đánh dấu?", "A. Một", "B. Hai"]);
    expect(messages(c)).toEqual([
      "error: Câu 12: không thấy đáp án đúng — in đậm hoặc gạch chân chữ cái của đáp án đúng, hoặc thêm dòng «Đáp án: B» sau các lựa chọn; trong ô soạn thảo, đổi `- [ ]` của đáp án đúng thành `- [x]`.",
    ]);
    expect(c.markdown).toContain("## thu-012\n\nKhông đánh dấu?\n\n- [ ] Một\n- [ ] Hai\n");
    expect(c.notes[0]!.line).toBe(c.markdown.split("\n").indexOf("## thu-012") + 1);
    expect(parseBank("thu.md", c.markdown).errors.map((e) => e.message)).toEqual([
      expect.stringContaining("`thu-012` chưa có đáp án đúng"),
    ]);
  });

  it("two marks without “nhiều đáp án”: an error, as in markdown", async () => {
    const c = await convert(["Câu 3. Hai dấu?", "**A.** Một", "**B.** Hai", "C. Ba"]);
    expect(messages(c)).toEqual([
      expect.stringMatching(/^error: Câu 3: có 2 đáp án được đánh dấu \(A, B\) mà không ghi «Nhiều đáp án: có»/),
    ]);
    expect(c.markdown).toContain("- [x] Một\n- [x] Hai\n- [ ] Ba\n");
    expect(parseBank("thu.md", c.markdown).errors).toHaveLength(1);
  });

  it("a missing option letter: an error, and the line stays where the checker refuses it", async () => {
    const c = await convert(["Câu 4. Thiếu chữ cái?", "A. Huế", "**B.** Hà Nội", "Đà Lạt", "D. Sài Gòn"]);
    expect(messages(c)).toEqual([
      "error: Câu 4: dòng «Đà Lạt» nằm giữa các lựa chọn nhưng không bắt đầu bằng chữ cái A., B., … — thêm chữ cái nếu đó là một lựa chọn (trong ô soạn thảo: `- [ ] …`), hoặc chuyển nó lên nội dung câu hỏi.",
      "error: Câu 4: sau lựa chọn trước đó phải là C. nhưng gặp D. — kiểm tra xem có thiếu lựa chọn C không.",
    ]);
    expect(c.markdown).toContain("- [ ] Huế\n- [x] Hà Nội\nĐà Lạt\n- [ ] Sài Gòn\n");
    expect(parseBank("thu.md", c.markdown).errors).toHaveLength(1);
  });

  it("an answer table that disagrees with the bold mark: an error naming both, and no answer chosen", async () => {
    const c = await convert([
      "Câu 1. Đồng ý?",
      "**A.** Một",
      "B. Hai",
      "Câu 2. Bất đồng?",
      "A. Một",
      "**B.** Hai",
      "C. Ba",
      "Đáp án",
      "1-A 2-C",
    ]);
    expect(messages(c)).toEqual([
      "error: Câu 2: chữ in đậm/gạch chân/tô màu ghi B nhưng bảng đáp án cuối tệp ghi C — chưa chọn đáp án nào; sửa `- [ ]` của đáp án đúng thành `- [x]` (và sửa lại tệp Word cho khớp).",
    ]);
    expect(c.markdown).toContain("## thu-002\n\nBất đồng?\n\n- [ ] Một\n- [ ] Hai\n- [ ] Ba\n");
  });

  it("an image: reported with its question number, never dropped silently", async () => {
    const c = await convert([
      "Câu 1. Không hình?",
      "**A.** Có",
      "B. Không",
      "Câu 2. Biểu tượng nào dưới đây? {image}",
      "**A.** Một",
      "B. Hai",
    ]);
    expect(messages(c)).toEqual([
      "warning: Câu 2: có một hình ảnh — bộ câu hỏi chưa hỗ trợ hình ảnh nên hình đã bị bỏ; nếu câu hỏi cần hình để trả lời, hãy viết lại câu hỏi bằng lời hoặc bỏ câu này.",
    ]);
  });

  it("a “Đáp án” letter the question does not have, and an answer for a question that is not there", async () => {
    const c = await convert(["Câu 1. Hỏi?", "A. Một", "B. Hai", "Đáp án: E", "Đáp án", "1-E 9-A"]);
    expect(messages(c)).toEqual([
      "error: bảng đáp án có câu 9 nhưng tệp không có câu 9 — kiểm tra lại số câu trong bảng đáp án.",
      "error: Câu 1: đáp án E không có trong các lựa chọn của câu — sửa lại đáp án.",
      "error: Câu 1: đáp án E không có trong các lựa chọn của câu — sửa lại đáp án.",
    ]);
  });

  it("a file with no question says how questions are written", async () => {
    const c = await convert(["Chỉ có một đoạn văn."]);
    expect(messages(c)).toEqual([expect.stringMatching(/^error: không tìm thấy câu hỏi nào — mỗi câu phải bắt đầu bằng «Câu 1\.»/)]);
  });
});

describe("files that are not .docx", () => {
  it("refuses text renamed .docx, a zip without a Word document and a file over the cap, with a clear message", async () => {
    const notDocx =
      "Tệp không phải tệp Word .docx (hoặc bị hỏng). Hãy mở tệp bằng Word và lưu lại dạng «Word Document (*.docx)»; tệp .doc cũ không đọc được.";
    expect(await convertDocx(new TextEncoder().encode("Câu 1. Hỏi?"), {})).toEqual({ ok: false, message: notDocx });
    expect(await convertDocx(zipSync({ "a.txt": strToU8("x") }), {})).toEqual({ ok: false, message: notDocx });
    expect(await convertDocx(new Uint8Array(1536 * 1024 + 1), {})).toEqual({
      ok: false,
      message: "Tệp Word quá lớn (tối đa 1,5 MB). Hãy bỏ bớt hình ảnh hoặc tách thành nhiều tệp.",
    });
  });
});

// Each .docx is read on a worker thread that loads mammoth: seconds, not milliseconds, on a busy machine.
describe("export and round trip", { timeout: 60_000 }, () => {
  it("the demo banks export to .docx and import back to the same markdown, ids included", async () => {
    for (const file of ["content/banks/chuyen-doi-so.md", "content/banks/van-ban-chi-dao.md"]) {
      const markdown = readFileSync(file, "utf8");
      const { bank } = parseBank(file, markdown);
      expect(bankToMarkdown(bank!)).toBe(markdown);
      const back = await convertDocx(await writeDocx(bankToWordBlocks(bank!), bank!.title), {});
      expect(back.ok && back.conversion.notes).toEqual([]);
      expect(back.ok && back.conversion.markdown).toBe(markdown);
    }
  });

  it("a bank with points, several answers, pinned options, a description and a long explanation comes back identical", async () => {
    const markdown = [
      "---",
      "id: vong-tron",
      'title: "Bộ thử: vòng tròn"',
      "topic: Thử",
      "source: Sổ tay",
      "---",
      "",
      "Giới thiệu dòng một.",
      "",
      "Dòng hai sau một dòng trống.",
      "",
      "## vt-a",
      "",
      "Câu nhiều dòng,",
      "dòng thứ hai.",
      "",
      "- [x] Một",
      "- [x] Hai",
      "- [ ] Không có đáp án nào đúng {cố định}",
      "",
      "Giải thích: Dòng đầu.",
      "  Lưu ý: dòng thụt lề.",
      "Dòng ba.",
      "Nguồn: Bài báo",
      "Điểm: 2",
      "Nhiều đáp án: có",
      "",
      "## vt-b",
      "",
      "Câu hai?",
      "",
      "- [ ] Có",
      "- [x] Không",
      "",
    ].join("\n");
    const { bank, errors } = parseBank("vong-tron.md", markdown);
    expect(errors).toEqual([]);
    expect(bankToMarkdown(bank!)).toBe(markdown);
    const back = await convertDocx(await writeDocx(bankToWordBlocks(bank!), bank!.title), {});
    expect(back.ok && back.conversion.markdown).toBe(markdown);
    expect(parseBank("x.md", back.ok ? back.conversion.markdown : "").bank!.questions.map(questionContent)).toEqual(
      bank!.questions.map(questionContent),
    );
  });

  it("the exported bank marks the correct options bold and underlined and ends with the answer table", async () => {
    const { bank } = parseBank("x.md", readFileSync("content/banks/chuyen-doi-so.md", "utf8"));
    const bytes = await writeDocx(bankToWordBlocks(bank!), bank!.title);
    const html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap: ["u => u"] })).value;
    expect(html).toContain("<p><strong><u>B. 1.367 tổ</u></strong></p>");
    expect(html).toContain("<p>A. 1.142 tổ</p>");
    expect(html).toMatch(/BẢNG ĐÁP ÁN.*<table>.*<td><p><strong>Đáp án<\/strong><\/p><\/td><td><p>B<\/p><\/td>/s);
    expect(html).toContain("Giải thích: </strong>Toàn tỉnh Lâm Đồng hiện có 1.367 tổ");
    expect(html).toContain("Nguồn: </strong>000_4fb49d2fe72c3003.txt");
  });
});

describe("npm run content:convert", { timeout: 30_000 }, () => {
  it("writes the markdown, prints every doubt as file:line: and exits 1 when one is an error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "convert-"));
    try {
      const input = join(dir, "Đề tuần 1.docx");
      writeFileSync(input, await docxOf(["Câu 1. Có dấu?", "**A.** Có", "B. Không", "Câu 2. Không dấu?", "A. Một", "B. Hai"]));
      const output = join(dir, "de-tuan-1.md");
      const run = spawnSync(process.execPath, ["--import", "tsx", "app/.server/cli/content-convert.ts", input, output], {
        encoding: "utf8",
      });
      expect(run.status).toBe(1);
      const markdown = readFileSync(output, "utf8");
      expect(markdown.startsWith("---\nid: de-tuan-1\ntitle: Đề tuần 1\n---\n")).toBe(true);
      const line = markdown.split("\n").indexOf("## de-tuan-1-002") + 1;
      expect(run.stderr).toContain(`${output}:${line}: Câu 2: không thấy đáp án đúng`);
      expect(run.stderr).toContain("1 lỗi, 0 cảnh báo khi chuyển");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a round's paper", () => {
  it("draws the round's quotas with the round's own seed: the same paper every time, in bank order", () => {
    const { bank } = parseBank("x.md", readFileSync("content/banks/chuyen-doi-so.md", "utf8"));
    const pool = new Map([["chuyen-doi-so", bank!.questions]]);
    const first = drawPaper([{ bankId: "chuyen-doi-so", questionCount: 10 }], pool, "c/1");
    const again = drawPaper([{ bankId: "chuyen-doi-so", questionCount: 10 }], pool, "c/1");
    const other = drawPaper([{ bankId: "chuyen-doi-so", questionCount: 10 }], pool, "c/2");
    expect(first.ok && first.questions.map((q) => q.key)).toEqual(again.ok && again.questions.map((q) => q.key));
    expect(first.ok && first.questions.map((q) => q.key)).not.toEqual(other.ok && other.questions.map((q) => q.key));
    const keys = first.ok ? first.questions.map((q) => q.key) : [];
    expect(keys).toHaveLength(10);
    expect([...keys].sort()).toEqual(keys);
    expect(drawPaper([{ bankId: "chuyen-doi-so", questionCount: 99 }], pool, "c/1")).toEqual({
      ok: false,
      problem: { kind: "not-enough", bankId: "chuyen-doi-so", wanted: 99, available: bank!.questions.length },
    });
  });
});

describe("the console", { timeout: 30_000 }, () => {
  const ctx = useTestDatabase();

  async function organizerCookie() {
    seedWordWorld();
    const organizer = createUser(ctx.db);
    ctx.db.update(users).set({ role: "organizer" }).where(eq(users.id, organizer)).run();
    return sessionCookie(ctx.db, organizer);
  }

  /** The demo bank chuyen-doi-so, and contest c1 whose round 1 draws 5 of its questions. */
  function seedWordWorld() {
    const demo = parseBank("content/banks/chuyen-doi-so.md", readFileSync("content/banks/chuyen-doi-so.md", "utf8")).bank!;
    const c1 = contest({ questionsPerAttempt: 5 });
    const rounds = c1.rounds.map((r) => ({ ...r, quotas: [{ bankId: "chuyen-doi-so", questionCount: 5, line: 1 }] }));
    importTestContent(ctx.db, { banks: [demo], contests: [{ ...c1, rounds }], units: UNITS });
    return demo;
  }

  function upload(path: string, cookie: string, file: Blob, name: string) {
    const form = new FormData();
    form.set("intent", "import");
    form.set("markdown", "");
    form.set("file", file, name);
    return new Request(`${ORIGIN}${path}`, { method: "POST", headers: { Origin: ORIGIN, Cookie: cookie }, body: form });
  }

  it("an uploaded .docx is converted and shown with its doubts and the checker's errors, and nothing is imported even when “Nạp” was pressed", async () => {
    const cookie = await organizerCookie();
    const bytes = await docxOf([
      "Mã bộ câu hỏi: tu-word",
      "Bộ từ Word",
      "Câu 1. Có dấu?",
      "**A.** Có",
      "B. Không",
      "Câu 2. Không dấu?",
      "A. Một",
      "B. Hai",
    ]);
    const result = await call<{
      markdown: string;
      notes: { line: number; message: string }[];
      errors: { message: string }[];
      preview: unknown[];
    }>(() =>
      bankAction({
        request: upload("/to-chuc/bo-cau-hoi/moi", cookie, new Blob([new Uint8Array(bytes)]), "bo.docx"),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(result.status).toBe(400);
    expect(result.data!.markdown).toContain("## tu-word-002");
    expect(result.data!.notes.map((n) => n.message)).toEqual([expect.stringMatching(/^Câu 2: không thấy đáp án đúng/)]);
    expect(result.data!.errors.map((e) => e.message)).toEqual([expect.stringContaining("`tu-word-002` chưa có đáp án đúng")]);
    expect(result.data!.preview).toHaveLength(2);
    expect(ctx.db.select({ id: banks.id }).from(banks).all()).toEqual([{ id: "chuyen-doi-so" }]);
  });

  it("a clean .docx is shown ready to import, still not imported", async () => {
    const cookie = await organizerCookie();
    const bytes = await docxOf(["Bộ sạch", "Câu 1. Có dấu?", "**A.** Có", "B. Không"]);
    const result = await call<{ message: string; notes: unknown[] }>(() =>
      bankAction({
        request: upload("/to-chuc/bo-cau-hoi/moi", cookie, new Blob([new Uint8Array(bytes)]), "bo-sach.docx"),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(result.status).toBe(200);
    expect(result.data!.message).toBe(
      "Đã chuyển tệp Word: 1 câu hỏi, không có gì cần xem lại. Kiểm tra bản xem trước rồi bấm Nạp vào hệ thống.",
    );
    expect(ctx.db.select({ id: banks.id }).from(banks).all()).toEqual([{ id: "chuyen-doi-so" }]);
  });

  it("a file that is neither .md nor .docx gets a clear message", async () => {
    const cookie = await organizerCookie();
    const pdf = await call<{ formError: string }>(() =>
      bankAction({
        request: upload("/to-chuc/bo-cau-hoi/moi", cookie, new Blob(["%PDF-1.4"]), "de.pdf"),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(pdf.status).toBe(400);
    expect(pdf.data!.formError).toBe("Chỉ nhận tệp .md (markdown) hoặc .docx (Word).");
    const broken = await call<{ formError: string }>(() =>
      bankAction({
        request: upload("/to-chuc/bo-cau-hoi/moi", cookie, new Blob(["PK not a zip"]), "de.docx"),
        params: { bankId: "moi" },
        context,
      }),
    );
    expect(broken.status).toBe(400);
    expect(broken.data!.formError).toMatch(/^Tệp không phải tệp Word \.docx/);
  });

  it("a bank downloads as .docx that imports back to its markdown", async () => {
    const cookie = await organizerCookie();
    const stored = ctx.db.select({ id: banks.id, sourceMarkdown: banks.sourceMarkdown }).from(banks).all()[0]!;
    const result = await call(() =>
      bankDocxLoader({
        request: getRequest(`/to-chuc/bo-cau-hoi/${stored.id}/tai-docx`, { cookie }),
        params: { bankId: stored.id },
        context,
      }),
    );
    expect(result.status).toBe(200);
    expect(result.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(result.headers.get("Content-Disposition")).toContain(`${stored.id}.docx`);
    const back = await convertDocx(new Uint8Array(await result.response!.arrayBuffer()), {});
    const original = parseBank("x.md", stored.sourceMarkdown!).bank!;
    expect(back.ok && back.conversion.markdown).toBe(bankToMarkdown(original));
  });

  it("a round's paper has the round's questions and options and no answer, explanation or id", async () => {
    const cookie = await organizerCookie();
    const result = await call(() =>
      paperLoader({
        request: getRequest("/to-chuc/cuoc-thi/c1/vong/1/de-thi", { cookie }),
        params: { contestId: "c1", roundNumber: "1" },
        context,
      }),
    );
    expect(result.status).toBe(200);
    const bytes = Buffer.from(await result.response!.arrayBuffer());
    const html = (await mammoth.convertToHtml({ buffer: bytes }, { styleMap: ["u => u"] })).value;
    const count = 5;
    expect(html.match(/Câu \d+\. /g)).toHaveLength(count);
    expect(html).not.toMatch(/<u>|Giải thích|Nguồn:|BẢNG ĐÁP ÁN|Mã câu hỏi|cố định/);
    expect(html.match(/<strong>/g)).toHaveLength(count + 1); // "Câu N." and the title only
    const missing = await call(() =>
      paperLoader({
        request: getRequest("/to-chuc/cuoc-thi/c1/vong/9/de-thi", { cookie }),
        params: { contestId: "c1", roundNumber: "9" },
        context,
      }),
    );
    expect(missing.status).toBe(404);
  });

  it("a round whose bank has fewer questions than it draws says which", async () => {
    const cookie = await organizerCookie();
    ctx.db
      .update(roundQuotas)
      .set({ questionCount: 99 })
      .where(eq(roundQuotas.roundId, roundIdOf(ctx.db, "c1", 1)))
      .run();
    const result = await call(() =>
      paperLoader({
        request: getRequest("/to-chuc/cuoc-thi/c1/vong/1/de-thi", { cookie }),
        params: { contestId: "c1", roundNumber: "1" },
        context,
      }),
    );
    expect(result.status).toBe(409);
    expect(await result.response!.text()).toBe("Bộ câu hỏi chuyen-doi-so chỉ có 37 câu, vòng thi lấy 99 câu.");
  });
});
