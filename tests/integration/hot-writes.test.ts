/**
 * One writer for the hot writes (app/.server/hot-writes.server.ts, decision 023): a cluster worker
 * hands the answer save and the form submit to the primary, which runs them on its connection.
 * Here the two sides talk through an in-memory channel that serializes each message as the cluster's
 * IPC does (JSON), so what crosses is exactly what would cross between processes. The rules are
 * `performHotWrite`'s (the same the lean path runs without a cluster); these tests prove the
 * protocol: answers reach the right write, writes of one turn travel in one message each way, and
 * whatever the writer cannot decide plainly, or cannot receive, comes back as `fallback` with
 * nothing written. tests/e2e/cluster.spec.ts runs the real processes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import {
  hotWriteClient,
  hotWriteServer,
  performHotWrites,
  type Answers,
  type Asks,
  type HotWrite,
  type HotWriteReply,
  type WriterChannel,
} from "~/.server/hot-writes.server";
import { users } from "../../db/schema";
import { memberWithAttempt } from "../helpers/member-attempt";
import { attemptRow, createUser, MINUTE, NOW, sessionCookie, storedItems, TIME_LIMIT_SECONDS, useTestDatabase } from "./helpers";

const ctx = useTestDatabase();
let userId: string;
let sessionId: string;
let attemptId: string;

beforeEach(async () => {
  let cookie: string;
  ({ userId, cookie, attemptId } = await memberWithAttempt(ctx.db));
  sessionId = cookie.split("=")[1]!;
  ctx.now = NOW + MINUTE;
});
afterEach(() => vi.restoreAllMocks());

/** A worker and a writer joined by a channel that copies each message through JSON, counting them. */
function joined({ run, failSend = false }: { run?: (write: HotWrite) => Promise<HotWriteReply>; failSend?: boolean } = {}) {
  const sent = { asks: [] as Asks[], answers: [] as Answers[] };
  const listeners: ((message: unknown) => void)[] = [];
  const closers: (() => void)[] = [];
  const serve = hotWriteServer(run ? (writes) => Promise.all(writes.map(run)) : (writes) => performHotWrites(ctx.db, writes));
  const peer = {
    send(message: Answers) {
      sent.answers.push(message);
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      setImmediate(() => listeners.forEach((listener) => listener(copy)));
    },
  };
  const channel: WriterChannel = {
    send(message, failed) {
      if (failSend) return failed();
      sent.asks.push(message);
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      setImmediate(() => serve(peer, copy));
    },
    onMessage: (listener) => listeners.push(listener),
    onClose: (listener) => closers.push(listener),
  };
  return { write: hotWriteClient(channel), sent, close: () => closers.forEach((close) => close()) };
}

const saveBody = (position: number, options: number[]) =>
  new URLSearchParams([["position", String(position)], ...options.map((o) => ["option", String(o)])]).toString();

