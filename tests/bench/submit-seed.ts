/**
 * Members ready to submit, for the benchmark's submit row (run.ts runs it; by hand:
 *
 *   npx tsx tests/bench/submit-seed.ts --db <the run's copy> --count 10000 --out <file.json>
 *
 * The reference server's submit row sends 20,000 submits, one per seeded open attempt; the app's
 * row used to send one per logged-in quiz member (600), a burst measured mostly before V8 had
 * optimised anything. Logging 10,000 members in over HTTP would mean 10,000 argon2 hashes, so this
 * does what the reference's seed does, with the app's own functions on the run's copy of the
 * database: a Lucia session for each of `--count` members of the synthetic round (the same kind of
 * session a login makes, fresh: not in its second half), an attempt on the open practice round
 * started by `startAttempt`, and that attempt's questions read by `getQuiz`, the quiz page's own
 * loader function. Writes [{ cookie, attemptId, answers: [position, first option id][] }] to --out.
 */
import { writeFileSync } from "node:fs";
import { and, asc, eq, like, not } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { rounds, users } from "../../db/schema";
import { parseArgs, positiveInt } from "./args";
import { getQuiz, startAttempt } from "~/.server/attempts.server";
import { luciaFor } from "~/.server/auth/lucia.server";
import { PRACTICE_CONTEST_ID } from "~/.server/demo/seed-demo.server";

const args = parseArgs(process.argv.slice(2), { db: "", count: "10000", out: "" });
const count = positiveInt(args, "count", 200_000);
if (!args.db || !args.out) {
  console.error("--db and --out are required");
  process.exit(2);
}
const db = openDatabase(args.db);
const lucia = luciaFor(db);
const now = Date.now();
const round = db
  .select({ id: rounds.id })
  .from(rounds)
  .where(and(eq(rounds.contestId, PRACTICE_CONTEST_ID), eq(rounds.number, 1)))
  .get();
if (!round) throw new Error(`no round 1 in ${PRACTICE_CONTEST_ID}`);
// Members of the synthetic 100,000-member round, not the quiz members (097…) the other rows use.
const chosen = db
  .select({ id: users.id })
  .from(users)
  .where(and(eq(users.role, "member"), not(like(users.phone, "097%"))))
  .orderBy(asc(users.phone))
  .limit(count)
  .all();
if (chosen.length < count) throw new Error(`only ${chosen.length} members to seed, ${count} wanted`);

const seeded: { cookie: string; attemptId: string; answers: [number, number][] }[] = [];
for (const { id } of chosen) {
  const session = await lucia.createSession(id, {});
  const { attemptId } = startAttempt(db, { roundId: round.id, userId: id, now });
  const quiz = getQuiz(db, attemptId, id, now);
  seeded.push({
    cookie: `${lucia.sessionCookieName}=${session.id}`,
    attemptId,
    answers: quiz.questions.map((q) => [q.position, q.options[0]!.id]),
  });
}
db.$client.close();
writeFileSync(args.out, JSON.stringify(seeded));
console.log(`${seeded.length} members with an open attempt of ${seeded[0]!.answers.length} questions`);
