import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { eq, getTableName, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importContentDir, type ImportResult } from "~/.server/content/pipeline.server";
import { changeCount, type ImportSummary } from "~/.server/content/import.server";
import { ruleMessages } from "~/domain/contest-rules";
import { openDatabase, type Db } from "../../db/client";
import * as schema from "../../db/schema";
import { openTestDatabase, removeDatabaseFiles } from "../helpers/base-database";
import { lineOfFile } from "../helpers/text";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const FIXTURES = join(REPO, "tests", "fixtures", "content");
const NOW = Date.UTC(2024, 8, 1, 2, 0); // a fixed instant, before every round of the fixtures
const DAY = 86_400_000;

/* ---------- a fresh database file per test ---------- */

let db: Db;
let dbPath: string;
let tempDirs: string[] = [];

beforeEach(() => {
  dbPath = join(tmpdir(), `cuocthi-test-${process.pid}-${randomUUID()}.sqlite`);
  db = openTestDatabase(dbPath);
});

afterEach(() => {
  db.$client.close();
  removeDatabaseFiles(dbPath);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

/** Every row of every table (sqlite_sequence and the migrations journal included), in a stable order. */
function dump(): Record<string, unknown[]> {
  const sqlite = db.$client;
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table' order by name").all() as { name: string }[];
  const result: Record<string, unknown[]> = {};
  for (const { name } of tables) {
    const columnCount = (sqlite.prepare(`pragma table_info("${name}")`).all() as unknown[]).length;
    const orderBy = Array.from({ length: columnCount }, (_, i) => i + 1).join(", ");
    result[name] = sqlite.prepare(`select * from "${name}" order by ${orderBy}`).all();
  }
  return result;
}

function count(table: string): number {
  return (db.$client.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
}

/** A copy of the fixture content folder at <tmp>/content, to edit; returns the root (the cwd). */
function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), "cuocthi-content-"));
  tempDirs.push(root);
  cpSync(FIXTURES, join(root, "content"), { recursive: true });
  return root;
}

function importFrom(root: string, now = NOW): ImportResult {
  return importContentDir(db, { now, cwd: root, contentDir: join(root, "content") });
}

function importOk(root: string, now = NOW): ImportSummary {
  const result = importFrom(root, now);
  if (!result.ok) throw new Error(`import failed:\n${result.errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("\n")}`);
  return result.summary;
}

function editFile(root: string, relative: string, edit: (text: string) => string) {
  const path = join(root, relative);
  const before = readFileSync(path, "utf8");
  const after = edit(before);
  expect(after).not.toBe(before); // the edit did apply
  writeFileSync(path, after);
}

function question(bankId: string, key: string) {
  const row = db.query.questions.findFirst({ where: (q, { and, eq }) => and(eq(q.bankId, bankId), eq(q.key, key)) }).sync();
  if (!row) throw new Error(`no question ${bankId}/${key}`);
  return row;
}

function versionsOf(questionId: number) {
  return db
    .select()
    .from(schema.questionVersions)
    .where(eq(schema.questionVersions.questionId, questionId))
    .orderBy(schema.questionVersions.version)
    .all();
}

function optionsOf(versionId: number) {
  return db
    .select()
    .from(schema.questionOptions)
    .where(eq(schema.questionOptions.versionId, versionId))
    .orderBy(schema.questionOptions.position)
    .all();
}

/* ---------- (a) migrations ---------- */

