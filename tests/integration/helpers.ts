/**
 * Shared helpers for the integration tests: a temporary database per test (also installed as the
 * process-wide one the routes use), a controllable clock, content built in code, members with
 * sessions, and ways to call route actions and loaders and read what they return.
 */
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import { luciaFor } from "~/.server/auth/lucia.server";
import { setClock } from "~/.server/clock.server";
import { importContent } from "~/.server/content/import.server";
import type { Bank, BankQuestion } from "~/domain/content/bank";
import type { Contest } from "~/domain/content/contest";
import type { Units } from "~/domain/content/units";
import type { ContentSet } from "~/domain/content/validate";
import { openDatabase, type Db } from "../../db/client";
import { openTestDatabase, removeDatabaseFiles } from "../helpers/base-database";
import { attemptItems, attempts, questionOptions, questionVersions, rounds, users } from "../../db/schema";

export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** Every test round is open on [OPENS_AT, CLOSES_AT), in October 2024. */
export const OPENS_AT = Date.UTC(2024, 9, 1, 0, 0);
export const CLOSES_AT = Date.UTC(2024, 9, 8, 0, 0);
/** A fixed "now" inside the rounds. */
export const NOW = OPENS_AT + DAY;
export const TIME_LIMIT_SECONDS = 20 * 60;

/* ---------- a fresh database file and clock per test ---------- */

export interface TestContext {
  db: Db;
  path: string;
  /** The fake clock the routes read (setClock); change it to move time. */
  now: number;
}

/**
 * Registers beforeEach/afterEach hooks: a temporary database file (a copy of the migrated base), installed as
 * `globalThis.__cuocthiDb`, and a fake clock starting at NOW. Read the returned object inside tests.
 */
export function useTestDatabase(): TestContext {
  const ctx = { now: NOW } as TestContext;
  beforeEach(() => {
    ctx.path = join(tmpdir(), `cuocthi-test-${process.pid}-${randomUUID()}.sqlite`);
    ctx.db = openTestDatabase(ctx.path);
    ctx.now = NOW;
    globalThis.__cuocthiDb = ctx.db;
    setClock(() => ctx.now);
  });
  afterEach(() => {
    setClock(undefined);
    globalThis.__cuocthiDb = undefined;
    ctx.db.$client.close();
    removeDatabaseFiles(ctx.path);
  });
  return ctx;
}

/** Closes the database and opens the same file again (a server restart), installing the new client. */
export function reopenDatabase(ctx: TestContext): Db {
  ctx.db.$client.close();
  ctx.db = openDatabase(ctx.path);
  globalThis.__cuocthiDb = ctx.db;
  return ctx.db;
}

/* ---------- content built in code ---------- */

export const UNITS: Units = {
  file: "tests/units.md",
  districts: [
    { id: "da-lat", name: "Thành phố Đà Lạt", line: 1 },
    { id: "bao-loc", name: "Thành phố Bảo Lộc", line: 2 },
  ],
  branches: [
    { id: "dl-so-tttt", name: "Công đoàn Sở Thông tin và Truyền thông", districtId: "da-lat", line: 3 },
    { id: "dl-ubnd", name: "Công đoàn cơ quan UBND thành phố Đà Lạt", districtId: "da-lat", line: 4 },
    { id: "bl-ubnd", name: "Công đoàn cơ quan UBND thành phố Bảo Lộc", districtId: "bao-loc", line: 5 },
  ],
};

export interface QuestionSpec {
  key: string;
  stem?: string;
  /** Option texts; a text starting with "*" is correct, one ending with " {pinned}" is pinned. */
  options: string[];
  explanation?: string | null;
  points?: number;
  multipleAnswers?: boolean;
}

export function question(spec: QuestionSpec): BankQuestion {
  return {
    key: spec.key,
    line: 1,
    stem: spec.stem ?? `Câu hỏi ${spec.key}?`,
    options: spec.options.map((raw) => {
      const isCorrect = raw.startsWith("*");
      const pinned = raw.endsWith(" {pinned}");
      const text = raw.replace(/^\*/, "").replace(/ \{pinned\}$/, "");
      return { text, isCorrect, pinned, line: 1 };
    }),
    explanation: spec.explanation === undefined ? `GIẢI-THÍCH-${spec.key}` : spec.explanation,
    source: null,
    points: spec.points ?? 1,
    multipleAnswers: spec.multipleAnswers ?? false,
  };
}

