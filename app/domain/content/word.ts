/**
 * Word question files ⇄ the bank format (content/README.md). Pure: the .docx is read and written in
 * app/.server/word.server.ts; here a document is a list of paragraphs and tables whose runs say
 * only what matters — the text and whether it is bold, underlined or coloured.
 *
 * Import follows the convention Vietnamese organizers already use (Azota, Shub, McMIX): a question
 * starts with "Câu N", "Bài N", "Question N" or "N."; options start with "A." … "H." (or "A)"), one
 * a line or several on one line; the correct option is the one whose letter or whole text is bold,
 * underlined or coloured, or is given by a line "Đáp án: B" or an answer table at the end ("1-A",
 * "1.A", "1a", or a Word table); "Lời giải"/"Giải thích"/"Hướng dẫn" start an explanation; "Phần I",
 * "Nhóm 1", "I." start a group. The output is markdown, checked by the bank checker like any other
 * text; every doubt the conversion meets is a note naming the question as numbered in Word. A note
 * that is an error leaves the markdown in a state the checker refuses (no `[x]`, two `[x]`, a line
 * between the options), so a doubt can never be imported by pressing a button twice.
 *
 * Export writes the same convention (correct options bold and underlined, an answer table at the
 * end, the question ids as "Mã câu hỏi:" lines), so exporting a bank and importing it back gives
 * the bank's markdown in canonical form, ids included (`bankToMarkdown`).
 */
import { stringify } from "yaml";
import { docxMessages as m } from "~/i18n/docx.vi";
import { KEY_LIKE, PINNED_MARK, looseText, type Bank, type BankQuestion } from "./bank";
import { ID_PATTERN } from "./errors";
import { sample, type RandomInt } from "../draw";

export interface WordRun {
  text: string;
  bold?: boolean;
  underline?: boolean;
  /** A font colour other than automatic/black, or a highlight. */
  coloured?: boolean;
  /** Smaller grey text, for export only (ids, notes). */
  quiet?: boolean;
}

export interface WordParagraph {
  kind: "paragraph";
  runs: WordRun[];
  /** Pictures in the paragraph (import: reported, never silently dropped). */
  images?: number;
  /** Export only: how the paragraph is laid out. */
  style?: "title" | "heading" | "centered";
}

/** A Word table: rows of cells, each cell its runs (the cell's paragraphs joined by "\n"). */
export interface WordTable {
  kind: "table";
  rows: WordRun[][][];
  images?: number;
}

export type WordBlock = WordParagraph | WordTable;

export interface WordNote {
  /** The line of the markdown the note is about (the question's `## id` line, or 1). */
  line: number;
  message: string;
  severity: "error" | "warning";
}

export interface WordConversion {
  bankId: string;
  markdown: string;
  notes: WordNote[];
  questionCount: number;
}

export const OPTION_LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H"] as const;

/* ---------- reading ---------- */

/** One line of text with, for each character, whether it carries an answer mark. */
interface Line {
  text: string;
  marks: boolean[];
  images: number;
}

type AnswerSource = "format" | "line" | "table";

interface OptionDraft {
  letter: string;
  text: string;
  marked: boolean;
}

interface QuestionDraft {
  number: number;
  group: number;
  groupName: string | null;
  explicitId: string | null;
  stem: string[];
  /** Options and stray lines between them, in order. */
  items: ({ kind: "option"; option: OptionDraft } | { kind: "stray"; text: string })[];
  answerLine: string[] | null;
  tableAnswer: string[] | null;
  explanation: string[];
  source: string[];
  points: string | null;
  multiple: string | null;
  images: number;
  /** Where further lines go. */
  state: "stem" | "options" | "explanation" | "source" | "details";
  notes: { message: string; severity: "error" | "warning" }[];
}

