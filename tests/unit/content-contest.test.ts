import { describe, expect, it } from "vitest";
import { parseContest, RANKING_CRITERIA, type Contest } from "~/domain/content/contest";
import type { ContentError } from "~/domain/content/errors";
import { ruleMessages } from "~/domain/contest-rules";
import { lineOf } from "../helpers/text";

const FILE = "content/contests/thu.md";

interface RoundSpec {
  number?: number | string;
  title?: string;
  opens?: string;
  closes?: string;
  banks?: string[] | string;
  extra?: string[];
}

/** A round's YAML lines; `banks` as entries under `banks:`, or a literal value on its line. */
function roundLines(r: RoundSpec): string[] {
  const lines = [`  - number: ${r.number ?? 1}`];
  if (r.title !== undefined) lines.push(`    title: ${r.title}`);
  if (r.opens !== undefined) lines.push(`    opens: ${r.opens}`);
  if (r.closes !== undefined) lines.push(`    closes: ${r.closes}`);
  const banks = r.banks ?? ["bo-a: 3", "bo-b: 2"];
  if (typeof banks === "string") lines.push(`    banks: ${banks}`);
  else lines.push("    banks:", ...banks.map((b) => `      ${b}`));
  lines.push(...(r.extra ?? []).map((l) => `    ${l}`));
  return lines;
}

const WEEK1: RoundSpec = { number: 1, opens: "30/09/2024 10:00", closes: "07/10/2024 09:30" };
const WEEK2: RoundSpec = { number: 2, opens: "07/10/2024 10:00", closes: "14/10/2024 09:30" };

/** A contest file with the given settings (after id/title) and rounds, and a short rules body. */
function contest(settings: string[], rounds: RoundSpec[] | null = [WEEK1]): string {
  return [
    "---",
    "id: cuoc-thi-thu",
    "title: Cuộc thi thử",
    ...settings,
    ...(rounds ? ["rounds:", ...rounds.flatMap(roundLines)] : []),
    "---",
    "",
    "## Thể lệ",
    "",
    "Mỗi người thi một lần.",
    "",
  ].join("\n");
}

const BASIC = ["timeLimitMinutes: 20", "questionsPerAttempt: 5"];

function parseErrors(text: string): ContentError[] {
  const result = parseContest(FILE, text);
  expect(result.contest).toBeNull();
  return result.errors;
}

function expectOnlyError(text: string, line: number, fragment: string) {
  expect(parseErrors(text)).toEqual([{ file: FILE, line, message: expect.stringContaining(fragment) }]);
}

