/**
 * The Word files the console hands out: a bank with its answers, a round's paper without. Both
 * are built from the questions in the database — the active questions at their current version,
 * exactly what a round draws — not from a second reading of the markdown.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { banks, questionOptions, questions, questionVersions } from "../../db/schema";
import type { Bank, BankQuestion } from "~/domain/content/bank";
import { bankToWordBlocks, drawPaper, paperToWordBlocks } from "~/domain/content/word";
import { docxMessages as m } from "~/i18n/docx.vi";
import { contestForEdit } from "./contest-admin.server";
import { writeDocx } from "./word.server";

/** The active questions of some banks, in file order, at the version new attempts draw. */
function activeQuestions(db: Db, bankIds: readonly string[]): Map<string, BankQuestion[]> {
  const byBank = new Map<string, BankQuestion[]>(bankIds.map((id) => [id, []]));
  if (bankIds.length === 0) return byBank;
  const rows = db
    .select({
      bankId: questions.bankId,
      key: questions.key,
      versionId: questionVersions.id,
      stem: questionVersions.stem,
      explanation: questionVersions.explanation,
      source: questionVersions.source,
      points: questionVersions.points,
      multipleAnswers: questionVersions.multipleAnswers,
    })
    .from(questions)
    .innerJoin(questionVersions, eq(questionVersions.id, questions.currentVersionId))
    .where(and(inArray(questions.bankId, [...bankIds]), eq(questions.active, true)))
    .orderBy(asc(questions.bankId), asc(questions.position))
    .all();
  const options = rows.length
    ? db
        .select({
          versionId: questionOptions.versionId,
          text: questionOptions.text,
          isCorrect: questionOptions.isCorrect,
          pinned: questionOptions.pinned,
        })
        .from(questionOptions)
        .where(
          inArray(
            questionOptions.versionId,
            rows.map((r) => r.versionId),
          ),
        )
        .orderBy(asc(questionOptions.versionId), asc(questionOptions.position))
        .all()
    : [];
  for (const row of rows) {
    byBank.get(row.bankId)!.push({
      key: row.key,
      line: 0,
      stem: row.stem,
      options: options
        .filter((o) => o.versionId === row.versionId)
        .map((o) => ({ text: o.text, isCorrect: o.isCorrect, pinned: o.pinned, line: 0 })),
      explanation: row.explanation,
      source: row.source,
      points: row.points,
      multipleAnswers: row.multipleAnswers,
    });
  }
  return byBank;
}

/** The bank as imported, as a .docx with its answers; null if there is no such bank. */
export async function bankDocx(db: Db, bankId: string): Promise<{ fileName: string; bytes: Buffer } | null> {
  const row = db.select().from(banks).where(eq(banks.id, bankId)).get();
  if (!row) return null;
  const bank: Bank = {
    file: row.sourceFile ?? `${row.id}.md`,
    id: row.id,
    idLine: 0,
    title: row.title,
    topic: row.topic,
    source: row.source,
    description: row.description,
    questions: activeQuestions(db, [row.id]).get(row.id)!,
    sourceMarkdown: row.sourceMarkdown ?? "",
  };
  return { fileName: `${bank.id}.docx`, bytes: await writeDocx(bankToWordBlocks(bank), bank.title) };
}

/**
 * A round's paper for a printed sitting, without answers: null if there is no such round, a
 * message if its banks cannot fill it.
 */
export async function roundPaperDocx(
  db: Db,
  contestId: string,
  roundNumber: number,
): Promise<{ ok: true; fileName: string; bytes: Buffer } | { ok: false; message: string } | null> {
  const contest = contestForEdit(db, contestId);
  const round = contest?.rounds.find((r) => r.number === roundNumber);
  if (!contest || !round) return null;
  const pools = activeQuestions(
    db,
    round.quotas.map((q) => q.bankId),
  );
  const drawn = drawPaper(round.quotas, pools, `${contest.id}/${round.number}`);
  if (!drawn.ok) {
    const p = drawn.problem;
    return {
      ok: false,
      message:
        p.kind === "no-banks"
          ? m.paperNoBanks
          : p.kind === "missing"
            ? m.paperBankMissing(p.bankId)
            : m.paperNotEnough(p.bankId, p.wanted, p.available),
    };
  }
  const blocks = paperToWordBlocks({
    contestTitle: contest.title,
    roundTitle: round.title,
    minutes: Math.round(contest.timeLimitSeconds / 60),
    questions: drawn.questions,
  });
  return {
    ok: true,
    fileName: `${contest.id}-vong-${round.number}-de-thi.docx`,
    bytes: await writeDocx(blocks, `${contest.title} — ${round.title}`),
  };
}