describe("migrations on an empty database", () => {
  const schemaTables = (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));

  it("create every table of db/schema.ts with every column and index", () => {
    expect(schemaTables.length).toBeGreaterThanOrEqual(15);
    const inDb = (
      db.$client
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'")
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(inDb.sort()).toEqual(schemaTables.map((t) => getTableName(t)).sort());

    for (const table of schemaTables) {
      const config = getTableConfig(table);
      const columns = db.$client.prepare(`pragma table_info("${config.name}")`).all() as { name: string; notnull: number }[];
      expect(columns.map((c) => c.name).sort(), config.name).toEqual(config.columns.map((c) => c.name).sort());
      for (const column of config.columns) {
        const actual = columns.find((c) => c.name === column.name)!;
        // a primary key column is not null whatever pragma says for INTEGER PRIMARY KEY
        if (!column.primary) expect(actual.notnull === 1, `${config.name}.${column.name} not null`).toBe(column.notNull);
      }
      const indexes = db.$client.prepare(`pragma index_list("${config.name}")`).all() as { name: string; unique: number }[];
      for (const index of config.indexes) {
        const found = indexes.find((i) => i.name === index.config.name);
        expect(found, `${config.name}: index ${index.config.name}`).toBeDefined();
        expect(found!.unique === 1, `${index.config.name} unique`).toBe(Boolean(index.config.unique));
      }
    }
  });

  it("use WAL and enforce foreign keys", () => {
    expect(db.$client.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.$client.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(() => db.insert(schema.branches).values({ id: "x", districtId: "khong-co", name: "X", position: 0 }).run()).toThrow(
      /FOREIGN KEY/,
    );
  });

  it("are applied once: opening the file again keeps its data", () => {
    db.insert(schema.districts).values({ id: "da-lat", name: "Đà Lạt", position: 0 }).run();
    db.$client.close();
    db = openDatabase(dbPath);
    expect(count("districts")).toBe(1);
    expect(count("__drizzle_migrations")).toBe(readdirSync(join(REPO, "db", "migrations")).filter((f) => f.endsWith(".sql")).length);
  });
});

/* ---------- (b) the real content folder ---------- */

describe("importing the real content/ folder", () => {
  const contentDir = join(REPO, "content");
  const bankFiles = readdirSync(join(contentDir, "banks")).filter((f) => f.endsWith(".md") && f.toLowerCase() !== "readme.md");
  const bankTexts = bankFiles.map((f) => readFileSync(join(contentDir, "banks", f), "utf8"));
  const unitsText = readFileSync(join(contentDir, "units.md"), "utf8");
  // counted straight from the text, independently of the parser
  const questionCount = bankTexts.reduce((n, t) => n + (t.match(/^## /gm)?.length ?? 0), 0);
  const optionCount = bankTexts.reduce((n, t) => n + (t.match(/^\s*[-*+] \[[ xX]\]/gm)?.length ?? 0), 0);
  const districtRows = unitsText.match(/^\|\s*[a-z0-9][a-z0-9-]*\s*\|[^|]+\|\s*$/gm)?.length ?? 0;
  const branchRows = unitsText.match(/^\|\s*[a-z0-9][a-z0-9-]*\s*\|[^|]+\|\s*[a-z0-9][a-z0-9-]*\s*\|\s*$/gm)?.length ?? 0;

  it("succeeds, and what is stored matches the files", () => {
    expect(bankFiles).toHaveLength(2);
    expect(districtRows).toBe(12);
    expect(questionCount).toBeGreaterThan(50);
    expect(branchRows).toBeGreaterThan(12);

    const result = importContentDir(db, { now: NOW, cwd: REPO, contentDir });
    if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
    expect(result.summary).toEqual({
      districts: { created: 12, updated: 0 },
      branches: { created: branchRows, updated: 0 },
      banks: { created: 2, updated: 0, unchanged: 0 },
      questions: { created: questionCount, newVersions: 0, retired: 0 },
      contests: { created: 1, updated: 0, unchanged: 0 },
      rounds: { created: 3, updated: 0, removed: 0 },
    });

    expect(count("banks")).toBe(2);
    expect(count("questions")).toBe(questionCount);
    expect(count("question_versions")).toBe(questionCount);
    expect(count("question_options")).toBe(optionCount);
    expect(count("contests")).toBe(1);
    expect(count("rounds")).toBe(3);
    expect(count("round_quotas")).toBe(6);
    expect(count("prize_tiers")).toBe(4);
    expect(count("districts")).toBe(12);
    expect(count("branches")).toBe(branchRows);
    // the import, and the contest it created (with who ran it and through which path)
    expect(
      db
        .select()
        .from(schema.auditLog)
        .all()
        .map((a) => [a.action, a.subject]),
    ).toEqual([
      ["contest.create", "contest:nghi-quyet-dai-hoi-x"],
      ["content.import", "content"],
    ]);

    const bankRows = db.select().from(schema.banks).orderBy(schema.banks.id).all();
    expect(bankRows.map((b) => [b.id, b.sourceFile])).toEqual([
      ["chuyen-doi-so", "content/banks/chuyen-doi-so.md"],
      ["van-ban-chi-dao", "content/banks/van-ban-chi-dao.md"],
    ]);
    const contest = db.select().from(schema.contests).get()!;
    expect(contest).toMatchObject({
      id: "nghi-quyet-dai-hoi-x",
      timezone: "Asia/Ho_Chi_Minh",
      timeLimitSeconds: 1200,
      questionsPerAttempt: 20,
      sourceFile: "content/contests/nghi-quyet-dai-hoi-x.md",
      createdAt: NOW,
      updatedAt: NOW,
    });
    const rounds = db.select().from(schema.rounds).orderBy(schema.rounds.number).all();
    expect(rounds.map((r) => [r.number, r.opensAt, r.closesAt])).toEqual([
      [1, Date.UTC(2024, 8, 30, 3, 0), Date.UTC(2024, 9, 7, 2, 30)],
      [2, Date.UTC(2024, 9, 7, 3, 0), Date.UTC(2024, 9, 14, 2, 30)],
      [3, Date.UTC(2024, 9, 14, 3, 0), Date.UTC(2024, 9, 21, 2, 30)],
    ]);
    // every question points at its one version, and is active
    const orphans = db.$client
      .prepare(
        "select count(*) as n from questions q left join question_versions v on v.id = q.current_version_id where v.id is null or v.question_id <> q.id or q.active = 0",
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
  });
});

/* ---------- (c) idempotence ---------- */

describe("importing twice", () => {
  it("changes nothing the second time, even later (the real content)", () => {
    importContentDir(db, { now: NOW, cwd: REPO, contentDir: join(REPO, "content") });
    const before = dump();
    const second = importContentDir(db, { now: NOW + DAY, cwd: REPO, contentDir: join(REPO, "content") });
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(changeCount(second.summary)).toBe(0);
    expect(second.summary.banks.unchanged).toBe(2);
    expect(second.summary.contests.unchanged).toBe(1);
    expect(dump()).toEqual(before);
    expect(before.audit_log).toHaveLength(2);
  });

  it("changes nothing the second time (the fixtures)", () => {
    const root = contentCopy();
    const first = importOk(root);
    expect(changeCount(first)).toBeGreaterThan(0);
    const before = dump();
    const second = importOk(root, NOW + 3 * DAY);
    expect(changeCount(second)).toBe(0);
    expect(dump()).toEqual(before);
  });
});

describe("the same visible text", () => {
  it("saved with a BOM, Windows line ends and decomposed letters imports as no change", () => {
    const root = contentCopy();
    importOk(root);
    const before = dump();
    for (const relative of [
      join("content", "banks", "bo-a.md"),
      join("content", "banks", "bo-b.md"),
      join("content", "contests", "thi-thu.md"),
      join("content", "units.md"),
    ]) {
      editFile(root, relative, (t) => `\uFEFF${t.normalize("NFD").replace(/\n/g, "\r\n")}`);
    }
    const summary = importOk(root, NOW + DAY);
    expect(changeCount(summary)).toBe(0);
    expect(dump()).toEqual(before);
  });
});

/* ---------- (d) versions ---------- */

describe("question versions", () => {
  const BANK_A = join("content", "banks", "bo-a.md");
  const OLD_STEM = "Ngày Chuyển đổi số quốc gia là ngày nào?";
  const NEW_STEM = "Ngày Chuyển đổi số quốc gia được tổ chức vào ngày nào hằng năm?";

  it("an edited question gets version 2; reverting points back to version 1; removing retires it", () => {
    const root = contentCopy();
    importOk(root);
    const v1 = versionsOf(question("bo-a", "a-002").id);
    expect(v1).toHaveLength(1);
    expect(v1[0]).toMatchObject({ version: 1, stem: OLD_STEM, points: 2, createdAt: NOW });
    const v1Options = optionsOf(v1[0]!.id);
    expect(v1Options.map((o) => [o.position, o.text, o.isCorrect, o.pinned])).toEqual([
      [0, "10 tháng 9", false, false],
      [1, "10 tháng 10", true, false],
      [2, "10 tháng 11", false, false],
    ]);
    const others = ["a-001", "a-003", "a-004"].map((key) => question("bo-a", key));
    const othersBefore = others.map((q) => q.currentVersionId);

    // edit the stem
    editFile(root, BANK_A, (t) => t.replace(OLD_STEM, NEW_STEM));
    const edited = importOk(root, NOW + DAY);
    expect(edited.questions).toEqual({ created: 0, newVersions: 1, retired: 0 });
    expect(edited.banks).toEqual({ created: 0, updated: 1, unchanged: 1 });
    const q = question("bo-a", "a-002");
    const versions = versionsOf(q.id);
    expect(versions.map((v) => [v.version, v.stem])).toEqual([
      [1, OLD_STEM],
      [2, NEW_STEM],
    ]);
    expect(q.currentVersionId).toBe(versions[1]!.id);
    expect(versions[1]!.createdAt).toBe(NOW + DAY);
    // version 1 and its options are kept as they were, for the attempts that drew it
    expect(versions[0]).toEqual(v1[0]);
    expect(optionsOf(v1[0]!.id)).toEqual(v1Options);
    expect(optionsOf(versions[1]!.id).map((o) => o.text)).toEqual(v1Options.map((o) => o.text));
    // the other questions did not move
    for (const [i, other] of others.entries()) {
      expect(question("bo-a", other.key).currentVersionId).toBe(othersBefore[i]);
      expect(versionsOf(other.id)).toHaveLength(1);
    }
    for (const key of ["b-001", "b-002", "b-003"]) expect(versionsOf(question("bo-b", key).id)).toHaveLength(1);

    // revert the edit
    editFile(root, BANK_A, (t) => t.replace(NEW_STEM, OLD_STEM));
    const reverted = importOk(root, NOW + 2 * DAY);
    expect(reverted.questions).toEqual({ created: 0, newVersions: 0, retired: 0 });
    expect(question("bo-a", "a-002").currentVersionId).toBe(v1[0]!.id);
    expect(versionsOf(q.id).map((v) => v.version)).toEqual([1, 2]);

    // remove a question
    editFile(root, BANK_A, (t) => t.slice(0, t.indexOf("## a-004")));
    const removed = importOk(root, NOW + 3 * DAY);
    expect(removed.questions).toEqual({ created: 0, newVersions: 0, retired: 1 });
    const retired = question("bo-a", "a-004");
    expect(retired.active).toBe(false);
    expect(versionsOf(retired.id)).toHaveLength(1);
    expect(optionsOf(versionsOf(retired.id)[0]!.id)).toHaveLength(2);
    expect(question("bo-a", "a-001").active).toBe(true);
    expect(retired.currentVersionId).toBe(versionsOf(retired.id)[0]!.id);
  });

  it("an edited option, point value or answer key is a new version too; moving a question is not", () => {
    const root = contentCopy();
    importOk(root);
    const a1 = question("bo-a", "a-001");
    editFile(root, BANK_A, (t) => t.replace("- [ ] Cấp huyện", "- [ ] Cấp quận, huyện"));
    expect(importOk(root).questions.newVersions).toBe(1);
    expect(optionsOf(question("bo-a", "a-001").currentVersionId!).map((o) => o.text)).toContain("Cấp quận, huyện");
    expect(versionsOf(a1.id)).toHaveLength(2);

    editFile(root, BANK_A, (t) => t.replace("Điểm: 2", "Điểm: 3"));
    expect(importOk(root).questions.newVersions).toBe(1);
    expect(versionsOf(question("bo-a", "a-002").id).map((v) => v.points)).toEqual([2, 3]);

    const bankB = join("content", "banks", "bo-b.md");
    editFile(root, bankB, (t) => t.replace("- [ ] Chia sẻ ngay\n- [x] Kiểm chứng", "- [x] Chia sẻ ngay\n- [ ] Kiểm chứng"));
    expect(importOk(root).questions.newVersions).toBe(1);
    const b2 = question("bo-b", "b-002");
    expect(optionsOf(b2.currentVersionId!).map((o) => o.isCorrect)).toEqual([true, false]);
    expect(versionsOf(b2.id).map((v) => optionsOf(v.id).map((o) => o.isCorrect))).toEqual([
      [false, true],
      [true, false],
    ]);

    // moving a question within the file changes its position, not its content
    editFile(root, BANK_A, (t) => {
      const start = t.indexOf("## a-004");
      const a4 = t.slice(start).trimEnd();
      return t.slice(0, t.indexOf("## a-001")) + `${a4}\n\n` + t.slice(t.indexOf("## a-001"), start);
    });
    const moved = importOk(root);
    expect(moved.questions).toEqual({ created: 0, newVersions: 0, retired: 0 });
    expect(question("bo-a", "a-004").position).toBe(0);
    expect(question("bo-a", "a-001").position).toBe(1);
    expect(versionsOf(question("bo-a", "a-004").id)).toHaveLength(1);
  });

  it("a question put back after removal is active again, with its old version", () => {
    const root = contentCopy();
    importOk(root);
    const original = readFileSync(join(root, BANK_A), "utf8");
    const v = question("bo-a", "a-004").currentVersionId;
    editFile(root, BANK_A, (t) => t.slice(0, t.indexOf("## a-004")));
    importOk(root);
    expect(question("bo-a", "a-004").active).toBe(false);
    writeFileSync(join(root, BANK_A), original);
    importOk(root);
    expect(question("bo-a", "a-004")).toMatchObject({ active: true, currentVersionId: v });
    expect(versionsOf(question("bo-a", "a-004").id)).toHaveLength(1);
  });
});

/* ---------- (e) a bad file ---------- */

describe("a content folder with one bad file", () => {
  it("changes nothing at all, and reports file:line errors", () => {
    const root = contentCopy();
    importOk(root);
    const before = dump();
    // good edits elsewhere, which must not be applied either
    editFile(root, join("content", "banks", "bo-a.md"), (t) => t.replace("Chữ ký số dùng để làm gì?", "Chữ ký số là gì?"));
    editFile(root, join("content", "units.md"), (t) => `${t}| bl-ttyt | Công đoàn Trung tâm Y tế Bảo Lộc | bao-loc |\n`);
    editFile(root, join("content", "contests", "thi-thu.md"), (t) => t.replace("title: Cuộc thi thử", "title: Cuộc thi thử nghiệm"));
    // and one mistake
    const bankB = join("content", "banks", "bo-b.md");
    editFile(root, bankB, (t) => t.replace("- [ ] Tiết kiệm điện", "- [ ] giải phóng  TẦN SỐ cho công nghệ mới"));

    const result = importFrom(root, NOW + DAY);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "content/banks/bo-b.md",
          line: lineOfFile(join(root, bankB), "- [ ] giải phóng  TẦN SỐ cho công nghệ mới"),
          message: expect.stringContaining("lựa chọn này trùng với lựa chọn ở dòng"),
        },
      ],
    });
    expect(dump()).toEqual(before);
  });

  it("on a first import, leaves the database empty", () => {
    const root = contentCopy();
    const before = dump();
    editFile(root, join("content", "contests", "thi-thu.md"), (t) => t.replace("bo-b: 1", "bo-c: 1"));
    const result = importFrom(root);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      {
        file: "content/contests/thi-thu.md",
        line: lineOfFile(join(root, "content", "contests", "thi-thu.md"), "      bo-c: 1"),
        message: expect.stringContaining("không có bộ câu hỏi “bo-c” — các bộ hiện có:"),
      },
    ]);
    expect(dump()).toEqual(before);
    expect(count("banks")).toBe(0);
  });
});

