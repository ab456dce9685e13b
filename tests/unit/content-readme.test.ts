/** The examples in content/README.md are what organizers copy: each must parse without errors. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBank } from "~/domain/content/bank";
import { parseContest } from "~/domain/content/contest";
import { parseUnits } from "~/domain/content/units";

const readme = readFileSync(join(import.meta.dirname, "../../content/README.md"), "utf8");
const examples = [...readme.matchAll(/```markdown\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("content/README.md examples", () => {
  it("has the three examples: a bank, a contest, the units", () => {
    expect(examples).toHaveLength(3);
  });
  it("the bank example parses, with its pinned option, multi-answer question and points", () => {
    const { bank, errors, warnings } = parseBank("example.md", examples[0]!);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    // The indented `Lưu ý:` line shows how an explanation goes on: it is part of it.
    expect(bank!.questions[0]!.explanation).toContain("\nLưu ý: tỷ lệ thôn/tổ dân phố");
    expect(bank!.questions.map((q) => q.key)).toEqual(["cds-001", "cds-002"]);
    expect(bank!.questions[0]!.options.at(-1)!.pinned).toBe(true);
    expect(bank!.questions[1]!.multipleAnswers).toBe(true);
  });
  it("the contest example parses", () => {
    const { contest, errors } = parseContest("example.md", examples[1]!);
    expect(errors).toEqual([]);
    expect(contest!.rounds).toHaveLength(1);
    expect(contest).toMatchObject({
      reviewAfter: "questions-unused",
      showScore: "immediately",
      practice: false,
      certificateSigners: [{ title: "TM. BAN TỔ CHỨC", name: "Nguyễn Văn A" }],
    });
  });
  it("the units example parses", () => {
    const { units, errors } = parseUnits("units.md", examples[2]!);
    expect(errors).toEqual([]);
    expect(units!.branches.map((b) => b.districtId)).toEqual(["da-lat", "don-duong"]);
  });
});
