/**
 * Attempts: starting (with the draw), saving answers, submitting, and the server finalizing what
 * was left open. Every function takes `now`; ownership is in every WHERE; one transaction per
 * action. The rules themselves live in app/domain (schedule, draw, scoring).
 */
import { randomInt as cryptoRandomInt, randomUUID } from "node:crypto";
import { and, asc, count, eq, inArray, lt, ne, sql } from "drizzle-orm";
import type Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import type { Db } from "../../db/client";
import {
  attemptItems,
  attempts,
  questionOptions,
  questions,
  questionVersions,
  roundQuotas,
  rounds,
  type AttemptStatus,
  type FinalizedBy,
} from "../../db/schema";
import { answerStamp, isStaleAnswer, isValidChoice } from "~/domain/answer-order";
import { drawQuestions, NotEnoughQuestionsError, type DrawQuota, type RandomInt } from "~/domain/draw";
import { acceptsAnswers, attemptDeadline, ANSWER_GRACE_MS, isOverdue, roundStatus } from "~/domain/schedule";
import { scoreAttempt, type ScoredItem } from "~/domain/scoring";
import { memberView } from "./review.server";
import { withoutWaiting } from "./write-lock.server";
import { getRound, type RoundInfo } from "./rounds.server";
import { t } from "~/i18n/vi";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Conn = Db | Tx;

export type RefusalCode =
  | "round_not_open"
  | "no_attempts_left"
  | "other_in_progress"
  | "not_enough_questions"
  | "attempt_not_found"
  | "already_submitted"
  | "deadline_passed"
  | "bad_answer";

const refusalText: Record<RefusalCode, string> = {
  round_not_open: t.attemptErrors.roundNotOpen,
  no_attempts_left: t.attemptErrors.noAttemptsLeft,
  other_in_progress: t.attemptErrors.otherInProgress,
  not_enough_questions: t.attemptErrors.notEnoughQuestions,
  attempt_not_found: t.attemptErrors.attemptNotFound,
  already_submitted: t.attemptErrors.alreadySubmitted,
  deadline_passed: t.attemptErrors.deadlinePassed,
  bad_answer: t.attemptErrors.badAnswer,
};

const refusalStatus: Record<RefusalCode, number> = {
  round_not_open: 409,
  no_attempts_left: 409,
  other_in_progress: 409,
  not_enough_questions: 503,
  attempt_not_found: 404,
  already_submitted: 409,
  deadline_passed: 409,
  bad_answer: 400,
};

/** A rule said no. Carries the Vietnamese message and the HTTP status to answer with. */
export class AttemptRefusal extends Error {
  readonly status: number;
  constructor(
    readonly code: RefusalCode,
    readonly attemptId?: string,
  ) {
    super(refusalText[code]);
    this.status = refusalStatus[code];
  }
}

/* ---------- rounds as a member sees them ---------- */

// Round lookups live in ./rounds.server.ts; re-exported for the callers that import them from here.
export { getRound, type RoundInfo } from "./rounds.server";

function getRoundById(db: Conn, roundId: number): RoundInfo | undefined {
  const round = db.select({ contestId: rounds.contestId, number: rounds.number }).from(rounds).where(eq(rounds.id, roundId)).get();
  return round ? getRound(db, round.contestId, round.number) : undefined;
}

const attemptSummaryColumns = {
  id: attempts.id,
  roundId: attempts.roundId,
  attemptNumber: attempts.attemptNumber,
  status: attempts.status,
  startedAt: attempts.startedAt,
  deadlineAt: attempts.deadlineAt,
  finalizedAt: attempts.finalizedAt,
  score: attempts.score,
  maxScore: attempts.maxScore,
  correctCount: attempts.correctCount,
  questionCount: attempts.questionCount,
  durationMs: attempts.durationMs,
  prediction: attempts.prediction,
  finalizedBy: attempts.finalizedBy,
};

/** The member's attempts in a round (their own overdue attempt finalized first), and what is left. */
export function memberRoundState(db: Db, round: RoundInfo, userId: string, now: number) {
  finalizeOverdueAttempts(db, now, { userId });
  const mine = db
    .select(attemptSummaryColumns)
    .from(attempts)
    .where(and(eq(attempts.roundId, round.id), eq(attempts.userId, userId)))
    .orderBy(asc(attempts.attemptNumber))
    .all();
  const inProgress = mine.find((a) => a.status === "in_progress") ?? null;
  return {
    attempts: mine,
    inProgress,
    attemptsLeft: Math.max(0, round.attemptsPerRound - mine.length),
  };
}

