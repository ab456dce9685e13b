/**
 * Checks across files: ids unique across banks and contests, and every round's quotas against
 * the banks they draw from. The whole content set is valid only if this finds nothing.
 */
import { contentMessages as m } from "~/i18n/content.vi";
import { quotaProblem, ruleMessages } from "../contest-rules";
import { parseBank, type Bank } from "./bank";
import { parseContest, type Contest } from "./contest";
import { sortContentErrors, type ContentError, type ContentWarning } from "./errors";
import { lintBanks } from "./lint";
import { parseUnits, type Units } from "./units";

export interface ContentFile {
  /** The path shown in errors, relative to the project (content/banks/x.md). */
  path: string;
  kind: "bank" | "contest" | "units";
  text: string;
  /**
   * Read only because quotas may name it (a bank of content/ when checking a draft): when it and a
   * checked file claim the same bank id, the checked file is the one that is wrong.
   */
  reference?: boolean;
}

export interface ContentSet {
  banks: Bank[];
  contests: Contest[];
  units: Units | null;
}

/** Bank sizes already known elsewhere (the database), for quotas referring to banks not in the files. */
export type KnownBanks = ReadonlyMap<string, number>;

export function parseContentSet(
  files: readonly ContentFile[],
  knownBanks: KnownBanks = new Map(),
): { content: ContentSet; errors: ContentError[]; warnings: ContentWarning[] } {
  const errors: ContentError[] = [];
  const warnings: ContentWarning[] = [];
  const content: ContentSet = { banks: [], contests: [], units: null };
  // Every bank whose id could be read, valid or not: a draft with errors reusing an id is told so too.
  const parsedBanks: { bank: Bank | null; id: string; idLine: number; file: ContentFile; order: number }[] = [];

  for (const [order, file] of files.entries()) {
    if (file.kind === "bank") {
      const result = parseBank(file.path, file.text);
      errors.push(...result.errors);
      warnings.push(...result.warnings);
      if (result.identity) parsedBanks.push({ bank: result.bank, id: result.identity.id, idLine: result.identity.line, file, order });
    } else if (file.kind === "contest") {
      const result = parseContest(file.path, file.text);
      errors.push(...result.errors);
      if (result.contest) content.contests.push(result.contest);
    } else {
      const result = parseUnits(file.path, file.text);
      errors.push(...result.errors);
      content.units = result.units;
    }
  }

  // Two files claiming one bank id: the bank already in content/banks/ keeps it, the other (the
  // draft) gets the one error, and is left out so that quotas are checked against the real bank.
  const inBanksFolder = (path: string) => /(^|[\\/])banks[\\/][^\\/]+$/.test(path);
  const rank = (p: (typeof parsedBanks)[number]) => [p.file.reference ? 0 : 1, inBanksFolder(p.file.path) ? 0 : 1, p.order];
  const byPriority = [...parsedBanks].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  });
  const bankFiles = new Map<string, string>();
  for (const { bank, id, idLine, file } of byPriority) {
    const other = bankFiles.get(id);
    if (other) errors.push({ file: file.path, line: idLine, message: m.duplicateBankId(id, other) });
    else {
      bankFiles.set(id, file.path);
      if (bank) content.banks.push(bank);
    }
  }
  content.banks.sort((a, b) => files.findIndex((f) => f.path === a.file) - files.findIndex((f) => f.path === b.file));
  const contestFiles = new Map<string, string>();
  for (const contest of content.contests) {
    const other = contestFiles.get(contest.id);
    if (other) {
      errors.push({ file: contest.file, line: contest.idLine, message: m.duplicateContestId(contest.id, other) });
    } else contestFiles.set(contest.id, contest.file);
  }

  const bankSizes = new Map(knownBanks);
  for (const bank of content.banks) bankSizes.set(bank.id, bank.questions.length);
  // A bank that failed to parse still exists: do not also report every quota naming it.
  const brokenBanks = new Set(
    files.filter((f) => f.kind === "bank" && !parsedBanks.some((p) => p.bank && p.file.path === f.path)).map((f) => f.path),
  );
  for (const contest of content.contests) {
    for (const round of contest.rounds) {
      for (const quota of round.quotas) {
        const problem = quotaProblem(quota, bankSizes);
        if (problem?.kind === "unknown-bank") {
          if (brokenBanks.size === 0) {
            errors.push({
              file: contest.file,
              line: quota.line,
              message: ruleMessages.unknownBank(round.number, quota.bankId, [...bankSizes.keys()].sort()),
            });
          }
        } else if (problem?.kind === "too-large") {
          errors.push({
            file: contest.file,
            line: quota.line,
            message: ruleMessages.quotaTooLarge(round.number, quota.bankId, quota.questionCount, problem.size),
          });
        }
      }
    }
  }

  const rounds = content.contests.flatMap((c) => c.rounds.map((r) => ({ file: c.file, number: r.number, quotas: r.quotas })));
  warnings.push(...lintBanks(content.banks, rounds));
  return { content, errors: sortContentErrors(errors), warnings: sortContentErrors(warnings) };
}