describe("the hot writes through one writer", () => {
  it("answers each save with its own reply, the writes of one turn in one message each way, committed", async () => {
    const { write, sent } = joined();
    const items = storedItems(ctx.db, attemptId).slice(0, 3);
    const replies = await Promise.all(
      items.map((item) => write({ op: "save", sessionId, attemptId, body: saveBody(item.position, item.correct) })),
    );
    expect(sent.asks).toHaveLength(1);
    expect(sent.asks[0]!.asks).toHaveLength(3);
    expect(sent.answers).toHaveLength(1);
    replies.forEach((reply, i) => {
      expect(reply).toMatchObject({
        kind: "saved",
        status: 200,
        body: { ok: true, position: items[i]!.position, chosen: items[i]!.correct },
      });
    });
    expect((replies[2] as { body: { answeredCount: number } }).body.answeredCount).toBe(3);
    const stored = storedItems(ctx.db, attemptId);
    items.forEach((item, i) => expect(stored[i]!.chosen).toEqual(item.correct));
  });

  it("carries the writer's refusals as they are: another member's attempt, an option not offered, the deadline", async () => {
    const { write } = joined();
    const [item] = storedItems(ctx.db, attemptId);
    const stranger = createUser(ctx.db, { phone: "0912000999" });
    const strangerSession = (await sessionCookie(ctx.db, stranger)).split("=")[1]!;
    expect(await write({ op: "save", sessionId: strangerSession, attemptId, body: saveBody(item!.position, item!.correct) })).toMatchObject(
      {
        kind: "saved",
        status: 404,
      },
    );
    expect(await write({ op: "save", sessionId, attemptId, body: saveBody(item!.position, [999_999]) })).toMatchObject({
      kind: "saved",
      status: 400,
      body: { code: "bad_answer" },
    });
    ctx.now = NOW + TIME_LIMIT_SECONDS * 1000 + 10 * MINUTE;
    expect(await write({ op: "save", sessionId, attemptId, body: saveBody(item!.position, item!.correct) })).toMatchObject({
      kind: "saved",
      body: { ok: false, code: "refused", finished: `/bai-thi/${attemptId}/ket-qua` },
    });
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
  });

  it("gives back what it cannot decide plainly, writing nothing: an unknown session, a password to change", async () => {
    const { write } = joined();
    const [item] = storedItems(ctx.db, attemptId);
    const body = saveBody(item!.position, item!.correct);
    expect(await write({ op: "save", sessionId: "nosuchsession", attemptId, body })).toEqual({ kind: "fallback" });
    ctx.db.update(users).set({ mustChangePassword: true }).where(eq(users.id, userId)).run();
    expect(await write({ op: "save", sessionId, attemptId, body })).toEqual({ kind: "fallback" });
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
  });

  it("submits and scores a final submit; a submit that must ask a question comes back to the action, unwritten", async () => {
    const { write } = joined();
    const item = storedItems(ctx.db, attemptId).find((i) => i.correct.length === 1)!;
    const oneAnswer = `intent=submit&prediction=10&q-${item.position}=${item.correct[0]}`;
    // Unanswered questions without `confirm`: the action asks "nộp bài khi còn câu chưa trả lời?".
    expect(await write({ op: "submit", sessionId, attemptId, body: oneAnswer })).toEqual({ kind: "fallback" });
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");
    expect(storedItems(ctx.db, attemptId)[item.position]!.chosen).toBeNull();
    // A form the action's schema refuses: the action answers it.
    expect(await write({ op: "submit", sessionId, attemptId, body: "intent=submit&prediction=abc&confirm=1" })).toEqual({
      kind: "fallback",
    });
    const reply = await write({ op: "submit", sessionId, attemptId, body: `${oneAnswer}&confirm=1` });
    expect(reply).toEqual({ kind: "submitted", outcome: { kind: "finalized", attemptId } });
    const row = attemptRow(ctx.db, attemptId);
    expect(row.status).toBe("submitted");
    expect(row.score).toBe(item.points);
    expect(row.correctCount).toBe(1);
    expect(await write({ op: "submit", sessionId, attemptId, body: `${oneAnswer}&confirm=1` })).toEqual({
      kind: "submitted",
      outcome: { kind: "already_finalized", attemptId },
    });
  });

  it("commits the writes of one message together; a refusal undoes only its own write, and is counted", async () => {
    const other = await memberWithAttempt(ctx.db);
    const otherSession = other.cookie.split("=")[1]!;
    const { write, sent } = joined();
    const mine = storedItems(ctx.db, attemptId);
    const theirs = storedItems(ctx.db, other.attemptId);
    const replies = await Promise.all([
      write({ op: "save", sessionId, attemptId, body: saveBody(mine[0]!.position, mine[0]!.correct) }),
      write({ op: "save", sessionId: otherSession, attemptId: other.attemptId, body: saveBody(theirs[0]!.position, [999_999]) }),
      write({ op: "save", sessionId: otherSession, attemptId, body: saveBody(mine[2]!.position, mine[2]!.correct) }),
      write({ op: "submit", sessionId, attemptId, body: "intent=submit&prediction=3" }),
      write({ op: "save", sessionId, attemptId, body: saveBody(mine[1]!.position, mine[1]!.correct) }),
    ]);
    expect(sent.asks).toHaveLength(1);
    expect(replies.map((r) => (r.kind === "saved" ? r.status : r.kind))).toEqual([200, 400, 404, "fallback", 200]);
    const stored = storedItems(ctx.db, attemptId);
    expect([stored[0]!.chosen, stored[1]!.chosen, stored[2]!.chosen]).toEqual([mine[0]!.correct, mine[1]!.correct, null]);
    expect(attemptRow(ctx.db, attemptId).status).toBe("in_progress");
    expect(storedItems(ctx.db, other.attemptId).every((i) => i.chosen === null)).toBe(true);
    // Refused saves use up the limit too: the other member's two refusals were counted.
    const points = ctx.db.$client.prepare("select points from rate_limits where key = ?").pluck();
    expect(points.get(`answer_save:${other.userId}`)).toBe(2);
    expect(points.get(`answer_save:${userId}`)).toBe(2);
  });

  it("falls back when the message cannot be sent, when the writer goes away, and when a write throws", async () => {
    const [item] = storedItems(ctx.db, attemptId);
    const body = saveBody(item!.position, item!.correct);
    const unsent = joined({ failSend: true });
    expect(await Promise.all([1, 2].map(() => unsent.write({ op: "save", sessionId, attemptId, body })))).toEqual([
      { kind: "fallback" },
      { kind: "fallback" },
    ]);

    const silent = joined({ run: () => new Promise<HotWriteReply>(() => {}) }); // never answers
    const waiting = silent.write({ op: "save", sessionId, attemptId, body });
    await new Promise((resolve) => setImmediate(resolve));
    silent.close();
    expect(await waiting).toEqual({ kind: "fallback" });

    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = joined({ run: () => Promise.reject(new Error("đĩa hỏng")) });
    expect(await broken.write({ op: "save", sessionId, attemptId, body })).toEqual({ kind: "fallback" });
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]![1])).toContain("đĩa hỏng");
    logged.mockClear(); // asserted: not a stray error
    expect(storedItems(ctx.db, attemptId)[0]!.chosen).toBeNull();
  });
});