/** The member's attempt still taking answers, if any (logging out asks first while there is one). */
export function runningAttempt(db: Conn, userId: string, now: number) {
  const open = db
    .select({ id: attempts.id, deadlineAt: attempts.deadlineAt, roundId: attempts.roundId })
    .from(attempts)
    .where(and(eq(attempts.userId, userId), eq(attempts.status, "in_progress")))
    .get();
  if (!open || !acceptsAnswers(open.deadlineAt, now)) return null;
  const round = getRoundById(db, open.roundId);
  return { id: open.id, deadlineAt: open.deadlineAt, timezone: round?.timezone ?? "Asia/Ho_Chi_Minh" };
}

/** Whether the member finished (or was finalized in) an attempt at the round: who judges may disqualify. */
export function tookRound(db: Conn, roundId: number, userId: string): boolean {
  const finished = db
    .select({ id: attempts.id })
    .from(attempts)
    .where(and(eq(attempts.roundId, roundId), eq(attempts.userId, userId), ne(attempts.status, "in_progress")))
    .get();
  return finished !== undefined;
}

/* ---------- starting ---------- */

/** The round's quotas with the questions each may draw from (their current versions and options). */
export function drawQuotas(tx: Conn, roundId: number): DrawQuota[] {
  const quotas = tx.select().from(roundQuotas).where(eq(roundQuotas.roundId, roundId)).all();
  return quotas.map((quota) => {
    const rows = tx
      .select({ versionId: questions.currentVersionId, optionId: questionOptions.id, pinned: questionOptions.pinned })
      .from(questions)
      .innerJoin(questionOptions, eq(questionOptions.versionId, questions.currentVersionId))
      .where(and(eq(questions.bankId, quota.bankId), eq(questions.active, true)))
      .orderBy(asc(questions.id), asc(questionOptions.position))
      .all();
    const byVersion = new Map<number, { id: number; pinned: boolean }[]>();
    for (const row of rows) {
      if (row.versionId === null) continue;
      const list = byVersion.get(row.versionId) ?? [];
      list.push({ id: row.optionId, pinned: row.pinned });
      byVersion.set(row.versionId, list);
    }
    return {
      bankId: quota.bankId,
      questionCount: quota.questionCount,
      candidates: [...byVersion].map(([questionVersionId, options]) => ({ questionVersionId, options })),
    };
  });
}

/**
 * Starts an attempt, or returns the one already in progress in this round: pressing "start"
 * twice (or on two phones) never makes two attempts.
 */
export function startAttempt(
  db: Db,
  { roundId, userId, now, randomInt = cryptoRandomInt }: { roundId: number; userId: string; now: number; randomInt?: RandomInt },
): { attemptId: string; resumed: boolean } {
  return db.transaction(
    (tx) => {
      const round = getRoundById(tx, roundId);
      if (!round) throw new AttemptRefusal("round_not_open");

      const open = tx
        .select({ id: attempts.id, roundId: attempts.roundId, deadlineAt: attempts.deadlineAt })
        .from(attempts)
        .where(and(eq(attempts.userId, userId), eq(attempts.status, "in_progress")))
        .get();
      if (open) {
        if (isOverdue(open.deadlineAt, now)) finalizeInTx(tx, open.id, now, "server");
        else if (open.roundId === roundId) return { attemptId: open.id, resumed: true };
        else throw new AttemptRefusal("other_in_progress", open.id);
      }

      if (roundStatus(round, now) !== "open") throw new AttemptRefusal("round_not_open");
      const taken =
        tx
          .select({ n: count() })
          .from(attempts)
          .where(and(eq(attempts.roundId, roundId), eq(attempts.userId, userId)))
          .get()?.n ?? 0;
      if (taken >= round.attemptsPerRound) throw new AttemptRefusal("no_attempts_left");

      let drawn;
      try {
        drawn = drawQuestions(drawQuotas(tx, roundId), randomInt);
      } catch (error) {
        if (error instanceof NotEnoughQuestionsError) throw new AttemptRefusal("not_enough_questions");
        throw error;
      }
      const points = tx
        .select({ id: questionVersions.id, points: questionVersions.points })
        .from(questionVersions)
        .where(
          inArray(
            questionVersions.id,
            drawn.map((d) => d.questionVersionId),
          ),
        )
        .all();
      const maxScore = points.reduce((sum, p) => sum + p.points, 0);

      const attemptId = randomUUID();
      tx.insert(attempts)
        .values({
          id: attemptId,
          roundId,
          userId,
          attemptNumber: taken + 1,
          startedAt: now,
          deadlineAt: attemptDeadline(now, round.timeLimitSeconds, round.closesAt),
          maxScore,
          questionCount: drawn.length,
          // The member's units as they are now: later renames and merges never move this attempt.
          districtId: sql`(select district_id from users where id = ${userId})`,
          branchId: sql`(select branch_id from users where id = ${userId})`,
        })
        .run();
      tx.insert(attemptItems)
        .values(drawn.map((item, position) => ({ attemptId, position, ...item })))
        .run();
      return { attemptId, resumed: false };
    },
    { behavior: "immediate" },
  );
}

/* ---------- the quiz ---------- */

