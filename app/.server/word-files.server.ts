/** The Word files the console hands out: a bank with its answers, a round's paper without. */
import type { Db } from "../../db/client";
import { parseBank, type BankQuestion } from "~/domain/content/bank";
import { bankToWordBlocks, drawPaper, paperToWordBlocks } from "~/domain/content/word";
import { docxMessages as m } from "~/i18n/docx.vi";
import { getBankSource } from "./banks.server";
import { contestForEdit } from "./contest-admin.server";
import { writeDocx } from "./word.server";

/** The bank as last imported, as a .docx with its answers; null if there is no such bank. */
export async function bankDocx(db: Db, bankId: string): Promise<{ fileName: string; bytes: Buffer } | null> {
  const stored = getBankSource(db, bankId);
  if (!stored?.sourceMarkdown) return null;
  const { bank } = parseBank(stored.sourceFile ?? `${stored.id}.md`, stored.sourceMarkdown);
  if (!bank) return null;
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
  const banks = new Map<string, BankQuestion[]>();
  for (const quota of round.quotas) {
    const stored = getBankSource(db, quota.bankId);
    const bank = stored?.sourceMarkdown ? parseBank(stored.sourceFile ?? `${stored.id}.md`, stored.sourceMarkdown).bank : null;
    if (bank) banks.set(bank.id, bank.questions);
  }
  const drawn = drawPaper(round.quotas, banks, `${contest.id}/${round.number}`);
  if (!drawn.ok) {
    const p = drawn.problem;
    return { ok: false, message: p.kind === "no-banks" ? m.paperNoBanks : p.kind === "missing" ? m.paperBankMissing(p.bankId) : m.paperNotEnough(p.bankId, p.wanted, p.available) };
  }
  const blocks = paperToWordBlocks({ contestTitle: contest.title, roundTitle: round.title, minutes: Math.round(contest.timeLimitSeconds / 60), questions: drawn.questions });
  return { ok: true, fileName: `${contest.id}-vong-${round.number}-de-thi.docx`, bytes: await writeDocx(blocks, `${contest.title} — ${round.title}`) };
}
