/**
 * Work the server does on its own: finalizing attempts left open past their deadline (so no
 * attempt stays open forever), and computing and storing each round's results once it has closed.
 */
import { getDb } from "../../db/client";
import { finalizeOverdueAttemptsInTurns } from "./attempts.server";
import { backfillSearchNames } from "./members.server";
import { runHeavy } from "./heavy/pool.server";
import { now } from "./clock.server";
import { env } from "./env.server";

declare global {
  var __cuocthiJobs: NodeJS.Timeout | undefined;
}

export function startBackgroundJobs(): void {
  const db = getDb(); // opens and migrates the database now, not at the first request
  if (globalThis.__cuocthiJobs) return;
  // Accounts stored before users.search_name existed get it now, not during someone's first search.
  backfillSearchNames(db);
  // Storing a closed round's results (100,000 rows) runs on the heavy-work thread, off the event
  // loop; one freeze at a time (a sweep that finds the previous one still running leaves it be).
  let freezing = false;
  let sweeping = false;
  const sweep = async () => {
    // A sweep still finalizing (a large round's close) is not started twice.
    if (sweeping) return;
    sweeping = true;
    try {
      const at = now();
      // In slices with a turn of the event loop between them: this process also writes the
      // workers' answer saves (decision 023).
      await finalizeOverdueAttemptsInTurns(db, at);
      if (freezing) return;
      freezing = true;
      runHeavy("freezeClosedRounds", { now: at }, db)
        .catch((error) => console.error("Lỗi khi tổng hợp kết quả các vòng đã đóng:", error))
        .finally(() => {
          freezing = false;
        });
    } catch (error) {
      console.error("Lỗi khi tự động nộp các bài thi quá hạn:", error);
    } finally {
      sweeping = false;
    }
  };
  void sweep();
  globalThis.__cuocthiJobs = setInterval(() => void sweep(), env().SWEEP_INTERVAL_SECONDS * 1000);
  globalThis.__cuocthiJobs.unref();
}

/** Stops the sweep (the process is stopping); a freeze already running finishes or is cut with the process. */
export function stopBackgroundJobs(): void {
  if (globalThis.__cuocthiJobs) clearInterval(globalThis.__cuocthiJobs);
  globalThis.__cuocthiJobs = undefined;
}
