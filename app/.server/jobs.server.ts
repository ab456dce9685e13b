/**
 * Work the server does on its own: finalizing attempts left open past their deadline (so no
 * attempt stays open forever), and computing and storing each round's results once it has closed.
 */
import { getDb } from "../../db/client";
import { finalizeOverdueAttempts } from "./attempts.server";
import { backfillSearchNames } from "./members.server";
import { freezeClosedRounds } from "./results.server";
import { now } from "./clock.server";
import { env } from "./env.server";

declare global {
  // eslint-disable-next-line no-var
  var __cuocthiJobs: NodeJS.Timeout | undefined;
}

export function startBackgroundJobs(): void {
  const db = getDb(); // opens and migrates the database now, not at the first request
  if (globalThis.__cuocthiJobs) return;
  // Accounts stored before users.search_name existed get it now, not during someone's first search.
  backfillSearchNames(db);
  const sweep = () => {
    try {
      const at = now();
      finalizeOverdueAttempts(db, at);
      freezeClosedRounds(db, at);
    } catch (error) {
      console.error("Lỗi khi tự động nộp các bài thi quá hạn:", error);
    }
  };
  sweep();
  globalThis.__cuocthiJobs = setInterval(sweep, env().SWEEP_INTERVAL_SECONDS * 1000);
  globalThis.__cuocthiJobs.unref();
}
