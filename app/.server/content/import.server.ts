/**
 * Loads a validated content set into the database, in one transaction and idempotently: what is
 * already there as written is left untouched, an edited question gets a new content version (the
 * old one stays for the attempts that drew it), a question removed from its file is retired.
 */
import { createHash } from "node:crypto";
import { and, eq, gt, inArray, notInArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  attempts,
  auditLog,
  banks,
  branches,
  contests,
  districts,
  prizeTiers,
  questionOptions,
  questions,
  questionVersions,
  roundQuotas,
  rounds,
} from "../../../db/schema";
import { questionContent, type Bank } from "~/domain/content/bank";
import type { Contest } from "~/domain/content/contest";
import type { ContentError } from "~/domain/content/errors";
import type { Units } from "~/domain/content/units";
import type { ContentSet } from "~/domain/content/validate";
import { contentMessages as m } from "~/i18n/content.vi";

export interface ImportSummary {
  districts: { created: number; updated: number };
  branches: { created: number; updated: number };
  banks: { created: number; updated: number; unchanged: number };
  questions: { created: number; newVersions: number; retired: number };
  contests: { created: number; updated: number; unchanged: number };
  rounds: { created: number; updated: number; removed: number };
}

/** Raised inside the transaction when the database refuses what the files ask: nothing is written. */
export class ContentConflictError extends Error {
  constructor(readonly errors: ContentError[]) {
    super(errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("\n"));
  }
}

const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function importContent(
  db: Db,
  content: ContentSet,
  { now, actorUserId = null }: { now: number; actorUserId?: string | null },
): ImportSummary {
  const summary: ImportSummary = {
    districts: { created: 0, updated: 0 },
    branches: { created: 0, updated: 0 },
    banks: { created: 0, updated: 0, unchanged: 0 },
    questions: { created: 0, newVersions: 0, retired: 0 },
    contests: { created: 0, updated: 0, unchanged: 0 },
    rounds: { created: 0, updated: 0, removed: 0 },
  };
  db.transaction((tx) => {
    if (content.units) importUnits(tx, content.units, summary);
    const conflicts: ContentError[] = [];
    for (const bank of content.banks) importBank(tx, bank, now, summary, conflicts);
    for (const contest of content.contests) importContest(tx, contest, now, summary, conflicts);
    if (conflicts.length > 0) throw new ContentConflictError(conflicts);

    if (changeCount(summary) > 0) {
      tx.insert(auditLog)
        .values({ at: now, actorUserId, action: "content.import", subject: "content", details: { ...summary } })
        .run();
    }
  });
  return summary;
}

export function changeCount(s: ImportSummary): number {
  return (
    s.districts.created + s.districts.updated + s.branches.created + s.branches.updated +
    s.banks.created + s.banks.updated + s.questions.created + s.questions.newVersions + s.questions.retired +
    s.contests.created + s.contests.updated + s.rounds.created + s.rounds.updated + s.rounds.removed
  );
}

function importUnits(tx: Tx, units: Units, summary: ImportSummary) {
  const existingDistricts = new Map(tx.select().from(districts).all().map((d) => [d.id, d]));
  units.districts.forEach((d, position) => {
    const existing = existingDistricts.get(d.id);
    if (!existing) {
      tx.insert(districts).values({ id: d.id, name: d.name, position }).run();
      summary.districts.created++;
    } else if (existing.name !== d.name || existing.position !== position) {
      tx.update(districts).set({ name: d.name, position }).where(eq(districts.id, d.id)).run();
      summary.districts.updated++;
    }
  });
  const existingBranches = new Map(tx.select().from(branches).all().map((b) => [b.id, b]));
  units.branches.forEach((b, position) => {
    const existing = existingBranches.get(b.id);
    if (!existing) {
      tx.insert(branches).values({ id: b.id, name: b.name, districtId: b.districtId, position }).run();
      summary.branches.created++;
    } else if (existing.name !== b.name || existing.districtId !== b.districtId || existing.position !== position) {
      tx.update(branches)
        .set({ name: b.name, districtId: b.districtId, position })
        .where(eq(branches.id, b.id))
        .run();
      summary.branches.updated++;
    }
  });
  // Districts and branches missing from the file are kept: members and their history refer to them.
}

