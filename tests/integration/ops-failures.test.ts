/**
 * Failures say what they are (issue 13, section 3): a full disk or a read-only database answers
 * 503 with Retry-After and "not saved", /healthz notices, a database that cannot be opened is one
 * line and exit code 1, and a read-then-write transaction waits for another process's write.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { finalizeOverdueAttempts } from "~/.server/attempts.server";
import { forgetStorageFailures, RETRY_AFTER_SECONDS, WRITE_FAILURE_WINDOW_MS } from "~/.server/storage-health.server";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { handleDataRequest, handleError, onServerStart } from "~/entry.server";
import { ops } from "~/i18n/ops.vi";
import * as quizRoute from "~/routes/bai-thi.$attemptId._index";
import * as roundRoute from "~/routes/cuoc-thi.$contestId.vong.$roundNumber";
import * as saveRoute from "~/routes/bai-thi.$attemptId.tra-loi";
import * as healthz from "~/routes/healthz";
import { type Db } from "../../db/client";
import * as schema from "../../db/schema";
import { memberWithAttempt } from "../helpers/member-attempt";
import {
  attemptRow,
  context,
  createUser,
  NOW,
  postRequest,
  sessionCookie,
  storedItems,
  TIME_LIMIT_SECONDS,
  useTestDatabase,
} from "./helpers";

const ctx = useTestDatabase();
const root = join(import.meta.dirname, "..", "..");
let attemptId: string;
let cookie: string;

beforeEach(async () => {
  forgetStorageFailures();
  ({ cookie, attemptId } = await memberWithAttempt(ctx.db));
  ctx.now = NOW + 60_000;
});
afterEach(() => forgetStorageFailures());

async function postSave(position: number, option: number) {
  const response = (await saveRoute.action({
    request: postRequest(
      `/bai-thi/${attemptId}/tra-loi`,
      [
        ["position", String(position)],
        ["option", String(option)],
      ],
      { cookie },
    ),
    params: { attemptId },
    context,
  })) as Response;
  return {
    status: response.status,
    retryAfter: response.headers.get("Retry-After"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function health() {
  const response = await healthz.loader();
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Console errors are part of what is asserted: exactly one line per failure episode. */
function captureErrors() {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  const from = spy.mock.calls.length;
  let lines: string[] | undefined;
  const read = () => spy.mock.calls.slice(from).map((c) => c.map(String).join(" "));
  return {
    lines: () => lines ?? read(),
    // The lines are read here and taken off the record: tests/setup.ts fails a test on any other.
    done: () => {
      lines = read();
      spy.mockClear();
    },
  };
}

describe("a read-only database", () => {
  it("answers a save 503 with Retry-After and 'not saved', keeps nothing, and /healthz says 503", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    expect((await health()).status).toBe(200);
    const errors = captureErrors();
    ctx.db.$client.pragma("query_only = 1");
    try {
      const first = await postSave(item.position, item.correct[0]!);
      const second = await postSave(item.position, item.correct[0]!);
      for (const reply of [first, second]) {
        expect(reply).toEqual({
          status: 503,
          retryAfter: String(RETRY_AFTER_SECONDS),
          body: { ok: false, code: "unavailable", error: ops.unavailable.answerNotSaved, retryAfter: RETRY_AFTER_SECONDS },
        });
      }
      expect(await health()).toMatchObject({ status: 503, body: { status: "error", database: "not-writable", error: "SQLITE_READONLY" } });
    } finally {
      ctx.db.$client.pragma("query_only = 0");
      errors.done();
    }
    expect(errors.lines()).toHaveLength(1);
    expect(errors.lines()[0]).toContain("(SQLITE_READONLY)");
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();

    // Writable again: /healthz recovers once the last failure is a minute old.
    expect((await health()).status).toBe(503);
    ctx.now += WRITE_FAILURE_WINDOW_MS;
    expect(await health()).toMatchObject({ status: 200, body: { status: "ok" } });
    expect((await postSave(item.position, item.correct[0]!)).status).toBe(200);
  });

  it("answers 503 'not saved' when the session check itself cannot write (Lucia extending the session)", async () => {
    const item = storedItems(ctx.db, attemptId)[0]!;
    // A session with an hour left is extended (written) by the next request that uses it.
    ctx.db
      .update(schema.sessions)
      .set({ expiresAt: Math.floor(Date.now() / 1000) + 3600 })
      .run();
    const errors = captureErrors();
    ctx.db.$client.pragma("query_only = 1");
    let reply: Awaited<ReturnType<typeof postSave>>;
    try {
      reply = await postSave(item.position, item.correct[0]!).catch(async (thrown: unknown) => {
        if (!(thrown instanceof Response)) throw thrown;
        return {
          status: thrown.status,
          retryAfter: thrown.headers.get("Retry-After"),
          body: (await thrown.json()) as Record<string, unknown>,
        };
      });
    } finally {
      ctx.db.$client.pragma("query_only = 0");
      errors.done();
    }
    expect(reply).toEqual({
      status: 503,
      retryAfter: String(RETRY_AFTER_SECONDS),
      body: { ok: false, code: "unavailable", error: ops.unavailable.answerNotSaved, retryAfter: RETRY_AFTER_SECONDS },
    });
    expect(errors.lines()).toEqual([expect.stringContaining("(SQLITE_READONLY)")]);
  });

  it("opened read-only, /healthz is 503 from the start, before any request tried to write", async () => {
    const readonly = new Database(ctx.path, { readonly: true });
    const previous = globalThis.__cuocthiDb;
    globalThis.__cuocthiDb = drizzle(readonly, { schema }) as Db;
    const errors = captureErrors();
    try {
      expect(await health()).toMatchObject({ status: 503, body: { database: "not-writable", error: "SQLITE_READONLY" } });
    } finally {
      globalThis.__cuocthiDb = previous;
      readonly.close();
      errors.done();
    }
    expect(errors.lines()).toHaveLength(1);
  });
});

