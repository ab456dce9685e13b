/**
 * One writer for the two hottest writes (decision 023): the quiz script's answer save and the
 * quiz form's submit, as the lean path (app/lean-routes.server.ts) takes them.
 *
 * With a cluster (WEB_CONCURRENCY > 1) every worker writing to the one SQLite file costs each write
 * far more than the write itself: a commit by one process throws away the other's page cache (its
 * next transaction reads every page again) and the write lock passes between processes. Measured:
 * one process saves in 52 µs, two at once in ~190 µs each. So a worker does the HTTP part (headers,
 * body, the reply) and hands the write to the primary over the cluster's IPC channel (~7 µs a
 * message each side); the primary runs it on its one connection, whose cache stays warm, and
 * answers once it is committed. Without a cluster (the demo, tests) the same function runs in the
 * process. Either way it is the same code: the session read, `handleAnswerSave` (parse, rate
 * limit, `saveAnswer`'s rules in one immediate transaction) and `submitAttemptIfFinal`.
 *
 * What the writer cannot decide plainly it gives back as `fallback`, having written nothing, and
 * the worker hands the request (its body already read) to Express and the route's action: a session
 * Lucia would extend or refuse, a password to change, a submit form the schema refuses, a submit
 * that asks a question (unanswered questions, the prediction) or was refused. The same happens when
 * the primary cannot be reached: the worker then writes itself, as it did before.
 */
import cluster, { type Worker } from "node:cluster";
import type Database from "better-sqlite3";
import type { Db } from "../../db/client";
import { answerSaveInTransaction, handleAnswerSave, type SaveReply } from "./answer-save.server";
import { AttemptRefusal, submitAttemptIfFinal, type SubmitOutcome } from "./attempts.server";
import { plainSessionUser } from "./auth/session-read.server";
import { now, wallNow } from "./clock.server";
import { getDb } from "./db.server";
import { readSubmitForm, SubmitSchema } from "./submit-form.server";
import { busyTimeoutOf, retryWhileBusy, withoutWaiting } from "./write-lock.server";

/** A write as the lean path hands it over: the session cookie's value, the attempt, the form body. */
export type HotWrite = { op: "save" | "submit"; sessionId: string; attemptId: string; body: string };

export type HotWriteReply =
  | { kind: "fallback" }
  | { kind: "saved"; status: number; body: SaveReply; headers?: Record<string, string> }
  | { kind: "submitted"; outcome: SubmitOutcome };

/** The member of a plain, valid session (the guard's own read), or null: the full path decides. */
function plainMemberId(db: Db, sessionId: string): string | null {
  const user = plainSessionUser(db.$client, sessionId, wallNow());
  return user && !user.mustChangePassword ? user.id : null;
}

/** Runs one hot write on this process's connection and says what to answer. */
export async function performHotWrite(db: Db, write: HotWrite): Promise<HotWriteReply> {
  let userId: string | null;
  try {
    userId = plainMemberId(db, write.sessionId);
  } catch {
    return { kind: "fallback" }; // the database is in trouble: the full path reports it as it always has
  }
  if (!userId) return { kind: "fallback" };
  const form = new URLSearchParams(write.body);
  if (write.op === "save") {
    const reply = await handleAnswerSave(db, { userId, attemptId: write.attemptId, form, now });
    return { kind: "saved", ...reply };
  }
  const input = submitInput(userId, write, form, now());
  if (!input) return { kind: "fallback" };
  // Rolled back (a refusal, a storage failure): the action runs it again and answers as it always has.
  const outcome = await retryWhileBusy(() => submitAttemptIfFinal(db, input, { wait: false }), busyTimeoutOf(db.$client)).catch(() => null);
  return outcome ? { kind: "submitted", outcome } : { kind: "fallback" };
}

/** The submit's input, read by the quiz page action's own schema; null: the action must answer. */
function submitInput(userId: string, write: HotWrite, form: URLSearchParams, at: number) {
  const parsed = SubmitSchema.safeParse(readSubmitForm(form));
  if (!parsed.success) return null;
  const input = parsed.data;
  return {
    attemptId: write.attemptId,
    userId,
    now: at,
    answers: input.answers,
    prediction: input.prediction,
    confirmUnanswered: input.confirm === "1",
    automatic: input.auto === "1",
  };
}

