/**
 * The question-bank format (content/README.md): front matter, then questions, each a `## id`
 * heading, the stem, `- [x]` / `- [ ]` options and optional detail lines. Pure: text in, a bank
 * and every error out.
 */
import { contentMessages as m } from "~/i18n/content.vi";
import { ErrorSink, ID_PATTERN, normalizeText, type ContentError, type ContentWarning } from "./errors";
import { idField, optionalTextField, parseFields, strictFields, textField } from "./fields";
import { readFileParts } from "./front-matter";

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
export const PINNED_MARK = "{cố định}";
/** Beyond these lengths a stem or an option is hard to read on a phone: a warning, not an error. */
export const MAX_STEM_LENGTH = 1000;
export const MAX_OPTION_LENGTH = 300;

export interface BankOption {
  text: string;
  isCorrect: boolean;
  pinned: boolean;
  line: number;
}

export interface BankQuestion {
  key: string;
  line: number;
  stem: string;
  options: BankOption[];
  explanation: string | null;
  source: string | null;
  points: number;
  multipleAnswers: boolean;
}

export interface Bank {
  file: string;
  id: string;
  idLine: number;
  title: string;
  topic: string | null;
  source: string | null;
  description: string | null;
  questions: BankQuestion[];
  /**
   * The file as given, in canonical form (no byte-order mark, LF line ends, composed Vietnamese
   * letters), kept so that downloading the bank gives it back: the same text, whatever editor saved it.
   */
  sourceMarkdown: string;
}

const bankFrontMatter = strictFields(m.frontMatterNotMap, {
  id: idField("id", "mã bộ câu hỏi", "id: chuyen-doi-so"),
  title: textField("title", "title: Chuyển đổi số trong đời sống"),
  topic: optionalTextField("topic"),
  source: optionalTextField("source"),
});

const QUESTION_HEADING = /^##(?!#)\s*(.*)$/;
/** `# cds-001` or `### cds-001`: a question heading with the wrong number of `#`. */
const WRONG_LEVEL_QUESTION_HEADING = /^(#|#{3,6})\s*([a-z0-9][a-z0-9-]{0,39})\s*$/;
/** `Ghi chú: …`, `Diem: 2`: a line that reads as a key of its own, not as prose. */
export const KEY_LIKE = /^(\p{Lu}\p{L}*(?:[ \t]\p{L}+){0,3})[ \t]*:(?:\s|$)/u;
/** `{co dinh}`, `(Cố định)`, `{cố  định}`: a bracketed word, checked against the pinned mark. */
const BRACKETED = /[{([]\s*([^{}()[\]]{2,24}?)\s*[})\]]/gu;
const OTHER_HEADING = /^#{1,6}\s/;
const OPTION = /^\s*[-*+]\s+\[([ xX])\](?:\s+(.*))?$/;
const MALFORMED_OPTION = /^\s*[-*+]\s*\[[^\]]{0,3}\]/;
const BULLET = /^\s*[-*+]\s+\S/;
const DETAIL = /^(Giải thích|Nguồn|Điểm|Nhiều đáp án)\s*:\s*(.*)$/iu;

type DetailKey = "Giải thích" | "Nguồn" | "Điểm" | "Nhiều đáp án";
const DETAIL_KEYS: DetailKey[] = ["Giải thích", "Nguồn", "Điểm", "Nhiều đáp án"];

interface QuestionDraft {
  key: string;
  line: number;
  stemLines: string[];
  options: BankOption[];
  details: Map<DetailKey, { value: string; line: number }>;
  /** Where new lines go: the stem, the option list, or a detail that may continue. */
  state: "stem" | "options" | "details";
  continuing: DetailKey | null;
}

/** Letters without diacritics, lower case, single spaces: how near-misses are compared. */
export function looseText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase().replace(/\s+/g, " ").trim();
}

const LOOSE_PINNED = looseText(PINNED_MARK.slice(1, -1));
const LOOSE_DETAIL_KEYS = new Map(DETAIL_KEYS.map((k) => [looseText(k), k]));

/**
 * An option's text and whether it is pinned. The exact mark at the end pins silently; a near-miss
 * (other case, spacing, no diacritics, other brackets, another position) also pins — it is what
 * the author meant — and is returned so that a warning can say how to write it.
 */
function readPinnedMark(text: string): { text: string; pinned: boolean; nearMiss: string | null } {
  if (text.endsWith(PINNED_MARK) && !text.slice(0, -PINNED_MARK.length).includes(PINNED_MARK)) {
    return { text: text.slice(0, -PINNED_MARK.length).trim(), pinned: true, nearMiss: null };
  }
  for (const match of text.matchAll(BRACKETED)) {
    if (looseText(match[1]!).replace(/ /g, "") === LOOSE_PINNED.replace(/ /g, "")) {
      const rest = (text.slice(0, match.index) + " " + text.slice(match.index! + match[0].length)).replace(/\s+/g, " ").trim();
      return { text: rest, pinned: true, nearMiss: match[0] };
    }
  }
  return { text, pinned: false, nearMiss: null };
}

