/**
 * Scoring an attempt from what was stored: the drawn question versions and the answers. A
 * question scores its points when the chosen set equals the correct set exactly (all-or-nothing
 * for multi-answer questions); an unanswered question scores nothing.
 */

export interface ScoredItem {
  points: number;
  correctOptionIds: readonly number[];
  /** Chosen option ids, or null when not answered. */
  chosen: readonly number[] | null;
}

export interface AttemptScore {
  score: number;
  maxScore: number;
  correctCount: number;
  questionCount: number;
}

export function isAnswerCorrect(correctOptionIds: readonly number[], chosen: readonly number[] | null): boolean {
  if (!chosen || chosen.length === 0) return false;
  const picked = new Set(chosen);
  if (picked.size !== chosen.length) return false;
  const correct = new Set(correctOptionIds);
  return picked.size === correct.size && [...picked].every((id) => correct.has(id));
}

export function scoreAttempt(items: readonly ScoredItem[]): AttemptScore {
  let score = 0;
  let maxScore = 0;
  let correctCount = 0;
  for (const item of items) {
    maxScore += item.points;
    if (isAnswerCorrect(item.correctOptionIds, item.chosen)) {
      score += item.points;
      correctCount++;
    }
  }
  return { score, maxScore, correctCount, questionCount: items.length };
}