function ownedAttempt(db: Conn, attemptId: string, userId: string) {
  return db
    .select({ ...attemptSummaryColumns, userId: attempts.userId })
    .from(attempts)
    .where(and(eq(attempts.id, attemptId), eq(attempts.userId, userId)))
    .get();
}

/**
 * The quiz page's queries, prepared once per connection: the page is loaded by every member at the
 * start and again on every reload near the deadline, and drizzle would build each query's SQL and
 * better-sqlite3 prepare it again on every request (decision 013, "Quiz page (third pass)"). Same
 * WHEREs as the drizzle queries above: ownership is in the attempt's.
 */
type QuizStatements = {
  overdue: Statement<[string, number], number>;
  attempt: Statement<[string, string], QuizAttemptRow>;
  items: Statement<[string], { position: number; optionOrder: string; chosen: string | null; versionId: number }>;
  version: Statement<[number], { stem: string; multipleAnswers: number; points: number }>;
  options: Statement<[number], { id: number; text: string }>;
};
type QuizAttemptRow = NonNullable<ReturnType<typeof ownedAttempt>> &
  Omit<RoundInfo, "id" | "predictionEnabled"> & { predictionEnabled: number };

/** What the quiz page shows of a question version: stem, points, kind and option texts (no key). */
interface QuizVersion {
  stem: string;
  multipleAnswers: boolean;
  points: number;
  optionText: Map<number, string>;
}

const preparedQuiz = new WeakMap<Database.Database, QuizStatements>();
/**
 * Question versions as the quiz shows them, per connection. A version is never changed once
 * written (decision 002: an edit makes a new version), so an entry never goes stale; a bank has a
 * few thousand at most, and the map is emptied if it ever holds more than QUIZ_VERSION_CACHE.
 */
const quizVersions = new WeakMap<Database.Database, Map<number, QuizVersion>>();
const QUIZ_VERSION_CACHE = 20_000;

function quizStatements(client: Database.Database): QuizStatements {
  let prepared = preparedQuiz.get(client);
  if (!prepared) {
    prepared = {
      overdue: client
        .prepare<[string, number], number>(
          "select 1 from attempts where user_id = ? and status = 'in_progress' and deadline_at < ? limit 1",
        )
        .pluck(),
      attempt: client.prepare(
        `select a.id, a.round_id as roundId, a.attempt_number as attemptNumber, a.status, a.started_at as startedAt,
                a.deadline_at as deadlineAt, a.finalized_at as finalizedAt, a.score, a.max_score as maxScore,
                a.correct_count as correctCount, a.question_count as questionCount, a.duration_ms as durationMs,
                a.prediction, a.finalized_by as finalizedBy, a.user_id as userId,
                r.number as number, r.title, r.opens_at as opensAt, r.closes_at as closesAt,
                c.id as contestId, c.title as contestTitle, c.timezone, c.time_limit_seconds as timeLimitSeconds,
                c.questions_per_attempt as questionsPerAttempt, c.attempts_per_round as attemptsPerRound,
                c.prediction_enabled as predictionEnabled
         from attempts a join rounds r on r.id = a.round_id join contests c on c.id = r.contest_id
         where a.id = ? and a.user_id = ?`,
      ),
      items: client.prepare(
        `select position, option_order as optionOrder, chosen, question_version_id as versionId
         from attempt_items where attempt_id = ? order by position`,
      ),
      version: client.prepare("select stem, multiple_answers as multipleAnswers, points from question_versions where id = ?"),
      options: client.prepare("select id, text from question_options where version_id = ?"),
    } as QuizStatements;
    preparedQuiz.set(client, prepared);
  }
  return prepared;
}

function quizVersion(client: Database.Database, statements: QuizStatements, versionId: number): QuizVersion {
  let cache = quizVersions.get(client);
  if (!cache) quizVersions.set(client, (cache = new Map()));
  let version = cache.get(versionId);
  if (!version) {
    const row = statements.version.get(versionId);
    if (!row) throw new Error(`question version ${versionId} is missing`);
    version = {
      stem: row.stem,
      multipleAnswers: row.multipleAnswers === 1,
      points: row.points,
      optionText: new Map(statements.options.all(versionId).map((o) => [o.id, o.text])),
    };
    if (cache.size >= QUIZ_VERSION_CACHE) cache.clear();
    cache.set(versionId, version);
  }
  return version;
}

/**
 * The attempt as the quiz page shows it: stems, options in the member's order, what they chose.
 * Never whether an option is correct, nor explanations: those wait for the round to close.
 * The member's own overdue attempts are finalized first (as everywhere a member's request reads
 * an attempt); the usual case, none, costs one indexed lookup.
 */
