/**
 * What `npm run demo` adds on top of content/: one account of each role, and a practice contest
 * whose round is open now, so a newcomer can play at once. Idempotent: running it again the same
 * day changes nothing.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, lt } from "drizzle-orm";
import { hashPassword } from "~/.server/auth/password.server";
import { ContentConflictError, importContent } from "~/.server/content/import.server";
import { describeErrors } from "~/.server/content/pipeline.server";
import { storedContest } from "~/.server/contest-rules.server";
import { freezeClosedRounds } from "~/.server/results.server";
import type { Contest } from "~/domain/content/contest";
import { searchKey } from "~/domain/names";
import { DEFAULT_TIMEZONE, zonedTimeToInstant } from "~/domain/time";
import type { Db } from "../../../db/client";
import { banks, branches, questions, rounds, users, type Role } from "../../../db/schema";
import { generateSyntheticAttempts } from "./synthetic.server";

export const DEMO_PASSWORD = "demo1234";

export const DEMO_ACCOUNTS: { role: Role; phone: string; fullName: string; districtId: string }[] = [
  { role: "member", phone: "0912000001", fullName: "Nguyễn Văn An", districtId: "da-lat" },
  { role: "organizer", phone: "0912000002", fullName: "Trần Thị Bình", districtId: "da-lat" },
  { role: "judge", phone: "0912000003", fullName: "Lê Văn Cường", districtId: "bao-loc" },
  { role: "admin", phone: "0912000004", fullName: "Phạm Thị Dung", districtId: "da-lat" },
];

export const PRACTICE_CONTEST_ID = "thi-thu";

export async function seedDemoAccounts(db: Db, now: number): Promise<void> {
  for (const account of DEMO_ACCOUNTS) {
    const existing = db.select({ id: users.id }).from(users).where(eq(users.phone, account.phone)).get();
    if (existing) continue;
    const branch = db
      .select({ id: branches.id })
      .from(branches)
      .where(eq(branches.districtId, account.districtId))
      .orderBy(asc(branches.position))
      .get();
    if (!branch) throw new Error(`Chưa có công đoàn cơ sở nào thuộc ${account.districtId}: hãy nạp content/units.md trước.`);
    db.insert(users)
      .values({
        id: randomUUID(),
        phone: account.phone,
        fullName: account.fullName,
        searchName: searchKey(account.fullName),
        passwordHash: await hashPassword(DEMO_PASSWORD),
        districtId: account.districtId,
        branchId: branch.id,
        role: account.role,
        createdAt: now,
      })
      .run();
  }
}

/**
 * A practice contest drawing from every imported bank, its round open from midnight today (Vietnam
 * time) for eight days. It is written through importContent, so the running-contest rules apply as
 * in the console and `content:import`: a round already opened is kept as it is, the settings stay
 * as they were first seeded, and once the last round is over the next run adds a new round.
 */
export function seedPracticeContest(db: Db, now: number): void {
  const existing = storedContest(db, PRACTICE_CONTEST_ID);
  const contest = existing ? nextPracticeRound(existing, now) : newPracticeContest(db, now);
  if (!contest) return;
  try {
    importContent(db, { banks: [], contests: [contest], units: null }, { now, via: "seed" });
  } catch (error) {
    if (error instanceof ContentConflictError) throw new Error(`không tạo được cuộc thi thử:\n${describeErrors(error.errors)}`);
    throw error;
  }
}

function practiceWindow(now: number, notBefore: number) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: DEFAULT_TIMEZONE }).format(now).split("-").map(Number);
  const [year = 2024, month = 1, day = 1] = today;
  const opensAt = Math.max(zonedTimeToInstant({ year, month, day, hour: 0, minute: 0 }, DEFAULT_TIMEZONE), notBefore);
  return { opensAt, closesAt: opensAt + 8 * 24 * 60 * 60 * 1000 };
}

