/**
 * The audit log: every act that changes a contest, a bank, a unit, a member or a result is
 * recorded with who did it, what it was done to, and the values before and after.
 */
import type { Db } from "../../db/client";
import { auditLog } from "../../db/schema";

export type AuditSubjectKind = "contest" | "round" | "bank" | "unit" | "member" | "content" | "result";

export interface AuditEntry {
  at: number;
  /** Null for the system itself (the deadline sweep) and for command-line imports (see details). */
  actorUserId: string | null;
  /** What was done, `area.verb`: `contest.update`, `member.deactivate`, `branch.merge`, … */
  action: string;
  subjectKind: AuditSubjectKind;
  /** The subject's id; stored as `kind:id` so one index finds every entry about it. */
  subjectId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  details?: Record<string, unknown> | null;
}

/** `db` may be a transaction: the entry is written, or rolled back, with the act it records. */
export function recordAudit(db: Pick<Db, "insert">, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      at: entry.at,
      actorUserId: entry.actorUserId,
      action: entry.action,
      subject: `${entry.subjectKind}:${entry.subjectId}`,
      subjectKind: entry.subjectKind,
      before: entry.before ?? null,
      after: entry.after ?? null,
      details: entry.details ?? null,
    })
    .run();
}
