/**
 * The contest's shape rules, one function each, shared by the console and the content checker
 * (app/domain/contest-rules.ts): both refuse the same contests with the same sentence.
 */
import { describe, expect, it } from "vitest";
import { parseContentSet } from "~/domain/content/validate";
import { contest } from "../integration/helpers";
import { checkContestChange, closesAfterOpens, overlappingRounds, quotaProblem, quotaTotal, ruleMessages } from "~/domain/contest-rules";

const H = 3_600_000;

describe("the shape rules", () => {
  it("a round closes after it opens; closing as it opens is refused", () => {
    expect(closesAfterOpens({ opensAt: 0, closesAt: 1 })).toBe(true);
    expect(closesAfterOpens({ opensAt: 5, closesAt: 5 })).toBe(false);
    expect(closesAfterOpens({ opensAt: 5, closesAt: 4 })).toBe(false);
  });

  it("the quota total adds what each bank gives", () => {
    expect(quotaTotal([{ questionCount: 3 }, { questionCount: 4 }, { questionCount: 0 }])).toBe(7);
  });

  it("a quota must name a bank that holds enough questions", () => {
    const sizes = new Map([["bo-a", 4]]);
    expect(quotaProblem({ bankId: "bo-a", questionCount: 4 }, sizes)).toBeNull();
    expect(quotaProblem({ bankId: "bo-a", questionCount: 5 }, sizes)).toEqual({ kind: "too-large", size: 4 });
    expect(quotaProblem({ bankId: "bo-x", questionCount: 1 }, sizes)).toEqual({ kind: "unknown-bank" });
  });

  it("overlapping rounds come as [opens first, opens later]; back to back is not an overlap", () => {
    const r1 = { number: 1, opensAt: 0, closesAt: 10 * H };
    const r2 = { number: 2, opensAt: 10 * H, closesAt: 20 * H };
    const r3 = { number: 3, opensAt: 15 * H, closesAt: 16 * H };
    expect(overlappingRounds([r3, r2, r1])).toEqual([[r2, r3]]);
  });
});

describe("the console and the content checker say the same thing", () => {
  const contestFile = (banks: string[], perAttempt: number, rounds: [string, string][]) => ({
    kind: "contest" as const,
    path: "content/contests/x.md",
    text: [
      "---",
      "id: thi-x",
      "title: Thi X",
      "timeLimitMinutes: 20",
      `questionsPerAttempt: ${perAttempt}`,
      "rounds:",
      ...rounds.flatMap(([opens, closes], i) => [
        `  - number: ${i + 1}`,
        `    opens: ${opens}`,
        `    closes: ${closes}`,
        "    banks:",
        ...banks.map((b) => `      ${b}`),
      ]),
      "---",
      "",
    ].join("\n"),
  });
  const known = new Map([["bo-a", 4]]);

  /** What the content checker says of a contest file with these quotas and rounds. */
  function fileSays(banks: string[], perAttempt: number, rounds: [string, string][]): string[] {
    return parseContentSet([contestFile(banks, perAttempt, rounds)], known).errors.map((e) => e.message);
  }

  it("a quota larger than its bank", () => {
    const file = fileSays(["bo-a: 5"], 5, [["01/10/2024 00:00", "08/10/2024 00:00"]]);
    expect(file).toEqual([ruleMessages.quotaTooLarge(1, "bo-a", 5, 4)]);
    const console = checkContestChange({
      before: null,
      now: 0,
      bankSizes: known,
      after: contest({
        questionsPerAttempt: 5,
        rounds: [{ number: 1, title: "Vòng 1", opensAt: 0, closesAt: H, quotas: [{ bankId: "bo-a", questionCount: 5, line: 0 }], line: 0 }],
      }),
    });
    expect(console.map((v) => v.message)).toEqual(file);
  });

  it("overlapping rounds and a round closing before it opens", () => {
    expect(
      fileSays(["bo-a: 4"], 4, [
        ["01/10/2024 00:00", "08/10/2024 00:00"],
        ["07/10/2024 00:00", "14/10/2024 00:00"],
      ]),
    ).toEqual([ruleMessages.overlap(1, 2)]);
    expect(fileSays(["bo-a: 4"], 4, [["08/10/2024 00:00", "01/10/2024 00:00"]])).toEqual([ruleMessages.closesBeforeOpens(1)]);
    expect(fileSays(["bo-a: 3"], 4, [["01/10/2024 00:00", "08/10/2024 00:00"]])).toEqual([ruleMessages.quotaSum(1, 3, 4)]);
  });
});
