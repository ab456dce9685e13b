/**
 * `npm run demo` (after the build): migrates the database, imports content/, seeds the demo
 * accounts and an open practice round, then serves the production build on http://localhost:3000.
 */
import { spawn } from "node:child_process";
import { defaultDatabasePath, openDatabase } from "../../../db/client";
import {
  DEMO_ACCOUNTS,
  DEMO_PASSWORD,
  PRACTICE_CONTEST_ID,
  seedDemoAccounts,
  seedDemoResults,
  seedPracticeContest,
} from "~/.server/demo/seed-demo.server";
import { describeErrors, describeWarnings, importContentDir, osUserName } from "../content/pipeline.server";
import { runCli } from "./run";

const roleNames = { member: "Đoàn viên", organizer: "Ban tổ chức", judge: "Giám khảo", admin: "Quản trị" } as const;

runCli(async () => {
  const now = Date.now();
  const db = openDatabase();
  const result = importContentDir(db, { now, via: "content:import", osUser: osUserName() });
  if (!result.ok) {
    console.error(describeErrors(result.errors));
    console.error("\nNội dung trong content/ có lỗi; hãy sửa rồi chạy lại npm run demo.");
    return 1;
  }
  if (result.warnings.length > 0) console.warn(`${describeWarnings(result.warnings)}\n`);
  await seedDemoAccounts(db, now);
  seedPracticeContest(db, now);
  seedDemoResults(db, now);
  db.$client.close();

  const port = process.env.PORT ?? "3000";
  const child = spawn(process.execPath, ["app/.server/serve.mjs"], {
    // The demo keeps one process (no cluster): WEB_CONCURRENCY=1 unless set. Short human log
    // lines instead of JSON (warnings and errors on stderr, shown).
    env: { WEB_CONCURRENCY: "1", LOG_FORMAT: "pretty", ...process.env, NODE_ENV: "production", PORT: port },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let announced = false;
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    if (!announced && text.includes("[cuocthi]")) {
      announced = true;
      const url = `http://localhost:${port}`;
      console.log(
        [
          "",
          `Cuộc thi đã chạy tại ${url}  (cơ sở dữ liệu: ${defaultDatabasePath()})`,
          `Vòng thi thử đang mở: ${url}/cuoc-thi/${PRACTICE_CONTEST_ID}`,
          "",
          `Tài khoản demo (mật khẩu chung: ${DEMO_PASSWORD}):`,
          ...DEMO_ACCOUNTS.map((a) => `  ${roleNames[a.role].padEnd(12)} ${a.phone}  ${a.fullName}`),
          "",
          "Nhấn Ctrl+C để dừng.",
          "",
        ].join("\n"),
      );
    } else if (announced && process.env.DEMO_LOG_REQUESTS) {
      process.stdout.write(text);
    }
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  return new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? 0)));
});