export function getQuiz(db: Db, attemptId: string, userId: string, now: number) {
  const client = db.$client;
  const statements = quizStatements(client);
  if (statements.overdue.get(userId, now - ANSWER_GRACE_MS) !== undefined) finalizeOverdueAttempts(db, now, { userId });
  const row = statements.attempt.get(attemptId, userId);
  if (!row) throw new AttemptRefusal("attempt_not_found");
  const {
    number,
    title,
    opensAt,
    closesAt,
    contestId,
    contestTitle,
    timezone,
    timeLimitSeconds,
    questionsPerAttempt,
    attemptsPerRound,
    predictionEnabled,
    ...attempt
  } = row;
  const round: RoundInfo = {
    id: attempt.roundId,
    number,
    title,
    opensAt,
    closesAt,
    contestId,
    contestTitle,
    timezone,
    timeLimitSeconds,
    questionsPerAttempt,
    attemptsPerRound,
    predictionEnabled: predictionEnabled === 1,
  };
  return {
    attempt,
    round,
    questions: statements.items.all(attemptId).map((item) => {
      const version = quizVersion(client, statements, item.versionId);
      const order = JSON.parse(item.optionOrder) as number[];
      return {
        position: item.position,
        stem: version.stem,
        multipleAnswers: version.multipleAnswers,
        points: version.points,
        options: order.map((id) => ({ id, text: version.optionText.get(id) ?? "" })),
        chosen: item.chosen === null ? [] : (JSON.parse(item.chosen) as number[]),
      };
    }),
  };
}

/** Refuses a change to an attempt that is finished or past its deadline (finalizing the latter). */
function assertWritable(tx: Tx, attempt: { id: string; status: AttemptStatus; deadlineAt: number }, now: number) {
  if (attempt.status !== "in_progress") throw new AttemptRefusal("already_submitted", attempt.id);
  if (!acceptsAnswers(attempt.deadlineAt, now)) {
    finalizeInTx(tx, attempt.id, now, "server");
    throw new AttemptRefusal("deadline_passed", attempt.id);
  }
}

export interface SavedAnswer {
  answeredCount: number;
  /** True when a newer choice was already stored: this (late, older) save changed nothing. */
  stale: boolean;
  /** The answer the server holds for the question after this save. */
  chosen: number[];
}

/**
 * The hot paths' queries (the answer save, the submit, finalizing and its scoring), prepared once
 * per connection: drizzle would build the SQL and better-sqlite3 prepare it again on every call
 * (decision 013). Same WHEREs as the drizzle queries of the other functions here: ownership is in
 * the attempt's.
 */
type AttemptStatements = {
  saveRead: Statement<[number, string, string], SaveRow>;
  owned: Statement<
    [string, string],
    { id: string; roundId: number; status: AttemptStatus; startedAt: number; deadlineAt: number; questionCount: number }
  >;
  byId: Statement<[number | string], { status: AttemptStatus; startedAt: number; deadlineAt: number }>;
  write: Statement<[string | null, number, string, number]>;
  answered: Statement<[string], number>;
  predictionEnabled: Statement<[number], number>;
  items: Statement<[string], { position: number; versionId: number; optionOrder: string; multipleAnswers: number; chosen: string | null }>;
  submitInTime: Statement<[number | null, number, number, number, number, FinalizedBy, string]>;
  scoredItems: Statement<[string], { versionId: number; chosen: string | null }>;
  versionKey: Statement<[number], { points: number; optionId: number | null; isCorrect: number | null }>;
  finalize: Statement<[AttemptStatus, number, number, number, number, FinalizedBy, string]>;
};
/** What the answer save reads in one statement (the item's columns are null when the position does not exist). */
type SaveRow = {
  status: AttemptStatus;
  startedAt: number;
  deadlineAt: number;
  optionOrder: string | null;
  multipleAnswers: number | null;
  chosen: string | null;
  answeredAt: number | null;
};
const preparedStatements = new WeakMap<Database.Database, AttemptStatements>();