const QUESTION_START = /^(?:câu|bài|question)\s*(\d{1,3})\s*(?:[.:)\-–]\s*|\s+|$)(.*)$/iu;
const NUMBER_START = /^(\d{1,3})\s*[.)]\s+(.*)$/u;
const GROUP_START = /^(?:(?:phần|nhóm)\s+(?:[IVXLC]+|\d+)\b|[IVX]+\s*[.)]\s).*$/iu;
/** "----- HẾT -----": the end of a paper, not a line of a question. */
const END_MARK = /^[-–—_*.=\s]*hết[-–—_*.=\s]*$/iu;
const OPTION_AT_START = /^([A-H])\s*[.)]\s*/u;
const ANSWER_LINE = /^đáp\s*án(?:\s+đúng)?\s*[:.]?\s*([A-H](?:\s*(?:,|;|và|&)\s*[A-H])*)\s*\.?$/iu;
const ANSWER_HEADING = /^(?:bảng\s+)?đáp\s*án(?:\s+(?:đúng|tham\s+khảo|trắc\s+nghiệm))?\s*[:.]?/iu;
const ANSWER_PAIR = /(\d{1,3})\s*[-–.:)]?\s*([A-Ha-h](?:\s*[,;+&]\s*[A-Ha-h])*)(?![\p{L}\p{N}])/gu;
const EXPLANATION = /^(?:lời\s+giải(?:\s+chi\s+tiết)?|giải\s+thích|hướng\s+dẫn(?:\s+giải)?)\s*[:.]?\s*(.*)$/iu;
const SOURCE = /^nguồn\s*:\s*(.*)$/iu;
const POINTS = /^điểm\s*:\s*(.*)$/iu;
const MULTIPLE = /^nhiều\s+đáp\s+án\s*:\s*(.*)$/iu;
const QUESTION_ID = /^mã\s+câu(?:\s+hỏi)?\s*:\s*(.*)$/iu;
const BANK_ID = /^mã\s+bộ\s+câu\s+hỏi\s*:\s*(.*)$/iu;
const BANK_TITLE = /^(?:tiêu\s+đề|tên\s+bộ\s+câu\s+hỏi)\s*:\s*(.*)$/iu;
const BANK_TOPIC = /^chủ\s+đề\s*:\s*(.*)$/iu;

/** "Tất cả các đáp án trên", "Cả A và B đều đúng", "Không có đáp án nào đúng": they refer to other options. */
export function refersToOtherOptions(text: string): boolean {
  const t = looseText(text).replace(/[.!]+$/, "");
  return (
    /\btren(\s+(deu\s+)?(dung|sai))?$/.test(t) ||
    /^(tat ca|ca)\b.*\bdeu\s+(dung|sai)$/.test(t) ||
    /^khong\s+co\s+(dap an|phuong an|y|lua chon|cau tra loi)\s+nao/.test(t) ||
    /^(ca\s+)?[a-h]\s*(,|va)\s*[a-h]\b/.test(t)
  );
}

const PINNED_NEAR = /[{(]\s*c[oố]\s*đ[iị]nh\s*[})]\s*$/iu;

function lettersOf(value: string): string[] {
  return [...new Set((value.toUpperCase().match(/[A-H]/g) ?? []) as string[])].sort();
}

function runsToLines(runs: WordRun[], images: number): Line[] {
  const lines: Line[] = [{ text: "", marks: [], images }];
  for (const run of runs) {
    const marked = !!(run.bold || run.underline || run.coloured);
    for (const ch of run.text) {
      if (ch === "\n") {
        lines.push({ text: "", marks: [], images: 0 });
        continue;
      }
      const line = lines[lines.length - 1]!;
      line.text += ch === "\t" || ch === "\u00a0" ? (ch === "\t" ? "\t" : " ") : ch;
      line.marks.push(marked);
    }
  }
  return lines;
}

const cellText = (cell: WordRun[]) =>
  cell
    .map((r) => r.text)
    .join("")
    .replace(/\s+/g, " ")
    .trim();