/** One write inside the caller's immediate transaction, its own work a savepoint (see `performHotWrites`). */
function hotWriteInTransaction(db: Db, write: HotWrite): HotWriteReply {
  const userId = plainMemberId(db, write.sessionId);
  if (!userId) return { kind: "fallback" };
  const form = new URLSearchParams(write.body);
  if (write.op === "save") return { kind: "saved", ...answerSaveInTransaction(db, { userId, attemptId: write.attemptId, form, now }) };
  const input = submitInput(userId, write, form, now());
  if (!input) return { kind: "fallback" };
  try {
    const outcome = submitAttemptIfFinal(db, input);
    return outcome ? { kind: "submitted", outcome } : { kind: "fallback" };
  } catch (error) {
    if (error instanceof AttemptRefusal) return { kind: "fallback" }; // undone (its savepoint): the action answers it
    throw error;
  }
}

const batches = new WeakMap<Db, Database.Transaction<(writes: HotWrite[]) => HotWriteReply[]>>();

/** The batch's transaction function, made once per connection. */
function batchOf(db: Db) {
  let batch = batches.get(db);
  if (!batch) {
    batch = db.$client.transaction((writes: HotWrite[]) => writes.map((write) => hotWriteInTransaction(db, write)));
    batches.set(db, batch);
  }
  return batch;
}

/**
 * The writes that arrived together, committed together: one immediate transaction, each write's
 * own work a savepoint inside it (a refusal undoes that write only), one COMMIT — the commit is the
 * largest part of a save's time in SQLite. The answers are given only after the COMMIT. If the
 * batch fails as a whole (the write lock held past the busy timeout, the disk, an unexpected
 * error), nothing of it was committed and each write runs again alone, as `performHotWrite`,
 * which answers its own failure as it always has.
 */
export async function performHotWrites(db: Db, writes: HotWrite[]): Promise<(HotWriteReply | null)[]> {
  const alone = (write: HotWrite) =>
    performHotWrite(db, write).catch((error: unknown) => {
      console.error("[cuocthi] ghi thay tiến trình con:", error);
      return null;
    });
  if (writes.length === 1) return [await alone(writes[0]!)];
  const client = db.$client;
  const batch = batchOf(db);
  try {
    return await retryWhileBusy(() => withoutWaiting(client, () => batch.immediate(writes)), busyTimeoutOf(client));
  } catch {
    return Promise.all(writes.map(alone));
  }
}

/* ---------- the cluster: workers ask, the primary writes ---------- */

// Messages go in batches: every write asked (or answered) in one turn of the event loop travels in
// one message, so under load a pipe write (a system call each) carries several writes, not one.
type Ask = { id: number; write: HotWrite };
export type Asks = { cuocthi: "hot-writes"; asks: Ask[] };
type Answer = { id: number; reply: HotWriteReply | null };
export type Answers = { cuocthi: "hot-write-replies"; answers: Answer[] };

/** Collects items and hands them on together on the next turn of the event loop. */
function batcher<T>(send: (items: T[]) => void): (item: T) => void {
  let queue: T[] = [];
  return (item) => {
    queue.push(item);
    if (queue.length > 1) return;
    setImmediate(() => {
      const items = queue;
      queue = [];
      send(items);
    });
  };
}

/** A worker's line to the writer: the cluster's IPC channel in production, a stand-in in tests. */
export interface WriterChannel {
  /** Sends a message; `failed` is called when it could not be sent. */
  send(message: Asks, failed: () => void): void;
  onMessage(listener: (message: unknown) => void): void;
  /** The writer is gone (the channel closed). */
  onClose(listener: () => void): void;
}

/**
 * The worker's side: a function that hands a write to the writer and resolves with its answer.
 * A write that could not be sent, or was not answered before the channel closed, resolves as
 * `fallback` (the worker then writes it itself by the full path).
 */