function statements(client: Database.Database): AttemptStatements {
  let prepared = preparedStatements.get(client);
  if (!prepared) {
    prepared = {
      // The save's one read: the owned attempt with its answered count, and the item with its version's kind.
      saveRead: client.prepare(
        `select a.status as status, a.started_at as startedAt, a.deadline_at as deadlineAt,
         ai.option_order as optionOrder, qv.multiple_answers as multipleAnswers, ai.chosen as chosen, ai.answered_at as answeredAt
         from attempts a
         left join attempt_items ai on ai.attempt_id = a.id and ai.position = ?
         left join question_versions qv on qv.id = ai.question_version_id
         where a.id = ? and a.user_id = ?`,
      ),
      owned: client.prepare(
        `select id, round_id as roundId, status, started_at as startedAt, deadline_at as deadlineAt, question_count as questionCount
         from attempts where id = ? and user_id = ?`,
      ),
      byId: client.prepare("select status, started_at as startedAt, deadline_at as deadlineAt from attempts where id = ?"),
      write: client.prepare("update attempt_items set chosen = ?, answered_at = ? where attempt_id = ? and position = ?"),
      // Counted (ten or twenty index entries) rather than kept in `attempts`: keeping it wrote the
      // attempt's row on every first answer, one more page per commit (decision 013, fourth pass).
      answered: client.prepare<[string], number>("select count(*) from attempt_items where attempt_id = ? and chosen is not null").pluck(),
      predictionEnabled: client
        .prepare<[number], number>("select c.prediction_enabled from rounds r join contests c on c.id = r.contest_id where r.id = ?")
        .pluck(),
      items: client.prepare(
        `select ai.position as position, ai.question_version_id as versionId, ai.option_order as optionOrder,
         qv.multiple_answers as multipleAnswers, ai.chosen as chosen
         from attempt_items ai join question_versions qv on qv.id = ai.question_version_id where ai.attempt_id = ?`,
      ),
      submitInTime: client.prepare(
        `update attempts set prediction = ?, status = 'submitted', finalized_at = ?, score = ?, correct_count = ?, duration_ms = ?,
         finalized_by = ? where id = ? and status = 'in_progress'`,
      ),
      scoredItems: client.prepare("select question_version_id as versionId, chosen from attempt_items where attempt_id = ?"),
      versionKey: client.prepare(
        `select qv.points as points, o.id as optionId, o.is_correct as isCorrect
         from question_versions qv left join question_options o on o.version_id = qv.id where qv.id = ?`,
      ),
      finalize: client.prepare(
        `update attempts set status = ?, finalized_at = ?, score = ?, correct_count = ?, duration_ms = ?, finalized_by = ?
         where id = ? and status = 'in_progress'`,
      ),
    } as AttemptStatements;
    preparedStatements.set(client, prepared);
  }
  return prepared;
}

/**
 * Runs `work` in an immediate transaction on `client`, through one transaction function made once
 * per connection (better-sqlite3's `transaction()` builds a new wrapper on every call otherwise).
 */
const runners = new WeakMap<Database.Database, Database.Transaction<(work: () => unknown) => unknown>>();
function immediate<T>(client: Database.Database, work: () => T): T {
  let runner = runners.get(client);
  if (!runner) runners.set(client, (runner = client.transaction((w: () => unknown) => w())));
  return runner.immediate(work) as T;
}

/** The better-sqlite3 connection under a drizzle database or transaction (a transaction runs on it). */
function clientOf(conn: Conn): Database.Database {
  return (conn as unknown as { session: { client: Database.Database } }).session.client;
}

/**
 * What scoring needs of a question version: its points and correct options. A version never
 * changes once written (an edit of a question is a new version, content-hashed: import.server.ts),
 * so it is read once per connection and kept (at most MAX_KEPT_VERSIONS; then started afresh).
 */
type VersionKey = { points: number; correctOptionIds: number[] };
const MAX_KEPT_VERSIONS = 20_000;
const versionKeys = new WeakMap<Database.Database, Map<number, VersionKey>>();

function versionKey(client: Database.Database, versionId: number): VersionKey {
  let keys = versionKeys.get(client);
  if (!keys) versionKeys.set(client, (keys = new Map()));
  let key = keys.get(versionId);
  if (!key) {
    const rows = statements(client).versionKey.all(versionId);
    key = { points: rows[0]?.points ?? 0, correctOptionIds: rows.filter((r) => r.isCorrect).map((r) => r.optionId!) };
    if (keys.size >= MAX_KEPT_VERSIONS) keys.clear();
    keys.set(versionId, key);
  }
  return key;
}

/** One attempt's items as scoring reads them: the points and key of its drawn versions, its answers. */
function scoredItemsOf(client: Database.Database, attemptId: string): ScoredItem[] {
  return statements(client)
    .scoredItems.all(attemptId)
    .map((row) => {
      const key = versionKey(client, row.versionId);
      return {
        points: key.points,
        correctOptionIds: key.correctOptionIds,
        chosen: row.chosen ? (JSON.parse(row.chosen) as number[]) : null,
      };
    });
}

/**
 * Saves one answer as it is chosen. An empty choice clears the answer. `chosenAt` is when the
 * member chose it (the page's estimate of the server's clock): a save chosen before the answer
 * already stored is a late retry of an older choice and changes nothing (app/domain/answer-order.ts).
 * `beforeSave` runs first inside the same immediate transaction (the answer-save rate limit counts
 * itself there: one commit for both); what it throws rolls the transaction back and propagates.
 */
