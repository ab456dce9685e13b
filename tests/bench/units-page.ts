/**
 * The organizers' units page at a large province's size (issue 17: it was 138 MB of HTML and a
 * 3.5 s stall at 1,000+ branches):
 *
 *   npm run build && npx tsx tests/bench/units-page.ts [--districts 1000] [--branches 20] [--members 100000] [--port 3106]
 *
 * Builds a database with `--districts` districts × `--branches` branches each and `--members`
 * members spread over them, serves the production build on it, and times each view of
 * /to-chuc/don-vi as an organizer (median and worst of 10 requests, and the HTML size), plus the
 * import preview of the whole list as a CSV. The loader's own work is also timed in process with
 * its CPU time, which a machine busy with other work inflates less than the wall-clock time.
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { luciaFor } from "~/.server/auth/lucia.server";
import { previewUnitImport, readUnitFile } from "~/.server/unit-import.server";
import { listUnitsPage } from "~/.server/units.server";
import { openDatabase } from "../../db/client";
import { benchDir, parseArgs, positiveInt, repoRoot } from "./args";

const args = parseArgs(process.argv.slice(2), { districts: "1000", branches: "20", members: "100000", port: "3106" });
const districtCount = positiveInt(args, "districts", 100_000);
const perDistrict = positiveInt(args, "branches", 10_000);
const memberCount = positiveInt(args, "members", 2_000_000);
const port = positiveInt(args, "port", 65_535);

const dir = join(benchDir, ".tmp");
mkdirSync(dir, { recursive: true });
const dbPath = join(dir, "units-page.sqlite");
for (const suffix of ["", "-wal", "-shm"]) rmSync(dbPath + suffix, { force: true });
const db = openDatabase(dbPath);
const client = db.$client;

let started = performance.now();
client.transaction(() => {
  const district = client.prepare("insert into districts (id, name, position) values (?, ?, ?)");
  const branch = client.prepare("insert into branches (id, district_id, name, position) values (?, ?, ?, ?)");
  for (let d = 0; d < districtCount; d++) {
    district.run(`h${d}`, `Huyện Thử Nghiệm Số ${d}`, d);
    for (let b = 0; b < perDistrict; b++)
      branch.run(`h${d}-b${b}`, `h${d}`, `Công đoàn Trường Tiểu học Số ${b} huyện ${d}`, d * perDistrict + b);
  }
  const user = client.prepare(
    "insert into users (id, phone, full_name, password_hash, district_id, branch_id, role, created_at) values (?, ?, ?, 'x', ?, ?, ?, 0)",
  );
  for (let i = 0; i < memberCount; i++) {
    const d = i % districtCount;
    const b = Math.floor(i / districtCount) % perDistrict;
    user.run(randomUUID(), `03${String(i).padStart(8, "0")}`, `Đoàn Viên ${i}`, `h${d}`, `h${d}-b${b}`, "member");
  }
  user.run("organizer", "0912999999", "Ban Tổ Chức", "h0", "h0-b0", "organizer");
})();
const session = await luciaFor(db).createSession("organizer", {});
const cookie = luciaFor(db).createSessionCookie(session.id).serialize().split(";")[0]!;
console.log(
  `${districtCount} districts × ${perDistrict} branches, ${memberCount} members: built in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

// The import preview of the whole list, in process (parse + plan against the database).
const csv = ["Mã huyện;Tên huyện;Mã CĐCS;Tên công đoàn cơ sở"];
for (let d = 0; d < districtCount; d++)
  for (let b = 0; b < perDistrict; b++) csv.push(`h${d};Huyện Thử Nghiệm Số ${d};h${d}-b${b};Công đoàn Trường Tiểu học Số ${b} huyện ${d}`);
const bytes = new TextEncoder().encode(csv.join("\n"));
started = performance.now();
const reading = readUnitFile("ds.csv", bytes);
if (!reading.ok) throw new Error(JSON.stringify(reading.errors.slice(0, 3)));
const preview = previewUnitImport(db, reading.rows);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const inProcess: [string, Parameters<typeof listUnitsPage>[1]][] = [
  ["districts, page 1", { q: "", districtId: null, page: 1 }],
  ["one district's branches", { q: "", districtId: `h${districtCount - 1}`, page: 1 }],
  ["search without diacritics", { q: "truong tieu hoc so 7 huyen 99", districtId: null, page: 1 }],
  ["search, many matches", { q: "tiểu học", districtId: null, page: 3 }],
];
for (const [label, query] of inProcess) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 10; i++) {
    const [w, c] = [performance.now(), cpuMs()];
    listUnitsPage(db, query);
    wall.push(performance.now() - w);
    cpu.push(cpuMs() - c);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(`loader: ${label.padEnd(28)} median ${wall[5]!.toFixed(0).padStart(4)} ms wall, ${cpu[5]!.toFixed(0).padStart(4)} ms CPU`);
}
console.log(
  `import preview of the whole list (${(bytes.length / 1e6).toFixed(1)} MB CSV): ${Math.round(performance.now() - started)} ms, ${preview.ok ? `${preview.plan.branches.unchanged} unchanged` : "errors"}`,
);
client.close();

const server = spawn(process.execPath, [join(repoRoot, "app", ".server", "serve.mjs")], {
  env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: dbPath, PORT: String(port), SECURE_COOKIES: "false" },
  stdio: ["ignore", "ignore", "inherit"],
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    if (i > 100) throw new Error("the server did not start");
  }
  await new Promise((r) => setTimeout(r, 100));
}

const views: [string, string][] = [
  ["districts, page 1", "/to-chuc/don-vi"],
  ["districts, page 20", "/to-chuc/don-vi?trang=20"],
  ["one district's branches", `/to-chuc/don-vi?huyen=h${districtCount - 1}`],
  ["search without diacritics", `/to-chuc/don-vi?q=${encodeURIComponent("truong tieu hoc so 7 huyen 99")}`],
  ["search, many matches", `/to-chuc/don-vi?q=${encodeURIComponent("tiểu học")}&trang=3`],
];
try {
  for (const [label, path] of views) {
    const times: number[] = [];
    let size = 0;
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const reply = await fetch(base + path, { headers: { cookie, "accept-encoding": "identity" } });
      const body = await reply.text();
      times.push(performance.now() - t0);
      if (reply.status !== 200) throw new Error(`${path}: HTTP ${reply.status}`);
      size = Buffer.byteLength(body);
    }
    times.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(28)} median ${times[5]!.toFixed(0).padStart(4)} ms, worst ${times[9]!.toFixed(0).padStart(4)} ms, ${(size / 1024).toFixed(0)} KiB HTML`,
    );
  }
} finally {
  server.kill("SIGTERM");
}