/** An answer table's pairs, if the table is one (numbers beside or above letters), else null. */
function tableAnswers(rows: WordRun[][][]): [number, string[]][] | null {
  const grid = rows.map((row) => row.map(cellText));
  const isNumber = (s: string) => /^\d{1,3}$/.test(s);
  const isLetters = (s: string) => /^[A-Ha-h](\s*[,;+&]?\s*[A-Ha-h])*$/.test(s);
  const pairs: [number, string[]][] = [];
  // Horizontal: a row of numbers, then a row of letters (a label cell first is allowed).
  for (let r = 0; r + 1 < grid.length; r++) {
    const numbers = grid[r]!.map((c, i) => ({ c, i })).filter(({ c }) => isNumber(c));
    if (numbers.length < 2) continue;
    const below = grid[r + 1]!;
    if (numbers.every(({ i }) => below[i] === "" || isLetters(below[i] ?? ""))) {
      for (const { c, i } of numbers) if (below[i]) pairs.push([Number(c), lettersOf(below[i]!)]);
      r++;
    }
  }
  if (pairs.length > 0) return pairs;
  // Vertical: each row a number and its letters (a header row is allowed).
  for (const row of grid) {
    const cells = row.filter(Boolean);
    if (cells.length === 2 && isNumber(cells[0]!) && isLetters(cells[1]!)) pairs.push([Number(cells[0]), lettersOf(cells[1]!)]);
  }
  // Text pairs in cells ("1-A", "2.B").
  for (const row of grid) {
    for (const cell of row) {
      const found = answerPairsOnly(cell);
      if (found) pairs.push(...found);
    }
  }
  return pairs.length > 0 ? pairs : null;
}

/** The pairs of a line made only of answer pairs ("1-A 2-B", "Đáp án: 1.A; 2.C"), else null. */
function answerPairsOnly(text: string): [number, string[]][] | null {
  const body = text.replace(ANSWER_HEADING, "");
  const pairs = [...body.matchAll(ANSWER_PAIR)].map((p) => [Number(p[1]), lettersOf(p[2]!)] as [number, string[]]);
  if (pairs.length === 0) return null;
  const rest = body.replace(ANSWER_PAIR, "").replace(/\b(câu|đáp\s*án)\b/giu, "");
  return /^[\s,;|.:\-–]*$/u.test(rest) ? pairs : null;
}

function slugify(text: string): string {
  return looseText(text)
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
}

/** A bank id made from a file name ("Đề thi tuần 1.docx" → "de-thi-tuan-1"), or null. */
export function bankIdFromFileName(fileName: string): string | null {
  const id = slugify(fileName.replace(/\.[^.]*$/, ""));
  return ID_PATTERN.test(id) ? id : null;
}

/** The id a question gets from the bank id and its number: `chuyen-doi-so-012` (`-2-012` in part 2 when numbers restart). */
export function questionIdFor(bankId: string, number: number, group: number | null): string {
  const tail = `${group === null ? "" : `-${group}`}-${String(number).padStart(3, "0")}`;
  const prefix = bankId.slice(0, 40 - tail.length).replace(/-+$/, "");
  return `${prefix}${tail}`;
}

function yamlValue(value: string): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

function emitDetail(key: string, lines: string[]): string[] {
  return lines.map((line, i) => (i === 0 ? `${key}: ${line}` : KEY_LIKE.test(line) ? `  ${line}` : line));
}

/** Splits a line into the options it holds ("A. 1   B. 2   C. 3"), or null when it holds none. */
function splitOptions(line: Line): { letter: string; start: number; textStart: number; end: number }[] | null {
  const first = OPTION_AT_START.exec(line.text);
  if (!first) return null;
  const found = [{ letter: first[1]!, start: 0, textStart: first[0].length, end: line.text.length }];
  // Later options on the same line only in sequence after the first, so "… khoản B. …" in an option stays text.
  let next = String.fromCharCode(first[1]!.charCodeAt(0) + 1);
  const inner = /(\s)([A-H])\s*[.)]\s+/gu;
  for (const match of line.text.matchAll(inner)) {
    const at = match.index! + match[1]!.length;
    if (match[2] !== next || at < found[found.length - 1]!.textStart) continue;
    found[found.length - 1]!.end = at;
    found.push({ letter: match[2]!, start: at, textStart: match.index! + match[0].length, end: line.text.length });
    next = String.fromCharCode(next.charCodeAt(0) + 1);
  }
  return found;
}

function allMarked(line: Line, from: number, to: number): boolean {
  let any = false;
  for (let i = from; i < to; i++) {
    if (/\s/.test(line.text[i]!)) continue;
    if (!line.marks[i]) return false;
    any = true;
  }
  return any;
}

export interface ConvertOptions {
  /** The bank id to use when the file does not state one ("Mã bộ câu hỏi: …"). */
  bankId?: string | null;
  /** The uploaded file's name: a title and an id when the file gives none. */
  fileName?: string | null;
}

