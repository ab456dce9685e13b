/**
 * The database schema: one table per concept of PRODUCT.md.
 * Instants are integer UTC milliseconds (`*_at` columns), except `sessions.expires_at`, which is
 * in seconds because that is what Lucia's SQLite adapter reads and writes.
 */
import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { Role } from "../app/domain/accounts";
import type { PredictionTarget, RankingCriterion } from "../app/domain/ranking";
import type { ReviewAfter, ShowScore } from "../app/domain/secrecy";

const createdAt = () => integer("created_at").notNull();

// The rules' own types live with the rules (app/domain); the columns that store them say so.
import type { CertificateSigner } from "../app/domain/certificates";
export type { CertificateSigner, PredictionTarget, RankingCriterion, ReviewAfter, Role, ShowScore };
/** Who finalized an attempt: the member's submit, the page's timer at zero, or the server after the deadline. */
export type FinalizedBy = "member" | "timer" | "server";
export interface FrozenPrizeTier {
  name: string;
  count: number;
  /** The contest's minimum prize score when the round closed (null: any score). */
  minScore?: number | null;
}

/* ---------- contests and rounds ---------- */

export const contests = sqliteTable("contests", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  timezone: text("timezone").notNull().default("Asia/Ho_Chi_Minh"),
  rulesMarkdown: text("rules_markdown").notNull().default(""),
  timeLimitSeconds: integer("time_limit_seconds").notNull(),
  questionsPerAttempt: integer("questions_per_attempt").notNull(),
  attemptsPerRound: integer("attempts_per_round").notNull().default(1),
  predictionEnabled: integer("prediction_enabled", { mode: "boolean" }).notNull().default(true),
  predictionTarget: text("prediction_target").$type<PredictionTarget>().notNull().default("participants"),
  rankingOrder: text("ranking_order", { mode: "json" })
    .$type<RankingCriterion[]>()
    .notNull()
    .default(sql`'["score","prediction","duration","finishedAt"]'`),
  liveStandings: integer("live_standings", { mode: "boolean" }).notNull().default(false),
  onePrizePerPerson: integer("one_prize_per_person", { mode: "boolean" }).notNull().default(false),
  /** The earliest moment a question's key and explanation may be shown (see ReviewAfter). */
  reviewAfter: text("review_after").$type<ReviewAfter>().notNull().default("questions-unused"),
  showScore: text("show_score").$type<ShowScore>().notNull().default("immediately"),
  /** A practice contest: no prizes, never reveals a key a live round still uses. */
  practice: integer("practice", { mode: "boolean" }).notNull().default(false),
  /** A prize needs at least this score (null: any score). */
  minPrizeScore: integer("min_prize_score"),
  /** Partner-site origins allowed to frame the contest's embed (`https://congdoan.example.vn`). */
  embedOrigins: text("embed_origins", { mode: "json" })
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'`),
  /** The signature blocks printed on certificates, left to right. */
  certificateSigners: text("certificate_signers", { mode: "json" })
    .$type<CertificateSigner[]>()
    .notNull()
    .default(sql`'[]'`),
  /** The share-card PNG (Open Graph image), made when the contest is imported or edited. */
  shareImage: blob("share_image", { mode: "buffer" }),
  /** The content file the contest was imported from, or null when created in the browser. */
  sourceFile: text("source_file"),
  contentHash: text("content_hash"),
  /** The version of `contest_results` readers see (docs/decisions/020-results-versions.md). */
  resultsVersion: integer("results_version").notNull().default(0),
  /** The newest version a store has begun writing: only that store may make its rows visible. */
  resultsWriting: integer("results_writing").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: integer("updated_at").notNull(),
});

export const prizeTiers = sqliteTable(
  "prize_tiers",
  {
    contestId: text("contest_id")
      .notNull()
      .references(() => contests.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.contestId, t.position] })],
);