describe("parseContest: a valid contest", () => {
  it("parses every setting, converting round times from the contest's timezone", () => {
    const text = [
      "---",
      "id: nghi-quyet-dai-hoi-x",
      "title: Tìm hiểu Nghị quyết Đại hội X",
      "timezone: Asia/Ho_Chi_Minh",
      "timeLimitMinutes: 20",
      "questionsPerAttempt: 20",
      "attemptsPerRound: 2",
      "prediction: false",
      "predictionTarget: perfect-scores",
      "ranking: [score, duration]",
      "liveStandings: true",
      "onePrizePerPerson: true",
      "reviewAfter: contest-end",
      "showScore: after-close",
      "practice: false",
      "prizes:",
      "  - name: Giải Nhất",
      "    count: 1",
      "  - name: Giải Nhì",
      "    count: 2",
      "rounds:",
      "  - number: 2",
      "    opens: 07/10/2024 10:00",
      "    closes: 14/10/2024 09:30",
      "    banks:",
      "      van-ban-chi-dao: 20",
      "  - number: 1",
      "    title: Tuần thứ nhất",
      "    opens: 30/09/2024 10:00",
      "    closes: 07/10/2024 09:30",
      "    banks:",
      "      van-ban-chi-dao: 10",
      "      chuyen-doi-so: 10",
      "---",
      "",
      "## Thể lệ",
      "",
      "Đối tượng dự thi: mọi người.",
      "",
    ].join("\n");
    const { contest: parsed, errors } = parseContest(FILE, text);
    expect(errors).toEqual([]);
    const expected: Contest = {
      file: FILE,
      id: "nghi-quyet-dai-hoi-x",
      idLine: 2,
      title: "Tìm hiểu Nghị quyết Đại hội X",
      timezone: "Asia/Ho_Chi_Minh",
      rulesMarkdown: "## Thể lệ\n\nĐối tượng dự thi: mọi người.",
      timeLimitSeconds: 1200,
      questionsPerAttempt: 20,
      attemptsPerRound: 2,
      predictionEnabled: false,
      predictionTarget: "perfect-scores",
      rankingOrder: ["score", "duration"],
      liveStandings: true,
      onePrizePerPerson: true,
      minPrizeScore: null,
      reviewAfter: "contest-end",
      showScore: "after-close",
      practice: false,
      prizes: [
        { name: "Giải Nhất", count: 1 },
        { name: "Giải Nhì", count: 2 },
      ],
      // the line of each key, for refusals at import (docs/decisions/008)
      fieldLines: expect.objectContaining({ timeLimitMinutes: 5, ranking: 10, "rounds.1.closes": 30, "rounds.2.banks": 25 }),
      // sorted by number, whatever the order in the file
      rounds: [
        {
          number: 1,
          title: "Tuần thứ nhất",
          opensAt: Date.UTC(2024, 8, 30, 3, 0),
          closesAt: Date.UTC(2024, 9, 7, 2, 30),
          quotas: [
            { bankId: "van-ban-chi-dao", questionCount: 10, line: 32 },
            { bankId: "chuyen-doi-so", questionCount: 10, line: 33 },
          ],
          line: 27,
        },
        {
          number: 2,
          title: "Tuần thứ 2",
          opensAt: Date.UTC(2024, 9, 7, 3, 0),
          closesAt: Date.UTC(2024, 9, 14, 2, 30),
          quotas: [{ bankId: "van-ban-chi-dao", questionCount: 20, line: 26 }],
          line: 22,
        },
      ],
    };
    expect(parsed).toEqual(expected);
  });

  it("fills in the defaults", () => {
    const { contest: parsed, errors } = parseContest(FILE, contest(BASIC, [{ ...WEEK1, number: 3 }]));
    expect(errors).toEqual([]);
    expect(parsed).toMatchObject({
      timezone: "Asia/Ho_Chi_Minh",
      timeLimitSeconds: 1200,
      attemptsPerRound: 1,
      predictionEnabled: true,
      predictionTarget: "participants",
      rankingOrder: ["score", "prediction", "duration", "finishedAt"],
      liveStandings: false,
      onePrizePerPerson: false,
      reviewAfter: "questions-unused",
      showScore: "immediately",
      practice: false,
      prizes: [],
      rulesMarkdown: "## Thể lệ\n\nMỗi người thi một lần.",
    });
    expect(parsed!.rankingOrder).toEqual([...RANKING_CRITERIA]);
    expect(parsed!.rounds[0]!.title).toBe("Tuần thứ 3");
    expect(parsed!.rounds[0]!.opensAt).toBe(Date.UTC(2024, 8, 30, 3, 0));
  });

  it("reads times in another timezone", () => {
    const { contest: parsed, errors } = parseContest(FILE, contest(["timezone: Europe/Paris", ...BASIC]));
    expect(errors).toEqual([]);
    // 30/09/2024 10:00 in Paris is summer time, UTC+2
    expect(parsed!.rounds[0]!.opensAt).toBe(Date.UTC(2024, 8, 30, 8, 0));
    expect(parsed!.rounds[0]!.closesAt).toBe(Date.UTC(2024, 9, 7, 7, 30));
  });

  it("accepts rounds that touch: one closes at the instant the next opens", () => {
    const text = contest(BASIC, [
      { number: 1, opens: "01/10/2024 08:00", closes: "08/10/2024 08:00" },
      { number: 2, opens: "08/10/2024 08:00", closes: "15/10/2024 08:00" },
    ]);
    const { contest: parsed, errors } = parseContest(FILE, text);
    expect(errors).toEqual([]);
    expect(parsed!.rounds[0]!.closesAt).toBe(parsed!.rounds[1]!.opensAt);
  });

  it("reads the same contest from a BOM, CRLF and decomposed text", () => {
    const text = contest(BASIC, [WEEK1, WEEK2]);
    const clean = parseContest(FILE, text);
    expect(clean.errors).toEqual([]);
    expect(parseContest(FILE, `\uFEFF${text.normalize("NFD").replace(/\n/g, "\r\n")}`)).toEqual(clean);
  });
});