export function convertWordBank(blocks: WordBlock[], options: ConvertOptions = {}): WordConversion {
  const lines: (Line | { answers: [number, string[]][] })[] = [];
  for (const block of blocks) {
    if (block.kind === "paragraph") {
      lines.push(...runsToLines(block.runs, block.images ?? 0));
      continue;
    }
    const answers = tableAnswers(block.rows);
    if (answers) {
      lines.push({ answers });
      continue;
    }
    // Any other table (options laid out in a grid, a header block): each row is a line of text.
    block.rows.forEach((row, r) => {
      const runs = row.flatMap((cell, i) => [
        ...(i > 0 ? [{ text: "\t" }] : []),
        ...cell.map((run) => ({ ...run, text: run.text.replace(/\n/g, " ") })),
      ]);
      lines.push(...runsToLines(runs, r === 0 ? (block.images ?? 0) : 0));
    });
  }

  const preamble: string[] = [];
  let preambleImages = 0;
  const questions: QuestionDraft[] = [];
  const groupNames: string[] = [];
  const tablePairs: [number, string[]][] = [];
  let inAnswers = false;
  let current: QuestionDraft | null = null;
  let lastNumber = 0;

  const startQuestion = (number: number, rest: string, line: Line, offset: number) => {
    current = {
      number,
      group: groupNames.length,
      groupName: groupNames[groupNames.length - 1] ?? null,
      explicitId: null,
      stem: [],
      items: [],
      answerLine: null,
      tableAnswer: null,
      explanation: [],
      source: [],
      points: null,
      multiple: null,
      images: line.images,
      state: "stem",
      notes: [],
    };
    questions.push(current);
    lastNumber = number;
    if (rest.trim()) handleInQuestion(current, { text: line.text.slice(offset), marks: line.marks.slice(offset), images: 0 });
  };

  const handleInQuestion = (q: QuestionDraft, whole: Line) => {
    const lead = whole.text.length - whole.text.trimStart().length;
    const line = { text: whole.text.slice(lead), marks: whole.marks.slice(lead), images: whole.images };
    const text = line.text.trim();
    if (!text) return;
    const label = m.questionLabel(q.number, null);
    let match: RegExpExecArray | null;
    if ((match = QUESTION_ID.exec(text))) {
      q.explicitId = match[1]!.trim();
      return;
    }
    if (q.state !== "stem") {
      if ((match = ANSWER_LINE.exec(text))) {
        q.answerLine = lettersOf(match[1]!);
        q.state = "details";
        return;
      }
      if ((match = EXPLANATION.exec(text))) {
        q.state = "explanation";
        if (match[1]!.trim()) q.explanation.push(match[1]!.trim());
        return;
      }
      if ((match = SOURCE.exec(text))) {
        q.state = "source";
        if (match[1]!.trim()) q.source.push(match[1]!.trim());
        return;
      }
      if ((match = POINTS.exec(text))) {
        q.points = match[1]!.trim();
        q.state = "details";
        return;
      }
      if ((match = MULTIPLE.exec(text))) {
        q.multiple = match[1]!.trim();
        q.state = "details";
        return;
      }
    }
    if (q.state === "stem" || q.state === "options") {
      const split = splitOptions({ ...line, text: line.text.trimEnd() });
      if (split) {
        q.state = "options";
        for (const part of split) {
          const wanted = OPTION_LETTERS[q.items.filter((i) => i.kind === "option").length] ?? "?";
          if (part.letter !== wanted) q.notes.push({ severity: "error", message: m.skippedLetter(label, wanted, part.letter) });
          const optionText = line.text.slice(part.textStart, part.end).trim();
          const marked = allMarked(line, part.start, part.textStart) || allMarked(line, part.textStart, part.end);
          q.items.push({ kind: "option", option: { letter: part.letter, text: optionText, marked } });
        }
        return;
      }
      if (q.state === "stem") {
        q.stem.push(text);
        return;
      }
      q.items.push({ kind: "stray", text });
      q.notes.push({ severity: "error", message: m.missingLetter(label, text) });
      return;
    }
    if (q.state === "explanation") q.explanation.push(text);
    else if (q.state === "source") q.source.push(text);
    else {
      q.items.push({ kind: "stray", text });
      q.notes.push({ severity: "error", message: m.missingLetter(label, text) });
    }
  };

  /** Whether option lines ("A. …") follow line `from` before the next question: "N." inside an explanation is then a question. */
  const optionsFollow = (from: number) => {
    for (let i = from + 1; i < Math.min(lines.length, from + 16); i++) {
      const next = lines[i]!;
      if ("answers" in next) return false;
      const t = next.text.trim();
      if (OPTION_AT_START.test(t)) return true;
      if (QUESTION_START.test(t) || NUMBER_START.test(t)) return false;
    }
    return false;
  };

  for (const [index, entry] of lines.entries()) {
    if ("answers" in entry) {
      tablePairs.push(...entry.answers);
      inAnswers = questions.length > 0 || inAnswers;
      continue;
    }
    const line = entry;
    const text = line.text.trim();
    const q = current as QuestionDraft | null;
    if (!text) {
      if (line.images && q) q.images += line.images;
      else if (line.images) preambleImages += line.images;
      if (q?.state === "stem" && q.stem.length > 0) q.stem.push("");
      if (!q) preamble.push("");
      continue;
    }
    if (END_MARK.test(text)) continue;
    if (questions.length > 0 && q?.state !== "stem") {
      const pairs = answerPairsOnly(text);
      const heading = ANSWER_HEADING.test(text) && !ANSWER_LINE.test(text) && !text.replace(ANSWER_HEADING, "").trim();
      // The answer table at the end: its heading, or a line made only of answer pairs ("1-A 2-B").
      if (inAnswers || heading || (pairs && pairs.length >= 2)) {
        inAnswers = true;
        current = null;
        if (pairs) tablePairs.push(...pairs);
        continue;
      }
    }
    const numbered = QUESTION_START.exec(text);
    if (numbered) {
      const offset = line.text.length - line.text.trimStart().length + text.length - numbered[2]!.length;
      startQuestion(Number(numbered[1]), numbered[2]!, line, offset);
      continue;
    }
    const plain = NUMBER_START.exec(text);
    // "N." starts a question only in sequence, and after an explanation only when options follow, so
    // that a numbered list inside an explanation stays text.
    const inProse = q?.state === "explanation" || q?.state === "source";
    if (plain && Number(plain[1]) === lastNumber + 1 && q?.state !== "stem" && (!inProse || optionsFollow(index))) {
      const offset = line.text.length - line.text.trimStart().length + text.length - plain[2]!.length;
      startQuestion(Number(plain[1]), plain[2]!, line, offset);
      continue;
    }
    if (GROUP_START.test(text) && q?.state !== "stem") {
      groupNames.push(text.replace(/[:.]\s*$/, ""));
      current = null;
      lastNumber = 0;
      continue;
    }
    if (q) {
      q.images += line.images;
      handleInQuestion(q, line);
    } else {
      preambleImages += line.images;
      preamble.push(text);
    }
  }

  // The answer table: the k-th "N" of the table is the k-th question numbered N (parts may restart at 1).
  const fileNotes: { message: string; severity: "error" | "warning" }[] = [];
  const seenInTable = new Map<number, number>();
  for (const [number, letters] of tablePairs) {
    const k = seenInTable.get(number) ?? 0;
    seenInTable.set(number, k + 1);
    const target = questions.filter((q) => q.number === number)[k];
    if (target) target.tableAnswer = letters;
    else fileNotes.push({ severity: "error", message: m.answerForMissingQuestion(number) });
  }

  // The bank: what the top of the file says, else what the upload knows.
  let bankId: string | null = null;
  let title: string | null = null;
  let topic: string | null = null;
  let source: string | null = null;
  const description: string[] = [];
  for (const text of preamble) {
    let match: RegExpExecArray | null;
    if ((match = BANK_ID.exec(text))) bankId = match[1]!.trim();
    else if ((match = BANK_TITLE.exec(text))) title = match[1]!.trim();
    else if ((match = BANK_TOPIC.exec(text))) topic = match[1]!.trim();
    else if ((match = SOURCE.exec(text))) source = match[1]!.trim();
    else if (!title && text) title = text;
    else description.push(text);
  }
  bankId ??= options.bankId ?? (options.fileName ? bankIdFromFileName(options.fileName) : null) ?? "bo-cau-hoi-moi";
  title ??= options.fileName ? options.fileName.replace(/\.[^.]*$/, "") : bankId;
  if (preambleImages > 0) fileNotes.push({ severity: "warning", message: m.imageOutside(preambleImages) });
  if (groupNames.length > 0) fileNotes.push({ severity: "warning", message: m.groups(groupNames) });
  if (questions.length === 0) fileNotes.push({ severity: "error", message: m.noQuestions });

  const restarts = new Set(questions.map((q) => q.number)).size < questions.length;
  const out: string[] = ["---", `id: ${yamlValue(bankId)}`, `title: ${yamlValue(title)}`];
  if (topic) out.push(`topic: ${yamlValue(topic)}`);
  if (source) out.push(`source: ${yamlValue(source)}`);
  out.push("---", "");
  const intro = trimBlank(description);
  if (intro.length > 0) out.push(...intro, "");

  const notes: WordNote[] = fileNotes.map((n) => ({ line: 1, ...n }));
  const seenLabels = new Set<string>();
  for (const q of questions) {
    const label = restarts && q.groupName ? m.questionLabel(q.number, q.groupName) : m.questionLabel(q.number, null);
    // Messages were written with "Câu N"; in a file whose parts restart at 1, name the part too.
    const relabel = (message: string) =>
      label === m.questionLabel(q.number, null) ? message : message.replace(m.questionLabel(q.number, null), label);
    const id = q.explicitId || questionIdFor(bankId, q.number, restarts ? q.group : null);
    const headingLine = out.length + 1;
    const add = (severity: "error" | "warning", message: string) => notes.push({ line: headingLine, severity, message: relabel(message) });
    if (seenLabels.has(label)) add("error", m.duplicateNumber(m.questionLabel(q.number, null)));
    seenLabels.add(label);
    for (const note of q.notes) add(note.severity, note.message);
    if (q.images > 0) add("warning", m.image(m.questionLabel(q.number, null), q.images));

    const optionsOnly = q.items.flatMap((i) => (i.kind === "option" ? [i.option] : []));
    const letters = optionsOnly.map((o) => o.letter);
    const sources: [AnswerSource, string[]][] = [];
    const formatMarked = optionsOnly.filter((o) => o.marked).map((o) => o.letter);
    if (formatMarked.length > 0) sources.push(["format", formatMarked]);
    if (q.answerLine) sources.push(["line", q.answerLine]);
    if (q.tableAnswer) sources.push(["table", q.tableAnswer]);
    let correct: string[] = [];
    const baseLabel = m.questionLabel(q.number, null);
    for (const [, given] of sources) {
      for (const letter of given) if (!letters.includes(letter)) add("error", m.answerUnknownLetter(baseLabel, letter));
    }
    const disagreement = sources.find(([, given]) => given.join() !== sources[0]![1].join());
    if (disagreement) {
      add("error", m.disagree(baseLabel, m.bySource[sources[0]![0]], sources[0]![1], m.bySource[disagreement[0]], disagreement[1]));
    } else if (sources.length > 0) {
      correct = sources[0]![1];
    } else if (optionsOnly.length > 0) {
      add("error", m.noMark(baseLabel));
    }
    const stemText = q.stem.join(" ");
    const declaredMultiple =
      q.multiple !== null ? looseText(q.multiple) === "co" : /nhieu dap an|chon tat ca|chon nhieu/.test(looseText(stemText));
    let multipleLine = q.multiple;
    if (correct.length > 1 && !declaredMultiple) add("error", m.twoMarks(baseLabel, correct));
    else if (correct.length > 1 && multipleLine === null) multipleLine = "có";

    out.push(`## ${id}`, "");
    const stem = trimBlank(q.stem);
    if (stem.length > 0) out.push(...stem, "");
    for (const item of q.items) {
      if (item.kind === "stray") {
        out.push(item.text);
        continue;
      }
      const o = item.option;
      let text = o.text;
      if (!text.endsWith(PINNED_MARK) && !PINNED_NEAR.test(text) && refersToOtherOptions(text)) {
        text = `${text} ${PINNED_MARK}`;
        add("warning", m.pinnedGuess(baseLabel, o.text));
      }
      out.push(`- [${correct.includes(o.letter) ? "x" : " "}] ${text}`);
    }
    if (q.items.length > 0) out.push("");
    const details: string[] = [];
    if (q.explanation.length > 0) details.push(...emitDetail("Giải thích", q.explanation));
    if (q.source.length > 0) details.push(...emitDetail("Nguồn", q.source));
    if (q.points !== null) details.push(`Điểm: ${q.points}`);
    if (multipleLine !== null) details.push(`Nhiều đáp án: ${multipleLine}`);
    if (details.length > 0) out.push(...details, "");
  }
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  notes.sort((a, b) => a.line - b.line || (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1));
  return { bankId, markdown: `${out.join("\n")}\n`, notes, questionCount: questions.length };
}

