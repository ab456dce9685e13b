/** Contests as organizers edit them in the browser: load, check against the rules, save. */
import type { Db } from "../../db/client";
import type { RuleViolation } from "~/domain/contest-rules";
import type { Contest } from "~/domain/content/contest";
import { ContentConflictError, importContent } from "./content/import.server";
import { BROWSER_FILE, storedContest } from "./contest-rules.server";

export { BROWSER_FILE };

export function contestForEdit(db: Db, contestId: string): Contest | null {
  return storedContest(db, contestId);
}

/**
 * Saves a changed contest if every rule allows it; otherwise returns why not, by field, and writes
 * nothing. The write is the content import (one transaction), which checks the running-contest
 * rules (app/domain/contest-rules.ts) exactly as `content:import` does, and records in the audit
 * log who changed what, with the values before and after.
 */
export function saveContest(
  db: Db,
  { after, now, actorUserId, change }: { before?: Contest | null; after: Contest; now: number; actorUserId: string; change: string },
): RuleViolation[] {
  const normalized: Contest = {
    ...after,
    rounds: after.rounds.map((r) => ({ ...r, quotas: r.quotas.filter((q) => q.questionCount > 0) })).sort((a, b) => a.number - b.number),
  };
  try {
    importContent(db, { banks: [], contests: [normalized], units: null }, { now, actorUserId, via: "console", change });
  } catch (error) {
    if (error instanceof ContentConflictError) {
      return error.violations.length > 0 ? error.violations : error.errors.map((e) => ({ field: "form", message: e.message }));
    }
    throw error;
  }
  return [];
}