export function parseBank(
  file: string,
  rawText: string,
): {
  bank: Bank | null;
  errors: ContentError[];
  warnings: ContentWarning[];
  preview: BankQuestion[];
  /** The bank's id and its line when the front matter could be read, even if the body has errors. */
  identity: { id: string; line: number } | null;
} {
  const sink = new ErrorSink(file);
  const text = normalizeText(rawText);
  // A broken front matter is reported, and the questions are still checked.
  const { frontMatter, body, bodyStartLine } = readFileParts(text, sink);
  const fields = frontMatter ? parseFields(bankFrontMatter, frontMatter, sink) : null;

  const introLines: string[] = [];
  const drafts: QuestionDraft[] = [];
  const seenKeys = new Map<string, number>();
  let current: QuestionDraft | null = null;

  body.split("\n").forEach((line, index) => {
    const lineNumber = bodyStartLine + index;
    const trimmed = line.trim();

    const wrongLevel = WRONG_LEVEL_QUESTION_HEADING.exec(trimmed);
    if (wrongLevel) sink.add(lineNumber, m.questionHeadingLevel(wrongLevel[1]!, wrongLevel[2]!));
    const heading = wrongLevel ? [trimmed, wrongLevel[2]] : QUESTION_HEADING.exec(trimmed);
    if (heading) {
      const key = (heading[1] ?? "").trim();
      if (!ID_PATTERN.test(key)) sink.add(lineNumber, m.badQuestionId(key));
      else if (seenKeys.has(key)) sink.add(lineNumber, m.duplicateQuestionId(key, seenKeys.get(key)!));
      else seenKeys.set(key, lineNumber);
      current = {
        key,
        line: lineNumber,
        stemLines: [],
        options: [],
        details: new Map(),
        state: "stem",
        continuing: null,
      };
      drafts.push(current);
      return;
    }
    if (!current) {
      // Before the first question: the bank's introduction (an h1 title is welcome there).
      if (trimmed && (OPTION.test(line) || MALFORMED_OPTION.test(line))) sink.add(lineNumber, m.textOutsideQuestion);
      else introLines.push(line);
      return;
    }
    const q: QuestionDraft = current;
    if (!trimmed) {
      q.continuing = null;
      if (q.state === "stem") q.stemLines.push("");
      return;
    }
    if (OTHER_HEADING.test(trimmed)) {
      sink.add(lineNumber, m.otherHeading);
      return;
    }

    const option = OPTION.exec(line);
    if (option) {
      if (q.state === "details") {
        sink.add(lineNumber, m.optionAfterDetails);
        return;
      }
      q.state = "options";
      const { text: optionText, pinned, nearMiss } = readPinnedMark((option[2] ?? "").trim());
      if (nearMiss) sink.warn(lineNumber, m.pinnedNearMiss(nearMiss));
      if (optionText.length > MAX_OPTION_LENGTH) sink.warn(lineNumber, m.optionTooLong(optionText.length, MAX_OPTION_LENGTH));
      q.options.push({ text: optionText, isCorrect: option[1] !== " ", pinned, line: lineNumber });
      return;
    }
    if (MALFORMED_OPTION.test(line)) {
      sink.add(lineNumber, m.malformedCheckbox);
      return;
    }

    const detail = DETAIL.exec(trimmed);
    if (detail && q.state !== "stem") {
      const key = DETAIL_KEYS.find((k) => k.toLowerCase() === detail[1]!.toLowerCase())!;
      const previous = q.details.get(key);
      if (previous) sink.add(lineNumber, m.duplicateDetail(key, previous.line));
      else q.details.set(key, { value: (detail[2] ?? "").trim(), line: lineNumber });
      q.state = "details";
      q.continuing = key === "Giải thích" || key === "Nguồn" ? key : null;
      return;
    }

    if (q.state === "stem" && detail) {
      // `Giải thích:` before the options would otherwise silently become part of the question.
      sink.add(lineNumber, m.detailBeforeOptions(detail[1]!));
    } else if (q.state === "stem") {
      q.stemLines.push(trimmed);
    } else if (q.state === "details" && q.continuing) {
      // `Ghi chú: …` right under `Giải thích:` would end up in what members read. An indented
      // line is prose whatever it looks like: that is how a long explanation goes on.
      const keyLike = /^\s/.test(line) ? null : KEY_LIKE.exec(trimmed);
      if (keyLike) {
        const meant = LOOSE_DETAIL_KEYS.get(looseText(keyLike[1]!));
        sink.add(
          lineNumber,
          meant ? m.continuationMisspelledKey(keyLike[1]!, meant, q.continuing) : m.continuationLooksLikeKey(keyLike[1]!, q.continuing),
        );
        return;
      }
      const entry = q.details.get(q.continuing)!;
      entry.value = entry.value ? `${entry.value}\n${trimmed}` : trimmed;
    } else if (BULLET.test(line) && q.state === "options") {
      sink.add(lineNumber, m.bulletWithoutCheckbox);
    } else {
      const keyLike = KEY_LIKE.exec(trimmed);
      const meant = keyLike && LOOSE_DETAIL_KEYS.get(looseText(keyLike[1]!));
      sink.add(lineNumber, meant ? m.misspelledDetailKey(keyLike[1]!, meant) : m.textAfterOptions);
    }
  });

  const questions = drafts.map((draft) => finishQuestion(draft, sink));
  if (fields && drafts.length === 0) sink.add(bodyStartLine - 1, m.bankHasNoQuestions);
  // Even with errors, what could be read is returned for the editor's preview.
  const identity = fields && frontMatter ? { id: fields.id, line: frontMatter.lineOf(["id"]) } : null;
  if (!fields || !frontMatter || sink.errors.length > 0) {
    return { bank: null, errors: sink.errors, warnings: sink.warnings, preview: questions, identity };
  }

  const description = introLines.join("\n").trim();
  return {
    bank: {
      file,
      id: fields.id,
      idLine: frontMatter.lineOf(["id"]),
      title: fields.title,
      topic: fields.topic ?? null,
      source: fields.source ?? null,
      description: description || null,
      questions,
      sourceMarkdown: text,
    },
    errors: [],
    warnings: sink.warnings,
    preview: questions,
    identity,
  };
}

