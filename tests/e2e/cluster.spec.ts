/**
 * Every core serves (decision 013): the production server with WEB_CONCURRENCY=2 on a database of
 * its own. Members save answers through the quiz's JSON route while one worker is killed
 * (SIGKILL): no acknowledged save is lost, the other worker keeps answering, the primary starts a
 * replacement. No browser; loopback only; bounded (the load stops by itself after ~2 s).
 */
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { asc } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { branches, users } from "../../db/schema";
import { seedDemoAccounts, seedPracticeContest, PRACTICE_CONTEST_ID } from "~/.server/demo/seed-demo.server";
import { savedChoices } from "~/.server/attempts.server";
import { hashPassword } from "~/.server/auth/password.server";
import { importContentDir } from "~/.server/content/pipeline.server";

const MEMBERS = 6;
const PASSWORD = "cluster1234";
const dir = join(import.meta.dirname, ".tmp", `cluster-${process.pid}`);
const databasePath = join(dir, "cluster.sqlite");
let server: ChildProcess | null = null;
let port = 0;

function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/** The cluster's worker processes: the children of the primary (Linux /proc). */
function workerPids(): number[] {
  const pid = server!.pid!;
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}

const url = (path: string) => `http://127.0.0.1:${port}${path}`;
const formHeaders = (cookie?: string) => ({
  Origin: `http://127.0.0.1:${port}`,
  "Content-Type": "application/x-www-form-urlencoded",
  ...(cookie ? { Cookie: cookie } : {}),
});

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const db = openDatabase(databasePath);
  const imported = importContentDir(db, { now });
  if (!imported.ok) throw new Error("content/ did not import");
  await seedDemoAccounts(db, now);
  seedPracticeContest(db, now);
  const passwordHash = await hashPassword(PASSWORD);
  const unit = db.select().from(branches).orderBy(asc(branches.position)).get()!;
  for (let i = 0; i < MEMBERS; i++) {
    const fullName = `Thí sinh cụm ${i + 1}`;
    db.insert(users)
      .values({
        id: randomUUID(),
        phone: `09800000${String(i).padStart(2, "0")}`,
        fullName,
        searchName: fullName.toLowerCase(),
        passwordHash,
        districtId: unit.districtId,
        branchId: unit.id,
        role: "member",
        createdAt: now,
      })
      .run();
  }
  db.$client.close();

  port = await freePort();
  server = spawn(process.execPath, ["app/.server/serve.mjs"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: databasePath, PORT: String(port), WEB_CONCURRENCY: "2" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await until(
    async () => (await fetch(url("/healthz")).catch(() => null))?.status === 200 && workerPids().length === 2,
    20_000,
    "the cluster answers /healthz",
  );
});

test.afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Member {
  cookie: string;
  attemptId: string;
  options: number[][];
}

async function member(i: number): Promise<Member> {
  const phone = `09800000${String(i).padStart(2, "0")}`;
  const login = await fetch(url("/dang-nhap"), {
    method: "POST",
    redirect: "manual",
    headers: formHeaders(),
    body: new URLSearchParams({ phone, password: PASSWORD }),
  });
  const cookie = /^(cuocthi_session=[^;]+)/.exec(login.headers.getSetCookie().find((c) => c.startsWith("cuocthi_session=")) ?? "")?.[1];
  expect(login.status, "login").toBe(302);
  const start = await fetch(url(`/cuoc-thi/${PRACTICE_CONTEST_ID}/vong/1`), {
    method: "POST",
    redirect: "manual",
    headers: formHeaders(cookie),
    body: "intent=start",
  });
  const attemptId = /\/bai-thi\/([^/?]+)/.exec(start.headers.get("location") ?? "")?.[1];
  expect(attemptId, "attempt started").toBeTruthy();
  const html = await (await fetch(url(`/bai-thi/${attemptId}`), { headers: { Cookie: cookie! } })).text();
  const options: number[][] = [];
  for (const m of html.matchAll(/<input[^>]*\bname="q-(\d+)"[^>]*\bvalue="(\d+)"/g)) (options[Number(m[1])] ??= []).push(Number(m[2]));
  expect(options.length, "questions on the quiz page").toBeGreaterThan(1);
  return { cookie: cookie!, attemptId: attemptId!, options };
}

test("killing one worker under load loses no acknowledged save and the other keeps serving", async () => {
  const members = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => member(i)));
  const [first] = workerPids();
  expect(first).toBeTruthy();

  /** Per member and position, every save sent in order: acknowledged (200, ok) or not. */
  const sent = members.map(() => new Map<number, { option: number; acked: boolean }[]>());
  let killedAt = 0;
  let ackedAfterKill = 0;
  const stopAt = Date.now() + 2_500;
  const killTimer = setTimeout(() => {
    process.kill(first!, "SIGKILL");
    killedAt = Date.now();
  }, 700);
  await Promise.all(
    members.map(async (m, i) => {
      for (let n = 0; Date.now() < stopAt; n++) {
        const position = n % m.options.length;
        const choices = m.options[position]!;
        const option = choices[Math.floor(n / m.options.length) % choices.length]!;
        const record = { option, acked: false };
        (sent[i]!.get(position) ?? sent[i]!.set(position, []).get(position)!).push(record);
        try {
          const reply = await fetch(url(`/bai-thi/${m.attemptId}/tra-loi`), {
            method: "POST",
            headers: { ...formHeaders(m.cookie), Accept: "application/json" },
            body: new URLSearchParams({ position: String(position), option: String(option), chosenAt: String(Date.now()) }),
            signal: AbortSignal.timeout(5_000),
          });
          const body = (await reply.json()) as { ok: boolean; stale?: boolean };
          if (reply.status === 200 && body.ok && !body.stale) {
            record.acked = true;
            if (killedAt) ackedAfterKill++;
          }
        } catch {
          // The killed worker's connections reset: not acknowledged, the page's outbox would retry.
        }
      }
    }),
  );
  clearTimeout(killTimer);
  expect(killedAt, "a worker was killed during the load").toBeGreaterThan(0);
  expect(ackedAfterKill, "saves acknowledged after the kill (the other worker serves)").toBeGreaterThan(20);

  // The primary replaces the dead worker; the site answers.
  await until(
    () => {
      const pids = workerPids();
      return pids.length === 2 && !pids.includes(first!);
    },
    10_000,
    "a replacement worker",
  );
  expect((await fetch(url("/healthz"))).status).toBe(200);

  // Stop the server, then read what the database kept.
  const exited = new Promise((r) => server!.once("exit", r));
  server!.kill("SIGTERM");
  await exited;
  const db = openDatabase(databasePath);
  try {
    let checked = 0;
    members.forEach((m, i) => {
      const saved = savedChoices(db, m.attemptId);
      for (const [position, records] of sent[i]!) {
        let lastAcked = records.length - 1;
        while (lastAcked >= 0 && !records[lastAcked]!.acked) lastAcked--;
        if (lastAcked < 0) continue;
        // The last acknowledged choice, or one sent after it whose answer was lost with the worker.
        const allowed = records.slice(lastAcked).map((r) => r.option);
        expect(allowed, `member ${i + 1}, question ${position + 1}`).toContain(saved[position]?.[0]);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(MEMBERS);
  } finally {
    db.$client.close();
  }
});
