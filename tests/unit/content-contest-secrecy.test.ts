/** The contest settings of the answer-key secrecy (reviewAfter, showScore, practice) in the content format. */
import { describe, expect, it } from "vitest";
import { parseContest, serializeContest } from "~/domain/content/contest";
import { formatLocalDateTime } from "~/domain/time";

const FILE = "content/contests/thu.md";

function contestText(settings: string[]): string {
  return [
    "---",
    "id: cuoc-thi-thu",
    "title: Cuộc thi thử",
    "timeLimitMinutes: 20",
    "questionsPerAttempt: 5",
    ...settings,
    "rounds:",
    "  - number: 1",
    "    opens: 30/09/2024 10:00",
    "    closes: 07/10/2024 09:30",
    "    banks:",
    "      bo-a: 5",
    "---",
    "",
    "Thể lệ.",
    "",
  ].join("\n");
}

describe("reviewAfter, showScore and practice in a contest file", () => {
  it("default to the secrecy rule, immediate scores and a real contest", () => {
    const { contest } = parseContest(FILE, contestText([]));
    expect(contest).toMatchObject({ reviewAfter: "questions-unused", showScore: "immediately", practice: false });
  });

  it("are read when written", () => {
    const { contest, errors } = parseContest(FILE, contestText(["reviewAfter: contest-end", "showScore: after-close", "practice: true"]));
    expect(errors).toEqual([]);
    expect(contest).toMatchObject({ reviewAfter: "contest-end", showScore: "after-close", practice: true });
  });

  it("refuse an unknown value on its line, naming the values allowed", () => {
    const text = contestText(["reviewAfter: round-end", "showScore: never", "practice: có"]);
    const { contest, errors } = parseContest(FILE, text);
    expect(contest).toBeNull();
    expect(errors).toEqual([
      { file: FILE, line: 6, message: expect.stringMatching(/`reviewAfter`.*`questions-unused`.*`contest-end`/) },
      { file: FILE, line: 7, message: expect.stringMatching(/`showScore`.*`immediately`.*`after-close`/) },
      { file: FILE, line: 8, message: expect.stringContaining("`practice` phải là `true` (có) hoặc `false` (không)") },
    ]);
  });

  it("survive a download in the authoring format and a new parse", () => {
    const { contest } = parseContest(FILE, contestText(["reviewAfter: contest-end", "showScore: after-close", "practice: true"]));
    const text = serializeContest(contest!, (instant) => formatLocalDateTime(instant, contest!.timezone));
    expect(text).toContain("reviewAfter: contest-end\n");
    expect(text).toContain("showScore: after-close\n");
    expect(text).toContain("practice: true\n");
    const again = parseContest(FILE, text);
    expect(again.errors).toEqual([]);
    expect(again.contest).toMatchObject({ reviewAfter: "contest-end", showScore: "after-close", practice: true });
  });
});

describe("a practice contest", () => {
  it("with prizes is an error on the `prizes:` line", () => {
    const text = contestText(["practice: true", "prizes:", "  - name: Giải Nhất", "    count: 1"]);
    const { contest, errors } = parseContest(FILE, text);
    expect(contest).toBeNull();
    expect(errors).toEqual([{ file: FILE, line: 7, message: expect.stringContaining("không xét giải") }]);
  });
});
