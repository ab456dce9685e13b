/**
 * Every core serves (decision 013): the production server with WEB_CONCURRENCY=2 on a database of
 * its own. Members save answers through the quiz's JSON route while one worker is killed
 * (SIGKILL): no acknowledged save is lost, the other worker keeps answering, the primary starts a
 * replacement. No browser; loopback only; bounded (the load stops by itself after ~2 s).
 */
import { expect, test } from "@playwright/test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../db/client";
import { savedChoices } from "~/.server/attempts.server";
import { member, seedDatabase, startServer, stopServer, until, type Server } from "./ops-server";

const MEMBERS = 6;
const dir = join(import.meta.dirname, ".tmp", `cluster-${process.pid}`);
let databasePath = "";
let server: Server | null = null;

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  databasePath = await seedDatabase(dir, MEMBERS);
  server = await startServer(databasePath, { WEB_CONCURRENCY: "2" });
});

test.afterAll(async () => {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
});

const formHeaders = (cookie: string) => ({
  Origin: `http://127.0.0.1:${server!.port}`,
  "Content-Type": "application/x-www-form-urlencoded",
  Cookie: cookie,
});

test("killing one worker under load loses no acknowledged save and the other keeps serving", async () => {
  const s = server!;
  const members = await Promise.all(Array.from({ length: MEMBERS }, (_, i) => member(s, i)));
  const [first] = s.workerPids();
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
          const reply = await fetch(s.url(`/bai-thi/${m.attemptId}/tra-loi`), {
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
      const pids = s.workerPids();
      return pids.length === 2 && !pids.includes(first!);
    },
    10_000,
    "a replacement worker",
  );
  expect((await fetch(s.url("/healthz"))).status).toBe(200);

  // Stop the server, then read what the database kept.
  s.child.kill("SIGTERM");
  await s.exited;
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