export function saveAnswer(
  db: Db,
  {
    attemptId,
    userId,
    position,
    chosen,
    now,
    chosenAt = null,
    beforeSave,
    wait = true,
  }: {
    attemptId: string;
    userId: string;
    position: number;
    chosen: number[];
    now: number;
    chosenAt?: number | null;
    beforeSave?: () => void;
    /**
     * False: when another process holds the write lock, throw SQLITE_BUSY at once instead of
     * sleeping in SQLite's busy handler (the caller retries without blocking: write-lock.server.ts).
     */
    wait?: boolean;
  },
): SavedAnswer {
  const client = db.$client;
  const q = statements(client);
  // A refusal that finalized the attempt must still commit: run the checks, then throw after.
  let refusal: AttemptRefusal | null = null;
  const work = (): SavedAnswer => {
    beforeSave?.();
    // One read: the owned attempt (ownership in the WHERE) and the item at `position` with its kind.
    const row = q.saveRead.get(position, attemptId, userId);
    if (!row) throw new AttemptRefusal("attempt_not_found");
    try {
      // The finalizing write runs through drizzle on the same connection, inside this transaction.
      assertWritable(db as unknown as Tx, { id: attemptId, status: row.status, deadlineAt: row.deadlineAt }, now);
    } catch (error) {
      if (error instanceof AttemptRefusal) {
        refusal = error;
        return { answeredCount: 0, stale: false, chosen: [] };
      }
      throw error;
    }
    if (row.optionOrder === null || !isValidChoice(JSON.parse(row.optionOrder) as number[], Boolean(row.multipleAnswers), chosen)) {
      throw new AttemptRefusal("bad_answer", attemptId);
    }
    const stamp = answerStamp(chosenAt, now, row.startedAt);
    if (isStaleAnswer(row.answeredAt, stamp)) {
      return { answeredCount: q.answered.get(attemptId)!, stale: true, chosen: row.chosen ? (JSON.parse(row.chosen) as number[]) : [] };
    }
    const sorted = [...chosen].sort((a, b) => a - b);
    const stored = sorted.length > 0 ? JSON.stringify(sorted) : null;
    q.write.run(stored, stamp, attemptId, position);
    return { answeredCount: q.answered.get(attemptId)!, stale: false, chosen: sorted };
  };
  const result = wait ? immediate(client, work) : withoutWaiting(client, () => immediate(client, work));
  if (refusal) throw refusal;
  return result;
}

export type SubmitOutcome =
  | { kind: "finalized"; attemptId: string }
  | { kind: "already_finalized"; attemptId: string }
  | { kind: "late"; attemptId: string }
  | { kind: "needs_confirmation"; unanswered: number }
  | { kind: "needs_prediction" };

export type SubmitInput = {
  attemptId: string;
  userId: string;
  now: number;
  answers?: ReadonlyMap<number, number[]>;
  prediction: number | null;
  confirmUnanswered?: boolean;
  /** Sent by the page's timer at zero: no questions asked, whatever is there is submitted. */
  automatic?: boolean;
};

/** The outcomes that end on the result page (a redirect): the paper is closed. */
export function isFinalOutcome(outcome: SubmitOutcome): boolean {
  return outcome.kind === "finalized" || outcome.kind === "already_finalized" || outcome.kind === "late";
}

/**
 * Submits an attempt. The answers a form carries (the page without JavaScript) are saved first.
 * Submitting twice never scores twice; a submission after the deadline and grace changes nothing
 * but finalizes the attempt with what was saved in time. One immediate transaction on prepared
 * statements (the write lock is held for well under a millisecond: decision 013).
 */
export function submitAttempt(db: Db, input: SubmitInput): SubmitOutcome {
  return immediate(db.$client, () => submitSteps(db.$client, input));
}

const NOT_FINAL = Symbol("not final");

/**
 * The same submission, committed only when it ends on the result page (finalized, already
 * finalized, late); otherwise (a question to ask: the prediction, unanswered questions) it is
 * rolled back, nothing is written, and null says so: the lean path then hands the request to the
 * quiz page's action, which runs `submitAttempt` and renders the question. A refusal is thrown.
 */
export function submitAttemptIfFinal(db: Db, input: SubmitInput, { wait = true }: { wait?: boolean } = {}): SubmitOutcome | null {
  const client = db.$client;
  const run = () =>
    immediate(client, () => {
      const outcome = submitSteps(client, input);
      if (!isFinalOutcome(outcome)) throw NOT_FINAL;
      return outcome;
    });
  try {
    // wait: false — SQLITE_BUSY at once when another process holds the write lock (see saveAnswer).
    return wait ? run() : withoutWaiting(client, run);
  } catch (error) {
    if (error === NOT_FINAL) return null;
    throw error;
  }
}

