/**
 * The contest format (content/README.md): settings, prize tiers and rounds in the front matter,
 * the rules in the body. Checks what one file can check; references to banks are checked by
 * validateContent, which sees every file.
 */
import { stringify as stringifyYaml } from "yaml";
import { z } from "zod";
import { contentMessages as m } from "~/i18n/content.vi";
import { printVi } from "~/i18n/print.vi";
import { secrecyStrings } from "~/i18n/secrecy.vi";
import { MAX_SIGNERS, MAX_SIGNER_NAME, MAX_SIGNER_TITLE, type CertificateSigner } from "../certificates";
import { shareText } from "~/i18n/share.vi";
import { parseEmbedOrigins } from "../embed";
import type { PredictionTarget, RankingCriterion } from "../ranking";
import { closesAfterOpens, overlappingRounds, quotaTotal, ruleMessages } from "../contest-rules";
import type { ReviewAfter, ShowScore } from "../secrecy";
import { DEFAULT_TIMEZONE, isValidTimezone, parseLocalDateTime } from "../time";
import { ErrorSink, normalizeText, type ContentError } from "./errors";
import { boolField, enumField, idField, intField, optionalTextField, parseFields, strictFields, textField } from "./fields";
import { splitFrontMatter } from "./front-matter";

export const RANKING_CRITERIA = ["score", "prediction", "duration", "finishedAt"] as const satisfies readonly RankingCriterion[];
export const PREDICTION_TARGETS = ["participants", "perfect-scores"] as const satisfies readonly PredictionTarget[];
export const REVIEW_AFTER = ["questions-unused", "contest-end"] as const satisfies readonly ReviewAfter[];
export const SHOW_SCORE = ["immediately", "after-close"] as const satisfies readonly ShowScore[];

export interface ContestRound {
  number: number;
  title: string;
  opensAt: number;
  closesAt: number;
  /** bank id → number of questions drawn from it */
  quotas: { bankId: string; questionCount: number; line: number }[];
  line: number;
}

export interface Contest {
  file: string;
  id: string;
  idLine: number;
  title: string;
  timezone: string;
  rulesMarkdown: string;
  timeLimitSeconds: number;
  questionsPerAttempt: number;
  attemptsPerRound: number;
  predictionEnabled: boolean;
  predictionTarget: PredictionTarget;
  rankingOrder: RankingCriterion[];
  liveStandings: boolean;
  onePrizePerPerson: boolean;
  /** A prize needs at least this score (null or absent: any score). */
  minPrizeScore?: number | null;
  /** When answer keys may be shown (docs/decisions/005-answer-key-secrecy.md). */
  reviewAfter: ReviewAfter;
  /** When a member sees their own score. */
  showScore: ShowScore;
  /** A practice contest: no prizes, rankings for information only. */
  practice: boolean;
  prizes: { name: string; count: number }[];
  /** The signature blocks printed on certificates (`certificate: signers:`), left to right; absent: none. */
  certificateSigners?: CertificateSigner[];
  /** Partner-site origins allowed to frame the contest's embed (absent: none). */
  embedOrigins?: string[];
  rounds: ContestRound[];
  /**
   * The line of each key in the file (`timeLimitMinutes`, `rounds.2.closes`, …), so a refusal at
   * import names the line of the field it refuses. Absent for contests edited in the browser.
   */
  fieldLines?: Record<string, number>;
}

const roundFields = strictFields(m.roundNotMap, {
  number: intField("number", 1, 1000, "number: 1"),
  title: optionalTextField("title"),
  opens: textField("opens", "opens: 30/09/2024 10:00"),
  closes: textField("closes", "closes: 07/10/2024 09:30"),
  banks: z
    .record(z.string(), intField("banks", 1, 500, "mã-bộ: 10"), {
      error: (iss) => (iss.input === undefined ? m.missingKey("banks", "banks:") : m.banksNotMap),
    })
    .refine((banks) => Object.keys(banks).length > 0, { error: m.emptyBanks }),
});