describe("a full disk", () => {
  /** The file may not grow, and every answer written needs new pages: SQLite answers SQLITE_FULL. */
  function fillDisk() {
    const sqlite = ctx.db.$client;
    sqlite.exec("create table ops_test_filler (payload blob)");
    for (const table of ["attempt_items", "attempts"]) {
      for (const event of ["update", "insert"]) {
        sqlite.exec(
          `create temp trigger ops_test_grow_${table}_${event} after ${event} on main.${table} begin insert into ops_test_filler values (randomblob(65536)); end`,
        );
      }
    }
    sqlite.pragma(`max_page_count = ${sqlite.pragma("page_count", { simple: true }) as number}`);
  }

  it("answers saves and the submission 503 'not saved', and /healthz says 503 although a tiny write still fits", async () => {
    const [a, b] = storedItems(ctx.db, attemptId);
    expect((await postSave(a!.position, a!.correct[0]!)).status).toBe(200);
    fillDisk();
    const errors = captureErrors();
    const save = await postSave(b!.position, b!.correct[0]!);
    expect(save).toMatchObject({
      status: 503,
      retryAfter: String(RETRY_AFTER_SECONDS),
      body: { code: "unavailable", error: ops.unavailable.answerNotSaved },
    });

    // The quiz page's own form (no JavaScript): the save and the submission.
    const pageSave = await quizRoute.action({
      request: postRequest(
        `/bai-thi/${attemptId}`,
        [
          ["intent", "save"],
          ["position", String(b!.position)],
          ["option", String(b!.correct[0])],
        ],
        { cookie },
      ),
      params: { attemptId },
      context,
    });
    expect(pageSave).toMatchObject({ init: { status: 503 } });
    const submit = (await quizRoute.action({
      request: postRequest(
        `/bai-thi/${attemptId}`,
        [
          ["intent", "submit"],
          ["prediction", "5"],
          ["confirm", "1"],
        ],
        { cookie },
      ),
      params: { attemptId },
      context,
    })) as unknown as { data: { error: string }; init: { status: number; headers: Record<string, string> } };
    errors.done();
    expect(submit.init.status).toBe(503);
    expect(submit.init.headers["Retry-After"]).toBe(String(RETRY_AFTER_SECONDS));
    expect(submit.data.error).toBe(ops.unavailable.notSaved);
    expect(errors.lines()).toEqual([expect.stringContaining("(SQLITE_FULL)")]);

    // Nothing half-written: the first answer is there, the second is not, the attempt is open.
    const items = storedItems(ctx.db, attemptId);
    expect(items[a!.position]!.chosen).toEqual([a!.correct[0]]);
    expect(items[b!.position]!.chosen).toBeNull();
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");
    expect(await health()).toMatchObject({ status: 503, body: { database: "not-writable", error: "SQLITE_FULL" } });
  });
});

