/**
 * Heavy work off the event loop (docs/decisions/014-heavy-work-off-the-event-loop.md): storing a
 * round's results (at close, after a judge's decision), re-scoring and exports run on one worker
 * thread with its own better-sqlite3 connection to the same WAL database file. The main thread only
 * sends the job and awaits its answer (or streams its chunks), so every other request is answered
 * meanwhile. A write job answers only after its transaction committed: what the caller reads next
 * is the new state.
 *
 * The worker is app/.server/heavy/worker.mjs. It loads the jobs from the server build under
 * `npm start` (this module is then part of build/server/index.js, whose entry module exports
 * runHeavyJob) and from the TypeScript sources through tsx in development and tests.
 */
import { Worker } from "node:worker_threads";
import { getDb, type Db } from "../../../db/client";
import { heavyVi } from "~/i18n/heavy.vi";
import { runHeavyJob, type HeavyJobName, type HeavyJobs } from "./jobs.server";

/** A heavy job that failed or whose thread stopped: the message is for the user, in Vietnamese. */
export class HeavyWorkError extends Error {
  constructor(
    message: string,
    readonly job: string,
  ) {
    super(message);
    this.name = "HeavyWorkError";
  }
}

interface Pending {
  job: string;
  onChunk?: (chunk: Uint8Array) => void;
  resolve: (value: unknown) => void;
  reject: (error: HeavyWorkError) => void;
}

declare global {
  var __cuocthiHeavy: { worker: Worker; pending: Map<number, Pending>; nextId: number } | undefined;
}

const what = (job: string) => heavyVi.jobs[job] ?? job;

/** Where the worker's entry and the jobs are: next to this file (sources) or the server build. */
function workerSetup(): { entry: URL; module: string; tsx: boolean } {
  const here = import.meta.url;
  if (/\.tsx?$/.test(new URL(here).pathname)) {
    return { entry: new URL("./worker.mjs", here), module: new URL("./jobs.server.ts", here).href, tsx: true };
  }
  // build/server/index.js: the sources' app/.server/heavy/worker.mjs ships next to app/.server/serve.mjs.
  return { entry: new URL("../../app/.server/heavy/worker.mjs", here), module: here, tsx: false };
}

function heavyThread() {
  if (globalThis.__cuocthiHeavy) return globalThis.__cuocthiHeavy;
  const { entry, module, tsx } = workerSetup();
  const worker = new Worker(entry, { workerData: { module, tsx }, name: "cuocthi-heavy" });
  const state = { worker, pending: new Map<number, Pending>(), nextId: 1 };
  worker.unref(); // an idle worker never keeps the process alive (tests, command-line tools)
  worker.on("message", (message: { id?: number; type: string; chunk?: Uint8Array; value?: unknown; message?: string; stack?: string }) => {
    const pending = message.id === undefined ? undefined : state.pending.get(message.id);
    if (!pending) return;
    if (message.type === "chunk") pending.onChunk?.(message.chunk!);
    else {
      state.pending.delete(message.id!);
      if (state.pending.size === 0) worker.unref();
      if (message.type === "done") pending.resolve(message.value);
      else {
        console.error(`[cuocthi] heavy job ${pending.job} failed:`, message.stack ?? message.message);
        pending.reject(new HeavyWorkError(heavyVi.failed(what(pending.job)), pending.job));
      }
    }
  });
  const stopped = (reason: unknown) => {
    if (globalThis.__cuocthiHeavy === state) globalThis.__cuocthiHeavy = undefined;
    if (state.pending.size > 0) console.error("[cuocthi] the heavy-work thread stopped:", reason);
    for (const pending of state.pending.values()) pending.reject(new HeavyWorkError(heavyVi.stopped(what(pending.job)), pending.job));
    state.pending.clear();
  };
  worker.on("error", stopped);
  worker.on("exit", (code) => stopped(`exit code ${code}`));
  globalThis.__cuocthiHeavy = state;
  return state;
}

/** The database file the worker opens: the one `db` has open. */
function databaseFile(db: Db): string | null {
  const name = db.$client.name;
  return db.$client.memory || name === ":memory:" || name === "" ? null : name;
}

function send(job: HeavyJobName, args: unknown, db: Db, handlers: Omit<Pending, "job">) {
  const path = databaseFile(db);
  if (path === null || process.env.CUOCTHI_HEAVY_INLINE === "1") {
    // An in-memory database cannot be shared with a thread: run in process (the command-line tools).
    try {
      handlers.resolve(runHeavyJob(job, args, db, handlers.onChunk ?? (() => {})));
    } catch (error) {
      console.error(`[cuocthi] heavy job ${job} failed:`, error);
      handlers.reject(new HeavyWorkError(heavyVi.failed(what(job)), job));
    }
    return;
  }
  const state = heavyThread();
  const id = state.nextId++;
  state.pending.set(id, { job, ...handlers });
  state.worker.ref(); // a job in flight keeps the process alive until it answers
  state.worker.postMessage({ id, job, args, dbPath: path });
}

/** Runs a job on the heavy-work thread; resolves once it is done (committed, for a write). */
export function runHeavy<K extends HeavyJobName>(job: K, args: HeavyJobs[K]["args"], db: Db = getDb()): Promise<HeavyJobs[K]["result"]> {
  return new Promise((resolve, reject) => send(job, args, db, { resolve: resolve as (value: unknown) => void, reject }));
}

/**
 * Runs a job that produces a file: resolves, at its first chunk, with a stream of its bytes (or
 * rejects if it fails before writing anything, so the caller can still answer with an error page).
 */
export function streamHeavy<K extends HeavyJobName>(
  job: K,
  args: HeavyJobs[K]["args"],
  db: Db = getDb(),
): Promise<ReadableStream<Uint8Array>> {
  return new Promise((resolveStream, rejectStream) => {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    // A client that goes away cancels the stream: the job runs to its end, its chunks are dropped.
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
      cancel() {
        cancelled = true;
      },
    });
    let started = false;
    const start = () => {
      if (!started) {
        started = true;
        resolveStream(stream);
      }
    };
    send(job, args, db, {
      onChunk(chunk) {
        if (!cancelled) controller.enqueue(chunk);
        start();
      },
      resolve() {
        if (!cancelled) controller.close();
        start();
      },
      reject(error) {
        if (!started) rejectStream(error);
        else if (!cancelled) controller.error(error);
      },
    });
  });
}
