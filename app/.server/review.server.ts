/**
 * What a member may read about their own finalized attempt: their choices always; each question's
 * correct options and explanation only when app/domain/secrecy.ts says no round can still draw it;
 * the score only when the contest's showScore allows. Everything a browser could receive about an
 * attempt's key goes through here (docs/decisions/005-answer-key-secrecy.md).
 */
import { asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { attemptItems, contests, questionOptions, questions, questionVersions, roundQuotas, rounds } from "../../db/schema";
import { ANSWER_GRACE_MS } from "~/domain/schedule";
import { isAnswerCorrect } from "~/domain/scoring";
import { keyVisibility, scoreVisibility, type SecrecyRound } from "~/domain/secrecy";

/**
 * Every round that may still hold a key back at `now` (not closed, or inside its answer grace),
 * with the banks of its pool. Closed rounds never matter to the rule, so they are not read.
 */
export function roundsStillDrawing(db: Db, now: number): SecrecyRound[] {
  const rows = db
    .select({ id: rounds.id, contestId: rounds.contestId, closesAt: rounds.closesAt, bankId: roundQuotas.bankId })
    .from(rounds)
    .leftJoin(roundQuotas, eq(roundQuotas.roundId, rounds.id))
    .where(gt(rounds.closesAt, now - ANSWER_GRACE_MS))
    .all();
  const byRound = new Map<number, { contestId: string; closesAt: number; bankIds: string[] }>();
  for (const row of rows) {
    const round = byRound.get(row.id) ?? { contestId: row.contestId, closesAt: row.closesAt, bankIds: [] };
    if (row.bankId) round.bankIds.push(row.bankId);
    byRound.set(row.id, round);
  }
  return [...byRound.values()];
}

export interface ReviewOption {
  id: number;
  text: string;
  chosen: boolean;
  /** Present only when the key is revealed. */
  isCorrect?: boolean;
}

export interface ReviewItem {
  position: number;
  stem: string;
  source: string | null;
  points: number;
  multipleAnswers: boolean;
  answered: boolean;
  /** Whether the key of this question is shown; if not, when it will be (UTC ms). */
  revealed: boolean;
  revealAt: number | null;
  /** Null until the key is revealed: "wrong" next to a choice would give the key away. */
  right: boolean | null;
  explanation: string | null;
  options: ReviewOption[];
}

export interface MemberView {
  review: ReviewItem[];
  /** Null when the score may be shown, else the instant from which it will be. */
  scoreHiddenUntil: number | null;
  practice: boolean;
}

/** The review of a finalized attempt and whether its score may be shown, at `now`. */
export function memberView(db: Db, attempt: { id: string; roundId: number }, now: number): MemberView {
  const round = db
    .select({
      closesAt: rounds.closesAt,
      contestId: contests.id,
      reviewAfter: contests.reviewAfter,
      showScore: contests.showScore,
      practice: contests.practice,
    })
    .from(rounds)
    .innerJoin(contests, eq(contests.id, rounds.contestId))
    .where(eq(rounds.id, attempt.roundId))
    .get()!;
  const score = scoreVisibility(round.showScore, round, now);

  const items = db
    .select({
      position: attemptItems.position,
      optionOrder: attemptItems.optionOrder,
      chosen: attemptItems.chosen,
      stem: questionVersions.stem,
      explanation: questionVersions.explanation,
      source: questionVersions.source,
      points: questionVersions.points,
      multipleAnswers: questionVersions.multipleAnswers,
      versionId: questionVersions.id,
      bankId: questions.bankId,
      active: questions.active,
    })
    .from(attemptItems)
    .innerJoin(questionVersions, eq(questionVersions.id, attemptItems.questionVersionId))
    .innerJoin(questions, eq(questions.id, questionVersions.questionId))
    .where(eq(attemptItems.attemptId, attempt.id))
    .orderBy(asc(attemptItems.position))
    .all();
  const options = new Map(
    items.length === 0
      ? []
      : db
          .select({ id: questionOptions.id, text: questionOptions.text, isCorrect: questionOptions.isCorrect })
          .from(questionOptions)
          .where(
            inArray(
              questionOptions.versionId,
              items.map((i) => i.versionId),
            ),
          )
          .all()
          .map((o) => [o.id, o]),
  );
  const stillDrawing = roundsStillDrawing(db, now);
  const contest = { id: round.contestId, reviewAfter: round.reviewAfter };

  const review = items.map((item): ReviewItem => {
    const key = keyVisibility({ question: item, contest, rounds: stillDrawing, now });
    const chosen = new Set(item.chosen ?? []);
    const base = {
      position: item.position,
      stem: item.stem,
      points: item.points,
      multipleAnswers: item.multipleAnswers,
      answered: chosen.size > 0,
    };
    if (!key.revealed) {
      return {
        ...base,
        // The source points at the passage holding the answer: it waits with the key.
        source: null,
        revealed: false,
        revealAt: key.revealAt,
        right: null,
        explanation: null,
        options: item.optionOrder.map((id) => ({ id, text: options.get(id)?.text ?? "", chosen: chosen.has(id) })),
      };
    }
    const shown = item.optionOrder.map((id) => {
      const option = options.get(id)!;
      return { id, text: option.text, chosen: chosen.has(id), isCorrect: option.isCorrect };
    });
    return {
      ...base,
      source: item.source,
      revealed: true,
      revealAt: null,
      right: isAnswerCorrect(
        shown.filter((o) => o.isCorrect).map((o) => o.id),
        item.chosen,
      ),
      explanation: item.explanation,
      options: shown,
    };
  });
  return { review, scoreHiddenUntil: score.revealed ? null : score.revealAt, practice: round.practice };
}

/** Whether members see their own scores in a round at `now` (the contest's showScore). */
export function roundScoreVisibility(db: Db, roundId: number, now: number) {
  const round = db
    .select({ closesAt: rounds.closesAt, showScore: contests.showScore })
    .from(rounds)
    .innerJoin(contests, eq(contests.id, rounds.contestId))
    .where(eq(rounds.id, roundId))
    .get()!;
  return scoreVisibility(round.showScore, round, now);
}
