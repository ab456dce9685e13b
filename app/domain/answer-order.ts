/**
 * Which of two saves of the same question is the newer one. On a weak link a page retries a save
 * that did not arrive, so an older choice can reach the server after a newer one: each save carries
 * the instant the member chose it (the page's estimate of the server's clock, see
 * docs/decisions/007-weak-link-quiz.md), the server stores it with the answer, and a save chosen
 * before the stored one changes nothing.
 */

/** How far a page's estimate of the server's clock may be off and still be believed. */
export const CHOICE_STAMP_TOLERANCE_MS = 5 * 60_000;

/**
 * The instant to store with an answer: when the page says it was chosen, unless that claim is
 * missing or absurd (before the attempt started or after now, beyond the tolerance), then `now`.
 */
export function answerStamp(chosenAt: number | null | undefined, now: number, startedAt: number): number {
  if (chosenAt === null || chosenAt === undefined || !Number.isFinite(chosenAt)) return now;
  if (chosenAt < startedAt - CHOICE_STAMP_TOLERANCE_MS || chosenAt > now + CHOICE_STAMP_TOLERANCE_MS) return now;
  return Math.round(chosenAt);
}

/** A save chosen before the answer already stored is a late retry of an older choice: ignore it. */
export function isStaleAnswer(storedStamp: number | null, stamp: number): boolean {
  return storedStamp !== null && stamp < storedStamp;
}

/** An answer names options of its question, each once, and one only unless it is multi-answer. */
export function isValidChoice(optionOrder: readonly number[], multipleAnswers: boolean, chosen: readonly number[]): boolean {
  const unique = new Set(chosen);
  if (unique.size !== chosen.length) return false;
  if (!multipleAnswers && chosen.length > 1) return false;
  return chosen.every((id) => optionOrder.includes(id));
}
