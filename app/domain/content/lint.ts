/**
 * Bank lint: what makes a contest unfair or guessable although every file is valid on its own.
 * Warnings, each with both places it is about: the same question in two banks, a stem that prints
 * another question's answer, a round whose maximum score depends on the draw, and an answer
 * pattern members learn to guess (always the longest option, always "Tất cả các đáp án trên").
 */
import { contentMessages as m } from "~/i18n/content.vi";
import type { Bank, BankQuestion } from "./bank";
import type { ContentWarning } from "./errors";

/** What the lint needs of a round: which banks it draws from, and where its quotas are written. */
export interface LintRound {
  file: string;
  number: number;
  quotas: { bankId: string; questionCount: number; line: number }[];
}

/** Share of questions above which an answer pattern is reported (random guessing is 1/4 to 1/2). */
export const PATTERN_SHARE = 0.5;
/** Below this many questions a pattern proves nothing. */
export const PATTERN_MIN_QUESTIONS = 5;
export const ALL_OF_THE_ABOVE_MIN_QUESTIONS = 3;
/** Two stems sharing this share of their words, with the same answer, ask the same thing. */
export const REWORDED_STEM_SIMILARITY = 0.3;
/** Stems sharing this share of their words ask the same thing, whatever their options. */
export const NEAR_IDENTICAL_STEM = 0.8;

/** Lower case, single spaces, no final full stop: how a stem is searched for an answer. */
const light = (text: string) =>
  text
    .toLocaleLowerCase("vi")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.;:!?…]+$/u, "")
    .trim();

/** Only letters and digits, for comparing stems. */
const words = (text: string) =>
  text
    .toLocaleLowerCase("vi")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

const ALL_OF_THE_ABOVE =
  /^(tất cả (các )?(đáp án|phương án|ý|lựa chọn|câu)( nêu)? trên( đều đúng)?|tất cả đều đúng|cả (ba|bốn|3|4|hai|2) (đáp án|phương án|ý|lựa chọn) (trên|đều đúng|trên đều đúng))$/u;

export const isAllOfTheAbove = (optionText: string) => ALL_OF_THE_ABOVE.test(light(optionText));

/**
 * An answer specific enough that finding it in another stem, or as another question's answer,
 * means something: not "Có", "Đúng", "24" or "Tất cả các đáp án trên".
 */
function isDistinctive(answer: string): boolean {
  if (isAllOfTheAbove(answer)) return false;
  return answer.length >= 6 || (/\d/.test(answer) && answer.length >= 3);
}

function containsPhrase(haystack: string, needle: string): boolean {
  let from = 0;
  for (;;) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) return false;
    const before = haystack[at - 1];
    const after = haystack[at + needle.length];
    const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = at + 1;
  }
}

/**
 * Whether a stem prints an answer: the answer itself, or every item of a list answer in any order
 * ("Đạ Ròn, Lạc Xuân, Tu Tra" prints "Đạ Ròn, Tu Tra, Lạc Xuân").
 */
function printsAnswer(stem: string, answer: string): boolean {
  if (containsPhrase(stem, answer)) return true;
  const items = answer.split(/\s*,\s*|\s+và\s+/u).filter(Boolean);
  return items.length >= 2 && items.every((item) => item.length >= 3 && containsPhrase(stem, item));
}

function sameNumbers(a: Set<string>, b: Set<string>): boolean {
  const numbers = (words: Set<string>) =>
    [...words]
      .filter((w) => /\d/.test(w))
      .sort()
      .join(" ");
  return numbers(a) === numbers(b);
}

