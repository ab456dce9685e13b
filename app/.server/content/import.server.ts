/**
 * Loads a validated content set into the database, in one transaction and idempotently: what is
 * already there as written is left untouched, an edited question gets a new content version (the
 * old one stays for the attempts that drew it), a question removed from its file is retired.
 */
import { createHash } from "node:crypto";
import { and, eq, gt, gte, notInArray, sql } from "drizzle-orm";
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
import type { RuleViolation } from "~/domain/contest-rules";
import { questionContent, type Bank } from "~/domain/content/bank";
import type { Contest } from "~/domain/content/contest";
import type { ContentError } from "~/domain/content/errors";
import type { Units } from "~/domain/content/units";
import type { ContentSet } from "~/domain/content/validate";
import { attemptDeadline } from "~/domain/schedule";
import { contentMessages as m } from "~/i18n/content.vi";
import { recordAudit } from "../audit.server";
import { renderShareImage } from "../share-image.server";
import { contestChangeViolations } from "../contest-rules.server";

export interface ImportSummary {
  districts: { created: number; updated: number };
  branches: { created: number; updated: number };
  banks: { created: number; updated: number; unchanged: number };
  questions: { created: number; newVersions: number; retired: number };
  contests: { created: number; updated: number; unchanged: number };
  rounds: { created: number; updated: number; removed: number };
}

/**
 * Raised inside the transaction when the database refuses what the files ask: nothing is written.
 * `violations` are the running-contest rules broken, by form field, for the console.
 */
export class ContentConflictError extends Error {
  constructor(
    readonly errors: ContentError[],
    readonly violations: RuleViolation[] = [],
  ) {
    super(errors.map((e) => `${e.file}:${e.line}: ${e.message}`).join("\n"));
  }
}

/** Who writes, and through which path: recorded with every contest and round change. */
export interface ImportOrigin {
  now: number;
  /** The signed-in person (console); null from the command line and the seed. */
  actorUserId?: string | null;
  /** `content:import` (the command line), `console` (the browser) or `seed` (npm run demo). */
  via?: "content:import" | "console" | "seed";
  /** The operating-system user who ran the command. */
  osUser?: string | null;
  /** What the console form did (`settings`, `save-round`, …), for the audit entry. */
  change?: string;
}

const hash = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export function importContent(db: Db, content: ContentSet, origin: ImportOrigin): ImportSummary {
  const { now, actorUserId = null } = origin;
  const via = origin.via ?? (actorUserId ? "console" : "content:import");
  const who = { actorUserId, via, osUser: origin.osUser ?? null, change: origin.change };
  const summary: ImportSummary = {
    districts: { created: 0, updated: 0 },
    branches: { created: 0, updated: 0 },
    banks: { created: 0, updated: 0, unchanged: 0 },
    questions: { created: 0, newVersions: 0, retired: 0 },
    contests: { created: 0, updated: 0, unchanged: 0 },
    rounds: { created: 0, updated: 0, removed: 0 },
  };
  db.transaction(
    (tx) => {
      if (content.units) importUnits(tx, content.units, summary);
      const conflicts: ContentError[] = [];
      const violations: RuleViolation[] = [];
      for (const bank of content.banks) importBank(tx, bank, now, summary, conflicts);
      for (const contest of content.contests) importContest(tx, contest, now, summary, conflicts, violations, who);
      if (conflicts.length > 0) throw new ContentConflictError(conflicts, violations);

      if (changeCount(summary) > 0) {
        tx.insert(auditLog)
          .values({
            at: now,
            actorUserId,
            action: "content.import",
            subject: "content",
            subjectKind: "content",
            details: { ...summary, via, ...(who.osUser ? { osUser: who.osUser } : {}) },
          })
          .run();
      }
    },
    { behavior: "immediate" },
  );
  return summary;
}

export function changeCount(s: ImportSummary): number {
  return (
    s.districts.created +
    s.districts.updated +
    s.branches.created +
    s.branches.updated +
    s.banks.created +
    s.banks.updated +
    s.questions.created +
    s.questions.newVersions +
    s.questions.retired +
    s.contests.created +
    s.contests.updated +
    s.rounds.created +
    s.rounds.updated +
    s.rounds.removed
  );
}