function submitSteps(
  client: Database.Database,
  { attemptId, userId, now, answers = new Map(), prediction, confirmUnanswered = false, automatic = false }: SubmitInput,
): SubmitOutcome {
  const q = statements(client);
  const attempt = q.owned.get(attemptId, userId);
  if (!attempt) throw new AttemptRefusal("attempt_not_found");
  if (attempt.status !== "in_progress") return { kind: "already_finalized", attemptId };
  if (!acceptsAnswers(attempt.deadlineAt, now)) {
    finalizeOn(client, attemptId, now, "server");
    return { kind: "late", attemptId };
  }
  // One read of the attempt's items checks every answer, counts the answered and scores.
  const items = new Map(q.items.all(attemptId).map((item) => [item.position, item]));
  for (const [position, chosen] of answers) {
    const item = items.get(position);
    if (!item || !isValidChoice(JSON.parse(item.optionOrder) as number[], Boolean(item.multipleAnswers), chosen)) {
      throw new AttemptRefusal("bad_answer", attemptId);
    }
    const sorted = [...chosen].sort((x, y) => x - y);
    const stored = sorted.length > 0 ? JSON.stringify(sorted) : null;
    // The page's script saved most answers already: an answer the server holds as it is is not
    // written again (its time stays when it was stored).
    if (stored === item.chosen) continue;
    item.chosen = stored;
    q.write.run(item.chosen, now, attemptId, position);
  }
  // The page's timer submits at zero; a client claiming so much earlier is not believed.
  const timeIsUp = now >= attempt.deadlineAt || (automatic && now >= attempt.deadlineAt - AUTO_SUBMIT_TOLERANCE_MS);
  if (!timeIsUp) {
    if (q.predictionEnabled.get(attempt.roundId) && prediction === null) return { kind: "needs_prediction" };
    let answered = 0;
    for (const item of items.values()) if (item.chosen !== null) answered++;
    const unanswered = attempt.questionCount - answered;
    if (unanswered > 0 && !confirmUnanswered) return { kind: "needs_confirmation", unanswered };
  }
  // In time (checked above): submitted now, or at the deadline from inside the grace; the same
  // record finalizeOn writes, with the prediction, in one UPDATE.
  const { score, correctCount } = scoreAttempt(
    [...items.values()].map((item) => {
      const key = versionKey(client, item.versionId);
      return {
        points: key.points,
        correctOptionIds: key.correctOptionIds,
        chosen: item.chosen ? (JSON.parse(item.chosen) as number[]) : null,
      };
    }),
  );
  const finalizedAt = Math.min(now, attempt.deadlineAt);
  q.submitInTime.run(
    prediction,
    finalizedAt,
    score,
    correctCount,
    finalizedAt - attempt.startedAt,
    automatic && timeIsUp ? "timer" : "member",
    attemptId,
  );
  return { kind: "finalized", attemptId };
}

/** How early (clock drift, a slow tick) an automatic submission at zero may arrive. */
const AUTO_SUBMIT_TOLERANCE_MS = 10_000;

/* ---------- finalizing ---------- */

/** Loads what scoring needs: each item's points, correct options and chosen options. */
function scoredItems(db: Conn, attemptIds: string[]) {
  if (attemptIds.length === 0) return new Map<string, { points: number; correctOptionIds: number[]; chosen: number[] | null }[]>();
  const items = db
    .select({
      attemptId: attemptItems.attemptId,
      versionId: attemptItems.questionVersionId,
      chosen: attemptItems.chosen,
      points: questionVersions.points,
    })
    .from(attemptItems)
    .innerJoin(questionVersions, eq(questionVersions.id, attemptItems.questionVersionId))
    .where(inArray(attemptItems.attemptId, attemptIds))
    .all();
  const versionIds = [...new Set(items.map((i) => i.versionId))];
  const correct = new Map<number, number[]>();
  for (const option of db
    .select({ id: questionOptions.id, versionId: questionOptions.versionId })
    .from(questionOptions)
    .where(and(inArray(questionOptions.versionId, versionIds), eq(questionOptions.isCorrect, true)))
    .all()) {
    correct.set(option.versionId, [...(correct.get(option.versionId) ?? []), option.id]);
  }
  const byAttempt = new Map<string, { points: number; correctOptionIds: number[]; chosen: number[] | null }[]>();
  for (const item of items) {
    const list = byAttempt.get(item.attemptId) ?? [];
    list.push({ points: item.points, correctOptionIds: correct.get(item.versionId) ?? [], chosen: item.chosen });
    byAttempt.set(item.attemptId, list);
  }
  return byAttempt;
}

/** Scores an attempt from its stored draw and answers (exported for the judges' re-score). */
export function computeScores(db: Conn, attemptIds: string[]) {
  const byAttempt = scoredItems(db, attemptIds);
  return new Map(attemptIds.map((id) => [id, scoreAttempt(byAttempt.get(id) ?? [])]));
}

/**
 * Finalizes an in-progress attempt. Submitted in time: finalized now (a submission inside the
 * grace counts as at the deadline). Past the grace: "expired", finalized at its deadline with the
 * answers saved by then. `by` records who closed it: the member, the page's timer, or the server.
 */
function finalizeInTx(tx: Tx, attemptId: string, now: number, by: FinalizedBy) {
  finalizeOn(clientOf(tx), attemptId, now, by);
}