function importBank(tx: Tx, bank: Bank, now: number, summary: ImportSummary, conflicts: ContentError[]) {
  const bankHash = hash({
    title: bank.title,
    topic: bank.topic,
    source: bank.source,
    description: bank.description,
    questions: bank.questions.map((q) => [q.key, questionContent(q)]),
  });
  const existing = tx
    .select({ contentHash: banks.contentHash, sourceMarkdown: banks.sourceMarkdown })
    .from(banks)
    .where(eq(banks.id, bank.id))
    .get();
  if (existing?.contentHash === bankHash) {
    if (existing.sourceMarkdown === bank.sourceMarkdown) {
      summary.banks.unchanged++;
    } else {
      // Same questions, differently written (spacing, comments): keep the text as last given.
      tx.update(banks).set({ sourceMarkdown: bank.sourceMarkdown, sourceFile: bank.file, updatedAt: now }).where(eq(banks.id, bank.id)).run();
      summary.banks.updated++;
    }
    return;
  }
  const meta = {
    title: bank.title,
    topic: bank.topic,
    source: bank.source,
    description: bank.description,
    sourceFile: bank.file,
    sourceMarkdown: bank.sourceMarkdown,
    contentHash: bankHash,
    updatedAt: now,
  };
  if (existing) {
    tx.update(banks).set(meta).where(eq(banks.id, bank.id)).run();
    summary.banks.updated++;
  } else {
    tx.insert(banks).values({ id: bank.id, createdAt: now, ...meta }).run();
    summary.banks.created++;
  }

  const stored = new Map(
    tx.select().from(questions).where(eq(questions.bankId, bank.id)).all().map((q) => [q.key, q]),
  );
  bank.questions.forEach((q, position) => {
    let question = stored.get(q.key);
    if (!question) {
      question = tx.insert(questions).values({ bankId: bank.id, key: q.key, position }).returning().get();
      summary.questions.created++;
    }
    const content = questionContent(q);
    const contentHash = hash(content);
    let version = tx
      .select({ id: questionVersions.id })
      .from(questionVersions)
      .where(and(eq(questionVersions.questionId, question.id), eq(questionVersions.contentHash, contentHash)))
      .get();
    if (!version) {
      const latest = tx
        .select({ max: sql<number>`coalesce(max(${questionVersions.version}), 0)` })
        .from(questionVersions)
        .where(eq(questionVersions.questionId, question.id))
        .get();
      version = tx
        .insert(questionVersions)
        .values({
          questionId: question.id,
          version: (latest?.max ?? 0) + 1,
          contentHash,
          stem: content.stem,
          explanation: content.explanation,
          source: content.source,
          points: content.points,
          multipleAnswers: content.multipleAnswers,
          createdAt: now,
        })
        .returning({ id: questionVersions.id })
        .get();
      tx.insert(questionOptions)
        .values(content.options.map((o, i) => ({ versionId: version!.id, position: i, ...o })))
        .run();
      if (stored.has(q.key)) summary.questions.newVersions++;
    }
    if (question.currentVersionId !== version.id || question.position !== position || !question.active) {
      tx.update(questions)
        .set({ currentVersionId: version.id, position, active: true })
        .where(eq(questions.id, question.id))
        .run();
    }
  });

  const keys = bank.questions.map((q) => q.key);
  const retired = tx
    .update(questions)
    .set({ active: false })
    .where(and(eq(questions.bankId, bank.id), eq(questions.active, true), notInArray(questions.key, keys)))
    .run();
  summary.questions.retired += retired.changes;

  // A round that has not closed must still find enough questions to draw.
  const available = bank.questions.length;
  const needing = tx
    .select({ contestId: rounds.contestId, number: rounds.number, questionCount: roundQuotas.questionCount })
    .from(roundQuotas)
    .innerJoin(rounds, eq(rounds.id, roundQuotas.roundId))
    .where(and(eq(roundQuotas.bankId, bank.id), gt(rounds.closesAt, now), gt(roundQuotas.questionCount, available)))
    .all();
  for (const round of needing) {
    conflicts.push({
      file: bank.file,
      line: bank.idLine,
      message: m.bankTooSmallForRound(round.contestId, round.number, round.questionCount, available),
    });
  }
}