/** The stored practice contest with one more round when none is open or to come; null: nothing to do. */
function nextPracticeRound(existing: Contest, now: number): Contest | null {
  if (existing.rounds.some((r) => r.closesAt > now)) return null;
  const last = existing.rounds[existing.rounds.length - 1];
  const number = (last?.number ?? 0) + 1;
  return {
    ...existing,
    rounds: [
      ...existing.rounds,
      { number, title: `Vòng thi thử ${number}`, ...practiceWindow(now, last?.closesAt ?? 0), quotas: last?.quotas ?? [], line: 1 },
    ],
  };
}

function newPracticeContest(db: Db, now: number): Contest {
  const bankSizes = db
    .select({ id: banks.id, active: questions.active })
    .from(banks)
    .innerJoin(questions, eq(questions.bankId, banks.id))
    .all()
    .filter((row) => row.active)
    .reduce((sizes, row) => sizes.set(row.id, (sizes.get(row.id) ?? 0) + 1), new Map<string, number>());
  const bankIds = [...bankSizes.keys()].sort();
  if (bankIds.length === 0) throw new Error("Chưa có bộ câu hỏi nào: hãy nạp content/ trước.");
  const perBank = Math.min(5, ...bankSizes.values());

  const { opensAt, closesAt } = practiceWindow(now, 0);

  return {
    file: "app/.server/demo/seed-demo.server.ts",
    id: PRACTICE_CONTEST_ID,
    idLine: 1,
    title: "Thi thử: Nghị quyết và chuyển đổi số",
    timezone: DEFAULT_TIMEZONE,
    rulesMarkdown: [
      "Vòng thi thử để làm quen với cách thi trực tuyến: kết quả không được tính giải.",
      "",
      `- Mỗi bài gồm **${perBank * bankIds.length} câu hỏi**, làm trong **10 phút**; mỗi người được thi **3 lần**.`,
      "- Mỗi câu trả lời được lưu ngay khi chọn. Hết giờ, bài thi tự động được nộp.",
      "- Cuối bài, bạn dự đoán số người tham gia vòng thi.",
    ].join("\n"),
    timeLimitSeconds: 10 * 60,
    questionsPerAttempt: perBank * bankIds.length,
    attemptsPerRound: 3,
    predictionEnabled: true,
    predictionTarget: "participants",
    rankingOrder: ["score", "prediction", "duration", "finishedAt"],
    liveStandings: true,
    onePrizePerPerson: false,
    reviewAfter: "questions-unused",
    showScore: "immediately",
    // No prizes, no winners; and, drawing from the real contest's banks, its keys wait for any
    // live round that still uses them (docs/decisions/005-answer-key-secrecy.md).
    practice: true,
    prizes: [],
    rounds: [
      {
        number: 1,
        title: "Vòng thi thử",
        opensAt,
        closesAt,
        quotas: bankIds.map((bankId) => ({ bankId, questionCount: perBank, line: 1 })),
        line: 1,
      },
    ],
  };
}

/** The real contest's rounds are long closed: give them synthetic participants and results. */
export const DEMO_CONTEST_ID = "nghi-quyet-dai-hoi-x";
const DEMO_PARTICIPANTS = [
  { members: 420, firstMember: 0 },
  { members: 380, firstMember: 120 },
  { members: 350, firstMember: 200 },
];

export function seedDemoResults(db: Db, now: number): void {
  const closed = db
    .select({ id: rounds.id, number: rounds.number })
    .from(rounds)
    .where(and(eq(rounds.contestId, DEMO_CONTEST_ID), lt(rounds.closesAt, now)))
    .orderBy(asc(rounds.number))
    .all();
  closed.forEach((round, index) => {
    const plan = DEMO_PARTICIPANTS[index % DEMO_PARTICIPANTS.length]!;
    generateSyntheticAttempts(db, { roundId: round.id, seed: round.number, ...plan });
  });
  freezeClosedRounds(db, now);
}