function trimBlank(lines: string[]): string[] {
  const copy = [...lines];
  while (copy.length > 0 && copy[0] === "") copy.shift();
  while (copy.length > 0 && copy[copy.length - 1] === "") copy.pop();
  return copy.filter((line, i) => !(line === "" && copy[i - 1] === ""));
}

/* ---------- the canonical markdown of a bank ---------- */

/**
 * A bank in the canonical layout of content/README.md: what a Word round trip gives back. The demo
 * banks are written this way, so their Word export imports back byte for byte.
 */
export function bankToMarkdown(bank: Bank): string {
  const out: string[] = ["---", `id: ${yamlValue(bank.id)}`, `title: ${yamlValue(bank.title)}`];
  if (bank.topic) out.push(`topic: ${yamlValue(bank.topic)}`);
  if (bank.source) out.push(`source: ${yamlValue(bank.source)}`);
  out.push("---", "");
  if (bank.description) out.push(...bank.description.split("\n"), "");
  for (const q of bank.questions) {
    out.push(`## ${q.key}`, "", ...q.stem.split("\n"), "");
    for (const o of q.options) out.push(`- [${o.isCorrect ? "x" : " "}] ${o.text}${o.pinned ? ` ${PINNED_MARK}` : ""}`);
    out.push("");
    const details: string[] = [];
    if (q.explanation) details.push(...emitDetail("Giải thích", q.explanation.split("\n")));
    if (q.source) details.push(...emitDetail("Nguồn", q.source.split("\n")));
    if (q.points !== 1) details.push(`Điểm: ${q.points}`);
    if (q.multipleAnswers) details.push("Nhiều đáp án: có");
    if (details.length > 0) out.push(...details, "");
  }
  while (out[out.length - 1] === "") out.pop();
  return `${out.join("\n")}\n`;
}