function importContest(tx: Tx, contest: Contest, now: number, summary: ImportSummary, conflicts: ContentError[]) {
  const { file: _file, idLine: _idLine, rounds: parsedRounds, prizes, ...settings } = contest;
  const contestHash = hash({
    settings,
    prizes,
    rounds: parsedRounds.map(({ line: _line, quotas, ...r }) => ({
      ...r,
      quotas: quotas.map(({ line: _quotaLine, ...q }) => q),
    })),
  });
  const existing = tx
    .select({ contentHash: contests.contentHash })
    .from(contests)
    .where(eq(contests.id, contest.id))
    .get();
  if (existing?.contentHash === contestHash) {
    summary.contests.unchanged++;
    return;
  }
  const values = {
    title: settings.title,
    timezone: settings.timezone,
    rulesMarkdown: settings.rulesMarkdown,
    timeLimitSeconds: settings.timeLimitSeconds,
    questionsPerAttempt: settings.questionsPerAttempt,
    attemptsPerRound: settings.attemptsPerRound,
    predictionEnabled: settings.predictionEnabled,
    predictionTarget: settings.predictionTarget,
    rankingOrder: settings.rankingOrder,
    liveStandings: settings.liveStandings,
    onePrizePerPerson: settings.onePrizePerPerson,
    reviewAfter: settings.reviewAfter,
    showScore: settings.showScore,
    practice: settings.practice,
    sourceFile: contest.file,
    contentHash: contestHash,
    updatedAt: now,
  };
  if (existing) {
    tx.update(contests).set(values).where(eq(contests.id, contest.id)).run();
    summary.contests.updated++;
  } else {
    tx.insert(contests).values({ id: contest.id, createdAt: now, ...values }).run();
    summary.contests.created++;
  }

  tx.delete(prizeTiers).where(eq(prizeTiers.contestId, contest.id)).run();
  if (prizes.length > 0) {
    tx.insert(prizeTiers)
      .values(prizes.map((p, position) => ({ contestId: contest.id, position, name: p.name, count: p.count })))
      .run();
  }

  const storedRounds = tx.select().from(rounds).where(eq(rounds.contestId, contest.id)).all();
  const hasAttempts = (roundId: number) =>
    tx.select({ id: attempts.id }).from(attempts).where(eq(attempts.roundId, roundId)).limit(1).get() !== undefined;

  for (const round of parsedRounds) {
    const stored = storedRounds.find((r) => r.number === round.number);
    const timing = { title: round.title, opensAt: round.opensAt, closesAt: round.closesAt };
    let roundId: number;
    if (stored) {
      roundId = stored.id;
      const storedQuotas = tx.select().from(roundQuotas).where(eq(roundQuotas.roundId, roundId)).all();
      const sameQuotas =
        storedQuotas.length === round.quotas.length &&
        round.quotas.every((q) =>
          storedQuotas.some((s) => s.bankId === q.bankId && s.questionCount === q.questionCount),
        );
      const sameTiming =
        stored.title === round.title && stored.opensAt === round.opensAt && stored.closesAt === round.closesAt;
      if (!sameQuotas && hasAttempts(roundId)) {
        conflicts.push({ file: contest.file, line: round.line, message: m.roundQuotasLocked(round.number) });
        continue;
      }
      if (!sameTiming) tx.update(rounds).set(timing).where(eq(rounds.id, roundId)).run();
      if (!sameQuotas) {
        tx.delete(roundQuotas).where(eq(roundQuotas.roundId, roundId)).run();
        insertQuotas(tx, roundId, round.quotas);
      }
      if (!sameTiming || !sameQuotas) summary.rounds.updated++;
    } else {
      roundId = tx
        .insert(rounds)
        .values({ contestId: contest.id, number: round.number, ...timing })
        .returning({ id: rounds.id })
        .get().id;
      insertQuotas(tx, roundId, round.quotas);
      summary.rounds.created++;
    }
  }

  const removed = storedRounds.filter((r) => !parsedRounds.some((p) => p.number === r.number));
  for (const round of removed) {
    if (hasAttempts(round.id)) {
      conflicts.push({ file: contest.file, line: contest.idLine, message: m.roundRemovedWithAttempts(round.number) });
    }
  }
  const removable = removed.map((r) => r.id);
  if (removable.length > 0 && conflicts.length === 0) {
    tx.delete(rounds).where(inArray(rounds.id, removable)).run();
    summary.rounds.removed += removable.length;
  }
}

function insertQuotas(tx: Tx, roundId: number, quotas: Contest["rounds"][number]["quotas"]) {
  tx.insert(roundQuotas)
    .values(quotas.map((q) => ({ roundId, bankId: q.bankId, questionCount: q.questionCount })))
    .run();
}