describe("starting an attempt on a full disk", () => {
  it("answers 503 'not saved' and starts nothing", async () => {
    const other = createUser(ctx.db);
    const otherCookie = await sessionCookie(ctx.db, other);
    const sqlite = ctx.db.$client;
    sqlite.exec("create table ops_test_filler (payload blob)");
    sqlite.exec(
      "create temp trigger ops_test_grow after insert on main.attempts begin insert into ops_test_filler values (randomblob(65536)); end",
    );
    sqlite.pragma(`max_page_count = ${sqlite.pragma("page_count", { simple: true }) as number}`);
    const errors = captureErrors();
    const reply = (await roundRoute.action({
      request: postRequest("/cuoc-thi/c1/vong/1", [["intent", "start"]], { cookie: otherCookie }),
      params: { contestId: "c1", roundNumber: "1" },
      context,
    })) as unknown as { data: { error: string }; init: { status: number; headers: Record<string, string> } };
    errors.done();
    expect(reply.init.status).toBe(503);
    expect(reply.init.headers["Retry-After"]).toBe(String(RETRY_AFTER_SECONDS));
    expect(reply.data.error).toBe(ops.unavailable.notSaved);
    expect(errors.lines()).toEqual([expect.stringContaining("(SQLITE_FULL)")]);
    expect(sqlite.prepare("select count(*) as n from attempts where user_id = ?").get(other)).toEqual({ n: 0 });
  });
});

describe("any other route whose write fails on storage", () => {
  it("is answered 503 with Retry-After instead of 500 (Remix's handleError and handleDataRequest)", () => {
    const request = new Request("http://localhost/to-chuc", { method: "POST" });
    const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    const errors = captureErrors();
    handleError(full, { request, params: {}, context: {} });
    errors.done();
    expect(errors.lines()).toHaveLength(1);
    const response = handleDataRequest(new Response("x", { status: 500 }), { request, params: {}, context: {} });
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe(String(RETRY_AFTER_SECONDS));

    const other = new Request("http://localhost/to-chuc", { method: "POST" });
    const bug = captureErrors();
    handleError(new TypeError("a bug"), { request: other, params: {}, context: {} });
    bug.done();
    expect(bug.lines()).toEqual(["TypeError: a bug"]);
    expect(handleDataRequest(new Response("x", { status: 500 }), { request: other, params: {}, context: {} }).status).toBe(500);
  });
});

describe("a database that cannot be opened at start", () => {
  let dir: string;
  beforeEach(() => {
    dir = join(tmpdir(), `cuocthi-ops-${randomUUID()}`);
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stops the server with one line (the path and the cause) and exit code 1", () => {
    const path = join(dir, "cuocthi.sqlite");
    writeFileSync(path, "không phải cơ sở dữ liệu ".repeat(200));
    const previous = { db: globalThis.__cuocthiDb, jobs: globalThis.__cuocthiJobs, path: process.env.DATABASE_PATH };
    globalThis.__cuocthiDb = undefined;
    process.env.DATABASE_PATH = path;
    const exit = vi.spyOn(process, "exit").mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const errors = captureErrors();
    try {
      expect(() => onServerStart()).toThrow("exit 1");
    } finally {
      exit.mockRestore();
      errors.done();
      globalThis.__cuocthiDb = previous.db;
      process.env.DATABASE_PATH = previous.path;
    }
    expect(errors.lines()).toEqual([`[cuocthi] Không mở được cơ sở dữ liệu ${path}: file is not a database (SQLITE_NOTADB)`]);
  });

  it("stops a command-line tool with one line and exit code 1", () => {
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "");
    const path = join(blocker, "cuocthi.sqlite");
    const result = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "app/.server/cli/db-migrate.ts")], {
      env: { ...process.env, DATABASE_PATH: path },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Lỗi: Không mở được cơ sở dữ liệu ${path}: .*(EEXIST|ENOTDIR)`));
  }, 20_000);
});

describe("two processes on one file", () => {
  it("a read-then-write transaction (the sweep) waits for the other process's write instead of failing with SQLITE_BUSY", async () => {
    const deadline = NOW + TIME_LIMIT_SECONDS * 1000;
    // The other process takes the write lock, then a read transaction of ours begins, then it
    // commits: a deferred transaction would find its snapshot stale and fail at once.
    const holder = spawn(process.execPath, [join(root, "tests/helpers/hold-write-lock.mjs"), ctx.path, "300"]);
    await new Promise<void>((resolve, reject) => {
      holder.stderr.on("data", (chunk) => reject(new Error(String(chunk))));
      holder.stdout.on("data", (chunk) => String(chunk).includes("locked") && resolve());
    });
    const exited = new Promise((resolve) => holder.on("exit", resolve));
    expect(finalizeOverdueAttempts(ctx.db, deadline + ANSWER_GRACE_MS + 1)).toBe(1);
    expect(await exited).toBe(0);
    expect(attemptRow(ctx.db, attemptId)).toMatchObject({ status: "expired", finalizedBy: "server" });
    expect(ctx.db.$client.prepare("select count(*) as n from ops_test_lock").get()).toEqual({ n: 1 });
  });
});