/* ---------- writing ---------- */

const text = (value: string, extra: Omit<WordRun, "text"> = {}): WordRun => ({ text: value, ...extra });
const para = (runs: WordRun[], style?: WordParagraph["style"]): WordParagraph => ({ kind: "paragraph", runs, ...(style ? { style } : {}) });

function questionBlocks(q: BankQuestion, number: number, withAnswers: boolean): WordBlock[] {
  const blocks: WordBlock[] = [];
  const stem = q.stem.split("\n");
  blocks.push(para([text(`Câu ${number}. `, { bold: true }), text(stem[0] ?? "")]));
  for (const line of stem.slice(1)) blocks.push(para([text(line)]));
  if (!withAnswers && q.multipleAnswers) blocks.push(para([text(m.paperMultiple, { quiet: true })]));
  q.options.forEach((o, i) => {
    const mark = withAnswers && o.isCorrect ? { bold: true, underline: true } : {};
    const pinned = withAnswers && o.pinned ? ` ${PINNED_MARK}` : "";
    blocks.push(para([text(`${OPTION_LETTERS[i]}. `, mark), text(`${o.text}${pinned}`, mark)]));
  });
  if (withAnswers) {
    const detail = (label: string, value: string | null) => {
      if (!value) return;
      const [first, ...rest] = value.split("\n");
      blocks.push(para([text(`${label}: `, { bold: true }), text(first!)]));
      for (const line of rest) blocks.push(para([text(line)]));
    };
    detail(m.explanationLabel, q.explanation);
    detail(m.sourceLabel, q.source);
    if (q.points !== 1) blocks.push(para([text(`${m.pointsLabel}: `, { bold: true }), text(String(q.points))]));
    if (q.multipleAnswers) blocks.push(para([text(`${m.multipleLabel}: `, { bold: true }), text(m.multipleYes)]));
    blocks.push(para([text(`${m.questionIdLabel}: ${q.key}`, { quiet: true })]));
  }
  blocks.push(para([]));
  return blocks;
}