export const rounds = sqliteTable(
  "rounds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    contestId: text("contest_id")
      .notNull()
      .references(() => contests.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    opensAt: integer("opens_at").notNull(),
    closesAt: integer("closes_at").notNull(),
    /** Set when the round's results were computed and frozen, after it closed. */
    resultsComputedAt: integer("results_computed_at"),
    /** Members with a finalized attempt, counted when the round closed (the prediction target). */
    participantCount: integer("participant_count"),
    /** The answer to the prediction question (participants, or members with a perfect attempt). */
    predictionAnswer: integer("prediction_answer"),
    /** The contest's prize tiers as they stood when the round closed: later edits never rewrite its winners. */
    prizeTiers: text("prize_tiers", { mode: "json" }).$type<FrozenPrizeTier[]>(),
    /** The version of `round_results` readers see (docs/decisions/020-results-versions.md). */
    resultsVersion: integer("results_version").notNull().default(0),
    /** The newest version a store has begun writing: only that store may make its rows visible. */
    resultsWriting: integer("results_writing").notNull().default(0),
  },
  (t) => [uniqueIndex("rounds_contest_number").on(t.contestId, t.number), index("rounds_opens_at").on(t.opensAt)],
);

export const roundQuotas = sqliteTable(
  "round_quotas",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    bankId: text("bank_id")
      .notNull()
      .references(() => banks.id),
    questionCount: integer("question_count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.bankId] })],
);

/* ---------- question banks ---------- */

export const banks = sqliteTable("banks", {
  id: text("id").primaryKey(),
  title: text("title").notNull(),
  topic: text("topic"),
  source: text("source"),
  description: text("description"),
  sourceFile: text("source_file"),
  /** The markdown exactly as last imported, so an organizer can download it back unchanged. */
  sourceMarkdown: text("source_markdown"),
  /** Hash of the whole file as imported, to skip unchanged files quickly. */
  contentHash: text("content_hash"),
  createdAt: createdAt(),
  updatedAt: integer("updated_at").notNull(),
});

export const questions = sqliteTable(
  "questions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bankId: text("bank_id")
      .notNull()
      .references(() => banks.id, { onDelete: "cascade" }),
    /** The stable id written in the bank file (`## vb-001`). */
    key: text("key").notNull(),
    /** Order in the file, for display and download. */
    position: integer("position").notNull(),
    /** The version new attempts draw. Null only for an instant inside the import transaction. */
    currentVersionId: integer("current_version_id"),
    /** False once the question was removed from its file: kept for attempts, never drawn again. */
    active: integer("active", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [uniqueIndex("questions_bank_key").on(t.bankId, t.key), index("questions_bank_active").on(t.bankId, t.active)],
);

export const questionVersions = sqliteTable(
  "question_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    questionId: integer("question_id")
      .notNull()
      .references(() => questions.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    /** Hash of the scored and shown content: identical content is the same version. */
    contentHash: text("content_hash").notNull(),
    stem: text("stem").notNull(),
    explanation: text("explanation"),
    source: text("source"),
    points: integer("points").notNull().default(1),
    multipleAnswers: integer("multiple_answers", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("question_versions_question_version").on(t.questionId, t.version),
    uniqueIndex("question_versions_question_hash").on(t.questionId, t.contentHash),
  ],
);

export const questionOptions = sqliteTable(
  "question_options",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    versionId: integer("version_id")
      .notNull()
      .references(() => questionVersions.id, { onDelete: "cascade" }),
    /** Position as authored (0-based); the draw stores its own shuffled order. */
    position: integer("position").notNull(),
    text: text("text").notNull(),
    isCorrect: integer("is_correct", { mode: "boolean" }).notNull(),
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [uniqueIndex("question_options_version_position").on(t.versionId, t.position)],
);

/* ---------- units ---------- */

export const districts = sqliteTable("districts", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  position: integer("position").notNull(),
});

export const branches = sqliteTable(
  "branches",
  {
    id: text("id").primaryKey(),
    districtId: text("district_id")
      .notNull()
      .references(() => districts.id),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    /** Set when the branch was merged into another: its members moved there, history kept. */
    mergedIntoId: text("merged_into_id"),
  },
  (t) => [index("branches_district").on(t.districtId)],
);

/**
 * The names of the units a closed round's results name, as they were when its results were first
 * stored: renames change the present, never a past round's leaderboards and exports
 * (docs/decisions/009-history-and-audit.md). A judge's re-freeze keeps them.
 */
export const roundUnitNames = sqliteTable(
  "round_unit_names",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"district" | "branch">().notNull(),
    unitId: text("unit_id").notNull(),
    name: text("name").notNull(),
    /** For a branch: the district it counted in for that round (null for a district). */
    districtId: text("district_id"),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.kind, t.unitId] })],
);

