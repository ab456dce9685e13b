/**
 * Drawing an attempt's questions: per the round's quotas, at random from each bank's active
 * questions, in a random order, each with its options shuffled except the pinned ones, which keep
 * their authored position ("Tất cả các đáp án trên" stays last).
 */

/** Returns an integer in [0, max). Injected so tests can draw deterministically. */
export type RandomInt = (max: number) => number;

export interface DrawCandidate {
  questionVersionId: number;
  /** The version's options in authored order. */
  options: { id: number; pinned: boolean }[];
}

export interface DrawQuota {
  bankId: string;
  questionCount: number;
  candidates: DrawCandidate[];
}

export interface DrawnItem {
  questionVersionId: number;
  /** Option ids in the order this member sees them. */
  optionOrder: number[];
}

export class NotEnoughQuestionsError extends Error {
  constructor(
    readonly bankId: string,
    readonly wanted: number,
    readonly available: number,
  ) {
    super(`Bank ${bankId} has ${available} active questions, the round draws ${wanted}.`);
  }
}

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], randomInt: RandomInt): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** `count` distinct items chosen uniformly at random. */
export function sample<T>(items: readonly T[], count: number, randomInt: RandomInt): T[] {
  const pool = [...items];
  // A partial Fisher–Yates: the first `count` slots end up a uniform sample.
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(pool.length - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

/** The options in a shuffled order where pinned options keep their authored positions. */
export function shuffleOptions(options: readonly { id: number; pinned: boolean }[], randomInt: RandomInt): number[] {
  const free = shuffle(
    options.filter((o) => !o.pinned).map((o) => o.id),
    randomInt,
  );
  let next = 0;
  return options.map((o) => (o.pinned ? o.id : free[next++]!));
}

export function drawQuestions(quotas: readonly DrawQuota[], randomInt: RandomInt): DrawnItem[] {
  const drawn: DrawCandidate[] = [];
  for (const quota of quotas) {
    if (quota.candidates.length < quota.questionCount) {
      throw new NotEnoughQuestionsError(quota.bankId, quota.questionCount, quota.candidates.length);
    }
    drawn.push(...sample(quota.candidates, quota.questionCount, randomInt));
  }
  return shuffle(drawn, randomInt).map((candidate) => ({
    questionVersionId: candidate.questionVersionId,
    optionOrder: shuffleOptions(candidate.options, randomInt),
  }));
}