/* ---------- (f) rounds that members have already taken ---------- */

describe("a round with attempts", () => {
  const CONTEST = join("content", "contests", "thi-thu.md");

  function addAttempt(roundNumber: number) {
    const round = db.select().from(schema.rounds).where(eq(schema.rounds.number, roundNumber)).get()!;
    db.insert(schema.users)
      .values({
        id: "user-1",
        phone: "0912345678",
        fullName: "Nguyễn Văn A",
        passwordHash: "x",
        districtId: "da-lat",
        branchId: "dl-ubnd",
        createdAt: NOW,
      })
      .run();
    db.insert(schema.attempts)
      .values({
        id: "attempt-1",
        roundId: round.id,
        userId: "user-1",
        attemptNumber: 1,
        startedAt: round.opensAt + 1000,
        deadlineAt: round.opensAt + 601_000,
        maxScore: 4,
        questionCount: 4,
      })
      .run();
  }

  it("refuses a change to that round's quotas, with the round's line, and changes nothing", () => {
    const root = contentCopy();
    importOk(root);
    addAttempt(1);
    const before = dump();
    editFile(root, join("content", "banks", "bo-a.md"), (t) => t.replace("Chữ ký số dùng để làm gì?", "Chữ ký số là gì?"));
    editFile(root, CONTEST, (t) => t.replace("      bo-a: 2\n      bo-b: 2", "      bo-a: 3\n      bo-b: 1"));
    const result = importFrom(root, NOW + DAY);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "content/contests/thi-thu.md",
          line: lineOfFile(join(root, CONTEST), "    banks:"),
          message: ruleMessages.quotasLocked(1),
        },
      ],
    });
    expect(dump()).toEqual(before);
  });

  it("refuses the removal of that round, and changes nothing", () => {
    const root = contentCopy();
    importOk(root);
    addAttempt(1);
    const before = dump();
    editFile(root, CONTEST, (t) => {
      const start = t.indexOf("  - number: 1");
      return t.slice(0, start) + t.slice(t.indexOf("  - number: 2"));
    });
    const result = importFrom(root, NOW + DAY);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: "content/contests/thi-thu.md",
          line: expect.any(Number),
          message: ruleMessages.removeOpened(1),
        },
      ],
    });
    if (!result.ok) expect(result.errors[0]!.line).toBe(lineOfFile(join(root, CONTEST), "id: thi-thu"));
    expect(dump()).toEqual(before);
  });

  it("still accepts the same quotas written in another order, and changes to other rounds", () => {
    const root = contentCopy();
    importOk(root);
    addAttempt(1);
    editFile(root, CONTEST, (t) =>
      t
        .replace("      bo-a: 2\n      bo-b: 2", "      bo-b: 2\n      bo-a: 2")
        .replace("      bo-a: 3\n      bo-b: 1", "      bo-a: 2\n      bo-b: 2"),
    );
    const summary = importOk(root, NOW + DAY);
    expect(summary.rounds).toEqual({ created: 0, updated: 1, removed: 0 });
    const round2 = db.select().from(schema.rounds).where(eq(schema.rounds.number, 2)).get()!;
    const quotas = db.select().from(schema.roundQuotas).where(eq(schema.roundQuotas.roundId, round2.id)).all();
    expect(quotas.map((q) => [q.bankId, q.questionCount]).sort()).toEqual([
      ["bo-a", 2],
      ["bo-b", 2],
    ]);
    expect(count("attempts")).toBe(1);
  });

  it("a round without attempts can be removed", () => {
    const root = contentCopy();
    importOk(root);
    addAttempt(1);
    editFile(root, CONTEST, (t) => t.slice(0, t.indexOf("  - number: 2")) + t.slice(t.indexOf("---\n\n## Thể lệ")));
    const summary = importOk(root, NOW + DAY);
    expect(summary.rounds).toEqual({ created: 0, updated: 0, removed: 1 });
    expect(
      db
        .select()
        .from(schema.rounds)
        .all()
        .map((r) => r.number),
    ).toEqual([1]);
    expect(count("round_quotas")).toBe(2);
  });
});

it("the fixture folder itself is valid content", () => {
  expect(existsSync(join(FIXTURES, "units.md"))).toBe(true);
  const root = contentCopy();
  const summary = importOk(root);
  expect(summary).toEqual({
    districts: { created: 2, updated: 0 },
    branches: { created: 3, updated: 0 },
    banks: { created: 2, updated: 0, unchanged: 0 },
    questions: { created: 7, newVersions: 0, retired: 0 },
    contests: { created: 1, updated: 0, unchanged: 0 },
    rounds: { created: 2, updated: 0, removed: 0 },
  });
  expect(
    db
      .select()
      .from(schema.questionVersions)
      .all()
      .find((v) => v.multipleAnswers),
  ).toMatchObject({ stem: "Những kỹ năng nào thuộc 5 kỹ năng số cơ bản?" });
  expect(count("prize_tiers")).toBe(2);
  expect(db.select().from(schema.auditLog).all()).toMatchObject([
    { id: 1, at: NOW, actorUserId: null, action: "contest.create", subject: "contest:thi-thu", subjectKind: "contest" },
    { id: 2, at: NOW, actorUserId: null, action: "content.import", subject: "content", details: { ...summary, via: "content:import" } },
  ]);
});
