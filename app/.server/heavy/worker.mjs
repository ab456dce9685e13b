// The heavy-work thread (docs/decisions/014-heavy-work-off-the-event-loop.md): storing a round's
// results, judges' decisions, re-scoring and exports run here, on this thread's own better-sqlite3
// connection to the same WAL database file, so the server's event loop keeps answering meanwhile.
// Plain JavaScript so node loads it as it is, next to the sources and in production alike.
// `workerData.module` is what holds the jobs: the server build (build/server/index.js, whose entry
// module exports `runHeavyJob`) under `npm start`, or the TypeScript sources (with tsx) in
// development and tests.
import { parentPort, workerData } from "node:worker_threads";

// From the sources: TypeScript through tsx (a development dependency, never needed by the build).
if (workerData.tsx) (await import("tsx/esm/api")).register();
const mod = await import(workerData.module);
/** @type {(job: string, args: unknown, dbPath: string, push: (chunk: Uint8Array) => void) => unknown} */
const runHeavyJob = mod.runHeavyJob ?? mod.entry?.module?.runHeavyJob;
if (typeof runHeavyJob !== "function") throw new Error(`runHeavyJob not found in ${workerData.module}`);

parentPort.on("message", (message) => {
  const { id, job, args, dbPath } = message;
  try {
    const value = runHeavyJob(job, args, dbPath, (chunk) => parentPort.postMessage({ id, type: "chunk", chunk }, [chunk.buffer]));
    parentPort.postMessage({ id, type: "done", value });
  } catch (error) {
    parentPort.postMessage({
      id,
      type: "error",
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
  }
});
parentPort.postMessage({ type: "ready" });
