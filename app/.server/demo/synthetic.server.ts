/**
 * Synthetic members and finalized attempts for a round: the demo's closed rounds get realistic
 * leaderboards from them, and the benchmark fills a round with 100,000. Attempts are drawn and
 * scored by the real code paths (draw, scoring), so judges' re-score finds no difference.
 * Deterministic for a given seed.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { drawQuotas } from "~/.server/attempts.server";
import { drawQuestions, type RandomInt } from "~/domain/draw";
import { searchKey } from "~/domain/names";
import { scoreAttempt } from "~/domain/scoring";
import type { Db } from "../../../db/client";
import { branches, contests, questionOptions, questionVersions, rounds } from "../../../db/schema";

/** A small, fast, seedable generator (mulberry32). */
export function seededRandom(seed: number): { next: () => number; int: RandomInt } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max: number) => Math.floor(next() * max) };
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "K'"];
const MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Kim", "Xuân"];
const GIVEN = [
  "An",
  "Bình",
  "Chi",
  "Dũng",
  "Hà",
  "Hải",
  "Hạnh",
  "Hòa",
  "Hùng",
  "Hương",
  "Khoa",
  "Lan",
  "Linh",
  "Long",
  "Mai",
  "Nam",
  "Nga",
  "Phúc",
  "Quân",
  "Sơn",
  "Tâm",
  "Thảo",
  "Trang",
  "Tuấn",
  "Vy",
  "Yến",
  "Điểu",
  "Brông",
];

/** The argon2 hash of a random string nobody knows: synthetic members cannot log in. */
const NO_LOGIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c3ludGhldGljc2FsdA$0SgqH8bN6c7m4bqk0x3v0mQm1Pj0v6m0GZC0m0uQk8c";

export interface SyntheticOptions {
  roundId: number;
  /** How many members take the round. */
  members: number;
  /** Members are numbered; the same index is the same person in every round (phone 038xxxxxxx). */
  firstMember?: number;
  seed?: number;
}

/** Creates (or reuses) synthetic members and gives each one finalized attempt in the round. */
export function generateSyntheticAttempts(db: Db, { roundId, members, firstMember = 0, seed = 1 }: SyntheticOptions): number {
  const random = seededRandom(seed * 7919 + roundId);
  const round = db
    .select({ opensAt: rounds.opensAt, closesAt: rounds.closesAt, timeLimitSeconds: contests.timeLimitSeconds })
    .from(rounds)
    .innerJoin(contests, eq(contests.id, rounds.contestId))
    .where(eq(rounds.id, roundId))
    .get();
  if (!round) throw new Error(`Không có vòng thi ${roundId}.`);
  const quotas = drawQuotas(db, roundId);
  const versionIds = [...new Set(quotas.flatMap((q) => q.candidates.map((c) => c.questionVersionId)))];
  const correct = new Map<number, number[]>();
  const points = new Map<number, number>();
  for (const v of db.select({ id: questionVersions.id, points: questionVersions.points }).from(questionVersions).all()) {
    points.set(v.id, v.points);
  }
  for (const o of db
    .select({ id: questionOptions.id, versionId: questionOptions.versionId, isCorrect: questionOptions.isCorrect })
    .from(questionOptions)
    .all()) {
    if (o.isCorrect && versionIds.includes(o.versionId)) correct.set(o.versionId, [...(correct.get(o.versionId) ?? []), o.id]);
  }
  const units = db.select({ id: branches.id, districtId: branches.districtId }).from(branches).all();
  if (units.length === 0) throw new Error("Chưa có công đoàn cơ sở nào.");

  const sqlite = db.$client;
  const findUser = sqlite.prepare("select id from users where phone = ?");
  const insertUser = sqlite.prepare(
    "insert into users (id, phone, full_name, search_name, password_hash, district_id, branch_id, role, active, must_change_password, created_at) values (?, ?, ?, ?, ?, ?, ?, 'member', 1, 0, ?)",
  );
  const existingAttempts = sqlite.prepare("select count(*) as n from attempts where round_id = ? and user_id = ?");
  const insertAttempt = sqlite.prepare(
    "insert into attempts (id, round_id, user_id, attempt_number, started_at, deadline_at, status, finalized_at, prediction, score, max_score, correct_count, question_count, duration_ms, district_id, branch_id) select ?, ?, ?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, u.district_id, u.branch_id from users u where u.id = ?",
  );
  const insertItem = sqlite.prepare(
    "insert into attempt_items (attempt_id, position, question_version_id, option_order, chosen, answered_at) values (?, ?, ?, ?, ?, ?)",
  );
  const limit = round.timeLimitSeconds * 1000;
  const window = Math.max(1, round.closesAt - round.opensAt - limit);
  let created = 0;

  sqlite
    .transaction(() => {
      for (let i = firstMember; i < firstMember + members; i++) {
        // Each synthetic person has a fixed skill and unit, whatever the round.
        const person = seededRandom(i + 1);
        const phone = `038${String(i).padStart(7, "0")}`;
        let userId = (findUser.get(phone) as { id: string } | undefined)?.id;
        if (!userId) {
          userId = randomUUID();
          const unit = units[person.int(units.length)]!;
          const name = `${FAMILY[person.int(FAMILY.length)]} ${MIDDLE[person.int(MIDDLE.length)]} ${GIVEN[person.int(GIVEN.length)]}`;
          insertUser.run(userId, phone, name, searchKey(name), NO_LOGIN_HASH, unit.districtId, unit.id, round.opensAt);
        }
        if ((existingAttempts.get(roundId, userId) as { n: number }).n > 0) continue;
        const skill = 0.45 + person.next() * 0.5;

        const drawn = drawQuestions(quotas, random.int);
        // Participation peaks when a round opens and in its last hours.
        const u = random.next();
        const shape = u < 0.35 ? u * u : u > 0.8 ? 1 - (1 - u) * (1 - u) * 0.2 : u;
        const startedAt = round.opensAt + Math.floor(shape * window);
        const durationMs = Math.floor(limit * (0.15 + random.next() * 0.8));
        const finalizedAt = startedAt + durationMs;
        const items = drawn.map((item) => {
          const right = correct.get(item.questionVersionId) ?? [];
          const answered = random.next() < 0.97;
          let chosen: number[] | null = null;
          if (answered) {
            chosen = random.next() < skill ? [...right] : [item.optionOrder[random.int(item.optionOrder.length)]!];
          }
          return { ...item, chosen, points: points.get(item.questionVersionId) ?? 1, correctOptionIds: right };
        });
        const { score, maxScore, correctCount } = scoreAttempt(items);
        const attemptId = randomUUID();
        insertAttempt.run(
          attemptId,
          roundId,
          userId,
          1,
          startedAt,
          startedAt + limit,
          finalizedAt,
          random.next() < 0.9 ? 50 + random.int(members * 3) : null,
          score,
          maxScore,
          correctCount,
          items.length,
          durationMs,
          userId, // the member's units, recorded with the attempt
        );
        items.forEach((item, position) =>
          insertItem.run(
            attemptId,
            position,
            item.questionVersionId,
            JSON.stringify(item.optionOrder),
            item.chosen ? JSON.stringify([...item.chosen].sort((a, b) => a - b)) : null,
            item.chosen ? startedAt + Math.floor((durationMs * (position + 1)) / items.length) : null,
          ),
        );
        created++;
      }
    })
    .immediate();
  return created;
}