describe("parseContest: errors", () => {
  it("a round closing before it opens, on `closes`", () => {
    const text = contest(BASIC, [{ number: 1, opens: "07/10/2024 10:00", closes: "30/09/2024 10:00" }]);
    expectOnlyError(text, lineOf(text, "    closes: 30/09/2024 10:00"), ruleMessages.closesBeforeOpens(1));
  });

  it("a round closing when it opens", () => {
    const text = contest(BASIC, [{ number: 1, opens: "07/10/2024 10:00", closes: "07/10/2024 10:00" }]);
    expectOnlyError(text, lineOf(text, "    closes: 07/10/2024 10:00"), ruleMessages.closesBeforeOpens(1));
  });

  it("overlapping rounds, on the later round, naming both", () => {
    const text = contest(BASIC, [WEEK1, { number: 2, opens: "07/10/2024 09:00", closes: "14/10/2024 09:30" }]);
    expectOnlyError(text, lineOf(text, "  - number: 2"), ruleMessages.overlap(1, 2));
  });

  it("a round inside another one", () => {
    const text = contest(BASIC, [
      { number: 1, opens: "01/10/2024 00:00", closes: "31/10/2024 00:00" },
      { number: 2, opens: "10/10/2024 00:00", closes: "11/10/2024 00:00" },
      { number: 3, opens: "01/11/2024 00:00", closes: "02/11/2024 00:00" },
    ]);
    expectOnlyError(text, lineOf(text, "  - number: 2"), ruleMessages.overlap(1, 2));
  });

  it.each(["30-09-2024 10:00", "30/09/2024", "hôm nay", "30/09/24 10:00", "30/09/2024 10h00"])("a bad date `%s`, on its line", (value) => {
    const text = contest(BASIC, [{ number: 1, opens: value, closes: "07/10/2024 09:30" }]);
    expectOnlyError(text, lineOf(text, `    opens: ${value}`), `\`opens\`: \`${value}\` không phải thời điểm hợp lệ`);
  });

  it("an impossible date 31/02/2024", () => {
    const text = contest(BASIC, [{ number: 1, opens: "01/02/2024 10:00", closes: "31/02/2024 10:00" }]);
    expectOnlyError(text, lineOf(text, "    closes: 31/02/2024 10:00"), "`closes`: `31/02/2024 10:00` không phải thời điểm hợp lệ");
  });

  it("a missing `opens`", () => {
    const text = contest(BASIC, [{ number: 1, closes: "07/10/2024 09:30" }]);
    expectOnlyError(text, lineOf(text, "  - number: 1"), "thiếu khóa `opens`");
  });

  it("an unknown timezone", () => {
    const text = contest(["timezone: Asia/Da_Lat", ...BASIC]);
    expectOnlyError(text, 4, "múi giờ `Asia/Da_Lat` không tồn tại");
  });

  it("a duplicate round number, on the second round's number", () => {
    const text = contest(BASIC, [WEEK1, { ...WEEK2, number: 1 }]);
    const first = lineOf(text, "  - number: 1");
    expectOnlyError(text, lineOf(text, "  - number: 1", 2), `vòng số 1 đã có ở dòng ${first}`);
  });

  it("quotas not adding up to questionsPerAttempt, on the round's `banks:` line", () => {
    const text = contest(BASIC, [WEEK1, { ...WEEK2, banks: ["bo-a: 3", "bo-b: 3"] }]);
    expectOnlyError(text, lineOf(text, "    banks:", 2), ruleMessages.quotaSum(2, 6, 5));
  });

  it("empty banks `{}`", () => {
    const text = contest(BASIC, [{ ...WEEK1, banks: "{}" }]);
    const errors = parseErrors(text);
    expect(errors).toContainEqual({
      file: FILE,
      line: lineOf(text, "    banks: {}"),
      message: expect.stringContaining("`banks` chưa có bộ câu hỏi nào"),
    });
  });

  it("banks left blank", () => {
    const text = contest(BASIC, [{ ...WEEK1, banks: "" }]);
    expectOnlyError(text, lineOf(text, "    banks:"), "`banks` phải liệt kê các bộ câu hỏi dạng `mã-bộ: số-câu`");
  });

  it("a quota that is not a whole number", () => {
    const text = contest(BASIC, [{ ...WEEK1, banks: ["bo-a: năm"] }]);
    const errors = parseErrors(text);
    expect(errors).toEqual([
      { file: FILE, line: lineOf(text, "      bo-a: năm"), message: expect.stringContaining("`banks` phải là số nguyên từ 1 đến 500") },
    ]);
  });

  it("ranking not starting with score", () => {
    const text = contest([...BASIC, "ranking: [prediction, score]"]);
    expectOnlyError(text, lineOf(text, "ranking: [prediction, score]"), "`ranking` phải bắt đầu bằng `score`");
  });

  it("ranking as a block list not starting with score, on the `ranking:` line", () => {
    const text = contest([...BASIC, "ranking:", "  - prediction", "  - score"]);
    expectOnlyError(text, lineOf(text, "ranking:"), "`ranking` phải bắt đầu bằng `score`");
  });

  it("a ranking criterion written twice", () => {
    const text = contest([...BASIC, "ranking: [score, duration, duration]"]);
    expectOnlyError(text, lineOf(text, "ranking: [score, duration, duration]"), "`ranking` ghi `duration` hai lần");
  });

  it("an unknown ranking criterion", () => {
    const text = contest([...BASIC, "ranking: [score, speed]"]);
    expectOnlyError(
      text,
      lineOf(text, "ranking: [score, speed]"),
      "`ranking` phải là một trong: `score`, `prediction`, `duration`, `finishedAt`",
    );
  });

  it("an unknown key inside a round, listing the round's keys", () => {
    const text = contest(BASIC, [{ ...WEEK1, extra: ["closing: 07/10/2024 09:30"] }]);
    expectOnlyError(
      text,
      lineOf(text, "    closing: 07/10/2024 09:30"),
      "khóa `closing` không được hỗ trợ — các khóa dùng được: `number`, `title`, `opens`, `closes`, `banks`.",
    );
  });

  it("an unknown top-level key", () => {
    const text = contest([...BASIC, "timeLimit: 20"]);
    expectOnlyError(text, lineOf(text, "timeLimit: 20"), "khóa `timeLimit` không được hỗ trợ");
  });

  it("no rounds key at all", () => {
    expectOnlyError(contest(BASIC, null), 2, "cuộc thi chưa có vòng thi nào");
  });

  it("rounds written as a map instead of a list, on the `rounds:` line", () => {
    const text = contest([...BASIC, "rounds:", "  number: 1", "  opens: 30/09/2024 10:00"], null);
    expectOnlyError(text, lineOf(text, "rounds:"), "`rounds` phải là một danh sách");
  });

  it("an empty list of rounds", () => {
    const text = contest([...BASIC, "rounds: []"], null);
    expectOnlyError(text, lineOf(text, "rounds: []"), "cuộc thi chưa có vòng thi nào");
  });

  it.each(["20.5", "hai mươi", "0", "601"])("timeLimitMinutes: %s", (value) => {
    const text = contest([`timeLimitMinutes: ${value}`, "questionsPerAttempt: 5"]);
    expectOnlyError(text, 4, "`timeLimitMinutes` phải là số nguyên từ 1 đến 600");
  });

  it("a missing timeLimitMinutes", () => {
    const text = contest(["questionsPerAttempt: 5"]);
    expectOnlyError(text, 2, "thiếu khóa `timeLimitMinutes` — thêm dòng `timeLimitMinutes: 20`");
  });

  it("prediction that is not a boolean", () => {
    const text = contest([...BASIC, "prediction: có"]);
    expectOnlyError(text, lineOf(text, "prediction: có"), "`prediction` phải là `true` (có) hoặc `false` (không)");
  });

  it("a prize without a count", () => {
    const text = contest([...BASIC, "prizes:", "  - name: Giải Nhất"]);
    expectOnlyError(text, lineOf(text, "  - name: Giải Nhất"), "thiếu khóa `count`");
  });

  it("reports the errors of several rounds together", () => {
    const text = contest(BASIC, [
      { number: 1, opens: "31/02/2024 10:00", closes: "07/10/2024 09:30" },
      { number: 2, opens: "08/10/2024 10:00", closes: "24/10/2024 24:00" },
      { number: 3, opens: "20/10/2024 10:00", closes: "10/10/2024 10:00", banks: ["bo-a: 1"] },
    ]);
    const errors = parseErrors(text);
    expect(errors.map((e) => e.line).sort((a, b) => a - b)).toEqual(
      [
        lineOf(text, "    opens: 31/02/2024 10:00"),
        lineOf(text, "    closes: 24/10/2024 24:00"),
        lineOf(text, "    closes: 10/10/2024 10:00"),
        lineOf(text, "    banks:", 3),
      ].sort((a, b) => a - b),
    );
  });
});
