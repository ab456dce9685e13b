/**
 * Authoring you can trust, end to end: `content:check` on folders and drafts (and `--strict`), the
 * demo content clean under the lint, and the console showing what the command line shows.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { checkContent } from "~/.server/content/pipeline.server";
import { parseBank } from "~/domain/content/bank";
import { contentMessages as m } from "~/i18n/content.vi";
import * as bankEditor from "~/routes/to-chuc.bo-cau-hoi.$bankId";
import { banks, users } from "../../db/schema";
import { call, context, createUser, ORIGIN, seedContent, sessionCookie, useTestDatabase } from "./helpers";

const REPO = join(import.meta.dirname, "../..");

const bankFile = (id: string, count: number, prefix = id) =>
  [
    "---",
    `id: ${id}`,
    `title: Bộ ${id}`,
    "---",
    "",
    ...Array.from({ length: count }, (_, i) => [
      `## ${prefix}-${i}`,
      "",
      `Câu hỏi ${prefix} số ${i}?`,
      "",
      `- [x] Có ${i}`,
      `- [ ] Không phải ${i}`,
      "",
    ]).flat(),
  ].join("\n");

const CONTEST = [
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
  "Thể lệ.",
].join("\n");

describe("content:check on folders and drafts", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cuocthi-authoring-"));
    mkdirSync(join(dir, "content/banks"), { recursive: true });
    mkdirSync(join(dir, "content/contests"), { recursive: true });
    mkdirSync(join(dir, "drafts"), { recursive: true });
    writeFileSync(join(dir, "content/banks/bo-a.md"), bankFile("bo-a", 6));
    writeFileSync(join(dir, "content/contests/c.md"), CONTEST);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a folder such as content/banks checks every file in it", () => {
    writeFileSync(
      join(dir, "content/banks/hong.md"),
      ["---", "id: hong", "title: Hỏng", "---", "", "## h-1", "", "Câu?", "", "- [x] Có", "- [x] Không", ""].join("\n"),
    );
    const { errors, checkedFiles } = checkContent([join(dir, "content/banks")], { cwd: dir });
    expect(checkedFiles.sort()).toEqual(["content/banks/bo-a.md", "content/banks/hong.md"]);
    expect(errors).toEqual([{ file: "content/banks/hong.md", line: 6, message: expect.stringContaining("có 2 đáp án đúng") }]);
  });

  it("a folder with no content file says so instead of “hợp lệ”", () => {
    mkdirSync(join(dir, "trong"));
    expect(checkContent([join(dir, "trong")], { cwd: dir }).errors).toEqual([{ file: "trong", line: 1, message: m.emptyFolder("trong") }]);
  });

  it.each([[["drafts/nhap.md"]], [["drafts/nhap.md", "content"]], [["content", "drafts/nhap.md"]]])(
    "a draft reusing a bank id is reported once, on the draft's id line, without false quota errors (%j)",
    (paths) => {
      writeFileSync(join(dir, "drafts/nhap.md"), bankFile("bo-a", 2, "nhap"));
      const { errors } = checkContent(
        paths.map((p) => join(dir, p)),
        { cwd: dir },
      );
      expect(errors).toEqual([{ file: "drafts/nhap.md", line: 2, message: m.duplicateBankId("bo-a", "content/banks/bo-a.md") }]);
    },
  );

  it("a draft reusing a bank id is told so even when its questions have errors", () => {
    writeFileSync(join(dir, "drafts/nhap.md"), bankFile("bo-a", 1, "nhap").replace("- [ ] Không phải 0", "- [x] Không phải 0"));
    const { errors } = checkContent([join(dir, "drafts/nhap.md")], { cwd: dir });
    expect(errors).toEqual([
      { file: "drafts/nhap.md", line: 2, message: m.duplicateBankId("bo-a", "content/banks/bo-a.md") },
      { file: "drafts/nhap.md", line: 6, message: expect.stringContaining("có 2 đáp án đúng") },
    ]);
  });

  it("warnings are printed and pass; --strict makes them fail", () => {
    writeFileSync(join(dir, "content/banks/bo-b.md"), bankFile("bo-b", 1).replace("Câu hỏi bo-b số 0?", "Câu hỏi bo-a số 0?"));
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          join(REPO, "node_modules/tsx/dist/cli.mjs"),
          "--tsconfig",
          join(REPO, "tsconfig.json"),
          join(REPO, "app/.server/cli/content-check.ts"),
          ...args,
        ],
        {
          cwd: dir,
          encoding: "utf8",
        },
      );
    const warningLine =
      "content/banks/bo-b.md:6: cảnh báo: câu `bo-b-0` có cùng nội dung câu hỏi với câu `bo-a-0` ở content/banks/bo-a.md:6";
    const relaxed = run();
    expect(relaxed.status).toBe(0);
    expect(relaxed.stderr).toContain(warningLine);
    expect(relaxed.stdout).toContain("Nội dung hợp lệ");
    const strict = run("--strict");
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain(warningLine);
    expect(strict.stderr).toContain(m.strictWarnings(1));
  }, 30_000);
});

describe("the demo content", () => {
  const checked = checkContent([], { cwd: REPO });

  it("has no error and no warning", () => {
    expect(checked.errors).toEqual([]);
    expect(checked.warnings).toEqual([]);
  });

  it("keeps the two bank ids, with enough questions for every round and the practice round", () => {
    const sizes = new Map(checked.content.banks.map((b) => [b.id, b.questions.length]));
    expect([...sizes.keys()].sort()).toEqual(["chuyen-doi-so", "van-ban-chi-dao"]);
    for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(20);
  });

  it("every question is worth 1 point, cites a seed article, and is not about the contest itself", () => {
    for (const bank of checked.content.banks) {
      for (const question of bank.questions) {
        expect(question.points, question.key).toBe(1);
        expect(question.source, question.key).toMatch(/^00[0-4]_[0-9a-f]{16}\.txt$/);
        expect(question.explanation, question.key).toBeTruthy();
        expect(question.stem.toLowerCase(), question.key).not.toContain("cuộc thi");
      }
    }
  });

  it("the contest's eligibility matches registration (no “nhân dân”), and its demo-only rules are marked", () => {
    const rules = checked.content.contests[0]!.rulesMarkdown;
    const eligibility = rules.split("## Đối tượng dự thi")[1]!.split("\n## ")[0]!;
    expect(eligibility).not.toContain("nhân dân");
    expect(eligibility).toContain("công đoàn cơ sở");
    expect(rules).toContain("Cấu hình ví dụ");
  });
});

describe("the console bank editor shows what the command line shows", () => {
  const ctx = useTestDatabase();
  beforeEach(() => seedContent(ctx.db));

  async function organizerCookie() {
    const id = createUser(ctx.db);
    ctx.db.update(users).set({ role: "organizer" }).where(eq(users.id, id)).run();
    return sessionCookie(ctx.db, id);
  }
  function post(bankId: string, cookie: string, intent: string, markdown: string) {
    const body = new FormData();
    body.set("intent", intent);
    body.set("markdown", markdown);
    const request = new Request(`${ORIGIN}/to-chuc/bo-cau-hoi/${bankId}`, {
      method: "POST",
      headers: { Origin: ORIGIN, Cookie: cookie },
      body,
    });
    return call<{
      errors: { line: number; message: string }[];
      warnings: { line: number; message: string; elsewhere: string | null }[];
      message: string | null;
    }>(() => bankEditor.action({ request, params: { bankId }, context }));
  }

  it("refuses to save bank X from a file that says id: Y, and bank Y is unchanged", async () => {
    const cookie = await organizerCookie();
    const before = ctx.db.select().from(banks).where(eq(banks.id, "bo-b")).get();
    const result = await post("bo-a", cookie, "import", bankFile("bo-b", 2));
    expect(result.status).toBe(400);
    expect(result.data!.errors).toEqual([{ line: 2, message: m.bankIdMismatch("bo-a", "bo-b") }]);
    expect(ctx.db.select().from(banks).where(eq(banks.id, "bo-b")).get()).toEqual(before);
  });

  it("the same errors and warnings as parseBank, in line order", async () => {
    const cookie = await organizerCookie();
    const text = [
      "---",
      "id: bo-moi",
      "title: Bộ: mới",
      "---",
      "",
      "### m-1",
      "",
      "Câu một?",
      "",
      "- [x] Có",
      "- [x] Không",
      "- [ ] Tất cả {co dinh}",
      "",
      "Giải thích: Vì vậy.",
      "Ghi chú: kiểm tra lại",
      "",
    ].join("\n");
    const result = await post("moi", cookie, "check", text);
    const cli = parseBank("bo-moi.md", text);
    expect(result.status).toBe(400);
    expect(result.data!.errors).toEqual([...cli.errors].sort((a, b) => a.line - b.line).map(({ line, message }) => ({ line, message })));
    expect(result.data!.errors.map((e) => e.line)).toEqual([3, 6, 6, 15]);
    expect(result.data!.warnings).toEqual(cli.warnings.map(({ line, message }) => ({ line, message, elsewhere: null })));
  });

  it("lints a bank against the banks already imported", async () => {
    const cookie = await organizerCookie();
    expect((await post("moi", cookie, "import", bankFile("bo-moi", 2))).status).toBe(302);
    const copy = bankFile("bo-khac", 1).replace("Câu hỏi bo-khac số 0?", "Câu hỏi bo-moi số 0?");
    const result = await post("moi", cookie, "check", copy);
    expect(result.status).toBe(200);
    expect(result.data!.warnings).toEqual([
      {
        line: 6,
        message: expect.stringContaining("câu `bo-khac-0` có cùng nội dung câu hỏi với câu `bo-moi-0` ở bo-moi.md:6"),
        elsewhere: "bo-moi.md",
      },
    ]);
  });
});
