/** Question banks as the organizers' console sees them: list, source text, check and import. */
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { banks, questions } from "../../db/schema";
import { parseBank } from "~/domain/content/bank";
import type { ContentError } from "~/domain/content/errors";
import { parseContentSet } from "~/domain/content/validate";
import { ContentConflictError, importContent, type ImportSummary } from "./content/import.server";

export function listBanks(db: Db) {
  return db
    .select({
      id: banks.id,
      title: banks.title,
      topic: banks.topic,
      updatedAt: banks.updatedAt,
      // Spelled out: in a one-table select the query builder drops table names, which would make
      // the subquery compare questions.bank_id with questions.id.
      questionCount: sql<number>`(select count(*) from questions q where q.bank_id = "banks"."id" and q.active = 1)`,
    })
    .from(banks)
    .orderBy(asc(banks.title))
    .all();
}

export function getBankSource(db: Db, bankId: string) {
  return db
    .select({ id: banks.id, title: banks.title, sourceMarkdown: banks.sourceMarkdown, sourceFile: banks.sourceFile })
    .from(banks)
    .where(eq(banks.id, bankId))
    .get();
}

/** Active question counts of every bank, for checking quotas that name banks not being edited. */
export function bankSizes(db: Db): Map<string, number> {
  return new Map(
    db
      .select({ id: questions.bankId, n: count() })
      .from(questions)
      .where(eq(questions.active, true))
      .groupBy(questions.bankId)
      .all()
      .map((r) => [r.id, r.n]),
  );
}

export type BankCheck = ReturnType<typeof checkBankText>;

/** Parses one bank's text exactly as `npm run content:check` would, keeping a preview. */
export function checkBankText(fileName: string, text: string) {
  const { bank, errors, preview } = parseBank(fileName, text);
  const crossErrors = bank ? parseContentSet([{ path: fileName, kind: "bank", text }]).errors : [];
  return { bank, errors: [...errors, ...crossErrors], preview };
}

export function importBankText(
  db: Db,
  fileName: string,
  text: string,
  { now, actorUserId }: { now: number; actorUserId: string },
): { ok: true; summary: ImportSummary; bankId: string } | { ok: false; errors: ContentError[] } {
  const { bank, errors } = checkBankText(fileName, text);
  if (!bank) return { ok: false, errors };
  try {
    const summary = importContent(db, { banks: [bank], contests: [], units: null }, { now, actorUserId });
    return { ok: true, summary, bankId: bank.id };
  } catch (error) {
    if (error instanceof ContentConflictError) return { ok: false, errors: error.errors };
    throw error;
  }
}

export function bankExists(db: Db, bankId: string): boolean {
  return db.select({ id: banks.id }).from(banks).where(and(eq(banks.id, bankId))).get() !== undefined;
}