export function bank(id: string, questions: BankQuestion[]): Bank {
  return {
    file: `tests/banks/${id}.md`,
    id,
    idLine: 1,
    title: `Bộ ${id}`,
    topic: null,
    source: null,
    description: null,
    questions,
    sourceMarkdown: `# ${id}`,
  };
}

/**
 * Bank A: 4 questions (a pinned option, 2 points, a multi-answer one); bank B: 3 questions.
 * Every question has an explanation `GIẢI-THÍCH-<key>`.
 */
export function bankA(overrides: Partial<Record<string, Partial<QuestionSpec>>> = {}): Bank {
  const specs: QuestionSpec[] = [
    { key: "a-001", options: ["Cấp tỉnh", "Cấp huyện", "*Cấp xã", "Tất cả các đáp án trên {pinned}"] },
    { key: "a-002", options: ["10 tháng 9", "*10 tháng 10", "10 tháng 11"], points: 2 },
    { key: "a-003", options: ["*Dịch vụ công", "*Thanh toán", "Lập trình"], multipleAnswers: true },
    { key: "a-004", options: ["*Xác thực", "Trang trí"] },
  ];
  return bank(
    "bo-a",
    specs.map((s) => question({ ...s, ...overrides[s.key] })),
  );
}

export function bankB(): Bank {
  return bank("bo-b", [
    question({ key: "b-001", options: ["*Giải phóng tần số", "Tiết kiệm điện"] }),
    question({ key: "b-002", options: ["Chia sẻ ngay", "*Kiểm chứng"] }),
    question({ key: "b-003", options: ["*Nhanh, minh bạch", "Không có lợi ích"] }),
  ]);
}

export function contest(overrides: Partial<Contest> = {}): Contest {
  return {
    file: "tests/contests/c1.md",
    id: "c1",
    idLine: 1,
    title: "Cuộc thi thử nghiệm",
    timezone: "Asia/Ho_Chi_Minh",
    rulesMarkdown: "",
    timeLimitSeconds: TIME_LIMIT_SECONDS,
    questionsPerAttempt: 7,
    attemptsPerRound: 1,
    predictionEnabled: true,
    predictionTarget: "participants",
    rankingOrder: ["score", "prediction", "duration", "finishedAt"],
    liveStandings: false,
    onePrizePerPerson: false,
    reviewAfter: "questions-unused",
    showScore: "immediately",
    practice: false,
    prizes: [],
    rounds: [
      {
        number: 1,
        title: "Vòng 1",
        opensAt: OPENS_AT,
        closesAt: CLOSES_AT,
        // Whole banks: the draw only changes the order, so every test knows what is in an attempt.
        quotas: [
          { bankId: "bo-a", questionCount: 4, line: 1 },
          { bankId: "bo-b", questionCount: 3, line: 1 },
        ],
        line: 1,
      },
    ],
    ...overrides,
  };
}

export function importTestContent(db: Db, content: Partial<ContentSet>, now = NOW - 30 * DAY) {
  return importContent(db, { banks: content.banks ?? [], contests: content.contests ?? [], units: content.units ?? null }, { now });
}

/** Units, banks A and B, and the contests given (by default one contest "c1"). */
export function seedContent(db: Db, contests: Contest[] = [contest()]) {
  importTestContent(db, { units: UNITS, banks: [bankA(), bankB()], contests });
}

export function roundIdOf(db: Db, contestId = "c1", number = 1): number {
  const round = db
    .select({ id: rounds.id })
    .from(rounds)
    .where(and(eq(rounds.contestId, contestId), eq(rounds.number, number)))
    .get();
  if (!round) throw new Error(`no round ${contestId}/${number}`);
  return round.id;
}

/* ---------- members and sessions ---------- */

let phoneCounter = 0;

/** Inserts a member directly (a placeholder hash unless a real one is given); returns the id. */
export function createUser(
  db: Db,
  {
    phone,
    passwordHash = "not-a-real-hash",
    branchId = "dl-so-tttt",
    districtId = "da-lat",
  }: {
    phone?: string;
    passwordHash?: string;
    branchId?: string;
    districtId?: string;
  } = {},
): string {
  const id = randomUUID();
  db.insert(users)
    .values({
      id,
      phone: phone ?? `0912${String(100000 + ++phoneCounter).slice(-6)}`,
      fullName: "Người Thử Nghiệm",
      passwordHash,
      districtId,
      branchId,
      role: "member",
      createdAt: NOW - DAY,
    })
    .run();
  return id;
}