/** The answer table, ten questions a row pair: "Câu | 1 | 2 …" over "Đáp án | B | A …". */
function answerTable(questions: readonly BankQuestion[]): WordBlock[] {
  const rows: WordRun[][][] = [];
  for (let start = 0; start < questions.length; start += 10) {
    const chunk = questions.slice(start, start + 10);
    rows.push([[text(m.answerTableQuestion, { bold: true })], ...chunk.map((_, i) => [text(String(start + i + 1))])]);
    rows.push([
      [text(m.answerTableAnswer, { bold: true })],
      ...chunk.map((q) => [text(q.options.flatMap((o, i) => (o.isCorrect ? [OPTION_LETTERS[i]!] : [])).join(", "))]),
    ]);
  }
  return [para([text(m.answerTableTitle, { bold: true })], "heading"), { kind: "table", rows }];
}

/** A bank for printing and approval: every question with its answers marked, then the answer table. */
export function bankToWordBlocks(bank: Bank): WordBlock[] {
  const blocks: WordBlock[] = [para([text(bank.title, { bold: true })], "title")];
  blocks.push(para([text(`${m.bankIdLabel}: ${bank.id}`)]));
  if (bank.topic) blocks.push(para([text(`${m.topicLabel}: ${bank.topic}`)]));
  if (bank.source) blocks.push(para([text(`${m.sourceLabel}: ${bank.source}`)]));
  if (bank.description) for (const line of bank.description.split("\n")) blocks.push(para(line ? [text(line)] : []));
  blocks.push(para([]));
  bank.questions.forEach((q, i) => blocks.push(...questionBlocks(q, i + 1, true)));
  blocks.push(...answerTable(bank.questions));
  return blocks;
}

