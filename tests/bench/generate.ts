/**
 * A fresh database for the load benchmark (tests/bench/README.md):
 *
 *   npx tsx tests/bench/generate.ts [--members 100000] [--quiz-members 300] [--db tests/bench/.tmp/bench.sqlite]
 *
 * content/ imported, the demo accounts, the open practice round (`thi-thu`, for the write paths),
 * round 1 of the real contest (`nghi-quyet-dai-hoi-x`, closed in 2024) taken by `--members`
 * synthetic members each with one finalized attempt drawn and scored by the real code, its results
 * stored, and `--quiz-members` members who can log in (password below) for the quiz paths.
 * Prints how long each step took and writes what run.ts needs next to the database.
 */
import { randomUUID } from "node:crypto";
import { rmSync, statSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { branches, rounds, users } from "../../db/schema";
import {
  DEMO_ACCOUNTS,
  DEMO_CONTEST_ID,
  DEMO_PASSWORD,
  PRACTICE_CONTEST_ID,
  seedDemoAccounts,
  seedPracticeContest,
} from "~/.server/demo/seed-demo.server";
import { generateSyntheticAttempts } from "~/.server/demo/synthetic.server";
import { hashPassword } from "~/.server/auth/password.server";
import { describeErrors, importContentDir } from "~/.server/content/pipeline.server";
import { freezeClosedRounds, storeRoundResults } from "~/.server/results.server";
import { codeVersion, defaultDbPath, metaPath, parseArgs, positiveInt, repoRoot, type BenchMeta } from "./args";
import { searchKey } from "~/domain/names";

const ROUND_NUMBER = 1;
export const QUIZ_PASSWORD = "bench1234";
/** Quiz members' phones: 097 + 7 digits (synthetic members are 038…, demo accounts 0912…). */
const quizPhone = (i: number) => `097${String(i).padStart(7, "0")}`;

const args = parseArgs(process.argv.slice(2), { members: "100000", "quiz-members": "300", db: defaultDbPath });
const members = positiveInt(args, "members", 2_000_000);
const quizMembers = positiveInt(args, "quiz-members", 9_999_999);
const dbPath = resolve(args.db!);

const timings: Record<string, number> = {};
async function step<T>(name: string, run: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`${name} … `);
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  timings[name] = Math.round(seconds * 1000) / 1000;
  console.log(`${seconds.toFixed(2)} s`);
  return result;
}

const total = performance.now();
const now = Date.now();
const code = codeVersion();
console.log(`Code: ${code.commit}${code.changedFiles.length ? ` + ${code.changedFiles.length} changed files` : ""}`);
console.log(
  `Bench database ${relative(process.cwd(), dbPath) || dbPath}: ${members.toLocaleString("en")} members in ${DEMO_CONTEST_ID} round ${ROUND_NUMBER}\n`,
);

for (const suffix of ["", "-wal", "-shm", ".bench.json"]) rmSync(dbPath + suffix, { force: true });
const db = await step("open + migrate", () => openDatabase(dbPath));

await step("import content/", () => {
  const result = importContentDir(db, { now, cwd: repoRoot });
  if (!result.ok) {
    console.error(`\n${describeErrors(result.errors)}`);
    process.exit(1);
  }
});
await step("seed demo accounts", () => seedDemoAccounts(db, now));
await step("seed practice contest (open round)", () => seedPracticeContest(db, now));

const round = db
  .select({ id: rounds.id, closesAt: rounds.closesAt })
  .from(rounds)
  .where(and(eq(rounds.contestId, DEMO_CONTEST_ID), eq(rounds.number, ROUND_NUMBER)))
  .get();
if (!round) throw new Error(`${DEMO_CONTEST_ID} round ${ROUND_NUMBER} is not in content/`);
if (round.closesAt > now) throw new Error(`${DEMO_CONTEST_ID} round ${ROUND_NUMBER} is not closed yet`);

const created = await step(`synthetic attempts (${members.toLocaleString("en")} members)`, () =>
  generateSyntheticAttempts(db, { roundId: round.id, members, seed: ROUND_NUMBER }),
);
if (created !== members) throw new Error(`expected ${members} attempts, created ${created}`);
await step("storeRoundResults (round 1 + overall)", () => storeRoundResults(db, round.id, now));
// Rounds 2 and 3 are closed too (no participants): store them now, or the server's first sweep
// would do it (recomputing the overall ranking twice) while the benchmark runs.
await step("freeze the other closed rounds", () => freezeClosedRounds(db, now));

const phones = Array.from({ length: quizMembers }, (_, i) => quizPhone(i));
await step(`quiz members (${quizMembers}, one shared hash)`, async () => {
  const passwordHash = await hashPassword(QUIZ_PASSWORD);
  const units = db.select({ id: branches.id, districtId: branches.districtId }).from(branches).orderBy(asc(branches.position)).all();
  db.transaction((tx) => {
    phones.forEach((phone, i) => {
      const unit = units[i % units.length]!;
      tx.insert(users)
        .values({
          id: randomUUID(),
          phone,
          fullName: `Thí sinh thử tải ${i + 1}`,
          searchName: searchKey(`Thí sinh thử tải ${i + 1}`),
          passwordHash,
          districtId: unit.districtId,
          branchId: unit.id,
          role: "member",
          createdAt: now,
        })
        .run();
    });
  });
});

await step("checkpoint + close", () => {
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  db.$client.close();
});
timings.total = Math.round(performance.now() - total) / 1000;
const databaseBytes = statSync(dbPath).size;

const judge = DEMO_ACCOUNTS.find((a) => a.role === "judge")!;
const meta: BenchMeta = {
  createdAt: new Date(now).toISOString(),
  members,
  contestId: DEMO_CONTEST_ID,
  roundNumber: ROUND_NUMBER,
  roundId: round.id,
  practiceContestId: PRACTICE_CONTEST_ID,
  quizMembers: { phones, password: QUIZ_PASSWORD },
  judge: { phone: judge.phone, password: DEMO_PASSWORD },
  timings,
  databaseBytes,
  code,
};
writeFileSync(metaPath(dbPath), `${JSON.stringify(meta, null, 2)}\n`);
console.log(
  `\ntotal ${timings.total.toFixed(2)} s; database ${(databaseBytes / 1024 / 1024).toFixed(1)} MiB (${databaseBytes.toLocaleString("en")} bytes)`,
);
console.log(`The practice round is open for 8 days from today: run tests/bench/run.ts before then.`);