/** A logged-in session for the user, as the `name=value` a Cookie header carries. */
export async function sessionCookie(db: Db, userId: string): Promise<string> {
  const lucia = luciaFor(db);
  const session = await lucia.createSession(userId, {});
  return cookiePair(lucia.createSessionCookie(session.id).serialize());
}

/** The `name=value` part of a Set-Cookie header. */
export function cookiePair(setCookie: string): string {
  return setCookie.split(";")[0]!.trim();
}

/* ---------- attempts as stored ---------- */

export interface StoredItem {
  position: number;
  versionId: number;
  optionOrder: number[];
  chosen: number[] | null;
  answeredAt: number | null;
  points: number;
  multipleAnswers: boolean;
  explanation: string | null;
  stem: string;
  /** The drawn version's correct option ids (from the database, never from the quiz). */
  correct: number[];
  wrong: number[];
}

export function storedItems(db: Db, attemptId: string): StoredItem[] {
  const items = db
    .select({
      position: attemptItems.position,
      versionId: attemptItems.questionVersionId,
      optionOrder: attemptItems.optionOrder,
      chosen: attemptItems.chosen,
      answeredAt: attemptItems.answeredAt,
      points: questionVersions.points,
      multipleAnswers: questionVersions.multipleAnswers,
      explanation: questionVersions.explanation,
      stem: questionVersions.stem,
    })
    .from(attemptItems)
    .innerJoin(questionVersions, eq(questionVersions.id, attemptItems.questionVersionId))
    .where(eq(attemptItems.attemptId, attemptId))
    .orderBy(asc(attemptItems.position))
    .all();
  return items.map((item) => {
    const options = db
      .select({ id: questionOptions.id, isCorrect: questionOptions.isCorrect })
      .from(questionOptions)
      .where(eq(questionOptions.versionId, item.versionId))
      .all();
    return {
      ...item,
      correct: options
        .filter((o) => o.isCorrect)
        .map((o) => o.id)
        .sort((a, b) => a - b),
      wrong: options.filter((o) => !o.isCorrect).map((o) => o.id),
    };
  });
}

export function attemptRow(db: Db, attemptId: string) {
  const row = db.select().from(attempts).where(eq(attempts.id, attemptId)).get();
  if (!row) throw new Error(`no attempt ${attemptId}`);
  return row;
}

/* ---------- calling routes ---------- */

export const ORIGIN = "http://localhost";

export function postRequest(
  path: string,
  fields: [string, string][],
  { cookie, origin = ORIGIN }: { cookie?: string; origin?: string | null } = {},
): Request {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (origin !== null) headers.Origin = origin;
  if (cookie) headers.Cookie = cookie;
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers, body: new URLSearchParams(fields) });
}

export function getRequest(path: string, { cookie }: { cookie?: string } = {}): Request {
  return new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export const context = { clientIp: "10.0.0.1" };

export interface RouteResult<T = unknown> {
  status: number;
  data: T | null;
  headers: Headers;
  response: Response | null;
}

interface DataWithInit {
  type: "DataWithResponseInit";
  data: unknown;
  init: ResponseInit | null;
}

function isDataWithInit(value: unknown): value is DataWithInit {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}

/** What a loader or action returned: a Response (redirect), `data(...)`, or a plain object. */
export function readResult<T = Record<string, unknown>>(value: unknown): RouteResult<T> {
  if (value instanceof Response) return { status: value.status, data: null, headers: value.headers, response: value };
  if (isDataWithInit(value)) {
    return {
      status: value.init?.status ?? 200,
      data: value.data as T,
      headers: new Headers(value.init?.headers),
      response: null,
    };
  }
  return { status: 200, data: value as T, headers: new Headers(), response: null };
}

/** Runs a loader/action, returning its result whether it was returned or thrown as a Response. */
export async function call<T = Record<string, unknown>>(run: () => Promise<unknown>): Promise<RouteResult<T> & { thrown: boolean }> {
  try {
    return { ...readResult<T>(await run()), thrown: false };
  } catch (error) {
    if (error instanceof Response) return { ...readResult<T>(error), thrown: true };
    throw error;
  }
}
