/**
 * The poster desk's counts at contest scale (decision 017):
 *
 *   npx tsx tests/bench/posters.ts [--districts 12] [--branches 72] [--members 100000]
 *
 * Builds a database with `--districts` districts sharing `--branches` branches per district,
 * `--members` members who all registered through a poster and each took round 1 of a contest
 * (plus a second attempt for every third), then times the district summary and one district's
 * branch table (median and worst of 20 runs), and prints SQLite's query plans.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { branchPosterStats, posterSummaryByDistrict } from "~/.server/posters.server";
import { openDatabase } from "../../db/client";
import { benchDir, parseArgs, positiveInt } from "./args";

const args = parseArgs(process.argv.slice(2), { districts: "12", branches: "72", members: "100000" });
const districtCount = positiveInt(args, "districts", 100_000);
const perDistrict = positiveInt(args, "branches", 10_000);
const memberCount = positiveInt(args, "members", 2_000_000);

const dir = join(benchDir, ".tmp");
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, "posters.sqlite");
for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath + suffix, { force: true });
const db = openDatabase(dbPath);
const client = db.$client;
const now = Date.UTC(2024, 9, 1);

client.transaction(() => {
  client
    .prepare(
      "insert into contests (id, title, time_limit_seconds, questions_per_attempt, created_at, updated_at) values ('c1', 'Cuộc thi', 1200, 20, ?, ?)",
    )
    .run(now, now);
  client
    .prepare("insert into rounds (contest_id, number, title, opens_at, closes_at) values ('c1', 1, 'Vòng 1', ?, ?)")
    .run(now, now + 7 * 86_400_000);
  const district = client.prepare("insert into districts (id, name, position) values (?, ?, ?)");
  const branch = client.prepare("insert into branches (id, district_id, name, position) values (?, ?, ?, ?)");
  for (let d = 0; d < districtCount; d++) {
    district.run(`h${d}`, `Huyện ${d}`, d);
    for (let b = 0; b < perDistrict; b++) branch.run(`h${d}-b${b}`, `h${d}`, `Công đoàn ${d}-${b}`, d * perDistrict + b);
  }
  const user = client.prepare(
    "insert into users (id, phone, full_name, password_hash, district_id, branch_id, via_branch_id, created_at) values (?, ?, ?, 'x', ?, ?, ?, ?)",
  );
  const attempt = client.prepare(
    "insert into attempts (id, round_id, user_id, attempt_number, started_at, deadline_at, status, max_score, question_count) values (?, 1, ?, ?, ?, ?, 'submitted', 20, 20)",
  );
  for (let i = 0; i < memberCount; i++) {
    const d = i % districtCount;
    const b = Math.floor(i / districtCount) % perDistrict;
    const id = `u${i}`;
    user.run(id, `09${String(i).padStart(8, "0")}`, `Người ${i}`, `h${d}`, `h${d}-b${b}`, `h${d}-b${b}`, now);
    attempt.run(`a${i}`, id, 1, now, now + 1_200_000);
    if (i % 3 === 0) attempt.run(`b${i}`, id, 2, now + 3_600_000, now + 4_800_000);
  }
})();
client.pragma("analysis_limit = 1000");
client.exec("analyze");

function time(label: string, run: () => unknown) {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  console.log(`${label}: median ${samples[10]!.toFixed(1)} ms, worst ${samples[19]!.toFixed(1)} ms`);
}

console.log(
  `${districtCount} districts × ${perDistrict} branches, ${memberCount} members through posters, ${Math.ceil((memberCount * 4) / 3)} attempts`,
);
time("district summary (posterSummaryByDistrict)", () => posterSummaryByDistrict(db));
time("one district's branches (branchPosterStats)", () => branchPosterStats(db, "c1", "h0"));
const sample = branchPosterStats(db, "c1", "h0")[0]!;
console.log("first branch of h0:", JSON.stringify(sample));
if (process.env.PLAN) {
  const plan = (q: string) =>
    console.log(
      client
        .prepare(`explain query plan ${q}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join("\n"),
    );
  plan(
    `select u.via_branch_id, count(distinct u.id), count(distinct a.user_id), count(a.id) from users u left join attempts a on a.user_id = u.id and a.round_id in (select id from rounds where contest_id = 'c1') where u.via_branch_id in (select id from branches where district_id = 'h0') group by u.via_branch_id`,
  );
}
db.$client.close();
for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath + suffix, { force: true });