function finishQuestion(draft: QuestionDraft, sink: ErrorSink): BankQuestion {
  const { key, line, options } = draft;
  const stem = draft.stemLines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (!stem) sink.add(line, m.emptyStem(key));
  else if (stem.length > MAX_STEM_LENGTH) sink.warn(line, m.stemTooLong(key, stem.length, MAX_STEM_LENGTH));

  if (options.length === 0) sink.add(line, m.noOptions(key));
  else if (options.length < MIN_OPTIONS) sink.add(line, m.tooFewOptions(key));
  else if (options.length > MAX_OPTIONS) sink.add(line, m.tooManyOptions(key, options.length));

  const seenTexts = new Map<string, number>();
  for (const option of options) {
    if (!option.text) {
      sink.add(option.line, m.emptyOption);
      continue;
    }
    const normalized = option.text.toLocaleLowerCase("vi").replace(/\s+/g, " ");
    const earlier = seenTexts.get(normalized);
    if (earlier !== undefined) sink.add(option.line, m.duplicateOption(earlier));
    else seenTexts.set(normalized, option.line);
  }

  let points = 1;
  const pointsDetail = draft.details.get("Điểm");
  if (pointsDetail) {
    const value = pointsDetail.value;
    if (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= 100) points = Number(value);
    else sink.add(pointsDetail.line, m.badPoints(value));
  }

  let multipleAnswers = false;
  let multipleValueValid = true;
  const multipleDetail = draft.details.get("Nhiều đáp án");
  if (multipleDetail) {
    const value = multipleDetail.value.toLocaleLowerCase("vi");
    if (value === "có") multipleAnswers = true;
    else if (value !== "không") {
      multipleValueValid = false;
      sink.add(multipleDetail.line, m.badMultiple(multipleDetail.value));
    }
  }

  const correctCount = options.filter((o) => o.isCorrect).length;
  if (options.length > 0 && correctCount === 0) sink.add(line, m.noCorrectOption(key));
  if (correctCount > 1 && !multipleAnswers && multipleValueValid) {
    sink.add(line, m.multipleCorrectNotDeclared(key, correctCount));
  }
  if (multipleAnswers && correctCount === 1) sink.warn(multipleDetail!.line, m.multipleWithOneCorrect);

  const textDetail = (name: "Giải thích" | "Nguồn") => {
    const entry = draft.details.get(name);
    if (!entry) return null;
    if (!entry.value) sink.add(entry.line, m.emptyDetail(name));
    return entry.value || null;
  };

  return {
    key,
    line,
    stem,
    options,
    explanation: textDetail("Giải thích"),
    source: textDetail("Nguồn"),
    points,
    multipleAnswers,
  };
}

/** How a question's shown and scored content is identified: same text, same version. */
export function questionContent(q: BankQuestion) {
  return {
    stem: q.stem,
    options: q.options.map((o) => ({ text: o.text, isCorrect: o.isCorrect, pinned: o.pinned })),
    explanation: q.explanation,
    source: q.source,
    points: q.points,
    multipleAnswers: q.multipleAnswers,
  };
}
