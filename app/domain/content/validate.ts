/**
 * Checks across files: ids unique across banks and contests, and every round's quotas against
 * the banks they draw from. The whole content set is valid only if this finds nothing.
 */
import { contentMessages as m } from "~/i18n/content.vi";
import { parseBank, type Bank } from "./bank";
import { parseContest, type Contest } from "./contest";
import { sortContentErrors, type ContentError } from "./errors";
import { parseUnits, type Units } from "./units";

export interface ContentFile {
  /** The path shown in errors, relative to the project (content/banks/x.md). */
  path: string;
  kind: "bank" | "contest" | "units";
  text: string;
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
): { content: ContentSet; errors: ContentError[] } {
  const errors: ContentError[] = [];
  const content: ContentSet = { banks: [], contests: [], units: null };

  for (const file of files) {
    if (file.kind === "bank") {
      const result = parseBank(file.path, file.text);
      errors.push(...result.errors);
      if (result.bank) content.banks.push(result.bank);
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

  const bankFiles = new Map<string, string>();
  for (const bank of content.banks) {
    const other = bankFiles.get(bank.id);
    if (other) errors.push({ file: bank.file, line: bank.idLine, message: m.duplicateBankId(bank.id, other) });
    else bankFiles.set(bank.id, bank.file);
  }
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
    files.filter((f) => f.kind === "bank" && !content.banks.some((b) => b.file === f.path)).map((f) => f.path),
  );
  for (const contest of content.contests) {
    for (const round of contest.rounds) {
      for (const quota of round.quotas) {
        const size = bankSizes.get(quota.bankId);
        if (size === undefined) {
          if (brokenBanks.size === 0) {
            errors.push({
              file: contest.file,
              line: quota.line,
              message: m.unknownBank(quota.bankId, [...bankSizes.keys()].sort()),
            });
          }
        } else if (quota.questionCount > size) {
          errors.push({
            file: contest.file,
            line: quota.line,
            message: m.quotaTooLarge(quota.bankId, quota.questionCount, size),
          });
        }
      }
    }
  }

  return { content, errors: sortContentErrors(errors) };
}
