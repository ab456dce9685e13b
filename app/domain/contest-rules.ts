/**
 * What an organizer may change in a contest that may already be running. The server checks every
 * change against these rules before writing anything:
 * - rounds must not overlap, and each closes after it opens;
 * - a round draws no more questions from a bank than the bank has, and its quotas add up to the
 *   contest's questions per attempt;
 * - once a round has opened, its banks, quotas and opening time are fixed (members drew from them);
 * - a close time cannot be moved into the past (that would cut short attempts in progress), and an
 *   open round cannot be removed.
 */
import type { Contest, ContestRound } from "./content/contest";
import { windowsOverlap } from "./schedule";

export interface RuleViolation {
  /** The form field the message belongs to: `rounds.<number>.closes`, `questionsPerAttempt`, … */
  field: string;
  message: string;
}

export const ruleMessages = {
  closesBeforeOpens: (n: number) => `Vòng ${n}: giờ đóng phải sau giờ mở.`,
  overlap: (a: number, b: number) => `Vòng ${a} và vòng ${b} chồng lên nhau về thời gian.`,
  unknownBank: (n: number, bank: string) => `Vòng ${n}: không có bộ câu hỏi “${bank}”.`,
  quotaTooLarge: (n: number, bank: string, quota: number, size: number) =>
    `Vòng ${n}: lấy ${quota} câu từ bộ “${bank}” nhưng bộ chỉ có ${size} câu.`,
  quotaSum: (n: number, sum: number, expected: number) =>
    `Vòng ${n}: tổng số câu lấy từ các bộ là ${sum}, phải bằng số câu mỗi bài (${expected}).`,
  quotasLocked: (n: number) => `Vòng ${n} đã mở: không thể đổi bộ câu hỏi hay số câu của vòng này.`,
  opensLocked: (n: number) => `Vòng ${n} đã mở: không thể đổi giờ mở.`,
  closeInPast: (n: number) => `Vòng ${n}: không thể dời giờ đóng về một thời điểm đã qua.`,
  removeOpened: (n: number) => `Vòng ${n} đã mở: không thể xóa.`,
  noQuotas: (n: number) => `Vòng ${n}: chọn ít nhất một bộ câu hỏi.`,
} as const;

function sameQuotas(a: ContestRound, b: ContestRound): boolean {
  const key = (r: ContestRound) =>
    r.quotas
      .filter((q) => q.questionCount > 0)
      .map((q) => `${q.bankId}:${q.questionCount}`)
      .sort()
      .join(",");
  return key(a) === key(b);
}

export function checkContestChange({
  before,
  after,
  now,
  bankSizes,
}: {
  before: Contest | null;
  after: Contest;
  now: number;
  bankSizes: ReadonlyMap<string, number>;
}): RuleViolation[] {
  const violations: RuleViolation[] = [];
  const add = (field: string, message: string) => violations.push({ field, message });

  for (const round of after.rounds) {
    const f = (name: string) => `rounds.${round.number}.${name}`;
    if (round.closesAt <= round.opensAt) add(f("closes"), ruleMessages.closesBeforeOpens(round.number));
    const quotas = round.quotas.filter((q) => q.questionCount > 0);
    if (quotas.length === 0) add(f("banks"), ruleMessages.noQuotas(round.number));
    let sum = 0;
    for (const quota of quotas) {
      sum += quota.questionCount;
      const size = bankSizes.get(quota.bankId);
      if (size === undefined) add(f(`bank.${quota.bankId}`), ruleMessages.unknownBank(round.number, quota.bankId));
      else if (quota.questionCount > size) {
        add(f(`bank.${quota.bankId}`), ruleMessages.quotaTooLarge(round.number, quota.bankId, quota.questionCount, size));
      }
    }
    if (quotas.length > 0 && sum !== after.questionsPerAttempt) add(f("banks"), ruleMessages.quotaSum(round.number, sum, after.questionsPerAttempt));

    const previous = before?.rounds.find((r) => r.number === round.number);
    if (previous && previous.opensAt <= now) {
      if (!sameQuotas(previous, round)) add(f("banks"), ruleMessages.quotasLocked(round.number));
      if (previous.opensAt !== round.opensAt) add(f("opens"), ruleMessages.opensLocked(round.number));
    }
    if (round.closesAt < now && (!previous || previous.closesAt !== round.closesAt)) {
      add(f("closes"), ruleMessages.closeInPast(round.number));
    }
  }

  const sorted = [...after.rounds].sort((a, b) => a.opensAt - b.opensAt);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      if (windowsOverlap(sorted[i]!, sorted[j]!)) add(`rounds.${sorted[j]!.number}.opens`, ruleMessages.overlap(sorted[i]!.number, sorted[j]!.number));
    }
  }

  for (const previous of before?.rounds ?? []) {
    if (!after.rounds.some((r) => r.number === previous.number) && previous.opensAt <= now) {
      add(`rounds.${previous.number}.remove`, ruleMessages.removeOpened(previous.number));
    }
  }
  return violations;
}