/* ---------- people and sessions ---------- */

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Normalized Vietnamese mobile number, `0` + 9 digits. */
    phone: text("phone").notNull(),
    fullName: text("full_name").notNull(),
    /** The name in lower case without diacritics ("nguyen van an"), for search. */
    searchName: text("search_name"),
    passwordHash: text("password_hash").notNull(),
    districtId: text("district_id")
      .notNull()
      .references(() => districts.id),
    branchId: text("branch_id")
      .notNull()
      .references(() => branches.id),
    role: text("role").$type<Role>().notNull().default("member"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** A password set by an organizer that the member must replace at next login. */
    mustChangePassword: integer("must_change_password", { mode: "boolean" }).notNull().default(false),
    /** The branch whose poster (QR code) the member registered through, or null. */
    viaBranchId: text("via_branch_id").references(() => branches.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_phone").on(t.phone),
    index("users_branch").on(t.branchId),
    index("users_district").on(t.districtId),
    index("users_via_branch").on(t.viaBranchId),
    index("users_search_name").on(t.searchName),
  ],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Unix seconds, as Lucia's SQLite adapter expects. */
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

/* ---------- attempts ---------- */

export type AttemptStatus = "in_progress" | "submitted" | "expired";

export const attempts = sqliteTable(
  "attempts",
  {
    id: text("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** 1 for the member's first attempt in this round, 2 for the second, … */
    attemptNumber: integer("attempt_number").notNull(),
    startedAt: integer("started_at").notNull(),
    /** min(startedAt + time limit, round closes): after it (plus the grace) nothing is accepted. */
    deadlineAt: integer("deadline_at").notNull(),
    status: text("status").$type<AttemptStatus>().notNull().default("in_progress"),
    finalizedAt: integer("finalized_at"),
    prediction: integer("prediction"),
    score: integer("score"),
    maxScore: integer("max_score").notNull(),
    correctCount: integer("correct_count"),
    questionCount: integer("question_count").notNull(),
    /** finalizedAt − startedAt, stored for ranking without arithmetic in every query. */
    durationMs: integer("duration_ms"),
    finalizedBy: text("finalized_by").$type<FinalizedBy>(),
    /** The member's district and branch when the attempt started: results keep the units as they were. */
    districtId: text("district_id"),
    branchId: text("branch_id"),
  },
  (t) => [
    uniqueIndex("attempts_round_user_number").on(t.roundId, t.userId, t.attemptNumber),
    // At most one attempt in progress per member, whatever the round: the database refuses a second.
    uniqueIndex("attempts_one_in_progress")
      .on(t.userId)
      .where(sql`${t.status} = 'in_progress'`),
    index("attempts_round_score").on(t.roundId, t.score),
    index("attempts_round_finalized").on(t.roundId, t.finalizedAt),
    index("attempts_deadline_open")
      .on(t.deadlineAt)
      .where(sql`${t.status} = 'in_progress'`),
  ],
);

/** One drawn question of an attempt, with the member's answer to it. */
export const attemptItems = sqliteTable(
  "attempt_items",
  {
    attemptId: text("attempt_id")
      .notNull()
      .references(() => attempts.id, { onDelete: "cascade" }),
    /** 0-based position in the attempt. */
    position: integer("position").notNull(),
    questionVersionId: integer("question_version_id")
      .notNull()
      .references(() => questionVersions.id),
    /** Option ids in the order shown to this member. */
    optionOrder: text("option_order", { mode: "json" }).$type<number[]>().notNull(),
    /** Option ids chosen, or null when not answered. */
    chosen: text("chosen", { mode: "json" }).$type<number[]>(),
    answeredAt: integer("answered_at"),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.position] })],
);

/* ---------- judging and audit ---------- */