const contestFields = strictFields(m.frontMatterNotMap, {
  id: idField("id", "mã cuộc thi", "id: nghi-quyet-dai-hoi-x"),
  title: textField("title", "title: Tìm hiểu Nghị quyết …"),
  timezone: z
    .string({ error: m.notText("timezone") })
    .refine(isValidTimezone, { error: (iss) => m.badTimezone(String(iss.input)) })
    .default(DEFAULT_TIMEZONE),
  timeLimitMinutes: intField("timeLimitMinutes", 1, 600, "timeLimitMinutes: 20"),
  questionsPerAttempt: intField("questionsPerAttempt", 1, 200, "questionsPerAttempt: 20"),
  attemptsPerRound: intField("attemptsPerRound", 1, 100, "attemptsPerRound: 1").default(1),
  prediction: boolField("prediction").default(true),
  predictionTarget: enumField("predictionTarget", PREDICTION_TARGETS).default("participants"),
  ranking: z.array(enumField("ranking", RANKING_CRITERIA), { error: m.notList("ranking") }).default([...RANKING_CRITERIA]),
  liveStandings: boolField("liveStandings").default(false),
  onePrizePerPerson: boolField("onePrizePerPerson").default(false),
  minPrizeScore: intField("minPrizeScore", 0, 1000, "minPrizeScore: 1").optional(),
  reviewAfter: enumField("reviewAfter", REVIEW_AFTER).default("questions-unused"),
  showScore: enumField("showScore", SHOW_SCORE).default("immediately"),
  practice: boolField("practice").default(false),
  embedOrigins: z.array(z.string({ error: shareText.embed.errors.notList }), { error: shareText.embed.errors.notList }).default([]),
  prizes: z
    .array(
      strictFields(m.prizeNotMap, {
        name: textField("name", "name: Giải Nhất"),
        count: intField("count", 1, 10000, "count: 1"),
      }),
      { error: m.notList("prizes") },
    )
    .default([]),
  certificate: strictFields(printVi.content.certificateNotMap, {
    signers: z
      .array(
        strictFields(printVi.content.signerNotMap, {
          title: textField("title", "title: TM. BAN TỔ CHỨC").pipe(
            z.string().max(MAX_SIGNER_TITLE, { error: printVi.content.tooLong("title", MAX_SIGNER_TITLE) }),
          ),
          name: textField("name", "name: Nguyễn Văn A").pipe(
            z.string().max(MAX_SIGNER_NAME, { error: printVi.content.tooLong("name", MAX_SIGNER_NAME) }),
          ),
        }),
        { error: m.notList("certificate.signers") },
      )
      .max(MAX_SIGNERS, { error: printVi.content.tooManySigners(MAX_SIGNERS) })
      .default([]),
  }).optional(),
  rounds: z
    .array(roundFields, { error: (iss) => (iss.input === undefined ? m.noRounds : m.notList("rounds")) })
    .min(1, { error: m.noRounds }),
});

export function parseContest(file: string, rawText: string): { contest: Contest | null; errors: ContentError[] } {
  const sink = new ErrorSink(file);
  const text = normalizeText(rawText);
  const frontMatter = splitFrontMatter(text, sink);
  if (!frontMatter) return { contest: null, errors: sink.errors };
  const fields = parseFields(contestFields, frontMatter, sink);
  if (!fields) return { contest: null, errors: sink.errors };

  if (fields.ranking[0] !== "score") sink.add(frontMatter.lineOf(["ranking"]), m.rankingMustStartWithScore);
  const seenCriteria = new Set<string>();
  for (const criterion of fields.ranking) {
    if (seenCriteria.has(criterion)) sink.add(frontMatter.lineOf(["ranking"]), m.rankingDuplicate(criterion));
    seenCriteria.add(criterion);
  }

  if (fields.practice && fields.prizes.length > 0) sink.add(frontMatter.lineOf(["prizes"]), secrecyStrings.practiceWithPrizes);

  const embed = parseEmbedOrigins(fields.embedOrigins);
  for (const error of embed.errors) sink.add(frontMatter.lineOf(["embedOrigins", error.index]), error.message);

  const rounds: ContestRound[] = [];
  const seenNumbers = new Map<number, number>();
  fields.rounds.forEach((round, index) => {
    const line = frontMatter.lineOf(["rounds", index]);
    const earlier = seenNumbers.get(round.number);
    if (earlier !== undefined) {
      sink.add(frontMatter.lineOf(["rounds", index, "number"]), m.duplicateRoundNumber(round.number, earlier));
    }
    seenNumbers.set(round.number, line);

    const opensAt = parseLocalDateTime(round.opens, fields.timezone);
    const closesAt = parseLocalDateTime(round.closes, fields.timezone);
    if (opensAt === null) sink.add(frontMatter.lineOf(["rounds", index, "opens"]), m.badDateTime("opens", round.opens));
    if (closesAt === null) {
      sink.add(frontMatter.lineOf(["rounds", index, "closes"]), m.badDateTime("closes", round.closes));
    }
    if (opensAt !== null && closesAt !== null && !closesAfterOpens({ opensAt, closesAt })) {
      sink.add(frontMatter.lineOf(["rounds", index, "closes"]), ruleMessages.closesBeforeOpens(round.number));
    }

    const quotas = Object.entries(round.banks).map(([bankId, questionCount]) => ({
      bankId,
      questionCount,
      line: frontMatter.lineOf(["rounds", index, "banks", bankId]),
    }));
    const sum = quotaTotal(quotas);
    if (sum !== fields.questionsPerAttempt) {
      sink.add(frontMatter.lineOf(["rounds", index, "banks"]), ruleMessages.quotaSum(round.number, sum, fields.questionsPerAttempt));
    }
    rounds.push({
      number: round.number,
      title: round.title ?? `Tuần thứ ${round.number}`,
      opensAt: opensAt ?? 0,
      closesAt: closesAt ?? 0,
      quotas,
      line,
    });
  });

  const timed = rounds.filter((r) => r.opensAt && r.closesAt && closesAfterOpens(r));
  for (const [a, b] of overlappingRounds(timed)) {
    // Reported on the round written later in the file.
    const [first, second] = a.line < b.line ? [a, b] : [b, a];
    sink.add(second.line, ruleMessages.overlap(first.number, second.number));
  }

  if (sink.errors.length > 0) return { contest: null, errors: sink.errors };
  return {
    contest: {
      file,
      id: fields.id,
      idLine: frontMatter.lineOf(["id"]),
      title: fields.title,
      timezone: fields.timezone,
      rulesMarkdown: frontMatter.body.trim(),
      timeLimitSeconds: fields.timeLimitMinutes * 60,
      questionsPerAttempt: fields.questionsPerAttempt,
      attemptsPerRound: fields.attemptsPerRound,
      predictionEnabled: fields.prediction,
      predictionTarget: fields.predictionTarget,
      rankingOrder: fields.ranking,
      liveStandings: fields.liveStandings,
      onePrizePerPerson: fields.onePrizePerPerson,
      minPrizeScore: fields.minPrizeScore ?? null,
      reviewAfter: fields.reviewAfter,
      showScore: fields.showScore,
      practice: fields.practice,
      prizes: fields.prizes,
      ...(fields.certificate ? { certificateSigners: fields.certificate.signers } : {}),
      ...(embed.origins.length > 0 ? { embedOrigins: embed.origins } : {}),
      rounds: rounds.sort((a, b) => a.number - b.number),
      fieldLines: contestFieldLines(
        frontMatter.lineOf,
        fields.rounds.map((r) => r.number),
      ),
    },
    errors: [],
  };
}

