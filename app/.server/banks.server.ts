/** Question banks as the organizers' console sees them: list, source text, check and import. */
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { banks, contests, questions, roundQuotas, rounds } from "../../db/schema";
import { parseBank, type Bank } from "~/domain/content/bank";
import { sortContentErrors, type ContentError } from "~/domain/content/errors";
import { lintBanks, type LintRound } from "~/domain/content/lint";
import { contentMessages as m } from "~/i18n/content.vi";
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

/** A warning as the editor shows it: on a line of the edited text, naming the other place if any. */
export interface EditorWarning {
  line: number;
  message: string;
  /** Where the other half of the problem is (another bank's file, a contest), or null. */
  elsewhere: string | null;
}

/** Every other bank as last imported, to lint the edited one against (same question twice, …). */
function otherBanks(db: Db, exceptId: string): Bank[] {
  return db
    .select({ id: banks.id, sourceFile: banks.sourceFile, sourceMarkdown: banks.sourceMarkdown })
    .from(banks)
    .all()
    .filter((b) => b.id !== exceptId && b.sourceMarkdown)
    .flatMap((b) => parseBank(b.sourceFile ?? `${b.id}.md`, b.sourceMarkdown!).bank ?? []);
}

/** The rounds in the database, as the lint sees them: which banks each one draws from. */
function lintRounds(db: Db): LintRound[] {
  const rows = db
    .select({
      roundId: rounds.id,
      contestId: contests.id,
      number: rounds.number,
      bankId: roundQuotas.bankId,
      questionCount: roundQuotas.questionCount,
    })
    .from(roundQuotas)
    .innerJoin(rounds, eq(rounds.id, roundQuotas.roundId))
    .innerJoin(contests, eq(contests.id, rounds.contestId))
    .all();
  const byRound = new Map<number, LintRound>();
  for (const row of rows) {
    const round = byRound.get(row.roundId) ?? { file: m.contestPlace(row.contestId), number: row.number, quotas: [] };
    round.quotas.push({ bankId: row.bankId, questionCount: row.questionCount, line: 1 });
    byRound.set(row.roundId, round);
  }
  return [...byRound.values()];
}

/**
 * Checks one bank's text as `npm run content:check` would: the same errors, the same warnings,
 * and the lint against the other banks and the rounds already in the database. Errors and
 * warnings come in line order; a preview of what could be read is kept.
 */
export function checkBankText(db: Db, fileName: string, text: string) {
  const { bank, errors, warnings, preview } = parseBank(fileName, text);
  const shown: EditorWarning[] = warnings.map((w) => ({ line: w.line, message: w.message, elsewhere: null }));
  if (bank) {
    // The edited bank last: a warning about a pair then lands on the edited text, naming the other.
    for (const w of lintBanks([...otherBanks(db, bank.id), bank], lintRounds(db))) {
      if (w.file === fileName) {
        shown.push({ line: w.line, message: w.message, elsewhere: w.related && w.related.file !== fileName ? w.related.file : null });
      } else if (w.related?.file === fileName) {
        shown.push({ line: w.related.line, message: w.message, elsewhere: w.file });
      }
    }
  }
  return { bank, errors: sortContentErrors(errors), warnings: shown.sort((a, b) => a.line - b.line), preview };
}

export function importBankText(
  db: Db,
  fileName: string,
  text: string,
  { now, actorUserId }: { now: number; actorUserId: string },
): { ok: true; summary: ImportSummary; bankId: string } | { ok: false; errors: ContentError[] } {
  const { bank, errors } = checkBankText(db, fileName, text);
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
  return (
    db
      .select({ id: banks.id })
      .from(banks)
      .where(and(eq(banks.id, bankId)))
      .get() !== undefined
  );
}