export function hotWriteClient(channel: WriterChannel): (write: HotWrite) => Promise<HotWriteReply> {
  const pending = new Map<number, (reply: HotWriteReply) => void>();
  let sequence = 0;
  const settle = (id: number, reply: HotWriteReply) => {
    const resolve = pending.get(id);
    pending.delete(id);
    resolve?.(reply);
  };
  channel.onMessage((message) => {
    if ((message as Answers | null)?.cuocthi !== "hot-write-replies") return;
    for (const { id, reply } of (message as Answers).answers) settle(id, reply ?? { kind: "fallback" });
  });
  channel.onClose(() => {
    for (const id of [...pending.keys()]) settle(id, { kind: "fallback" });
  });
  const ask = batcher<Ask>((asks) =>
    channel.send({ cuocthi: "hot-writes", asks }, () => {
      for (const { id } of asks) settle(id, { kind: "fallback" });
    }),
  );
  return (write) =>
    new Promise((resolve) => {
      const id = ++sequence;
      pending.set(id, resolve);
      ask({ id, write });
    });
}

/** The writer's peer: where the answers to one worker's writes go. */
export interface WriterPeer {
  send(message: Answers): void;
}

/**
 * The writer's side: takes a message of writes from `peer`, runs them together (`runAll`:
 * `performHotWrites` on this process's connection) and sends the answers back, batched. A write
 * that throws is answered `fallback` (and logged): the worker's full path answers it as it always has.
 */
export function hotWriteServer(
  runAll: (writes: HotWrite[]) => Promise<(HotWriteReply | null)[]> = (writes) => performHotWrites(getDb(), writes),
) {
  const answerers = new WeakMap<WriterPeer, (answer: Answer) => void>();
  return (peer: WriterPeer, message: unknown): void => {
    if ((message as Asks | null)?.cuocthi !== "hot-writes") return;
    let answer = answerers.get(peer);
    if (!answer) {
      answer = batcher<Answer>((answers) => peer.send({ cuocthi: "hot-write-replies", answers }));
      answerers.set(peer, answer);
    }
    const reply = answer;
    const { asks } = message as Asks;
    runAll(asks.map((a) => a.write))
      .catch((error: unknown) => {
        console.error("[cuocthi] ghi thay tiến trình con:", error);
        return asks.map(() => null);
      })
      .then((replies) => asks.forEach(({ id }, i) => reply({ id, reply: replies[i] ?? null })));
  };
}

/** True in a cluster worker whose primary takes the hot writes (it said so: `CUOCTHI_ONE_WRITER`). */
export function writesThroughPrimary(): boolean {
  return cluster.isWorker && process.env.CUOCTHI_ONE_WRITER === "1" && process.connected;
}

let throughPrimary: ((write: HotWrite) => Promise<HotWriteReply>) | null = null;

/** This worker's IPC channel to the cluster's primary. */
const primaryChannel: WriterChannel = {
  send(message, failed) {
    try {
      process.send!(message, undefined, undefined, (error) => {
        if (error) failed();
      });
    } catch {
      failed();
    }
  },
  onMessage: (listener) => process.on("message", listener),
  onClose: (listener) => process.on("disconnect", listener),
};

/** Runs a hot write where the writes are done: by the primary in a cluster worker, else here. */
export function hotWrite(write: HotWrite): Promise<HotWriteReply> {
  if (!writesThroughPrimary()) return performHotWrite(getDb(), write);
  throughPrimary ??= hotWriteClient(primaryChannel);
  return throughPrimary(write);
}

/**
 * In the cluster's primary, before the workers are forked: take the workers' hot writes. Their
 * environment says so (`CUOCTHI_ONE_WRITER=1`), so a worker never waits on a primary that does not
 * answer.
 */
export function serveHotWrites(): void {
  process.env.CUOCTHI_ONE_WRITER = "1";
  const serve = hotWriteServer();
  const peers = new WeakMap<Worker, WriterPeer>();
  cluster.on("message", (worker: Worker, message: unknown) => {
    let peer = peers.get(worker);
    if (!peer) {
      peer = {
        // A worker that died has its clients retry; what was committed stays committed.
        send: (answers) => {
          if (worker.isConnected()) worker.send(answers, undefined, () => {});
        },
      };
      peers.set(worker, peer);
    }
    serve(peer, message);
  });
}