/** A round's paper for a printed sitting: the questions and options, no answer, no explanation. */
export function paperToWordBlocks(paper: {
  contestTitle: string;
  roundTitle: string;
  minutes: number;
  questions: readonly BankQuestion[];
}): WordBlock[] {
  const blocks: WordBlock[] = [
    para([text(m.paperHeading(paper.contestTitle), { bold: true })], "title"),
    para([text(m.paperSubheading(paper.roundTitle, paper.questions.length, paper.minutes))], "centered"),
    para([text(m.paperInstructions, { quiet: true })], "centered"),
    para([]),
  ];
  paper.questions.forEach((q, i) => blocks.push(...questionBlocks(q, i + 1, false)));
  return blocks;
}

/* ---------- a round's printed paper ---------- */

/** A small seeded generator (mulberry32): the same round always prints the same paper. */
export function seededRandomInt(seed: string): RandomInt {
  let state = 0;
  for (const ch of seed) state = (Math.imul(state, 31) + ch.codePointAt(0)!) | 0;
  return (max: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
  };
}

export type PaperDraw =
  | { ok: true; questions: BankQuestion[] }
  | {
      ok: false;
      problem:
        | { kind: "no-banks" }
        | { kind: "missing"; bankId: string }
        | { kind: "not-enough"; bankId: string; wanted: number; available: number };
    };

/**
 * The questions of a round's printed paper: per quota, that many questions of the bank chosen with
 * the round's own seed (the same paper at every download), kept in the bank's order, banks in the
 * order of the round's quotas; options in their authored order.
 */
export function drawPaper(
  quotas: readonly { bankId: string; questionCount: number }[],
  banks: ReadonlyMap<string, readonly BankQuestion[]>,
  seed: string,
): PaperDraw {
  if (quotas.length === 0) return { ok: false, problem: { kind: "no-banks" } };
  const randomInt = seededRandomInt(seed);
  const questions: BankQuestion[] = [];
  for (const quota of quotas) {
    const pool = banks.get(quota.bankId);
    if (!pool) return { ok: false, problem: { kind: "missing", bankId: quota.bankId } };
    if (pool.length < quota.questionCount)
      return { ok: false, problem: { kind: "not-enough", bankId: quota.bankId, wanted: quota.questionCount, available: pool.length } };
    const chosen = new Set(sample(pool, quota.questionCount, randomInt));
    questions.push(...pool.filter((q) => chosen.has(q)));
  }
  return { ok: true, questions };
}
