/**
 * The heavy jobs, as the heavy-work thread runs them (app/.server/heavy/worker.mjs): each is the
 * same function the server used to call in process, on the thread's own connection to the same
 * database file. Nothing here is new logic: a thin table from a job's name to that function.
 * docs/decisions/014-heavy-work-off-the-event-loop.md.
 */
import { statSync } from "node:fs";
import { openDatabase, type Db } from "../../../db/client";
import { certificatesJob, type CertificateJob } from "../certificates/certificates.server";
import { exportChunks, type ExportFile } from "../exports/ranking-export.server";
import { computeLiveRound, type LiveRound } from "./live-standings.server";
import { disqualify, freezeClosedRounds, reinstate, rescoreRound, roundWithContest, storeRoundResults } from "../results.server";

interface DecisionArgs {
  roundId: number;
  userId: string;
  reason: string;
  byUserId: string;
  now: number;
}

export interface HeavyJobs {
  storeRoundResults: { args: { roundId: number; now: number }; result: void };
  freezeClosedRounds: { args: { now: number }; result: number };
  disqualify: { args: DecisionArgs; result: void };
  reinstate: { args: DecisionArgs; result: void };
  rescoreRound: { args: { roundId: number; actorUserId: string | null; now: number }; result: ReturnType<typeof rescoreRound> };
  /** Streams the file's bytes (the `push` of runHeavyJob); the result is the number of bytes. */
  exportFile: { args: { roundId: number; file: ExportFile }; result: number };
  /** Certificates as one PDF, streamed page by page (docs/decisions/017); the result is the page count. */
  certificates: { args: CertificateJob; result: number };
  /** An open round's participation and live ranking (read only; app/.server/live-board.server.ts). */
  liveRound: { args: { roundId: number; ranked: boolean }; result: LiveRound };
  /** For the tests: a job that fails, to show how a failure reaches the judge. */
  fail: { args: { message: string }; result: never };
}

export type HeavyJobName = keyof HeavyJobs;

type Push = (chunk: Uint8Array) => void;

const JOBS: { [K in HeavyJobName]: (db: Db, args: HeavyJobs[K]["args"], push: Push) => HeavyJobs[K]["result"] } = {
  storeRoundResults: (db, { roundId, now }) => storeRoundResults(db, roundId, now),
  freezeClosedRounds: (db, { now }) => freezeClosedRounds(db, now),
  disqualify: (db, args) => disqualify(db, args),
  reinstate: (db, args) => reinstate(db, args),
  rescoreRound: (db, { roundId, actorUserId, now }) => rescoreRound(db, roundId, actorUserId, now),
  exportFile: (db, { roundId, file }, push) => {
    const round = roundWithContest(db, roundId);
    if (!round) throw new Error(`round ${roundId} not found`);
    let bytes = 0;
    exportChunks(db, round, file, (chunk) => {
      bytes += chunk.byteLength;
      push(chunk);
    });
    return bytes;
  },
  certificates: (db, args, push) => certificatesJob(db, args, push),
  liveRound: (db, { roundId, ranked }) => computeLiveRound(db, roundId, ranked),
  fail: (_db, { message }) => {
    throw new Error(message);
  },
};

/** One connection per database file, kept open between jobs (the tests switch files per test). */
let connection: { path: string; inode: number; db: Db } | undefined;

function dbFor(path: string): Db {
  // A file replaced at the same path (a test's fresh copy per case) is another database: reopen,
  // or the thread would keep reading the deleted one.
  const inode = statSync(path).ino;
  if (connection?.path !== path || connection.inode !== inode) {
    connection?.db.$client.close();
    connection = { path, inode, db: openDatabase(path) };
  }
  return connection.db;
}

/**
 * Runs one job on the database file `database` (the worker) or on an open client (in process);
 * chunks of a streamed result go to `push`, each in a buffer of its own (they are transferred).
 */
export function runHeavyJob(job: string, args: unknown, database: string | Db, push: Push): unknown {
  const run = JOBS[job as HeavyJobName] as ((db: Db, args: unknown, push: Push) => unknown) | undefined;
  if (!run) throw new Error(`unknown heavy job ${job}`);
  return run(typeof database === "string" ? dbFor(database) : database, args, (chunk) =>
    push(chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice()),
  );
}