function similarity(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

interface Entry {
  bank: Bank;
  question: BankQuestion;
  stem: string;
  stemWords: Set<string>;
  /** The correct options, lightly normalized. */
  answers: string[];
  answerKey: string | null;
}

export function lintBanks(banks: readonly Bank[], rounds: readonly LintRound[]): ContentWarning[] {
  const warnings: ContentWarning[] = [];
  const warn = (at: { file: string; line: number }, related: { file: string; line: number } | undefined, message: string) =>
    warnings.push({ file: at.file, line: at.line, message, ...(related ? { related } : {}) });

  const entries: Entry[] = banks.flatMap((bank) =>
    bank.questions.map((question) => {
      const answers = question.options.filter((o) => o.isCorrect).map((o) => light(o.text));
      const distinctive = answers.length > 0 && answers.every(isDistinctive);
      return {
        bank,
        question,
        stem: light(question.stem),
        stemWords: new Set(words(question.stem)),
        answers,
        answerKey: distinctive ? [...answers].sort().join("\n") : null,
      };
    }),
  );
  const at = (e: Entry) => ({ file: e.bank.file, line: e.question.line });

  // The same question twice: a round drawing from both banks may ask it twice.
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [a, b] = [entries[i]!, entries[j]!];
      const stemSimilarity = similarity(a.stemWords, b.stemWords);
      // Near-identical wording about different documents or figures (749/QĐ-TTg, 1690/QĐ-TTg) differs.
      const sameStem = a.stem === b.stem || (stemSimilarity >= NEAR_IDENTICAL_STEM && sameNumbers(a.stemWords, b.stemWords));
      // "22/9/2024" and "Ngày 22/9/2024" are the same answer.
      const answersMatch =
        a.answerKey !== null &&
        b.answerKey !== null &&
        (a.answerKey === b.answerKey ||
          (a.answers.length === 1 &&
            b.answers.length === 1 &&
            (containsPhrase(a.answerKey, b.answerKey) || containsPhrase(b.answerKey, a.answerKey))));
      const sameAnswer = answersMatch && stemSimilarity >= REWORDED_STEM_SIMILARITY;
      if (sameStem || sameAnswer) {
        warn(at(b), at(a), m.sameQuestion(b.question.key, a.question.key, a.bank.file, a.question.line, sameStem ? "stem" : "answer"));
      }
    }
  }

  // A stem that prints the answer of another question a member may meet in the same attempt.
  const drawnTogether = new Map<string, Set<string>>();
  const together = (x: string, y: string) => {
    if (!drawnTogether.has(x)) drawnTogether.set(x, new Set([x]));
    drawnTogether.get(x)!.add(y);
  };
  for (const bank of banks) together(bank.id, bank.id);
  for (const round of rounds) {
    for (const a of round.quotas) for (const b of round.quotas) together(a.bankId, b.bankId);
  }
  for (const giver of entries) {
    for (const asked of entries) {
      if (giver === asked || !drawnTogether.get(asked.bank.id)?.has(giver.bank.id)) continue;
      const answer = asked.answers.find((a) => isDistinctive(a) && printsAnswer(giver.stem, a));
      if (answer !== undefined) {
        const shown = asked.question.options.find((o) => light(o.text) === answer)!.text;
        warn(at(giver), at(asked), m.stemGivesAway(giver.question.key, shown, asked.question.key, asked.bank.file, asked.question.line));
      }
    }
  }

  // A round whose maximum score depends on which questions were drawn.
  const bankById = new Map(banks.map((b) => [b.id, b]));
  for (const round of rounds) {
    const ranges = round.quotas.map((quota) => {
      const bank = bankById.get(quota.bankId);
      const points = bank ? bank.questions.map((q) => q.points).sort((x, y) => x - y) : [];
      const n = Math.min(quota.questionCount, points.length);
      const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
      return { quota, bank, points, min: sum(points.slice(0, n)), max: sum(points.slice(points.length - n)) };
    });
    const totalMin = ranges.reduce((s, r) => s + r.min, 0);
    const totalMax = ranges.reduce((s, r) => s + r.max, 0);
    for (const { quota, bank, points, min, max } of ranges) {
      if (!bank || min === max) continue;
      warn(
        { file: round.file, line: quota.line },
        { file: bank.file, line: bank.idLine },
        m.roundScoreVaries(round.number, bank.id, bank.file, totalMin, totalMax, scoreFix(bank.id, points, quota.questionCount)),
      );
    }
  }

  // Answer patterns members learn: the longest option, or "Tất cả các đáp án trên".
  for (const bank of banks) {
    const single = bank.questions.filter((q) => q.options.filter((o) => o.isCorrect).length === 1);
    const longest = single.filter((q) => {
      const correct = q.options.find((o) => o.isCorrect)!;
      return q.options.every((o) => o === correct || o.text.length < correct.text.length);
    });
    if (single.length >= PATTERN_MIN_QUESTIONS && longest.length / single.length > PATTERN_SHARE) {
      warn(
        { file: bank.file, line: bank.idLine },
        undefined,
        m.answerAlwaysLongest(Math.round((100 * longest.length) / single.length), longest.length, single.length),
      );
    }
    const withAll = bank.questions.filter((q) => q.options.some((o) => isAllOfTheAbove(o.text)));
    const allCorrect = withAll.filter((q) => q.options.some((o) => o.isCorrect && isAllOfTheAbove(o.text)));
    if (withAll.length >= ALL_OF_THE_ABOVE_MIN_QUESTIONS && allCorrect.length / withAll.length > PATTERN_SHARE) {
      const label = allCorrect[0]!.options.find((o) => o.isCorrect && isAllOfTheAbove(o.text))!.text;
      warn({ file: bank.file, line: bank.idLine }, undefined, m.answerAlwaysAll(label, allCorrect.length, withAll.length));
    }
  }

  return warnings;
}

/** Quotas that make the maximum fixed: the whole pool, or one pool per point value, in proportion. */
function scoreFix(bankId: string, points: number[], questionCount: number): string {
  const counts = new Map<number, number>();
  for (const p of points) counts.set(p, (counts.get(p) ?? 0) + 1);
  const values = [...counts.keys()].sort((a, b) => a - b);
  const share = values.map((p) => Math.min(counts.get(p)!, Math.round((questionCount * counts.get(p)!) / points.length)));
  const total = () => share.reduce((s, x) => s + x, 0);
  // Rounding may leave one too many or too few: take from the largest share, give where there is room.
  while (total() > questionCount) share[share.indexOf(Math.max(...share))]! -= 1;
  for (let i = 0; i < values.length && total() < questionCount; i++) {
    share[i] = Math.min(counts.get(values[i]!)!, share[i]! + questionCount - total());
  }
  const split = values.map((p, i) => m.roundScoreSplit(share[i]!, p, counts.get(p)!)).join(", ");
  return m.roundScoreFix(bankId, points.length, split);
}