function finalizeOn(client: Database.Database, attemptId: string, now: number, by: FinalizedBy) {
  const q = statements(client);
  const attempt = q.byId.get(attemptId);
  if (!attempt || attempt.status !== "in_progress") return;
  const expired = !acceptsAnswers(attempt.deadlineAt, now);
  const finalizedAt = Math.min(now, attempt.deadlineAt);
  const { score, correctCount } = scoreAttempt(scoredItemsOf(client, attemptId));
  // Past the grace nobody submitted in time: whatever the request, the server closed it.
  q.finalize.run(
    expired ? "expired" : "submitted",
    finalizedAt,
    score,
    correctCount,
    finalizedAt - attempt.startedAt,
    expired ? "server" : by,
    attemptId,
  );
}

/**
 * Finalizes now, with the answers saved so far, every attempt of a member still in progress (their
 * account is being deactivated): nothing they answered is lost, and no attempt stays open under an
 * account that can no longer submit it. Recorded as finalized by the server. Returns their ids.
 */
export function finalizeAttemptsOfMember(tx: Tx, userId: string, now: number): string[] {
  const open = tx
    .select({ id: attempts.id })
    .from(attempts)
    .where(and(eq(attempts.userId, userId), eq(attempts.status, "in_progress")))
    .all();
  for (const { id } of open) {
    finalizeInTx(tx, id, now, "server");
  }
  return open.map((a) => a.id);
}

/**
 * Finalizes every attempt left open past its deadline and grace (or only one member's): run by
 * the periodic sweep and at the start of a member's requests.
 */
const FINALIZE_SLICE = 200;

export function finalizeOverdueAttempts(db: Db, now: number, { userId }: { userId?: string } = {}): number {
  const overdue = overdueAttemptIds(db, now, userId);
  for (let start = 0; start < overdue.length; start += FINALIZE_SLICE) finalizeSlice(db, overdue.slice(start, start + FINALIZE_SLICE), now);
  return overdue.length;
}

/**
 * The periodic sweep's finalize: the same slices, with a turn of the event loop after each. It runs
 * in the process that also writes every worker's answer saves (decision 023), which must not wait
 * for all of a large round's overdue attempts at once.
 */
export async function finalizeOverdueAttemptsInTurns(db: Db, now: number): Promise<number> {
  const overdue = overdueAttemptIds(db, now);
  for (let start = 0; start < overdue.length; start += FINALIZE_SLICE) {
    finalizeSlice(db, overdue.slice(start, start + FINALIZE_SLICE), now);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return overdue.length;
}

function overdueAttemptIds(db: Db, now: number, userId?: string): string[] {
  const cutoff = now - ANSWER_GRACE_MS;
  return db
    .select({ id: attempts.id })
    .from(attempts)
    .where(and(eq(attempts.status, "in_progress"), lt(attempts.deadlineAt, cutoff), userId ? eq(attempts.userId, userId) : undefined))
    .all()
    .map(({ id }) => id);
}

/**
 * Immediate: it reads each attempt then writes; a deferred transaction upgrading its read lock
 * fails at once with SQLITE_BUSY when another process (a cluster worker) wrote meanwhile. A few
 * hundred per transaction: at a large round's close thousands may be left open, and one
 * transaction for all would hold the write lock for seconds (docs/decisions/020). An attempt
 * finalized meanwhile (its member submitted) is left as it is.
 */
function finalizeSlice(db: Db, ids: string[], now: number): void {
  db.transaction(
    (tx) => {
      for (const id of ids) finalizeInTx(tx, id, now, "server");
    },
    { behavior: "immediate" },
  );
}

/* ---------- the result ---------- */

/**
 * What the server holds as the answer to each question, by position: the result page compares it
 * with what the member's page kept, to list the choices that never arrived in time. The member's
 * own choices only, never whether they are right. Call after an ownership check (getResult).
 */
export function savedChoices(db: Conn, attemptId: string): Record<number, number[]> {
  const rows = db
    .select({ position: attemptItems.position, chosen: attemptItems.chosen })
    .from(attemptItems)
    .where(eq(attemptItems.attemptId, attemptId))
    .all();
  return Object.fromEntries(rows.map((row) => [row.position, row.chosen ?? []]));
}

/**
 * The member's result: their choices, each question's key only when no round can still draw it,
 * the score only when the contest shows it (app/.server/review.server.ts holds the rules).
 */
export function getResult(db: Db, attemptId: string, userId: string, now: number) {
  finalizeOverdueAttempts(db, now, { userId });
  const attempt = ownedAttempt(db, attemptId, userId);
  if (!attempt) throw new AttemptRefusal("attempt_not_found");
  const round = getRoundById(db, attempt.roundId)!;
  if (attempt.status === "in_progress") return { attempt, round, review: null, scoreHiddenUntil: null, practice: false };
  const view = memberView(db, attempt, now);
  const shown = view.scoreHiddenUntil === null ? attempt : { ...attempt, score: null, correctCount: null };
  return { attempt: shown, round, ...view };
}