const SETTING_KEYS = [
  "id",
  "title",
  "timezone",
  "timeLimitMinutes",
  "questionsPerAttempt",
  "attemptsPerRound",
  "prediction",
  "predictionTarget",
  "ranking",
  "liveStandings",
  "onePrizePerPerson",
  "minPrizeScore",
  "prizes",
  "certificate",
  "embedOrigins",
] as const;
const ROUND_KEYS = ["opens", "closes", "banks", "title"] as const;

function contestFieldLines(lineOf: (path: (string | number)[]) => number, roundNumbers: number[]): Record<string, number> {
  const lines: Record<string, number> = {};
  for (const key of SETTING_KEYS) lines[key] = lineOf([key]);
  roundNumbers.forEach((number, index) => {
    lines[`rounds.${number}`] = lineOf(["rounds", index]);
    for (const key of ROUND_KEYS) lines[`rounds.${number}.${key}`] = lineOf(["rounds", index, key]);
  });
  return lines;
}

/**
 * A contest back in the authoring format, so what an organizer changed in the browser can be
 * downloaded and kept in content/contests/ (parseContest reads it back to the same contest).
 */
export function serializeContest(contest: Contest, formatTime: (instant: number) => string): string {
  const frontMatter = {
    id: contest.id,
    title: contest.title,
    timezone: contest.timezone,
    timeLimitMinutes: Math.round(contest.timeLimitSeconds / 60),
    questionsPerAttempt: contest.questionsPerAttempt,
    attemptsPerRound: contest.attemptsPerRound,
    prediction: contest.predictionEnabled,
    predictionTarget: contest.predictionTarget,
    ranking: contest.rankingOrder,
    liveStandings: contest.liveStandings,
    onePrizePerPerson: contest.onePrizePerPerson,
    ...(contest.minPrizeScore != null ? { minPrizeScore: contest.minPrizeScore } : {}),
    reviewAfter: contest.reviewAfter,
    showScore: contest.showScore,
    practice: contest.practice,
    ...(contest.prizes.length > 0 ? { prizes: contest.prizes.map((p) => ({ name: p.name, count: p.count })) } : {}),
    ...(contest.certificateSigners?.length
      ? { certificate: { signers: contest.certificateSigners.map((s) => ({ title: s.title, name: s.name })) } }
      : {}),
    ...(contest.embedOrigins?.length ? { embedOrigins: contest.embedOrigins } : {}),
    rounds: contest.rounds.map((r) => ({
      number: r.number,
      title: r.title,
      opens: formatTime(r.opensAt),
      closes: formatTime(r.closesAt),
      banks: Object.fromEntries(r.quotas.map((q) => [q.bankId, q.questionCount])),
    })),
  };
  const yaml = stringifyYaml(frontMatter, { lineWidth: 0, flowCollectionPadding: false }).replace(
    /^ranking:\n((?:\s+- .+\n)+)/m,
    (_, items: string) =>
      `ranking: [${items
        .trim()
        .split("\n")
        .map((l) => l.replace(/^\s*- /, ""))
        .join(", ")}]\n`,
  );
  return `---\n${yaml}---\n\n${contest.rulesMarkdown}\n`;
}