function importUnits(tx: Tx, units: Units, summary: ImportSummary) {
  const existingDistricts = new Map(
    tx
      .select()
      .from(districts)
      .all()
      .map((d) => [d.id, d]),
  );
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
  const existingBranches = new Map(
    tx
      .select()
      .from(branches)
      .all()
      .map((b) => [b.id, b]),
  );
  units.branches.forEach((b, position) => {
    const existing = existingBranches.get(b.id);
    if (!existing) {
      tx.insert(branches).values({ id: b.id, name: b.name, districtId: b.districtId, position }).run();
      summary.branches.created++;
    } else if (existing.name !== b.name || existing.districtId !== b.districtId || existing.position !== position) {
      tx.update(branches).set({ name: b.name, districtId: b.districtId, position }).where(eq(branches.id, b.id)).run();
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
      tx.update(banks)
        .set({ sourceMarkdown: bank.sourceMarkdown, sourceFile: bank.file, updatedAt: now })
        .where(eq(banks.id, bank.id))
        .run();
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
    tx.insert(banks)
      .values({ id: bank.id, createdAt: now, ...meta })
      .run();
    summary.banks.created++;
  }

  const stored = new Map(
    tx
      .select()
      .from(questions)
      .where(eq(questions.bankId, bank.id))
      .all()
      .map((q) => [q.key, q]),
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
      tx.update(questions).set({ currentVersionId: version.id, position, active: true }).where(eq(questions.id, question.id)).run();
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

type Who = { actorUserId: string | null; via: string; osUser: string | null; change?: string };

/** The line of a refused field in the contest's file (the round's line, or the id line, else). */
function lineOfField(contest: Contest, field: string): number {
  const lines = contest.fieldLines ?? {};
  const round = /^rounds\.(\d+)(?:\.(.+))?$/.exec(field);
  if (round) {
    const number = Number(round[1]);
    const key = round[2]?.startsWith("bank.") ? "banks" : round[2];
    return (
      (key && lines[`rounds.${number}.${key}`]) ||
      lines[`rounds.${number}`] ||
      contest.rounds.find((r) => r.number === number)?.line ||
      contest.idLine
    );
  }
  return lines[field] ?? contest.idLine;
}

/** The settings an audit entry compares, as they are stored. */
function settingsOf(c: Contest): Record<string, unknown> {
  return {
    title: c.title,
    timezone: c.timezone,
    rulesMarkdown: c.rulesMarkdown,
    timeLimitSeconds: c.timeLimitSeconds,
    questionsPerAttempt: c.questionsPerAttempt,
    attemptsPerRound: c.attemptsPerRound,
    predictionEnabled: c.predictionEnabled,
    predictionTarget: c.predictionTarget,
    rankingOrder: c.rankingOrder,
    liveStandings: c.liveStandings,
    onePrizePerPerson: c.onePrizePerPerson,
    minPrizeScore: c.minPrizeScore ?? null,
    prizes: c.prizes.map((p) => ({ name: p.name, count: p.count })),
    certificateSigners: c.certificateSigners ?? [],
    embedOrigins: c.embedOrigins ?? [],
  };
}

function roundOf(r: Contest["rounds"][number]): Record<string, unknown> {
  return {
    title: r.title,
    opensAt: r.opensAt,
    closesAt: r.closesAt,
    quotas: Object.fromEntries(
      r.quotas
        .filter((q) => q.questionCount > 0)
        .sort((a, b) => a.bankId.localeCompare(b.bankId))
        .map((q) => [q.bankId, q.questionCount]),
    ),
  };
}

/** Only what changed: `{ before, after }` of the differing keys, or null when nothing did. */
function changed(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  if (!before || !after) return { before, after };
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (keys.length === 0) return null;
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
}

function importContest(
  tx: Tx,
  contest: Contest,
  now: number,
  summary: ImportSummary,
  conflicts: ContentError[],
  violations: RuleViolation[],
  who: Who,
) {
  const {
    file: _file,
    idLine: _idLine,
    fieldLines: _lines,
    rounds: parsedRounds,
    prizes,
    minPrizeScore,
    certificateSigners,
    embedOrigins = [],
    ...settings
  } = contest;
  const signers = certificateSigners ?? [];
  const contestHash = hash({
    settings,
    prizes,
    ...(minPrizeScore != null ? { minPrizeScore } : {}),
    // Only when set, so contests imported before signers existed keep their hash.
    ...(signers.length > 0 ? { certificateSigners: signers } : {}),
    ...(embedOrigins.length > 0 ? { embedOrigins } : {}),
    rounds: parsedRounds.map(({ line: _line, quotas, ...r }) => ({
      ...r,
      quotas: quotas.map(({ line: _quotaLine, ...q }) => q),
    })),
  });
  const existing = tx
    .select({ contentHash: contests.contentHash, hasShareImage: sql<number>`${contests.shareImage} is not null` })
    .from(contests)
    .where(eq(contests.id, contest.id))
    .get();
  if (existing?.contentHash === contestHash) {
    // A contest imported before share cards existed gets its image now, and nothing else changes.
    if (!existing.hasShareImage) {
      const shareImage = renderShareImage(contest);
      if (shareImage) tx.update(contests).set({ shareImage }).where(eq(contests.id, contest.id)).run();
    }
    summary.contests.unchanged++;
    return;
  }

  // The running-contest rules, the same for every path that writes a contest.
  const { before, violations: broken } = contestChangeViolations(tx, contest, now);
  if (broken.length > 0) {
    violations.push(...broken);
    for (const v of broken) conflicts.push({ file: contest.file, line: lineOfField(contest, v.field), message: v.message });
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
    minPrizeScore: minPrizeScore ?? null,
    reviewAfter: settings.reviewAfter,
    showScore: settings.showScore,
    practice: settings.practice,
    certificateSigners: signers,
    embedOrigins,
    // The share card shows the title and the rounds' dates: made again with every change.
    shareImage: renderShareImage(contest),
    sourceFile: contest.file,
    contentHash: contestHash,
    updatedAt: now,
  };
  if (existing) {
    tx.update(contests).set(values).where(eq(contests.id, contest.id)).run();
    summary.contests.updated++;
  } else {
    tx.insert(contests)
      .values({ id: contest.id, createdAt: now, ...values })
      .run();
    summary.contests.created++;
  }
  const details = {
    via: who.via,
    ...(who.osUser ? { osUser: who.osUser } : {}),
    ...(who.change ? { change: who.change } : {}),
    file: contest.file,
  };
  // A new contest is one entry (its rounds in `after`); a change to an existing one is an entry for
  // its settings and one per round, each with only the values that changed.
  const settingsChange = before
    ? changed(settingsOf(before), settingsOf(contest))
    : { before: null, after: { ...settingsOf(contest), rounds: Object.fromEntries(parsedRounds.map((r) => [r.number, roundOf(r)])) } };
  if (settingsChange) {
    recordAudit(tx, {
      at: now,
      actorUserId: who.actorUserId,
      action: before ? "contest.update" : "contest.create",
      subjectKind: "contest",
      subjectId: contest.id,
      ...settingsChange,
      details,
    });
  }

  tx.delete(prizeTiers).where(eq(prizeTiers.contestId, contest.id)).run();
  if (prizes.length > 0) {
    tx.insert(prizeTiers)
      .values(prizes.map((p, position) => ({ contestId: contest.id, position, name: p.name, count: p.count })))
      .run();
  }

  const storedRounds = tx.select().from(rounds).where(eq(rounds.contestId, contest.id)).all();
  const auditRound = (
    roundId: number,
    number: number,
    change: { before: Record<string, unknown> | null; after: Record<string, unknown> | null },
  ) =>
    before &&
    recordAudit(tx, {
      at: now,
      actorUserId: who.actorUserId,
      action: change.before === null ? "round.create" : change.after === null ? "round.remove" : "round.update",
      subjectKind: "round",
      subjectId: String(roundId),
      ...change,
      details: { ...details, contestId: contest.id, number },
    });

  for (const round of parsedRounds) {
    const stored = storedRounds.find((r) => r.number === round.number);
    const timing = { title: round.title, opensAt: round.opensAt, closesAt: round.closesAt };
    const previous = before?.rounds.find((r) => r.number === round.number);
    if (stored && previous) {
      const roundChange = changed(roundOf(previous), roundOf(round));
      if (!roundChange) continue;
      const sameTiming = stored.title === round.title && stored.opensAt === round.opensAt && stored.closesAt === round.closesAt;
      if (!sameTiming) tx.update(rounds).set(timing).where(eq(rounds.id, stored.id)).run();
      if (round.closesAt > stored.closesAt && stored.closesAt > now)
        extendCappedDeadlines(tx, stored.id, stored.closesAt, round.closesAt, settings.timeLimitSeconds);
      if ("quotas" in roundChange.after!) {
        tx.delete(roundQuotas).where(eq(roundQuotas.roundId, stored.id)).run();
        insertQuotas(tx, stored.id, round.quotas);
      }
      summary.rounds.updated++;
      auditRound(stored.id, round.number, roundChange);
    } else {
      const roundId = tx
        .insert(rounds)
        .values({ contestId: contest.id, number: round.number, ...timing })
        .returning({ id: rounds.id })
        .get().id;
      insertQuotas(tx, roundId, round.quotas);
      summary.rounds.created++;
      auditRound(roundId, round.number, { before: null, after: roundOf(round) });
    }
  }

  // The rules refused removing any round that has opened or has attempts.
  const removed = storedRounds.filter((r) => !parsedRounds.some((p) => p.number === r.number));
  for (const round of removed) {
    const previous = before?.rounds.find((r) => r.number === round.number);
    tx.delete(rounds).where(eq(rounds.id, round.id)).run();
    summary.rounds.removed++;
    auditRound(round.id, round.number, { before: previous ? roundOf(previous) : null, after: null });
  }
}

/**
 * An open round's close moved later: attempts in progress whose deadline was the old close get the
 * deadline the rule gives them now (their time limit, but never past the new close), like members
 * who start after the change. Few rows: only attempts started within a time limit of the old close.
 */
function extendCappedDeadlines(tx: Tx, roundId: number, oldClose: number, newClose: number, timeLimitSeconds: number) {
  const capped = tx
    .select({ id: attempts.id, startedAt: attempts.startedAt })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), eq(attempts.status, "in_progress"), gte(attempts.deadlineAt, oldClose)))
    .all();
  for (const attempt of capped) {
    tx.update(attempts)
      .set({ deadlineAt: attemptDeadline(attempt.startedAt, timeLimitSeconds, newClose) })
      .where(eq(attempts.id, attempt.id))
      .run();
  }
}

function insertQuotas(tx: Tx, roundId: number, quotas: Contest["rounds"][number]["quotas"]) {
  tx.insert(roundQuotas)
    .values(quotas.map((q) => ({ roundId, bankId: q.bankId, questionCount: q.questionCount })))
    .run();
}