export const disqualifications = sqliteTable(
  "disqualifications",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull(),
    byUserId: text("by_user_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId] })],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    /** Null for the system itself (content import from the command line, the deadline sweep). */
    actorUserId: text("actor_user_id").references(() => users.id),
    action: text("action").notNull(),
    subject: text("subject").notNull(),
    /** What kind of thing `subject` names: contest, round, bank, unit, member, content. */
    subjectKind: text("subject_kind"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The changed values before and after the act, for the audit page. */
    before: text("before", { mode: "json" }).$type<Record<string, unknown>>(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_at").on(t.at), index("audit_log_subject").on(t.subject), index("audit_log_actor").on(t.actorUserId, t.at)],
);

/* ---------- results, computed once a round has closed ---------- */

/**
 * A round's published ranking: one row per member (their best attempt), frozen when the round
 * closes so pages read it instantly and it never moves, except by a judge's recorded decision.
 */
export const roundResults = sqliteTable(
  "round_results",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    /** Written in slices under a version not yet visible, then switched to (rounds.results_version). */
    version: integer("version").notNull().default(0),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    attemptId: text("attempt_id")
      .notNull()
      .references(() => attempts.id),
    /** Shared by members equal on every criterion ("3="), docs/decisions/012-ranking-rules-settled.md. */
    rank: integer("rank").notNull(),
    /** 1, 2, 3… in listing order: pages walk it, distinct even within a shared rank. */
    position: integer("position").notNull().default(0),
    score: integer("score").notNull(),
    maxScore: integer("max_score").notNull(),
    correctCount: integer("correct_count").notNull(),
    prediction: integer("prediction"),
    predictionDistance: integer("prediction_distance").notNull(),
    durationMs: integer("duration_ms").notNull(),
    finalizedAt: integer("finalized_at").notNull(),
    prize: text("prize"),
    /** A shared rank straddling a prize boundary with no draw recorded: the prize is undecided. */
    drawPending: integer("draw_pending", { mode: "boolean" }).notNull().default(false),
    /** The member's place in the recorded draw that decided their group's prizes. */
    drawPlace: integer("draw_place"),
    districtId: text("district_id").notNull(),
    branchId: text("branch_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.version, t.userId] }),
    uniqueIndex("round_results_rank").on(t.roundId, t.version, t.rank, t.position),
    index("round_results_district").on(t.roundId, t.version, t.districtId, t.rank, t.position),
    index("round_results_branch").on(t.roundId, t.version, t.branchId, t.rank, t.position),
  ],
);

/** The contest's overall ranking, recomputed whenever one of its rounds' results is stored. */
export const contestResults = sqliteTable(
  "contest_results",
  {
    contestId: text("contest_id")
      .notNull()
      .references(() => contests.id, { onDelete: "cascade" }),
    /** Written in slices under a version not yet visible, then switched to (contests.results_version). */
    version: integer("version").notNull().default(0),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** Shared by members equal on every criterion ("3="). */
    rank: integer("rank").notNull(),
    /** 1, 2, 3… in listing order. */
    position: integer("position").notNull().default(0),
    totalScore: integer("total_score").notNull(),
    rounds: integer("rounds").notNull(),
    predictionDistance: integer("prediction_distance").notNull(),
    durationMs: integer("duration_ms").notNull(),
    finalizedAt: integer("finalized_at").notNull(),
    districtId: text("district_id").notNull(),
    branchId: text("branch_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.contestId, t.version, t.userId] }),
    uniqueIndex("contest_results_rank").on(t.contestId, t.version, t.rank, t.position),
    index("contest_results_district").on(t.contestId, t.version, t.districtId, t.rank, t.position),
    index("contest_results_branch").on(t.contestId, t.version, t.branchId, t.rank, t.position),
  ],
);

/**
 * A judges' draw between members sharing a rank across a prize boundary: the members in drawn
 * order decide who gets which prize. It applies while the tied group is exactly these members
 * (`memberKey`, the ids sorted); a later decision that changes the group leaves it unused.
 */
export const rankDraws = sqliteTable(
  "rank_draws",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => rounds.id, { onDelete: "cascade" }),
    memberKey: text("member_key").notNull(),
    members: text("members", { mode: "json" }).$type<string[]>().notNull(),
    reason: text("reason").notNull(),
    byUserId: text("by_user_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("rank_draws_group").on(t.roundId, t.memberKey)],
);
